-- GET /api/v1/search?q=WORD&limit=20 over words from the demo ticket titles,
-- from rare ("Kassensystem") to frequent ("Beschwerde", "Passwort").
package.path = (os.getenv("BENCH_DIR") or ".") .. "/?.lua;" .. package.path
require("common")

local words = { "VPN", "Drucker", "Outlook", "SAP", "Passwort", "Laptop", "Monitor", "Kassensystem",
	"Beschwerde", "Telefonanlage", "Kundenportal", "Z%C3%A4hlerwechsel" }
local i = 0

function init(args)
	wrk.headers = auth_headers()
	i = tid
end

function request()
	i = (i + 1) % #words
	sent = sent + 1
	return wrk.format("GET", "/api/v1/search?q=" .. words[i + 1] .. "&limit=20")
end
