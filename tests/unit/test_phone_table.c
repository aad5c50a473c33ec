/*
 * kamailio-phones: unit tests of the phone table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/phone_table.h"

/* Adds a row of which only the extension and the server matter. */
/* A row whose password is its server's own, so that one extension on
 * several servers is ambiguous (the same password would make it one device
 * with several home servers). */
static ph_row_result_t add_simple(
		ph_table_t *t, const char *extension, const char *server_ip)
{
	char secret[64];

	snprintf(secret, sizeof(secret), "secret-%s", server_ip ? server_ip : "");
	return unit_table_add(
			t, extension, NULL, secret, "SIP", "Y", server_ip, NULL);
}

static void assert_entry_same(const ph_entry_t *a, const ph_entry_t *b)
{
	assert_ptr_equal(a->extension.s, b->extension.s);
	assert_int_equal(a->extension.len, b->extension.len);
	assert_ptr_equal(a->dialplan_number.s, b->dialplan_number.s);
	assert_int_equal(a->dialplan_number.len, b->dialplan_number.len);
	assert_ptr_equal(a->secret.s, b->secret.s);
	assert_int_equal(a->secret.len, b->secret.len);
	assert_ptr_equal(a->server_ip.s, b->server_ip.s);
	assert_int_equal(a->server_ip.len, b->server_ip.len);
	assert_ptr_equal(a->outbound_cid.s, b->outbound_cid.s);
	assert_int_equal(a->outbound_cid.len, b->outbound_cid.len);
	assert_int_equal(a->protocol, b->protocol);
	assert_int_equal(a->active, b->active);
	assert_int_equal(a->flags, b->flags);
}

static void assert_counts(const ph_table_t *t, size_t rows, size_t loaded)
{
	const ph_table_counts_t *c = ph_table_counts(t);
	size_t i, sum = 0;

	assert_int_equal(c->rows, rows);
	assert_int_equal(c->loaded, loaded);
	assert_int_equal(c->skipped, rows - loaded);
	assert_int_equal(c->by_result[PH_ROW_LOADED], loaded);
	for(i = 0; i < PH_ROW_RESULT_COUNT; i++)
		sum += c->by_result[i];
	assert_int_equal(sum, rows);
	assert_int_equal(ph_table_size(t), loaded);
}

static void test_new_table_is_empty(void **state)
{
	static const ph_table_counts_t zero;
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);

	(void)state;
	assert_int_equal(ph_table_size(t), 0);
	assert_null(ph_table_entry(t, 0));
	assert_null(ph_table_entry(t, 1));
	assert_memory_equal(ph_table_counts(t), &zero, sizeof(zero));
	assert_true(ph_table_memory(t) > 0);
	assert_null(unit_by_ext(t, "100"));
	assert_null(unit_by_ext(t, ""));
	assert_null(unit_by_num(t, "100"));
	assert_null(unit_by_num(t, ""));
	assert_null(ph_table_by_extension(t, NULL, 0));
	assert_null(ph_table_by_number(t, NULL, 0));
	unit_table_free(t, &a);
}

static void test_new_table_no_memory(void **state)
{
	unit_alloc_t a;

	(void)state;
	unit_alloc_init(&a, 0);
	assert_null(ph_table_new(&a.allocator));
	assert_int_equal(a.failures, 1);
	assert_int_equal(a.live, 0);
}

static void test_load_and_lookup(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(unit_table_add(t, "100", "5551000", "pw100", "SIP", "Y",
							 "127.0.10.1", "3125551000"),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "cc101", "5551001", "pw101", "PJSIP",
							 "N", "127.0.10.2", "3125551001"),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "102", "5551002", "pw102", "IAX2", "Y",
							 "127.0.10.1", ""),
			PH_ROW_LOADED);
	assert_counts(t, 3, 3);

	e = unit_by_ext(t, "100");
	assert_non_null(e);
	assert_ptr_equal(e, ph_table_entry(t, 0));
	assert_ptr_equal(e, unit_by_num(t, "5551000"));
	unit_assert_sv_str(e->extension, "100");
	unit_assert_sv_str(e->dialplan_number, "5551000");
	unit_assert_sv_str(e->secret, "pw100");
	unit_assert_sv_str(e->server_ip, "127.0.10.1");
	unit_assert_sv_str(e->outbound_cid, "3125551000");
	assert_int_equal(e->protocol, PH_PROTO_SIP);
	assert_int_equal(e->active, 1);
	assert_int_equal(e->flags, 0);

	e = unit_by_ext(t, "cc101");
	assert_non_null(e);
	assert_ptr_equal(e, ph_table_entry(t, 1));
	assert_ptr_equal(e, unit_by_num(t, "5551001"));
	unit_assert_sv_str(e->extension, "cc101");
	unit_assert_sv_str(e->secret, "pw101");
	unit_assert_sv_str(e->server_ip, "127.0.10.2");
	assert_int_equal(e->protocol, PH_PROTO_PJSIP);
	assert_int_equal(e->active, 0);
	assert_int_equal(e->flags, 0);

	e = unit_by_ext(t, "102");
	assert_non_null(e);
	assert_ptr_equal(e, ph_table_entry(t, 2));
	assert_ptr_equal(e, unit_by_num(t, "5551002"));
	assert_int_equal(e->protocol, PH_PROTO_IAX2);
	unit_assert_sv_str(e->outbound_cid, "");

	assert_null(ph_table_entry(t, 3));
	assert_null(ph_table_entry(t, SIZE_MAX));
	unit_table_free(t, &a);
}

static void test_null_fields_stored_empty(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(
			unit_table_add(t, "100", NULL, NULL, "SIP", NULL, NULL, NULL),
			PH_ROW_LOADED);
	e = unit_by_ext(t, "100");
	assert_non_null(e);
	unit_assert_sv_str(e->extension, "100");
	unit_assert_sv_str(e->dialplan_number, "");
	unit_assert_sv_str(e->secret, "");
	unit_assert_sv_str(e->server_ip, "");
	unit_assert_sv_str(e->outbound_cid, "");
	assert_int_equal(e->active, 0);
	assert_int_equal(e->flags, 0);
	assert_null(unit_by_num(t, ""));
	unit_table_free(t, &a);
}

static void test_no_extension(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	ph_row_t row;

	(void)state;
	assert_int_equal(
			unit_table_add(t, NULL, "5000", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_NO_EXTENSION);
	assert_int_equal(
			unit_table_add(t, "", "5001", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_NO_EXTENSION);
	/* a NULL value with a length is still NULL */
	row = unit_row(NULL, "5002", "pw", "SIP", "Y", NULL, NULL);
	row.extension.len = 3;
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_NO_EXTENSION);
	/* a zero length is empty, whatever s points to */
	row = unit_row("100", "5003", "pw", "SIP", "Y", NULL, NULL);
	row.extension.len = 0;
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_NO_EXTENSION);

	assert_counts(t, 4, 0);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_NO_EXTENSION], 4);
	assert_null(unit_by_num(t, "5000"));
	assert_null(unit_by_num(t, "5001"));
	assert_null(unit_by_num(t, "5002"));
	assert_null(unit_by_num(t, "5003"));
	assert_null(unit_by_ext(t, "100"));
	assert_null(unit_by_ext(t, ""));
	unit_table_free(t, &a);
}

static void test_bad_protocol(void **state)
{
	static const char *const bad[] = {
			"", "SI", "SIPX", "sip ", "IAX", "DAHDI", "PJSIP,SIP", "Zap2"};
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	char ext[16];
	size_t i;

	(void)state;
	assert_int_equal(
			unit_table_add(t, "100", "5000", "pw", NULL, "Y", NULL, NULL),
			PH_ROW_BAD_PROTOCOL);
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(ext, sizeof(ext), "%zu", 101 + i);
		if(unit_table_add(t, ext, "5000", "pw", bad[i], "Y", NULL, NULL)
				!= PH_ROW_BAD_PROTOCOL)
			fail_msg("protocol '%s' was not refused", bad[i]);
		assert_null(unit_by_ext(t, ext));
	}
	assert_counts(t, 1 + i, 0);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_BAD_PROTOCOL], 1 + i);
	assert_null(unit_by_ext(t, "100"));
	assert_null(unit_by_num(t, "5000"));
	/* a good row with the same number is alone with it */
	assert_int_equal(
			unit_table_add(t, "200", "5000", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_by_num(t, "5000")->flags, 0);
	unit_table_free(t, &a);
}

static void test_protocol_any_case(void **state)
{
	static const struct
	{
		const char *extension;
		const char *protocol;
		ph_protocol_t p;
	} rows[] = {{"1", "SIP", PH_PROTO_SIP}, {"2", "sip", PH_PROTO_SIP},
			{"3", "PJSIP", PH_PROTO_PJSIP}, {"4", "pjSIP", PH_PROTO_PJSIP},
			{"5", "IAX2", PH_PROTO_IAX2}, {"6", "iax2", PH_PROTO_IAX2},
			{"7", "Zap", PH_PROTO_ZAP}, {"8", "ZAP", PH_PROTO_ZAP},
			{"9", "EXTERNAL", PH_PROTO_EXTERNAL},
			{"10", "External", PH_PROTO_EXTERNAL}};
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;
	size_t i, n = sizeof(rows) / sizeof(rows[0]);

	(void)state;
	for(i = 0; i < n; i++)
		assert_int_equal(unit_table_add(t, rows[i].extension, NULL, "pw",
								 rows[i].protocol, "Y", NULL, NULL),
				PH_ROW_LOADED);
	for(i = 0; i < n; i++) {
		e = unit_by_ext(t, rows[i].extension);
		assert_non_null(e);
		assert_int_equal(e->protocol, rows[i].p);
	}
	assert_counts(t, n, n);
	unit_table_free(t, &a);
}

/* The length limits, one field at a time. */
static const struct
{
	const char *name;
	size_t row_field;
	size_t entry_field;
	size_t max;
} limits[] = {
		{"extension", offsetof(ph_row_t, extension),
				offsetof(ph_entry_t, extension), PH_MAX_EXTENSION},
		{"dialplan_number", offsetof(ph_row_t, dialplan_number),
				offsetof(ph_entry_t, dialplan_number), PH_MAX_DIALPLAN_NUMBER},
		{"conf_secret", offsetof(ph_row_t, conf_secret),
				offsetof(ph_entry_t, secret), PH_MAX_SECRET},
		{"server_ip", offsetof(ph_row_t, server_ip),
				offsetof(ph_entry_t, server_ip), PH_MAX_SERVER_IP},
		{"outbound_cid", offsetof(ph_row_t, outbound_cid),
				offsetof(ph_entry_t, outbound_cid), PH_MAX_OUTBOUND_CID},
};

static void test_field_limits(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	char value[PH_MAX_EXTENSION + 2], ext[32], num[32];
	const ph_entry_t *e;
	ph_row_t row;
	ph_field_t *f;
	size_t i, j, len, n = sizeof(limits) / sizeof(limits[0]);
	size_t loaded = 0, rows = 0;

	(void)state;
	for(i = 0; i < n; i++) {
		assert_true(limits[i].max + 1 < sizeof(value));
		for(len = limits[i].max; len <= limits[i].max + 1; len++) {
			/* a value that starts unlike any other and ends in a mark */
			for(j = 0; j < len; j++)
				value[j] = (char)('0' + (i + j) % 10);
			value[0] = (char)('a' + i);
			value[len - 1] = len > limits[i].max ? 'L' : 'M';
			value[len] = '\0';
			snprintf(ext, sizeof(ext), "ext-%s-%zu", limits[i].name, len);
			snprintf(num, sizeof(num), "%zu%zu", i, len);
			row = unit_row(ext, num, "pw", "SIP", "Y", "127.0.0.2", "cid");
			f = (ph_field_t *)((char *)&row + limits[i].row_field);
			*f = unit_field_len(value, len);

			rows++;
			if(len > limits[i].max) {
				if(ph_table_add_row(t, &row) != PH_ROW_TOO_LONG)
					fail_msg("%s of %zu bytes was not refused", limits[i].name,
							len);
				assert_null(ph_table_by_extension(
						t, row.extension.s, row.extension.len));
				assert_null(ph_table_by_number(
						t, row.dialplan_number.s, row.dialplan_number.len));
				continue;
			}
			if(ph_table_add_row(t, &row) != PH_ROW_LOADED)
				fail_msg("%s of %zu bytes was refused", limits[i].name, len);
			loaded++;
			e = ph_table_by_extension(t, row.extension.s, row.extension.len);
			assert_non_null(e);
			assert_ptr_equal(e, ph_table_by_number(t, row.dialplan_number.s,
										row.dialplan_number.len));
			unit_assert_sv(
					*(const ph_sv_t *)((const char *)e + limits[i].entry_field),
					value, len);
		}
	}
	assert_counts(t, rows, loaded);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_TOO_LONG], n);
	unit_table_free(t, &a);
}

static void test_active_values(void **state)
{
	static const struct
	{
		const char *s;
		size_t len;
		uint8_t active;
	} values[] = {{"Y", 1, 1}, {"y", 1, 1}, {"N", 1, 0}, {"n", 1, 0},
			{NULL, 0, 0}, {NULL, 1, 0}, {"", 0, 0}, {"YES", 3, 0},
			{"Yes", 3, 0}, {"1", 1, 0}, {"T", 1, 0}, {"Y ", 2, 0}, {" Y", 2, 0},
			{"Y\0", 2, 0}, {"YN", 1, 1}};
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	size_t i, n = sizeof(values) / sizeof(values[0]);
	const ph_entry_t *e;
	char ext[16];
	ph_row_t row;

	(void)state;
	for(i = 0; i < n; i++) {
		snprintf(ext, sizeof(ext), "%zu", 100 + i);
		row = unit_row(ext, NULL, "pw", "SIP", NULL, NULL, NULL);
		row.active = unit_field_len(values[i].s, values[i].len);
		assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
		e = unit_by_ext(t, ext);
		assert_non_null(e);
		if(e->active != values[i].active)
			fail_msg("active '%.*s' (%zu bytes) gave %d", (int)values[i].len,
					values[i].s ? values[i].s : "NULL", values[i].len,
					e->active);
	}
	assert_counts(t, n, n);
	unit_table_free(t, &a);
}

static void test_duplicate(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(unit_table_add(t, "100", "5000", "first", "SIP", "Y",
							 "127.0.0.2", "c1"),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "100", "5001", "second", "PJSIP", "N",
							 "127.0.0.2", "c2"),
			PH_ROW_DUPLICATE);
	/* the same row again is a duplicate too */
	assert_int_equal(unit_table_add(t, "100", "5000", "first", "SIP", "Y",
							 "127.0.0.2", "c1"),
			PH_ROW_DUPLICATE);
	assert_counts(t, 3, 1);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_DUPLICATE], 2);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);

	/* the first row is the one held, and it is not ambiguous */
	e = unit_by_ext(t, "100");
	assert_non_null(e);
	unit_assert_sv_str(e->secret, "first");
	unit_assert_sv_str(e->dialplan_number, "5000");
	assert_int_equal(e->protocol, PH_PROTO_SIP);
	assert_int_equal(e->flags, 0);
	assert_null(unit_by_num(t, "5001"));
	assert_ptr_equal(unit_by_num(t, "5000"), e);
	unit_table_free(t, &a);
}

static void test_duplicate_null_and_empty_server(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);

	(void)state;
	/* NULL and empty are the same server: none */
	assert_int_equal(add_simple(t, "100", NULL), PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "100", ""), PH_ROW_DUPLICATE);
	assert_int_equal(add_simple(t, "100", NULL), PH_ROW_DUPLICATE);
	assert_int_equal(add_simple(t, "101", ""), PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "101", NULL), PH_ROW_DUPLICATE);
	assert_int_equal(add_simple(t, "101", ""), PH_ROW_DUPLICATE);
	assert_counts(t, 6, 2);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_DUPLICATE], 4);
	assert_int_equal(unit_by_ext(t, "100")->flags, 0);
	assert_int_equal(unit_by_ext(t, "101")->flags, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 0);
	unit_table_free(t, &a);
}

static void test_ambiguous_extension(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(unit_table_add(t, "100", "5000", "first", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "200", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "100", "5001", "second", "SIP", "Y",
							 "127.0.0.3", NULL),
			PH_ROW_AMBIGUOUS);
	assert_counts(t, 3, 2);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS], 1);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);

	e = unit_by_ext(t, "100");
	assert_non_null(e);
	assert_ptr_equal(e, ph_table_entry(t, 0));
	unit_assert_sv_str(e->secret, "first");
	assert_int_equal(e->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	/* the other entry is untouched; the refused row's number is unknown */
	assert_int_equal(unit_by_ext(t, "200")->flags, 0);
	assert_null(unit_by_num(t, "5001"));
	assert_ptr_equal(unit_by_num(t, "5000"), e);

	/* once ambiguous, the first server's row is still a duplicate */
	assert_int_equal(add_simple(t, "100", "127.0.0.2"), PH_ROW_DUPLICATE);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);
	assert_int_equal(e->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	unit_table_free(t, &a);
}

static void test_ambiguous_extension_many_servers(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);

	(void)state;
	assert_int_equal(add_simple(t, "100", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "100", "127.0.0.3"), PH_ROW_AMBIGUOUS);
	assert_int_equal(add_simple(t, "100", "127.0.0.4"), PH_ROW_AMBIGUOUS);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);
	/* no server and some server are different servers */
	assert_int_equal(add_simple(t, "100", NULL), PH_ROW_AMBIGUOUS);
	assert_int_equal(add_simple(t, "101", NULL), PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "101", "127.0.0.2"), PH_ROW_AMBIGUOUS);
	/* servers that differ only in their last byte, or in length */
	assert_int_equal(add_simple(t, "102", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "102", "127.0.0.11"), PH_ROW_AMBIGUOUS);
	assert_int_equal(add_simple(t, "103", "127.0.0.11"), PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "103", "127.0.0.2"), PH_ROW_AMBIGUOUS);
	assert_int_equal(add_simple(t, "104", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(add_simple(t, "104", "127.0.0.3"), PH_ROW_AMBIGUOUS);

	assert_counts(t, 12, 5);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS], 7);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 5);
	assert_int_equal(
			unit_by_ext(t, "100")->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_int_equal(
			unit_by_ext(t, "101")->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_int_equal(
			unit_by_ext(t, "104")->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	unit_assert_sv_str(unit_by_ext(t, "100")->server_ip, "127.0.0.2");
	unit_table_free(t, &a);
}

static void test_shared_dialplan_number(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e100, *e101, *e102, *e103;

	(void)state;
	assert_int_equal(
			unit_table_add(t, "100", "5000", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "103", "5003", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "101", "5000", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	e100 = unit_by_ext(t, "100");
	e101 = unit_by_ext(t, "101");
	e103 = unit_by_ext(t, "103");
	assert_non_null(e100);
	assert_non_null(e101);
	assert_non_null(e103);
	assert_int_equal(e100->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(e101->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(e103->flags, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 2);
	/* the first loaded, flagged so that callers refuse it */
	assert_ptr_equal(unit_by_num(t, "5000"), e100);
	assert_ptr_equal(unit_by_num(t, "5003"), e103);

	/* a third one: every one of them flagged and counted */
	assert_int_equal(
			unit_table_add(t, "102", "5000", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	e102 = unit_by_ext(t, "102");
	assert_non_null(e102);
	assert_int_equal(e102->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(e100->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 3);
	assert_ptr_equal(unit_by_num(t, "5000"), e100);

	/* a number shared is no reason to refuse the extensions */
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 0);
	assert_counts(t, 4, 4);
	unit_table_free(t, &a);
}

static void test_empty_dialplan_number_not_indexed(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	ph_row_t row;

	(void)state;
	assert_int_equal(unit_table_add(t, "100", "", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "101", "", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "102", NULL, "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	row = unit_row("103", "5000", "pw", "SIP", "Y", NULL, NULL);
	row.dialplan_number.len = 0;
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
	assert_int_equal(unit_by_ext(t, "100")->flags, 0);
	assert_int_equal(unit_by_ext(t, "101")->flags, 0);
	assert_int_equal(unit_by_ext(t, "102")->flags, 0);
	assert_int_equal(unit_by_ext(t, "103")->flags, 0);
	unit_assert_sv_str(unit_by_ext(t, "103")->dialplan_number, "");
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);
	assert_null(unit_by_num(t, ""));
	assert_null(ph_table_by_number(t, "5000", 0));
	assert_null(unit_by_num(t, "5000"));
	unit_table_free(t, &a);
}

/* Snapshots of every entry, to see that a refused row changed none. */
static ph_entry_t *snapshot(const ph_table_t *t)
{
	size_t i, n = ph_table_size(t);
	ph_entry_t *s = calloc(n + 1, sizeof(*s));

	assert_non_null(s);
	for(i = 0; i < n; i++)
		s[i] = *ph_table_entry(t, i);
	return s;
}

static void assert_unchanged(const ph_table_t *t, ph_entry_t *s, size_t n)
{
	size_t i;

	assert_int_equal(ph_table_size(t), n);
	for(i = 0; i < n; i++)
		assert_entry_same(ph_table_entry(t, i), &s[i]);
	free(s);
}

static void test_counts_exact(void **state)
{
	unit_alloc_t a;
	ph_table_t *t;
	const ph_table_counts_t *c;
	char long_secret[PH_MAX_SECRET + 2];
	ph_entry_t *s;

	(void)state;
	unit_alloc_init(&a, 1);
	t = ph_table_new(&a.allocator);
	assert_non_null(t);
	c = ph_table_counts(t);

	assert_int_equal(add_simple(t, "100", NULL), PH_ROW_NO_MEMORY);
	assert_int_equal(c->rows, 1);
	assert_int_equal(ph_table_size(t), 0);
	a.remaining = -1;
	assert_int_equal(add_simple(t, "100", "127.0.0.2"), PH_ROW_LOADED);

	s = snapshot(t);
	assert_int_equal(add_simple(t, NULL, "127.0.0.2"), PH_ROW_NO_EXTENSION);
	assert_int_equal(add_simple(t, "", "127.0.0.2"), PH_ROW_NO_EXTENSION);
	assert_int_equal(
			unit_table_add(t, "101", NULL, "pw", "FOO", "Y", NULL, NULL),
			PH_ROW_BAD_PROTOCOL);
	assert_int_equal(
			unit_table_add(t, "102", NULL, "pw", NULL, "Y", NULL, NULL),
			PH_ROW_BAD_PROTOCOL);
	memset(long_secret, 's', PH_MAX_SECRET + 1);
	long_secret[PH_MAX_SECRET + 1] = '\0';
	assert_int_equal(
			unit_table_add(t, "103", NULL, long_secret, "SIP", "Y", NULL, NULL),
			PH_ROW_TOO_LONG);
	assert_int_equal(add_simple(t, "100", "127.0.0.2"), PH_ROW_DUPLICATE);
	assert_unchanged(t, s, 1);
	assert_int_equal(c->rows, 8);

	assert_int_equal(add_simple(t, "100", "127.0.0.3"), PH_ROW_AMBIGUOUS);
	assert_int_equal(add_simple(t, "100", "127.0.0.4"), PH_ROW_AMBIGUOUS);
	assert_int_equal(
			unit_table_add(t, "104", "9", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "105", "9", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);

	assert_counts(t, 12, 3);
	assert_int_equal(c->skipped, 9);
	assert_int_equal(c->by_result[PH_ROW_LOADED], 3);
	assert_int_equal(c->by_result[PH_ROW_NO_EXTENSION], 2);
	assert_int_equal(c->by_result[PH_ROW_BAD_PROTOCOL], 2);
	assert_int_equal(c->by_result[PH_ROW_TOO_LONG], 1);
	assert_int_equal(c->by_result[PH_ROW_DUPLICATE], 1);
	assert_int_equal(c->by_result[PH_ROW_AMBIGUOUS], 2);
	assert_int_equal(c->by_result[PH_ROW_NO_MEMORY], 1);
	assert_int_equal(c->ambiguous_extensions, 1);
	assert_int_equal(c->ambiguous_numbers, 2);
	/* the counts are the table's own: the same pointer, kept current */
	assert_ptr_equal(ph_table_counts(t), c);
	unit_table_free(t, &a);
}

static void test_lookup_misses(void **state)
{
	static const char *const missing[] = {"1", "10", "1000", "0100", "100 ",
			" 100", "099", "ab", "abcd", "5000"};
	static const char *const missing_numbers[] = {
			"5", "500", "50000", "5002", "05000", "100", "abc", "5000 "};
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e100, *e101, *eabc;
	size_t i;

	(void)state;
	assert_int_equal(
			unit_table_add(t, "100", "5000", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "101", "5001", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "abc", "abcd", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	e100 = unit_by_ext(t, "100");
	e101 = unit_by_ext(t, "101");
	eabc = unit_by_ext(t, "abc");
	assert_non_null(e100);
	assert_non_null(e101);
	assert_non_null(eabc);
	assert_ptr_not_equal(e100, e101);

	for(i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
		if(unit_by_ext(t, missing[i]) != NULL)
			fail_msg("extension '%s' was found", missing[i]);
	}
	for(i = 0; i < sizeof(missing_numbers) / sizeof(missing_numbers[0]); i++) {
		if(unit_by_num(t, missing_numbers[i]) != NULL)
			fail_msg("number '%s' was found", missing_numbers[i]);
	}
	assert_ptr_equal(unit_by_num(t, "abcd"), eabc);
	assert_null(ph_table_by_extension(t, NULL, 3));
	assert_null(ph_table_by_number(t, NULL, 4));

	/* the key is len bytes, not up to a NUL */
	assert_ptr_equal(ph_table_by_extension(t, "1000", 3), e100);
	assert_ptr_equal(ph_table_by_extension(t, "101x", 3), e101);
	assert_null(ph_table_by_extension(t, "100", 2));
	assert_null(ph_table_by_extension(t, "100", 0));
	assert_null(ph_table_by_extension(t, "abc\0", 4));
	assert_ptr_equal(ph_table_by_number(t, "50001", 4), e100);
	assert_null(ph_table_by_number(t, "5000", 3));
	unit_table_free(t, &a);
}

static void test_lookup_last_byte(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e100, *e101, *want;
	char key[8];
	int c;

	(void)state;
	assert_int_equal(
			unit_table_add(t, "100", "7770", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "101", "7771", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	e100 = unit_by_ext(t, "100");
	e101 = unit_by_ext(t, "101");
	for(c = 0; c < 256; c++) {
		want = c == '0' ? e100 : c == '1' ? e101 : NULL;
		memcpy(key, "10", 2);
		key[2] = (char)c;
		if(ph_table_by_extension(t, key, 3) != want)
			fail_msg("extension \"10\\x%02x\"", c);
		memcpy(key, "777", 3);
		key[3] = (char)c;
		if(ph_table_by_number(t, key, 4) != want)
			fail_msg("number \"777\\x%02x\"", c);
	}
	unit_table_free(t, &a);
}

static void test_lookup_embedded_nul(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *ab, *a1, *a0;
	ph_row_t row;

	(void)state;
	row = unit_row(NULL, NULL, "pw", "SIP", "Y", NULL, NULL);
	row.extension = unit_field_len("a\0b", 3);
	row.dialplan_number = unit_field_len("1\0002", 3);
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
	row.extension = unit_field_len("a", 1);
	row.dialplan_number = unit_field_len("1", 1);
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
	row.extension = unit_field_len("a\0", 2);
	row.dialplan_number = unit_field_len("1\0", 2);
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
	assert_counts(t, 3, 3);

	ab = ph_table_by_extension(t, "a\0b", 3);
	a1 = ph_table_by_extension(t, "a", 1);
	a0 = ph_table_by_extension(t, "a\0", 2);
	assert_non_null(ab);
	assert_non_null(a1);
	assert_non_null(a0);
	assert_ptr_not_equal(ab, a1);
	assert_ptr_not_equal(ab, a0);
	assert_ptr_not_equal(a1, a0);
	unit_assert_sv(ab->extension, "a\0b", 3);
	unit_assert_sv(ab->dialplan_number, "1\0002", 3);
	unit_assert_sv(a0->extension, "a\0", 2);
	assert_int_equal(ab->flags | a1->flags | a0->flags, 0);

	assert_ptr_equal(ph_table_by_number(t, "1\0002", 3), ab);
	assert_ptr_equal(ph_table_by_number(t, "1", 1), a1);
	assert_ptr_equal(ph_table_by_number(t, "1\0", 2), a0);
	assert_null(ph_table_by_extension(t, "a\0c", 3));
	assert_null(ph_table_by_extension(t, "a\0b\0", 4));
	assert_null(ph_table_by_extension(t, "\0", 1));
	assert_null(ph_table_by_number(t, "1\0003", 3));
	assert_null(ph_table_by_number(t, "\0", 1));
	unit_table_free(t, &a);
}

/* FNV-1a, as the table hashes, to check the premise of the next test. */
static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for(; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void test_hash_collisions(void **state)
{
	/* pairs with the same 32-bit FNV-1a hash */
	static const char *const pairs[][2] = {{"costarring", "liquid"},
			{"declinate", "macallums"}, {"altarage", "zinke"},
			{"40186", "797189"}};
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e0, *e1;
	size_t i, n = sizeof(pairs) / sizeof(pairs[0]);

	(void)state;
	for(i = 0; i < n; i++) {
		assert_int_equal(fnv1a(pairs[i][0]), fnv1a(pairs[i][1]));
		/* the first alone: its twin is not found */
		assert_int_equal(unit_table_add(t, pairs[i][0], pairs[i][0], "pw",
								 "SIP", "Y", NULL, NULL),
				PH_ROW_LOADED);
		assert_null(unit_by_ext(t, pairs[i][1]));
		assert_null(unit_by_num(t, pairs[i][1]));
	}
	for(i = 0; i < n; i++) {
		/* the twin is another extension and another number */
		assert_int_equal(unit_table_add(t, pairs[i][1], pairs[i][1], "pw",
								 "SIP", "Y", NULL, NULL),
				PH_ROW_LOADED);
	}
	for(i = 0; i < n; i++) {
		e0 = unit_by_ext(t, pairs[i][0]);
		e1 = unit_by_ext(t, pairs[i][1]);
		assert_non_null(e0);
		assert_non_null(e1);
		assert_ptr_not_equal(e0, e1);
		unit_assert_sv_str(e0->extension, pairs[i][0]);
		unit_assert_sv_str(e1->extension, pairs[i][1]);
		assert_int_equal(e0->flags | e1->flags, 0);
		assert_ptr_equal(unit_by_num(t, pairs[i][0]), e0);
		assert_ptr_equal(unit_by_num(t, pairs[i][1]), e1);
	}
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 0);
	unit_table_free(t, &a);
}

static void test_hash_collision_with_prefix(void **state)
{
	/* keys with the same hash as their own first bytes */
	static const char long_ext[] = "100yd1900wh", long_num[] = "50008qc4036a";
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e_long, *e_short;

	(void)state;
	assert_int_equal(fnv1a(long_ext), fnv1a("100"));
	assert_int_equal(fnv1a(long_num), fnv1a("5000"));
	assert_int_equal(
			unit_table_add(t, long_ext, long_num, "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	e_long = unit_by_ext(t, long_ext);
	assert_non_null(e_long);
	assert_null(unit_by_ext(t, "100"));
	assert_null(unit_by_num(t, "5000"));
	/* the prefix is another extension, on the same server */
	assert_int_equal(
			unit_table_add(t, "100", "5000", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	e_short = unit_by_ext(t, "100");
	assert_non_null(e_short);
	assert_ptr_not_equal(e_short, e_long);
	assert_ptr_equal(unit_by_ext(t, long_ext), e_long);
	assert_ptr_equal(unit_by_num(t, "5000"), e_short);
	assert_ptr_equal(unit_by_num(t, long_num), e_long);
	assert_int_equal(e_long->flags | e_short->flags, 0);
	unit_table_free(t, &a);
}

#define MANY 100000

/* The fields of generated row i. */
typedef struct gen
{
	char extension[32];
	char number[32];
	char secret[32];
	char server[32];
	char cid[32];
	const char *protocol;
	const char *active;
} gen_t;

static void gen(gen_t *g, size_t i)
{
	static const char *const protocols[] = {
			"SIP", "PJSIP", "IAX2", "Zap", "EXTERNAL"};

	snprintf(g->extension, sizeof(g->extension), "%zu", 100000 + i);
	snprintf(g->number, sizeof(g->number), "9%07zu", i * 7);
	snprintf(g->secret, sizeof(g->secret), "s%zx", i * 2654435761u);
	snprintf(g->server, sizeof(g->server), "10.%zu.%zu.%zu", (i >> 16) & 255,
			(i >> 8) & 255, i & 255);
	snprintf(g->cid, sizeof(g->cid), "c%zu", i);
	g->protocol = protocols[i % 5];
	g->active = i % 3 ? "Y" : "N";
}

static void assert_gen_entry(const ph_entry_t *e, size_t i)
{
	gen_t g;

	gen(&g, i);
	assert_non_null(e);
	unit_assert_sv_str(e->extension, g.extension);
	unit_assert_sv_str(e->dialplan_number, g.number);
	unit_assert_sv_str(e->secret, g.secret);
	unit_assert_sv_str(e->server_ip, g.server);
	unit_assert_sv_str(e->outbound_cid, g.cid);
	assert_int_equal(e->protocol, i % 5);
	assert_int_equal(e->active, i % 3 ? 1 : 0);
	assert_int_equal(e->flags, 0);
}

static void test_many_entries(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	size_t i, mem_empty, mem_one = 0, mem_some = 0;
	const ph_entry_t *e;
	gen_t g;

	(void)state;
	mem_empty = ph_table_memory(t);
	for(i = 0; i < MANY; i++) {
		gen(&g, i);
		if(unit_table_add(t, g.extension, g.number, g.secret, g.protocol,
				   g.active, g.server, g.cid)
				!= PH_ROW_LOADED)
			fail_msg("row %zu was not loaded", i);
		if(i == 0)
			mem_one = ph_table_memory(t);
		else if(i == 999)
			mem_some = ph_table_memory(t);
	}
	assert_counts(t, MANY, MANY);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 0);

	/* every entry by both keys, and in load order */
	for(i = 0; i < MANY; i++) {
		gen(&g, i);
		e = ph_table_entry(t, i);
		assert_gen_entry(e, i);
		if(unit_by_ext(t, g.extension) != e)
			fail_msg("extension %s not found", g.extension);
		if(unit_by_num(t, g.number) != e)
			fail_msg("number %s not found", g.number);
	}
	assert_null(ph_table_entry(t, MANY));
	gen(&g, MANY);
	assert_null(unit_by_ext(t, g.extension));
	assert_null(unit_by_num(t, g.number));
	assert_null(unit_by_ext(t, "99999"));
	assert_null(unit_by_num(t, "90000001"));

	assert_true(mem_empty > 0);
	assert_true(mem_one > mem_empty);
	assert_true(mem_some > mem_one);
	assert_true(ph_table_memory(t) > mem_some);
	assert_true(ph_table_memory(t) >= MANY * sizeof(ph_entry_t));
	unit_table_free(t, &a);
}

static void test_values_are_copies(void **state)
{
	char ext[] = "4321", num[] = "8765", secret[] = "hunter2",
		 proto[] = "PJSIP", active[] = "Y", server[] = "127.0.168.1",
		 cid[] = "5551212";
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;
	ph_row_t row;

	(void)state;
	row = unit_row(ext, num, secret, proto, active, server, cid);
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
	memset(ext, 'X', sizeof(ext));
	memset(num, 'X', sizeof(num));
	memset(secret, 'X', sizeof(secret));
	memset(proto, 'X', sizeof(proto));
	memset(active, 'X', sizeof(active));
	memset(server, 'X', sizeof(server));
	memset(cid, 'X', sizeof(cid));
	memset(&row, 0, sizeof(row));

	e = unit_by_ext(t, "4321");
	assert_non_null(e);
	assert_ptr_equal(unit_by_num(t, "8765"), e);
	assert_null(ph_table_by_extension(t, ext, 4));
	assert_ptr_not_equal(e->extension.s, ext);
	assert_ptr_not_equal(e->secret.s, secret);
	unit_assert_sv_str(e->extension, "4321");
	unit_assert_sv_str(e->dialplan_number, "8765");
	unit_assert_sv_str(e->secret, "hunter2");
	unit_assert_sv_str(e->server_ip, "127.0.168.1");
	unit_assert_sv_str(e->outbound_cid, "5551212");
	assert_int_equal(e->protocol, PH_PROTO_PJSIP);
	assert_int_equal(e->active, 1);
	unit_table_free(t, &a);
}

static void test_memory_grows(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	size_t before, i;
	char ext[16];

	(void)state;
	before = ph_table_memory(t);
	assert_true(before > 0);
	assert_int_equal(before, a.live_bytes);
	assert_int_equal(add_simple(t, "1", NULL), PH_ROW_LOADED);
	assert_true(ph_table_memory(t) > before);
	assert_int_equal(ph_table_memory(t), a.live_bytes);
	for(i = 0; i < 5000; i++) {
		before = ph_table_memory(t);
		snprintf(ext, sizeof(ext), "m%zu", i);
		assert_int_equal(add_simple(t, ext, NULL), PH_ROW_LOADED);
		assert_true(ph_table_memory(t) >= before);
		assert_int_equal(ph_table_memory(t), a.live_bytes);
	}
	unit_table_free(t, &a);
}

/* Rows for the out-of-memory tests: every tenth shares the number of the
 * one before, and the secrets' lengths vary, so that the arena's blocks end
 * in different fields. */
#define OOM_ROWS 3000

typedef struct oom_row
{
	char extension[32];
	char number[32];
	char secret[PH_MAX_SECRET + 1];
	ph_row_t row;
} oom_row_t;

static void oom_row(oom_row_t *r, size_t i)
{
	size_t len = 1 + i * 37 % PH_MAX_SECRET;

	snprintf(r->extension, sizeof(r->extension), "o%zu", i);
	snprintf(r->number, sizeof(r->number), "7%05zu", i % 10 == 9 ? i - 1 : i);
	memset(r->secret, 'a' + i % 26, len);
	r->secret[len] = '\0';
	r->row = unit_row(r->extension, r->number, r->secret, "SIP", "Y",
			i % 2 ? "127.0.0.2" : "127.0.0.3", i % 4 ? NULL : "cid");
}

/* Checks that rows 0..n-1, and no other, are held as they should be. */
static void assert_oom_rows(const ph_table_t *t, size_t n)
{
	const ph_entry_t *e;
	oom_row_t r;
	size_t i;
	uint8_t flags;

	assert_int_equal(ph_table_size(t), n);
	assert_int_equal(ph_table_counts(t)->loaded, n);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, n / 10 * 2);
	for(i = 0; i < n; i++) {
		oom_row(&r, i);
		e = ph_table_entry(t, i);
		assert_ptr_equal(unit_by_ext(t, r.extension), e);
		unit_assert_sv_str(e->extension, r.extension);
		unit_assert_sv_str(e->dialplan_number, r.number);
		unit_assert_sv_str(e->secret, r.secret);
		unit_assert_sv_str(e->outbound_cid, i % 4 ? "" : "cid");
		flags = (i % 10 == 9 || (i % 10 == 8 && i + 1 < n))
						? PH_ENTRY_AMBIGUOUS_NUMBER
						: 0;
		if(e->flags != flags)
			fail_msg("entry %zu of %zu: flags %u", i, n, e->flags);
		assert_ptr_equal(unit_by_num(t, r.number),
				ph_table_entry(t, i % 10 == 9 ? i - 1 : i));
	}
	oom_row(&r, n);
	assert_null(unit_by_ext(t, r.extension));
}

static void test_no_memory_every_step(void **state)
{
	unit_alloc_t a;
	ph_table_t *t;
	oom_row_t r;
	ph_row_result_t res;
	size_t i, failed_rows = 0;
	long n;

	(void)state;
	/* fail the nth allocation and every one after, for each n, until the
	 * whole sequence needs fewer */
	for(n = 0;; n++) {
		assert_true(n < 1000);
		unit_alloc_init(&a, n);
		t = ph_table_new(&a.allocator);
		if(t == NULL) {
			assert_int_equal(n, 0);
			assert_int_equal(a.live, 0);
			continue;
		}
		for(i = 0; i < OOM_ROWS; i++) {
			oom_row(&r, i);
			res = ph_table_add_row(t, &r.row);
			if(res == PH_ROW_LOADED)
				continue;
			assert_int_equal(res, PH_ROW_NO_MEMORY);
			assert_int_equal(a.remaining, 0);
			assert_int_equal(ph_table_memory(t), a.live_bytes);
			/* the row left no trace, the rows before it are all there */
			assert_int_equal(ph_table_counts(t)->rows, i + 1);
			assert_int_equal(
					ph_table_counts(t)->by_result[PH_ROW_NO_MEMORY], 1);
			assert_oom_rows(t, i);
			/* and the table takes it once memory is back */
			a.remaining = -1;
			assert_int_equal(ph_table_add_row(t, &r.row), PH_ROW_LOADED);
			failed_rows++;
		}
		assert_oom_rows(t, OOM_ROWS);
		assert_counts(t, OOM_ROWS + (a.failures ? 1 : 0), OOM_ROWS);
		unit_table_free(t, &a);
		if(a.failures == 0)
			break;
	}
	/* the sequence did need memory at many steps */
	assert_true(n > 20);
	assert_int_equal(failed_rows, (size_t)n - 1);
}

static void test_no_memory_mid_row(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	char ext[PH_MAX_EXTENSION + 1];
	const ph_entry_t *e;
	size_t i, calls;
	ph_row_t row;

	(void)state;
	/* Fill the first arena block of 65536 bytes (arena.c) to 2 bytes short:
	 * each filler holds its extension (too long to be the entry's own) and
	 * three empty strings (the empty number is the entry's own), 104 bytes;
	 * then a row of short keys and an 11-character password, 14 bytes. */
	for(i = 0; i < 630; i++) {
		memset(ext, 'f', PH_MAX_EXTENSION);
		ext[snprintf(ext, sizeof(ext), "%zu", i)] = 'f';
		ext[PH_MAX_EXTENSION] = '\0';
		assert_int_equal(
				unit_table_add(t, ext, NULL, NULL, "SIP", "Y", NULL, NULL),
				PH_ROW_LOADED);
	}
	assert_int_equal(unit_table_add(t, "ggggggggg", NULL, "sssssssssss", "SIP",
							 "Y", NULL, NULL),
			PH_ROW_LOADED);
	/* "T" and "123" are the entry's own; the password does not fit, and no
	 * block is to be had */
	a.remaining = 0;
	calls = a.calls;
	row = unit_row("T", "123", "pw", "SIP", "Y", "127.0.0.2", "cid");
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_NO_MEMORY);
	assert_int_equal(a.calls, calls + 1);
	assert_true(a.last_size >= 65536);
	assert_null(unit_by_ext(t, "T"));
	assert_null(unit_by_num(t, "123"));
	assert_int_equal(ph_table_size(t), 631);

	a.remaining = -1;
	assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
	e = unit_by_ext(t, "T");
	assert_non_null(e);
	assert_ptr_equal(unit_by_num(t, "123"), e);
	assert_ptr_equal(ph_table_entry(t, 631), e);
	unit_assert_sv_str(e->extension, "T");
	unit_assert_sv_str(e->dialplan_number, "123");
	unit_assert_sv_str(e->secret, "pw");
	unit_assert_sv_str(e->server_ip, "127.0.0.2");
	unit_assert_sv_str(e->outbound_cid, "cid");
	unit_assert_sv_str(unit_by_ext(t, "ggggggggg")->extension, "ggggggggg");
	assert_counts(t, 633, 632);
	unit_table_free(t, &a);
}

static void test_row_result_names(void **state)
{
	static const char *const want[PH_ROW_RESULT_COUNT] = {"loaded",
			"no_extension", "bad_protocol", "too_long", "duplicate",
			"ambiguous", "home_server", "no_memory"};
	int i;

	(void)state;
	assert_string_equal(ph_row_result_name(PH_ROW_LOADED), "loaded");
	assert_string_equal(
			ph_row_result_name(PH_ROW_NO_EXTENSION), "no_extension");
	assert_string_equal(
			ph_row_result_name(PH_ROW_BAD_PROTOCOL), "bad_protocol");
	assert_string_equal(ph_row_result_name(PH_ROW_TOO_LONG), "too_long");
	assert_string_equal(ph_row_result_name(PH_ROW_DUPLICATE), "duplicate");
	assert_string_equal(ph_row_result_name(PH_ROW_AMBIGUOUS), "ambiguous");
	assert_string_equal(
			ph_row_result_name(PH_ROW_HOME_SERVER), "home_server");
	assert_string_equal(ph_row_result_name(PH_ROW_NO_MEMORY), "no_memory");
	for(i = 0; i < PH_ROW_RESULT_COUNT; i++)
		assert_string_equal(ph_row_result_name((ph_row_result_t)i), want[i]);
	assert_string_equal(ph_row_result_name(PH_ROW_RESULT_COUNT), "?");
}

/* ---- one device on several servers: home servers ---- */

/* The counts when rows were offered, loaded entries and home rows held:
 * skipped leaves the home server rows out, by_result adds up to rows. */
static void assert_home_counts(
		const ph_table_t *t, size_t rows, size_t loaded, size_t home)
{
	const ph_table_counts_t *c = ph_table_counts(t);
	size_t i, sum = 0;

	assert_int_equal(c->rows, rows);
	assert_int_equal(c->loaded, loaded);
	assert_int_equal(c->by_result[PH_ROW_LOADED], loaded);
	assert_int_equal(c->by_result[PH_ROW_HOME_SERVER], home);
	assert_int_equal(c->skipped, rows - loaded - home);
	for(i = 0; i < PH_ROW_RESULT_COUNT; i++)
		sum += c->by_result[i];
	assert_int_equal(sum, rows);
	assert_int_equal(ph_table_size(t), loaded);
}

/* A row of device extension with password pw on server_ip. */
static ph_row_result_t add_device(ph_table_t *t, const char *extension,
		const char *pw, const char *server_ip)
{
	return unit_table_add(t, extension, NULL, pw, "SIP", "Y", server_ip, NULL);
}

/* Collects the home servers into a comma-separated C string. */
typedef struct collect
{
	char text[PH_MAX_HOME_SERVERS_TEXT + 64];
	size_t calls;
	size_t stop_at; /* returns calls when calls reaches it (0: never) */
} collect_t;

static int collect(const char *ip, size_t len, void *arg)
{
	collect_t *c = arg;
	size_t n = strlen(c->text);

	assert_non_null(ip);
	assert_true(len > 0);
	assert_true(n + len + 2 < sizeof(c->text));
	if(n)
		c->text[n++] = ',';
	memcpy(c->text + n, ip, len);
	c->text[n + len] = '\0';
	c->calls++;
	return c->calls == c->stop_at ? (int)c->calls : 0;
}

static void assert_each_server(
		const ph_entry_t *e, const char *want, size_t want_calls)
{
	collect_t c;

	memset(&c, 0, sizeof(c));
	assert_int_equal(ph_entry_each_server(e, collect, &c), 0);
	assert_string_equal(c.text, want);
	assert_int_equal(c.calls, want_calls);
	unit_assert_sv_str(e->servers, want);
}

static void test_home_servers_one_entry(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e, *other;

	(void)state;
	assert_int_equal(unit_table_add(t, "100", "5000", "pw", "SIP", "Y",
							 "127.0.0.2", "cid1"),
			PH_ROW_LOADED);
	/* the same device: password, protocol (any case) and active flag
	 * (either 'Y' or 'y'); number and caller id are the first row's */
	assert_int_equal(unit_table_add(t, "100", "5001", "pw", "sip", "y",
							 "127.0.0.3", "cid2"),
			PH_ROW_HOME_SERVER);
	assert_int_equal(unit_table_add(t, "100", "5000", "pw", "SIP", "Y",
							 "127.0.0.4", NULL),
			PH_ROW_HOME_SERVER);
	assert_int_equal(unit_table_add(t, "101", "5101", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_home_counts(t, 4, 2, 2);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);

	e = unit_by_ext(t, "100");
	assert_non_null(e);
	assert_ptr_equal(e, ph_table_entry(t, 0));
	unit_assert_sv_str(e->extension, "100");
	unit_assert_sv_str(e->dialplan_number, "5000");
	unit_assert_sv_str(e->secret, "pw");
	unit_assert_sv_str(e->server_ip, "127.0.0.2");
	unit_assert_sv_str(e->outbound_cid, "cid1");
	assert_int_equal(e->protocol, PH_PROTO_SIP);
	assert_int_equal(e->active, 1);
	assert_int_equal(e->flags, 0);
	assert_int_equal(e->nservers, 3);
	assert_each_server(e, "127.0.0.2,127.0.0.3,127.0.0.4", 3);
	/* found by the first row's number only */
	assert_ptr_equal(unit_by_num(t, "5000"), e);
	assert_null(unit_by_num(t, "5001"));

	other = unit_by_ext(t, "101");
	assert_ptr_equal(other, ph_table_entry(t, 1));
	assert_int_equal(other->nservers, 1);
	assert_each_server(other, "127.0.0.2", 1);
	assert_null(ph_table_entry(t, 2));
	unit_table_free(t, &a);
}

static void test_home_servers_same_values(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);

	(void)state;
	/* NULL and empty passwords are the same password */
	assert_int_equal(
			unit_table_add(t, "a", NULL, NULL, "SIP", "Y", "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "a", NULL, "", "SIP", "Y", "127.0.0.3", NULL),
			PH_ROW_HOME_SERVER);
	/* every active value but 'Y' and 'y' is inactive alike */
	assert_int_equal(
			unit_table_add(t, "b", NULL, "pw", "IAX2", "N", "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "b", NULL, "pw", "iax2", NULL, "127.0.0.3", NULL),
			PH_ROW_HOME_SERVER);
	assert_int_equal(
			unit_table_add(t, "b", NULL, "pw", "Iax2", "", "127.0.0.4", NULL),
			PH_ROW_HOME_SERVER);
	assert_int_equal(unit_table_add(t, "b", NULL, "pw", "IAX2", "YES",
							 "127.0.0.5", NULL),
			PH_ROW_HOME_SERVER);
	/* EXTERNAL entries too */
	assert_int_equal(unit_table_add(t, "c", "5553", "", "EXTERNAL", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "c", "5553", "", "external", "Y",
							 "127.0.0.3", NULL),
			PH_ROW_HOME_SERVER);
	assert_home_counts(t, 8, 3, 5);
	assert_int_equal(unit_by_ext(t, "a")->nservers, 2);
	assert_each_server(unit_by_ext(t, "a"), "127.0.0.2,127.0.0.3", 2);
	unit_assert_sv_str(unit_by_ext(t, "a")->secret, "");
	assert_int_equal(unit_by_ext(t, "b")->nservers, 4);
	assert_int_equal(unit_by_ext(t, "b")->active, 0);
	assert_int_equal(unit_by_ext(t, "b")->protocol, PH_PROTO_IAX2);
	assert_each_server(
			unit_by_ext(t, "b"), "127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5", 4);
	assert_int_equal(unit_by_ext(t, "c")->nservers, 2);
	assert_int_equal(unit_by_ext(t, "c")->flags, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 0);
	unit_table_free(t, &a);
}

static void test_home_servers_disagree(void **state)
{
	static const struct
	{
		const char *extension;
		const char *secret, *protocol, *active; /* of the second row */
	} cases[] = {
			{"s1", "other", "SIP", "Y"}, /* another password */
			{"s2", "PW", "SIP", "Y"},	 /* passwords are case-sensitive */
			{"s3", "p", "SIP", "Y"},	 /* a prefix of it */
			{"s4", "pw ", "SIP", "Y"},	 /* longer */
			{"s5", NULL, "SIP", "Y"},	 /* none */
			{"p1", "pw", "PJSIP", "Y"},	 /* another protocol */
			{"p2", "pw", "EXTERNAL", "Y"},
			{"a1", "pw", "SIP", "N"}, /* another active flag */
			{"a2", "pw", "SIP", NULL},
	};
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;
	size_t i, n = sizeof(cases) / sizeof(cases[0]);

	(void)state;
	for(i = 0; i < n; i++) {
		assert_int_equal(add_device(t, cases[i].extension, "pw", "127.0.0.2"),
				PH_ROW_LOADED);
		if(unit_table_add(t, cases[i].extension, NULL, cases[i].secret,
				   cases[i].protocol, cases[i].active, "127.0.0.3", NULL)
				!= PH_ROW_AMBIGUOUS)
			fail_msg("%s: the second row was not refused", cases[i].extension);
		e = unit_by_ext(t, cases[i].extension);
		assert_int_equal(e->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
		/* the refused row is no home server */
		assert_int_equal(e->nservers, 1);
		assert_each_server(e, "127.0.0.2", 1);
		unit_assert_sv_str(e->secret, "pw");
		assert_int_equal(e->protocol, PH_PROTO_SIP);
		assert_int_equal(e->active, 1);
	}
	assert_home_counts(t, 2 * n, n, 0);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS], n);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, n);
	unit_table_free(t, &a);
}

static void test_home_servers_then_ambiguous(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.3"), PH_ROW_HOME_SERVER);
	/* a third server disagrees: the whole extension is refused */
	assert_int_equal(
			add_device(t, "100", "new", "127.0.0.4"), PH_ROW_AMBIGUOUS);
	e = unit_by_ext(t, "100");
	assert_int_equal(e->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_int_equal(e->nservers, 2);
	assert_each_server(e, "127.0.0.2,127.0.0.3", 2);
	/* once ambiguous, even an agreeing row on a new server is refused */
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.5"), PH_ROW_AMBIGUOUS);
	/* the refused server was never held: refused again, no duplicate */
	assert_int_equal(
			add_device(t, "100", "new", "127.0.0.4"), PH_ROW_AMBIGUOUS);
	/* a held server is still a duplicate */
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.3"), PH_ROW_DUPLICATE);
	assert_int_equal(
			add_device(t, "100", "new", "127.0.0.2"), PH_ROW_DUPLICATE);
	assert_int_equal(e->nservers, 2);
	assert_each_server(e, "127.0.0.2,127.0.0.3", 2);
	assert_home_counts(t, 7, 1, 1);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS], 3);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_DUPLICATE], 2);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);
	unit_table_free(t, &a);
}

static void test_home_servers_duplicate(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;
	ph_entry_t *s;

	(void)state;
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.3"), PH_ROW_HOME_SERVER);
	s = snapshot(t);
	/* any held server again, whatever the row says */
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.3"), PH_ROW_DUPLICATE);
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_DUPLICATE);
	assert_int_equal(
			add_device(t, "100", "other", "127.0.0.3"), PH_ROW_DUPLICATE);
	assert_int_equal(unit_table_add(t, "100", "9", "pw", "PJSIP", "N",
							 "127.0.0.2", NULL),
			PH_ROW_DUPLICATE);
	assert_unchanged(t, s, 1);
	e = unit_by_ext(t, "100");
	assert_int_equal(e->flags, 0);
	assert_int_equal(e->nservers, 2);
	/* servers whose text holds a held one's, or is held in one's */
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.30"), PH_ROW_HOME_SERVER);
	assert_int_equal(add_device(t, "100", "pw", "127.0.0"), PH_ROW_HOME_SERVER);
	assert_int_equal(
			add_device(t, "100", "pw", "27.0.0.3"), PH_ROW_HOME_SERVER);
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.30"), PH_ROW_DUPLICATE);
	assert_int_equal(e->nservers, 5);
	assert_each_server(e, "127.0.0.2,127.0.0.3,127.0.0.30,127.0.0,27.0.0.3", 5);
	assert_home_counts(t, 10, 1, 4);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_DUPLICATE], 5);
	unit_table_free(t, &a);
}

/* A row without a server is no home server: it is not listed, and the
 * same extension on a server (before or after it) is ambiguous. */
static void test_home_servers_first_without_server(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(add_device(t, "100", "pw", NULL), PH_ROW_LOADED);
	e = unit_by_ext(t, "100");
	unit_assert_sv_str(e->server_ip, "");
	assert_each_server(e, "", 0);
	assert_true(ph_entry_has_server(e, NULL, 0));
	assert_true(ph_entry_has_server(e, "", 0));
	assert_false(ph_entry_has_server(e, "127.0.0.2", 9));
	/* NULL and empty are the same server again */
	assert_int_equal(add_device(t, "100", "pw", NULL), PH_ROW_DUPLICATE);
	assert_int_equal(add_device(t, "100", "pw", ""), PH_ROW_DUPLICATE);
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_AMBIGUOUS);
	assert_int_equal(e->nservers, 1);
	assert_int_equal(e->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_home_counts(t, 4, 1, 0);
	unit_table_free(t, &a);
}

/* A row without a server after a row with one: ambiguous, each time, never
 * another home server. */
static void test_home_servers_no_server_after_server(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(add_device(t, "100", "pw", NULL), PH_ROW_AMBIGUOUS);
	e = unit_by_ext(t, "100");
	assert_int_equal(e->nservers, 1);
	assert_int_equal(e->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_each_server(e, "127.0.0.2", 1);
	assert_int_equal(add_device(t, "100", "pw", ""), PH_ROW_AMBIGUOUS);
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_DUPLICATE);
	assert_int_equal(e->nservers, 1);
	assert_home_counts(t, 4, 1, 0);
	unit_table_free(t, &a);
}

/* A server_ip holding a comma cannot stand in the comma-separated list: it
 * is the entry's server as written (the same row again is a duplicate), no
 * home server to call, and never merged with another row. */
static void test_home_servers_comma_in_server_ip(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;

	(void)state;
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.2,::1"), PH_ROW_LOADED);
	e = unit_by_ext(t, "100");
	assert_true(ph_entry_has_server(e, "127.0.0.2,::1", 13));
	assert_false(ph_entry_has_server(e, "127.0.0.2", 9));
	assert_each_server(e, "", 0);
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.2,::1"), PH_ROW_DUPLICATE);
	assert_int_equal(add_device(t, "100", "pw", "::1"), PH_ROW_AMBIGUOUS);
	assert_int_equal(add_device(t, "101", "pw", "127.0.0.3"), PH_ROW_LOADED);
	assert_int_equal(add_device(t, "101", "pw", "127.0.0.4,::1"),
			PH_ROW_AMBIGUOUS);
	assert_each_server(unit_by_ext(t, "101"), "127.0.0.3", 1);
	assert_int_equal(e->nservers, 1);
	unit_table_free(t, &a);
}

static void test_entry_has_server(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e, *alone;
	char *ip;

	(void)state;
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.33"), PH_ROW_HOME_SERVER);
	assert_int_equal(add_device(t, "100", "pw", "::1"), PH_ROW_HOME_SERVER);
	assert_int_equal(add_device(t, "101", "pw", "127.0.0.2"), PH_ROW_LOADED);
	e = unit_by_ext(t, "100");
	alone = unit_by_ext(t, "101");

	assert_true(ph_entry_has_server(e, "127.0.0.2", 9));
	assert_true(ph_entry_has_server(e, "127.0.0.33", 10));
	assert_true(ph_entry_has_server(e, "::1", 3));
	/* len bytes, in a buffer of exactly that size */
	ip = unit_dup_exact("127.0.0.33", 10);
	assert_true(ph_entry_has_server(e, ip, 10));
	assert_false(ph_entry_has_server(e, ip, 9)); /* 127.0.0.3 */
	assert_false(ph_entry_has_server(e, ip, 8));
	free(ip);
	assert_true(ph_entry_has_server(e, "127.0.0.2:5060", 9));
	/* texts, not addresses: no other spelling, no piece, no whole list */
	assert_false(ph_entry_has_server(e, "127.0.0.3", 9));
	assert_false(ph_entry_has_server(e, "127.0.0.333", 11));
	assert_false(ph_entry_has_server(e, "127.0.0.", 8));
	assert_false(ph_entry_has_server(e, "0::1", 4));
	assert_false(ph_entry_has_server(e, "127.0.0.2,127.0.0.33", 20));
	assert_false(ph_entry_has_server(e, ",", 1));
	assert_false(ph_entry_has_server(e, NULL, 0));
	assert_false(ph_entry_has_server(e, "", 0));
	assert_true(ph_entry_has_server(alone, "127.0.0.2", 9));
	assert_false(ph_entry_has_server(alone, "127.0.0.33", 10));
	assert_false(ph_entry_has_server(alone, NULL, 0));
	unit_table_free(t, &a);
}

static void test_entry_each_server_stops(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	const ph_entry_t *e;
	collect_t c;

	(void)state;
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.2"), PH_ROW_LOADED);
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.3"), PH_ROW_HOME_SERVER);
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.0.4"), PH_ROW_HOME_SERVER);
	e = unit_by_ext(t, "100");
	/* the first non-zero return ends the walk and is returned */
	memset(&c, 0, sizeof(c));
	c.stop_at = 2;
	assert_int_equal(ph_entry_each_server(e, collect, &c), 2);
	assert_int_equal(c.calls, 2);
	assert_string_equal(c.text, "127.0.0.2,127.0.0.3");
	memset(&c, 0, sizeof(c));
	c.stop_at = 1;
	assert_int_equal(ph_entry_each_server(e, collect, &c), 1);
	assert_string_equal(c.text, "127.0.0.2");
	memset(&c, 0, sizeof(c));
	c.stop_at = 3;
	assert_int_equal(ph_entry_each_server(e, collect, &c), 3);
	assert_int_equal(c.calls, 3);
	/* no server at all: never called */
	assert_int_equal(add_device(t, "101", "pw", NULL), PH_ROW_LOADED);
	memset(&c, 0, sizeof(c));
	c.stop_at = 1;
	assert_int_equal(
			ph_entry_each_server(unit_by_ext(t, "101"), collect, &c), 0);
	assert_int_equal(c.calls, 0);
	unit_table_free(t, &a);
}

/* The list's length limit: 65 servers whose list is exactly
 * PH_MAX_HOME_SERVERS_TEXT bytes are held, a byte more is too long. */
static void test_home_servers_text_limit(void **state)
{
	unit_alloc_t a;
	ph_table_t *t = unit_table_new(&a);
	char want[PH_MAX_HOME_SERVERS_TEXT + 1], ip[32];
	const ph_entry_t *e;
	size_t i, len = 0;

	(void)state;
	assert_int_equal(PH_MAX_HOME_SERVERS_TEXT, 1024);
	/* 60 of 15 characters, 4 of 12: 948 and 63 commas */
	for(i = 0; i < 64; i++) {
		if(i < 60)
			snprintf(ip, sizeof(ip), "127.100.100.%zu", 100 + i);
		else
			snprintf(ip, sizeof(ip), "127.0.100.%zu", 10 + i - 60);
		assert_true(strlen(ip) == (i < 60 ? 15 : 12));
		assert_int_equal(add_device(t, "100", "pw", ip),
				i ? PH_ROW_HOME_SERVER : PH_ROW_LOADED);
		len += (size_t)snprintf(
				want + len, sizeof(want) - len, "%s%s", i ? "," : "", ip);
	}
	assert_int_equal(len, 1011);
	e = unit_by_ext(t, "100");
	assert_int_equal(e->nservers, 64);
	unit_assert_sv(e->servers, want, len);
	/* 1011 + 1 + 13 = 1025: too long, and nothing changed */
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.100.100"), PH_ROW_TOO_LONG);
	assert_int_equal(e->nservers, 64);
	unit_assert_sv(e->servers, want, len);
	assert_false(ph_entry_has_server(e, "127.0.100.100", 13));
	/* 1011 + 1 + 12 = 1024: held */
	assert_int_equal(
			add_device(t, "100", "pw", "127.0.100.14"), PH_ROW_HOME_SERVER);
	len += (size_t)snprintf(want + len, sizeof(want) - len, ",127.0.100.14");
	assert_int_equal(len, PH_MAX_HOME_SERVERS_TEXT);
	assert_int_equal(e->nservers, 65);
	unit_assert_sv(e->servers, want, len);
	assert_true(ph_entry_has_server(e, "127.0.100.14", 12));
	assert_true(ph_entry_has_server(e, "127.100.100.100", 15));
	/* nothing more fits; held ones are still duplicates */
	assert_int_equal(add_device(t, "100", "pw", "127.0.0.1"), PH_ROW_TOO_LONG);
	assert_int_equal(
			add_device(t, "100", "pw", "127.100.100.159"), PH_ROW_DUPLICATE);
	/* a disagreeing row is ambiguous, not too long */
	assert_int_equal(
			add_device(t, "100", "other", "127.0.0.1"), PH_ROW_AMBIGUOUS);
	assert_int_equal(e->nservers, 65);
	unit_assert_sv(e->servers, want, len);
	{
		collect_t c;

		memset(&c, 0, sizeof(c));
		assert_int_equal(ph_entry_each_server(e, collect, &c), 0);
		assert_int_equal(c.calls, 65);
		assert_string_equal(c.text, want);
	}
	assert_home_counts(t, 69, 1, 64);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_TOO_LONG], 2);
	unit_table_free(t, &a);
}

/* Home server rows of 4 devices on 64 servers each (lists up to 1023
 * bytes, more than an arena block in all): fails the nth allocation and
 * every one after, for each n; a row refused for memory leaves its entry
 * as it was, and is taken once memory is back. */
static void home_ip(char *buf, size_t size, size_t device, size_t server)
{
	snprintf(buf, size, "127.100.10%zu.1%02zu", device, server);
}

static void test_home_servers_no_memory_every_step(void **state)
{
	enum
	{
		DEVICES = 4,
		SERVERS = 64
	};
	unit_alloc_t a;
	ph_table_t *t;
	const ph_entry_t *e;
	char ext[16], ip[32], list[PH_MAX_HOME_SERVERS_TEXT + 1];
	ph_row_result_t r, want;
	uint32_t list_len;
	uint16_t nservers;
	size_t d, s, rows, failed = 0;
	long n;

	(void)state;
	for(n = 0;; n++) {
		assert_true(n < 1000);
		unit_alloc_init(&a, n);
		t = ph_table_new(&a.allocator);
		if(t == NULL)
			continue;
		rows = 0;
		for(d = 0; d < DEVICES; d++) {
			snprintf(ext, sizeof(ext), "h%zu", d);
			for(s = 0; s < SERVERS; s++) {
				home_ip(ip, sizeof(ip), d, s);
				want = s ? PH_ROW_HOME_SERVER : PH_ROW_LOADED;
				e = unit_by_ext(t, ext);
				list_len = e ? e->servers.len : 0;
				nservers = e ? e->nservers : 0;
				if(e)
					memcpy(list, e->servers.s, list_len);
				r = add_device(t, ext, "pw", ip);
				rows++;
				assert_int_equal(ph_table_memory(t), a.live_bytes);
				if(r == want)
					continue;
				assert_int_equal(r, PH_ROW_NO_MEMORY);
				assert_int_equal(a.remaining, 0);
				/* the entry (or its absence) is as it was */
				assert_ptr_equal(unit_by_ext(t, ext), e);
				assert_int_equal(ph_table_size(t), d + (e ? 1 : 0));
				if(e) {
					assert_int_equal(e->nservers, nservers);
					unit_assert_sv(e->servers, list, list_len);
					assert_false(ph_entry_has_server(e, ip, strlen(ip)));
				}
				a.remaining = -1;
				assert_int_equal(add_device(t, ext, "pw", ip), want);
				rows++;
				failed++;
			}
		}
		for(d = 0; d < DEVICES; d++) {
			snprintf(ext, sizeof(ext), "h%zu", d);
			e = unit_by_ext(t, ext);
			assert_non_null(e);
			assert_int_equal(e->nservers, SERVERS);
			assert_int_equal(e->servers.len, SERVERS * 16 - 1);
			for(s = 0; s < SERVERS; s++) {
				home_ip(ip, sizeof(ip), d, s);
				assert_true(ph_entry_has_server(e, ip, 15));
			}
		}
		assert_home_counts(t, rows, DEVICES, DEVICES * (SERVERS - 1));
		assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_NO_MEMORY],
				a.failures ? 1 : 0);
		unit_table_free(t, &a);
		if(a.failures == 0)
			break;
	}
	/* the table, its indexes and segment, and more than one arena block */
	assert_true(n > 6);
	assert_int_equal(failed, (size_t)n - 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_new_table_is_empty),
			cmocka_unit_test(test_new_table_no_memory),
			cmocka_unit_test(test_load_and_lookup),
			cmocka_unit_test(test_null_fields_stored_empty),
			cmocka_unit_test(test_no_extension),
			cmocka_unit_test(test_bad_protocol),
			cmocka_unit_test(test_protocol_any_case),
			cmocka_unit_test(test_field_limits),
			cmocka_unit_test(test_active_values),
			cmocka_unit_test(test_duplicate),
			cmocka_unit_test(test_duplicate_null_and_empty_server),
			cmocka_unit_test(test_ambiguous_extension),
			cmocka_unit_test(test_ambiguous_extension_many_servers),
			cmocka_unit_test(test_shared_dialplan_number),
			cmocka_unit_test(test_empty_dialplan_number_not_indexed),
			cmocka_unit_test(test_counts_exact),
			cmocka_unit_test(test_lookup_misses),
			cmocka_unit_test(test_lookup_last_byte),
			cmocka_unit_test(test_lookup_embedded_nul),
			cmocka_unit_test(test_hash_collisions),
			cmocka_unit_test(test_hash_collision_with_prefix),
			cmocka_unit_test(test_many_entries),
			cmocka_unit_test(test_values_are_copies),
			cmocka_unit_test(test_memory_grows),
			cmocka_unit_test(test_no_memory_every_step),
			cmocka_unit_test(test_no_memory_mid_row),
			cmocka_unit_test(test_row_result_names),
			cmocka_unit_test(test_home_servers_one_entry),
			cmocka_unit_test(test_home_servers_same_values),
			cmocka_unit_test(test_home_servers_disagree),
			cmocka_unit_test(test_home_servers_then_ambiguous),
			cmocka_unit_test(test_home_servers_duplicate),
			cmocka_unit_test(test_home_servers_first_without_server),
			cmocka_unit_test(test_home_servers_no_server_after_server),
			cmocka_unit_test(test_home_servers_comma_in_server_ip),
			cmocka_unit_test(test_entry_has_server),
			cmocka_unit_test(test_entry_each_server_stops),
			cmocka_unit_test(test_home_servers_text_limit),
			cmocka_unit_test(test_home_servers_no_memory_every_step),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
