/* Handlers, one file per resource; the route table in routes.c points at them.
 * Room: server. Each parses and validates input, calls one service, formats
 * the result; none holds a business rule. */
#pragma once
#include "server/http.h"

int api_healthz(struct request *rq);
int api_metrics(struct request *rq);
int api_openapi(struct request *rq);
int api_login(struct request *rq);
int api_me(struct request *rq);
int api_logout(struct request *rq);
int api_tokens_list(struct request *rq);
int api_tokens_revoke(struct request *rq);
int api_audit_list(struct request *rq);
int api_persons_find(struct request *rq);
int api_persons_get(struct request *rq);
int api_persons_update(struct request *rq);
int api_persons_export(struct request *rq);
int api_persons_erase(struct request *rq);
int api_person_consents_create(struct request *rq);
int api_person_consents_list(struct request *rq);
int api_consents_list(struct request *rq);
int api_consents_get(struct request *rq);
int api_consents_withdraw(struct request *rq);
int api_dsr_create(struct request *rq);
int api_dsr_list(struct request *rq);
int api_dsr_get(struct request *rq);
int api_dsr_update(struct request *rq);

int api_clients_list(struct request *rq);
int api_clients_create(struct request *rq);
int api_clients_get(struct request *rq);
int api_users_list(struct request *rq);
int api_users_create(struct request *rq);
int api_teams_list(struct request *rq);
int api_teams_create(struct request *rq);
int api_vendors_list(struct request *rq);
int api_vendors_create(struct request *rq);
int api_vendors_get(struct request *rq);

int api_holidays(struct request *rq);
int api_calendars_list(struct request *rq);
int api_calendars_create(struct request *rq);
int api_calendars_get(struct request *rq);
int api_calendars_update(struct request *rq);
int api_calendars_versions(struct request *rq);
int api_calendars_elapsed(struct request *rq);
int api_calendars_due(struct request *rq);
int api_kpi_targets_get(struct request *rq);
int api_kpi_targets_put(struct request *rq);
int api_actions_list(struct request *rq);
int api_actions_create(struct request *rq);
int api_actions_update(struct request *rq);
int api_contract_get(struct request *rq);
int api_contract_put(struct request *rq);

int api_staffing(struct request *rq);
int api_shift_plans(struct request *rq);
int api_kpis(struct request *rq);
int api_forecast(struct request *rq);
int api_findings(struct request *rq);

int api_sla_policies_list(struct request *rq);
int api_sla_policies_create(struct request *rq);
int api_sla_policies_get(struct request *rq);
int api_sla_policies_update(struct request *rq);
int api_sla_policies_retire(struct request *rq);
int api_tickets_sla(struct request *rq);
int api_sla_at_risk(struct request *rq);
int api_imports_submit(struct request *rq);
int api_imports_get(struct request *rq);
int api_imports_list(struct request *rq);
int api_tickets_sla_repair(struct request *rq);
int api_escalations_get(struct request *rq);
int api_escalations_ack(struct request *rq);
int api_webhooks_create(struct request *rq);
int api_webhooks_list(struct request *rq);
int api_webhooks_get(struct request *rq);
int api_webhooks_update(struct request *rq);
int api_webhooks_delete(struct request *rq);
int api_webhooks_deliveries(struct request *rq);
int api_report_subs_create(struct request *rq);
int api_report_subs_list(struct request *rq);
int api_report_subs_get(struct request *rq);
int api_report_subs_update(struct request *rq);
int api_report_subs_delete(struct request *rq);
int api_report_subs_run(struct request *rq);
int api_report_subs_runs(struct request *rq);
int api_reports_get(struct request *rq);

int api_tickets_list(struct request *rq);
int api_tickets_create(struct request *rq);
int api_tickets_get(struct request *rq);
int api_tickets_update(struct request *rq);
int api_tickets_transition(struct request *rq);
int api_tickets_reply(struct request *rq);
int api_tickets_note(struct request *rq);
int api_tickets_messages(struct request *rq);
int api_tickets_effort_add(struct request *rq);
int api_tickets_effort_list(struct request *rq);
int api_tickets_link_add(struct request *rq);
int api_tickets_link_list(struct request *rq);
int api_tickets_history(struct request *rq);
int api_tickets_search(struct request *rq);

int api_retention_get(struct request *rq);
int api_retention_put(struct request *rq);
int api_legal_holds_list(struct request *rq);
int api_legal_holds_create(struct request *rq);
int api_legal_holds_release(struct request *rq);
int api_retention_runs(struct request *rq);
int api_processing_record_get(struct request *rq);
int api_processing_record_put(struct request *rq);
int api_processing_record_document(struct request *rq);
