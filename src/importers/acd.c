/* Call-centre interval exports (see acd.h). Room: importers.
 *
 * One pass. Each header cell is normalised and looked up in one table of spellings
 * (role, name, whether the name itself means an average); a unit in the header
 * scales its values. A row is parsed and checked on its own (start, length, counts,
 * seconds); it then waits in the look-ahead buffer only while the interval length
 * is still being inferred, and is emitted after the checks that need earlier rows
 * (the same queue and start twice, overlap with the previous interval of the queue).
 * Queue names are interned for the whole run, so a buffered record can point at its
 * queue; the (queue, start) pairs seen live in one open-addressing set. Nothing is
 * logged; bad rows go through import_vbad_row(). */
#include "importers/acd.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/limits.h"

enum role {
	A_START,
	A_DATE,
	A_TIME,
	A_END,
	A_LENGTH,
	A_QUEUE,
	A_OFFERED,
	A_ANSWERED,
	A_ABANDONED,
	A_SL_ANSWERED,
	A_SL_ABANDONED,
	A_SHORT,
	A_THRESHOLD,
	A_TALK,
	A_HOLD,
	A_WRAP,
	A_HANDLE,
	A_WAIT,
	_A_MAX,
};

static bool is_seconds_role(int r)
{
	return r >= A_TALK && r <= A_WAIT;
}

struct spelling {
	const char *name; /* normalised (see norm_header) */
	unsigned char role;
	bool avg; /* the name itself means an average per answered call */
};

/* Header spellings in English and German, normalised. A name that appears for two
 * roles would be a bug: the first entry wins. */
static const struct spelling spellings[] = {
        {"interval start", A_START},
        {"interval start time", A_START},
        {"intervalstart", A_START},
        {"interval begin", A_START},
        {"interval", A_START},
        {"start", A_START},
        {"start time", A_START},
        {"period start", A_START},
        {"datetime", A_START},
        {"date time", A_START},
        {"timestamp", A_START},
        {"intervallbeginn", A_START},
        {"intervall beginn", A_START},
        {"intervallstart", A_START},
        {"intervall", A_START},
        {"beginn", A_START},
        {"startzeit", A_START},
        {"zeitstempel", A_START},
        {"von", A_START},
        {"date", A_DATE},
        {"day", A_DATE},
        {"datum", A_DATE},
        {"tag", A_DATE},
        {"time", A_TIME},
        {"time of day", A_TIME},
        {"interval time", A_TIME},
        {"uhrzeit", A_TIME},
        {"zeit", A_TIME},
        {"intervallzeit", A_TIME},
        {"interval end", A_END},
        {"interval end time", A_END},
        {"end", A_END},
        {"end time", A_END},
        {"intervallende", A_END},
        {"intervall ende", A_END},
        {"ende", A_END},
        {"endzeit", A_END},
        {"bis", A_END},
        {"interval length", A_LENGTH},
        {"interval duration", A_LENGTH},
        {"interval minutes", A_LENGTH},
        {"length", A_LENGTH},
        {"intervalllaenge", A_LENGTH},
        {"intervall laenge", A_LENGTH},
        {"intervalldauer", A_LENGTH},
        {"laenge", A_LENGTH},
        {"dauer", A_LENGTH},
        {"queue", A_QUEUE},
        {"queue name", A_QUEUE},
        {"skill", A_QUEUE},
        {"skill name", A_QUEUE},
        {"split", A_QUEUE},
        {"split skill", A_QUEUE},
        {"vdn", A_QUEUE},
        {"acd group", A_QUEUE},
        {"group", A_QUEUE},
        {"hotline", A_QUEUE},
        {"warteschlange", A_QUEUE},
        {"skillgruppe", A_QUEUE},
        {"gruppe", A_QUEUE},
        {"acd gruppe", A_QUEUE},
        {"offered", A_OFFERED},
        {"calls offered", A_OFFERED},
        {"offered calls", A_OFFERED},
        {"contacts offered", A_OFFERED},
        {"acd calls offered", A_OFFERED},
        {"incoming calls", A_OFFERED},
        {"inbound calls", A_OFFERED},
        {"calls", A_OFFERED},
        {"angeboten", A_OFFERED},
        {"anrufe angeboten", A_OFFERED},
        {"angebotene anrufe", A_OFFERED},
        {"angebotene", A_OFFERED},
        {"eingehende anrufe", A_OFFERED},
        {"anrufe", A_OFFERED},
        {"answered", A_ANSWERED},
        {"calls answered", A_ANSWERED},
        {"answered calls", A_ANSWERED},
        {"handled", A_ANSWERED},
        {"calls handled", A_ANSWERED},
        {"handled calls", A_ANSWERED},
        {"contacts handled", A_ANSWERED},
        {"acd calls", A_ANSWERED},
        {"angenommen", A_ANSWERED},
        {"angenommene anrufe", A_ANSWERED},
        {"anrufe angenommen", A_ANSWERED},
        {"angenommene", A_ANSWERED},
        {"beantwortet", A_ANSWERED},
        {"beantwortete anrufe", A_ANSWERED},
        {"bearbeitet", A_ANSWERED},
        {"bearbeitete anrufe", A_ANSWERED},
        {"entgegengenommen", A_ANSWERED},
        {"abandoned", A_ABANDONED},
        {"calls abandoned", A_ABANDONED},
        {"abandoned calls", A_ABANDONED},
        {"abandons", A_ABANDONED},
        {"aban calls", A_ABANDONED},
        {"abn calls", A_ABANDONED},
        {"aufgelegt", A_ABANDONED},
        {"aufgelegte anrufe", A_ABANDONED},
        {"verloren", A_ABANDONED},
        {"verlorene anrufe", A_ABANDONED},
        {"anrufe verloren", A_ABANDONED},
        {"abgebrochen", A_ABANDONED},
        {"abgebrochene anrufe", A_ABANDONED},
        {"aufleger", A_ABANDONED},
        {"answered within sl", A_SL_ANSWERED},
        {"answered in sl", A_SL_ANSWERED},
        {"answered within service level", A_SL_ANSWERED},
        {"answered within threshold", A_SL_ANSWERED},
        {"answered in threshold", A_SL_ANSWERED},
        {"answered within target", A_SL_ANSWERED},
        {"sl answered", A_SL_ANSWERED},
        {"within sl", A_SL_ANSWERED},
        {"in sl", A_SL_ANSWERED},
        {"im sl angenommen", A_SL_ANSWERED},
        {"in sl angenommen", A_SL_ANSWERED},
        {"angenommen im sl", A_SL_ANSWERED},
        {"angenommen in sl", A_SL_ANSWERED},
        {"angenommen innerhalb sl", A_SL_ANSWERED},
        {"innerhalb sl angenommen", A_SL_ANSWERED},
        {"im servicelevel angenommen", A_SL_ANSWERED},
        {"angenommen im servicelevel", A_SL_ANSWERED},
        {"im sl", A_SL_ANSWERED},
        {"innerhalb sl", A_SL_ANSWERED},
        {"abandoned within sl", A_SL_ABANDONED},
        {"abandoned in sl", A_SL_ABANDONED},
        {"abandoned within threshold", A_SL_ABANDONED},
        {"abandoned within service level", A_SL_ABANDONED},
        {"sl abandoned", A_SL_ABANDONED},
        {"im sl aufgelegt", A_SL_ABANDONED},
        {"im sl verloren", A_SL_ABANDONED},
        {"aufgelegt im sl", A_SL_ABANDONED},
        {"verloren im sl", A_SL_ABANDONED},
        {"innerhalb sl aufgelegt", A_SL_ABANDONED},
        {"innerhalb sl verloren", A_SL_ABANDONED},
        {"short abandoned", A_SHORT},
        {"short abandons", A_SHORT},
        {"short abandon", A_SHORT},
        {"short abandoned calls", A_SHORT},
        {"kurz aufgelegt", A_SHORT},
        {"kurz verloren", A_SHORT},
        {"kurzaufleger", A_SHORT},
        {"kurzabbrecher", A_SHORT},
        {"sl threshold", A_THRESHOLD},
        {"threshold", A_THRESHOLD},
        {"service level threshold", A_THRESHOLD},
        {"service level time", A_THRESHOLD},
        {"sl target time", A_THRESHOLD},
        {"sl time", A_THRESHOLD},
        {"sl seconds", A_THRESHOLD},
        {"sl schwelle", A_THRESHOLD},
        {"sl schwellwert", A_THRESHOLD},
        {"schwelle", A_THRESHOLD},
        {"schwellwert", A_THRESHOLD},
        {"sl zeit", A_THRESHOLD},
        {"servicelevel zeit", A_THRESHOLD},
        {"talk time", A_TALK},
        {"talk", A_TALK},
        {"talk seconds", A_TALK},
        {"acd time", A_TALK},
        {"gespraechszeit", A_TALK},
        {"gespraechsdauer", A_TALK},
        {"sprechzeit", A_TALK},
        {"acd zeit", A_TALK},
        {"att", A_TALK, true},
        {"hold time", A_HOLD},
        {"hold", A_HOLD},
        {"hold seconds", A_HOLD},
        {"haltezeit", A_HOLD},
        {"halten", A_HOLD},
        {"holdzeit", A_HOLD},
        {"wrap up", A_WRAP},
        {"wrap up time", A_WRAP},
        {"wrapup", A_WRAP},
        {"wrap", A_WRAP},
        {"wrap time", A_WRAP},
        {"acw", A_WRAP},
        {"acw time", A_WRAP},
        {"after call work", A_WRAP},
        {"after call work time", A_WRAP},
        {"nachbearbeitung", A_WRAP},
        {"nachbearbeitungszeit", A_WRAP},
        {"nachbearbeitungsdauer", A_WRAP},
        {"nacharbeit", A_WRAP},
        {"nacharbeitszeit", A_WRAP},
        {"handle time", A_HANDLE},
        {"handling time", A_HANDLE},
        {"bearbeitungszeit", A_HANDLE},
        {"bearbeitungsdauer", A_HANDLE},
        {"aht", A_HANDLE, true},
        {"answer wait", A_WAIT},
        {"answer wait time", A_WAIT},
        {"wait time", A_WAIT},
        {"queue time", A_WAIT},
        {"queue wait", A_WAIT},
        {"time to answer", A_WAIT},
        {"speed of answer", A_WAIT},
        {"wartezeit", A_WAIT},
        {"wartezeit angenommen", A_WAIT},
        {"asa", A_WAIT, true},
};

static const char *const avg_prefixes[] = {
        "avg",      "average",   "mean", "ave", "durchschn", "durchschnittl", "durchschnittliche", "durchschnittlicher",
        "mittlere", "mittlerer", "mittl"};
static const char *const avg_suffixes[] = {"avg",       "average",  "mean",        "per call",
                                           "pro anruf", "je anruf", "durchschnitt"};
static const char *const total_words[] = {"total", "totals", "sum", "summe", "gesamt"};
/* A report's sum line names itself in its start (or queue) cell. */
static const char *const total_rows[] = {"total", "totals", "grand total", "sum",
                                         "summe", "gesamt", "gesamtsumme", "insgesamt"};

static const struct {
	const char *name; /* blanks removed */
	double factor;
} units[] = {
        {"s", 1},        {"sec", 1},      {"secs", 1},     {"second", 1},     {"seconds", 1}, {"sek", 1},
        {"sekunden", 1}, {"hhmmss", 1},   {"hmmss", 1},    {"mmss", 1},       {"min", 60},    {"mins", 60},
        {"minute", 60},  {"minutes", 60}, {"minuten", 60}, {"h", 3600},       {"hr", 3600},   {"hrs", 3600},
        {"hour", 3600},  {"hours", 3600}, {"std", 3600},   {"stunden", 3600},
};

#define NORM_MAX 160

/* Lower case, umlauts folded (UTF-8 and Windows-1252), ø/⌀ as " avg ", other bytes
 * and punctuation as blanks; parentheses and brackets kept for the unit. */
static void fold(const char *h, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)h;
	size_t k = 0;
#define PUT(s)                                                                                                         \
	do {                                                                                                           \
		for (const char *q_ = (s); *q_ && k + 1 < n; q_++)                                                     \
			out[k++] = *q_;                                                                                \
	} while (0)
	while (*p && k + 6 < n) {
		unsigned char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '(' || c == ')' || c == '[' || c == ']') {
			out[k++] = (char)c;
			p++;
		} else if (c >= 'A' && c <= 'Z') {
			out[k++] = (char)(c - 'A' + 'a');
			p++;
		} else if (c == 0xC3 && p[1]) {
			switch (p[1]) {
			case 0xA4:
			case 0x84: PUT("ae"); break;
			case 0xB6:
			case 0x96: PUT("oe"); break;
			case 0xBC:
			case 0x9C: PUT("ue"); break;
			case 0x9F: PUT("ss"); break;
			case 0xB8:
			case 0x98: PUT(" avg "); break;
			default: PUT(" "); break;
			}
			p += 2;
		} else if (c == 0xE2 && p[1] == 0x8C && p[2] == 0x80) {
			PUT(" avg ");
			p += 3;
		} else {
			switch (c) {
			case 0xE4:
			case 0xC4: PUT("ae"); break;
			case 0xF6:
			case 0xD6: PUT("oe"); break;
			case 0xFC:
			case 0xDC: PUT("ue"); break;
			case 0xDF: PUT("ss"); break;
			case 0xD8:
			case 0xF8: PUT(" avg "); break;
			default: PUT(" "); break;
			}
			p++;
		}
	}
#undef PUT
	out[k] = '\0';
}

/* Collapses runs of blanks into one and trims both ends, in place. */
static void squeeze(char *s)
{
	size_t k = 0;
	bool blank = true;
	for (const char *p = s; *p; p++) {
		if (*p == ' ') {
			if (!blank)
				s[k++] = ' ';
			blank = true;
		} else {
			s[k++] = *p;
			blank = false;
		}
	}
	while (k && s[k - 1] == ' ')
		k--;
	s[k] = '\0';
}

static bool strip_prefix(char *s, const char *w)
{
	size_t l = strlen(w);
	if (strncmp(s, w, l) != 0 || s[l] != ' ')
		return false;
	memmove(s, s + l + 1, strlen(s + l + 1) + 1);
	return true;
}

static bool strip_suffix(char *s, const char *w)
{
	size_t l = strlen(w), n = strlen(s);
	if (n <= l || s[n - l - 1] != ' ' || strcmp(s + n - l, w) != 0)
		return false;
	s[n - l - 1] = '\0';
	return true;
}

struct colinfo {
	int role;    /* -1: not a column we read */
	bool avg;    /* seconds columns: an average per answered call */
	double unit; /* factor to seconds the header names; 0 none */
};

/* Normalises header h and finds its role (see acd.h for the rules). */
static struct colinfo classify(const char *h)
{
	struct colinfo ci = {-1, false, 0};
	char s[NORM_MAX];
	fold(h, s, sizeof(s));
	/* a trailing "(unit)" or "[unit]" */
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	if (n && (s[n - 1] == ')' || s[n - 1] == ']')) {
		char open = s[n - 1] == ')' ? '(' : '[';
		char *o = strrchr(s, open);
		if (o) {
			char u[NORM_MAX];
			size_t k = 0;
			for (const char *p = o + 1; p < s + n - 1; p++)
				if (*p != ' ')
					u[k++] = *p;
			u[k] = '\0';
			for (size_t i = 0; i < ELEMENTSOF(units); i++)
				if (strcmp(units[i].name, u) == 0) {
					ci.unit = units[i].factor;
					*o = '\0';
					break;
				}
		}
	}
	for (char *p = s; *p; p++)
		if (*p == '(' || *p == ')' || *p == '[' || *p == ']')
			*p = ' ';
	squeeze(s);
	bool avg = false;
	for (int round = 0; round < 2; round++) {
		for (size_t i = 0; i < ELEMENTSOF(total_words); i++)
			if (strip_prefix(s, total_words[i]) || strip_suffix(s, total_words[i]))
				break;
		for (size_t i = 0; i < ELEMENTSOF(avg_prefixes); i++)
			if (strip_prefix(s, avg_prefixes[i])) {
				avg = true;
				break;
			}
		for (size_t i = 0; i < ELEMENTSOF(avg_suffixes); i++)
			if (strip_suffix(s, avg_suffixes[i])) {
				avg = true;
				break;
			}
	}
	for (size_t i = 0; i < ELEMENTSOF(spellings); i++) {
		if (strcmp(spellings[i].name, s) != 0)
			continue;
		int r = spellings[i].role;
		bool a = avg || spellings[i].avg;
		if (a && !is_seconds_role(r))
			return ci; /* "Avg Offered" and the like: not a column we read */
		ci.role = r;
		ci.avg = a;
		return ci;
	}
	return ci;
}

/* ---- run ---- */

struct queue {
	const char *name;
	ls_time last, la_last; /* last emitted start; last start seen while inferring */
	int32_t last_len;
	bool has_last, la_has, emitted;
};

struct slot {
	int64_t start;
	uint32_t q1; /* queue index + 1; 0 empty */
};

struct pending {
	struct rec_interval iv;
	uint32_t q;
	bool local; /* the start was a wall-clock time in options tz */
};

struct run {
	struct csv_reader *r;
	const struct import_options *o;
	const struct import_sink *sink;
	struct lserr *e;
	struct import_stats st;
	int idx[_A_MAX];
	bool avg[_A_MAX];
	double unit[_A_MAX];
	const char *hdr[_A_MAX]; /* header text as in the file, for messages */
	size_t ncols;
	int32_t len;        /* interval length of rows without their own; 0 while inferring */
	int64_t min_gap;    /* while inferring; 0 none yet */
	int32_t stated;     /* while inferring: the first length a row states; 0 none */
	struct arena arena; /* header texts, queue names */
	struct queue *queues;
	size_t n_queues, cap_queues;
	uint32_t *qmap; /* queue index + 1 */
	size_t qmap_cap;
	struct slot *seen;
	size_t n_seen, seen_cap;
	struct pending *pend;
	size_t n_pend;
	char reason[256];
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint32_t queue_of(struct run *u, const char *name)
{
	if (2 * (u->n_queues + 1) > u->qmap_cap) {
		size_t ncap = u->qmap_cap ? u->qmap_cap * 2 : 64;
		uint32_t *nm = xcalloc(ncap, sizeof(*nm));
		for (size_t i = 0; i < u->n_queues; i++) {
			size_t j = hash_str(u->queues[i].name) & (ncap - 1);
			while (nm[j])
				j = (j + 1) & (ncap - 1);
			nm[j] = (uint32_t)i + 1;
		}
		xfree(u->qmap);
		u->qmap = nm;
		u->qmap_cap = ncap;
	}
	size_t j = hash_str(name) & (u->qmap_cap - 1);
	while (u->qmap[j]) {
		if (strcmp(u->queues[u->qmap[j] - 1].name, name) == 0)
			return u->qmap[j] - 1;
		j = (j + 1) & (u->qmap_cap - 1);
	}
	if (u->n_queues == u->cap_queues) {
		u->cap_queues = u->cap_queues ? u->cap_queues * 2 : 16;
		u->queues = xrealloc(u->queues, u->cap_queues * sizeof(*u->queues));
	}
	u->queues[u->n_queues] = (struct queue){.name = arena_strdup(&u->arena, name)};
	u->qmap[j] = (uint32_t)u->n_queues + 1;
	return (uint32_t)u->n_queues++;
}

static size_t seen_pos(const struct slot *t, size_t cap, uint32_t q, int64_t start)
{
	size_t j = mix((uint64_t)start * 0x9E3779B97F4A7C15ULL ^ q) & (cap - 1);
	while (t[j].q1 && !(t[j].q1 == q + 1 && t[j].start == start))
		j = (j + 1) & (cap - 1);
	return j;
}

static bool seen_has(const struct run *u, uint32_t q, int64_t start)
{
	return u->seen_cap && u->seen[seen_pos(u->seen, u->seen_cap, q, start)].q1;
}

/* Adds (q, start) (not present). */
static void seen_add(struct run *u, uint32_t q, int64_t start)
{
	if (2 * (u->n_seen + 1) > u->seen_cap) {
		size_t ncap = u->seen_cap ? u->seen_cap * 2 : 4096;
		struct slot *nt = xcalloc(ncap, sizeof(*nt));
		for (size_t i = 0; i < u->seen_cap; i++)
			if (u->seen[i].q1)
				nt[seen_pos(nt, ncap, u->seen[i].q1 - 1, u->seen[i].start)] = u->seen[i];
		xfree(u->seen);
		u->seen = nt;
		u->seen_cap = ncap;
	}
	u->seen[seen_pos(u->seen, u->seen_cap, q, start)] = (struct slot){start, q + 1};
	u->n_seen++;
}

static int bad_row(struct run *u, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad_row(struct run *u, unsigned line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = import_vbad_row(u->o, u->sink, &u->st, u->e, csv_name(u->r), line, u->reason, sizeof(u->reason), fmt,
	                        ap);
	va_end(ap);
	return r;
}

static int header(struct run *u)
{
	struct csv_row row;
	int rc = csv_next(u->r, &row, u->e);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return lserr_set(u->e, -EINVAL, "invalid_file", "file", "%s: empty file, expected a header line",
		                 csv_name(u->r));
	for (int c = 0; c < _A_MAX; c++)
		u->idx[c] = -1;
	for (size_t i = 0; i < row.n; i++) {
		struct colinfo ci = classify(row.fields[i]);
		if (ci.role < 0)
			continue;
		/* first column of a role wins, except that a total beats an average */
		if (u->idx[ci.role] >= 0 && !(u->avg[ci.role] && !ci.avg))
			continue;
		u->idx[ci.role] = (int)i;
		u->avg[ci.role] = ci.avg;
		u->unit[ci.role] = ci.unit;
		u->hdr[ci.role] = arena_strdup(&u->arena, row.fields[i]);
	}
	u->ncols = row.n;
	const char *missing = NULL;
	if (u->idx[A_START] < 0 && u->idx[A_DATE] < 0)
		missing = "the interval start ('Interval Start', 'Intervallbeginn', or 'Date' with 'Time')";
	else if (u->idx[A_ANSWERED] < 0)
		missing = "answered calls ('Answered', 'Angenommen')";
	else if (u->idx[A_ABANDONED] < 0)
		missing = "abandoned calls ('Abandoned', 'Aufgelegt', 'Verloren')";
	if (missing)
		return lserr_set(u->e, -EINVAL, "invalid_file", "file",
		                 "%s:%u: no column for %s; not an ACD interval export", csv_name(u->r), row.line,
		                 missing);
	return 0;
}

/* ---- cell values ---- */

/* A whole number (also "12,0"). -ENODATA missing, -EINVAL otherwise. */
static int parse_count(const char *s, int64_t *ret)
{
	double d;
	int r = value_double(s, -1e12, 1e12, &d);
	if (r < 0)
		return r == -ENODATA ? r : -EINVAL;
	if (d != floor(d))
		return -EINVAL;
	*ret = (int64_t)d;
	return 0;
}

/* "H:MM:SS", or two parts: "M:SS" (hm false) or "H:MM" (hm true); the last part may
 * carry a fraction; a leading '-' makes it negative. */
static int parse_clock(const char *s, bool hm, double *ret)
{
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	int64_t part[3];
	int n = 0;
	for (;;) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		int64_t v = 0;
		while (*p >= '0' && *p <= '9') {
			if (v > 100000000)
				return -ERANGE;
			v = v * 10 + (*p++ - '0');
		}
		part[n++] = v;
		if (*p == ':' && n < 3) {
			p++;
			continue;
		}
		break;
	}
	double frac = 0;
	if (*p == '.' || *p == ',') {
		p++;
		if (*p < '0' || *p > '9')
			return -EINVAL;
		double f = 0.1;
		for (; *p >= '0' && *p <= '9'; p++, f /= 10)
			frac += (*p - '0') * f;
	}
	if (*p || n < 2)
		return -EINVAL;
	for (int i = 1; i < n; i++)
		if (part[i] >= 60)
			return -ERANGE;
	double secs;
	if (n == 3)
		secs = (double)(part[0] * 3600 + part[1] * 60 + part[2]);
	else
		secs = hm ? (double)(part[0] * 3600 + part[1] * 60) : (double)(part[0] * 60 + part[1]);
	secs += frac;
	*ret = neg ? -secs : secs;
	return 0;
}

/* Seconds: a number scaled by unit (default `deflt`), or a clock "H:MM:SS". */
static int parse_secs(const char *s, double unit, double deflt, bool hm, double *ret)
{
	if (value_is_missing(s))
		return -ENODATA;
	if (strchr(s, ':'))
		return parse_clock(s, hm, ret);
	double d;
	int r = value_double(s, -1e15, 1e15, &d);
	if (r < 0)
		return -EINVAL;
	*ret = d * (unit ? unit : deflt);
	return 0;
}

/* Time of day "H:MM" or "H:MM:SS" at *pp → seconds since midnight (24:00 allowed
 * when end); advances *pp. */
static bool time_of_day(const char **pp, bool end, int *ret)
{
	const char *p = *pp;
	int v[3] = {0, 0, 0}, n = 0;
	while (n < 3) {
		int d = 0, x = 0;
		while (*p >= '0' && *p <= '9' && d < 2) {
			x = x * 10 + (*p++ - '0');
			d++;
		}
		if (d == 0 || (n > 0 && d != 2))
			return false;
		v[n++] = x;
		if (*p != ':')
			break;
		p++;
	}
	if (n < 2 || v[1] > 59 || v[2] > 59 || v[0] > 24 || (v[0] == 24 && (!end || v[1] || v[2])))
		return false;
	*pp = p;
	*ret = v[0] * 3600 + v[1] * 60 + v[2];
	return true;
}

static bool is_total_row(const char *s)
{
	if (!s)
		return false;
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == ':'))
		n--;
	for (size_t i = 0; i < ELEMENTSOF(total_rows); i++)
		if (strlen(total_rows[i]) == n && strncasecmp(s, total_rows[i], n) == 0)
			return true;
	return false;
}

static const char *cell(const struct run *u, const struct csv_row *row, int role)
{
	return u->idx[role] < 0 ? NULL : value_or_null(row->fields[u->idx[role]]);
}

static const char *label(const struct run *u, int role)
{
	return u->hdr[role];
}

/* Whether a stamp value_time() accepted names its zone ('Z' or an offset after the
 * time). */
static bool has_zone(const char *s)
{
	const char *c = strchr(s, ':');
	return c && (strchr(c, 'Z') || strchr(c, '+') || strchr(c, '-'));
}

/* Start and (when the row states it) length of the row's interval, and whether the
 * start was local time in options tz. 0, or a bad row reason in why. */
static int row_start(struct run *u, const struct csv_row *row, ls_time *start, int32_t *len, bool *local, char *why,
                     size_t wn)
{
	enum value_date_order order = u->o->date_order;
	*len = 0;
	*local = false;
	bool have_date = u->idx[A_DATE] >= 0;
	int trole = u->idx[A_TIME] >= 0 ? A_TIME : A_START;
	const char *d = have_date ? cell(u, row, A_DATE) : NULL;
	const char *t = cell(u, row, trole);
	int sod = -1, eod = -1;
	if (have_date && !d) {
		if (t && value_time(t, order, u->o->tz, start) == 0) {
			*local = u->o->tz && !has_zone(t);
			goto end;
		}
		snprintf(why, wn, "%s (the date) is missing", label(u, A_DATE));
		return -EINVAL;
	}
	if (!have_date) {
		if (!t) {
			snprintf(why, wn, "%s (the interval start) is missing", label(u, A_START));
			return -EINVAL;
		}
		if (value_time(t, order, u->o->tz, start) < 0) {
			snprintf(why, wn, "%s: not a timestamp: '%.40s'", label(u, A_START), t);
			return -EINVAL;
		}
		*local = u->o->tz && !has_zone(t);
		goto end;
	}
	if (t && value_time(t, order, u->o->tz, start) == 0) {
		*local = u->o->tz && !has_zone(t);
	} else {
		char buf[96];
		if (t) {
			const char *p = t;
			while (*p == ' ')
				p++;
			if (!time_of_day(&p, false, &sod)) {
				snprintf(why, wn, "%s: not a time of day: '%.40s'", label(u, trole), t);
				return -EINVAL;
			}
			while (*p == ' ')
				p++;
			if (*p == '-' || (p[0] == '\xe2' && p[1] == '\x80' && p[2] == '\x93')) {
				p += *p == '-' ? 1 : 3;
				while (*p == ' ')
					p++;
				if (!time_of_day(&p, true, &eod)) {
					snprintf(why, wn, "%s: not a time range: '%.40s'", label(u, trole), t);
					return -EINVAL;
				}
				while (*p == ' ')
					p++;
			}
			if (*p) {
				snprintf(why, wn, "%s: not a time of day: '%.40s'", label(u, trole), t);
				return -EINVAL;
			}
		}
		if (strlen(d) > 40) {
			snprintf(why, wn, "%s: not a date: '%.40s'", label(u, A_DATE), d);
			return -EINVAL;
		}
		if (sod >= 0)
			snprintf(buf, sizeof(buf), "%s %02d:%02d:%02d", d, sod / 3600, sod / 60 % 60, sod % 60);
		else
			snprintf(buf, sizeof(buf), "%s", d);
		if (value_time(buf, order, u->o->tz, start) < 0) {
			snprintf(why, wn, "%s: not a date: '%.40s'", label(u, A_DATE), d);
			return -EINVAL;
		}
		*local = u->o->tz != NULL;
		if (eod >= 0) {
			int l = eod - sod;
			if (l <= 0)
				l += 86400;
			*len = l;
		}
	}
end:;
	const char *ev = cell(u, row, A_END);
	if (ev) {
		ls_time end;
		const char *p = ev;
		int e2;
		if (value_time(ev, order, u->o->tz, &end) == 0) {
			if (end <= *start) {
				snprintf(why, wn, "%s '%.40s' is not after the interval start", label(u, A_END), ev);
				return -EINVAL;
			}
			if (end - *start > 86400) {
				snprintf(why, wn, "%s '%.40s' is more than a day after the start", label(u, A_END), ev);
				return -EINVAL;
			}
			*len = (int32_t)(end - *start);
		} else if (time_of_day(&p, true, &e2) && !*p) {
			/* a time of day: the first such instant after the start */
			int64_t local_sod =
			        ((*start + (u->o->tz ? tz_offset_at(u->o->tz, *start) : 0)) % 86400 + 86400) % 86400;
			int64_t l = e2 - local_sod;
			if (l <= 0)
				l += 86400;
			*len = (int32_t)l;
		} else {
			snprintf(why, wn, "%s: not a timestamp: '%.40s'", label(u, A_END), ev);
			return -EINVAL;
		}
	}
	const char *lv = cell(u, row, A_LENGTH);
	if (lv && !ev) {
		double s;
		if (parse_secs(lv, u->unit[A_LENGTH], 60, true, &s) < 0) {
			snprintf(why, wn, "%s: not a length: '%.40s'", label(u, A_LENGTH), lv);
			return -EINVAL;
		}
		if (!(s >= 1 && s <= 86400)) {
			snprintf(why, wn, "%s %.40s is not between 1 second and 1 day", label(u, A_LENGTH), lv);
			return -EINVAL;
		}
		*len = (int32_t)lround(s);
	}
	return 0;
}

/* ---- emitting ---- */

/* When the wall-clock time of UTC instant t occurs twice in tz (clocks go back) and t
 * is its first occurrence: the second one into *ret. */
static bool second_occurrence(const struct tz *tz, ls_time t, ls_time *ret)
{
	int32_t off = tz_offset_at(tz, t);
	int64_t shift = (int64_t)off - tz_offset_at(tz, t + 4 * 3600);
	if (shift <= 0)
		return false;
	ls_time alt = t + shift;
	if (alt + tz_offset_at(tz, alt) != t + off)
		return false;
	*ret = alt;
	return true;
}

static int emit(struct run *u, struct pending *pd)
{
	struct rec_interval *iv = &pd->iv;
	struct queue *q = &u->queues[pd->q];
	if (!iv->length)
		iv->length = u->len;
	char when[40];
	ls_time later;
	bool seen = seen_has(u, pd->q, iv->start);
	if (seen && pd->local && second_occurrence(u->o->tz, iv->start, &later) && !seen_has(u, pd->q, later)) {
		iv->start = later; /* the repeated hour when clocks go back: its second pass */
		seen = false;
	}
	if (seen)
		return bad_row(u, iv->line, "queue '%.60s': a second interval starting at %s; this row is ignored",
		               q->name, time_format_rfc3339(iv->start, when, sizeof(when)));
	if (q->has_last) {
		int64_t gap = iv->start - q->last;
		int64_t need = gap > 0 ? q->last_len : iv->length;
		if (gap < 0)
			gap = -gap;
		if (gap < need)
			return bad_row(u, iv->line,
			               "queue '%.60s': the interval starting at %s overlaps the previous one (%lld s "
			               "apart, interval length %lld s); this row is ignored",
			               q->name, time_format_rfc3339(iv->start, when, sizeof(when)), (long long)gap,
			               (long long)need);
	}
	if (u->n_seen >= LS_MAX_IMPORT_INTERVALS)
		return lserr_set(u->e, -EINVAL, "invalid_file", "file",
		                 "%s: more than %d intervals in one file; split it", csv_name(u->r),
		                 LS_MAX_IMPORT_INTERVALS);
	seen_add(u, pd->q, iv->start);
	q->last = iv->start;
	q->last_len = iv->length;
	q->has_last = true;
	if (!q->emitted) {
		q->emitted = true;
		u->st.queues++;
	}
	iv->queue = q->name;
	int rc;
	if (u->sink->interval && (rc = u->sink->interval(u->sink->ctx, iv)) < 0)
		return rc;
	u->st.intervals++;
	return 0;
}

/* Fixes the inferred length and emits the held rows. */
static int flush_pending(struct run *u)
{
	if (u->len)
		return 0;
	if (u->stated)
		u->len = u->stated;
	else
		u->len = u->min_gap >= 60 && u->min_gap <= 86400 ? (int32_t)u->min_gap : ACD_DEFAULT_INTERVAL;
	int rc = 0;
	for (size_t i = 0; i < u->n_pend && rc == 0; i++)
		rc = emit(u, &u->pend[i]);
	u->n_pend = 0;
	return rc;
}

static bool all_empty(const struct csv_row *row)
{
	for (size_t i = 0; i < row->n; i++)
		for (const char *p = row->fields[i]; *p; p++)
			if (*p != ' ')
				return false;
	return true;
}

static int add_row(struct run *u, const struct csv_row *row)
{
	if (all_empty(row))
		return 0;
	if (row->n < u->ncols)
		return bad_row(u, row->line, "%zu fields, the header has %zu", row->n, u->ncols);
	for (size_t i = u->ncols; i < row->n; i++)
		if (*row->fields[i])
			return bad_row(u, row->line, "%zu fields, the header has %zu", row->n, u->ncols);

	int srole = u->idx[A_DATE] >= 0 ? A_DATE : A_START;
	const char *sv = u->idx[srole] >= 0 ? row->fields[u->idx[srole]] : NULL;
	if (is_total_row(sv) ||
	    (!value_or_null(sv) && u->idx[A_QUEUE] >= 0 && is_total_row(row->fields[u->idx[A_QUEUE]])))
		return 0;

	struct pending pd;
	struct rec_interval *iv = &pd.iv;
	rec_interval_init(iv);
	iv->line = row->line;
	char why[200];
	if (row_start(u, row, &iv->start, &iv->length, &pd.local, why, sizeof(why)) < 0)
		return bad_row(u, row->line, "%s", why);

	if (u->idx[A_QUEUE] >= 0) {
		const char *qv = cell(u, row, A_QUEUE);
		if (!qv)
			return bad_row(u, row->line, "%s (the queue) is missing", label(u, A_QUEUE));
		pd.q = queue_of(u, qv);
	} else {
		pd.q = queue_of(u, "default");
	}

	/* counts */
	int64_t cnt[_A_MAX] = {0};
	bool known[_A_MAX] = {false};
	bool any = false;
	for (int c = A_OFFERED; c <= A_SHORT; c++) {
		const char *v = cell(u, row, c);
		if (!v)
			continue;
		if (parse_count(v, &cnt[c]) < 0)
			return bad_row(u, row->line, "%s: not a whole number: '%.40s'", label(u, c), v);
		if (cnt[c] < 0)
			return bad_row(u, row->line, "%s is negative (%lld)", label(u, c), (long long)cnt[c]);
		known[c] = any = true;
	}
	/* seconds */
	double sec[_A_MAX] = {0};
	for (int c = A_THRESHOLD; c <= A_WAIT; c++) {
		const char *v = cell(u, row, c);
		if (!v)
			continue;
		if (parse_secs(v, u->unit[c], 1, false, &sec[c]) < 0)
			return bad_row(u, row->line, "%s: not a duration: '%.40s'", label(u, c), v);
		if (sec[c] < 0)
			return bad_row(u, row->line, "%s is negative (%.40s)", label(u, c), v);
		known[c] = true;
		any |= c != A_THRESHOLD;
	}
	if (!any) {
		/* an interval without traffic */
		known[A_ANSWERED] = known[A_ABANDONED] = known[A_OFFERED] = true;
		cnt[A_ANSWERED] = cnt[A_ABANDONED] = cnt[A_OFFERED] = 0;
	}
	if (!known[A_ANSWERED])
		return bad_row(u, row->line, "%s (answered calls) is missing", label(u, A_ANSWERED));
	if (!known[A_ABANDONED])
		return bad_row(u, row->line, "%s (abandoned calls) is missing", label(u, A_ABANDONED));
	iv->answered = cnt[A_ANSWERED];
	iv->abandoned = cnt[A_ABANDONED];
	iv->offered = known[A_OFFERED] ? cnt[A_OFFERED] : iv->answered + iv->abandoned;
	if (iv->answered + iv->abandoned > iv->offered)
		return bad_row(u, row->line, "answered %lld + abandoned %lld is more than offered %lld",
		               (long long)iv->answered, (long long)iv->abandoned, (long long)iv->offered);
	if (known[A_SL_ANSWERED]) {
		if (cnt[A_SL_ANSWERED] > iv->answered)
			return bad_row(u, row->line, "%s %lld is more than answered %lld", label(u, A_SL_ANSWERED),
			               (long long)cnt[A_SL_ANSWERED], (long long)iv->answered);
		iv->answered_within = cnt[A_SL_ANSWERED];
	}
	if (known[A_SL_ABANDONED]) {
		if (cnt[A_SL_ABANDONED] > iv->abandoned)
			return bad_row(u, row->line, "%s %lld is more than abandoned %lld", label(u, A_SL_ABANDONED),
			               (long long)cnt[A_SL_ABANDONED], (long long)iv->abandoned);
		iv->abandoned_within = cnt[A_SL_ABANDONED];
	}
	if (known[A_SHORT]) {
		if (cnt[A_SHORT] > iv->abandoned)
			return bad_row(u, row->line, "%s %lld is more than abandoned %lld", label(u, A_SHORT),
			               (long long)cnt[A_SHORT], (long long)iv->abandoned);
		iv->abandoned_short = cnt[A_SHORT];
	}
	if (known[A_THRESHOLD]) {
		if (!(sec[A_THRESHOLD] >= 1 && sec[A_THRESHOLD] <= 86400))
			return bad_row(u, row->line, "%s %g s is not between 1 s and 1 day", label(u, A_THRESHOLD),
			               sec[A_THRESHOLD]);
		iv->threshold = (int32_t)lround(sec[A_THRESHOLD]);
	}
	double *dst[] = {[A_TALK] = &iv->talk,
	                 [A_HOLD] = &iv->hold,
	                 [A_WRAP] = &iv->wrap_up,
	                 [A_HANDLE] = &iv->handle,
	                 [A_WAIT] = &iv->wait};
	for (int c = A_TALK; c <= A_WAIT; c++)
		if (known[c])
			*dst[c] = u->avg[c] ? sec[c] * (double)iv->answered : sec[c];

	if (u->len)
		return emit(u, &pd);
	/* inferring the length: hold the row, note its length or the gap to the queue's
	 * previous start */
	if (iv->length && !u->stated)
		u->stated = iv->length;
	struct queue *q = &u->queues[pd.q];
	if (q->la_has) {
		int64_t gap = iv->start > q->la_last ? iv->start - q->la_last : q->la_last - iv->start;
		if (gap > 0 && (u->min_gap == 0 || gap < u->min_gap))
			u->min_gap = gap;
	}
	q->la_last = iv->start;
	q->la_has = true;
	if (!u->pend)
		u->pend = xmalloc(ACD_LOOKAHEAD_ROWS * sizeof(*u->pend));
	u->pend[u->n_pend++] = pd;
	return u->n_pend == ACD_LOOKAHEAD_ROWS ? flush_pending(u) : 0;
}

int acd_import(struct csv_reader *r, const struct import_options *o, int interval_seconds,
               const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
{
	if (interval_seconds < 0 || interval_seconds > 86400)
		return lserr_set(e, -EINVAL, "invalid_field", "interval", "the interval length must be 1 s to 1 day");
	struct run u = {.r = r, .o = o, .sink = sink, .e = e, .len = interval_seconds};
	arena_init(&u.arena);
	int rc = header(&u);
	while (rc == 0) {
		struct csv_row row;
		rc = csv_next(r, &row, e);
		if (rc == 0)
			break;
		if (rc == -LS_ETOOLARGE) {
			u.st.rows++;
			rc = bad_row(&u, row.line, "%s", e ? e->message : "record too long");
			continue;
		}
		if (rc < 0)
			break;
		u.st.rows++;
		rc = add_row(&u, &row);
	}
	if (rc == 0)
		rc = flush_pending(&u);
	if (rc == 0 && ret_stats)
		*ret_stats = u.st;
	xfree(u.pend);
	xfree(u.seen);
	xfree(u.qmap);
	xfree(u.queues);
	arena_release(&u.arena);
	return rc;
}

int acd_import_file(const char *path, const struct import_options *o, int interval_seconds,
                    const struct import_sink *sink, struct import_stats *ret_stats, struct lserr *e)
{
	struct csv_reader *r = NULL;
	int rc = csv_open_file(path, o->sep, &r, e);
	if (rc < 0)
		return rc;
	rc = acd_import(r, o, interval_seconds, sink, ret_stats, e);
	csv_close(r);
	return rc;
}
