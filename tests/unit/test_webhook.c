/* Tests for jobs/webhook.c: HMAC-SHA256 against the RFC 4231 cases and the
 * "<ts>.<body>" signature against values computed independently; the retry schedule
 * (doubling, cap, jitter bound, monotonic waits, giving up after 24 hours); the text of
 * every event in English and German; bodies per format; URL checks; and POSTs to a
 * small HTTP server started on 127.0.0.1 in a thread: headers and signature arrive, 2xx
 * and 500, a closed port, a receiver that never answers, a huge or binary answer.
 * Includes webhook.c to reach the HMAC primitive. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../../src/jobs/webhook.c"
#include "core/limits.h"

/* --- HMAC and signature --- */

static void hex(const unsigned char *mac, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static void test_hmac_sha256_matches_rfc4231_test_cases(void **state)
{
	(void)state;
	unsigned char k1[20], k3[20], k4[25], k5[20], k6[131], d3[50], d4[50];
	memset(k1, 0x0b, sizeof(k1));
	memset(k3, 0xaa, sizeof(k3));
	for (size_t i = 0; i < sizeof(k4); i++)
		k4[i] = (unsigned char)(i + 1);
	memset(k5, 0x0c, sizeof(k5));
	memset(k6, 0xaa, sizeof(k6));
	memset(d3, 0xdd, sizeof(d3));
	memset(d4, 0xcd, sizeof(d4));
	static const char d6[] = "Test Using Larger Than Block-Size Key - Hash Key First";
	static const char d7[] = "This is a test using a larger than block-size key and a larger than block-size data. "
	                         "The key needs to be hashed before being used by the HMAC algorithm.";
	const struct {
		const void *key;
		size_t keylen;
		const void *data;
		size_t len;
		const char *want; /* RFC 4231 section 4; case 5 is truncated to 128 bits there */
	} cases[] = {
	        {k1, sizeof(k1), "Hi There", 8, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
	        {"Jefe", 4, "what do ya want for nothing?", 28,
	         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	        {k3, sizeof(k3), d3, sizeof(d3), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
	        {k4, sizeof(k4), d4, sizeof(d4), "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
	        {k5, sizeof(k5), "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b"},
	        {k6, sizeof(k6), d6, sizeof(d6) - 1,
	         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
	        {k6, sizeof(k6), d7, sizeof(d7) - 1,
	         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char mac[32];
		char got[65];
		hmac_sha256(cases[i].key, cases[i].keylen, cases[i].data, cases[i].len, NULL, 0, mac);
		hex(mac, sizeof(mac), got);
		if (strncmp(got, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("RFC 4231 case %zu: got %s", i + 1, got);
		/* the same message fed in two parts */
		hmac_sha256(cases[i].key, cases[i].keylen, cases[i].data, cases[i].len / 3,
		            (const char *)cases[i].data + cases[i].len / 3, cases[i].len - cases[i].len / 3, mac);
		hex(mac, sizeof(mac), got);
		assert_memory_equal(got, cases[i].want, strlen(cases[i].want));
	}
}

/* The expected values below were computed once with Python's hmac module, e.g.
 * python3 -c 'import hmac,hashlib; print(hmac.new(b"whsec-0123456789abcdef",
 *   b"1795788000.{\"id\":123,\"event\":\"sla.breach\"}", hashlib.sha256).hexdigest())' */
#define SIG_SECRET "whsec-0123456789abcdef"
#define SIG_TS     INT64_C(1795788000) /* 2026-11-27T14:00:00Z */
#define SIG_BODY   "{\"id\":123,\"event\":\"sla.breach\"}"
#define SIG_WANT   "sha256=0239e8abe514875c0f12d5f7cd0ee570238b1d5aaa7f9cd8f01e19a0fda47805"

static void test_signature_is_hmac_of_timestamp_dot_body(void **state)
{
	(void)state;
	char sig[72];
	memset(sig, 'x', sizeof(sig));
	webhook_sign(SIG_SECRET, SIG_TS, SIG_BODY, strlen(SIG_BODY), sig);
	assert_string_equal(sig, SIG_WANT);
	assert_int_equal(strlen(sig), 71);
	/* negative timestamp, empty body: python3 ... hmac.new(b"k", b"-5.", ...) */
	webhook_sign("k", -5, "", 0, sig);
	assert_string_equal(sig, "sha256=fb20eef0229e726d3f3025e11de3d39322d47728e174e3a8825459d1d33a8b49");
	/* NULL secret is the empty key; only len bytes of the body count: hmac.new(b"", b"0.x", ...) */
	webhook_sign(NULL, 0, "xyz", 1, sig);
	assert_string_equal(sig, "sha256=700eecec9dab1af0c68c5faed9ec417f29e96e084d7a08de14d545c02b0cbc55");
	webhook_sign("", 0, "x", 1, sig);
	assert_string_equal(sig, "sha256=700eecec9dab1af0c68c5faed9ec417f29e96e084d7a08de14d545c02b0cbc55");
	/* any change of timestamp or body changes the value */
	webhook_sign(SIG_SECRET, SIG_TS + 1, SIG_BODY, strlen(SIG_BODY), sig);
	assert_string_not_equal(sig, SIG_WANT);
	webhook_sign(SIG_SECRET, SIG_TS, SIG_BODY, strlen(SIG_BODY) - 1, sig);
	assert_string_not_equal(sig, SIG_WANT);
}

/* --- retries --- */

static void test_backoff_doubles_from_base_up_to_an_hour(void **state)
{
	(void)state;
	const int64_t t0 = 1795788000;
	/* seed whose jitter is 0 per mille would be luck; bound the wait instead */
	for (uint64_t seed = 0; seed < 2000; seed++) {
		int64_t prev_wait = 0;
		for (unsigned a = 1; a <= 20; a++) {
			int64_t d = 30;
			for (unsigned i = 1; i < a && d < 3600; i++)
				d *= 2;
			if (d > 3600)
				d = 3600;
			int64_t next = webhook_next_attempt(t0, t0, a, 30, seed);
			int64_t wait = next - t0;
			if (wait < d || wait > d + d / 10)
				fail_msg("seed %llu attempt %u: wait %lld outside [%lld, %lld]",
				         (unsigned long long)seed, a, (long long)wait, (long long)d,
				         (long long)(d + d / 10));
			assert_true(wait >= prev_wait); /* never shrinks */
			prev_wait = wait;
		}
	}
	/* the schedule without jitter: 30 s, 1, 2, 4, 8, 16, 32 min, then the hour */
	uint64_t seed0 = 0;
	while (mix(seed0) % 101 != 0)
		seed0++;
	static const int64_t want[] = {30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600};
	for (unsigned a = 1; a <= 10; a++)
		assert_int_equal(webhook_next_attempt(100, 100, a, 30, seed0) - 100, want[a - 1]);
	/* other bases; a base above the cap is the cap; 0 and negative are the default */
	assert_int_equal(webhook_next_attempt(100, 100, 1, 5, seed0), 105);
	assert_int_equal(webhook_next_attempt(100, 100, 3, 5, seed0), 120);
	assert_int_equal(webhook_next_attempt(100, 100, 1, 7200, seed0), 3700);
	assert_int_equal(webhook_next_attempt(100, 100, 1, 0, seed0), 130);
	assert_int_equal(webhook_next_attempt(100, 100, 1, -4, seed0), 130);
	/* attempts 0 counts as 1; a huge count does not overflow */
	assert_int_equal(webhook_next_attempt(100, 100, 0, 30, seed0), 130);
	assert_int_equal(webhook_next_attempt(100, 100, UINT32_MAX, 30, seed0), 3700);
}

static void test_backoff_jitter_spreads_deliveries_by_seed(void **state)
{
	(void)state;
	/* at the cap the jitter is 0..360 s; 1000 deliveries should use most of the range */
	bool seen[361] = {false};
	size_t distinct = 0;
	int64_t lo = INT64_MAX, hi = 0;
	for (uint64_t id = 1; id <= 1000; id++) {
		int64_t j = webhook_next_attempt(1000, 1000, 9, 30, id) - 1000 - 3600;
		assert_true(j >= 0 && j <= 360);
		if (!seen[j]) {
			seen[j] = true;
			distinct++;
		}
		lo = j < lo ? j : lo;
		hi = j > hi ? j : hi;
		/* deterministic */
		assert_int_equal(webhook_next_attempt(1000, 1000, 9, 30, id),
		                 webhook_next_attempt(1000, 1000, 9, 30, id));
	}
	assert_true(distinct > 50);
	assert_true(lo < 36 && hi > 324);
}

static void test_backoff_retries_for_at_least_a_day_then_gives_up(void **state)
{
	(void)state;
	for (uint64_t seed = 0; seed < 200; seed++) {
		const int64_t first = 1795788000;
		int64_t at = first, prev = first;
		unsigned attempts = 0;
		for (;;) {
			attempts++; /* the attempt at `at` failed */
			int64_t next = webhook_next_attempt(first, at, attempts, 30, seed);
			if (next == 0)
				break;
			assert_true(next > at);
			assert_true(next - at <= 3960);
			assert_true(next - at >= at - prev); /* waits never shrink */
			prev = at;
			at = next;
			assert_true(attempts < 100);
		}
		/* the last failed attempt lies beyond 24 h, and not much more */
		assert_true(at - first > 24 * 3600);
		assert_true(at - first <= 24 * 3600 + 3960);
		assert_true(attempts >= 25 && attempts <= 36);
	}
	/* the boundary: exactly 24 h after the first attempt still retries */
	assert_int_not_equal(webhook_next_attempt(1000, 1000 + 86400, 30, 30, 1), 0);
	assert_int_equal(webhook_next_attempt(1000, 1000 + 86401, 30, 30, 1), 0);
	/* first_at 0: unknown, counts as the last attempt */
	assert_int_not_equal(webhook_next_attempt(0, 1795788000, 1, 30, 1), 0);
	/* absurd instants do not overflow */
	assert_int_equal(webhook_next_attempt(INT64_MAX - 10, INT64_MAX - 5, 1, 30, 1), 0);
	assert_int_equal(webhook_next_attempt(INT64_MIN, 1000, 1, 30, 1), 0);
}

/* --- texts --- */

static const char *const EVENT_BASE =
        "{\"id\":123,\"at\":\"2026-11-27T14:00:00Z\",\"client\":\"ACME\","
        "\"ticket\":{\"number\":\"INC0000001\",\"title\":\"Printer on fire\","
        "\"priority\":\"P1\",\"state\":\"in_progress\",\"team\":\"L1\"},"
        "\"sla\":{\"target\":\"resolution\",\"due\":\"2026-11-27T14:00:00Z\",\"percent\":75,"
        "\"level\":2,\"owner\":\"team_lead\",\"action\":\"notify\",\"escalation_id\":7,"
        "\"policy\":\"Gold v3\"}}";

static json_t *event(const char *name)
{
	json_error_t je;
	json_t *ev = json_loads(EVENT_BASE, 0, &je);
	if (!ev)
		fail_msg("test event: %s", je.text);
	if (name)
		json_object_set_new(ev, "event", json_string(name));
	return ev;
}

/* The text of ev in lang; ev is released. */
static char *text_of(json_t *ev, const char *lang)
{
	struct strbuf sb = STRBUF_INIT;
	int r = webhook_text(ev, lang, &sb);
	json_decref(ev);
	assert_int_equal(r, 0);
	assert_true(sb.len <= WEBHOOK_TEXT_MAX);
	for (size_t i = 0; i < sb.len; i++)
		assert_true((unsigned char)sb.buf[i] >= 0x20);
	json_t *valid = json_string(sb.buf); /* NULL when not UTF-8 */
	assert_non_null(valid);
	json_decref(valid);
	static char keep[4][WEBHOOK_TEXT_MAX + 1];
	static unsigned n;
	char *ret = keep[n++ % 4];
	snprintf(ret, WEBHOOK_TEXT_MAX + 1, "%s", sb.buf);
	strbuf_release(&sb);
	return ret;
}

static void test_sla_texts_in_english_and_german(void **state)
{
	(void)state;
	assert_string_equal(text_of(event("sla.warning"), "en"),
	                    "SLA warning: INC0000001 (P1, ACME) has used 75 % of its resolution target, "
	                    "due 2026-11-27 14:00 UTC — Printer on fire");
	assert_string_equal(text_of(event("sla.warning"), "de"),
	                    "SLA-Warnung: INC0000001 (P1, ACME) hat 75 % der Lösungszeit verbraucht, "
	                    "fällig 2026-11-27 14:00 UTC — Printer on fire");
	assert_string_equal(text_of(event("sla.breach"), "en"),
	                    "SLA breach: INC0000001 (P1, ACME) missed its resolution target due 2026-11-27 14:00 UTC "
	                    "— Printer on fire");
	assert_string_equal(text_of(event("sla.breach"), "de"),
	                    "SLA verletzt: INC0000001 (P1, ACME) hat die Lösungszeit (fällig 2026-11-27 14:00 UTC) "
	                    "überschritten — Printer on fire");
	assert_string_equal(text_of(event("sla.escalation"), "en"),
	                    "Escalation level 2 for INC0000001 (P1, ACME), resolution target: notify team_lead");
	assert_string_equal(text_of(event("sla.escalation"), "de"),
	                    "Eskalationsstufe 2 für INC0000001 (P1, ACME), Lösungszeit: team_lead benachrichtigen");

	json_t *ev = event("sla.escalation");
	json_t *sla = json_object_get(ev, "sla");
	json_object_set_new(sla, "action", json_string("reassign"));
	json_object_set_new(sla, "owner", json_string("L2"));
	json_object_set_new(sla, "target", json_string("first_response"));
	json_t *ev2 = json_deep_copy(ev);
	assert_string_equal(text_of(ev, "en"),
	                    "Escalation level 2 for INC0000001 (P1, ACME), first response target: reassign to L2");
	assert_string_equal(text_of(ev2, "de"),
	                    "Eskalationsstufe 2 für INC0000001 (P1, ACME), Reaktionszeit: an L2 übergeben");

	/* warning without percent, breach without due, an unknown target kind */
	ev = event("sla.warning");
	json_object_del(json_object_get(ev, "sla"), "percent");
	json_object_set_new(json_object_get(ev, "sla"), "target", json_string("next_update"));
	ev2 = json_deep_copy(ev);
	assert_string_equal(text_of(ev, "en"), "SLA warning: INC0000001 (P1, ACME) is close to its next update target, "
	                                       "due 2026-11-27 14:00 UTC — Printer on fire");
	assert_string_equal(text_of(ev2, "de"), "SLA-Warnung: INC0000001 (P1, ACME) nähert sich dem Ende der "
	                                        "Rückmeldezeit, fällig 2026-11-27 14:00 UTC — Printer on fire");
	ev = event("sla.breach");
	json_object_set_new(json_object_get(ev, "sla"), "due", json_null());
	json_object_set_new(json_object_get(ev, "sla"), "target", json_string("callback"));
	ev2 = json_deep_copy(ev);
	assert_string_equal(text_of(ev, "en"),
	                    "SLA breach: INC0000001 (P1, ACME) missed its callback target — Printer on fire");
	assert_string_equal(
	        text_of(ev2, "de"),
	        "SLA verletzt: INC0000001 (P1, ACME) hat die Zielzeit callback überschritten — Printer on fire");
}

static void test_ticket_texts_in_english_and_german(void **state)
{
	(void)state;
	assert_string_equal(text_of(event("ticket.created"), "en"),
	                    "New ticket INC0000001 (P1, ACME) — Printer on fire");
	assert_string_equal(text_of(event("ticket.created"), "de"),
	                    "Neues Ticket INC0000001 (P1, ACME) — Printer on fire");
	json_t *ev = event("ticket.state");
	json_object_set_new(ev, "from", json_string("new"));
	json_t *ev2 = json_deep_copy(ev);
	assert_string_equal(text_of(ev, "en"), "INC0000001 (P1, ACME) is now in progress (was new) — Printer on fire");
	assert_string_equal(text_of(ev2, "de"),
	                    "INC0000001 (P1, ACME) ist jetzt in Bearbeitung (vorher neu) — Printer on fire");
	assert_string_equal(text_of(event("ticket.state"), "en"),
	                    "INC0000001 (P1, ACME) is now in progress — Printer on fire");
	assert_string_equal(text_of(event("ticket.reply"), "en"),
	                    "New reply on INC0000001 (P1, ACME) — Printer on fire");
	assert_string_equal(text_of(event("ticket.reply"), "de"),
	                    "Neue Antwort zu INC0000001 (P1, ACME) — Printer on fire");
	ev = event("ticket.assigned");
	json_object_set_new(json_object_get(ev, "ticket"), "assignee", json_string("anna@example.com"));
	ev2 = json_deep_copy(ev);
	assert_string_equal(text_of(ev, "en"),
	                    "INC0000001 (P1, ACME) assigned to anna@example.com (team L1) — Printer on fire");
	assert_string_equal(text_of(ev2, "de"),
	                    "INC0000001 (P1, ACME) zugewiesen an anna@example.com (Team L1) — Printer on fire");
	assert_string_equal(text_of(event("ticket.assigned"), "en"),
	                    "INC0000001 (P1, ACME) assigned to team L1 — Printer on fire");
	assert_string_equal(text_of(event("ticket.assigned"), "de"),
	                    "INC0000001 (P1, ACME) dem Team L1 zugewiesen — Printer on fire");
	ev = event("ticket.priority");
	json_object_set_new(ev, "from", json_string("P3"));
	ev2 = json_deep_copy(ev);
	assert_string_equal(text_of(ev, "en"), "Priority changed: INC0000001 (P1, ACME), was P3 — Printer on fire");
	assert_string_equal(text_of(ev2, "de"),
	                    "Priorität geändert: INC0000001 (P1, ACME), vorher P3 — Printer on fire");
}

static void test_unknown_and_sparse_events_get_a_generic_text(void **state)
{
	(void)state;
	assert_string_equal(text_of(event("ticket.merged"), "en"),
	                    "Leitstand event ticket.merged for INC0000001 (P1, ACME) — Printer on fire");
	assert_string_equal(text_of(event("ticket.merged"), "de"),
	                    "Leitstand-Ereignis ticket.merged zu INC0000001 (P1, ACME) — Printer on fire");
	assert_string_equal(text_of(event(NULL), "en"), "Leitstand event for INC0000001 (P1, ACME) — Printer on fire");
	assert_string_equal(text_of(json_object(), "en"), "Leitstand event");
	assert_string_equal(text_of(json_pack("{s:s}", "event", "sla.breach"), "en"),
	                    "SLA breach: a ticket missed its target");
	assert_string_equal(text_of(json_pack("{s:s, s:n, s:i}", "event", "sla.escalation", "ticket", "sla", 3), "de"),
	                    "Eskalationsstufe für ein Ticket, Zielzeit");
	/* unknown language: English; strings of the wrong type count as absent */
	assert_string_equal(text_of(json_pack("{s:s, s:i, s:{s:s}}", "event", "ticket.reply", "client", 5, "ticket",
	                                      "number", "INC9"),
	                            "fr"),
	                    "New reply on INC9");
	assert_string_equal(text_of(event("ticket.reply"), NULL),
	                    "New reply on INC0000001 (P1, ACME) — Printer on fire");
	/* not an object */
	struct strbuf sb = STRBUF_INIT;
	json_t *arr = json_array();
	assert_int_equal(webhook_text(arr, "en", &sb), -EINVAL);
	assert_int_equal(webhook_text(NULL, "en", &sb), -EINVAL);
	assert_int_equal(sb.len, 0);
	json_decref(arr);
}

static void test_texts_stay_one_short_line_whatever_the_event_holds(void **state)
{
	(void)state;
	char big[4000];
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* a multi-byte character straddling the title's cut */
	memcpy(big + 199, "ü", 2);
	json_t *ev = event("sla.warning");
	json_t *tk = json_object_get(ev, "ticket");
	json_object_set_new(tk, "title", json_string(big));
	json_object_set_new(tk, "number", json_string(big));
	json_object_set_new(ev, "client", json_string(big));
	json_object_set_new(json_object_get(ev, "sla"), "target", json_string(big));
	json_object_set_new(json_object_get(ev, "sla"), "due", json_string(big));
	json_t *ev2 = json_deep_copy(ev);
	const char *t = text_of(ev, "en");
	assert_true(strlen(t) < 1000);
	assert_non_null(strstr(t, "—"));
	assert_non_null(strstr(t, "…"));
	t = text_of(ev2, "de");
	assert_true(strlen(t) < 1000);

	/* every field at its longest, in the event with the most of them */
	ev = event("ticket.assigned");
	tk = json_object_get(ev, "ticket");
	json_object_set_new(tk, "assignee", json_string(big));
	json_object_set_new(tk, "team", json_string(big));
	json_object_set_new(tk, "title", json_string(big));
	json_object_set_new(tk, "number", json_string(big));
	json_object_set_new(tk, "priority", json_string(big));
	json_object_set_new(ev, "client", json_string(big));
	assert_true(strlen(text_of(ev, "de")) < 1000);

	/* newlines and other control characters in a title become spaces */
	ev = event("ticket.created");
	json_object_set_new(json_object_get(ev, "ticket"), "title", json_string("line one\nline\ttwo\r"));
	assert_string_equal(text_of(ev, "en"), "New ticket INC0000001 (P1, ACME) — line one line two ");
	/* an instant that is not RFC 3339 is shown as it is */
	ev = event("sla.breach");
	json_object_set_new(json_object_get(ev, "sla"), "due", json_string("tomorrow"));
	assert_string_equal(
	        text_of(ev, "en"),
	        "SLA breach: INC0000001 (P1, ACME) missed its resolution target due tomorrow — Printer on fire");
}

static void test_text_into_a_full_buffer_leaves_it_unchanged(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(20);
	strbuf_adds(&sb, "keep");
	json_t *ev = event("sla.breach");
	assert_int_equal(webhook_text(ev, "en", &sb), -LS_ETOOLARGE);
	assert_string_equal(sb.buf, "keep");
	json_decref(ev);
	strbuf_release(&sb);
}

/* --- bodies --- */

static json_t *body_of(enum webhook_format f, const json_t *ev, const char *lang)
{
	struct strbuf sb = STRBUF_INIT;
	struct lserr e;
	lserr_clear(&e);
	if (webhook_body(f, ev, lang, &sb, &e) < 0)
		fail_msg("webhook_body: %s", e.message);
	json_error_t je;
	json_t *o = json_loads(sb.buf, JSON_REJECT_DUPLICATES, &je);
	if (!o)
		fail_msg("body is not JSON (%s): %s", je.text, sb.buf);
	assert_null(strchr(sb.buf, '\n'));
	strbuf_release(&sb);
	return o;
}

static void test_bodies_per_format_are_json_with_text(void **state)
{
	(void)state;
	json_t *ev = event("sla.breach");
	json_object_set_new(ev, "text", json_string("stale"));
	char *before = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);

	json_t *o = body_of(WEBHOOK_JSON, ev, "en");
	assert_string_equal(json_string_value(json_object_get(o, "text")),
	                    "SLA breach: INC0000001 (P1, ACME) missed its resolution target due 2026-11-27 14:00 UTC "
	                    "— Printer on fire");
	assert_int_equal(json_integer_value(json_object_get(o, "id")), 123);
	assert_string_equal(json_string_value(json_object_get(o, "event")), "sla.breach");
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o, "sla"), "escalation_id")), 7);
	assert_int_equal(json_object_size(o), json_object_size(ev));
	json_decref(o);

	static const enum webhook_format chat[] = {WEBHOOK_SLACK, WEBHOOK_TEAMS};
	for (size_t i = 0; i < 2; i++) {
		o = body_of(chat[i], ev, "de");
		assert_int_equal(json_object_size(o), 1);
		assert_string_equal(
		        json_string_value(json_object_get(o, "text")),
		        "SLA verletzt: INC0000001 (P1, ACME) hat die Lösungszeit (fällig 2026-11-27 14:00 UTC) "
		        "überschritten — Printer on fire");
		json_decref(o);
	}
	/* the caller's event is left alone */
	char *after = json_dumps(ev, JSON_COMPACT | JSON_SORT_KEYS);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* quotes, backslashes and control characters survive as JSON */
	json_object_set_new(json_object_get(ev, "ticket"), "title", json_string("\"quoted\" \\ back\x01slash"));
	o = body_of(WEBHOOK_SLACK, ev, "en");
	assert_non_null(strstr(json_string_value(json_object_get(o, "text")), "\"quoted\" \\ back slash"));
	json_decref(o);
	json_decref(ev);
}

static void test_body_refuses_bad_format_and_event_and_respects_the_limit(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT_MAX(64);
	struct lserr e;
	json_t *ev = event("sla.breach");
	lserr_clear(&e);
	assert_int_equal(webhook_body((enum webhook_format)7, ev, "en", &sb, &e), -EINVAL);
	assert_string_equal(e.field, "format");
	assert_int_equal(webhook_body(_WEBHOOK_FORMAT_INVALID, ev, "en", &sb, &e), -EINVAL);
	json_t *arr = json_array();
	lserr_clear(&e);
	assert_int_equal(webhook_body(WEBHOOK_JSON, arr, "en", &sb, &e), -EINVAL);
	assert_string_equal(e.field, "event");
	json_decref(arr);
	strbuf_adds(&sb, "keep");
	assert_int_equal(webhook_body(WEBHOOK_JSON, ev, "en", &sb, &e), -LS_ETOOLARGE);
	assert_string_equal(sb.buf, "keep");
	assert_int_equal(sb.len, 4);
	json_decref(ev);
	strbuf_release(&sb);
}

static void test_format_names_round_trip(void **state)
{
	(void)state;
	for (int f = 0; f < _WEBHOOK_FORMAT_MAX; f++)
		assert_int_equal(webhook_format_from_string(webhook_format_to_string((enum webhook_format)f)), f);
	assert_string_equal(webhook_format_to_string(WEBHOOK_TEAMS), "teams");
	assert_null(webhook_format_to_string(_WEBHOOK_FORMAT_MAX));
	assert_null(webhook_format_to_string(_WEBHOOK_FORMAT_INVALID));
	assert_int_equal(webhook_format_from_string("Slack"), _WEBHOOK_FORMAT_INVALID);
	assert_int_equal(webhook_format_from_string(""), _WEBHOOK_FORMAT_INVALID);
	assert_int_equal(webhook_format_from_string(NULL), _WEBHOOK_FORMAT_INVALID);
}

/* --- URLs --- */

static void test_url_check(void **state)
{
	(void)state;
	static const char *good[] = {
	        "https://hooks.slack.com/services/T000/B000/XXXX",
	        "http://127.0.0.1:8080/hook",
	        "https://example.com",
	        "HTTPS://Example.COM/x?y=1#z",
	        "http://[::1]:9000/",
	        "http://[2001:db8::1]",
	        "https://user:pw@example.com/hook",
	        "http://host_name.internal:65535?q",
	        "https://bücher.example/hook",
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct lserr e;
		lserr_clear(&e);
		if (webhook_url_check(good[i], &e) != 0)
			fail_msg("'%s' refused: %s", good[i], e.message);
	}
	static const char *bad[] = {
	        "",
	        "ftp://example.com/",
	        "https:/example.com",
	        "https://",
	        "https:///path",
	        "https://:443/",
	        "https://example.com:0/",
	        "https://example.com:65536/",
	        "https://example.com:/",
	        "https://example.com:80x/",
	        "https://exa mple.com/",
	        "https://example.com/a b",
	        "https://example.com/\n",
	        "https://[::1/",
	        "https://[]/",
	        "https://[::1]x/",
	        "https://ex!ample.com/",
	        "https://user@/",
	        "example.com/hook",
	        "javascript:alert(1)",
	        "file:///etc/passwd",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lserr e;
		lserr_clear(&e);
		if (webhook_url_check(bad[i], &e) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
		assert_string_equal(e.field, "url");
		assert_true(e.message[0] != '\0');
	}
	assert_int_equal(webhook_url_check(NULL, NULL), -EINVAL);
	/* the length limit, exactly */
	char url[WEBHOOK_URL_MAX + 2];
	memset(url, 'a', sizeof(url));
	memcpy(url, "https://example.com/", 20);
	url[WEBHOOK_URL_MAX] = '\0';
	assert_int_equal(webhook_url_check(url, NULL), 0);
	url[WEBHOOK_URL_MAX] = 'a';
	url[WEBHOOK_URL_MAX + 1] = '\0';
	assert_int_equal(webhook_url_check(url, NULL), -EINVAL);
}

/* --- POST against a small server --- */

enum reply { REPLY_OK, REPLY_500, REPLY_HUGE, REPLY_BINARY, REPLY_NEVER };

struct server {
	int fd;
	int port;
	enum reply reply;
	pthread_t thread;
	char head[16384];
	size_t head_len;
	char body[65536];
	size_t body_len;
	bool got_request;
};

#define HUGE_BYTES (4 * 1024 * 1024)

static bool wait_readable(int fd, int ms)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, ms) == 1;
}

static void send_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w <= 0)
			return; /* the client may hang up first, on purpose */
		p += w;
		n -= (size_t)w;
	}
}

/* Reads one request (headers, then Content-Length bytes of body). */
static void read_request(struct server *s, int c)
{
	char buf[sizeof(s->head) + sizeof(s->body)];
	size_t len = 0;
	char *end = NULL;
	while (!end && len < sizeof(buf) - 1 && wait_readable(c, 5000)) {
		ssize_t r = recv(c, buf + len, sizeof(buf) - 1 - len, 0);
		if (r <= 0)
			return;
		len += (size_t)r;
		buf[len] = '\0';
		end = strstr(buf, "\r\n\r\n");
	}
	if (!end)
		return;
	s->head_len = (size_t)(end - buf) + 2; /* keep the last header's CRLF */
	memcpy(s->head, buf, s->head_len);
	s->head[s->head_len] = '\0';
	size_t want = 0;
	for (const char *p = s->head; (p = strchr(p, '\n')) != NULL; p++)
		if (strncasecmp(p + 1, "Content-Length:", 15) == 0)
			want = strtoul(p + 16, NULL, 10);
	size_t have = len - (s->head_len + 2);
	while (have < want && len < sizeof(buf) - 1 && wait_readable(c, 5000)) {
		ssize_t r = recv(c, buf + len, sizeof(buf) - 1 - len, 0);
		if (r <= 0)
			return;
		len += (size_t)r;
		have += (size_t)r;
	}
	s->body_len = have < sizeof(s->body) - 1 ? have : sizeof(s->body) - 1;
	memcpy(s->body, end + 4, s->body_len);
	s->body[s->body_len] = '\0';
	s->got_request = have == want;
}

static void *serve_one(void *arg)
{
	struct server *s = arg;
	if (!wait_readable(s->fd, 5000))
		return NULL;
	int c = accept(s->fd, NULL, NULL);
	if (c < 0)
		return NULL;
	read_request(s, c);
	static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\nConnection: close\r\n\r\naccepted";
	static const char err[] =
	        "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\noops!";
	switch (s->reply) {
	case REPLY_OK: send_all(c, ok, sizeof(ok) - 1); break;
	case REPLY_500: send_all(c, err, sizeof(err) - 1); break;
	case REPLY_HUGE:
	case REPLY_BINARY: {
		char head[128];
		int n = snprintf(head, sizeof(head), "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n", HUGE_BYTES);
		send_all(c, head, (size_t)n);
		static char chunk[65536];
		for (size_t i = 0; i < sizeof(chunk); i++)
			chunk[i] = s->reply == REPLY_HUGE ? (char)('a' + i % 26) : (char)(i * 7 % 256);
		for (int sent = 0; sent < HUGE_BYTES; sent += (int)sizeof(chunk)) {
			struct pollfd p = {.fd = c, .events = POLLOUT};
			if (poll(&p, 1, 5000) != 1 || (p.revents & (POLLERR | POLLHUP)))
				break;
			ssize_t w = send(c, chunk, sizeof(chunk), MSG_NOSIGNAL);
			if (w <= 0)
				break;
		}
		break;
	}
	case REPLY_NEVER:
		/* answer nothing; wait until the client gives up and hangs up */
		while (wait_readable(c, 5000)) {
			char b[256];
			if (recv(c, b, sizeof(b), 0) <= 0)
				break;
		}
		break;
	}
	close(c);
	return NULL;
}

static void server_start(struct server *s, enum reply reply)
{
	memset(s, 0, sizeof(*s));
	s->reply = reply;
	s->fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->fd >= 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(s->fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->fd, 4), 0);
	socklen_t al = sizeof(a);
	assert_int_equal(getsockname(s->fd, (struct sockaddr *)&a, &al), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->thread, NULL, serve_one, s), 0);
}

static void server_stop(struct server *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}

/* The value of header name in the request the server saw, or NULL. */
static const char *header(const struct server *s, const char *name, char *buf, size_t n)
{
	size_t nl = strlen(name);
	for (const char *p = s->head; (p = strchr(p, '\n')) != NULL; p++)
		if (strncasecmp(p + 1, name, nl) == 0 && p[1 + nl] == ':') {
			const char *v = p + 2 + nl;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(buf, n, "%.*s", (int)len, v);
			return buf;
		}
	return NULL;
}

static struct webhook_request request(const struct server *s, char *url, size_t n)
{
	snprintf(url, n, "http://127.0.0.1:%d/hook?x=1", s->port);
	return (struct webhook_request){
	        .url = url,
	        .body = SIG_BODY,
	        .len = strlen(SIG_BODY),
	        .secret = SIG_SECRET,
	        .ts = SIG_TS,
	        .delivery_id = "42",
	        .event = "sla.breach",
	        .timeout_ms = 5000,
	};
}

static void test_post_sends_headers_and_signature_and_2xx_succeeds(void **state)
{
	(void)state;
	struct server s;
	char url[64], v[256];
	server_start(&s, REPLY_OK);
	struct webhook_request rq = request(&s, url, sizeof(url));
	struct webhook_result res;
	int r = webhook_post(&rq, &res);
	server_stop(&s);
	assert_int_equal(r, 0);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.error, "");
	assert_string_equal(res.response, "accepted");
	assert_true(res.seconds >= 0 && res.seconds < 5);
	assert_true(s.got_request);
	assert_true(strncmp(s.head, "POST /hook?x=1 HTTP/1.1\r\n", 25) == 0);
	assert_string_equal(s.body, SIG_BODY);
	assert_string_equal(header(&s, "Content-Type", v, sizeof(v)), "application/json");
	assert_true(strncmp(header(&s, "User-Agent", v, sizeof(v)), "Leitstand/", 10) == 0);
	assert_string_equal(header(&s, "X-Leitstand-Event", v, sizeof(v)), "sla.breach");
	assert_string_equal(header(&s, "X-Leitstand-Delivery", v, sizeof(v)), "42");
	assert_string_equal(header(&s, "X-Leitstand-Timestamp", v, sizeof(v)), "1795788000");
	/* the value Python computed for this secret, timestamp and body */
	assert_string_equal(header(&s, "X-Leitstand-Signature", v, sizeof(v)), SIG_WANT);
	assert_null(header(&s, "Expect", v, sizeof(v)));

	/* without a secret there is no signature header */
	server_start(&s, REPLY_OK);
	rq = request(&s, url, sizeof(url));
	rq.secret = "";
	assert_int_equal(webhook_post(&rq, &res), 0);
	server_stop(&s);
	assert_null(header(&s, "X-Leitstand-Signature", v, sizeof(v)));
	assert_non_null(header(&s, "X-Leitstand-Timestamp", v, sizeof(v)));
}

static void test_post_of_a_big_body_arrives_whole(void **state)
{
	(void)state;
	static char big[40000];
	memset(big, 'x', sizeof(big));
	struct server s;
	char url[64], v[256], sig[72];
	server_start(&s, REPLY_OK);
	struct webhook_request rq = request(&s, url, sizeof(url));
	rq.body = big;
	rq.len = sizeof(big);
	struct webhook_result res;
	int r = webhook_post(&rq, &res);
	server_stop(&s);
	assert_int_equal(r, 0);
	assert_true(s.got_request);
	assert_int_equal(s.body_len, sizeof(big));
	webhook_sign(SIG_SECRET, SIG_TS, big, sizeof(big), sig);
	assert_string_equal(header(&s, "X-Leitstand-Signature", v, sizeof(v)), sig);
}

static void test_post_with_500_fails_with_status(void **state)
{
	(void)state;
	struct server s;
	char url[64];
	server_start(&s, REPLY_500);
	struct webhook_request rq = request(&s, url, sizeof(url));
	struct webhook_result res;
	int r = webhook_post(&rq, &res);
	server_stop(&s);
	assert_int_equal(r, -EIO);
	assert_int_equal(res.status, 500);
	assert_string_equal(res.error, "HTTP 500");
	assert_string_equal(res.response, "oops!");
}

static void test_post_to_a_closed_port_fails_without_status(void **state)
{
	(void)state;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	socklen_t al = sizeof(a);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &al), 0);
	close(fd); /* bound, never listened: the port refuses connections */
	char url[64];
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(a.sin_port));
	struct webhook_request rq = {.url = url, .body = "{}", .len = 2, .ts = 1, .timeout_ms = 2000};
	struct webhook_result res;
	assert_int_equal(webhook_post(&rq, &res), -EIO);
	assert_int_equal(res.status, 0);
	assert_true(res.error[0] != '\0');
	assert_string_equal(res.response, "");
}

static void test_post_to_a_silent_receiver_times_out(void **state)
{
	(void)state;
	struct server s;
	char url[64];
	server_start(&s, REPLY_NEVER);
	struct webhook_request rq = request(&s, url, sizeof(url));
	rq.timeout_ms = 300;
	struct webhook_result res;
	int r = webhook_post(&rq, &res);
	server_stop(&s);
	assert_int_equal(r, -EIO);
	assert_int_equal(res.status, 0);
	if (!strstr(res.error, "timed out"))
		fail_msg("error: %s", res.error);
	if (res.seconds < 0.25 || res.seconds > 3)
		fail_msg("took %.3f s", res.seconds);
}

static void test_post_reads_at_most_512_bytes_of_a_huge_answer(void **state)
{
	(void)state;
	struct server s;
	char url[64];
	server_start(&s, REPLY_HUGE);
	struct webhook_request rq = request(&s, url, sizeof(url));
	struct webhook_result res;
	int r = webhook_post(&rq, &res);
	server_stop(&s);
	assert_int_equal(r, 0);
	assert_int_equal(res.status, 200);
	assert_string_equal(res.error, "");
	assert_int_equal(strlen(res.response), WEBHOOK_RESPONSE_MAX - 1);
	for (size_t i = 0; i < WEBHOOK_RESPONSE_MAX - 1; i++)
		assert_int_equal(res.response[i], 'a' + i % 26);
	assert_true(res.seconds < 3);
}

static void test_post_keeps_a_binary_answer_as_valid_utf8(void **state)
{
	(void)state;
	struct server s;
	char url[64];
	server_start(&s, REPLY_BINARY);
	struct webhook_request rq = request(&s, url, sizeof(url));
	struct webhook_result res;
	int r = webhook_post(&rq, &res);
	server_stop(&s);
	assert_int_equal(r, 0);
	assert_true(strlen(res.response) > 0 && strlen(res.response) < WEBHOOK_RESPONSE_MAX);
	json_t *j = json_string(res.response);
	assert_non_null(j);
	json_decref(j);
}

static void test_utf8_clean(void **state)
{
	(void)state;
	char out[64];
	utf8_clean("ok ü €", 9, out);
	assert_string_equal(out, "ok ü €");
	utf8_clean("a\xff"
	           "b\x00"
	           "c",
	           5, out);
	assert_string_equal(out, "a?b?c");
	utf8_clean("x\xe2\x82", 3, out); /* cut inside a sequence at the end: dropped */
	assert_string_equal(out, "x");
	utf8_clean("\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80!", 10, out); /* overlong, surrogate, beyond U+10FFFF */
	assert_string_equal(out, "?????????"
	                         "!"); /* split: "??!" is a trigraph */
}

static void test_post_refuses_what_it_must_not_send(void **state)
{
	(void)state;
	struct webhook_result res;
	struct webhook_request rq = {.url = "ftp://example.com/", .body = "{}", .len = 2};
	assert_int_equal(webhook_post(&rq, &res), -EINVAL);
	assert_int_equal(res.status, 0);
	assert_true(res.error[0] != '\0');
	rq.url = "http://127.0.0.1:1/";
	rq.event = "sla.breach\r\nX-Evil: 1";
	assert_int_equal(webhook_post(&rq, &res), -EINVAL);
	rq.event = "sla.breach";
	rq.delivery_id = "1\n";
	assert_int_equal(webhook_post(&rq, &res), -EINVAL);
	rq.delivery_id = NULL;
	rq.body = NULL;
	assert_int_equal(webhook_post(&rq, &res), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hmac_sha256_matches_rfc4231_test_cases),
	        cmocka_unit_test(test_signature_is_hmac_of_timestamp_dot_body),
	        cmocka_unit_test(test_backoff_doubles_from_base_up_to_an_hour),
	        cmocka_unit_test(test_backoff_jitter_spreads_deliveries_by_seed),
	        cmocka_unit_test(test_backoff_retries_for_at_least_a_day_then_gives_up),
	        cmocka_unit_test(test_sla_texts_in_english_and_german),
	        cmocka_unit_test(test_ticket_texts_in_english_and_german),
	        cmocka_unit_test(test_unknown_and_sparse_events_get_a_generic_text),
	        cmocka_unit_test(test_texts_stay_one_short_line_whatever_the_event_holds),
	        cmocka_unit_test(test_text_into_a_full_buffer_leaves_it_unchanged),
	        cmocka_unit_test(test_bodies_per_format_are_json_with_text),
	        cmocka_unit_test(test_body_refuses_bad_format_and_event_and_respects_the_limit),
	        cmocka_unit_test(test_format_names_round_trip),
	        cmocka_unit_test(test_url_check),
	        cmocka_unit_test(test_utf8_clean),
	        cmocka_unit_test(test_post_sends_headers_and_signature_and_2xx_succeeds),
	        cmocka_unit_test(test_post_of_a_big_body_arrives_whole),
	        cmocka_unit_test(test_post_with_500_fails_with_status),
	        cmocka_unit_test(test_post_to_a_closed_port_fails_without_status),
	        cmocka_unit_test(test_post_to_a_silent_receiver_times_out),
	        cmocka_unit_test(test_post_reads_at_most_512_bytes_of_a_huge_answer),
	        cmocka_unit_test(test_post_keeps_a_binary_answer_as_valid_utf8),
	        cmocka_unit_test(test_post_refuses_what_it_must_not_send),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
