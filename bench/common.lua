-- Shared by the scenario scripts (get.lua, list.lua, search.lua, create.lua).
--
-- Every thread counts the responses it receives by status code (a benchmark
-- full of 4xx/5xx measures nothing), and the requests it sends. done() sums
-- the threads and prints one machine-readable line that bench/run.sh parses:
--   BENCHRESULT <name> <req/s> <p50 ms> <p99 ms> <responses> <non-2xx> <socket errors> <sent> <status:count,...>
-- Settings come from the environment (set by run.sh): BENCH_TOKEN (API token),
-- BENCH_NAME (scenario name), BENCH_OUT (a file for the per-scenario extras).

local threads = {}

function setup(thread)
	table.insert(threads, thread)
	thread:set("tid", #threads)
end

-- Per-thread state (globals in each thread's Lua state).
statuses = {}
sent = 0

function auth_headers()
	local token = os.getenv("BENCH_TOKEN")
	if not token or token == "" then
		error("BENCH_TOKEN is not set")
	end
	return { ["Authorization"] = "Bearer " .. token }
end

function count_response(status)
	statuses[status] = (statuses[status] or 0) + 1
end

function response(status, headers, body)
	count_response(status)
end

-- Sums a per-thread table of counts over all threads.
function sum_threads(name)
	local total = {}
	for _, t in ipairs(threads) do
		local v = t:get(name)
		if type(v) == "table" then
			for k, n in pairs(v) do
				total[k] = (total[k] or 0) + n
			end
		end
	end
	return total
end

function done(summary, latency, requests)
	local st = sum_threads("statuses")
	local codes, n, bad = {}, 0, 0
	for code, c in pairs(st) do
		table.insert(codes, code)
		n = n + c
		if code < 200 or code > 299 then
			bad = bad + c
		end
	end
	table.sort(codes)
	local parts = {}
	for _, code in ipairs(codes) do
		table.insert(parts, string.format("%d:%d", code, st[code]))
	end
	local nsent = 0
	for _, t in ipairs(threads) do
		nsent = nsent + (t:get("sent") or 0)
	end
	local e = summary.errors
	local sockerr = e.connect + e.read + e.write + e.timeout
	local secs = summary.duration / 1e6
	io.write(string.format("BENCHRESULT %s %.0f %.3f %.3f %d %d %d %d %s\n",
		os.getenv("BENCH_NAME") or "?", summary.requests / secs,
		latency:percentile(50) / 1000, latency:percentile(99) / 1000,
		n, bad, sockerr, nsent, #parts > 0 and table.concat(parts, ",") or "-"))
	if extra_done then
		extra_done(threads)
	end
end
