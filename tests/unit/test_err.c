/* Tests for core/err.c: the catalogue (unique codes, the HTTP status of every
 * code the services use, 500 for unknown codes), struct lserr filling, hints,
 * truncation of long texts, and err_str for project and errno codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/err.h"

static void test_catalogue_statuses(void **state)
{
	(void)state;
	static const struct {
		const char *code;
		int status;
	} want[] = {
	        {"invalid_json", 400},
	        {"invalid_field", 400},
	        {"missing_field", 400},
	        {"unknown_field", 400},
	        {"invalid_parameter", 400},
	        {"invalid_cursor", 400},
	        {"unauthorized", 401},
	        {"login_failed", 401},
	        {"forbidden", 403},
	        {"not_found", 404},
	        {"route_not_found", 404},
	        {"method_not_allowed", 405},
	        {"conflict", 409},
	        {"invalid_transition", 409},
	        {"version_mismatch", 412},
	        {"body_too_large", 413},
	        {"unsupported_media_type", 415},
	        {"precondition_required", 428},
	        {"internal", 500},
	        {"unavailable", 503},
	        {"invalid_file", 400},
	        {"invalid_csv", 400},
	        {"csrf_failed", 403},
	        {"login_locked", 429},
	        {"erased", 409},
	        {"shredded", 410},
	        {"key_missing", 500},
	        {"key_mismatch", 500},
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (err_http_status(want[i].code) != want[i].status)
			fail_msg("%s maps to %d, want %d", want[i].code, err_http_status(want[i].code), want[i].status);
	}
	/* the catalogue holds exactly these codes */
	unsigned n = 0;
	while (err_catalogue_code(n, NULL, NULL))
		n++;
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
}

static void test_catalogue_iteration_is_consistent_and_unique(void **state)
{
	(void)state;
	const char *seen[64];
	unsigned n = 0;
	int status = 0;
	const char *meaning = NULL;
	for (const char *code; (code = err_catalogue_code(n, &status, &meaning)); n++) {
		assert_true(n < 64);
		assert_int_equal(err_http_status(code), status);
		assert_true(status >= 400 && status <= 599);
		assert_non_null(meaning);
		assert_true(strlen(meaning) > 10);
		for (unsigned k = 0; k < n; k++)
			assert_string_not_equal(seen[k], code);
		seen[n] = code;
	}
	status = 7;
	assert_null(err_catalogue_code(n, &status, &meaning));
	assert_int_equal(status, 7); /* untouched past the end */
	assert_null(err_catalogue_code(1000000, NULL, NULL));
}

static void test_unknown_codes_are_internal_errors(void **state)
{
	(void)state;
	assert_int_equal(err_http_status(NULL), 500);
	assert_int_equal(err_http_status(""), 500);
	assert_int_equal(err_http_status("no_such_code"), 500);
	assert_int_equal(err_http_status("NOT_FOUND"), 500);
	assert_int_equal(err_http_status("not_found "), 500);
}

static void test_lserr_set_fills_the_record_and_returns_rc(void **state)
{
	(void)state;
	struct lserr e;
	lserr_clear(&e);
	lserr_hint(&e, "stale hint");
	int r = lserr_set(&e, -ENOENT, "not_found", "number", "ticket '%s' does not exist", "INC0000001");
	assert_int_equal(r, -ENOENT);
	assert_int_equal(e.rc, -ENOENT);
	assert_string_equal(e.code, "not_found");
	assert_string_equal(e.field, "number");
	assert_string_equal(e.message, "ticket 'INC0000001' does not exist");
	assert_string_equal(e.hint, ""); /* a new error drops the old hint */
	lserr_hint(&e, "try %d", 2);
	assert_string_equal(e.hint, "try 2");
	lserr_set(&e, -EINVAL, "invalid_field", NULL, "x");
	assert_string_equal(e.field, "");
}

static void test_lserr_accepts_null_and_truncates_long_texts(void **state)
{
	(void)state;
	assert_int_equal(lserr_set(NULL, -LS_ECONFLICT, "conflict", "f", "m"), -LS_ECONFLICT);
	lserr_hint(NULL, "h");
	lserr_clear(NULL);
	struct lserr e;
	char longf[200], longm[1000];
	memset(longf, 'f', sizeof(longf) - 1);
	longf[sizeof(longf) - 1] = '\0';
	memset(longm, 'm', sizeof(longm) - 1);
	longm[sizeof(longm) - 1] = '\0';
	lserr_set(&e, -EINVAL, "invalid_field", longf, "%s", longm);
	assert_int_equal(strlen(e.field), sizeof(e.field) - 1);
	assert_int_equal(strlen(e.message), sizeof(e.message) - 1);
	lserr_hint(&e, "%s", longm);
	assert_int_equal(strlen(e.hint), sizeof(e.hint) - 1);
}

static void test_lserr_clear_resets_everything(void **state)
{
	(void)state;
	struct lserr e;
	lserr_set(&e, -LS_ESTALE, "version_mismatch", "version", "old");
	lserr_hint(&e, "reload");
	lserr_clear(&e);
	assert_int_equal(e.rc, 0);
	assert_null(e.code);
	assert_string_equal(e.field, "");
	assert_string_equal(e.message, "");
	assert_string_equal(e.hint, "");
}

static void test_err_str_names_project_and_errno_codes(void **state)
{
	(void)state;
	assert_string_equal(err_str(-LS_ECONFLICT), "conflict");
	assert_string_equal(err_str(-LS_ESTALE), "stale version");
	assert_string_equal(err_str(-LS_EFORBIDDEN), "forbidden");
	assert_string_equal(err_str(-LS_ETOOLARGE), "too large");
	assert_string_equal(err_str(-LS_EDB), "storage error");
	assert_string_equal(err_str(-LS_EAUTH), "authentication failed");
	assert_string_equal(err_str(-ENOENT), strerror(ENOENT));
	assert_string_equal(err_str(-EINVAL), strerror(EINVAL));
	assert_non_null(err_str(-99999));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_catalogue_statuses),
	        cmocka_unit_test(test_catalogue_iteration_is_consistent_and_unique),
	        cmocka_unit_test(test_unknown_codes_are_internal_errors),
	        cmocka_unit_test(test_lserr_set_fills_the_record_and_returns_rc),
	        cmocka_unit_test(test_lserr_accepts_null_and_truncates_long_texts),
	        cmocka_unit_test(test_lserr_clear_resets_everything),
	        cmocka_unit_test(test_err_str_names_project_and_errno_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
