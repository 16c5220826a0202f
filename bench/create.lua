-- POST /api/v1/tickets: one new incident per request, each with its own title.
-- The numbers of acknowledged tickets (201) go to BENCH_OUT so that run.sh can
-- check that every acknowledged ticket is in the database.
package.path = (os.getenv("BENCH_DIR") or ".") .. "/?.lua;" .. package.path
require("common")

local n = 0
created = {}

function init(args)
	wrk.headers = auth_headers()
	wrk.headers["Content-Type"] = "application/json"
end

function request()
	n = n + 1
	sent = sent + 1
	local body = string.format(
		'{"client":"SWN","type":"incident","title":"Benchmark-Ticket t%d nr %d","impact":2,"urgency":2}',
		tid, n)
	return wrk.format("POST", "/api/v1/tickets", nil, body)
end

function response(status, headers, body)
	count_response(status)
	if status == 201 then
		local number = body:match('"number":"([^"]+)"')
		if number then
			table.insert(created, number)
		end
	end
end

function extra_done(threads)
	local path = os.getenv("BENCH_OUT")
	if not path then
		return
	end
	local f = assert(io.open(path, "w"))
	for _, t in ipairs(threads) do
		for _, number in ipairs(t:get("created") or {}) do
			f:write(number, "\n")
		end
	end
	f:close()
end
