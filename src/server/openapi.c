/* OpenAPI 3.0 document from the route table (see openapi.h). Room: server.
 * Paths, methods, parameters, security and responses come from routes[]; the
 * schemas of the wire formats are written once below. */
#include "server/openapi.h"

#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "model/directory.h"
#include "server/router.h"

static const char schemas[] =
        "{"
        "\"ReportSubscription\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"client\""
        ":{\"type\":\"string\"},\"kind\":{\"type\":\"string\",\"enum\":[\"weekly\",\"monthly\",\"quarterly\"]"
        "},\"format\":{\"type\":\"string\",\"enum\":[\"html\",\"pdf\",\"xlsx\"]},\"lang\":{\"type\":\"string\""
        ",\"enum\":[\"de\",\"en\"]},\"recipients\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"sch"
        "edule\":{\"type\":\"string\",\"description\":\"every monday 07:00 | first working day 07:00 | first "
        "working day of quarter 07:00\"},\"timezone\":{\"type\":\"string\"},\"holidays\":{\"type\":\"string\""
        "},\"active\":{\"type\":\"boolean\"},\"next_run_at\":{\"type\":\"string\",\"format\":\"date-time\",\""
        "nullable\":true},\"version\":{\"type\":\"integer\"},\"created_at\":{\"type\":\"string\",\"format\":\""
        "date-time\",\"nullable\":true},\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullab"
        "le\":true}}},\"ReportSubscriptionInput\":{\"type\":\"object\",\"required\":[\"client\",\"kind\",\"re"
        "cipients\",\"schedule\"],\"additionalProperties\":false,\"properties\":{\"client\":{\"type\":\"strin"
        "g\"},\"kind\":{\"type\":\"string\",\"enum\":[\"weekly\",\"monthly\",\"quarterly\"]},\"format\":{\"ty"
        "pe\":\"string\",\"enum\":[\"html\",\"pdf\",\"xlsx\"]},\"lang\":{\"type\":\"string\",\"enum\":[\"de\""
        ",\"en\"]},\"recipients\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"schedule\":{\"type\""
        ":\"string\",\"description\":\"every monday 07:00 | first working day 07:00 | first working day of qu"
        "arter 07:00\"},\"timezone\":{\"type\":\"string\"},\"holidays\":{\"type\":\"string\"},\"active\":{\"t"
        "ype\":\"boolean\"}}},\"ReportSubscriptionPatch\":{\"type\":\"object\",\"additionalProperties\":false"
        ",\"properties\":{\"kind\":{\"type\":\"string\",\"enum\":[\"weekly\",\"monthly\",\"quarterly\"]},\"fo"
        "rmat\":{\"type\":\"string\",\"enum\":[\"html\",\"pdf\",\"xlsx\"]},\"lang\":{\"type\":\"string\",\"en"
        "um\":[\"de\",\"en\"]},\"recipients\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"schedule"
        "\":{\"type\":\"string\",\"description\":\"every monday 07:00 | first working day 07:00 | first worki"
        "ng day of quarter 07:00\"},\"timezone\":{\"type\":\"string\"},\"holidays\":{\"type\":\"string\"},\"a"
        "ctive\":{\"type\":\"boolean\"},\"version\":{\"type\":\"integer\"}}},\"ReportRun\":{\"type\":\"object"
        "\",\"properties\":{\"id\":{\"type\":\"integer\"},\"subscription\":{\"type\":\"integer\"},\"trigger\""
        ":{\"type\":\"string\",\"enum\":[\"schedule\",\"manual\"]},\"period\":{\"type\":\"string\"},\"state\""
        ":{\"type\":\"string\",\"enum\":[\"queued\",\"sending\",\"delivered\",\"stored\",\"failed\"]},\"repor"
        "t\":{\"type\":\"integer\",\"nullable\":true},\"attempts\":{\"type\":\"integer\"},\"scheduled_for\":{"
        "\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},\"created_at\":{\"type\":\"string\","
        "\"format\":\"date-time\",\"nullable\":true},\"first_attempt_at\":{\"type\":\"string\",\"format\":\"d"
        "ate-time\",\"nullable\":true},\"last_attempt_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nu"
        "llable\":true},\"next_attempt_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
        "\"delivered_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},\"last_error\":{\""
        "type\":\"string\",\"nullable\":true},\"recipients\":{\"type\":\"array\",\"items\":{\"type\":\"string"
        "\"}},\"note\":{\"type\":\"string\"}}},\"ReportRunInput\":{\"type\":\"object\",\"additionalProperties"
        "\":false,\"properties\":{\"period\":{\"type\":\"string\"}}},"
        "\"Error\":{\"type\":\"object\",\"required\":[\"error\"],\"properties\":{\"error\":{\"type\":\"object\","
        "\"required\":[\"code\",\"message\"],\"properties\":{\"code\":{\"type\":\"string\"},\"message\":{\"type\":"
        "\"string\"},\"detail\":{\"type\":\"object\",\"properties\":{\"field\":{\"type\":\"string\"}}},\"hint\":{"
        "\"type\":\"string\"}}}}},"
        "\"Health\":{\"type\":\"object\",\"properties\":{\"status\":{\"type\":\"string\"},\"schema\":{\"type\":"
        "\"integer\"}}},"
        "\"Action\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"client\":{\"type\":\""
        "string\"},\"title\":{\"type\":\"string\"},\"owner\":{\"type\":\"string\"},\"state\":{\"type\":\"stri"
        "ng\",\"enum\":[\"open\",\"in_progress\",\"done\",\"dropped\"]},\"agreed_on\":{\"type\":\"string\",\""
        "format\":\"date\"},\"due_on\":{\"type\":\"string\",\"format\":\"date\"},\"closed_on\":{\"type\":\"st"
        "ring\",\"format\":\"date\",\"nullable\":true},\"finding\":{\"type\":\"string\",\"nullable\":true},\""
        "version\":{\"type\":\"integer\"},\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"upd"
        "ated_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"ActionInput\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"title\":{\"typ"
        "e\":\"string\",\"maxLength\":300},\"owner\":{\"type\":\"string\",\"maxLength\":200},\"state\":{\"typ"
        "e\":\"string\",\"enum\":[\"open\",\"in_progress\",\"done\",\"dropped\"]},\"agreed_on\":{\"type\":\"s"
        "tring\",\"format\":\"date\"},\"due_on\":{\"type\":\"string\",\"format\":\"date\"},\"closed_on\":{\"t"
        "ype\":\"string\",\"format\":\"date\",\"nullable\":true},\"finding\":{\"type\":\"string\",\"nullable\""
        ":true}}},"
        "\"Contract\":{\"type\":\"object\",\"required\":[\"monthly_fee\",\"valid_from\"],\"additionalProperti"
        "es\":false,\"properties\":{\"currency\":{\"type\":\"string\",\"pattern\":\"^[A-Z]{3}$\"},\"monthly_f"
        "ee\":{\"type\":\"string\",\"pattern\":\"^[0-9]+(\\\\.[0-9]{1,2})?$\"},\"included_tickets\":{\"type\""
        ":\"integer\",\"minimum\":0},\"price_per_ticket\":{\"type\":\"string\",\"pattern\":\"^[0-9]+(\\\\.[0-"
        "9]{1,2})?$\"},\"sla_target\":{\"type\":\"number\",\"nullable\":true},\"penalty_per_point\":{\"type\""
        ":\"string\",\"pattern\":\"^[0-9]+(\\\\.[0-9]{1,2})?$\"},\"valid_from\":{\"type\":\"string\",\"format"
        "\":\"date\"},\"valid_to\":{\"type\":\"string\",\"format\":\"date\",\"nullable\":true}}},"
        "\"ContractSet\":{\"type\":\"object\",\"properties\":{\"client\":{\"type\":\"string\"},\"contract\":{"
        "\"$ref\":\"#/components/schemas/Contract\"},\"version\":{\"type\":\"integer\"},\"updated_at\":{\"typ"
        "e\":\"string\",\"format\":\"date-time\",\"nullable\":true},\"updated_by\":{\"type\":\"string\",\"nul"
        "lable\":true}}},"
        "\"Vendor\":{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"},\"name\":{\"type\":"
        "\"string\"},\"clients\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"created_at\":{"
        "\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"VendorInput\":{\"type\":\"object\",\"required\":[\"code\",\"name\",\"clients\"],"
        "\"additionalProperties\":false,\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":"
        "\"^[A-Za-z0-9_-]{1,32}$\"},\"name\":{\"type\":\"string\"},\"clients\":{\"type\":\"array\","
        "\"minItems\":1,\"items\":{\"type\":\"string\"}}}},"
        "\"ApiToken\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"user\":{"
        "\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"created_at\":{\"type\":\"string\","
        "\"format\":\"date-time\"},\"expires_at\":{\"type\":\"string\",\"format\":\"date-time\","
        "\"nullable\":true},\"revoked_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true}}},"
        "\"Login\":{\"type\":\"object\",\"required\":[\"email\",\"password\"],\"additionalProperties\":false,"
        "\"properties\":{\"email\":{\"type\":\"string\"},\"password\":{\"type\":\"string\"},\"session\":{"
        "\"type\":\"boolean\",\"description\":\"true: the token goes into an HttpOnly session cookie instead "
        "of the answer, which carries csrf_token for X-CSRF-Token\"}}},"
        "\"Token\":{\"type\":\"object\",\"properties\":{\"token\":{\"type\":\"string\"},\"token_type\":{\"type\":"
        "\"string\",\"enum\":[\"Bearer\",\"Cookie\"]},\"csrf_token\":{\"type\":\"string\"},\"expires_at\":{"
        "\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"Me\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"},\"role\":{\"type\":\"string\"}}},"
        "\"Client\":{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
        "\"timezone\":{\"type\":\"string\"},\"priority_matrix\":{\"type\":\"string\",\"description\":\"9 digits: "
        "priority for impact 1-3 (rows) x urgency 1-3 (columns)\"},\"created_at\":{\"type\":\"string\",\"format\":"
        "\"date-time\"}}},"
        "\"ClientInput\":{\"type\":\"object\",\"required\":[\"code\",\"name\"],\"additionalProperties\":false,"
        "\"properties\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[A-Za-z0-9_-]{1,32}$\"},\"name\":{\"type\":"
        "\"string\"},\"timezone\":{\"type\":\"string\"},\"priority_matrix\":{\"type\":\"string\",\"pattern\":"
        "\"^[1-5]{9}$\"}}},"
        "\"User\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
        "\"role\":{\"type\":\"string\",\"enum\":[\"admin\",\"manager\",\"agent\",\"client_viewer\",\"dpo\",\"auditor\","
        "\"vendor_agent\"]},\"active\":{"
        "\"type\":\"boolean\"},\"clients\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"created_at\":{"
        "\"type\":\"string\",\"format\":\"date-time\"},\"vendor\":{\"type\":\"string\",\"nullable\":true,"
        "\"description\":\"vendor_agents only\"}}},"
        "\"UserInput\":{\"type\":\"object\",\"required\":[\"email\",\"name\",\"role\"],\"additionalProperties\":"
        "false,\"properties\":{\"email\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"role\":{\"type\":"
        "\"string\",\"enum\":[\"admin\",\"manager\",\"agent\",\"client_viewer\",\"dpo\",\"auditor\",\"vendor_agent\"]},"
        "\"password\":{\"type\":\"string\","
        "\"minLength\":10},\"clients\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},"
        "\"vendor\":{\"type\":\"string\",\"description\":\"vendor code, required for (and only for) a "
        "vendor_agent\"}}},"
        "\"Team\":{\"type\":\"object\",\"properties\":{\"code\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},"
        "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"TeamInput\":{\"type\":\"object\",\"required\":[\"code\",\"name\"],\"additionalProperties\":false,"
        "\"properties\":{\"code\":{\"type\":\"string\"},\"name\":{\"type\":\"string\"},\"members\":{\"type\":"
        "\"array\",\"items\":{\"type\":\"string\",\"description\":\"user email\"}}}},"
        "\"Requester\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"name\":{\"type\":"
        "\"string\",\"nullable\":true},\"email\":{\"type\":\"string\",\"nullable\":true},\"phone\":{\"type\":"
        "\"string\",\"nullable\":true}}},"
        "\"Ticket\":{\"type\":\"object\",\"properties\":{\"number\":{\"type\":\"string\",\"example\":\"INC0001234\"},"
        "\"client\":{\"type\":\"string\"},\"type\":{\"type\":\"string\",\"enum\":[\"incident\",\"problem\","
        "\"service_request\",\"complaint\"]},\"title\":{\"type\":\"string\"},\"description\":{\"type\":\"string\"},"
        "\"impact\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3},\"urgency\":{\"type\":\"integer\",\"minimum\":1,"
        "\"maximum\":3},\"priority\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},\"state\":{\"type\":\"string\","
        "\"enum\":[\"new\",\"assigned\",\"in_progress\",\"pending_customer\",\"pending_vendor\",\"resolved\","
        "\"closed\"]},\"category\":{\"type\":\"string\",\"nullable\":true},\"channel\":{\"type\":\"string\",\"enum\":"
        "[\"email\",\"phone\",\"web\",\"chat\",\"api\"]},\"requester\":{\"$ref\":\"#/components/schemas/Requester\"},"
        "\"team\":{\"type\":\"string\",\"nullable\":true},\"assignee\":{\"type\":\"string\",\"nullable\":true},"
        "\"vendor\":{\"type\":\"string\",\"nullable\":true,\"description\":\"vendor code: its vendor_agents see the "
        "ticket\"},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"version\":{\"type\":\"integer\"},"
        "\"reopen_count\":{\"type\":\"integer\"},\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},"
        "\"updated_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"first_response_at\":{\"type\":\"string\","
        "\"format\":\"date-time\",\"nullable\":true},\"resolved_at\":{\"type\":\"string\",\"format\":\"date-time\","
        "\"nullable\":true},\"closed_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true}}},"
        "\"TicketInput\":{\"type\":\"object\",\"required\":[\"client\",\"type\",\"title\"],\"additionalProperties\":"
        "false,\"properties\":{\"client\":{\"type\":\"string\"},\"type\":{\"type\":\"string\",\"enum\":[\"incident\","
        "\"problem\",\"service_request\",\"complaint\"]},\"title\":{\"type\":\"string\",\"maxLength\":300},"
        "\"description\":{\"type\":\"string\"},\"impact\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3,"
        "\"default\":3},\"urgency\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3,\"default\":3},\"category\":{"
        "\"type\":\"string\",\"nullable\":true},\"channel\":{\"type\":\"string\",\"default\":\"web\"},\"requester\":{"
        "\"$ref\":\"#/components/schemas/Requester\"},\"team\":{\"type\":\"string\",\"nullable\":true},\"assignee\":{"
        "\"type\":\"string\",\"nullable\":true},\"vendor\":{\"type\":\"string\",\"nullable\":true,\"description\":"
        "\"vendor code: its vendor_agents see the "
        "ticket\"},\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}},"
        "\"TicketPatch\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"title\":{\"type\":"
        "\"string\"},\"description\":{\"type\":\"string\"},\"impact\":{\"type\":\"integer\"},\"urgency\":{\"type\":"
        "\"integer\"},\"category\":{\"type\":\"string\",\"nullable\":true},\"channel\":{\"type\":\"string\"},"
        "\"requester\":{\"$ref\":\"#/components/schemas/Requester\"},\"team\":{\"type\":\"string\",\"nullable\":true},"
        "\"assignee\":{\"type\":\"string\",\"nullable\":true},\"vendor\":{\"type\":\"string\",\"nullable\":true,"
        "\"description\":\"vendor code: its vendor_agents see the "
        "ticket\"},\"tags\":{\"type\":\"array\",\"items\":{\"type\":"
        "\"string\"}},\"version\":{\"type\":\"integer\",\"description\":\"alternative to If-Match\"}}},"
        "\"Transition\":{\"type\":\"object\",\"required\":[\"state\"],\"additionalProperties\":false,\"properties\":{"
        "\"state\":{\"type\":\"string\"},\"version\":{\"type\":\"integer\"}}},"
        "\"ReplyInput\":{\"type\":\"object\",\"required\":[\"body\"],\"additionalProperties\":false,\"properties\":{"
        "\"body\":{\"type\":\"string\"},\"author_kind\":{\"type\":\"string\",\"enum\":[\"agent\",\"customer\"]},"
        "\"author_name\":{\"type\":\"string\"}}},"
        "\"NoteInput\":{\"type\":\"object\",\"required\":[\"body\"],\"additionalProperties\":false,\"properties\":{"
        "\"body\":{\"type\":\"string\"}}},"
        "\"Message\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"kind\":{\"type\":\"string\","
        "\"enum\":[\"reply\",\"note\"]},\"author_kind\":{\"type\":\"string\"},\"author_name\":{\"type\":\"string\","
        "\"nullable\":true},\"body\":{\"type\":\"string\"},\"created_at\":{\"type\":\"string\",\"format\":"
        "\"date-time\"}}},"
        "\"EffortInput\":{\"type\":\"object\",\"required\":[\"minutes\"],\"additionalProperties\":false,\"properties\":"
        "{\"minutes\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1440},\"note\":{\"type\":\"string\"},"
        "\"worked_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"Effort\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"user\":{\"type\":\"string\","
        "\"nullable\":true},\"minutes\":{\"type\":\"integer\"},\"note\":{\"type\":\"string\"},\"worked_at\":{\"type\":"
        "\"string\",\"format\":\"date-time\"},\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"LinkInput\":{\"type\":\"object\",\"required\":[\"kind\",\"target\"],\"additionalProperties\":false,"
        "\"properties\":{\"kind\":{\"type\":\"string\",\"enum\":[\"child_of\",\"caused_by\",\"duplicate_of\"]},"
        "\"target\":{\"type\":\"string\"}}},"
        "\"Link\":{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":\"string\"},\"direction\":{\"type\":"
        "\"string\",\"enum\":[\"outbound\",\"inbound\"]},\"ticket\":{\"type\":\"string\"},\"title\":{\"type\":"
        "\"string\"},\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"Holidays\":{\"type\":\"object\",\"properties\":{\"region\":{\"type\":\"string\"},\"year\":{\"type\":"
        "\"integer\"},\"lang\":{\"type\":\"string\"},\"version\":{\"type\":\"string\"},\"items\":{\"type\":\"array\","
        "\"items\":{\"type\":\"object\",\"properties\":{\"date\":{\"type\":\"string\",\"format\":\"date\"},"
        "\"name\":{\"type\":\"string\"}}}}}},"
        "\"Calendar\":{\"type\":\"object\",\"properties\":{\"client\":{\"type\":\"string\"},\"code\":{\"type\":"
        "\"string\"},\"name\":{\"type\":\"string\"},\"version\":{\"type\":\"integer\"},\"current_version\":{"
        "\"type\":\"integer\"},\"timezone\":{\"type\":\"string\"},\"hours\":{\"type\":\"string\"},\"holidays\":{"
        "\"type\":\"string\"},\"closed_days\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"open_days\":{"
        "\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"holidays_version\":{\"type\":\"string\"},"
        "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"version_created_at\":{\"type\":"
        "\"string\",\"format\":\"date-time\"},\"version_created_by\":{\"type\":\"string\",\"nullable\":true},\"retired_"
        "at\":{\"type\":"
        "\"string\",\"format\":\"date-time\",\"nullable\":true}}},"
        "\"CalendarInput\":{\"type\":\"object\",\"required\":[\"client\",\"code\",\"hours\"],"
        "\"additionalProperties\":false,\"properties\":{\"client\":{\"type\":\"string\"},\"code\":{\"type\":"
        "\"string\"},\"name\":{\"type\":\"string\"},\"timezone\":{\"type\":\"string\",\"default\":"
        "\"Europe/Berlin\"},\"hours\":{\"type\":\"string\",\"example\":\"mon-fri 08:00-17:00\"},\"holidays\":{"
        "\"type\":\"string\",\"default\":\"none\",\"example\":\"DE-NW\"},\"closed_days\":{\"type\":\"array\","
        "\"items\":{\"type\":\"string\"}},\"open_days\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}}},"
        "\"CalendarPatch\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"name\":{\"type\":"
        "\"string\"},\"timezone\":{\"type\":\"string\"},\"hours\":{\"type\":\"string\"},\"holidays\":{\"type\":"
        "\"string\"},\"closed_days\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"open_days\":{\"type\":"
        "\"array\",\"items\":{\"type\":\"string\"}},\"version\":{\"type\":\"integer\"}}},"
        "\"Elapsed\":{\"type\":\"object\",\"properties\":{\"seconds\":{\"type\":\"integer\"}}},"
        "\"Due\":{\"type\":\"object\",\"properties\":{\"due\":{\"type\":\"string\",\"description\":"
        "\"local time with the zone's offset\"},\"due_utc\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"StaffingInput\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"channel\":{"
        "\"type\":\"string\",\"enum\":[\"voice\",\"deferred\"],\"default\":\"voice\"},\"calls\":{\"type\":\"number\"},"
        "\"contacts\":{\"type\":\"number\"},\"interval\":{\"type\":\"number\",\"description\":\"seconds\"},\"aht\":{"
        "\"type\":\"number\",\"description\":\"seconds\"},\"target\":{\"type\":\"number\"},\"answer_time\":{\"type\":"
        "\"number\"},\"max_asa\":{\"type\":\"number\"},\"patience\":{\"type\":\"number\",\"description\":\"mean "
        "patience in seconds: selects Erlang A\"},\"max_abandon\":{\"type\":\"number\"},\"response_time\":{\"type\":"
        "\"number\"},\"max_occupancy\":{\"type\":\"number\"},\"shrinkage\":{\"type\":\"number\"},\"min_agents\":{"
        "\"type\":\"integer\"},\"intervals\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}}},"
        "\"StaffingResult\":{\"type\":\"object\",\"properties\":{\"load\":{\"type\":\"number\"},\"agents\":{\"type\":"
        "\"integer\"},\"scheduled\":{\"type\":\"integer\"},\"service_level\":{\"type\":\"number\"},\"prob_wait\":{"
        "\"type\":\"number\"},\"asa\":{\"type\":\"number\"},\"occupancy\":{\"type\":\"number\"},\"prob_abandon\":{"
        "\"type\":\"number\"},\"intervals\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}}},"
        "\"ShiftPlanInput\":{\"type\":\"object\",\"required\":[\"from\",\"days\",\"requirements\","
        "\"templates\",\"agents\"],\"additionalProperties\":false,\"properties\":{\"from\":{\"type\":"
        "\"string\",\"format\":\"date\"},\"days\":{\"type\":\"integer\"},\"tz\":{\"type\":\"string\"},"
        "\"interval\":{\"type\":\"integer\",\"description\":\"seconds\"},\"time_limit\":{\"type\":"
        "\"number\",\"description\":\"seconds, at most 20\"},\"solver\":{\"type\":\"string\",\"enum\":["
        "\"cbc\",\"greedy\"]},\"requirements\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"templates\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},\"agents\":{\"type\":"
        "\"array\",\"items\":{\"type\":\"object\"}}}},"
        "\"ShiftPlan\":{\"type\":\"object\",\"properties\":{\"solver\":{\"type\":\"object\"},\"cost\":{"
        "\"type\":\"number\"},\"summary\":{\"type\":\"object\"},\"shifts\":{\"type\":\"array\",\"items\":{"
        "\"type\":\"object\"}},\"roster\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},"
        "\"coverage\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}},\"violations\":{\"type\":"
        "\"array\",\"items\":{\"type\":\"object\"}}}},"
        "\"SlaPolicy\":{\"type\":\"object\",\"properties\":{\"client\":{\"type\":\"string\"},\"code\":{\"type\":"
        "\"string\"},\"name\":{\"type\":\"string\"},\"order\":{\"type\":\"integer\",\"description\":\"the "
        "definition's order: the lower wins\"},\"version\":{\"type\":\"integer\"},\"current_version\":{\"type\":"
        "\"integer\"},\"definition\":{\"type\":\"object\",\"description\":\"the policy JSON of docs/sla.md\"},"
        "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"version_created_at\":{\"type\":"
        "\"string\",\"format\":\"date-time\"},\"version_created_by\":{\"type\":\"string\",\"nullable\":true}}},"
        "\"SlaPolicyInput\":{\"type\":\"object\",\"required\":[\"client\",\"code\",\"definition\"],"
        "\"additionalProperties\":false,\"properties\":{\"client\":{\"type\":\"string\"},\"code\":{\"type\":"
        "\"string\"},\"name\":{\"type\":\"string\"},\"definition\":{\"type\":\"object\",\"description\":\"the "
        "policy JSON of docs/sla.md without name and version\"}}},"
        "\"SlaPolicyPatch\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"name\":{\"type\":"
        "\"string\"},\"definition\":{\"type\":\"object\"},\"version\":{\"type\":\"integer\"}}},"
        "\"TicketSla\":{\"type\":\"object\",\"properties\":{\"ticket\":{\"type\":\"string\"},\"at\":{\"type\":"
        "\"string\",\"format\":\"date-time\"},\"state\":{\"type\":\"string\"},\"priority\":{\"type\":\"string\","
        "\"nullable\":true},\"policy\":{\"type\":\"object\",\"nullable\":true},\"no_policy\":{\"type\":\"string\","
        "\"nullable\":true},\"targets\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
        "\"kind\":{\"type\":\"string\"},\"priority\":{\"type\":\"string\"},\"state\":{\"type\":\"string\"},"
        "\"policy\":{\"type\":\"object\"},\"time\":{\"type\":\"string\"},\"target_seconds\":{\"type\":\"integer\"},"
        "\"started_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"stopped_at\":{\"type\":\"string\","
        "\"format\":\"date-time\",\"nullable\":true},\"due\":{\"type\":\"string\",\"format\":\"date-time\","
        "\"nullable\":true},\"breached_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},"
        "\"business_seconds\":{\"type\":\"integer\"},\"remaining_seconds\":{\"type\":\"integer\"},\"warnings\":{"
        "\"type\":\"array\",\"items\":{\"type\":\"object\"}}}}},\"ledger\":{\"type\":\"array\",\"items\":{\"type\":"
        "\"object\",\"properties\":{\"from\":{\"type\":\"string\",\"format\":\"date-time\"},\"to\":{\"type\":"
        "\"string\",\"format\":\"date-time\"},\"kind\":{\"type\":\"string\"},\"business_seconds\":{\"type\":"
        "\"integer\"},\"priority\":{\"type\":\"string\",\"nullable\":true},\"policy\":{\"type\":\"object\","
        "\"nullable\":true}}}},\"next_deadline\":{\"type\":\"object\",\"nullable\":true,\"properties\":{\"at\":{"
        "\"type\":\"string\",\"format\":\"date-time\"},\"kind\":{\"type\":\"string\"},\"target\":{\"type\":"
        "\"string\"},\"target_index\":{\"type\":\"integer\"}}}}},"
        "\"Forecast\":{\"type\":\"object\",\"description\":\"definitions in docs/wfm.md\",\"properties\":{\"c"
        "lient\":{\"type\":\"string\"},\"source\":{\"type\":\"string\",\"enum\":[\"calls\",\"tickets\"]},\"ti"
        "mezone\":{\"type\":\"string\"},\"region\":{\"type\":\"string\"},\"interval_seconds\":{\"type\":\"int"
        "eger\"},\"history\":{\"type\":\"object\",\"properties\":{\"first\":{\"type\":\"string\",\"format\":"
        "\"date\"},\"last\":{\"type\":\"string\",\"format\":\"date\"},\"days\":{\"type\":\"integer\"}}},\"mod"
        "el\":{\"type\":\"object\",\"description\":\"fitted Holt-Winters: seasonality, alpha, beta, gamma, le"
        "vel, trend, season (mon..sun), rmse, holiday_factor (null: holidays forecast as Sundays), bridge_fac"
        "tor\"},\"backtest\":{\"type\":\"object\",\"properties\":{\"weeks\":{\"type\":\"integer\"},\"wape\":{"
        "\"type\":\"number\",\"nullable\":true},\"bias\":{\"type\":\"number\",\"nullable\":true},\"daily_wape"
        "\":{\"type\":\"number\",\"nullable\":true},\"actual\":{\"type\":\"number\"},\"forecast\":{\"type\":"
        "\"number\"},\"days\":{\"type\":\"array\",\"items\":{\"type\":\"object\"}}}},\"peaks\":{\"type\":\"ar"
        "ray\",\"items\":{\"type\":\"object\"}},\"days\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"properties\":{\"date\":{\"type\":\"string\",\"format\":\"date\"},\"total\":{\"type\":\"number\"},"
        "\"special\":{\"type\":\"string\",\"nullable\":true,\"enum\":[\"holiday\",\"bridge\",\"peak\"]}}}},\""
        "intervals\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"start\":{\"type\":"
        "\"string\",\"description\":\"local start with offset\"},\"volume\":{\"type\":\"number\"}}}}}},"
        "\"Kpis\":{\"type\":\"object\",\"description\":\"definitions in docs/kpi.md; rates are fractions, "
        "null when the denominator is zero\",\"properties\":{\"tickets\":{\"type\":\"integer\"},\"reopen_rate\":{"
        "\"type\":\"number\",\"nullable\":true},\"sla_compliance\":{\"type\":\"number\",\"nullable\":true},"
        "\"resolution_hours\":{\"type\":\"object\"},\"reassigned_share\":{\"type\":\"number\",\"nullable\":true},"
        "\"reassignments_mean\":{\"type\":\"number\",\"nullable\":true},\"groups\":{\"type\":\"array\","
        "\"items\":{\"type\":\"object\"}},\"calls\":{\"type\":\"object\",\"description\":\"call KPIs "
        "(offered, answered, abandoned, abandonment_rate, service_level, aht_seconds, ...), only when the "
        "client has ACD intervals\"}}},"
        "\"Findings\":{\"type\":\"object\",\"description\":\"baseline findings, best first by "
        "value_hours_per_month; definitions in docs/kpi.md\",\"properties\":{\"client\":{\"type\":"
        "\"string\"},\"period\":{\"type\":\"object\"},\"tickets\":{\"type\":\"integer\"},\"sla_variant\":{"
        "\"type\":\"string\"},\"findings\":{\"type\":\"array\",\"items\":{\"type\":\"object\","
        "\"properties\":{\"kind\":{\"type\":\"string\",\"enum\":[\"arrival_peaks\",\"sla_hotspot\","
        "\"reassignment_pingpong\",\"problem_candidate\",\"pareto_volume\",\"pareto_effort\"]},\"title\":{"
        "\"type\":\"string\"},\"title_de\":{\"type\":\"string\"},\"value_hours_per_month\":{\"type\":"
        "\"number\",\"nullable\":true},\"evidence\":{\"type\":\"object\"}}}},\"omitted\":{\"type\":"
        "\"object\"},\"hour_of_week\":{\"type\":\"object\"}}},"
        "\"Escalation\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"ticket\":{\"type"
        "\":\"string\"},\"target\":{\"type\":\"string\"},\"priority\":{\"type\":\"string\"},\"level\":{\"type"
        "\":\"integer\"},\"action\":{\"type\":\"string\"},\"owner\":{\"type\":\"string\"},\"climbed\":{\"type"
        "\":\"boolean\"},\"due_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"fired_at\":{\"type\":\"s"
        "tring\",\"format\":\"date-time\"},\"ack_within_seconds\":{\"type\":\"integer\",\"nullable\":true},\""
        "acked_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":true},\"acked_by\":{\"type\":"
        "\"string\",\"nullable\":true}}},\"AtRisk\":{\"type\":\"object\",\"properties\":{\"at\":{\"type\":\"s"
        "tring\",\"format\":\"date-time\"},\"until\":{\"type\":\"string\",\"format\":\"date-time\"},\"items\""
        ":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"description\":\"a target as in TicketSla plus "
        "ticket, client, title, ticket_state, team, assignee, seconds_until_due\"}},\"next\":{\"type\":\"stri"
        "ng\",\"nullable\":true}}},\"Webhook\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"intege"
        "r\"},\"client\":{\"type\":\"string\"},\"url\":{\"type\":\"string\"},\"events\":{\"type\":\"array\","
        "\"items\":{\"type\":\"string\"}},\"format\":{\"type\":\"string\",\"enum\":[\"json\",\"slack\",\"team"
        "s\"]},\"lang\":{\"type\":\"string\",\"enum\":[\"en\",\"de\"]},\"active\":{\"type\":\"boolean\"},\"ve"
        "rsion\":{\"type\":\"integer\"},\"secret\":{\"type\":\"string\",\"description\":\"only in the answer "
        "to a create, or to a change that sets it\"},\"secret_set\":{\"type\":\"boolean\"},\"created_at\":{\""
        "type\":\"string\",\"format\":\"date-time\"},\"updated_at\":{\"type\":\"string\",\"format\":\"date-ti"
        "me\"}}},\"WebhookInput\":{\"type\":\"object\",\"required\":[\"client\",\"url\",\"events\"],\"additio"
        "nalProperties\":false,\"properties\":{\"client\":{\"type\":\"string\"},\"url\":{\"type\":\"string\"}"
        ",\"events\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"sla.warning, sla.b"
        "reach, sla.escalation, ticket.created, ticket.state, ticket.reply, ticket.assigned, ticket.priority;"
        " sla.*, ticket.*, *\"},\"format\":{\"type\":\"string\",\"enum\":[\"json\",\"slack\",\"teams\"]},\"la"
        "ng\":{\"type\":\"string\",\"enum\":[\"en\",\"de\"]},\"secret\":{\"type\":\"string\",\"description\":"
        "\"16-256 bytes; made up when absent\"},\"active\":{\"type\":\"boolean\"}}},\"WebhookPatch\":{\"type"
        "\":\"object\",\"additionalProperties\":false,\"properties\":{\"url\":{\"type\":\"string\"},\"events"
        "\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"format\":{\"type\":\"string\"},\"lang\":{"
        "\"type\":\"string\"},\"secret\":{\"type\":\"string\"},\"active\":{\"type\":\"boolean\"},\"version\":"
        "{\"type\":\"integer\"}}},\"Deleted\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer"
        "\"},\"deleted\":{\"type\":\"boolean\"}}},\"Delivery\":{\"type\":\"object\",\"properties\":{\"id\":{"
        "\"type\":\"integer\"},\"event_id\":{\"type\":\"integer\"},\"event\":{\"type\":\"string\"},\"state\":"
        "{\"type\":\"string\",\"enum\":[\"pending\",\"delivered\",\"failed\"]},\"attempts\":{\"type\":\"integ"
        "er\"},\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"first_attempt_at\":{\"type\":"
        "\"string\",\"format\":\"date-time\",\"nullable\":true},\"last_attempt_at\":{\"type\":\"string\",\"fo"
        "rmat\":\"date-time\",\"nullable\":true},\"next_attempt_at\":{\"type\":\"string\",\"format\":\"date-t"
        "ime\",\"nullable\":true},\"delivered_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\""
        ":true},\"last_status\":{\"type\":\"integer\",\"nullable\":true},\"last_error\":{\"type\":\"string\","
        "\"nullable\":true},\"last_response\":{\"type\":\"string\",\"nullable\":true},\"payload\":{\"type\":"
        "\"object\"}}},"
        "\"EscalationAck\":{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"note\":{\"type\":"
        "\"string\"}}},"
        "\"ImportJob\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"client\":{\"type\":"
        "\"string\"},"
        "\"source\":{\"type\":\"string\"},\"state\":{\"type\":\"string\",\"enum\":[\"queued\",\"running\",\"done\","
        "\"failed\"]},"
        "\"options\":{\"type\":\"object\"},\"bytes\":{\"type\":\"integer\"},\"rows_read\":{\"type\":\"integer\","
        "\"nullable\":true},"
        "\"result\":{\"type\":\"object\",\"nullable\":true},\"error\":{\"type\":\"object\",\"nullable\":true},"
        "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"}}},"
        "\"AuditEntry\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"at\":{\"type\":"
        "\"string\",\"format\":\"date-time\"},\"at_unix\":{\"type\":\"integer\"},\"actor_id\":{\"type\":\"integer\","
        "\"nullable\":true},\"actor\":{\"type\":\"string\"},\"kind\":{\"type\":\"string\",\"enum\":[\"api_write\","
        "\"login\",\"login_failed\",\"permission_change\",\"personal_data_read\",\"login_locked\",\"privacy\"]},"
        "\"client_id\":{\"type\":\"integer\",\"nullable\":true},\"subject\":{\"type\":\"string\"},"
        "\"detail\":{\"type\":\"object\"},\"detail_text\":{\"type\":\"string\"},\"prev_hash\":{\"type\":\"string\"},"
        "\"hash\":{\"type\":\"string\"}}},"
        "\"Person\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"client\":{\"type\":"
        "\"string\"},\"pseudonym\":{\"type\":\"string\"},\"name\":{\"type\":\"string\",\"nullable\":true},"
        "\"email\":{\"type\":\"string\",\"nullable\":true},\"phone\":{\"type\":\"string\",\"nullable\":true},"
        "\"company\":{\"type\":\"string\",\"nullable\":true},\"version\":{\"type\":\"integer\"},"
        "\"created_at\":{\"type\":\"string\",\"format\":\"date-time\"},\"updated_at\":{\"type\":\"string\","
        "\"format\":\"date-time\"},\"erased_at\":{\"type\":\"string\",\"format\":\"date-time\",\"nullable\":"
        "true},\"shredded\":{\"type\":\"boolean\"},\"tickets\":{\"type\":\"array\",\"items\":{\"type\":"
        "\"string\"}}}},"
        "\"PersonPatch\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"nullable\":true},"
        "\"email\":{\"type\":\"string\",\"nullable\":true},\"phone\":{\"type\":\"string\",\"nullable\":true},"
        "\"company\":{\"type\":\"string\",\"nullable\":true}}},"
        "\"ErasureInput\":{\"type\":\"object\",\"properties\":{\"request\":{\"type\":\"integer\"}}},"
        "\"Erasure\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"pseudonym\":{"
        "\"type\":\"string\"},\"tickets\":{\"type\":\"integer\"},\"replaced\":{\"type\":\"integer\"}}},"
        "\"Event\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"integer\"},\"at\":{\"type\":\"string\","
        "\"format\":\"date-time\"},\"actor_kind\":{\"type\":\"string\"},\"actor\":{\"type\":\"string\",\"nullable\":"
        "true},\"field\":{\"type\":\"string\"},\"old\":{\"type\":\"string\",\"nullable\":true},\"new\":{\"type\":"
        "\"string\",\"nullable\":true}}}"
        "}";

static json_t *ref(const char *name)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "#/components/schemas/%s", name);
	return json_pack("{s:s}", "$ref", buf);
}

static json_t *error_response(const char *desc)
{
	return json_pack("{s:s,s:{s:{s:o}}}", "description", desc, "content", "application/json", "schema",
	                 ref("Error"));
}

static json_t *operation(const struct route *r)
{
	json_t *op = json_object();
	json_object_set_new(op, "summary", json_string(r->summary));
	json_object_set_new(op, "tags", json_pack("[s]", r->tag));
	char opid[160];
	snprintf(opid, sizeof(opid), "%s %s", r->method, r->pattern);
	json_object_set_new(op, "operationId", json_string(opid));
	json_t *params = json_array();
	for (const char *p = strchr(r->pattern, '{'); p; p = strchr(p + 1, '{')) {
		const char *e = strchr(p, '}');
		char name[64];
		snprintf(name, sizeof(name), "%.*s", (int)(e - p - 1), p + 1);
		json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", name, "in", "path", "required",
		                                        1, "schema", "type", "string"));
	}
	for (const char *const *q = r->query; q && *q; q++)
		json_array_append_new(
		        params,
		        json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", *q, "in", "query", "required", 0, "schema", "type",
		                  strcmp(*q, "limit") == 0 || strcmp(*q, "priority") == 0 ? "integer" : "string"));
	if (strcmp(r->method, "PATCH") == 0 || strstr(r->pattern, "/transition"))
		json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:s,s:{s:s}}", "name", "If-Match", "in", "header",
		                                        "required", strcmp(r->method, "PATCH") == 0, "description",
		                                        "the ticket version the change is based on, e.g. \"3\"",
		                                        "schema", "type", "string"));
	if (json_array_size(params))
		json_object_set_new(op, "parameters", params);
	else
		json_decref(params);
	if (r->request_schema)
		json_object_set_new(op, "requestBody",
		                    json_pack("{s:b,s:{s:{s:o}}}", "required", 1, "content", "application/json",
		                              "schema", ref(r->request_schema)));
	json_t *responses = json_object();
	char code[8];
	snprintf(code, sizeof(code), "%u", r->ok_status);
	json_t *okschema = NULL;
	if (r->response_schema && r->response_is_list)
		okschema =
		        json_pack("{s:s,s:{s:{s:s,s:o},s:{s:s,s:b}}}", "type", "object", "properties", "items", "type",
		                  "array", "items", ref(r->response_schema), "next", "type", "string", "nullable", 1);
	else if (r->response_schema)
		okschema = ref(r->response_schema);
	if (okschema)
		json_object_set_new(responses, code,
		                    json_pack("{s:s,s:{s:{s:o}}}", "description", "success", "content",
		                              strcmp(r->pattern, "/metrics") == 0 ? "text/plain" : "application/json",
		                              "schema", okschema));
	else
		json_object_set_new(responses, code, json_pack("{s:s}", "description", "success"));
	if (r->request_schema || r->query)
		json_object_set_new(responses, "400", error_response("invalid input; error.detail.field names it"));
	if (!(r->flags & ROUTE_PUBLIC)) {
		json_object_set_new(responses, "401", error_response("missing, unknown or expired token"));
		json_object_set_new(responses, "403", error_response("the role does not allow this"));
		json_object_set_new(op, "security", json_pack("[{s:[]}]", "bearer"));
		/* who may call it, from the same permission table the router checks */
		json_t *roles = json_array();
		for (int k = 0; k < _USER_ROLE_MAX; k++)
			if ((role_permissions((enum user_role)k) & r->perm) == r->perm)
				json_array_append_new(roles, json_string(user_role_to_string((enum user_role)k)));
		json_object_set_new(op, "x-roles", roles);
		if (r->flags & ROUTE_PERSONAL)
			json_object_set_new(op, "x-audited", json_string("personal_data_read"));
	} else {
		json_object_set_new(op, "security", json_array());
	}
	if (strchr(r->pattern, '{'))
		json_object_set_new(responses, "404", error_response("not found or not visible to the caller"));
	if (strcmp(r->method, "PATCH") == 0) {
		json_object_set_new(responses, "412", error_response("If-Match names a stale version"));
		json_object_set_new(responses, "428", error_response("If-Match is missing"));
	}
	if (r->flags & ROUTE_BODY)
		json_object_set_new(responses, "413", error_response("body too large"));
	json_object_set_new(op, "responses", responses);
	return op;
}

json_t *openapi_document(void)
{
	json_t *paths = json_object();
	for (unsigned i = 0; i < routes_count; i++) {
		json_t *item = json_object_get(paths, routes[i].pattern);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, routes[i].pattern, item);
		}
		char method[16];
		snprintf(method, sizeof(method), "%s", routes[i].method);
		for (char *c = method; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c + 32);
		json_object_set_new(item, method, operation(&routes[i]));
	}
	json_t *codes = json_array();
	const char *meaning;
	int status;
	for (unsigned i = 0; err_catalogue_code(i, &status, &meaning); i++)
		json_array_append_new(codes, json_pack("{s:s,s:i,s:s}", "code", err_catalogue_code(i, NULL, NULL),
		                                       "status", status, "meaning", meaning));
	json_t *doc = json_pack(
	        "{s:s,s:{s:s,s:s,s:s},s:[{s:s}],s:o,s:{s:o,s:{s:{s:s,s:s}}},s:o}", "openapi", "3.0.3", "info", "title",
	        "Leitstand API", "version", "1", "description",
	        "Service management for external service managers. Errors are {\"error\":{\"code\",\"message\","
	        "\"detail\",\"hint\"}}; x-error-codes lists every code.",
	        "servers", "url", "/", "paths", paths, "components", "schemas", json_loads(schemas, 0, NULL),
	        "securitySchemes", "bearer", "type", "http", "scheme", "bearer", "x-error-codes", codes);
	return doc;
}
