-- GET /api/v1/tickets?limit=50: the first page, newest first.
package.path = (os.getenv("BENCH_DIR") or ".") .. "/?.lua;" .. package.path
require("common")

function init(args)
	wrk.headers = auth_headers()
end

function request()
	sent = sent + 1
	return wrk.format("GET", "/api/v1/tickets?limit=50")
end
