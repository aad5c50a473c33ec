/*
 * kamailio-phones: unit tests of the reload guard (core/reload_guard.c)
 * and the refusal policy (core/reload_policy.c): one reload at a time, a
 * hold that waits, the time of the last publish, and when a new table is
 * refused. The last test runs threads (also under ThreadSanitizer).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

#include "unit.h"

#include "phones/reload_guard.h"
#include "phones/reload_policy.h"

/* ---- a lock that checks how it is used, and a clock the test sets ---- */

static int lock_held;

static void check_lock(void *ctx)
{
	(void)ctx;
	assert_false(lock_held);
	lock_held = 1;
}

static void check_unlock(void *ctx)
{
	(void)ctx;
	assert_true(lock_held);
	lock_held = 0;
}

static const ph_lock_t test_lock = {check_lock, check_unlock, NULL};

typedef struct fake_clock
{
	time_t now;
	uint64_t ms;
	unsigned pauses;
	/* the guard's "other" holder, which lets go after this many pauses
	 * (0: never) */
	ph_reload_guard_t *other;
	unsigned other_after;
} fake_clock_t;

static time_t fake_now(void *ctx)
{
	return ((fake_clock_t *)ctx)->now;
}

static uint64_t fake_ms(void *ctx)
{
	return ((fake_clock_t *)ctx)->ms;
}

static void fake_pause(void *ctx)
{
	fake_clock_t *c = ctx;

	assert_false(lock_held); /* never waits holding the lock */
	c->pauses++;
	c->now++;
	if(c->other && c->pauses == c->other_after)
		ph_reload_end(c->other);
	assert_true(c->pauses < 1000); /* a hold that never ends */
}

static ph_reload_guard_t *guard(fake_clock_t *c)
{
	ph_clock_t clock = {fake_now, fake_ms, fake_pause, c};
	ph_reload_guard_t *g;

	memset(c, 0, sizeof(*c));
	c->now = 1000;
	g = ph_reload_guard_new(&ph_allocator_libc, &test_lock, &clock);
	assert_non_null(g);
	return g;
}

/* ---- the guard ---- */

static void test_one_at_a_time(void **state)
{
	fake_clock_t c;
	ph_reload_guard_t *g = guard(&c);

	(void)state;
	assert_int_equal(ph_reload_try_begin(g), 1);
	assert_int_equal(ph_reload_try_begin(g), 0); /* busy */
	assert_int_equal(ph_reload_try_begin(g), 0);
	ph_reload_end(g);
	assert_int_equal(ph_reload_try_begin(g), 1);
	ph_reload_end(g);
	/* a hold of a free guard takes it without waiting */
	ph_reload_hold(g);
	assert_int_equal(c.pauses, 0);
	assert_int_equal(ph_reload_try_begin(g), 0);
	ph_reload_end(g);
	assert_false(lock_held);
	ph_reload_guard_free(g);
}

static void test_hold_waits(void **state)
{
	fake_clock_t c;
	ph_reload_guard_t *g = guard(&c);

	(void)state;
	/* a reload runs; the hold waits, pausing, until it ends */
	assert_int_equal(ph_reload_try_begin(g), 1);
	c.other = g;
	c.other_after = 3;
	ph_reload_hold(g);
	assert_int_equal(c.pauses, 3);
	/* and then has it: a reload is turned away */
	assert_int_equal(ph_reload_try_begin(g), 0);
	ph_reload_end(g);
	assert_int_equal(ph_reload_try_begin(g), 1);
	ph_reload_end(g);
	assert_false(lock_held);
	ph_reload_guard_free(g);
}

static void test_last_published(void **state)
{
	fake_clock_t c;
	ph_reload_guard_t *g = guard(&c);

	(void)state;
	assert_int_equal(ph_reload_last(g), 0);
	assert_int_equal(ph_reload_last_ms(g), 0);
	c.now = 1700000000;
	ph_reload_published(g, 250);
	assert_int_equal(ph_reload_last(g), 1700000000);
	assert_int_equal(ph_reload_last_ms(g), 250);
	c.now += 60;
	ph_reload_published(g, 0);
	assert_int_equal(ph_reload_last(g), 1700000060);
	assert_int_equal(ph_reload_last_ms(g), 0);
	/* publishing does not touch the guard */
	assert_int_equal(ph_reload_try_begin(g), 1);
	ph_reload_published(g, 7);
	assert_int_equal(ph_reload_try_begin(g), 0);
	ph_reload_end(g);
	assert_false(lock_held);
	ph_reload_guard_free(g);
	ph_reload_guard_free(NULL);
}

static void test_guard_no_memory(void **state)
{
	ph_clock_t clock = {fake_now, fake_ms, fake_pause, NULL};
	unit_alloc_t a;
	ph_reload_guard_t *g;

	(void)state;
	unit_alloc_init(&a, 0);
	assert_null(ph_reload_guard_new(&a.allocator, &test_lock, &clock));
	assert_int_equal(a.failures, 1);
	a.remaining = 1;
	g = ph_reload_guard_new(&a.allocator, &test_lock, &clock);
	assert_non_null(g);
	assert_int_equal(a.live, 1);
	ph_reload_guard_free(g);
	assert_int_equal(a.live, 0);
}

/* ---- the refusal policy ---- */

#define EMPTIES "it would empty the phone table"
#define SHRINKS                                    \
	"it would shrink the phone table by more than" \
	" reload_max_shrink percent"

static void test_refusal(void **state)
{
	(void)state;
	/* nothing to lose: a first load, or an empty table before */
	assert_null(ph_reload_refusal(0, 0, 50, 0));
	assert_null(ph_reload_refusal(0, 10, 50, 0));
	/* an empty new table */
	assert_string_equal(ph_reload_refusal(1, 0, 50, 0), EMPTIES);
	assert_string_equal(ph_reload_refusal(1000, 0, 100, 0), EMPTIES);
	/* exactly max_shrink percent passes, one entry more does not */
	assert_null(ph_reload_refusal(100, 50, 50, 0));
	assert_string_equal(ph_reload_refusal(100, 49, 50, 0), SHRINKS);
	assert_null(ph_reload_refusal(3, 2, 34, 0));
	assert_string_equal(ph_reload_refusal(3, 2, 33, 0), SHRINKS);
	/* growing or staying is never refused, even with max_shrink 0 */
	assert_null(ph_reload_refusal(100, 100, 0, 0));
	assert_null(ph_reload_refusal(100, 5000, 0, 0));
	assert_string_equal(ph_reload_refusal(100, 99, 0, 0), SHRINKS);
	/* 100 percent or more: only emptying is refused */
	assert_null(ph_reload_refusal(100, 1, 100, 0));
	assert_null(ph_reload_refusal(100, 1, 250, 0));
	assert_string_equal(ph_reload_refusal(100, 0, 250, 0), EMPTIES);
	/* force takes anything */
	assert_null(ph_reload_refusal(100, 0, 50, 1));
	assert_null(ph_reload_refusal(100, 1, 0, 1));
	/* counts too large to multiply by 100 in a size_t */
	assert_null(ph_reload_refusal(SIZE_MAX, SIZE_MAX - SIZE_MAX / 2, 50, 0));
	assert_string_equal(
			ph_reload_refusal(SIZE_MAX, SIZE_MAX / 2, 50, 0), SHRINKS);
	assert_null(ph_reload_refusal(SIZE_MAX, 1, 100, 0));
	assert_string_equal(
			ph_reload_refusal(SIZE_MAX, SIZE_MAX - 1, 0, 0), SHRINKS);
}

/* ---- threads: holders and reloads at once ---- */

#define THREADS 4
#define ROUNDS 2000

static void mutex_lock(void *ctx)
{
	pthread_mutex_lock(ctx);
}

static void mutex_unlock(void *ctx)
{
	pthread_mutex_unlock(ctx);
}

static time_t real_now(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

static uint64_t no_ms(void *ctx)
{
	(void)ctx;
	return 0;
}

static void yield(void *ctx)
{
	(void)ctx;
	sched_yield();
}

typedef struct shared
{
	ph_reload_guard_t *guard;
	unsigned long inside;	/* plain: only ever changed inside the guard */
	int occupied;			/* set while a thread is inside */
	unsigned long overlaps; /* a thread found it set */
	unsigned long held, begun, busy;
} shared_t;

static void inside(shared_t *s)
{
	if(__atomic_exchange_n(&s->occupied, 1, __ATOMIC_ACQ_REL))
		__atomic_add_fetch(&s->overlaps, 1, __ATOMIC_RELAXED);
	s->inside++;
	sched_yield();
	__atomic_store_n(&s->occupied, 0, __ATOMIC_RELEASE);
}

static void *holder(void *arg)
{
	shared_t *s = arg;
	int i;

	for(i = 0; i < ROUNDS; i++) {
		if(i % 2) {
			ph_reload_hold(s->guard);
			inside(s);
			__atomic_add_fetch(&s->held, 1, __ATOMIC_RELAXED);
			ph_reload_end(s->guard);
		} else if(ph_reload_try_begin(s->guard)) {
			inside(s);
			__atomic_add_fetch(&s->begun, 1, __ATOMIC_RELAXED);
			ph_reload_published(s->guard, (unsigned)i);
			ph_reload_end(s->guard);
		} else {
			__atomic_add_fetch(&s->busy, 1, __ATOMIC_RELAXED);
		}
	}
	return NULL;
}

static void test_threads(void **state)
{
	pthread_mutex_t m;
	ph_lock_t lock = {mutex_lock, mutex_unlock, &m};
	ph_clock_t clock = {real_now, no_ms, yield, NULL};
	pthread_t t[THREADS];
	shared_t s;
	int i;

	(void)state;
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&m, NULL);
	s.guard = ph_reload_guard_new(&ph_allocator_libc, &lock, &clock);
	assert_non_null(s.guard);
	for(i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, holder, &s), 0);
	for(i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	print_message("%lu holds, %lu reloads, %lu turned away\n", s.held, s.begun,
			s.busy);
	assert_int_equal(s.overlaps, 0);
	assert_int_equal(s.held, THREADS * ROUNDS / 2);
	assert_int_equal(s.begun + s.busy, THREADS * ROUNDS / 2);
	assert_int_equal(s.inside, s.held + s.begun);
	assert_true(s.begun > 0);
	/* nobody left it taken */
	assert_int_equal(ph_reload_try_begin(s.guard), 1);
	ph_reload_end(s.guard);
	ph_reload_guard_free(s.guard);
	pthread_mutex_destroy(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_one_at_a_time),
			cmocka_unit_test(test_hold_waits),
			cmocka_unit_test(test_last_published),
			cmocka_unit_test(test_guard_no_memory),
			cmocka_unit_test(test_refusal),
			cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
