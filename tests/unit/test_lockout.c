/*
 * kamailio-phones: unit tests of the lockout table (core/lockout.c): it
 * stops guessers and never a phone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/lockout.h"

/* pair 5 failures, address 4 extensions, extension 12 failures, window 60,
 * lock 300, trust 3600 */
static ph_lockout_t *new_table(unit_alloc_t *a, size_t slots)
{
	ph_lockout_limits_t limits = {5, 4, 12, 60, 300, 3600, 12345, 0};
	ph_lockout_t *lk;

	unit_alloc_init(a, -1);
	lk = ph_lockout_new(&a->allocator, slots, &limits);
	assert_non_null(lk);
	return lk;
}

static unsigned failed(ph_lockout_t *lk, const char *ext, const char *addr,
		uint32_t now)
{
	return ph_lockout_failure(
			lk, ext, strlen(ext), addr, strlen(addr), 0, 1, now);
}

static unsigned fail_unknown(ph_lockout_t *lk, const char *ext,
		const char *addr, uint32_t now)
{
	return ph_lockout_failure(
			lk, ext, strlen(ext), addr, strlen(addr), 0, 0, now);
}

static ph_lock_kind_t check(ph_lockout_t *lk, const char *ext,
		const char *addr, uint32_t now)
{
	return ph_lockout_check(
			lk, ext, strlen(ext), addr, strlen(addr), 0, now);
}

static void succeed(ph_lockout_t *lk, const char *ext, const char *addr,
		uint32_t now)
{
	ph_lockout_success(lk, ext, strlen(ext), addr, strlen(addr), 0, now);
}

/* A guesser elsewhere locks itself out, never the phone. */
static void test_guesser_elsewhere(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	int i;

	(void)state;
	for(i = 0; i < 4; i++)
		assert_int_equal(failed(lk, "100", "127.0.0.9", 10), 0);
	assert_int_equal(check(lk, "100", "127.0.0.9", 10), PH_LOCK_NONE);
	assert_int_equal(failed(lk, "100", "127.0.0.9", 10), PH_LOCK_PAIR);
	assert_int_equal(check(lk, "100", "127.0.0.9", 11), PH_LOCK_PAIR);
	/* the phone at its own address is not refused */
	assert_int_equal(check(lk, "100", "127.0.0.1", 11), PH_LOCK_NONE);
	/* another extension from the guesser's address is not either */
	assert_int_equal(check(lk, "101", "127.0.0.9", 11), PH_LOCK_NONE);
	/* the lock ends */
	assert_int_equal(check(lk, "100", "127.0.0.9", 10 + 300), PH_LOCK_NONE);
	/* and counting starts again */
	assert_int_equal(failed(lk, "100", "127.0.0.9", 311), 0);
	assert_int_equal(check(lk, "100", "127.0.0.9", 311), PH_LOCK_NONE);
	ph_lockout_free(lk);
}

/* A success says whether it forgave failures of the pair (a proxy then
 * tells its peers; a phone's every registration is not told). */
static void test_success_forgives(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	int i;

	(void)state;
	assert_int_equal(ph_lockout_success(lk, "100", 3, "127.0.0.1", 9, 0, 10), 0);
	assert_int_equal(failed(lk, "100", "127.0.0.1", 11), 0);
	/* another pair's failure is not this pair's */
	assert_int_equal(failed(lk, "101", "127.0.0.1", 11), 0);
	assert_int_equal(ph_lockout_success(lk, "100", 3, "127.0.0.1", 9, 0, 12), 1);
	assert_int_equal(ph_lockout_success(lk, "100", 3, "127.0.0.1", 9, 0, 13), 0);
	/* a locked pair: forgiven, and unlocked */
	for(i = 0; i < 5; i++)
		failed(lk, "100", "127.0.0.9", 20);
	assert_int_equal(check(lk, "100", "127.0.0.9", 21), PH_LOCK_PAIR);
	assert_int_equal(ph_lockout_success(lk, "100", 3, "127.0.0.9", 9, 0, 21), 1);
	assert_int_equal(check(lk, "100", "127.0.0.9", 21), PH_LOCK_NONE);
	ph_lockout_free(lk);
}

/* Failures further apart than the window never add up to a lock. */
static void test_window(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	uint32_t t;

	(void)state;
	for(t = 100; t < 100 + 61 * 20; t += 61)
		assert_int_equal(failed(lk, "100", "127.0.0.9", t), 0);
	assert_int_equal(check(lk, "100", "127.0.0.9", t), PH_LOCK_NONE);
	ph_lockout_free(lk);
}

/* One misconfigured phone behind an office NAT fails all day: only that
 * phone is refused, the other phones of the office are not. */
static void test_office_nat(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	int i;

	(void)state;
	succeed(lk, "101", "127.0.0.5", 1);
	for(i = 0; i < 1000; i++)
		failed(lk, "100", "127.0.0.5", 2 + (uint32_t)i);
	assert_int_equal(check(lk, "100", "127.0.0.5", 1002), PH_LOCK_PAIR);
	assert_int_equal(check(lk, "101", "127.0.0.5", 1002), PH_LOCK_NONE);
	assert_int_equal(check(lk, "102", "127.0.0.5", 1002), PH_LOCK_NONE);
	ph_lockout_free(lk);
}

/* An address that fails for many extensions is locked, unless phones at
 * it authenticate; a success unlocks it. */
static void test_address(void **state)
{
	char ext[16];
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	int i;

	(void)state;
	for(i = 0; i < 3; i++) {
		snprintf(ext, sizeof(ext), "scan%d", i);
		assert_int_equal(fail_unknown(lk, ext, "127.0.0.9", 10), 0);
		/* the same name again is not another extension */
		assert_int_equal(fail_unknown(lk, ext, "127.0.0.9", 10), 0);
	}
	assert_int_equal(fail_unknown(lk, "scan3", "127.0.0.9", 10),
			PH_LOCK_ADDRESS);
	assert_int_equal(check(lk, "100", "127.0.0.9", 11), PH_LOCK_ADDRESS);
	assert_int_equal(check(lk, "100", "127.0.0.1", 11), PH_LOCK_NONE);

	/* a trusted address is never locked by its failures */
	succeed(lk, "200", "127.0.0.5", 20);
	for(i = 0; i < 50; i++) {
		snprintf(ext, sizeof(ext), "x%d", i);
		assert_int_equal(failed(lk, ext, "127.0.0.5", 21) & PH_LOCK_ADDRESS, 0);
	}
	assert_int_equal(check(lk, "200", "127.0.0.5", 22), PH_LOCK_NONE);
	/* its trust runs out: failures lock it again */
	for(i = 0; i < 4; i++) {
		snprintf(ext, sizeof(ext), "y%d", i);
		failed(lk, ext, "127.0.0.5", 20 + 3600 + 1);
	}
	assert_int_equal(check(lk, "200", "127.0.0.5", 3622), PH_LOCK_ADDRESS);
	ph_lockout_free(lk);
}

/* An extension guessed from many addresses: every address that failed for
 * it is refused, an address that did not is not; names that are no phone
 * never put anything under attack. */
static void test_extension_under_attack(void **state)
{
	char addr[32];
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	unsigned set = 0;
	int i;

	(void)state;
	for(i = 0; i < 12; i++) {
		snprintf(addr, sizeof(addr), "127.0.1.%d", i);
		set |= failed(lk, "100", addr, 50);
	}
	assert_int_equal(set, PH_LOCK_EXTENSION);
	assert_int_equal(check(lk, "100", "127.0.1.3", 51), PH_LOCK_EXTENSION);
	/* a new guesser gets its one guess, then is refused */
	assert_int_equal(check(lk, "100", "127.0.2.1", 51), PH_LOCK_NONE);
	failed(lk, "100", "127.0.2.1", 51);
	assert_int_equal(check(lk, "100", "127.0.2.1", 51), PH_LOCK_EXTENSION);
	/* the phone has not failed: never refused */
	assert_int_equal(check(lk, "100", "127.0.0.1", 52), PH_LOCK_NONE);

	for(i = 0; i < 30; i++) {
		snprintf(addr, sizeof(addr), "127.0.3.%d", i);
		assert_int_equal(fail_unknown(lk, "nobody", addr, 60), 0);
	}
	ph_lockout_free(lk);
}

/* A flood of new names does not evict a counter before it runs out: the
 * lock comes at the fifth guess whatever happens in between. */
static void test_flood_does_not_evict(void **state)
{
	ph_lockout_limits_t limits = {5, 0, 0, 600, 300, 3600, 777, 0};
	char name[32], addr[32];
	unit_alloc_t a;
	ph_lockout_t *lk;
	size_t bytes;
	int guess, i;

	(void)state;
	unit_alloc_init(&a, -1);
	lk = ph_lockout_new(&a.allocator, 64, &limits);
	assert_non_null(lk);
	bytes = a.live_bytes;
	for(guess = 1; guess <= 5; guess++) {
		assert_int_equal(check(lk, "100", "127.0.0.9", 100), PH_LOCK_NONE);
		assert_int_equal(failed(lk, "100", "127.0.0.9", 100 + guess),
				guess == 5 ? PH_LOCK_PAIR : 0);
		for(i = 0; i < 20000; i++) {
			snprintf(name, sizeof(name), "f%d-%d", guess, i);
			snprintf(addr, sizeof(addr), "127.1.%d.%d", i / 250, i % 250);
			fail_unknown(lk, name, addr, 100 + guess);
		}
	}
	assert_int_equal(check(lk, "100", "127.0.0.9", 106), PH_LOCK_PAIR);
	assert_int_equal(a.live_bytes, bytes);
	assert_int_equal(a.calls, 1);
	ph_lockout_free(lk);
}

/* The shipped cfg's limits (10 a pair, 20 extensions an address, 100 an
 * extension, first lock 10 s) at the default table size (16384 slots): a
 * guesser's counter survives a flood of 100,000 addresses, each failing
 * for a phone of the table (a pair, an address and the extension's
 * counter each), between its guesses. (Measured: so it does at 64 slots
 * too.) */
static void test_default_size_flood(void **state)
{
	ph_lockout_limits_t limits = {10, 20, 100, 60, 3600, 3600, 4242, 10};
	char addr[32];
	unit_alloc_t a;
	ph_lockout_t *lk;
	int guess, i;

	(void)state;
	unit_alloc_init(&a, -1);
	lk = ph_lockout_new(&a.allocator, 16384, &limits);
	assert_non_null(lk);
	for(guess = 1; guess <= 10; guess++) {
		assert_int_equal(check(lk, "cc102", "127.0.3.7", 100), PH_LOCK_NONE);
		assert_true((failed(lk, "cc102", "127.0.3.7", 100 + guess)
							& PH_LOCK_PAIR)
					== (guess == 10 ? PH_LOCK_PAIR : 0));
		for(i = 0; i < 10000; i++) {
			snprintf(addr, sizeof(addr), "127.%d.%d.%d", 10 + guess, i / 250,
					i % 250);
			failed(lk, i % 2 ? "cc103" : "cc104", addr, 100 + guess);
		}
	}
	assert_int_equal(check(lk, "cc102", "127.0.3.7", 111), PH_LOCK_PAIR);
	ph_lockout_free(lk);
}

/* When every slot of a bucket is locked, a new key replaces the lock that
 * ends first. */
static void test_full_bucket(void **state)
{
	ph_lockout_limits_t limits = {1, 0, 0, 60, 300, 0, 1, 0};
	char ext[32];
	unit_alloc_t a;
	ph_lockout_t *lk;
	int i;

	(void)state;
	unit_alloc_init(&a, -1);
	lk = ph_lockout_new(&a.allocator, 8, &limits); /* one bucket */
	assert_int_equal(ph_lockout_slots(lk), PH_LOCKOUT_WAYS);
	for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
		snprintf(ext, sizeof(ext), "k%d", i);
		assert_int_equal(failed(lk, ext, "a", 10 + (uint32_t)i), PH_LOCK_PAIR);
	}
	assert_int_equal(failed(lk, "new", "a", 50), PH_LOCK_PAIR);
	assert_int_equal(check(lk, "new", "a", 50), PH_LOCK_PAIR);
	assert_int_equal(check(lk, "k0", "a", 50), PH_LOCK_NONE);
	for(i = 1; i < PH_LOCKOUT_WAYS; i++) {
		snprintf(ext, sizeof(ext), "k%d", i);
		assert_int_equal(check(lk, ext, "a", 50), PH_LOCK_PAIR);
	}
	ph_lockout_free(lk);
}

typedef struct seen
{
	int n, pairs, addresses, extensions;
	char last[128];
} seen_t;

static void collect(void *arg, const ph_lock_info_t *lock)
{
	seen_t *s = arg;

	s->n++;
	s->pairs += lock->kind == PH_LOCK_PAIR;
	s->addresses += lock->kind == PH_LOCK_ADDRESS;
	s->extensions += lock->kind == PH_LOCK_EXTENSION;
	snprintf(s->last, sizeof(s->last), "%s %.*s %.*s",
			ph_lock_kind_name(lock->kind), (int)lock->elen, lock->ext,
			(int)lock->alen, lock->addr);
}

/* Every lock is listed, a page at a time. */
static void test_list_pages(void **state)
{
	ph_lockout_limits_t limits = {1, 0, 0, 60, 300, 0, 5, 0};
	char ext[32];
	unit_alloc_t a;
	ph_lockout_t *lk;
	seen_t seen = {0};
	size_t from = 0, pages = 0;
	int i;

	(void)state;
	unit_alloc_init(&a, -1);
	lk = ph_lockout_new(&a.allocator, 8192, &limits);
	for(i = 0; i < 1500; i++) {
		snprintf(ext, sizeof(ext), "e%d", i);
		failed(lk, ext, "127.0.0.9", 10);
	}
	while(from < ph_lockout_slots(lk)) {
		int before = seen.n;
		from = ph_lockout_list(lk, from, 1000, 11, collect, &seen);
		assert_true(seen.n - before <= 1000);
		pages++;
	}
	assert_int_equal(seen.n, 1500);
	assert_int_equal(seen.pairs, 1500);
	assert_int_equal(pages, 2);
	memset(&seen, 0, sizeof(seen));
	ph_lockout_list(lk, 0, 10000, 10 + 300, collect, &seen);
	assert_int_equal(seen.n, 0); /* all ran out */
	ph_lockout_free(lk);
}

/* Forgetting an extension, an address, a pair or everything. */
static void test_clear(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	seen_t seen = {0};
	int i;

	(void)state;
	for(i = 0; i < 5; i++) {
		failed(lk, "100", "127.0.0.8", 10);
		failed(lk, "100", "127.0.0.9", 10);
		failed(lk, "101", "127.0.0.9", 10);
	}
	assert_int_equal(check(lk, "100", "127.0.0.8", 11), PH_LOCK_PAIR);
	assert_int_equal(ph_lockout_clear(lk, "100", 3, "127.0.0.8", 9), 1);
	assert_int_equal(check(lk, "100", "127.0.0.8", 11), PH_LOCK_NONE);
	assert_int_equal(check(lk, "100", "127.0.0.9", 11), PH_LOCK_PAIR);
	/* the address: its counter and its pairs */
	assert_int_equal(ph_lockout_clear(lk, NULL, 0, "127.0.0.9", 9), 3);
	assert_int_equal(check(lk, "101", "127.0.0.9", 11), PH_LOCK_NONE);
	failed(lk, "100", "127.0.0.8", 12);
	/* the extension: its counter and its pairs */
	assert_int_equal(ph_lockout_clear(lk, "100", 3, NULL, 0), 2);
	failed(lk, "100", "127.0.0.8", 12);
	assert_true(ph_lockout_clear(lk, NULL, 0, NULL, 0) > 0);
	ph_lockout_list(lk, 0, 100, 12, collect, &seen);
	assert_int_equal(seen.n, 0);
	ph_lockout_free(lk);
}

/* Long extensions and IPv6 addresses: cut to fit, still locked and
 * listed. */
static void test_long_keys(void **state)
{
	ph_lockout_limits_t limits = {2, 0, 0, 60, 300, 0, 5, 0};
	char ext[201];
	const char *v6 = "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff";
	unit_alloc_t a;
	ph_lockout_t *lk;
	seen_t seen = {0};

	(void)state;
	memset(ext, 'x', 200);
	ext[200] = '\0';
	unit_alloc_init(&a, -1);
	lk = ph_lockout_new(&a.allocator, 64, &limits);
	failed(lk, ext, v6, 10);
	assert_int_equal(failed(lk, ext, v6, 10), PH_LOCK_PAIR);
	assert_int_equal(check(lk, ext, v6, 10), PH_LOCK_PAIR);
	ph_lockout_list(lk, 0, 10, 10, collect, &seen);
	assert_int_equal(seen.n, 1);
	assert_int_equal(strlen(seen.last),
			strlen("pair ") + PH_LOCKOUT_MAX_KEY - strlen(v6) + 1 + strlen(v6));
	assert_int_equal(ph_lockout_clear(lk, ext, 200, v6, strlen(v6)), 1);
	ph_lockout_free(lk);
}

static void test_disabled(void **state)
{
	ph_lockout_limits_t limits = {0, 3, 3, 60, 300, 3600, 1, 0};
	unit_alloc_t a;
	ph_lockout_t *lk;
	int i;

	(void)state;
	unit_alloc_init(&a, -1);
	lk = ph_lockout_new(&a.allocator, 64, &limits);
	for(i = 0; i < 100; i++)
		assert_int_equal(failed(lk, "100", "127.0.0.9", 10), 0);
	assert_int_equal(check(lk, "100", "127.0.0.9", 10), PH_LOCK_NONE);
	ph_lockout_free(lk);
}

/* Another seed puts a key in another slot. */
static void count_lock(void *arg, const ph_lock_info_t *lock)
{
	(void)lock;
	(*(int *)arg)++;
}

static void test_seed(void **state)
{
	ph_lockout_limits_t l1 = {1, 0, 0, 60, 300, 0, 1, 0}, l2 = l1;
	unit_alloc_t a, b;
	ph_lockout_t *t1, *t2;
	char ext[16];
	int differ = 0, n = 0, i;

	(void)state;
	l2.seed = 2;
	unit_alloc_init(&a, -1);
	unit_alloc_init(&b, -1);
	t1 = ph_lockout_new(&a.allocator, 4096, &l1);
	t2 = ph_lockout_new(&b.allocator, 4096, &l2);
	for(i = 0; i < 8; i++) {
		snprintf(ext, sizeof(ext), "%d", 100 + i);
		failed(t1, ext, "127.0.0.9", 10);
		failed(t2, ext, "127.0.0.9", 10);
		/* the slot after the one that holds the lock */
		differ += ph_lockout_list(t1, 0, 1, 10, count_lock, &n)
				  != ph_lockout_list(t2, 0, 1, 10, count_lock, &n);
		ph_lockout_clear(t1, NULL, 0, NULL, 0);
		ph_lockout_clear(t2, NULL, 0, NULL, 0);
	}
	assert_int_equal(n, 16);
	assert_true(differ >= 6);
	ph_lockout_free(t1);
	ph_lockout_free(t2);
}

static void test_no_memory(void **state)
{
	ph_lockout_limits_t limits = {3, 3, 3, 60, 300, 3600, 0, 0};
	unit_alloc_t a;

	(void)state;
	unit_alloc_init(&a, 0);
	assert_null(ph_lockout_new(&a.allocator, 64, &limits));
	assert_int_equal(a.live, 0);
}

/* A pair's first lock is short, each further one twice as long up to the
 * lock time; a success forgets its locks. pair 2 failures, window 60,
 * lock 300, first lock 10: 10, 20, 40, 80, 160, 300, 300. */
static void test_growing_lock(void **state)
{
	ph_lockout_limits_t limits = {2, 0, 0, 60, 300, 0, 9, 10};
	unsigned expect[] = {10, 20, 40, 80, 160, 300, 300};
	unit_alloc_t a;
	ph_lockout_t *lk;
	uint32_t now = 1000, until;
	size_t i;

	(void)state;
	unit_alloc_init(&a, -1);
	lk = ph_lockout_new(&a.allocator, 64, &limits);
	assert_non_null(lk);
	assert_int_equal(ph_lockout_lock_time(&limits, 0), 10);
	assert_int_equal(ph_lockout_lock_time(&limits, 40), 300);
	for(i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		assert_int_equal(failed(lk, "g1", "127.0.2.9", now), 0);
		assert_int_equal(failed(lk, "g1", "127.0.2.9", now), PH_LOCK_PAIR);
		until = ph_lockout_pair_until(lk, "g1", 2, "127.0.2.9", 9);
		assert_int_equal(until - now, expect[i]);
		assert_int_equal(check(lk, "g1", "127.0.2.9", until - 1), PH_LOCK_PAIR);
		assert_int_equal(check(lk, "g1", "127.0.2.9", until), PH_LOCK_NONE);
		/* the guesser comes back a little after each lock */
		now = until + 5;
	}
	/* a typo: the phone's right password forgets the locks */
	succeed(lk, "g1", "127.0.2.9", now);
	failed(lk, "g1", "127.0.2.9", now);
	failed(lk, "g1", "127.0.2.9", now);
	assert_int_equal(ph_lockout_pair_until(lk, "g1", 2, "127.0.2.9", 9) - now, 10);
	/* remembered lock seconds after the last lock ended, then forgotten */
	now += 10 + 300 + 61;
	failed(lk, "g1", "127.0.2.9", now);
	failed(lk, "g1", "127.0.2.9", now);
	assert_int_equal(ph_lockout_pair_until(lk, "g1", 2, "127.0.2.9", 9) - now, 10);
	/* another address's pair of the same extension starts short */
	failed(lk, "g1", "127.0.2.10", now);
	failed(lk, "g1", "127.0.2.10", now);
	assert_int_equal(
			ph_lockout_pair_until(lk, "g1", 2, "127.0.2.10", 10) - now, 10);
	/* first_lock 0: every lock lasts lock */
	ph_lockout_free(lk);
	limits.first_lock = 0;
	lk = ph_lockout_new(&a.allocator, 64, &limits);
	assert_non_null(lk);
	failed(lk, "g1", "127.0.2.9", now);
	failed(lk, "g1", "127.0.2.9", now);
	assert_int_equal(ph_lockout_pair_until(lk, "g1", 2, "127.0.2.9", 9) - now, 300);
	ph_lockout_free(lk);
	assert_int_equal(a.live, 0);
}


/* With ports: ext from addr, port. */
static unsigned failed_at(ph_lockout_t *lk, const char *ext, const char *addr,
		unsigned port, uint32_t now)
{
	return ph_lockout_failure(
			lk, ext, strlen(ext), addr, strlen(addr), port, 1, now);
}

static ph_lock_kind_t check_at(ph_lockout_t *lk, const char *ext,
		const char *addr, unsigned port, uint32_t now)
{
	return ph_lockout_check(
			lk, ext, strlen(ext), addr, strlen(addr), port, now);
}

static void succeed_at(ph_lockout_t *lk, const char *ext, const char *addr,
		unsigned port, uint32_t now)
{
	ph_lockout_success(lk, ext, strlen(ext), addr, strlen(addr), port, now);
}

/* A colleague behind the office's address fails for another phone's
 * extension from their own port: they lock themselves out, never the phone
 * at the port it registered from, however long they go on. */
static void test_colleague_cannot_lock_phone(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	uint32_t t;
	int i;

	(void)state;
	succeed_at(lk, "100", "127.0.0.20", 5062, 10);
	for(t = 11; t < 2000; t += 5) {
		for(i = 0; i < 5; i++)
			failed_at(lk, "100", "127.0.0.20", 5064, t);
		assert_int_equal(check_at(lk, "100", "127.0.0.20", 5064, t),
				PH_LOCK_PAIR);
		assert_int_equal(
				check_at(lk, "100", "127.0.0.20", 5062, t), PH_LOCK_NONE);
		/* the phone re-registers now and then */
		if(t % 600 < 5)
			succeed_at(lk, "100", "127.0.0.20", 5062, t);
	}
	/* the extension is under attack by now: the colleague's port is
	 * refused, the phone's is not */
	assert_int_equal(check_at(lk, "100", "127.0.0.20", 5062, t), PH_LOCK_NONE);
	/* the phone's successes did not lift the colleague's lock */
	assert_int_equal(check_at(lk, "100", "127.0.0.20", 5064, t), PH_LOCK_PAIR);
	/* a port the phone never succeeded from is refused as before */
	assert_int_equal(
			check_at(lk, "100", "127.0.0.20", 5070, t), PH_LOCK_PAIR);
	/* and without a port (a peer's report), nothing is trusted */
	assert_int_equal(check_at(lk, "100", "127.0.0.20", 0, t), PH_LOCK_PAIR);
	ph_lockout_free(lk);
}

/* The trust in a port ends when that port fails (the phone's password
 * changed, or the mapping went to someone else) and after `trust`. */
static void test_trusted_port_ends(void **state)
{
	unit_alloc_t a;
	ph_lockout_t *lk = new_table(&a, 1024);
	int i;

	(void)state;
	succeed_at(lk, "100", "127.0.0.20", 5062, 10);
	for(i = 0; i < 5; i++)
		failed_at(lk, "100", "127.0.0.20", 5064, 11);
	assert_int_equal(check_at(lk, "100", "127.0.0.20", 5062, 11), PH_LOCK_NONE);
	/* the phone's own port fails once: trusted no more */
	failed_at(lk, "100", "127.0.0.20", 5062, 12);
	assert_int_equal(check_at(lk, "100", "127.0.0.20", 5062, 12), PH_LOCK_PAIR);
	/* trust runs out */
	succeed_at(lk, "101", "127.0.0.21", 6000, 20);
	for(i = 0; i < 5; i++)
		failed_at(lk, "101", "127.0.0.21", 6002, 3620 + 1);
	assert_int_equal(
			check_at(lk, "101", "127.0.0.21", 6000, 3621), PH_LOCK_PAIR);
	/* with trust 0 nothing is remembered of a port */
	{
		ph_lockout_limits_t limits = {5, 4, 12, 60, 300, 0, 12345, 0};
		unit_alloc_t b;
		ph_lockout_t *lk0;

		unit_alloc_init(&b, -1);
		lk0 = ph_lockout_new(&b.allocator, 64, &limits);
		assert_non_null(lk0);
		succeed_at(lk0, "100", "127.0.0.20", 5062, 10);
		for(i = 0; i < 5; i++)
			failed_at(lk0, "100", "127.0.0.20", 5064, 11);
		assert_int_equal(
				check_at(lk0, "100", "127.0.0.20", 5062, 11), PH_LOCK_PAIR);
		ph_lockout_free(lk0);
	}
	ph_lockout_free(lk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_guesser_elsewhere),
			cmocka_unit_test(test_window),
			cmocka_unit_test(test_office_nat),
			cmocka_unit_test(test_address),
			cmocka_unit_test(test_extension_under_attack),
			cmocka_unit_test(test_flood_does_not_evict),
			cmocka_unit_test(test_default_size_flood),
			cmocka_unit_test(test_full_bucket),
			cmocka_unit_test(test_list_pages),
			cmocka_unit_test(test_clear),
			cmocka_unit_test(test_long_keys),
			cmocka_unit_test(test_disabled),
			cmocka_unit_test(test_seed),
			cmocka_unit_test(test_no_memory),
			cmocka_unit_test(test_success_forgives),
			cmocka_unit_test(test_growing_lock),
			cmocka_unit_test(test_colleague_cannot_lock_phone),
			cmocka_unit_test(test_trusted_port_ends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
