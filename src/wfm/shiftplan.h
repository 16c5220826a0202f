/* A shift plan as the CLI and the API see it: the three inputs (requirements per
 * interval, shift templates, agents) in their documented formats, the run (shifts,
 * then roster, then the check), and the outputs (JSON, CSV, iCalendar). Room: wfm.
 * Formats: docs/wfm.md, "Shift plans".
 *
 * Usage: shiftplan_init() with the zone, first day and number of days; feed the
 * requirements (CSV text, or a JSON array), the templates and the agents (JSON);
 * shiftplan_run(); then format. Inputs are validated as they come: errors fill a
 * struct lserr whose field is the JSON path ("agents[2].contract.weekly_hours") or
 * the CSV column, and whose message starts with the place ("line 17: ..."); the
 * caller prefixes the file name. Everything the plan points to lives in the arena
 * given to shiftplan_init() (the zone is released by an arena cleanup); the result of
 * a run is released with shiftplan_result_free(). No I/O, no logging; one plan
 * belongs to one thread. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "wfm/roster.h"
#include "wfm/shifts.h"

struct json_t;

struct shiftplan_req {
	ls_time start;
	ls_time alt;    /* second occurrence of an ambiguous local time (autumn), else 0 */
	int32_t length; /* seconds; 0 = the plan's interval */
	uint32_t skill;
	int32_t required;
	unsigned line; /* CSV line, or array index + 1 */
	bool skip;     /* a local time that does not exist (spring gap) */
};

struct shiftplan_template {
	struct shift_template t;
	const char **skills; /* names; none = every skill */
	size_t n_skills;
};

struct shiftplan_agent {
	struct roster_agent a;
	const char **skills;
	size_t n_skills;
};

struct shiftplan {
	struct arena *arena;
	const char *tz_name;
	struct tz *tz;
	int32_t first_day, n_days;
	int32_t interval;    /* length of a requirement row without its own; 0 = infer */
	double time_limit;   /* seconds for the solver */
	const char **skills; /* in order of first appearance in the requirements; [0] may be "" */
	size_t n_skills, cap_skills;
	struct shiftplan_req *reqs;
	size_t n_reqs, cap_reqs;
	struct shiftplan_template *templates;
	size_t n_templates, cap_templates;
	struct shiftplan_agent *agents;
	size_t n_agents, cap_agents;
	bool json_rows; /* requirements came as a JSON array: messages say requirements[i] */
};

/* Starts a plan of `days` days from local date `from` ("YYYY-MM-DD") in zone tz (IANA
 * name; NULL for Europe/Berlin). Time limit 10 s, interval inferred. Returns 0 or
 * -EINVAL with e naming "tz", "from" or "days". */
int shiftplan_init(struct shiftplan *p, struct arena *a, const char *tz, const char *from, int days, struct lserr *e);

/* Requirements from CSV text (len bytes): a header row with start and required, and
 * optionally skill (or queue) and interval (seconds). ',' or ';' separated, RFC 4180
 * quotes, LF or CRLF, a byte-order mark ignored. Rows outside the horizon are
 * ignored. Errors: e->field is the column, the message starts "line N: ". */
int shiftplan_requirements_csv(struct shiftplan *p, const char *text, size_t len, struct lserr *e);
/* Requirements from a JSON array of {"start", "required", "skill", "interval"}. path
 * names the array in messages ("requirements"). */
int shiftplan_requirements_json(struct shiftplan *p, struct json_t *v, const char *path, struct lserr *e);
/* Templates from a JSON array (or an object {"templates": [...]}); see docs/wfm.md. */
int shiftplan_templates_json(struct shiftplan *p, struct json_t *v, const char *path, struct lserr *e);
/* Agents from a JSON array (or an object {"agents": [...]}); see docs/wfm.md. */
int shiftplan_agents_json(struct shiftplan *p, struct json_t *v, const char *path, struct lserr *e);

/* Parses JSON text (a file's contents) into *ret (caller json_decref()s), rejecting
 * duplicate keys. -EINVAL with "line L, column C: reason" for bad syntax. */
int shiftplan_parse_json(const char *text, size_t len, struct json_t **ret, struct lserr *e);

struct shiftplan_result {
	struct shifts_plan plan;
	struct roster_result roster;
	int32_t *required; /* [skill * n_slots + slot] */
	int32_t *staffed;  /* [skill * n_slots + slot]: heads of assigned shifts at work */
	size_t ignored;    /* requirement rows outside the horizon or in a DST gap */
};

/* Plans and rosters. solver may be NULL (greedy only). Returns 0 and *ret, or -EINVAL
 * (an input problem found only now: the interval, overlapping rows, a template), with
 * e naming the field and line. */
int shiftplan_run(struct shiftplan *p, const struct shifts_solver *solver, struct shiftplan_result *ret,
                  struct lserr *e);
void shiftplan_result_free(struct shiftplan_result *r);

/* The JSON document of docs/wfm.md (shifts, roster, coverage, violations, solver,
 * cost). Reals stay reals; NAN figures are null. Caller owns the result. */
struct json_t *shiftplan_to_json(const struct shiftplan *p, const struct shiftplan_result *r);
/* One CSV row per assigned shift (agent, then start), header first, CRLF-free. */
int shiftplan_csv(const struct shiftplan *p, const struct shiftplan_result *r, struct strbuf *sb);
/* The iCalendar of agent i (one VCALENDAR, one VEVENT per shift, UTC times). Returns 1
 * when written, 0 when the agent has no shift (nothing written: a VCALENDAR needs at
 * least one component), or -LS_ETOOLARGE. */
int shiftplan_ics(const struct shiftplan *p, const struct shiftplan_result *r, size_t agent, ls_time dtstamp,
                  struct strbuf *sb);
