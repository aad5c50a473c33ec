/*
 * kamailio-phones: unit tests of the snapshot store
 * (core/snapshot_store.c): references, who frees what and when, the rules
 * box that snapshots share, the devices, and running out of memory.
 *
 * Every object is built over an allocator of its own, so that a test sees
 * exactly which table, rules, peers or devices are still alive; and every
 * allocator checks that the store's lock is not held, since the store
 * promises never to allocate or free under it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/snapshot_store.h"

/* ---- a lock that checks how it is used (single thread) ---- */

static int lock_held;
static unsigned long lock_takes;

static void check_lock(void *ctx)
{
	(void)ctx;
	assert_false(lock_held); /* never taken twice */
	lock_held = 1;
	lock_takes++;
}

static void check_unlock(void *ctx)
{
	(void)ctx;
	assert_true(lock_held);
	lock_held = 0;
}

static const ph_lock_t test_lock = {check_lock, check_unlock, NULL};

/* ---- allocators, one an object, that refuse to run under the lock ---- */

typedef struct tracked
{
	unit_alloc_t counts;
	ph_allocator_t allocator; /* ctx points to this tracked_t */
} tracked_t;

static void *tracked_alloc(void *ctx, size_t size)
{
	tracked_t *t = ctx;

	assert_false(lock_held);
	return unit_alloc_alloc(&t->counts, size);
}

static void tracked_release(void *ctx, void *p)
{
	tracked_t *t = ctx;

	assert_false(lock_held);
	unit_alloc_release(&t->counts, p);
}

static void tracked_init(tracked_t *t, long remaining)
{
	unit_alloc_init(&t->counts, remaining);
	t->allocator.alloc = tracked_alloc;
	t->allocator.release = tracked_release;
	t->allocator.ctx = t;
}

static int alive(const tracked_t *t)
{
	return t->counts.live > 0;
}

/* ---- objects to publish, each marked with a number ---- */

static ph_table_t *table(tracked_t *a, unsigned mark)
{
	char ext[32];
	ph_table_t *t;

	tracked_init(a, -1);
	t = ph_table_new(&a->allocator);
	assert_non_null(t);
	snprintf(ext, sizeof(ext), "t%u", mark);
	assert_int_equal(
			unit_table_add(t, ext, "", "pw", "SIP", "Y", "127.0.0.2", ""),
			PH_ROW_LOADED);
	return t;
}

static ph_rules_t *rules(tracked_t *a, unsigned mark)
{
	ph_rule_row_t row = unit_rule_row(mark, 0, "^9", "", "sip:127.0.0.5", "");
	char err[128];
	ph_rules_t *r;

	tracked_init(a, -1);
	r = ph_rules_new(&a->allocator);
	assert_non_null(r);
	assert_int_equal(ph_rules_add(r, &row, err, sizeof(err)), 0);
	return r;
}

static ph_peers_t *peers(tracked_t *a, unsigned mark)
{
	ph_peers_t *p;

	tracked_init(a, -1);
	p = ph_peers_new(&a->allocator, (uint16_t)mark);
	assert_non_null(p);
	return p;
}

static ph_devices_t *devices(tracked_t *a, unsigned mark)
{
	char ext[32];
	ph_device_row_t row;
	ph_devices_t *d;

	tracked_init(a, -1);
	d = ph_devices_new(&a->allocator);
	assert_non_null(d);
	snprintf(ext, sizeof(ext), "d%u", mark);
	row.extension = unit_field(ext);
	row.device = unit_field("100");
	row.position = unit_field("1");
	row.ring_seconds = unit_field("20");
	row.active = unit_field("Y");
	assert_int_equal(ph_devices_add_row(d, &row), PH_DEVICE_LOADED);
	return d;
}

static ph_store_t *store(tracked_t *a, long remaining)
{
	ph_store_t *s;

	tracked_init(a, remaining);
	s = ph_store_new(&a->allocator, &test_lock);
	assert_non_null(s);
	return s;
}

/* The snapshot s holds table t, with rules r and peers p. */
static void assert_snapshot(const ph_snapshot_t *s, const ph_table_t *t,
		const ph_rules_t *r, const ph_peers_t *p)
{
	assert_non_null(s);
	assert_ptr_equal(s->table, t);
	assert_ptr_equal(s->rules, r);
	assert_ptr_equal(s->peers, p);
	assert_non_null(s->box);
	assert_ptr_equal(s->box->rules, r);
	assert_ptr_equal(s->box->peers, p);
}

/* ---- the tests ---- */

static void test_nothing_published(void **state)
{
	tracked_t sa, ta;
	ph_store_t *s = store(&sa, -1);
	ph_table_t *t = table(&ta, 1);

	(void)state;
	assert_null(ph_store_acquire(s));
	assert_null(ph_store_devices_acquire(s));
	ph_store_release(s, NULL);
	ph_store_devices_release(s, NULL);
	/* no rules to share: the table stays the caller's */
	assert_int_equal(ph_store_publish_table(s, t), -1);
	assert_null(ph_store_acquire(s));
	assert_int_equal(sa.counts.live, 1); /* the store alone */
	ph_table_free(t);
	assert_false(alive(&ta));
	ph_store_free(s);
	assert_int_equal(sa.counts.live, 0);
	assert_false(lock_held);
	ph_store_free(NULL);
}

static void test_references(void **state)
{
	tracked_t sa, t1, r1, p1, t2, r2, p2;
	ph_store_t *s = store(&sa, -1);
	ph_table_t *ta = table(&t1, 1);
	ph_rules_t *ra = rules(&r1, 1);
	ph_peers_t *pa = peers(&p1, 1);
	ph_snapshot_t *a, *b, *c;

	(void)state;
	assert_int_equal(ph_store_publish(s, ta, ra, pa), 0);
	a = ph_store_acquire(s);
	b = ph_store_acquire(s);
	assert_snapshot(a, ta, ra, pa);
	assert_ptr_equal(a, b);
	assert_int_equal(a->refs, 3); /* two readers and the store */
	assert_int_equal(a->box->refs, 1);

	/* a new snapshot: the old stays for its readers, whole */
	assert_int_equal(
			ph_store_publish(s, table(&t2, 2), rules(&r2, 2), peers(&p2, 2)),
			0);
	c = ph_store_acquire(s);
	assert_ptr_not_equal(c, a);
	assert_int_equal(ph_rule_id(ph_rules_at(c->rules, 0)), 2);
	assert_true(alive(&t1) && alive(&r1) && alive(&p1));
	assert_int_equal(a->refs, 2);
	ph_store_release(s, a);
	assert_true(alive(&t1) && alive(&r1) && alive(&p1));
	assert_non_null(unit_by_ext(b->table, "t1"));
	/* the last reader frees table, rules, peers, box and snapshot */
	ph_store_release(s, b);
	assert_false(alive(&t1) || alive(&r1) || alive(&p1));
	assert_int_equal(sa.counts.live, 3); /* store, c and its box */

	ph_store_release(s, c);
	assert_true(alive(&t2) && alive(&r2) && alive(&p2));
	ph_store_free(s);
	assert_false(alive(&t2) || alive(&r2) || alive(&p2));
	assert_int_equal(sa.counts.live, 0);
	assert_false(lock_held);
}

static void test_box_shared(void **state)
{
	tracked_t sa, t1, t2, t3, t4, r1, p1, r2, p2;
	ph_store_t *s = store(&sa, -1);
	ph_table_t *ta = table(&t1, 1), *tb = table(&t2, 2), *tc = table(&t3, 3);
	ph_rules_t *ra = rules(&r1, 1);
	ph_peers_t *pa = peers(&p1, 1);
	ph_snapshot_t *a, *b, *c;

	(void)state;
	assert_int_equal(ph_store_publish(s, ta, ra, pa), 0);
	a = ph_store_acquire(s);

	/* changes of one phone keep the rules and peers */
	assert_int_equal(ph_store_publish_table(s, tb), 0);
	b = ph_store_acquire(s);
	assert_snapshot(b, tb, ra, pa);
	assert_ptr_equal(b->box, a->box);
	assert_int_equal(a->box->refs, 2);
	assert_int_equal(ph_store_publish_table(s, tc), 0);
	assert_int_equal(a->box->refs, 3); /* a, b and the current c */

	/* the table goes with its snapshot, the box stays for the others */
	ph_store_release(s, a);
	assert_false(alive(&t1));
	assert_true(alive(&r1) && alive(&p1));
	ph_store_release(s, b);
	assert_false(alive(&t2));
	assert_true(alive(&r1) && alive(&p1));

	/* a reload: the box goes with the last snapshot sharing it */
	c = ph_store_acquire(s);
	assert_snapshot(c, tc, ra, pa);
	assert_int_equal(
			ph_store_publish(s, table(&t4, 4), rules(&r2, 2), peers(&p2, 2)),
			0);
	assert_true(alive(&t3) && alive(&r1) && alive(&p1));
	ph_store_release(s, c);
	assert_false(alive(&t3) || alive(&r1) || alive(&p1));
	assert_int_equal(sa.counts.live, 3); /* store, snapshot, box */

	ph_store_free(s);
	assert_false(alive(&t4) || alive(&r2) || alive(&p2));
	assert_int_equal(sa.counts.live, 0);
}

/* A reader that held nothing but the store's own snapshot: publishing
 * frees the previous one at once. */
static void test_publish_frees_unheld(void **state)
{
	tracked_t sa, t1, t2, r1, p1;
	ph_store_t *s = store(&sa, -1);

	(void)state;
	assert_int_equal(
			ph_store_publish(s, table(&t1, 1), rules(&r1, 1), peers(&p1, 1)),
			0);
	assert_int_equal(ph_store_publish_table(s, table(&t2, 2)), 0);
	assert_false(alive(&t1));
	assert_true(alive(&r1) && alive(&p1));
	assert_int_equal(sa.counts.live, 3);
	ph_store_free(s);
	assert_false(alive(&t2) || alive(&r1) || alive(&p1));
	assert_int_equal(sa.counts.live, 0);
}

/* Rules and peers may be NULL (a host that routes nothing). */
static void test_null_rules(void **state)
{
	tracked_t sa, t1, t2;
	ph_store_t *s = store(&sa, -1);
	ph_snapshot_t *a;

	(void)state;
	assert_int_equal(ph_store_publish(s, table(&t1, 1), NULL, NULL), 0);
	assert_int_equal(ph_store_publish_table(s, table(&t2, 2)), 0);
	a = ph_store_acquire(s);
	assert_non_null(a);
	assert_null(a->rules);
	assert_null(a->peers);
	assert_non_null(unit_by_ext(a->table, "t2"));
	ph_store_release(s, a);
	ph_store_free(s);
	assert_false(alive(&t1) || alive(&t2));
	assert_int_equal(sa.counts.live, 0);
}

static void test_devices(void **state)
{
	tracked_t sa, d1, d2;
	ph_store_t *s = store(&sa, -1);
	ph_devices_ref_t *a, *b;

	(void)state;
	assert_null(ph_store_devices_acquire(s));
	assert_int_equal(ph_store_publish_devices(s, devices(&d1, 1)), 0);
	a = ph_store_devices_acquire(s);
	assert_non_null(a);
	assert_int_equal(ph_devices_count(a->devices), 1);
	assert_int_equal(a->refs, 2);

	assert_int_equal(ph_store_publish_devices(s, devices(&d2, 2)), 0);
	assert_true(alive(&d1));
	b = ph_store_devices_acquire(s);
	assert_ptr_not_equal(a, b);
	assert_string_equal(ph_devices_at(b->devices, 0)->extension.s, "d2");
	assert_string_equal(ph_devices_at(a->devices, 0)->extension.s, "d1");
	ph_store_devices_release(s, a);
	assert_false(alive(&d1));
	ph_store_devices_release(s, b);
	assert_true(alive(&d2));
	/* the devices do not depend on a snapshot, nor a snapshot on them */
	assert_null(ph_store_acquire(s));
	ph_store_free(s);
	assert_false(alive(&d2));
	assert_int_equal(sa.counts.live, 0);
	assert_false(lock_held);
}

static void test_no_memory(void **state)
{
	tracked_t sa, t1, r1, p1, t2, t3, d1, d2;
	ph_table_t *ta = table(&t1, 1), *tb = table(&t2, 2);
	ph_rules_t *ra = rules(&r1, 1);
	ph_peers_t *pa = peers(&p1, 1);
	ph_devices_t *da = devices(&d1, 1), *db = devices(&d2, 2);
	ph_devices_ref_t *dref;
	ph_snapshot_t *snap;
	ph_store_t *s;

	(void)state;
	tracked_init(&sa, 0);
	assert_null(ph_store_new(&sa.allocator, &test_lock));
	assert_int_equal(sa.counts.live, 0);

	/* no box, then a box but no snapshot: all left to the caller */
	s = store(&sa, 1);
	assert_int_equal(ph_store_publish(s, ta, ra, pa), -1);
	sa.counts.remaining = 1;
	assert_int_equal(ph_store_publish(s, ta, ra, pa), -1);
	assert_int_equal(sa.counts.failures, 2);
	assert_int_equal(sa.counts.live, 1);
	assert_null(ph_store_acquire(s));
	assert_int_equal(ph_store_publish_devices(s, da), -1);
	assert_null(ph_store_devices_acquire(s));
	assert_true(alive(&t1) && alive(&r1) && alive(&p1) && alive(&d1));

	/* with memory again, they publish; a table then fails alone, and so do
	 * devices, and what is current stays */
	sa.counts.remaining = -1;
	assert_int_equal(ph_store_publish(s, ta, ra, pa), 0);
	assert_int_equal(ph_store_publish_devices(s, da), 0);
	sa.counts.remaining = 0;
	assert_int_equal(ph_store_publish_table(s, tb), -1);
	assert_int_equal(ph_store_publish_devices(s, db), -1);
	snap = ph_store_acquire(s);
	assert_snapshot(snap, ta, ra, pa);
	assert_int_equal(snap->refs, 2);
	assert_int_equal(snap->box->refs, 1);
	ph_store_release(s, snap);
	dref = ph_store_devices_acquire(s);
	assert_non_null(dref);
	assert_ptr_equal(dref->devices, da);
	assert_int_equal(dref->refs, 2);
	ph_store_devices_release(s, dref);
	ph_table_free(tb);
	ph_devices_free(db);
	assert_false(alive(&t2) || alive(&d2));
	assert_true(alive(&t1) && alive(&r1) && alive(&p1) && alive(&d1));

	/* a box shared after a failed table is still freed once */
	sa.counts.remaining = -1;
	assert_int_equal(ph_store_publish_table(s, table(&t3, 3)), 0);
	assert_false(alive(&t1));
	ph_store_free(s);
	assert_false(alive(&t3) || alive(&r1) || alive(&p1) || alive(&d1));
	assert_int_equal(sa.counts.live, 0);
	assert_false(lock_held);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_nothing_published),
			cmocka_unit_test(test_references),
			cmocka_unit_test(test_box_shared),
			cmocka_unit_test(test_publish_frees_unheld),
			cmocka_unit_test(test_null_rules),
			cmocka_unit_test(test_devices),
			cmocka_unit_test(test_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
