/* Tests for core/arena.c: alignment of every allocation, allocations larger than a
 * block, reuse after arena_reset(), cleanups running newest first exactly once,
 * the string helpers and arena_push() growth. ASan checks that every byte handed
 * out is really usable and that reset/release free everything. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"

/* Under ASan an impossible allocation must fail like in production (malloc
 * returns NULL, xmalloc aborts) instead of ASan ending the process itself. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

#define ALIGN alignof(max_align_t)

static bool aligned(const void *p)
{
	return (uintptr_t)p % ALIGN == 0;
}

static void test_every_allocation_is_aligned_to_max_align_t(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	static const size_t sizes[] = {1, 3, 7, 8, 15, 16, 17, 31, 100, 1000, 5000, 9000};
	for (int round = 0; round < 20; round++)
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			unsigned char *p = arena_alloc(&a, sizes[i]);
			assert_non_null(p);
			assert_true(aligned(p));
			memset(p, 0xa5, sizes[i]);
		}
	arena_release(&a);
}

static void test_allocations_do_not_overlap(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	enum { N = 2000 };
	unsigned char *v[N];
	for (int i = 0; i < N; i++) {
		v[i] = arena_alloc(&a, (size_t)(i % 37) + 1);
		memset(v[i], i & 0xff, (size_t)(i % 37) + 1);
	}
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < (size_t)(i % 37) + 1; k++)
			assert_int_equal(v[i][k], i & 0xff);
	arena_release(&a);
}

static void test_zalloc_returns_zeroed_memory_even_when_reused(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	unsigned char *p = arena_alloc(&a, 512);
	memset(p, 0xff, 512);
	arena_reset(&a);
	unsigned char *q = arena_zalloc(&a, 512);
	assert_ptr_equal(p, q); /* the kept block is reused from its start */
	for (int i = 0; i < 512; i++)
		assert_int_equal(q[i], 0);
	arena_release(&a);
}

static void test_first_allocation_larger_than_a_block_is_usable(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	size_t big = a.block_size * 3 + 5;
	unsigned char *p = arena_alloc(&a, big);
	assert_true(aligned(p));
	memset(p, 0x5a, big);
	assert_int_equal(p[big - 1], 0x5a);
	unsigned char *q = arena_alloc(&a, 10);
	memset(q, 1, 10);
	assert_true(q + 10 <= p || q >= p + big);
	arena_release(&a);
}

static void test_big_allocation_keeps_current_block_free_space(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	unsigned char *small1 = arena_alloc(&a, 16);
	size_t big = a.block_size * 4;
	unsigned char *p = arena_alloc(&a, big);
	memset(p, 0x11, big);
	unsigned char *small2 = arena_alloc(&a, 16);
	/* the big allocation went to its own block: the next small one continues
	 * right behind the first in the current block */
	assert_ptr_equal(small2, small1 + 16);
	assert_true(small2 + 16 <= p || small2 >= p + big);
	arena_release(&a);
}

static void test_reset_reuses_the_first_block(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	unsigned char *first = arena_alloc(&a, 64);
	for (int i = 0; i < 100; i++)
		memset(arena_alloc(&a, 1000), i, 1000); /* spills into many blocks */
	memset(arena_alloc(&a, a.block_size * 2), 0, a.block_size * 2);
	arena_reset(&a);
	unsigned char *again = arena_alloc(&a, 64);
	assert_ptr_equal(again, first);
	arena_release(&a);
}

static void test_reset_after_big_allocation_keeps_the_first_block(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	unsigned char *first = arena_alloc(&a, 64);
	memset(arena_alloc(&a, a.block_size * 8), 0, a.block_size * 8);
	arena_reset(&a);
	/* the regular block is kept, not the big one behind it */
	assert_ptr_equal(arena_alloc(&a, 64), first);
	arena_release(&a);
}

static void test_arena_keeps_working_over_many_resets(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	for (int round = 0; round < 50; round++) {
		size_t n = (size_t)(round * 997) % 30000 + 1;
		unsigned char *p = arena_alloc(&a, n);
		memset(p, round, n);
		char *s = arena_printf(&a, "round %d", round);
		char want[32];
		snprintf(want, sizeof(want), "round %d", round);
		assert_string_equal(s, want);
		assert_int_equal(p[n - 1], round);
		arena_reset(&a);
	}
	arena_release(&a);
}

static int order[8];
static int n_order;

static void record(void *p)
{
	order[n_order++] = *(int *)p;
}

static void test_cleanups_run_newest_first_and_once(void **state)
{
	(void)state;
	static int ids[] = {1, 2, 3};
	struct arena a;
	arena_init(&a);
	n_order = 0;
	for (int i = 0; i < 3; i++)
		arena_on_reset(&a, record, &ids[i]);
	arena_reset(&a);
	assert_int_equal(n_order, 3);
	assert_int_equal(order[0], 3);
	assert_int_equal(order[1], 2);
	assert_int_equal(order[2], 1);
	arena_reset(&a);
	assert_int_equal(n_order, 3); /* not run a second time */
	arena_on_reset(&a, record, &ids[0]);
	arena_release(&a);
	assert_int_equal(n_order, 4);
	assert_int_equal(order[3], 1);
}

static void free_counter(void *p)
{
	(*(int *)p)++;
}

static void test_cleanup_registered_in_a_later_block_still_runs(void **state)
{
	(void)state;
	int count = 0;
	struct arena a;
	arena_init(&a);
	for (int i = 0; i < 40; i++) {
		arena_alloc(&a, 700);
		arena_on_reset(&a, free_counter, &count);
	}
	arena_release(&a);
	assert_int_equal(count, 40);
}

static void test_release_accepts_null_and_empty_arena(void **state)
{
	(void)state;
	arena_release(NULL);
	struct arena a;
	arena_init(&a);
	arena_reset(&a); /* no block yet */
	arena_release(&a);
	arena_release(&a); /* twice is harmless */
	assert_null(a.head);
}

static void test_string_helpers_copy_and_format(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	assert_string_equal(arena_strdup(&a, "hello"), "hello");
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	assert_string_equal(arena_strndup(&a, "hi", 10), "hi");
	assert_string_equal(arena_printf(&a, "%d-%s-%05.1f", 42, "x", 2.25), "42-x-002.2");
	char *big = arena_printf(&a, "%20000d", 7);
	assert_int_equal(strlen(big), 20000);
	assert_int_equal(big[19999], '7');
	arena_release(&a);
}

struct pair {
	int64_t a;
	char tag[12];
};

static void test_push_grows_by_doubling_and_keeps_elements(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	struct pair *v = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 1000; i++) {
		struct pair *p = &ARENA_PUSH(&a, v, n, cap);
		assert_int_equal(p->a, 0); /* new elements come zeroed */
		assert_string_equal(p->tag, "");
		p->a = i * 3;
		snprintf(p->tag, sizeof(p->tag), "e%d", i);
		assert_int_equal(n, (size_t)i + 1);
		assert_true(cap >= n);
	}
	assert_int_equal(cap, 1024); /* 8, 16, ... 1024 */
	for (int i = 0; i < 1000; i++) {
		char want[12];
		snprintf(want, sizeof(want), "e%d", i);
		assert_int_equal(v[i].a, i * 3);
		assert_string_equal(v[i].tag, want);
	}
	arena_release(&a);
}

static void test_push_first_element_allocates_eight(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	int *v = NULL;
	size_t n = 0, cap = 0;
	ARENA_PUSH(&a, v, n, cap) = 5;
	assert_non_null(v);
	assert_int_equal(n, 1);
	assert_int_equal(cap, 8);
	assert_int_equal(v[0], 5);
	arena_release(&a);
}

static void test_impossible_size_aborts_instead_of_returning(void **state)
{
	(void)state;
	static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 8, SIZE_MAX - 40};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		pid_t pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			/* the expected out-of-memory message is no news in the test log */
			int devnull = open("/dev/null", O_WRONLY);
			if (devnull >= 0)
				dup2(devnull, STDERR_FILENO);
			struct arena a;
			arena_init(&a);
			arena_alloc(&a, 16);
			arena_alloc(&a, sizes[i]);
			_exit(0); /* must not get here */
		}
		int status;
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), SIGABRT);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_every_allocation_is_aligned_to_max_align_t),
	        cmocka_unit_test(test_allocations_do_not_overlap),
	        cmocka_unit_test(test_zalloc_returns_zeroed_memory_even_when_reused),
	        cmocka_unit_test(test_first_allocation_larger_than_a_block_is_usable),
	        cmocka_unit_test(test_big_allocation_keeps_current_block_free_space),
	        cmocka_unit_test(test_reset_reuses_the_first_block),
	        cmocka_unit_test(test_reset_after_big_allocation_keeps_the_first_block),
	        cmocka_unit_test(test_arena_keeps_working_over_many_resets),
	        cmocka_unit_test(test_cleanups_run_newest_first_and_once),
	        cmocka_unit_test(test_cleanup_registered_in_a_later_block_still_runs),
	        cmocka_unit_test(test_release_accepts_null_and_empty_arena),
	        cmocka_unit_test(test_string_helpers_copy_and_format),
	        cmocka_unit_test(test_push_grows_by_doubling_and_keeps_elements),
	        cmocka_unit_test(test_push_first_element_allocates_eight),
	        cmocka_unit_test(test_impossible_size_aborts_instead_of_returning),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
