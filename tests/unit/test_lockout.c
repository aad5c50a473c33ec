/*
 * kamailio-phones: unit tests of the lockout table (core/lockout.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/lockout.h"

static ph_lockout_t *new_table(unit_alloc_t *a, size_t slots, unsigned fails)
{
	ph_lockout_limits_t limits = {fails, 60, 300, 12345};
	ph_lockout_t *lk;

	unit_alloc_init(a, -1);
	lk = ph_lockout_new(&a->allocator, slots, &limits);
	assert_non_null(lk);
	return lk;
}

static int record(ph_lockout_t *lk, const char *key, uint32_t now)
{
	return ph_lockout_fail(lk, key, strlen(key), now);
}

static int locked(ph_lockout_t *lk, const char *key, uint32_t now)
{
	return ph_lockout_locked(lk, key, strlen(key), now);
}

static void test_locks_after_failures(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 64, 3);

	(void)state;
	assert_int_equal(record(lk, "ext:100", 1000), 0);
	assert_int_equal(record(lk, "ext:100", 1001), 0);
	assert_false(locked(lk, "ext:100", 1001));
	assert_int_equal(record(lk, "ext:100", 1002), 1); /* the third locks */
	assert_true(locked(lk, "ext:100", 1002));
	assert_true(locked(lk, "ext:100", 1002 + 299));
	assert_false(locked(lk, "ext:100", 1002 + 300)); /* lock_time over */
	/* failures of a locked key neither extend nor re-lock it */
	assert_int_equal(record(lk, "ext:100", 1100), 0);
	assert_false(locked(lk, "ext:100", 1302));
	/* other keys are not affected */
	assert_false(locked(lk, "ext:101", 1002));
	assert_false(locked(lk, "ext:10", 1002));
	ph_lockout_free(lk);
	assert_int_equal(a.live, 0);
}

static void test_window(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 64, 3);

	(void)state;
	record(lk, "ip:192.0.2.1", 1000);
	record(lk, "ip:192.0.2.1", 1030);
	/* the window (60 s) closed: counting starts again */
	assert_int_equal(record(lk, "ip:192.0.2.1", 1060), 0);
	assert_int_equal(record(lk, "ip:192.0.2.1", 1061), 0);
	assert_false(locked(lk, "ip:192.0.2.1", 1061));
	assert_int_equal(record(lk, "ip:192.0.2.1", 1062), 1);
	assert_true(locked(lk, "ip:192.0.2.1", 1062));
	/* after the lock, failures count from zero */
	assert_int_equal(record(lk, "ip:192.0.2.1", 1400), 0);
	assert_false(locked(lk, "ip:192.0.2.1", 1400));
	ph_lockout_free(lk);
}

static void test_forget(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 64, 2);

	(void)state;
	record(lk, "ext:100", 10);
	record(lk, "ext:100", 11);
	assert_true(locked(lk, "ext:100", 11));
	assert_int_equal(ph_lockout_forget(lk, "ext:100", 7), 1);
	assert_false(locked(lk, "ext:100", 11));
	assert_int_equal(ph_lockout_forget(lk, "ext:100", 7), 0);
	/* a success forgets the failures counted so far */
	record(lk, "ext:200", 20);
	ph_lockout_forget(lk, "ext:200", 7);
	assert_int_equal(record(lk, "ext:200", 21), 0);
	ph_lockout_free(lk);
}

static void test_disabled(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 64, 0);
	int i;

	(void)state;
	for(i = 0; i < 100; i++)
		assert_int_equal(record(lk, "ext:100", 10), 0);
	assert_false(locked(lk, "ext:100", 10));
	ph_lockout_free(lk);
}

static void test_long_keys(void **state)
{
	char k1[200], k2[200];
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 64, 1);

	(void)state;
	memset(k1, 'x', sizeof(k1) - 1);
	k1[sizeof(k1) - 1] = '\0';
	memcpy(k2, k1, sizeof(k2));
	k2[150] = 'y'; /* differs after what a slot keeps */
	assert_int_equal(record(lk, k1, 5), 1);
	assert_true(locked(lk, k1, 5));
	/* keys are remembered by their first PH_LOCKOUT_MAX_KEY bytes */
	assert_true(locked(lk, k2, 5));
	ph_lockout_free(lk);
}

typedef struct seen
{
	int count;
	char last[PH_LOCKOUT_MAX_KEY + 1];
	unsigned failures;
	uint32_t until;
} seen_t;

static void collect(void *arg, const char *key, uint32_t until, unsigned n)
{
	seen_t *s = arg;

	s->count++;
	snprintf(s->last, sizeof(s->last), "%s", key);
	s->until = until;
	s->failures = n;
}

static void test_list_and_clear(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 256, 2);
	seen_t seen;
	size_t b, cleared = 0;

	(void)state;
	record(lk, "ext:100", 100);
	record(lk, "ext:100", 101);
	record(lk, "ext:300", 100); /* counted, not locked */
	memset(&seen, 0, sizeof(seen));
	for(b = 0; b < ph_lockout_buckets(lk); b++)
		ph_lockout_each_locked(lk, b, 150, collect, &seen);
	assert_int_equal(seen.count, 1);
	assert_string_equal(seen.last, "ext:100");
	assert_int_equal(seen.failures, 2);
	assert_int_equal(seen.until, 101 + 300);
	for(b = 0; b < ph_lockout_buckets(lk); b++)
		cleared += ph_lockout_clear_bucket(lk, b);
	assert_int_equal(cleared, 2);
	assert_false(locked(lk, "ext:100", 150));
	ph_lockout_free(lk);
}

/* A scan of many keys: memory is fixed, and locked keys are kept over
 * keys that are only counted. */
static void test_bounded(void **state)
{
	char key[32];
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 64, 2);
	size_t bytes = a.live_bytes, i;

	(void)state;
	assert_int_equal(ph_lockout_buckets(lk) * PH_LOCKOUT_WAYS, 64);
	record(lk, "ip:203.0.113.9", 1);
	record(lk, "ip:203.0.113.9", 2);
	assert_true(locked(lk, "ip:203.0.113.9", 2));
	for(i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "ext:scan%zu", i);
		record(lk, key, 3);
	}
	assert_int_equal(a.live_bytes, bytes);
	assert_int_equal(a.live, 1);
	assert_int_equal(a.calls, 1);
	assert_true(locked(lk, "ip:203.0.113.9", 3));
	ph_lockout_free(lk);
}

/* When every slot of a bucket is locked, a new key replaces the lock
 * that ends first, and is counted. */
static void test_full_bucket(void **state)
{
	char key[32];
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 8, 1); /* one bucket */
	int i;

	(void)state;
	assert_int_equal(ph_lockout_buckets(lk), 1);
	for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_int_equal(record(lk, key, 10 + i), 1);
	}
	assert_int_equal(record(lk, "new", 50), 1);
	assert_true(locked(lk, "new", 50));
	assert_false(locked(lk, "k0", 50)); /* its lock ended first */
	for(i = 1; i < PH_LOCKOUT_WAYS; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(locked(lk, key, 50));
	}
	ph_lockout_free(lk);
}

static void test_seed(void **state)
{
	ph_lockout_limits_t l1 = {1, 60, 300, 1}, l2 = {1, 60, 300, 2};
	unit_alloc_t a, b;
	ph_lockout_t *t1, *t2;
	char key[32];
	int i, differ = 0;

	(void)state;
	unit_alloc_init(&a, -1);
	unit_alloc_init(&b, -1);
	t1 = ph_lockout_new(&a.allocator, 4096, &l1);
	t2 = ph_lockout_new(&b.allocator, 4096, &l2);
	for(i = 0; i < 64; i++) {
		snprintf(key, sizeof(key), "ext:%d", i);
		differ += ph_lockout_bucket(t1, key, strlen(key))
				  != ph_lockout_bucket(t2, key, strlen(key));
	}
	/* another seed puts keys in other buckets */
	assert_true(differ > 32);
	ph_lockout_free(t1);
	ph_lockout_free(t2);
}

static void test_no_memory(void **state)
{
	ph_lockout_limits_t limits = {3, 60, 300, 0};
	unit_alloc_t a;

	(void)state;
	unit_alloc_init(&a, 0);
	assert_null(ph_lockout_new(&a.allocator, 64, &limits));
	assert_int_equal(a.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_locks_after_failures),
			cmocka_unit_test(test_window),
			cmocka_unit_test(test_forget),
			cmocka_unit_test(test_disabled),
			cmocka_unit_test(test_long_keys),
			cmocka_unit_test(test_list_and_clear),
			cmocka_unit_test(test_bounded),
			cmocka_unit_test(test_full_bucket),
			cmocka_unit_test(test_seed),
			cmocka_unit_test(test_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
