/* Canonical import records: the shape every importer produces and the KPI engine reads.
 * Room: model (plain data shared by importers/, kpi/ and later service/ and store/).
 *
 * A rec_ticket is one ticket as a foreign system last saw it; a rec_event is one
 * change of one field (who, when, old, new), the same shape as the append-only history;
 * a rec_interval is one ACD reporting interval of one call queue.
 * Conventions, as in model/ticket.h: absent strings are NULL, absent instants are 0
 * (REC_TIME_NONE), absent counts are -1 (REC_UNKNOWN), absent scores are NaN.
 *
 * Ownership: importers hand records to a callback; every pointer inside them is valid
 * only during that callback (a streaming importer reuses its buffers for the next
 * row). A consumer that keeps a record copies it, e.g. with rec_ticket_copy() into an
 * arena. Records are plain values: any thread may read a record it owns. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/timeutil.h"
#include "model/ticket.h"

#define REC_TIME_NONE ((ls_time)0)
#define REC_UNKNOWN   (-1)

/* One span a ticket spent in a waiting state (pending customer / pending vendor, or
 * the source's on-hold and awaiting states mapped to them): [start, end), end
 * REC_TIME_NONE while it still waits. */
struct rec_pause {
	ls_time start, end;
};

struct rec_ticket {
	const char *source;    /* "servicenow", "zendesk", ... (static string) */
	const char *source_id; /* the key in the source system (ServiceNow: number) */
	const char *number;    /* the ticket number as shown to people; often = source_id */
	enum ticket_type type;
	const char *title;
	const char *state;             /* the source's own state text (last seen) */
	enum ticket_state state_canon; /* mapped state, or _TICKET_STATE_INVALID when unknown */
	int priority, impact, urgency; /* 1 = highest; 0 unknown */
	const char *category;
	const char *ci;      /* configuration item the incident affects (ServiceNow cmdb_ci) */
	const char *symptom; /* the source's symptom code or text (ServiceNow u_symptom) */
	const char *channel; /* the source's text ("Phone", "email"); dimension value */
	const char *client;  /* tenant code, when the source knows it */
	const char *team;    /* assignment group */
	const char *agent;   /* assignee */
	ls_time opened_at;
	ls_time first_response_at; /* first public human agent reply */
	ls_time first_resolved_at; /* first resolution (0: unknown or never) */
	ls_time resolved_at;       /* last resolution */
	ls_time closed_at;
	ls_time reopened_at;            /* first reopen after a resolution, when the source tells */
	ls_time resolution_due_at;      /* SLA resolution target, when the source has one */
	int reopen_count;               /* REC_UNKNOWN when the source does not say */
	int reassignment_count;         /* assignee changes after the first assignment */
	int group_escalations;          /* moves to another (higher-level) group */
	int agent_replies;              /* public agent replies */
	int customer_interactions;      /* customer contacts after the initial one */
	int wait_count;                 /* times set to a waiting (pending/on-hold) state */
	int made_sla;                   /* the source's own SLA outcome: 1, 0, REC_UNKNOWN */
	int fcr_flag;                   /* the source's own first-contact-resolution flag: 1, 0, REC_UNKNOWN */
	double effort_minutes;          /* tracked effort; NaN unknown */
	double csat;                    /* 1..5; NaN unrated */
	double nps;                     /* 0..10; NaN unrated */
	const struct rec_pause *pauses; /* waiting spans in time order */
	int n_pauses;                   /* REC_UNKNOWN when the source has no state history */
	unsigned line;                  /* source line of the record that gave the values */
};

struct rec_event {
	const char *ticket; /* source_id of the ticket */
	ls_time at;
	const char *field;     /* "state", "team", "agent", "priority", ... */
	const char *old_value; /* NULL: none */
	const char *new_value; /* NULL: cleared */
	const char *actor;     /* NULL: unknown */
	unsigned line;
};

/* One reporting interval of one call-centre (ACD) queue: what the `acd` importer
 * produces and the call KPIs read. Counts are calls in the interval; the second
 * fields are totals over the interval (an export's per-call averages are multiplied
 * out by the importer). Unknown: REC_UNKNOWN counts, NaN seconds. */
struct rec_interval {
	const char *queue;                    /* never NULL ("default" when the export has no queue column) */
	ls_time start;                        /* UTC */
	int32_t length;                       /* seconds, > 0 */
	int64_t offered, answered, abandoned; /* always known, >= 0 */
	int64_t answered_within;              /* answered within the service-level threshold */
	int64_t abandoned_within;             /* abandoned within the threshold */
	int64_t abandoned_short;              /* short abandons (hung up within the short-abandon threshold) */
	int32_t threshold;                    /* service-level threshold, seconds */
	double talk, hold, wrap_up;           /* handle time components of answered calls, seconds */
	double handle;                        /* total handle time when the export gives only that */
	double wait;                          /* queue wait of the answered calls, seconds (ASA numerator) */
	unsigned line;                        /* source line */
};

/* A ticket with every field absent (type incident, unknown counts, NaN scores). */
void rec_ticket_init(struct rec_ticket *t);
/* Copies t and the strings it points to into arena a. source is kept as is (static). */
void rec_ticket_copy(struct arena *a, const struct rec_ticket *t, struct rec_ticket *ret);
/* An interval with queue "default", zero counts and every optional value unknown. */
void rec_interval_init(struct rec_interval *iv);

/* Collects a ticket's waiting spans from its state changes in time order. The
 * buffer is the tracker's own (grown with the allocation wrappers), reused from
 * ticket to ticket: rec_pause_track_reset() before each ticket, rec_pause_track_free()
 * at the end (accepts a zeroed tracker). */
struct rec_pause_track {
	struct rec_pause *v;
	size_t n, cap;
	bool waiting;
};
void rec_pause_track_reset(struct rec_pause_track *pt);
/* The ticket entered a state at `at`: a waiting one opens a span (unless one is open),
 * any other closes the open span. */
void rec_pause_track_state(struct rec_pause_track *pt, ls_time at, bool waiting);
void rec_pause_track_free(struct rec_pause_track *pt);

/* Whether the ticket was resolved or closed (a solved ticket in the KPI sense). */
bool rec_ticket_is_solved(const struct rec_ticket *t);
/* The instant it was solved: resolved_at, else closed_at, else 0. */
ls_time rec_ticket_solved_at(const struct rec_ticket *t);
