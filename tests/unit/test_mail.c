/* Tests for jobs/mail.c, the MIME writer: base64 (RFC 4648 vectors, 76-character
 * lines, CRLF), the message structure (headers, parts, boundary, attachment
 * headers), CRLF line ends only, RFC 5322 date, encoded non-ASCII subjects, and
 * refusal of header injection and unusable addresses. The SMTP side is tested
 * against a real server in tests/api/test_report_delivery.py. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "core/err.h"
#include "core/limits.h"
#include "jobs/mail.h"

static void test_base64_matches_rfc4648_vectors(void **state)
{
	(void)state;
	static const char *const v[][2] = {{"f", "Zg=="},        {"fo", "Zm8="},        {"foo", "Zm9v"},
	                                   {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
	for (size_t i = 0; i < 6; i++) {
		struct strbuf sb = STRBUF_INIT;
		assert_int_equal(mail_base64(v[i][0], strlen(v[i][0]), &sb), 0);
		char want[32];
		snprintf(want, sizeof(want), "%s\r\n", v[i][1]);
		assert_string_equal(sb.buf, want);
		strbuf_release(&sb);
	}
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(mail_base64("", 0, &sb), 0);
	assert_int_equal(sb.len, 0);
	strbuf_release(&sb);
}

static void test_base64_lines_are_76_characters_with_crlf(void **state)
{
	(void)state;
	unsigned char data[1000];
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7 + 3);
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(mail_base64(data, sizeof(data), &sb), 0);
	size_t lines = 0, chars = 0;
	for (const char *p = sb.buf; *p;) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		size_t len = (size_t)(e - p);
		lines++;
		chars += len;
		if (e[2])
			assert_int_equal(len, 76);
		else
			assert_true(len <= 76 && len > 0);
		p = e + 2;
	}
	assert_int_equal(chars, (sizeof(data) + 2) / 3 * 4);
	assert_int_equal(lines, (chars + 75) / 76);
	strbuf_release(&sb);
}

static const char *const to2[] = {"cio@acme.example", "ops@acme.example"};

static struct mail_message sample(void)
{
	static const unsigned char pdf[200] = "%PDF-1.5 not really";
	return (struct mail_message){
	        .from = "reports@leitstand.example",
	        .to = to2,
	        .n_to = 2,
	        .subject = "ACME monthly report 2026-10",
	        .text = "Hello,\n\nattached.\n",
	        .attachment_name = "ACME-monthly-2026-10.pdf",
	        .attachment_type = "application/pdf",
	        .attachment = pdf,
	        .attachment_len = sizeof(pdf),
	        .date = 1795763520, /* 2026-11-27T07:12:00Z, a Friday */
	        .message_id = "report-1-abc@leitstand.example",
	        .boundary = "=_b1",
	};
}

static void test_message_has_rfc5322_headers_and_two_parts(void **state)
{
	(void)state;
	struct mail_message m = sample();
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(mail_write(&m, &sb), 0);
	const char *s = sb.buf;
	assert_true(strncmp(s, "Date: Fri, 27 Nov 2026 07:12:00 +0000\r\n", 39) == 0);
	assert_non_null(strstr(s, "\r\nFrom: reports@leitstand.example\r\n"));
	assert_non_null(strstr(s, "\r\nTo: cio@acme.example,\r\n ops@acme.example\r\n"));
	assert_non_null(strstr(s, "\r\nSubject: ACME monthly report 2026-10\r\n"));
	assert_non_null(strstr(s, "\r\nMessage-ID: <report-1-abc@leitstand.example>\r\n"));
	assert_non_null(strstr(s, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(s, "\r\nContent-Type: multipart/mixed; boundary=\"=_b1\"\r\n\r\n"));
	/* the text part, base64 of the text with CRLF line ends */
	const char *t = strstr(s, "\r\n--=_b1\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	                          "Content-Transfer-Encoding: base64\r\n\r\n");
	assert_non_null(t);
	assert_non_null(strstr(t, "SGVsbG8sDQoNCmF0dGFjaGVkLg0K\r\n"));
	const char *a = strstr(s, "\r\n--=_b1\r\nContent-Type: application/pdf; name=\"ACME-monthly-2026-10.pdf\"\r\n"
	                          "Content-Disposition: attachment; filename=\"ACME-monthly-2026-10.pdf\"\r\n"
	                          "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjUg");
	assert_non_null(a);
	assert_true(a > t);
	/* closes with the final boundary */
	assert_true(sb.len > 12 && strcmp(sb.buf + sb.len - 12, "\r\n--=_b1--\r\n") == 0);
	/* CRLF only, no line longer than 998 */
	size_t col = 0;
	for (size_t i = 0; i < sb.len; i++) {
		if (sb.buf[i] == '\n') {
			assert_true(i > 0 && sb.buf[i - 1] == '\r');
			col = 0;
		} else {
			assert_true(++col <= 998);
		}
	}
	/* the header block ends once, before the preamble */
	const char *hdr_end = strstr(s, "\r\n\r\n");
	assert_true(hdr_end < strstr(s, "This is a message in MIME format."));
	strbuf_release(&sb);
}

static void test_non_ascii_subject_is_an_encoded_word(void **state)
{
	(void)state;
	struct mail_message m = sample();
	m.subject = "ACME – Monatsbericht 2026-10 für die Geschäftsführung, Übersicht der Kennzahlen";
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(mail_write(&m, &sb), 0);
	const char *subj = strstr(sb.buf, "\r\nSubject: =?UTF-8?B?");
	assert_non_null(subj);
	/* folded into several encoded words, each at most 75 characters */
	const char *end = strstr(subj + 2, "\r\nMessage-ID:");
	assert_non_null(end);
	size_t words = 0;
	for (const char *p = strstr(subj, "=?UTF-8?B?"); p && p < end; p = strstr(p + 1, "=?UTF-8?B?")) {
		const char *q = strstr(p, "?=");
		assert_true(q - p + 2 <= 75);
		words++;
	}
	assert_true(words >= 2);
	strbuf_release(&sb);
}

static void test_header_injection_and_bad_addresses_are_refused(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct mail_message m = sample();
	m.subject = "report\r\nBcc: evil@example.com";
	assert_int_equal(mail_write(&m, &sb), -EINVAL);
	m = sample();
	static const char *const bad_to[] = {"ops@acme.example\r\nBcc: x@y.z"};
	m.to = bad_to;
	m.n_to = 1;
	assert_int_equal(mail_write(&m, &sb), -EINVAL);
	m = sample();
	m.n_to = 0;
	assert_int_equal(mail_write(&m, &sb), -EINVAL);
	m = sample();
	m.from = "";
	assert_int_equal(mail_write(&m, &sb), -EINVAL);
	m = sample();
	m.boundary = "has space";
	assert_int_equal(mail_write(&m, &sb), -EINVAL);
	m = sample();
	m.attachment_type = "application/pdf\r\nX-Evil: 1";
	assert_int_equal(mail_write(&m, &sb), -EINVAL);
	strbuf_release(&sb);
}

static void test_attachment_name_is_reduced_to_safe_characters(void **state)
{
	(void)state;
	struct mail_message m = sample();
	m.attachment_name = "a\"b c/..pdf";
	struct strbuf sb = STRBUF_INIT;
	assert_int_equal(mail_write(&m, &sb), 0);
	assert_non_null(strstr(sb.buf, "filename=\"a_b_c_..pdf\""));
	strbuf_release(&sb);
}

static void test_message_larger_than_the_buffer_is_too_large(void **state)
{
	(void)state;
	struct mail_message m = sample();
	struct strbuf sb = STRBUF_INIT_MAX(300);
	assert_int_equal(mail_write(&m, &sb), -LS_ETOOLARGE);
	strbuf_release(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_base64_matches_rfc4648_vectors),
	        cmocka_unit_test(test_base64_lines_are_76_characters_with_crlf),
	        cmocka_unit_test(test_message_has_rfc5322_headers_and_two_parts),
	        cmocka_unit_test(test_non_ascii_subject_is_an_encoded_word),
	        cmocka_unit_test(test_header_injection_and_bad_addresses_are_refused),
	        cmocka_unit_test(test_attachment_name_is_reduced_to_safe_characters),
	        cmocka_unit_test(test_message_larger_than_the_buffer_is_too_large),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
