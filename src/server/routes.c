/* The route table: every endpoint, its permission, parameters and docs. Room:
 * server. The router, the OpenAPI document and the API tests all read this one
 * table; an endpoint that is not here does not exist. Literal paths come before
 * patterns with captures that could also match them. */
#include "server/router.h"

#include "model/directory.h"
#include "server/api.h"

static const char *const q_list[] = {"client",    "state",         "type", "priority", "team",   "assignee",
                                     "requester", "updated_since", "q",    "limit",    "cursor", NULL};

static const char *const q_client[] = {"client", NULL};
static const char *const q_persons[] = {"client", "email", NULL};
static const char *const q_consents[] = {"client", "purpose", "state", "limit", "cursor", NULL};
static const char *const q_dsr[] = {"client", "state", "kind", "overdue", "person", "limit", "cursor", NULL};
static const char *const q_kpis[] = {"client", "from", "to", "by", "group", "tz", "calendar", NULL};
static const char *const q_forecast[] = {"client", "from", "days",           "interval", "tz", "region",
                                         "source", "peak", "backtest_weeks", "model",    NULL};
static const char *const q_findings[] = {"client", "from", "to", "tz", NULL};
static const char *const q_version[] = {"version", NULL};
static const char *const q_at[] = {"at", NULL};
static const char *const q_holidays[] = {"region", "year", "lang", NULL};
static const char *const q_elapsed[] = {"from", "to", "version", NULL};
static const char *const q_due[] = {"from", "seconds", "version", NULL};
static const char *const q_at_risk[] = {"within", "client", "limit", NULL};
static const char *const q_page[] = {"limit", "cursor", NULL};
static const char *const q_privacy_page[] = {"client", "limit", "cursor", NULL};
static const char *const q_privacy_doc[] = {"format", "lang", NULL};
static const char *const q_audit[] = {"client", "actor", "kind", "from", "to", "limit", "cursor", NULL};
static const char *const q_import[] = {"client", "source", "tz", "mapping", "interval", "max_errors", "events", NULL};

#define R PERM_TICKET_READ
#define W (PERM_TICKET_READ | PERM_TICKET_WRITE)

const struct route routes[] = {
        {"GET", "/healthz", api_healthz, 0, ROUTE_PUBLIC, 200, "operations", "Liveness and schema version", NULL, NULL,
         "Health"},
        {"GET", "/metrics", api_metrics, 0, ROUTE_PUBLIC, 200, "operations",
         "Prometheus metrics: requests and errors per route and code, latency histograms"},
        {"GET", "/api/v1/openapi.json", api_openapi, 0, ROUTE_PUBLIC, 200, "operations",
         "This API's OpenAPI 3 document"},
        {"POST", "/api/v1/auth/login", api_login, 0, ROUTE_PUBLIC | ROUTE_SLOW | ROUTE_BODY, 200, "auth",
         "Exchange email and password for an API token valid for 12 hours", NULL, "Login", "Token"},
        {"GET", "/api/v1/me", api_me, 0, 0, 200, "auth", "The caller's identity and role", NULL, NULL, "Me"},
        {"POST", "/api/v1/auth/logout", api_logout, 0, 0, 200, "auth",
         "Revoke the token the request is authenticated with (a session cookie is cleared too)", NULL, NULL,
         "ApiToken"},
        {"GET", "/api/v1/auth/tokens", api_tokens_list, 0, 0, 200, "auth",
         "The caller's API tokens, newest first, never the tokens themselves (admin: everybody's)", NULL, NULL,
         "ApiToken", true},
        {"DELETE", "/api/v1/auth/tokens/{id}", api_tokens_revoke, 0, 0, 200, "auth",
         "Revoke one of the caller's tokens (admin: anybody's); it stops working at once", NULL, NULL, "ApiToken"},
        {"GET", "/api/v1/audit", api_audit_list, PERM_AUDIT_READ, 0, 200, "audit",
         "Audit log entries the caller may read, newest first, with their chain hashes (admin, auditor, dpo; "
         "docs/privacy.md)",
         q_audit, NULL, "AuditEntry", true},

        {"GET", "/api/v1/persons", api_persons_find, PERM_PRIVACY_READ, ROUTE_PERSONAL, 200, "privacy",
         "The persons (requesters) with ?email= in the visible clients, or in ?client= only (admin, dpo, auditor)",
         q_persons, NULL, "Person", true},
        {"GET", "/api/v1/persons/{id}", api_persons_get, PERM_PRIVACY_READ, ROUTE_PERSONAL, 200, "privacy",
         "One person with the numbers of its tickets", NULL, NULL, "Person"},
        {"PATCH", "/api/v1/persons/{id}", api_persons_update, PERM_PRIVACY_WRITE, ROUTE_BODY, 200, "privacy",
         "Rectify a person (Art. 16 GDPR): every ticket of the person shows the new values; needs If-Match", NULL,
         "PersonPatch", "Person"},
        {"GET", "/api/v1/persons/{id}/export", api_persons_export, PERM_PRIVACY_READ, ROUTE_SLOW, 200, "privacy",
         "Everything stored about a person as a ZIP of JSON and CSV files, with who read their data (Art. 15/20)", NULL,
         NULL, NULL},
        {"POST", "/api/v1/persons/{id}/erase", api_persons_erase, PERM_PRIVACY_WRITE, ROUTE_BODY, 200, "privacy",
         "Erase a person (Art. 17): their data is replaced by the pseudonym everywhere; tickets and KPIs stay "
         "(body optional: {\"request\": N} closes that register entry)",
         NULL, "ErasureInput", "Erasure"},
        {"POST", "/api/v1/persons/{id}/consents", api_person_consents_create, PERM_TICKET_WRITE, ROUTE_BODY, 201,
         "privacy",
         "Record a consent the person gave (Art. 7 GDPR): purpose, channel, text_version, optional wording, "
         "evidence, given_at (admin, manager, agent: a caller consents on the phone)"},
        {"GET", "/api/v1/persons/{id}/consents", api_person_consents_list, R, 0, 200, "privacy",
         "The person's consents, oldest first, each with its history (given, withdrawn)"},
        {"GET", "/api/v1/consents", api_consents_list, PERM_PRIVACY_READ, 0, 200, "privacy",
         "Consents across persons by id; ?state=given lists who may be contacted for ?purpose= now (admin, dpo, "
         "auditor)",
         q_consents},
        {"GET", "/api/v1/consents/{id}", api_consents_get, R, 0, 200, "privacy", "One consent with its history"},
        {"POST", "/api/v1/consents/{id}/withdraw", api_consents_withdraw, PERM_TICKET_WRITE, ROUTE_BODY, 200, "privacy",
         "Record the withdrawal of a consent (body: channel, optional at); withdrawing is as easy as giving "
         "(admin, manager, agent)"},
        {"POST", "/api/v1/privacy/requests", api_dsr_create, PERM_PRIVACY_WRITE, ROUTE_BODY, 201, "privacy",
         "Register a data-subject request (Art. 12 GDPR): due one calendar month after receipt (admin, dpo)"},
        {"GET", "/api/v1/privacy/requests", api_dsr_list, PERM_PRIVACY_READ, 0, 200, "privacy",
         "The request register, soonest deadline first, each with due_date, days_left and overdue (admin, dpo, "
         "auditor)",
         q_dsr},
        {"GET", "/api/v1/privacy/requests/{id}", api_dsr_get, PERM_PRIVACY_READ, 0, 200, "privacy",
         "One request with its history"},
        {"PATCH", "/api/v1/privacy/requests/{id}", api_dsr_update, PERM_PRIVACY_WRITE, ROUTE_BODY, 200, "privacy",
         "Change a request: state, person, reference, outcome, or extend once with extension_reason before the "
         "first deadline (to three months after receipt); needs If-Match"},
        {"GET", "/api/v1/privacy/retention/{client}", api_retention_get, PERM_PRIVACY_READ, 0, 200, "privacy",
         "A client's retention rules: per data kind a start event and a period (admin, dpo, auditor)"},
        {"PUT", "/api/v1/privacy/retention/{client}", api_retention_put, PERM_PRIVACY_WRITE, ROUTE_BODY, 200, "privacy",
         "Replace a client's retention rules with a new version (admin, dpo); needs If-Match once rules "
         "exist"},
        {"GET", "/api/v1/privacy/legal-holds", api_legal_holds_list, PERM_PRIVACY_READ, 0, 200, "privacy",
         "Legal holds of the visible clients, newest first (admin, dpo, auditor)", q_privacy_page, NULL, NULL, true},
        {"POST", "/api/v1/privacy/legal-holds", api_legal_holds_create, PERM_PRIVACY_WRITE, ROUTE_BODY, 201, "privacy",
         "Put a client, or one ticket or person of it, under a legal hold: retention touches nothing "
         "it covers (admin, dpo)"},
        {"POST", "/api/v1/privacy/legal-holds/{id}/release", api_legal_holds_release, PERM_PRIVACY_WRITE, ROUTE_BODY,
         200, "privacy", "End a legal hold now (admin, dpo)"},
        {"GET", "/api/v1/privacy/retention-runs", api_retention_runs, PERM_PRIVACY_READ, 0, 200, "privacy",
         "The retention log, newest first: per run and client what was done, due, waiting and held (admin, dpo, "
         "auditor)",
         q_privacy_page, NULL, NULL, true},
        {"GET", "/api/v1/privacy/processing-record/{client}", api_processing_record_get, PERM_PRIVACY_READ, 0, 200,
         "privacy",
         "A client's Art. 30 record and AVV register: what was entered and what Leitstand generates "
         "(admin, dpo, auditor)"},
        {"PUT", "/api/v1/privacy/processing-record/{client}", api_processing_record_put, PERM_PRIVACY_WRITE, ROUTE_BODY,
         200, "privacy",
         "Replace the entered part of a client's Art. 30 record (admin, dpo); needs "
         "If-Match once one exists"},
        {"GET", "/api/v1/privacy/processing-record/{client}/document", api_processing_record_document,
         PERM_PRIVACY_READ, 0, 200, "privacy",
         "The Art. 30 record as a document to hand over: ?format=html (printable), md or json, ?lang=de or en",
         q_privacy_doc},

        {"GET", "/api/v1/clients", api_clients_list, R, 0, 200, "directory", "Clients the caller may see", NULL, NULL,
         "Client", true},
        {"POST", "/api/v1/clients", api_clients_create, PERM_DIRECTORY_WRITE, ROUTE_BODY, 201, "directory",
         "Add a client company (admin)", NULL, "ClientInput", "Client"},
        {"GET", "/api/v1/clients/{code}", api_clients_get, R, 0, 200, "directory", "One client", NULL, NULL, "Client"},
        {"GET", "/api/v1/clients/{code}/actions", api_actions_list, R, 0, 200, "directory",
         "A client's action plan: the actions agreed with its steering committee, by id", NULL, NULL, "Action", true},
        {"POST", "/api/v1/clients/{code}/actions", api_actions_create, PERM_CONFIG_WRITE, ROUTE_BODY, 201, "directory",
         "Add an agreed action (admin, manager): title, owner, due_on, state, optional finding", NULL, "ActionInput",
         "Action"},
        {"PATCH", "/api/v1/clients/{code}/actions/{id}", api_actions_update, PERM_CONFIG_WRITE, ROUTE_BODY, 200,
         "directory", "Change an action (state, due date, owner, ...); needs If-Match", NULL, "ActionInput", "Action"},
        {"GET", "/api/v1/clients/{code}/contract", api_contract_get, R, 0, 200, "directory",
         "A client's service contract (fees, included tickets, SLA penalty); contract null when none is stored", NULL,
         NULL, "ContractSet"},
        {"PUT", "/api/v1/clients/{code}/contract", api_contract_put, PERM_CONFIG_WRITE, ROUTE_BODY, 200, "directory",
         "Replace a client's contract (admin, manager); needs If-Match once one exists", NULL, "Contract",
         "ContractSet"},
        {"GET", "/api/v1/users", api_users_list, PERM_USER_READ, 0, 200, "directory", "Users and their grants", NULL,
         NULL, "User", true},
        {"POST", "/api/v1/users", api_users_create, PERM_DIRECTORY_WRITE, ROUTE_BODY | ROUTE_SLOW, 201, "directory",
         "Add a user (admin)", NULL, "UserInput", "User"},
        {"GET", "/api/v1/teams", api_teams_list, PERM_DIRECTORY_READ, 0, 200, "directory", "Teams", NULL, NULL, "Team",
         true},
        {"POST", "/api/v1/teams", api_teams_create, PERM_TEAM_WRITE, ROUTE_BODY, 201, "directory",
         "Add a team (admin, manager)", NULL, "TeamInput", "Team"},
        {"GET", "/api/v1/vendors", api_vendors_list, PERM_DIRECTORY_READ, 0, 200, "directory",
         "Vendors of the visible clients, each with the visible clients it works for", NULL, NULL, "Vendor", true},
        {"POST", "/api/v1/vendors", api_vendors_create, PERM_CONFIG_WRITE, ROUTE_BODY, 201, "directory",
         "Add a vendor working for the given clients (admin, manager); its vendor_agents see exactly the "
         "tickets assigned to it",
         NULL, "VendorInput", "Vendor"},
        {"GET", "/api/v1/vendors/{code}", api_vendors_get, PERM_DIRECTORY_READ, 0, 200, "directory", "One vendor", NULL,
         NULL, "Vendor"},

        {"GET", "/api/v1/holidays", api_holidays, R, 0, 200, "calendars",
         "German public holidays of a region (DE, DE-BW … DE-TH, DE-BY-CATHOLIC, DE-BY-AUGSBURG) and year", q_holidays,
         NULL, "Holidays"},
        {"GET", "/api/v1/calendars", api_calendars_list, R, 0, 200, "calendars",
         "Business calendars of the visible clients (current versions)", q_client, NULL, "Calendar", true},
        {"POST", "/api/v1/calendars", api_calendars_create, PERM_CONFIG_WRITE, ROUTE_BODY, 201, "calendars",
         "Add a business calendar to a client (admin, manager)", NULL, "CalendarInput", "Calendar"},
        {"GET", "/api/v1/calendars/{client}/{code}", api_calendars_get, R, 0, 200, "calendars",
         "One calendar, the current version or ?version=N", q_version, NULL, "Calendar"},
        {"PATCH", "/api/v1/calendars/{client}/{code}", api_calendars_update, PERM_CONFIG_WRITE, ROUTE_BODY, 200,
         "calendars", "Change a calendar: writes a new version; needs If-Match", NULL, "CalendarPatch", "Calendar"},
        {"GET", "/api/v1/calendars/{client}/{code}/versions", api_calendars_versions, R, 0, 200, "calendars",
         "Every version of a calendar, oldest first", NULL, NULL, "Calendar", true},
        {"GET", "/api/v1/calendars/{client}/{code}/elapsed", api_calendars_elapsed, R, 0, 200, "calendars",
         "Business seconds between from and to", q_elapsed, NULL, "Elapsed"},
        {"GET", "/api/v1/calendars/{client}/{code}/due", api_calendars_due, R, 0, 200, "calendars",
         "The instant at which `seconds` of business time have passed since from", q_due, NULL, "Due"},

        {"GET", "/api/v1/sla-policies", api_sla_policies_list, R, 0, 200, "sla",
         "SLA policies of a client (current versions) in selection order; ?client= is required", q_client, NULL,
         "SlaPolicy", true},
        {"POST", "/api/v1/sla-policies", api_sla_policies_create, PERM_CONFIG_WRITE, ROUTE_BODY, 201, "sla",
         "Add an SLA policy to a client (admin, manager)", NULL, "SlaPolicyInput", "SlaPolicy"},
        {"GET", "/api/v1/sla-policies/{client}/{code}", api_sla_policies_get, R, 0, 200, "sla",
         "One SLA policy, the current version or ?version=N", q_version, NULL, "SlaPolicy"},
        {"PATCH", "/api/v1/sla-policies/{client}/{code}", api_sla_policies_update, PERM_CONFIG_WRITE, ROUTE_BODY, 200,
         "sla", "Change an SLA policy: writes a new version; needs If-Match", NULL, "SlaPolicyPatch", "SlaPolicy"},
        {"DELETE", "/api/v1/sla-policies/{client}/{code}", api_sla_policies_retire, PERM_CONFIG_WRITE, 0, 200, "sla",
         "Retire an SLA policy: no longer chosen for tickets; tickets pinned to it keep their version", NULL, NULL,
         "SlaPolicy"},

        {"GET", "/api/v1/sla/at-risk", api_sla_at_risk, R, 0, 200, "sla",
         "Running SLA targets due within ?within= (default 2h), soonest first, from the SLA timer's memory", q_at_risk,
         NULL, "AtRisk"},
        {"GET", "/api/v1/escalations/{id}", api_escalations_get, R, 0, 200, "sla", "One fired escalation level", NULL,
         NULL, "Escalation"},
        {"POST", "/api/v1/escalations/{id}/ack", api_escalations_ack, W, ROUTE_BODY, 200, "sla",
         "Acknowledge a fired escalation level (body optional: {\"note\": …}): it stops climbing to the next level",
         NULL, "EscalationAck", "Escalation"},
        {"GET", "/api/v1/webhooks", api_webhooks_list, PERM_CONFIG_WRITE, 0, 200, "webhooks",
         "Webhook subscriptions of the visible clients (admin, manager)", q_client, NULL, "Webhook", true},
        {"POST", "/api/v1/webhooks", api_webhooks_create, PERM_CONFIG_WRITE, ROUTE_BODY, 201, "webhooks",
         "Subscribe a URL to ticket and SLA events; the answer carries the signing secret, once", NULL, "WebhookInput",
         "Webhook"},
        {"GET", "/api/v1/webhooks/{id}", api_webhooks_get, PERM_CONFIG_WRITE, 0, 200, "webhooks",
         "One webhook subscription", NULL, NULL, "Webhook"},
        {"PATCH", "/api/v1/webhooks/{id}", api_webhooks_update, PERM_CONFIG_WRITE, ROUTE_BODY, 200, "webhooks",
         "Change a subscription; needs If-Match", NULL, "WebhookPatch", "Webhook"},
        {"DELETE", "/api/v1/webhooks/{id}", api_webhooks_delete, PERM_CONFIG_WRITE, 0, 200, "webhooks",
         "Remove a subscription; its pending deliveries are dropped", NULL, NULL, "Deleted"},
        {"GET", "/api/v1/webhooks/{id}/deliveries", api_webhooks_deliveries, PERM_CONFIG_WRITE, 0, 200, "webhooks",
         "The delivery log, newest first: attempts, status, error, the event", q_page, NULL, "Delivery", true},

        {"GET", "/api/v1/report-subscriptions", api_report_subs_list, PERM_CONFIG_WRITE, 0, 200, "reports",
         "Report subscriptions of the visible clients (admin, manager)", q_client, NULL, "ReportSubscription", true},
        {"POST", "/api/v1/report-subscriptions", api_report_subs_create, PERM_CONFIG_WRITE, ROUTE_BODY, 201, "reports",
         "Subscribe recipients to a client's weekly, monthly or quarterly report on a schedule", NULL,
         "ReportSubscriptionInput", "ReportSubscription"},
        {"GET", "/api/v1/report-subscriptions/{id}", api_report_subs_get, PERM_CONFIG_WRITE, 0, 200, "reports",
         "One report subscription with its next run", NULL, NULL, "ReportSubscription"},
        {"PATCH", "/api/v1/report-subscriptions/{id}", api_report_subs_update, PERM_CONFIG_WRITE, ROUTE_BODY, 200,
         "reports", "Change a report subscription; needs If-Match", NULL, "ReportSubscriptionPatch",
         "ReportSubscription"},
        {"DELETE", "/api/v1/report-subscriptions/{id}", api_report_subs_delete, PERM_CONFIG_WRITE, 0, 200, "reports",
         "Remove a report subscription; its unfinished runs fail", NULL, NULL, "Deleted"},
        {"POST", "/api/v1/report-subscriptions/{id}/run", api_report_subs_run, PERM_CONFIG_WRITE, ROUTE_BODY, 202,
         "reports",
         "Produce and deliver the report now (body optional: {\"period\": \"2026-10\"}; default the "
         "period that just ended)",
         NULL, "ReportRunInput", "ReportRun"},
        {"GET", "/api/v1/report-subscriptions/{id}/runs", api_report_subs_runs, PERM_CONFIG_WRITE, 0, 200, "reports",
         "The delivery log, newest first: period, state, attempts, last error, the report", q_page, NULL, "ReportRun",
         true},
        {"GET", "/api/v1/reports/{id}", api_reports_get, R, 0, 200, "reports",
         "Download a produced report (HTML, PDF or XLSX) as an attachment", NULL, NULL, NULL},

        {"POST", "/api/v1/imports", api_imports_submit, PERM_CONFIG_WRITE, ROUTE_UPLOAD, 202, "kpis",
         "Upload a history export (the file is the body, plain or gzip) to import as a job; ?client= and "
         "?source= (servicenow, zendesk, freshdesk, jira, csv with ?mapping=PRESET, acd) are required",
         q_import, NULL, "ImportJob"},
        {"GET", "/api/v1/imports", api_imports_list, PERM_CONFIG_WRITE, 0, 200, "kpis",
         "A client's import jobs, newest first (?client= required)", q_client, NULL, "ImportJob", true},
        {"GET", "/api/v1/imports/{id}", api_imports_get, PERM_CONFIG_WRITE, 0, 200, "kpis",
         "One import job: state, rows read so far, the summary or the error", NULL, NULL, "ImportJob"},
        {"GET", "/api/v1/kpis", api_kpis, R, 0, 200, "kpis",
         "KPIs of a client over its imported history and its tickets, as `leitstand kpi --format json` prints "
         "them",
         q_kpis, NULL, "Kpis"},
        {"GET", "/api/v1/kpi-targets/{client}", api_kpi_targets_get, R, 0, 200, "kpis",
         "A client's KPI targets with green/amber thresholds (the traffic lights of kpis and reports)"},
        {"PUT", "/api/v1/kpi-targets/{client}", api_kpi_targets_put, PERM_CONFIG_WRITE, ROUTE_BODY, 200, "kpis",
         "Replace a client's KPI targets (admin, manager); needs If-Match once targets exist"},
        {"GET", "/api/v1/findings", api_findings, R, ROUTE_SLOW, 200, "kpis",
         "Baseline findings of a client (arrival peaks, SLA hot spots, ping-pong, problem candidates, Pareto), "
         "as `leitstand analyze --format json` prints them",
         q_findings, NULL, "Findings"},
        {"GET", "/api/v1/forecast", api_forecast, R, ROUTE_SLOW, 200, "workforce",
         "Arrivals per interval for the next days from a client's history (Holt-Winters on daily totals x "
         "intraday profile, holidays, peaks) with a backtest, as `leitstand forecast --format json` prints it",
         q_forecast, NULL, "Forecast"},
        {"POST", "/api/v1/staffing", api_staffing, PERM_TICKET_READ, ROUTE_BODY, 200, "workforce",
         "Agents required for an interval (Erlang C, or Erlang A with patience; deferred work with a response "
         "window), or for consecutive intervals of one queue",
         NULL, "StaffingInput", "StaffingResult"},
        {"POST", "/api/v1/shift-plans", api_shift_plans, PERM_TICKET_READ, ROUTE_BODY | ROUTE_SLOW, 200, "workforce",
         "Cost-minimal shifts for required agents per interval, rostered to named agents under the "
         "Arbeitszeitgesetz (the inputs and output of `leitstand shifts plan`)",
         NULL, "ShiftPlanInput", "ShiftPlan"},

        {"GET", "/api/v1/tickets", api_tickets_list, R, ROUTE_PERSONAL, 200, "tickets",
         "List tickets with filters, newest first (or by update time with updated_since), cursor-paginated", q_list,
         NULL, "Ticket", true},
        {"POST", "/api/v1/tickets", api_tickets_create, W, ROUTE_BODY, 201, "tickets", "Create a ticket", NULL,
         "TicketInput", "Ticket"},
        {"GET", "/api/v1/search", api_tickets_search, R, ROUTE_PERSONAL, 200, "tickets",
         "Full-text search over title, description and public replies (q required)", q_list, NULL, "Ticket", true},
        {"GET", "/api/v1/tickets/{number}", api_tickets_get, R, ROUTE_PERSONAL, 200, "tickets",
         "One ticket; the ETag header carries its version", NULL, NULL, "Ticket"},
        {"PATCH", "/api/v1/tickets/{number}", api_tickets_update, W, ROUTE_BODY, 200, "tickets",
         "Change fields; needs If-Match with the version read (412 when stale)", NULL, "TicketPatch", "Ticket"},
        {"POST", "/api/v1/tickets/{number}/transition", api_tickets_transition, W, ROUTE_BODY, 200, "tickets",
         "Move the ticket to another state (If-Match optional)", NULL, "Transition", "Ticket"},
        {"POST", "/api/v1/tickets/{number}/replies", api_tickets_reply, W, ROUTE_BODY, 201, "tickets",
         "Add a public reply (agent, or customer on the customer's behalf)", NULL, "ReplyInput", "Message"},
        {"POST", "/api/v1/tickets/{number}/notes", api_tickets_note, W, ROUTE_BODY, 201, "tickets",
         "Add an internal note", NULL, "NoteInput", "Message"},
        {"GET", "/api/v1/tickets/{number}/messages", api_tickets_messages, R, 0, 200, "tickets",
         "Replies and notes in order (client viewers see replies only)", NULL, NULL, "Message", true},
        {"POST", "/api/v1/tickets/{number}/effort", api_tickets_effort_add, W, ROUTE_BODY, 201, "tickets",
         "Record effort in minutes", NULL, "EffortInput", "Effort"},
        {"GET", "/api/v1/tickets/{number}/effort", api_tickets_effort_list, W, 0, 200, "tickets",
         "Effort entries and their total", NULL, NULL, "Effort", true},
        {"POST", "/api/v1/tickets/{number}/links", api_tickets_link_add, W, ROUTE_BODY, 201, "tickets",
         "Link to another ticket of the same client", NULL, "LinkInput", "Link", true},
        {"GET", "/api/v1/tickets/{number}/links", api_tickets_link_list, R, 0, 200, "tickets",
         "Links from and to this ticket", NULL, NULL, "Link", true},
        {"GET", "/api/v1/tickets/{number}/history", api_tickets_history, R, 0, 200, "tickets",
         "The append-only event history", NULL, NULL, "Event", true},
        {"GET", "/api/v1/tickets/{number}/sla", api_tickets_sla, R, 0, 200, "sla",
         "The ticket's SLA as of now or ?at=: targets, ledger and the next deadline, derived from its history", q_at,
         NULL, "TicketSla"},
        {"POST", "/api/v1/tickets/{number}/sla/repair", api_tickets_sla_repair, PERM_CONFIG_WRITE, 0, 200, "sla",
         "Recompute explicitly: put the ticket on the policy version it would get now (recorded in its history "
         "as a policy change; admin, manager)",
         NULL, NULL, "TicketSla"},
};

const unsigned routes_count = sizeof(routes) / sizeof(routes[0]);
