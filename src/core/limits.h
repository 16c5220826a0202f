/* Named limits on every size a user can influence. Checked before allocating.
 * Room: core. Every module that accepts outside input takes its bound from here. */
#pragma once

#define LS_MAX_BODY_BYTES               (1024 * 1024)          /* HTTP request body */
#define LS_MAX_UPLOAD_BYTES             (2048LL * 1024 * 1024) /* a file uploaded for import */
#define LS_MAX_JSON_DEPTH               16                     /* nesting of a request body */
#define LS_MAX_URL_BYTES                2048                   /* request path + query */
#define LS_MAX_PAGE_SIZE                500                    /* items per list page */
#define LS_DEFAULT_PAGE_SIZE            50
#define LS_MAX_TITLE_BYTES              300
#define LS_MAX_TEXT_BYTES               (256 * 1024) /* description, reply, note */
#define LS_MAX_NAME_BYTES               200          /* person, team, client names */
#define LS_MAX_CODE_BYTES               32           /* client and team codes */
#define LS_MAX_EMAIL_BYTES              254
#define LS_MAX_PHONE_BYTES              40
#define LS_MAX_CATEGORY_BYTES           100
#define LS_MAX_TAG_BYTES                50
#define LS_MAX_TAGS                     32  /* tags per ticket */
#define LS_MAX_SEARCH_BYTES             200 /* full-text query */
#define LS_MAX_SEARCH_TERMS             16
#define LS_MAX_EFFORT_MINUTES           (24 * 60) /* one effort entry */
#define LS_MAX_PASSWORD_BYTES           1024
#define LS_MIN_PASSWORD_BYTES           10
#define LS_MAX_GRANTS                   1024 /* clients granted to one user */
#define LS_MAX_CONNECTIONS              4096
#define LS_CONNECTION_TIMEOUT_S         30
#define LS_STRBUF_DEFAULT_MAX           (64 * 1024 * 1024)
#define LS_MAX_HOURS_BYTES              4096               /* calendar opening-hours text */
#define LS_MAX_HOURS_FRAMES             512                /* time frames of a weekly schedule */
#define LS_MAX_CALENDAR_DAYS            4096               /* extra closed or open day entries of a calendar */
#define LS_MAX_TZIF_BYTES               (512 * 1024)       /* one time-zone file */
#define LS_MAX_STAFFING_AGENTS          100000             /* agents one Erlang search may try (load must stay below) */
#define LS_MAX_ERLANG_A_STATES          1000000            /* queue states of one Erlang A evaluation (~5 ms) */
#define LS_MAX_STAFFING_ROWS            100000             /* interval rows of one staffing request or file */
#define LS_MAX_STAFFING_FILE_BYTES      (16 * 1024 * 1024) /* a forecast file for `staff --intervals` */
#define LS_MAX_STAFFING_FIELD_BYTES     1024               /* one field of a forecast CSV row */
#define LS_MAX_FORECAST_SLOTS           96                 /* intervals per day of a forecast (15 minutes) */
#define LS_MAX_FORECAST_HISTORY_DAYS    1830         /* history days a forecast reads (five years; older is left out) */
#define LS_MAX_FORECAST_DAYS            366          /* days one forecast covers */
#define LS_MAX_FORECAST_BACKTEST_WEEKS  52           /* weeks a backtest replays */
#define LS_MAX_FORECAST_PEAKS           16           /* named peaks of one forecast */
#define LS_MAX_SLA_POLICY_BYTES         (256 * 1024) /* one SLA policy document (JSON) */
#define LS_MAX_SLA_EVENT_BYTES          4096         /* one line of an SLA replay event stream */
#define LS_MAX_SLA_TICKET_BYTES         64           /* ticket reference in an SLA replay event */
#define LS_MAX_SLA_LIST                 64           /* entries of a policy's applies_to lists, pause states */
#define LS_MAX_SLA_WARNINGS             4            /* warning thresholds of a policy */
#define LS_MAX_SLA_LEVELS               8            /* escalation levels of a policy per target kind */
#define LS_MAX_SLA_SECONDS              (87600LL * 3600)   /* longest SLA duration: 10 years in hours */
#define LS_MAX_SLA_TICKET_EVENTS        100000             /* events of one ticket an SLA evaluation accepts */
#define LS_MAX_IMPORT_ROW_BYTES         (1024 * 1024)      /* one CSV record of an import file (all fields) */
#define LS_MAX_IMPORT_FIELDS            1024               /* fields of one CSV record */
#define LS_MAX_IMPORT_MAPPING_BYTES     (64 * 1024)        /* a column-mapping file for the csv importer */
#define LS_MAX_IMPORT_CASE_ROWS         100000             /* audit rows of one ticket an importer buffers */
#define LS_MAX_IMPORT_JSON_RECORD_BYTES (16 * 1024 * 1024) /* one ticket object of a JSON export (with audits) */
#define LS_MAX_IMPORT_INTERVALS                                                                                        \
	(20 * 1000 * 1000)                 /* intervals of one ACD file (16 bytes each for the duplicate check) */
#define LS_MAX_SHIFT_DAYS           366    /* days of one shift plan */
#define LS_MAX_SHIFT_TEMPLATES      200    /* shift templates of one plan */
#define LS_MAX_SHIFT_AGENTS         5000   /* agents of one roster */
#define LS_MAX_SHIFT_SKILLS         64     /* distinct skills of one plan (a bit each) */
#define LS_MAX_SHIFT_COLUMNS        250000 /* candidate shifts: templates x days x skills */
#define LS_MAX_SHIFT_FILE_BYTES     (16 * 1024 * 1024)  /* a requirements, templates or agents file */
#define LS_MAX_SHIFT_LIST           400                 /* entries of an agent's absent list, a template's skills */
#define LS_MAX_SHIFT_TIME_LIMIT     3600                /* seconds the shift solver may run (CLI) */
#define LS_MAX_SHIFT_API_TIME_LIMIT 20                  /* ... for POST /api/v1/shift-plans (one slow-work thread) */
#define LS_MAX_AUDIT_NUMBERS        100                 /* ticket numbers named in one personal-data-read entry */
#define LS_MAX_AUDIT_QUERY_BYTES    254                 /* one filter value of GET /api/v1/audit */
#define LS_MAX_REPORT_RECIPIENTS    20                  /* email addresses of one report subscription */
#define LS_MAX_REPORT_FILE_BYTES    (32 * 1024 * 1024)  /* one produced report stored for download and mailed */
#define LS_MAX_EXPORT_BYTES         (256 * 1024 * 1024) /* one data-subject export (each table of it) */
#define LS_LOGIN_MAX_FAILURES       5                   /* consecutive failed logins of one account before a lockout */
#define LS_LOGIN_LOCK_S             (15 * 60)           /* the first lockout; each further one doubles */
#define LS_LOGIN_LOCK_MAX_S         (24 * 3600)         /* the longest lockout */
#define LS_LOGIN_IP_BURST           20                  /* failed logins one address may make at once */
#define LS_LOGIN_IP_REFILL_S        3                   /* ... and then one more every this many seconds */
#define LS_LOGIN_IP_SLOTS           4096                /* addresses the login rate limiter remembers */
#define LS_MAX_PRIVACY_TEXT         2000                /* one text of a retention rule, legal hold or Art. 30 record */
#define LS_MAX_PRIVACY_LIST         100                 /* items of one list of an Art. 30 record */
#define LS_MAX_RETENTION_TICKETS    100000 /* tickets whose replies one retention run replaces per client */
