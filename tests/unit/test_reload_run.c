/*
 * kamailio-phones: unit tests of one reload (core/reload_run.c): a fake
 * loader stands for the database, and one counting allocator holds the
 * store, the guard and everything loaded, so that a test sees what was
 * published, what was kept and that nothing is left behind.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/reload_run.h"

/* ---- a lock and a clock of the test's own (single thread) ---- */

static int lock_held;

static void test_lock_take(void *ctx)
{
	(void)ctx;
	assert_false(lock_held);
	lock_held = 1;
}

static void test_lock_give(void *ctx)
{
	(void)ctx;
	assert_true(lock_held);
	lock_held = 0;
}

static const ph_lock_t test_lock = {test_lock_take, test_lock_give, NULL};

static uint64_t clock_ms;

static time_t clock_now(void *ctx)
{
	(void)ctx;
	return 1700000000 + (time_t)(clock_ms / 1000);
}

static uint64_t clock_ms_read(void *ctx)
{
	(void)ctx;
	return clock_ms;
}

static void clock_pause(void *ctx)
{
	(void)ctx;
	clock_ms++;
}

static const ph_clock_t test_clock = {
		clock_now, clock_ms_read, clock_pause, NULL};

/* ---- the fake database ---- */

typedef struct fake_db
{
	unit_alloc_t *mem;
	int fail;		/* load() fails */
	size_t entries; /* phones the next load reads */
	int devices;	/* 1: the devices are read (one row); 0: they fail */
	/* >= 0: allocations that may succeed after the load (the store's
	 * publishing); -1: all */
	long starve;
	int calls;
	unsigned int load_ms; /* how long a load takes */
} fake_db_t;

static int fake_load(void *ctx, ph_load_t *load)
{
	fake_db_t *db = ctx;
	const ph_allocator_t *a = &db->mem->allocator;
	ph_device_row_t row;
	char ext[32];
	size_t i;

	db->calls++;
	clock_ms += db->load_ms;
	if(db->fail)
		return -1;
	load->table = ph_table_new(a);
	assert_non_null(load->table);
	for(i = 0; i < db->entries; i++) {
		snprintf(ext, sizeof(ext), "%zu", 100 + i);
		assert_int_equal(unit_table_add(load->table, ext, "", "pw", "SIP", "Y",
								 "127.0.0.2", ""),
				PH_ROW_LOADED);
	}
	load->rules = ph_rules_new(a);
	load->peers = ph_peers_new(a, 5060);
	assert_non_null(load->rules);
	assert_non_null(load->peers);
	if(db->devices) {
		load->devices = ph_devices_new(a);
		assert_non_null(load->devices);
		row.extension = unit_field("100");
		row.device = unit_field("101");
		row.position = unit_field("1");
		row.ring_seconds = unit_field("20");
		row.active = unit_field("Y");
		assert_int_equal(
				ph_devices_add_row(load->devices, &row), PH_DEVICE_LOADED);
	}
	db->mem->remaining = db->starve;
	return 0;
}

/* ---- a reloader over it ---- */

typedef struct fixture
{
	unit_alloc_t mem;
	fake_db_t db;
	ph_reloader_t r;
} fixture_t;

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	unit_alloc_init(&f->mem, -1);
	f->db.mem = &f->mem;
	f->db.entries = 10;
	f->db.devices = 1;
	f->db.load_ms = 7;
	f->db.starve = -1;
	clock_ms = 0;
	f->r.store = ph_store_new(&f->mem.allocator, &test_lock);
	f->r.guard =
			ph_reload_guard_new(&f->mem.allocator, &test_lock, &test_clock);
	assert_non_null(f->r.store);
	assert_non_null(f->r.guard);
	f->r.clock = &test_clock;
	f->r.loader.load = fake_load;
	f->r.loader.ctx = &f->db;
	f->r.max_shrink = 50;
	*state = f;
	return 0;
}

/* Frees everything: nothing may be left. */
static int teardown(void **state)
{
	fixture_t *f = *state;

	ph_store_free(f->r.store);
	ph_reload_guard_free(f->r.guard);
	assert_int_equal(f->mem.live, 0);
	assert_int_equal(f->mem.live_bytes, 0);
	assert_false(lock_held);
	free(f);
	return 0;
}

/* The first load, 10 entries, and how many blocks it left published. */
static size_t first(fixture_t *f)
{
	ph_reload_report_t rep;

	assert_int_equal(ph_reload_first(&f->r, &f->mem.allocator, &rep), 0);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	return f->mem.live;
}

static const ph_table_t *current_table(fixture_t *f)
{
	ph_snapshot_t *s = ph_store_acquire(f->r.store);
	const ph_table_t *t;

	assert_non_null(s);
	t = s->table;
	ph_store_release(f->r.store, s);
	return t;
}

static const ph_devices_t *current_devices(fixture_t *f)
{
	ph_devices_ref_t *d = ph_store_devices_acquire(f->r.store);
	const ph_devices_t *p;

	assert_non_null(d);
	p = d->devices;
	ph_store_devices_release(f->r.store, d);
	return p;
}

/* ---- the tests ---- */

static void test_first(void **state)
{
	fixture_t *f = *state;
	ph_reload_report_t rep;

	f->db.devices = 0; /* none read: empty ones published */
	assert_int_equal(ph_reload_first(&f->r, &f->mem.allocator, &rep), 0);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	assert_int_equal(rep.entries, 10);
	assert_int_equal(rep.old_entries, 0);
	assert_int_equal(rep.ms, 7);
	assert_int_equal(ph_table_size(current_table(f)), 10);
	assert_int_equal(ph_devices_count(current_devices(f)), 0);
	assert_int_equal(ph_reload_last(f->r.guard), 1700000000);
	assert_int_equal(ph_reload_last_ms(f->r.guard), 7);
}

static void test_first_empty_table(void **state)
{
	fixture_t *f = *state;
	ph_reload_report_t rep;

	/* the first load takes an empty table: there is nothing to keep */
	f->db.entries = 0;
	assert_int_equal(ph_reload_first(&f->r, &f->mem.allocator, &rep), 0);
	assert_int_equal(rep.entries, 0);
	assert_non_null(current_table(f));
}

static void test_first_fails(void **state)
{
	fixture_t *f = *state;
	ph_reload_report_t rep;

	f->db.fail = 1;
	assert_int_equal(ph_reload_first(&f->r, &f->mem.allocator, &rep), -1);
	assert_int_equal(rep.outcome, PH_RELOAD_FAILED);
	assert_string_equal(
			rep.why, "the database could not be read (see the log)");
	assert_null(ph_store_acquire(f->r.store));
	assert_int_equal(ph_reload_last(f->r.guard), 0);
	assert_int_equal(f->mem.live, 2); /* the store and the guard */
}

static void test_first_out_of_memory(void **state)
{
	fixture_t *f = *state;
	ph_reload_report_t rep;

	f->db.starve = 0;
	assert_int_equal(ph_reload_first(&f->r, &f->mem.allocator, &rep), -1);
	assert_int_equal(rep.outcome, PH_RELOAD_FAILED);
	assert_string_equal(rep.why, "out of shared memory");
	assert_null(ph_store_acquire(f->r.store));
	assert_int_equal(f->mem.live, 2);
}

static void test_reload_done(void **state)
{
	fixture_t *f = *state;
	const ph_table_t *old;
	ph_snapshot_t *reader;
	ph_reload_report_t rep;
	size_t published = first(f);

	reader = ph_store_acquire(f->r.store);
	old = reader->table;
	f->db.entries = 12;
	clock_ms = 5000;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	assert_int_equal(rep.old_entries, 10);
	assert_int_equal(rep.entries, 12);
	assert_int_equal(rep.skipped, 0);
	assert_int_equal(rep.rules, 0);
	assert_int_equal(rep.servers, 0);
	assert_int_equal(rep.ms, 7);
	assert_ptr_not_equal(current_table(f), old);
	assert_int_equal(ph_table_size(current_table(f)), 12);
	assert_int_equal(ph_reload_last(f->r.guard), 1700000005);
	/* the reader still has the old snapshot, whole */
	assert_ptr_equal(reader->table, old);
	assert_int_equal(ph_table_size(reader->table), 10);
	ph_store_release(f->r.store, reader);
	/* the old snapshot went with its reader: as many blocks as before */
	assert_int_equal(f->mem.live, published);
	/* the guard is free again */
	assert_int_equal(ph_reload_try_begin(f->r.guard), 1);
	ph_reload_end(f->r.guard);
}

static void test_reload_fails(void **state)
{
	fixture_t *f = *state;
	const ph_table_t *old;
	const ph_devices_t *devices;
	ph_reload_report_t rep;
	size_t published = first(f);

	old = current_table(f);
	devices = current_devices(f);
	f->db.fail = 1;
	ph_reload_run(&f->r, 1, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_FAILED);
	assert_string_equal(rep.why,
			"the database could not be read (see the log): the current"
			" table is kept");
	assert_int_equal(rep.old_entries, 10);
	assert_ptr_equal(current_table(f), old);
	assert_ptr_equal(current_devices(f), devices);
	assert_int_equal(f->mem.live, published);
	assert_int_equal(ph_reload_last(f->r.guard), 1700000000);
}

static void test_reload_refused(void **state)
{
	fixture_t *f = *state;
	const ph_table_t *old;
	ph_reload_report_t rep;
	size_t published = first(f);
	size_t calls;

	old = current_table(f);
	f->db.entries = 4; /* drops 60%, more than 50 */
	calls = f->mem.calls;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_REFUSED);
	assert_string_equal(rep.why,
			"it would shrink the phone table by more than reload_max_shrink"
			" percent (10 entries now, 4 loaded): the current table is"
			" kept; reload with force to accept it");
	assert_int_equal(rep.entries, 4);
	assert_ptr_equal(current_table(f), old);
	/* the load was made, and freed whole */
	assert_true(f->mem.calls > calls);
	assert_int_equal(f->mem.live, published);

	f->db.entries = 0;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_REFUSED);
	assert_string_equal(rep.why,
			"it would empty the phone table (10 entries now, 0 loaded): the"
			" current table is kept; reload with force to accept it");
	assert_int_equal(f->mem.live, published);

	/* exactly max_shrink percent is allowed */
	f->db.entries = 5;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
}

static void test_reload_forced(void **state)
{
	fixture_t *f = *state;
	ph_reload_report_t rep;

	first(f);
	f->db.entries = 0;
	ph_reload_run(&f->r, 1, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	assert_int_equal(rep.old_entries, 10);
	assert_int_equal(rep.entries, 0);
	assert_int_equal(ph_table_size(current_table(f)), 0);
}

static void test_devices_not_read(void **state)
{
	fixture_t *f = *state;
	const ph_devices_t *devices;
	ph_reload_report_t rep;

	first(f);
	devices = current_devices(f);
	assert_int_equal(ph_devices_count(devices), 1);
	f->db.devices = 0;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	assert_ptr_equal(current_devices(f), devices);
	/* read again: replaced */
	f->db.devices = 1;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	assert_ptr_not_equal(current_devices(f), devices);
}

static void test_out_of_memory_on_publish(void **state)
{
	fixture_t *f = *state;
	const ph_table_t *old;
	const ph_devices_t *devices;
	ph_reload_report_t rep;
	size_t published = first(f);

	old = current_table(f);
	devices = current_devices(f);
	f->db.starve = 0;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_FAILED);
	assert_string_equal(rep.why, "out of shared memory");
	assert_ptr_equal(current_table(f), old);
	assert_ptr_equal(current_devices(f), devices);
	assert_int_equal(f->mem.live, published);
	assert_int_equal(ph_reload_last(f->r.guard), 1700000000);
}

static void test_out_of_memory_for_devices(void **state)
{
	fixture_t *f = *state;
	const ph_devices_t *devices;
	ph_reload_report_t rep;
	size_t published = first(f);

	/* room for the snapshot and its box, none for the devices' holder:
	 * the table goes in, the devices read are freed, the current kept */
	devices = current_devices(f);
	f->db.entries = 11;
	f->db.starve = 2;
	ph_reload_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	assert_int_equal(f->mem.failures, 1);
	assert_int_equal(ph_table_size(current_table(f)), 11);
	assert_ptr_equal(current_devices(f), devices);
	assert_int_equal(f->mem.live, published);
	f->mem.remaining = -1;
}

static void test_busy(void **state)
{
	fixture_t *f = *state;
	const ph_table_t *old;
	ph_reload_report_t rep;

	first(f);
	old = current_table(f);
	assert_int_equal(ph_reload_try_begin(f->r.guard), 1);
	ph_reload_run(&f->r, 1, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_BUSY);
	assert_string_equal(rep.why, "another reload is running");
	assert_int_equal(f->db.calls, 1); /* the first load alone */
	assert_ptr_equal(current_table(f), old);
	/* the holder may reload itself */
	ph_reload_held_run(&f->r, 0, &rep);
	assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	assert_int_equal(f->db.calls, 2);
	/* and still holds the guard */
	assert_int_equal(ph_reload_try_begin(f->r.guard), 0);
	ph_reload_end(f->r.guard);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test_setup_teardown(test_first, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_first_empty_table, setup, teardown),
			cmocka_unit_test_setup_teardown(test_first_fails, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_first_out_of_memory, setup, teardown),
			cmocka_unit_test_setup_teardown(test_reload_done, setup, teardown),
			cmocka_unit_test_setup_teardown(test_reload_fails, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_reload_refused, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_reload_forced, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_devices_not_read, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_out_of_memory_on_publish, setup, teardown),
			cmocka_unit_test_setup_teardown(
					test_out_of_memory_for_devices, setup, teardown),
			cmocka_unit_test_setup_teardown(test_busy, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
