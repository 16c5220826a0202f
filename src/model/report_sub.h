/* What scheduled report delivery keeps: report subscriptions, their runs (the
 * delivery log) and the produced report files. Room: model.
 * Plain data; strings are owned by whoever loaded the struct (an arena). */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"

struct report_sub {
	int64_t id;
	int64_t client_id;
	const char *client_code;
	const char *kind;            /* weekly, monthly, quarterly */
	const char *format;          /* html, pdf, xlsx */
	const char *lang;            /* de, en */
	const char *recipients;      /* addresses separated by single spaces */
	const char *schedule;        /* canonical text (calendar/schedule.h) */
	const char *timezone;        /* IANA zone of the schedule and the periods */
	const char *holidays_region; /* working days of the schedule: DE, DE-BY, …, none */
	bool active;
	ls_time next_run_at; /* 0: none (inactive) */
	int64_t version;
	ls_time created_at, updated_at;
};

enum report_run_state {
	REPORT_RUN_QUEUED,    /* waiting to be produced */
	REPORT_RUN_SENDING,   /* produced and stored; mail not accepted yet (retried with backoff) */
	REPORT_RUN_DELIVERED, /* the mail server accepted the mail */
	REPORT_RUN_STORED,    /* produced and stored; no mail server configured */
	REPORT_RUN_FAILED,    /* production failed, or delivery given up after the retry window */
	_REPORT_RUN_STATE_MAX,
	_REPORT_RUN_STATE_INVALID = -22,
};

const char *report_run_state_to_string(enum report_run_state s);
enum report_run_state report_run_state_from_string(const char *s);

struct report_run {
	int64_t id;
	int64_t subscription_id;
	int64_t client_id;
	const char *trigger; /* schedule, manual */
	const char *period;  /* "2026-W43", "2026-10", "2026-Q3" */
	enum report_run_state state;
	int64_t report_id; /* 0: none yet */
	int64_t attempts;  /* delivery attempts */
	ls_time next_attempt_at, first_attempt_at, last_attempt_at, delivered_at, scheduled_for, created_at;
	const char *last_error; /* NULL: none */
	const char *recipients; /* to whom it went (or goes) */
};

/* A produced report. bytes is NULL in listings. */
struct report_file {
	int64_t id;
	int64_t client_id;
	int64_t subscription_id; /* 0: none */
	const char *kind, *period, *format, *lang;
	const char *content_type;
	const char *filename;
	const void *bytes;
	size_t size;
	ls_time created_at;
};
