/*
 * kamailio-phones: unit tests of the string arena.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/arena.h"

/* The arena's block size (arena.c), for the tests around it. */
#define BLOCK 65536

static void test_strdup_copies_and_terminates(void **state)
{
	char src[] = "hello world";
	ph_arena_t arena;
	char *p;

	(void)state;
	ph_arena_init(&arena, &ph_allocator_libc);
	p = ph_arena_strdup(&arena, src, 5);
	assert_non_null(p);
	assert_ptr_not_equal(p, src);
	assert_string_equal(p, "hello");
	/* a copy: changing the source does not change it */
	memset(src, 'x', sizeof(src) - 1);
	assert_string_equal(p, "hello");
	ph_arena_release(&arena);
}

static void test_strdup_keeps_nul_bytes(void **state)
{
	static const char src[] = {'a', '\0', 'b', '\0', 'c'};
	ph_arena_t arena;
	char *p;

	(void)state;
	ph_arena_init(&arena, &ph_allocator_libc);
	p = ph_arena_strdup(&arena, src, sizeof(src));
	assert_non_null(p);
	assert_memory_equal(p, src, sizeof(src));
	assert_int_equal(p[sizeof(src)], '\0');
	ph_arena_release(&arena);
}

static void test_strdup_zero_length(void **state)
{
	ph_arena_t arena;
	char *p, *q;

	(void)state;
	ph_arena_init(&arena, &ph_allocator_libc);
	p = ph_arena_strdup(&arena, "", 0);
	assert_non_null(p);
	assert_int_equal(p[0], '\0');
	/* only the length counts, not what s holds */
	q = ph_arena_strdup(&arena, "abc", 0);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	assert_int_equal(q[0], '\0');
	assert_int_equal(p[0], '\0');
	ph_arena_release(&arena);
}

static void test_strings_do_not_overlap(void **state)
{
	ph_arena_t arena;
	char *a, *b, *c;

	(void)state;
	ph_arena_init(&arena, &ph_allocator_libc);
	a = ph_arena_strdup(&arena, "first", 5);
	b = ph_arena_strdup(&arena, "second", 6);
	c = ph_arena_strdup(&arena, "", 0);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_string_equal(a, "first");
	assert_string_equal(b, "second");
	assert_string_equal(c, "");
	ph_arena_release(&arena);
}

static void test_total_accounting(void **state)
{
	unit_alloc_t a;
	ph_arena_t arena;
	size_t total;
	char *big;

	(void)state;
	unit_alloc_init(&a, -1);
	ph_arena_init(&arena, &a.allocator);
	assert_int_equal(arena.total, 0);
	assert_null(arena.blocks);
	assert_int_equal(a.calls, 0);

	assert_non_null(ph_arena_strdup(&arena, "x", 1));
	assert_int_equal(a.calls, 1);
	assert_true(arena.total >= BLOCK);
	assert_int_equal(arena.total, a.live_bytes);
	total = arena.total;

	/* more small strings come out of the same block */
	assert_non_null(ph_arena_strdup(&arena, "yz", 2));
	assert_non_null(ph_arena_strdup(&arena, "", 0));
	assert_int_equal(a.calls, 1);
	assert_int_equal(arena.total, total);

	/* one that does not fit takes another, and total counts it */
	big = calloc(1, BLOCK);
	assert_non_null(big);
	assert_non_null(ph_arena_strdup(&arena, big, BLOCK));
	free(big);
	assert_int_equal(a.calls, 2);
	assert_true(arena.total >= total + BLOCK + 1);
	assert_int_equal(arena.total, a.live_bytes);
	ph_arena_release(&arena);
	assert_int_equal(arena.total, 0);
	assert_null(arena.blocks);
	assert_int_equal(arena.used, 0);
	assert_int_equal(arena.size, 0);
	assert_ptr_equal(arena.allocator, &a.allocator);
	assert_int_equal(a.live, 0);
	assert_int_equal(a.live_bytes, 0);
}

static void test_fill_block_exactly(void **state)
{
	unit_alloc_t a;
	ph_arena_t arena;
	char *big, *p, *q;

	(void)state;
	big = malloc(BLOCK);
	assert_non_null(big);
	memset(big, 'b', BLOCK);
	unit_alloc_init(&a, -1);
	ph_arena_init(&arena, &a.allocator);

	/* BLOCK - 1 bytes and the NUL fill one block exactly */
	p = ph_arena_strdup(&arena, big, BLOCK - 1);
	assert_non_null(p);
	assert_int_equal(a.calls, 1);
	assert_int_equal(arena.total, a.live_bytes);
	/* so even an empty string needs the next one */
	q = ph_arena_strdup(&arena, "", 0);
	assert_non_null(q);
	assert_int_equal(a.calls, 2);
	assert_int_equal(arena.total, a.live_bytes);
	assert_memory_equal(p, big, BLOCK - 1);
	assert_int_equal(p[BLOCK - 1], '\0');
	assert_int_equal(q[0], '\0');
	ph_arena_release(&arena);
	assert_int_equal(a.live, 0);
	free(big);
}

static void test_larger_than_a_block(void **state)
{
	static const size_t sizes[] = {BLOCK, BLOCK + 1, 3 * BLOCK + 7, 1000000};
	unit_alloc_t a;
	ph_arena_t arena;
	char *big, *small, *p[4], *after;
	size_t i, max = 1000000;

	(void)state;
	big = malloc(max);
	assert_non_null(big);
	for(i = 0; i < max; i++)
		big[i] = (char)('a' + i % 26);
	unit_alloc_init(&a, -1);
	ph_arena_init(&arena, &a.allocator);

	small = ph_arena_strdup(&arena, "small", 5);
	assert_non_null(small);
	for(i = 0; i < 4; i++) {
		p[i] = ph_arena_strdup(&arena, big, sizes[i]);
		assert_non_null(p[i]);
		assert_true(a.last_size >= sizes[i] + 1);
		assert_int_equal(arena.total, a.live_bytes);
	}
	after = ph_arena_strdup(&arena, "after", 5);
	assert_non_null(after);
	/* everything is intact: nothing overlapped */
	assert_string_equal(small, "small");
	for(i = 0; i < 4; i++) {
		assert_memory_equal(p[i], big, sizes[i]);
		assert_int_equal(p[i][sizes[i]], '\0');
	}
	assert_string_equal(after, "after");
	assert_true(arena.total > max + 3 * BLOCK);
	ph_arena_release(&arena);
	assert_int_equal(a.live, 0);
	assert_int_equal(a.live_bytes, 0);
	free(big);
}

#define MANY 200000

static void test_many_allocations(void **state)
{
	unit_alloc_t a;
	ph_arena_t arena;
	char **p, buf[64];
	size_t i, len, sum = 0;

	(void)state;
	p = calloc(MANY, sizeof(*p));
	assert_non_null(p);
	unit_alloc_init(&a, -1);
	ph_arena_init(&arena, &a.allocator);
	for(i = 0; i < MANY; i++) {
		len = (size_t)snprintf(buf, sizeof(buf), "%zu:%.*s", i, (int)(i % 40),
				"........................................");
		p[i] = ph_arena_strdup(&arena, buf, len);
		assert_non_null(p[i]);
		sum += len + 1;
	}
	assert_int_equal(arena.total, a.live_bytes);
	assert_true(arena.total >= sum);
	/* blocks are filled, not wasted: one block of slack per block at most */
	assert_true(arena.total < 2 * sum);
	assert_true(a.calls > 1);
	for(i = 0; i < MANY; i++) {
		len = (size_t)snprintf(buf, sizeof(buf), "%zu:%.*s", i, (int)(i % 40),
				"........................................");
		assert_string_equal(p[i], buf);
	}
	ph_arena_release(&arena);
	assert_int_equal(a.live, 0);
	free(p);
}

static void test_release_then_reuse(void **state)
{
	unit_alloc_t a;
	ph_arena_t arena;
	char *p;
	int round;

	(void)state;
	unit_alloc_init(&a, -1);
	ph_arena_init(&arena, &a.allocator);
	/* releasing an arena that never allocated is fine */
	ph_arena_release(&arena);
	assert_int_equal(a.calls, 0);
	for(round = 0; round < 3; round++) {
		p = ph_arena_strdup(&arena, "again", 5);
		assert_non_null(p);
		assert_string_equal(p, "again");
		assert_non_null(ph_arena_strdup(&arena, "x", 1));
		assert_int_equal(arena.total, a.live_bytes);
		assert_int_equal(a.live, 1);
		ph_arena_release(&arena);
		assert_int_equal(arena.total, 0);
		assert_int_equal(a.live, 0);
	}
	assert_int_equal(a.calls, 3);
}

static void test_allocator_failure(void **state)
{
	unit_alloc_t a;
	ph_arena_t arena;
	char *big, *p;

	(void)state;
	big = calloc(1, BLOCK + 1);
	assert_non_null(big);

	/* no memory at all */
	unit_alloc_init(&a, 0);
	ph_arena_init(&arena, &a.allocator);
	assert_null(ph_arena_strdup(&arena, "abc", 3));
	assert_null(ph_arena_strdup(&arena, "", 0));
	assert_int_equal(a.failures, 2);
	assert_null(arena.blocks);
	assert_int_equal(arena.total, 0);
	ph_arena_release(&arena);

	/* one block, then no more */
	unit_alloc_init(&a, 1);
	ph_arena_init(&arena, &a.allocator);
	p = ph_arena_strdup(&arena, "kept", 4);
	assert_non_null(p);
	assert_null(ph_arena_strdup(&arena, big, BLOCK + 1));
	assert_int_equal(a.failures, 1);
	assert_int_equal(arena.total, a.live_bytes);
	/* the failure changed nothing: the block still serves small strings */
	assert_non_null(ph_arena_strdup(&arena, "more", 4));
	assert_int_equal(a.failures, 1);
	assert_string_equal(p, "kept");
	/* and it works again once the allocator does */
	a.remaining = -1;
	p = ph_arena_strdup(&arena, big, BLOCK + 1);
	assert_non_null(p);
	assert_int_equal(p[BLOCK + 1], '\0');
	assert_int_equal(arena.total, a.live_bytes);
	ph_arena_release(&arena);
	assert_int_equal(a.live, 0);
	free(big);
}

static void test_size_overflow(void **state)
{
	unit_alloc_t a;
	ph_arena_t arena;

	(void)state;
	unit_alloc_init(&a, -1);
	ph_arena_init(&arena, &a.allocator);
	/* len + 1 overflows: refused before anything is read or allocated */
	assert_null(ph_arena_strdup(&arena, "x", SIZE_MAX));
	assert_int_equal(a.calls, 0);
	/* the block header would overflow */
	assert_null(ph_arena_strdup(&arena, "x", SIZE_MAX - 1));
	assert_null(ph_arena_strdup(&arena, "x", SIZE_MAX - 8));
	assert_int_equal(a.calls, 0);
	/* a size the allocator refuses */
	assert_null(ph_arena_strdup(&arena, "x", SIZE_MAX / 2));
	assert_int_equal(a.failures, a.calls);
	assert_null(arena.blocks);
	assert_int_equal(arena.total, 0);
	ph_arena_release(&arena);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_strdup_copies_and_terminates),
			cmocka_unit_test(test_strdup_keeps_nul_bytes),
			cmocka_unit_test(test_strdup_zero_length),
			cmocka_unit_test(test_strings_do_not_overlap),
			cmocka_unit_test(test_total_accounting),
			cmocka_unit_test(test_fill_block_exactly),
			cmocka_unit_test(test_larger_than_a_block),
			cmocka_unit_test(test_many_allocations),
			cmocka_unit_test(test_release_then_reuse),
			cmocka_unit_test(test_allocator_failure),
			cmocka_unit_test(test_size_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
