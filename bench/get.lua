-- GET /api/v1/tickets/{number}, rotating over every ticket number of the demo
-- database (BENCH_NUMBERS: a file with one number a line, written by run.sh).
package.path = (os.getenv("BENCH_DIR") or ".") .. "/?.lua;" .. package.path
require("common")

local numbers = {}
local i = 0

function init(args)
	local path = os.getenv("BENCH_NUMBERS") or error("BENCH_NUMBERS is not set")
	for line in io.lines(path) do
		if line ~= "" then
			table.insert(numbers, line)
		end
	end
	if #numbers == 0 then
		error("no ticket numbers in " .. path)
	end
	wrk.headers = auth_headers()
	-- threads start far apart and step by a prime so that they do not walk in step
	i = (tid * 7919) % #numbers
end

function request()
	i = (i + 7) % #numbers
	sent = sent + 1
	return wrk.format("GET", "/api/v1/tickets/" .. numbers[i + 1])
end
