/* Demo data generator (see demo.h). Room: service.
 *
 * Everything goes through the directory and ticket services with an injected
 * clock, so the demo exercises the same rules as real use and its history is
 * consistent (first responses, reopen counts, pending periods). Arrival times
 * are drawn by rejection sampling against weekday × hour-of-day weights (local
 * time approximated as UTC+1), then sorted so that ticket numbers rise with
 * time. Steps of a ticket's life that would fall after `now` are not taken:
 * the newest tickets form a realistic open backlog. */
#include "service/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/rng.h"
#include "service/directory.h"
#include "service/sla.h"
#include "service/tickets.h"
#include "store/dirdb.h"
#include "store/store.h"

static const struct {
	const char *code, *name;
	double share;
} clients[] = {
        {"SWN", "Stadtwerke Nordhafen GmbH", 0.45},
        {"KFH", "Kaufhaus Fehrmann AG", 0.35},
        {"MBT", "Medibit Software GmbH", 0.20},
};

static const struct {
	const char *code, *name;
	unsigned agents;
} teams[] = {
        {"L1-DESK", "Service Desk (1st level)", 8},    {"L2-APPS", "Application Support (2nd level)", 5},
        {"L2-INFRA", "Infrastructure (2nd level)", 5}, {"FIELD", "Field Service", 4},
        {"CMPL", "Complaints and Escalations", 3},
};
#define N_TEAMS  (sizeof(teams) / sizeof(teams[0]))
#define N_AGENTS 25

static const char *const first_names[] = {
        "Anna",  "Jonas",  "Lea",  "Felix",   "Marie", "Lukas",  "Sophie",    "Paul",   "Laura",  "Tim",
        "Julia", "Niklas", "Lena", "Jan",     "Sarah", "David",  "Katharina", "Moritz", "Hannah", "Simon",
        "Emma",  "Tobias", "Mia",  "Florian", "Clara", "Stefan", "Nina",      "Markus", "Elif",   "Can"};
static const char *const last_names[] = {
        "Müller",     "Schmidt", "Schneider", "Fischer", "Weber",  "Meyer",    "Wagner",  "Becker",  "Schulz",
        "Hoffmann",   "Koch",    "Richter",   "Klein",   "Wolf",   "Schröder", "Neumann", "Schwarz", "Braun",
        "Zimmermann", "Krüger",  "Hartmann",  "Lange",   "Werner", "Krause",   "Yilmaz",  "Kaya",    "Nowak"};

struct topic {
	enum ticket_type type;
	const char *category;
	unsigned team; /* index into teams */
	const char *title;
	double weight;
};

static const struct topic topics[] = {
        {TICKET_TYPE_INCIDENT, "E-Mail", 0, "Outlook synchronisiert keine E-Mails mehr", 8},
        {TICKET_TYPE_INCIDENT, "Netzwerk", 2, "VPN-Verbindung bricht im Homeoffice ständig ab", 7},
        {TICKET_TYPE_INCIDENT, "ERP", 1, "SAP-Buchung von Rechnungen schlägt mit Fehler fehl", 6},
        {TICKET_TYPE_INCIDENT, "Drucker", 0, "Drucker im 2. OG druckt nur leere Seiten", 5},
        {TICKET_TYPE_INCIDENT, "Kundenportal", 1, "Kundenportal zeigt falsche Abschlagszahlung", 6},
        {TICKET_TYPE_INCIDENT, "Kasse", 2, "Kassensystem Filiale startet nicht", 4},
        {TICKET_TYPE_INCIDENT, "Zähler", 3, "Smart Meter sendet keine Messwerte", 4},
        {TICKET_TYPE_INCIDENT, "Telefonie", 2, "Telefonanlage: Anrufe brechen nach 30 Sekunden ab", 3},
        {TICKET_TYPE_INCIDENT, "Arbeitsplatz", 0, "Laptop startet nach Update nicht mehr", 6},
        {TICKET_TYPE_SERVICE_REQUEST, "Zugang", 0, "Neuer Mitarbeiter benötigt Zugang zu Laufwerken", 9},
        {TICKET_TYPE_SERVICE_REQUEST, "Passwort", 0, "Passwort zurücksetzen", 10},
        {TICKET_TYPE_SERVICE_REQUEST, "Hardware", 3, "Bitte zweiten Monitor am Arbeitsplatz installieren", 4},
        {TICKET_TYPE_SERVICE_REQUEST, "Zähler", 3, "Zählerwechsel beim Kunden terminieren", 5},
        {TICKET_TYPE_SERVICE_REQUEST, "Software", 1, "Installation einer Software-Lizenz", 4},
        {TICKET_TYPE_COMPLAINT, "Abrechnung", 4, "Beschwerde über doppelt abgebuchten Betrag", 3},
        {TICKET_TYPE_COMPLAINT, "Service", 4, "Beschwerde: Techniker kam nicht zum vereinbarten Termin", 2},
        {TICKET_TYPE_COMPLAINT, "Lieferung", 4, "Beschwerde über verspätete Lieferung", 2},
        {TICKET_TYPE_PROBLEM, "ERP", 1, "Wiederkehrende Buchungsfehler in SAP nach Patch", 1},
        {TICKET_TYPE_PROBLEM, "Netzwerk", 2, "Sporadische VPN-Abbrüche an mehreren Standorten", 1},
};
#define N_TOPICS (sizeof(topics) / sizeof(topics[0]))

static const double weekday_w[7] = {1.25, 1.15, 1.10, 1.05, 0.95, 0.30, 0.20}; /* Mon..Sun */
static const double hour_w[24] = {0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.30, 0.80, 1.40, 1.60, 1.55, 1.30,
                                  0.95, 1.20, 1.40, 1.30, 1.10, 0.80, 0.50, 0.35, 0.25, 0.18, 0.12, 0.08};

struct agent {
	int64_t id;
	const char *email;
	unsigned team;
	struct actor actor;
};

struct demo {
	struct svc *s;
	struct rng rng;
	struct agent agents[N_AGENTS];
	unsigned n_agents;
	int64_t client_ids[3];
	const struct actor *system_actor;
	ls_time now;
	struct demo_result *res;
	/* the newest problem per client and category family, for caused_by links */
	char problem_number[3][2][24];
};

static int cmp_time(const void *a, const void *b)
{
	ls_time x = *(const ls_time *)a, y = *(const ls_time *)b;
	return x < y ? -1 : x > y;
}

static const struct agent *pick_agent(struct demo *d, unsigned team)
{
	unsigned candidates[N_AGENTS], n = 0;
	for (unsigned i = 0; i < d->n_agents; i++)
		if (d->agents[i].team == team)
			candidates[n++] = i;
	return &d->agents[candidates[rng_below(&d->rng, n)]];
}

static ls_time sample_arrival(struct demo *d, ls_time start, ls_time end)
{
	for (;;) {
		ls_time t = start + (ls_time)rng_below(&d->rng, (uint64_t)(end - start));
		ls_time local = t + 3600;
		int64_t days = local / 86400;
		unsigned weekday = (unsigned)((days + 3) % 7); /* 1970-01-01 was a Thursday */
		unsigned hour = (unsigned)(local % 86400 / 3600);
		double w = weekday_w[weekday] * hour_w[hour];
		if (rng_unit(&d->rng) * 1.25 * 1.60 < w)
			return t;
	}
}

/* Runs one service step at time t as the given actor; false once t passes now. */
static bool at(struct demo *d, ls_time t, const struct actor *a)
{
	if (t >= d->now)
		return false;
	d->s->now = t;
	d->s->actor = a;
	arena_reset(d->s->arena);
	return true;
}

#define STEP(call)                                                                                                     \
	do {                                                                                                           \
		int _r = (call);                                                                                       \
		if (_r < 0)                                                                                            \
			return _r;                                                                                     \
	} while (0)

static int reply(struct demo *d, const char *number, enum message_kind kind, enum author_kind ak, const char *who,
                 const char *body)
{
	struct message_input in = {.kind = kind, .author_kind = ak, .author_name = who, .body = body};
	int r = tickets_add_message(d->s, number, &in, NULL, NULL);
	if (r == 0)
		d->res->messages++;
	return r;
}

static int transition(struct demo *d, const char *number, enum ticket_state to)
{
	return tickets_transition(d->s, number, 0, to, NULL);
}

static int assign(struct demo *d, const char *number, unsigned team, const struct agent *ag)
{
	struct ticket cur;
	STEP(tickets_get(d->s, number, &cur));
	struct ticket_patch p = {.fields = PATCH_TEAM | PATCH_ASSIGNEE};
	p.v.team = teams[team].code;
	p.v.assignee = ag->email;
	return tickets_update(d->s, number, cur.version, &p, NULL);
}

static int simulate(struct demo *d, ls_time created, unsigned idx)
{
	struct rng *g = &d->rng;
	double cw[3] = {clients[0].share, clients[1].share, clients[2].share};
	unsigned ci = rng_weighted(g, cw, 3);
	double tw[N_TOPICS];
	for (unsigned i = 0; i < N_TOPICS; i++)
		tw[i] = topics[i].weight;
	const struct topic *tp = &topics[rng_weighted(g, tw, N_TOPICS)];
	static const double lvl_w[3] = {0.12, 0.38, 0.50};
	static const double ch_w[5] = {0.40, 0.30, 0.20, 0.08, 0.02};
	const char *fn = first_names[rng_below(g, sizeof(first_names) / sizeof(first_names[0]))];
	const char *ln = last_names[rng_below(g, sizeof(last_names) / sizeof(last_names[0]))];
	char rname[96], remail[128], rphone[32], title[200];
	snprintf(rname, sizeof(rname), "%s %s", fn, ln);
	snprintf(remail, sizeof(remail), "%c.%s%u@kunde.example", fn[0] | 0x20, "kontakt", idx % 997);
	snprintf(rphone, sizeof(rphone), "+49 40 %07u", (unsigned)rng_below(g, 9000000) + 1000000);
	snprintf(title, sizeof(title), "%s", tp->title);

	unsigned first_team = tp->type == TICKET_TYPE_COMPLAINT || tp->type == TICKET_TYPE_PROBLEM ? tp->team : 0;
	struct ticket_input in = {
	        .client = clients[ci].code,
	        .type = tp->type,
	        .title = title,
	        .description = "Gemeldet über den Kundendienst. Details siehe Verlauf.",
	        .impact = 1 + (int)rng_weighted(g, lvl_w, 3),
	        .urgency = 1 + (int)rng_weighted(g, lvl_w, 3),
	        .category = tp->category,
	        .channel = (int)rng_weighted(g, ch_w, 5),
	        .requester_name = rname,
	        .requester_email = remail,
	        .requester_phone = rphone,
	        .team = teams[first_team].code,
	};
	if (!at(d, created, d->system_actor))
		return 0;
	struct ticket t;
	STEP(tickets_create(d->s, &in, &t));
	d->res->tickets++;
	char number[24];
	memcpy(number, t.number, sizeof(number));
	if (tp->type == TICKET_TYPE_PROBLEM)
		snprintf(d->problem_number[ci][tp->team == 2], 24, "%s", number);

	/* first response: faster for higher priority */
	double mean_frt = 600.0 * t.priority * t.priority;
	ls_time now = created + 60 + (ls_time)rng_exp(g, mean_frt);
	const struct agent *ag = pick_agent(d, first_team);
	if (!at(d, now, &ag->actor))
		return 0;
	STEP(assign(d, number, first_team, ag));
	STEP(reply(d, number, MESSAGE_KIND_REPLY, AUTHOR_KIND_AGENT, NULL,
	           "Vielen Dank für Ihre Meldung. Wir kümmern uns darum und melden uns in Kürze."));
	now += 30 + (ls_time)rng_exp(g, 900);
	if (!at(d, now, &ag->actor))
		return 0;
	STEP(transition(d, number, TICKET_STATE_IN_PROGRESS));

	if (rng_unit(g) < 0.35) {
		now += (ls_time)rng_exp(g, 1800);
		if (!at(d, now, &ag->actor))
			return 0;
		STEP(reply(d, number, MESSAGE_KIND_NOTE, AUTHOR_KIND_AGENT, NULL,
		           "Interne Notiz: Logs geprüft, Ursache noch unklar."));
	}
	/* functional escalation to 2nd level, sometimes back again (ping-pong) */
	if (first_team == 0 && tp->team != 0 && rng_unit(g) < 0.55) {
		now += (ls_time)rng_exp(g, 3600);
		ag = pick_agent(d, tp->team);
		if (!at(d, now, &ag->actor))
			return 0;
		STEP(assign(d, number, tp->team, ag));
		if (rng_unit(g) < 0.12) {
			now += (ls_time)rng_exp(g, 5400);
			const struct agent *back = pick_agent(d, 0);
			if (!at(d, now, &ag->actor))
				return 0;
			STEP(assign(d, number, 0, back));
			now += (ls_time)rng_exp(g, 3600);
			if (!at(d, now, &back->actor))
				return 0;
			STEP(assign(d, number, tp->team, ag));
		}
	}
	if (tp->type == TICKET_TYPE_INCIDENT && rng_unit(g) < 0.15) {
		const char *prb = d->problem_number[ci][tp->team == 2];
		if (prb[0] && at(d, now + 60, &ag->actor)) {
			int r = tickets_add_link(d->s, number, LINK_KIND_CAUSED_BY, prb, NULL);
			if (r < 0 && r != -LS_ECONFLICT)
				return r;
		}
	}
	if (rng_unit(g) < 0.30) {
		now += (ls_time)rng_exp(g, 2400);
		if (!at(d, now, &ag->actor))
			return 0;
		STEP(reply(d, number, MESSAGE_KIND_REPLY, AUTHOR_KIND_AGENT, NULL,
		           "Können Sie uns bitte einen Screenshot der Fehlermeldung senden?"));
		STEP(transition(d, number, TICKET_STATE_PENDING_CUSTOMER));
		now += 600 + (ls_time)rng_exp(g, 6 * 3600);
		if (!at(d, now, d->system_actor))
			return 0;
		STEP(reply(d, number, MESSAGE_KIND_REPLY, AUTHOR_KIND_CUSTOMER, rname,
		           "Anbei der Screenshot. Der Fehler tritt weiterhin auf."));
	}
	if (tp->team == 2 && rng_unit(g) < 0.20) {
		now += (ls_time)rng_exp(g, 1800);
		if (!at(d, now, &ag->actor))
			return 0;
		STEP(transition(d, number, TICKET_STATE_PENDING_VENDOR));
		now += (ls_time)rng_exp(g, 8 * 3600);
		if (!at(d, now, &ag->actor))
			return 0;
		STEP(transition(d, number, TICKET_STATE_IN_PROGRESS));
	}
	unsigned efforts = 1 + (unsigned)rng_below(g, 3);
	for (unsigned i = 0; i < efforts; i++) {
		now += (ls_time)rng_exp(g, 1800);
		if (!at(d, now, &ag->actor))
			return 0;
		STEP(tickets_add_effort(d->s, number, 5 + (int)rng_below(g, 85), "Analyse und Bearbeitung", now, NULL));
		d->res->efforts++;
	}
	for (int round = 0; round < 2; round++) {
		now += (ls_time)rng_exp(g, 3600.0 * (1 + t.priority * 2));
		if (!at(d, now, &ag->actor))
			return 0;
		STEP(reply(d, number, MESSAGE_KIND_REPLY, AUTHOR_KIND_AGENT, NULL,
		           "Das Problem ist behoben. Bitte melden Sie sich, falls es erneut auftritt."));
		STEP(transition(d, number, TICKET_STATE_RESOLVED));
		if (round == 1 || rng_unit(g) >= 0.07)
			break;
		/* the customer says it is not fixed: reopen */
		now += 3600 + (ls_time)rng_exp(g, 86400);
		if (!at(d, now, d->system_actor))
			return 0;
		STEP(reply(d, number, MESSAGE_KIND_REPLY, AUTHOR_KIND_CUSTOMER, rname,
		           "Leider besteht das Problem weiterhin."));
		if (!at(d, now + 120, &ag->actor))
			return 0;
		STEP(transition(d, number, TICKET_STATE_IN_PROGRESS));
		d->res->reopened++;
	}
	now += 3 * 86400; /* auto-close after three days without objection */
	if (!at(d, now, d->system_actor))
		return 0;
	return transition(d, number, TICKET_STATE_CLOSED);
}

int demo_generate(struct svc *s, const struct demo_options *o, struct demo_result *ret)
{
	struct demo_result res = {0};
	struct client *existing;
	size_t n_existing;
	if (dirdb_client_list(s->st, s->arena, &existing, &n_existing) < 0)
		return store_error(s->st, s->err, "listing clients");
	if (n_existing)
		return lserr_set(s->err, -EEXIST, "conflict", "db", "the database holds clients already");
	/* generation needs no fsync per step; a crash midway leaves a demo to delete */
	sqlite3_exec(store_handle(s->st), "PRAGMA synchronous=OFF", NULL, NULL, NULL);

	struct demo *d = xcalloc(1, sizeof(*d));
	struct arena *base = s->arena;
	struct arena work = ARENA_INIT;
	d->s = s;
	d->now = o->now;
	d->res = &res;
	d->system_actor = s->actor;
	rng_seed(&d->rng, o->seed);
	int r = 0;
	ls_time start = o->now - (ls_time)o->months * 30 * 86400;
	ls_time setup = start - 86400;
	s->now = setup;

	for (unsigned i = 0; i < 3 && r == 0; i++) {
		struct client_input ci = {.code = clients[i].code, .name = clients[i].name};
		struct client c;
		if ((r = directory_client_add(s, &ci, &c)) == 0) {
			d->client_ids[i] = c.id;
			res.clients++;
		}
	}
	/* every client gets an SLA policy on office hours in NRW, with escalation levels */
	static const char policy[] =
	        "{\"calendar\":{\"tz\":\"Europe/Berlin\",\"hours\":\"mon-fri 08:00-18:00\",\"holidays\":\"DE-NW\"},"
	        "\"pause_states\":[\"pending_customer\",\"pending_vendor\"],\"warnings\":[\"75%\",\"90%\"],"
	        "\"targets\":{\"P1\":{\"first_response\":\"30m\",\"resolution\":\"4h\"},"
	        "\"P2\":{\"first_response\":\"1h\",\"next_update\":\"4h\",\"resolution\":\"8h\"},"
	        "\"P3\":{\"first_response\":\"4h\",\"next_update\":\"8h\",\"resolution\":\"24h\"},"
	        "\"P4\":{\"first_response\":\"8h\",\"resolution\":\"40h\"},"
	        "\"P5\":{\"first_response\":\"16h\",\"resolution\":\"80h\"}},"
	        "\"escalations\":{\"resolution\":[{\"at\":\"75%\",\"action\":\"notify\",\"owner\":\"team_lead\","
	        "\"ack_within\":\"30m\"},{\"at\":\"100%\",\"action\":\"notify\",\"owner\":\"service_manager\"}]}}";
	for (unsigned i = 0; i < 3 && r == 0; i++) {
		struct sla_input si = {
		        .client = clients[i].code, .code = "STD", .name = "Standard", .definition = policy};
		struct sla_def sd;
		r = sla_policies_create(s, &si, &sd);
	}
	const char *all_clients[3] = {clients[0].code, clients[1].code, clients[2].code};
	struct user u;
	struct user_input admin = {
	        .email = "admin@leitstand.example", .name = "Leitstand Admin", .role = USER_ROLE_ADMIN};
	struct user_input mgr = {.email = "manager@leitstand.example",
	                         .name = "Petra Brandt",
	                         .role = USER_ROLE_MANAGER,
	                         .clients = all_clients,
	                         .n_clients = 3};
	if (r == 0 && (r = directory_user_add(s, &admin, &u)) == 0)
		res.users++;
	if (r == 0 && (r = directory_user_add(s, &mgr, &u)) == 0)
		res.users++;
	for (unsigned i = 0; i < 3 && r == 0; i++) {
		char email[64];
		snprintf(email, sizeof(email), "leitung@%s.example", clients[i].code);
		for (char *p = email; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p + 32);
		struct user_input cv = {.email = email,
		                        .name = "Kundenleitung",
		                        .role = USER_ROLE_CLIENT_VIEWER,
		                        .clients = &all_clients[i],
		                        .n_clients = 1};
		if ((r = directory_user_add(s, &cv, &u)) == 0)
			res.users++;
	}
	unsigned a = 0;
	for (unsigned ti = 0; ti < N_TEAMS && r == 0; ti++) {
		const char *members[N_AGENTS];
		unsigned nm = 0;
		for (unsigned k = 0; k < teams[ti].agents && r == 0; k++, a++) {
			char email[96], name[96];
			const char *fn = first_names[a % (sizeof(first_names) / sizeof(first_names[0]))];
			const char *ln = last_names[(a * 7 + 3) % (sizeof(last_names) / sizeof(last_names[0]))];
			snprintf(name, sizeof(name), "%s %s", fn, ln);
			snprintf(email, sizeof(email), "agent%02u@leitstand.example", a + 1);
			struct user_input ui = {.email = email,
			                        .name = name,
			                        .role = USER_ROLE_AGENT,
			                        .clients = all_clients,
			                        .n_clients = 3};
			if ((r = directory_user_add(s, &ui, &u)) < 0)
				break;
			res.users++;
			struct agent *ag = &d->agents[d->n_agents++];
			ag->id = u.id;
			ag->email = xstrdup(u.email);
			ag->team = ti;
			ag->actor = (struct actor){.user_id = u.id,
			                           .email = ag->email,
			                           .role = USER_ROLE_AGENT,
			                           .client_ids = d->client_ids,
			                           .n_clients = 3};
			members[nm++] = ag->email;
		}
		struct team_input tin = {
		        .code = teams[ti].code, .name = teams[ti].name, .members = members, .n_members = nm};
		struct team t;
		if (r == 0 && (r = directory_team_add(s, &tin, &t)) == 0)
			res.teams++;
	}
	/* client ids come from an autoincrement and are ascending: the actor's list is sorted */
	ls_time *arrivals = r == 0 ? xcalloc(o->tickets, sizeof(*arrivals)) : NULL;
	for (unsigned i = 0; r == 0 && i < o->tickets; i++)
		arrivals[i] = sample_arrival(d, start, o->now);
	if (arrivals)
		qsort(arrivals, o->tickets, sizeof(*arrivals), cmp_time);
	s->arena = &work;
	for (unsigned i = 0; r == 0 && i < o->tickets; i++) {
		r = simulate(d, arrivals[i], i);
		if (o->progress && (i % 500 == 499 || i + 1 == o->tickets))
			o->progress(i + 1, o->tickets, o->progress_ctx);
	}
	s->arena = base;
	s->actor = d->system_actor;
	arena_release(&work);
	xfree(arrivals);
	for (unsigned i = 0; i < d->n_agents; i++)
		xfree((void *)d->agents[i].email);
	xfree(d);
	sqlite3_exec(store_handle(s->st), "PRAGMA synchronous=FULL; PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	if (r < 0)
		return r;
	res.admin_email = "admin@leitstand.example";
	*ret = res;
	return 0;
}
