/* Fuzz target for tickets_fts_expression() (service/tickets): user words into
 * an FTS5 MATCH expression.
 *
 * Properties:
 *  - the output is NULL or a list of at most LS_MAX_SEARCH_TERMS terms joined
 *    by single spaces, each a double-quoted non-empty word with no quote inside,
 *    optionally followed by '*': so every double quote is balanced;
 *    Each word keeps letters, digits, non-ASCII bytes and '_', '@', '.', '-',
 *    and holds at least one letter, digit or non-ASCII byte (punctuation alone
 *    would be a phrase without tokens);
 *  - a query of at most LS_MAX_SEARCH_BYTES bytes (the limit tickets_list()
 *    enforces) that holds a letter, digit or non-ASCII byte gives a non-NULL
 *    expression;
 *  - SQLite accepts the expression: MATCH against the real ticket_fts table
 *    (the migrations run on an in-memory database) never fails with a syntax
 *    or other error. */
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/limits.h"
#include "service/tickets.h"
#include "store/store.h"
#include "fuzz.h"

static struct store *st;

static void close_store(void)
{
	st = store_close(st);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct lserr e = {0};
	if (store_open(":memory:", STORE_OPEN_CREATE, &st, &e) < 0) {
		fprintf(stderr, "fuzz_fts: cannot open the in-memory store: %s\n", e.message);
		abort();
	}
	atexit(close_store);
	return 0;
}

static bool letter(unsigned char ch)
{
	return ch >= 0x80 || (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static bool kept(unsigned char ch)
{
	return letter(ch) || ch == '_' || ch == '@' || ch == '.' || ch == '-';
}

static void check_shape(const uint8_t *data, size_t size, const char *out)
{
	unsigned terms = 0;
	const char *p = out;
	for (;;) {
		if (*p != '"')
			fuzz_fail(data, size, "term %u of \"%s\" does not start with a quote", terms, out);
		p++;
		const char *w = p;
		bool any_letter = false;
		while (*p && *p != '"') {
			if (!kept((unsigned char)*p))
				fuzz_fail(data, size, "\"%s\" keeps byte 0x%02x", out, (unsigned char)*p);
			any_letter |= letter((unsigned char)*p);
			p++;
		}
		if (*p != '"')
			fuzz_fail(data, size, "unbalanced double quote in \"%s\"", out);
		if (p == w || !any_letter)
			fuzz_fail(data, size, "term %u of \"%s\" has no letter or digit", terms, out);
		p++;
		terms++;
		if (*p == '*')
			p++;
		if (!*p)
			break;
		if (*p != ' ')
			fuzz_fail(data, size, "terms of \"%s\" are not separated by one space", out);
		p++;
	}
	if (terms > LS_MAX_SEARCH_TERMS)
		fuzz_fail(data, size, "%u terms in \"%s\"", terms, out);
}

static void check_sqlite(const uint8_t *data, size_t size, const char *out)
{
	sqlite3_stmt *s = NULL;
	sqlite3 *db = store_handle(st);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM ticket_fts WHERE ticket_fts MATCH ?", -1, &s, NULL) !=
	    SQLITE_OK)
		fuzz_fail(data, size, "prepare: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(s, 1, out, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW)
		fuzz_fail(data, size, "FTS5 refuses \"%s\": %s", out, sqlite3_errmsg(db));
	sqlite3_finalize(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = fuzz_cstring(data, size);
	struct arena a;
	arena_init(&a);
	const char *out = tickets_fts_expression(&a, q);
	if (out) {
		check_shape(data, size, out);
		check_sqlite(data, size, out);
	} else if (strlen(q) <= LS_MAX_SEARCH_BYTES) {
		for (const char *c = q; *c; c++)
			if (letter((unsigned char)*c))
				fuzz_fail(data, size, "no expression although byte 0x%02x is searchable",
				          (unsigned char)*c);
	}
	arena_release(&a);
	free(q);
	return 0;
}
