/*
 * kamailio-phones: unit tests of a change through the API carried out
 * (core/change_apply.c): a fake database and a fake reload stand for the
 * host's, and one counting allocator holds the store and every table, so
 * that a test sees what was published, in which order, and that nothing
 * is left behind.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/change_apply.h"

static void no_lock(void *ctx)
{
	(void)ctx;
}

static const ph_lock_t test_lock = {no_lock, no_lock, NULL};

/* ---- the fake database and reload ---- */

typedef struct fixture
{
	unit_alloc_t mem;
	ph_store_t *store;
	ph_changer_t c;
	const ph_table_t *published; /* the table before the change */
	int fail;					 /* write() fails */
	int starve;					 /* write() lets no allocation succeed */
	ph_reload_outcome_t reload_outcome;
	char events[16]; /* W write, C commit, R reload, in order */
	size_t nevents;
} fixture_t;

static void event(fixture_t *f, char e)
{
	assert_true(f->nevents + 1 < sizeof(f->events));
	f->events[f->nevents++] = e;
	f->events[f->nevents] = '\0';
}

static const ph_table_t *current_table(fixture_t *f)
{
	ph_snapshot_t *s = ph_store_acquire(f->store);
	const ph_table_t *t;

	assert_non_null(s);
	t = s->table;
	ph_store_release(f->store, s);
	return t;
}

static int fake_write(void *ctx, const ph_api_result_t *res)
{
	fixture_t *f = ctx;

	(void)res;
	event(f, 'W');
	/* the database first: nothing is published yet */
	assert_ptr_equal(current_table(f), f->published);
	if(f->starve)
		f->mem.remaining = 0;
	return f->fail ? -1 : 0;
}

static void fake_commit(void *ctx)
{
	fixture_t *f = ctx;

	event(f, 'C');
	assert_ptr_equal(current_table(f), f->published);
}

static void fake_reload(void *ctx, ph_reload_report_t *rep)
{
	fixture_t *f = ctx;

	event(f, 'R');
	f->mem.remaining = -1;
	memset(rep, 0, sizeof(*rep));
	rep->outcome = f->reload_outcome;
	if(rep->outcome != PH_RELOAD_DONE)
		snprintf(rep->why, sizeof(rep->why), "the fake reload failed");
}

/* Publishes a table of rows "100" and "101" on 10.0.0.1 and "200" on
 * 10.0.0.2, with empty rules and peers. */
static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));
	ph_table_t *t;

	assert_non_null(f);
	unit_alloc_init(&f->mem, -1);
	f->store = ph_store_new(&f->mem.allocator, &test_lock);
	assert_non_null(f->store);
	t = ph_table_new(&f->mem.allocator);
	assert_non_null(t);
	assert_int_equal(unit_table_add(t, "100", "5100", "pw100", "SIP", "Y",
							 "10.0.0.1", "3125550100"),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "101", "5101", "pw101", "SIP", "Y",
							 "10.0.0.1", ""),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "200", "5200", "pw200", "IAX2", "Y",
							 "10.0.0.2", ""),
			PH_ROW_LOADED);
	assert_int_equal(
			ph_store_publish(f->store, t, ph_rules_new(&f->mem.allocator),
					ph_peers_new(&f->mem.allocator, 5060)),
			0);
	f->published = t;
	f->c.store = f->store;
	f->c.allocator = &f->mem.allocator;
	f->c.db.write = fake_write;
	f->c.db.commit = fake_commit;
	f->c.db.ctx = f;
	f->c.reload.reload = fake_reload;
	f->c.reload.ctx = f;
	f->reload_outcome = PH_RELOAD_DONE;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;

	ph_store_free(f->store);
	assert_int_equal(f->mem.live, 0);
	assert_int_equal(f->mem.live_bytes, 0);
	free(f);
	return 0;
}

/* A result of ph_api_handle: action on extension at server_ip, then
 * pairs of column and value, ending with NULL. */
static void result(ph_api_result_t *res, ph_api_action_t action,
		const char *extension, const char *server_ip, ...)
{
	const char *column;
	va_list ap;

	memset(res, 0, sizeof(*res));
	res->action = action;
	res->target = PH_API_PHONES;
	snprintf(res->extension, sizeof(res->extension), "%s", extension);
	snprintf(res->server_ip, sizeof(res->server_ip), "%s", server_ip);
	va_start(ap, server_ip);
	while((column = va_arg(ap, const char *)) != NULL) {
		assert_true(res->nfields < PH_API_MAX_FIELDS);
		res->fields[res->nfields].column = column;
		snprintf(res->fields[res->nfields].value,
				sizeof(res->fields[res->nfields].value), "%s",
				va_arg(ap, const char *));
		res->nfields++;
	}
	va_end(ap);
}

static ph_change_outcome_t apply(fixture_t *f, const ph_api_result_t *res)
{
	ph_reload_report_t rep;
	ph_change_outcome_t o = ph_change_apply(&f->c, res, &rep);

	if(o == PH_CHANGE_NOT_RELOADED)
		assert_string_equal(rep.why, "the fake reload failed");
	else
		assert_int_equal(rep.outcome, PH_RELOAD_DONE);
	return o;
}

/* ---- the tests ---- */

static void test_write_fails(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;
	size_t live = f->mem.live, calls = f->mem.calls;

	result(&res, PH_API_INSERT, "102", "10.0.0.1", "dialplan_number", "5102",
			"conf_secret", "pw102", "protocol", "SIP", "active", "Y", NULL);
	f->fail = 1;
	assert_int_equal(apply(f, &res), PH_CHANGE_DB_FAILED);
	assert_string_equal(f->events, "W");
	assert_ptr_equal(current_table(f), f->published);
	assert_null(unit_by_ext(current_table(f), "102"));
	/* the change table was made, and freed */
	assert_true(f->mem.calls > calls);
	assert_int_equal(f->mem.live, live);
}

static void test_add(void **state)
{
	fixture_t *f = *state;
	ph_snapshot_t *reader = ph_store_acquire(f->store);
	const ph_entry_t *e;
	ph_api_result_t res;

	result(&res, PH_API_INSERT, "102", "10.0.0.1", "login", "agent102",
			"dialplan_number", "5102", "conf_secret", "pw102", "protocol",
			"SIP", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_PUBLISHED);
	assert_string_equal(f->events, "WC");
	e = unit_by_ext(current_table(f), "102");
	assert_non_null(e);
	unit_assert_sv_str(e->secret, "pw102");
	unit_assert_sv_str(e->dialplan_number, "5102");
	unit_assert_sv_str(e->server_ip, "10.0.0.1");
	assert_int_equal(e->protocol, PH_PROTO_SIP);
	assert_int_equal(e->active, 1);
	assert_int_equal(e->outbound_cid.len, 0); /* not written: NULL */
	assert_non_null(unit_by_num(current_table(f), "5102"));
	assert_non_null(unit_by_ext(current_table(f), "100"));
	/* a reader of the old table still sees it, without the new phone */
	assert_ptr_equal(reader->table, f->published);
	assert_null(unit_by_ext(reader->table, "102"));
	ph_store_release(f->store, reader);
}

static void test_add_inactive_by_default(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;

	/* VICIdial's row without active: 'N' */
	result(&res, PH_API_INSERT, "103", "10.0.0.1", "conf_secret", "pw",
			"protocol", "SIP", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_PUBLISHED);
	assert_int_equal(unit_by_ext(current_table(f), "103")->active, 0);
}

static void test_update_keeps_what_is_not_written(void **state)
{
	fixture_t *f = *state;
	const ph_entry_t *e;
	ph_api_result_t res;

	result(&res, PH_API_UPDATE, "100", "10.0.0.1", "dialplan_number", "5999",
			NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_PUBLISHED);
	assert_string_equal(f->events, "WC");
	e = unit_by_ext(current_table(f), "100");
	assert_non_null(e);
	unit_assert_sv_str(e->dialplan_number, "5999");
	unit_assert_sv_str(e->secret, "pw100");
	unit_assert_sv_str(e->outbound_cid, "3125550100");
	assert_int_equal(e->protocol, PH_PROTO_SIP);
	assert_int_equal(e->active, 1);
	assert_null(unit_by_num(current_table(f), "5100"));
	/* and the other way round: what is written wins */
	result(&res, PH_API_UPDATE, "100", "10.0.0.1", "active", "N", "protocol",
			"IAX2", NULL);
	f->published = current_table(f);
	assert_int_equal(apply(f, &res), PH_CHANGE_PUBLISHED);
	e = unit_by_ext(current_table(f), "100");
	assert_int_equal(e->active, 0);
	assert_int_equal(e->protocol, PH_PROTO_IAX2);
	unit_assert_sv_str(e->dialplan_number, "5999");
}

static void test_delete(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;

	result(&res, PH_API_DELETE, "101", "10.0.0.1", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_PUBLISHED);
	assert_string_equal(f->events, "WC");
	assert_null(unit_by_ext(current_table(f), "101"));
	assert_null(unit_by_num(current_table(f), "5101"));
	assert_non_null(unit_by_ext(current_table(f), "100"));
}

static void test_another_servers_phone(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;

	/* server_ip set: the table holds only 10.0.0.1's phones */
	f->c.server_ip = "10.0.0.1";
	f->c.server_ip_len = strlen("10.0.0.1");
	result(&res, PH_API_INSERT, "300", "10.0.0.11", "conf_secret", "pw",
			"protocol", "SIP", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_UNCHANGED);
	assert_string_equal(f->events, "WC");
	assert_ptr_equal(current_table(f), f->published);
	/* a prefix of it is another server too */
	result(&res, PH_API_INSERT, "300", "10.0.0.", "conf_secret", "pw",
			"protocol", "SIP", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_UNCHANGED);
	/* its own: changed */
	result(&res, PH_API_INSERT, "300", "10.0.0.1", "conf_secret", "pw",
			"protocol", "SIP", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_PUBLISHED);
	assert_non_null(unit_by_ext(current_table(f), "300"));
}

static void test_extension_of_another_server(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;
	size_t live = f->mem.live;

	result(&res, PH_API_INSERT, "200", "10.0.0.1", "conf_secret", "pw200",
			"protocol", "IAX2", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_RELOADED);
	assert_string_equal(f->events, "WCR");
	assert_ptr_equal(current_table(f), f->published);
	assert_int_equal(f->mem.live, live);
}

static void test_update_not_held(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;

	result(&res, PH_API_UPDATE, "999", "10.0.0.1", "conf_secret", "pw", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_RELOADED);
	assert_string_equal(f->events, "WCR");
	assert_ptr_equal(current_table(f), f->published);
}

static void test_add_refused_by_the_table(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;
	size_t live = f->mem.live;

	/* no protocol VICIdial knows: the table would not hold the row */
	result(&res, PH_API_INSERT, "104", "10.0.0.1", "conf_secret", "pw",
			"protocol", "Carrier-Pigeon", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_RELOADED);
	assert_string_equal(f->events, "WCR");
	assert_ptr_equal(current_table(f), f->published);
	assert_int_equal(f->mem.live, live);
}

static void test_add_refused_after_delete(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;

	result(&res, PH_API_DELETE, "101", "10.0.0.1", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_PUBLISHED);
	f->published = current_table(f);
	f->nevents = 0;
	/* added again with a row the table refuses: a reload decides, and the
	 * deleted entry does not come back meanwhile */
	result(&res, PH_API_INSERT, "101", "10.0.0.1", "conf_secret", "pw",
			"protocol", "Carrier-Pigeon", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_RELOADED);
	assert_string_equal(f->events, "WCR");
	assert_ptr_equal(current_table(f), f->published);
	assert_null(unit_by_ext(current_table(f), "101"));
}

static void test_reload_fails(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;

	f->reload_outcome = PH_RELOAD_FAILED;
	result(&res, PH_API_UPDATE, "999", "10.0.0.1", "conf_secret", "pw", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_NOT_RELOADED);
	assert_string_equal(f->events, "WCR");
}

static void test_alias(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;
	size_t calls = f->mem.calls;

	result(&res, PH_API_INSERT, "alias1", "", "logins_list", "100,101", NULL);
	res.target = PH_API_ALIASES;
	assert_int_equal(apply(f, &res), PH_CHANGE_DB_ONLY);
	assert_string_equal(f->events, "WC");
	assert_ptr_equal(current_table(f), f->published);
	assert_int_equal(f->mem.calls, calls); /* no table made */
	f->fail = 1;
	f->nevents = 0;
	assert_int_equal(apply(f, &res), PH_CHANGE_DB_FAILED);
	assert_string_equal(f->events, "W");
}

static void test_no_memory_for_the_change(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;
	size_t live = f->mem.live;

	f->mem.remaining = 0;
	result(&res, PH_API_INSERT, "102", "10.0.0.1", "conf_secret", "pw",
			"protocol", "SIP", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_NO_MEMORY);
	assert_int_equal(f->nevents, 0); /* nothing written */
	assert_ptr_equal(current_table(f), f->published);
	assert_int_equal(f->mem.live, live);
	f->mem.remaining = -1;
}

static void test_no_memory_to_publish(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;
	size_t live = f->mem.live;

	/* the change table is made; the snapshot to publish it cannot be */
	f->starve = 1;
	result(&res, PH_API_INSERT, "102", "10.0.0.1", "conf_secret", "pw",
			"protocol", "SIP", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_RELOADED);
	assert_string_equal(f->events, "WCR");
	assert_ptr_equal(current_table(f), f->published);
	assert_int_equal(f->mem.live, live);
}

static void test_nothing_published(void **state)
{
	fixture_t *f = *state;
	ph_api_result_t res;
	ph_store_t *empty = ph_store_new(&f->mem.allocator, &test_lock);

	assert_non_null(empty);
	f->c.store = empty;
	result(&res, PH_API_INSERT, "102", "10.0.0.1", "conf_secret", "pw",
			"protocol", "SIP", "active", "Y", NULL);
	assert_int_equal(apply(f, &res), PH_CHANGE_NO_MEMORY);
	assert_int_equal(f->nevents, 0);
	ph_store_free(empty);
}

static void test_row_after_insert(void **state)
{
	ph_api_result_t res;
	ph_row_t row;

	(void)state;
	result(&res, PH_API_INSERT, "105", "10.0.0.3", "outbound_cid", "312", NULL);
	ph_change_row_after(NULL, &res, &row);
	assert_int_equal(row.extension.len, 3);
	assert_memory_equal(row.extension.s, "105", 3);
	assert_memory_equal(row.server_ip.s, "10.0.0.3", 8);
	assert_null(row.dialplan_number.s);
	assert_null(row.conf_secret.s);
	assert_null(row.protocol.s);
	assert_memory_equal(row.outbound_cid.s, "312", 3);
	assert_int_equal(row.active.len, 1);
	assert_int_equal(row.active.s[0], 'N');
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
			T(test_write_fails),
			T(test_add),
			T(test_add_inactive_by_default),
			T(test_update_keeps_what_is_not_written),
			T(test_delete),
			T(test_another_servers_phone),
			T(test_extension_of_another_server),
			T(test_update_not_held),
			T(test_add_refused_by_the_table),
			T(test_add_refused_after_delete),
			T(test_reload_fails),
			T(test_alias),
			T(test_no_memory_for_the_change),
			T(test_no_memory_to_publish),
			T(test_nothing_published),
			cmocka_unit_test(test_row_after_insert),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
