/*
 * kamailio-phones: unit tests of ph_table_copy_change, the copy-on-write
 * change of the phone table that provisioning publishes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/phone_table.h"

/* ph_table_copy_change of src into a fresh allocator b that never fails,
 * with remove (NULL: none) and row (NULL: none). The copy must be made. */
static ph_table_t *copy(const ph_table_t *src, unit_alloc_t *b,
		const char *remove, const ph_row_t *row)
{
	int reload = 7;
	ph_table_t *t;

	unit_alloc_init(b, -1);
	t = ph_table_copy_change(src, &b->allocator, remove,
			remove ? strlen(remove) : 0, row, &reload);
	assert_non_null(t);
	assert_int_equal(reload, 0);
	assert_int_equal(ph_table_memory(t), b->live_bytes);
	return t;
}

/* The copy is refused as needing a reload, without allocating. */
static void assert_needs_reload(
		const ph_table_t *src, const char *remove, const ph_row_t *row)
{
	unit_alloc_t b;
	int reload = 0;

	unit_alloc_init(&b, -1);
	assert_null(ph_table_copy_change(src, &b.allocator, remove,
			remove ? strlen(remove) : 0, row, &reload));
	assert_int_equal(reload, 1);
	assert_int_equal(b.calls, 0);
	assert_int_equal(b.live, 0);
}

/* An entry as C strings, to compare tables by value. */
typedef struct snap
{
	char extension[PH_MAX_EXTENSION + 1];
	char dialplan_number[PH_MAX_DIALPLAN_NUMBER + 1];
	char secret[PH_MAX_SECRET + 1];
	char server_ip[PH_MAX_SERVER_IP + 1];
	char outbound_cid[PH_MAX_OUTBOUND_CID + 1];
	int protocol, active, flags;
} snap_t;

typedef struct table_snap
{
	snap_t *e; /* malloc()ed: free with snap_free */
	size_t size;
	ph_table_counts_t counts;
	size_t memory;
} table_snap_t;

static void sv_copy(char *dst, size_t size, ph_sv_t sv)
{
	assert_non_null(sv.s);
	assert_true(sv.len < size);
	memcpy(dst, sv.s, sv.len);
	dst[sv.len] = '\0';
	assert_int_equal(sv.s[sv.len], '\0');
}

static void snap_entry(snap_t *s, const ph_entry_t *e)
{
	memset(s, 0, sizeof(*s));
	sv_copy(s->extension, sizeof(s->extension), e->extension);
	sv_copy(s->dialplan_number, sizeof(s->dialplan_number), e->dialplan_number);
	sv_copy(s->secret, sizeof(s->secret), e->secret);
	sv_copy(s->server_ip, sizeof(s->server_ip), e->server_ip);
	sv_copy(s->outbound_cid, sizeof(s->outbound_cid), e->outbound_cid);
	s->protocol = e->protocol;
	s->active = e->active;
	s->flags = e->flags;
}

static void snap_table(table_snap_t *s, const ph_table_t *t)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	s->size = ph_table_size(t);
	s->e = calloc(s->size ? s->size : 1, sizeof(*s->e));
	assert_non_null(s->e);
	for(i = 0; i < s->size; i++)
		snap_entry(&s->e[i], ph_table_entry(t, i));
	s->counts = *ph_table_counts(t);
	s->memory = ph_table_memory(t);
}

static void snap_free(table_snap_t *s)
{
	free(s->e);
	s->e = NULL;
}

static void assert_snap_equal(const snap_t *a, const snap_t *b)
{
	assert_string_equal(a->extension, b->extension);
	assert_string_equal(a->dialplan_number, b->dialplan_number);
	assert_string_equal(a->secret, b->secret);
	assert_string_equal(a->server_ip, b->server_ip);
	assert_string_equal(a->outbound_cid, b->outbound_cid);
	assert_int_equal(a->protocol, b->protocol);
	assert_int_equal(a->active, b->active);
	assert_int_equal(a->flags, b->flags);
}

/* t is exactly as snapshot s: entries, lookups, counts and memory. */
static void assert_table_is(const ph_table_t *t, const table_snap_t *s)
{
	const ph_entry_t *e;
	snap_t now;
	size_t i;

	assert_int_equal(ph_table_size(t), s->size);
	for(i = 0; i < s->size; i++) {
		e = ph_table_entry(t, i);
		assert_non_null(e);
		snap_entry(&now, e);
		assert_snap_equal(&now, &s->e[i]);
		assert_ptr_equal(unit_by_ext(t, s->e[i].extension), e);
	}
	assert_null(ph_table_entry(t, s->size));
	assert_memory_equal(ph_table_counts(t), &s->counts, sizeof(s->counts));
	assert_int_equal(ph_table_memory(t), s->memory);
}

/* The entry of t with extension ext, as a snapshot. */
static snap_t snap_of(const ph_table_t *t, const char *ext)
{
	const ph_entry_t *e = unit_by_ext(t, ext);
	snap_t s;

	if(e == NULL)
		fail_msg("no entry %s", ext);
	snap_entry(&s, e);
	return s;
}

/* The counts are whole: skipped is rows - loaded, by_result adds up. */
static void assert_counts_whole(const ph_table_t *t)
{
	const ph_table_counts_t *c = ph_table_counts(t);
	size_t i, sum = 0;

	assert_int_equal(c->loaded, ph_table_size(t));
	assert_int_equal(c->by_result[PH_ROW_LOADED], c->loaded);
	assert_int_equal(c->skipped, c->rows - c->loaded);
	for(i = 0; i < PH_ROW_RESULT_COUNT; i++)
		sum += c->by_result[i];
	assert_int_equal(sum, c->rows);
}

/* Loads the usual source: five protocols, active and not, a shared
 * number (5550 for 101 and 102), NULL fields. */
static ph_table_t *load_source(unit_alloc_t *a)
{
	ph_table_t *t = unit_table_new(a);

	assert_int_equal(unit_table_add(t, "101", "5550", "pw101", "SIP", "Y",
							 "127.0.0.2", "3125550101"),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "102", "5550", "pw102", "pjsip", "N",
							 "127.0.0.2", "3125550102"),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "cc103", "5553", "pw103", "IAX2", "y",
							 "127.0.0.3", ""),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "zap104", "5554", NULL, "Zap", NULL,
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, "ext105", NULL, "x", "EXTERNAL", "Y", NULL, "99"),
			PH_ROW_LOADED);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 2);
	assert_int_equal(unit_by_ext(t, "101")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(unit_by_ext(t, "102")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	return t;
}

static void test_copy_without_change(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_source(&a), *t;
	table_snap_t before;
	size_t i, src_calls = a.calls;

	(void)state;
	snap_table(&before, src);
	t = copy(src, &b, NULL, NULL);
	/* the copy was made from its own allocator only */
	assert_int_equal(a.calls, src_calls);
	assert_true(b.live > 0);

	/* the same entries, in the same order, with the same values */
	assert_int_equal(ph_table_size(t), before.size);
	for(i = 0; i < before.size; i++) {
		snap_t s;

		snap_entry(&s, ph_table_entry(t, i));
		assert_snap_equal(&s, &before.e[i]);
		/* copies, not pointers into src */
		assert_ptr_not_equal(ph_table_entry(t, i)->extension.s,
				ph_table_entry(src, i)->extension.s);
		assert_ptr_not_equal(ph_table_entry(t, i)->secret.s,
				ph_table_entry(src, i)->secret.s);
		assert_ptr_equal(
				unit_by_ext(t, before.e[i].extension), ph_table_entry(t, i));
	}
	assert_int_equal(ph_table_entry(t, 0)->protocol, PH_PROTO_SIP);
	assert_int_equal(ph_table_entry(t, 1)->protocol, PH_PROTO_PJSIP);
	assert_int_equal(ph_table_entry(t, 2)->protocol, PH_PROTO_IAX2);
	assert_int_equal(ph_table_entry(t, 3)->protocol, PH_PROTO_ZAP);
	assert_int_equal(ph_table_entry(t, 4)->protocol, PH_PROTO_EXTERNAL);
	assert_int_equal(ph_table_entry(t, 0)->active, 1);
	assert_int_equal(ph_table_entry(t, 1)->active, 0);
	assert_int_equal(ph_table_entry(t, 2)->active, 1);
	assert_int_equal(ph_table_entry(t, 3)->active, 0);
	/* lookups by number: the shared one is the first, ambiguous */
	assert_ptr_equal(unit_by_num(t, "5550"), ph_table_entry(t, 0));
	assert_true(unit_by_num(t, "5550")->flags & PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_ptr_equal(unit_by_num(t, "5553"), ph_table_entry(t, 2));
	assert_ptr_equal(unit_by_num(t, "5554"), ph_table_entry(t, 3));
	assert_null(unit_by_num(t, ""));
	assert_null(unit_by_ext(t, "nope"));
	/* the load's figures */
	assert_memory_equal(
			ph_table_counts(t), &before.counts, sizeof(before.counts));

	/* src is as it was, before and after the copy is freed */
	assert_table_is(src, &before);
	unit_table_free(t, &b);
	assert_table_is(src, &before);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_add_row(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_source(&a), *t;
	ph_row_t row = unit_row(
			"cc200", "5200", "pw200", "SIP", "Y", "127.0.0.3", "3125550200");
	table_snap_t before;
	const ph_entry_t *e;
	size_t i;

	(void)state;
	snap_table(&before, src);
	t = copy(src, &b, NULL, &row);
	assert_int_equal(ph_table_size(t), before.size + 1);
	for(i = 0; i < before.size; i++) {
		snap_t s = snap_of(t, before.e[i].extension);

		assert_snap_equal(&s, &before.e[i]);
	}
	/* the new row comes last */
	e = ph_table_entry(t, before.size);
	assert_ptr_equal(unit_by_ext(t, "cc200"), e);
	assert_ptr_equal(unit_by_num(t, "5200"), e);
	unit_assert_sv_str(e->extension, "cc200");
	unit_assert_sv_str(e->dialplan_number, "5200");
	unit_assert_sv_str(e->secret, "pw200");
	unit_assert_sv_str(e->server_ip, "127.0.0.3");
	unit_assert_sv_str(e->outbound_cid, "3125550200");
	assert_int_equal(e->protocol, PH_PROTO_SIP);
	assert_int_equal(e->active, 1);
	assert_int_equal(e->flags, 0);
	/* the counts, one row more */
	assert_int_equal(ph_table_counts(t)->rows, before.counts.rows + 1);
	assert_int_equal(ph_table_counts(t)->loaded, before.counts.loaded + 1);
	assert_int_equal(ph_table_counts(t)->skipped, before.counts.skipped);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 2);
	assert_counts_whole(t);

	/* src has not got it */
	assert_null(unit_by_ext(src, "cc200"));
	assert_null(unit_by_num(src, "5200"));
	assert_table_is(src, &before);
	unit_table_free(t, &b);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_add_row_values_copied(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_source(&a), *t;
	char ext[] = "cc201", num[] = "5201", pw[] = "pw201", ip[] = "127.0.0.4";
	ph_row_t row;

	(void)state;
	/* exactly sized values, without a NUL after them */
	row.extension = unit_field_len(unit_dup_exact(ext, 5), 5);
	row.dialplan_number = unit_field_len(unit_dup_exact(num, 4), 4);
	row.conf_secret = unit_field_len(unit_dup_exact(pw, 5), 5);
	row.protocol = unit_field_len(unit_dup_exact("EXTERNAL", 8), 8);
	row.active = unit_field_len(unit_dup_exact("N", 1), 1);
	row.server_ip = unit_field_len(unit_dup_exact(ip, 9), 9);
	row.outbound_cid = unit_field(NULL);
	t = copy(src, &b, NULL, &row);
	free((void *)row.extension.s);
	free((void *)row.dialplan_number.s);
	free((void *)row.conf_secret.s);
	free((void *)row.protocol.s);
	free((void *)row.active.s);
	free((void *)row.server_ip.s);
	/* the table holds its own copies */
	unit_assert_sv_str(unit_by_ext(t, "cc201")->extension, "cc201");
	unit_assert_sv_str(unit_by_ext(t, "cc201")->dialplan_number, "5201");
	unit_assert_sv_str(unit_by_ext(t, "cc201")->secret, "pw201");
	unit_assert_sv_str(unit_by_ext(t, "cc201")->server_ip, "127.0.0.4");
	unit_assert_sv_str(unit_by_ext(t, "cc201")->outbound_cid, "");
	assert_int_equal(unit_by_ext(t, "cc201")->protocol, PH_PROTO_EXTERNAL);
	assert_int_equal(unit_by_ext(t, "cc201")->active, 0);
	assert_ptr_equal(unit_by_num(t, "5201"), unit_by_ext(t, "cc201"));
	unit_table_free(t, &b);
	unit_table_free(src, &a);
}

static void test_copy_remove(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_source(&a), *t;
	table_snap_t before;
	char *key;
	size_t i;

	(void)state;
	snap_table(&before, src);
	/* the key is len bytes, without a NUL after them */
	key = unit_dup_exact("cc103", 5);
	{
		int reload = 1;

		unit_alloc_init(&b, -1);
		t = ph_table_copy_change(src, &b.allocator, key, 5, NULL, &reload);
		assert_non_null(t);
		assert_int_equal(reload, 0);
	}
	free(key);
	assert_int_equal(ph_table_size(t), before.size - 1);
	assert_null(unit_by_ext(t, "cc103"));
	assert_null(unit_by_num(t, "5553"));
	for(i = 0; i < before.size; i++) {
		snap_t s;

		if(strcmp(before.e[i].extension, "cc103") == 0)
			continue;
		s = snap_of(t, before.e[i].extension);
		assert_snap_equal(&s, &before.e[i]);
	}
	/* the others keep their order */
	unit_assert_sv_str(ph_table_entry(t, 0)->extension, "101");
	unit_assert_sv_str(ph_table_entry(t, 1)->extension, "102");
	unit_assert_sv_str(ph_table_entry(t, 2)->extension, "zap104");
	unit_assert_sv_str(ph_table_entry(t, 3)->extension, "ext105");
	assert_int_equal(ph_table_counts(t)->rows, before.counts.rows - 1);
	assert_int_equal(ph_table_counts(t)->loaded, before.counts.loaded - 1);
	assert_int_equal(ph_table_counts(t)->skipped, before.counts.skipped);
	assert_counts_whole(t);
	unit_table_free(t, &b);

	/* src still has it */
	assert_table_is(src, &before);
	assert_ptr_equal(unit_by_num(src, "5553"), unit_by_ext(src, "cc103"));

	/* only the extension given is removed: not a prefix, not another */
	t = copy(src, &b, "cc10", NULL);
	assert_int_equal(ph_table_size(t), before.size);
	assert_int_equal(ph_table_counts(t)->rows, before.counts.rows);
	unit_table_free(t, &b);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_remove_unknown(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_source(&a), *t;
	table_snap_t before;
	size_t i;

	(void)state;
	snap_table(&before, src);
	t = copy(src, &b, "nope", NULL);
	assert_int_equal(ph_table_size(t), before.size);
	for(i = 0; i < before.size; i++) {
		snap_t s;

		snap_entry(&s, ph_table_entry(t, i));
		assert_snap_equal(&s, &before.e[i]);
	}
	assert_memory_equal(
			ph_table_counts(t), &before.counts, sizeof(before.counts));
	unit_table_free(t, &b);

	/* an empty key removes nothing either */
	t = copy(src, &b, "", NULL);
	assert_int_equal(ph_table_size(t), before.size);
	unit_table_free(t, &b);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_replace(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_source(&a), *t;
	ph_row_t row = unit_row("cc103", "5603", "newpw", "EXTERNAL", "N",
			"127.0.0.3", "3125550603");
	table_snap_t before;
	const ph_entry_t *e;

	(void)state;
	snap_table(&before, src);
	t = copy(src, &b, "cc103", &row);
	assert_int_equal(ph_table_size(t), before.size);
	e = unit_by_ext(t, "cc103");
	assert_non_null(e);
	unit_assert_sv_str(e->dialplan_number, "5603");
	unit_assert_sv_str(e->secret, "newpw");
	unit_assert_sv_str(e->server_ip, "127.0.0.3");
	unit_assert_sv_str(e->outbound_cid, "3125550603");
	assert_int_equal(e->protocol, PH_PROTO_EXTERNAL);
	assert_int_equal(e->active, 0);
	assert_int_equal(e->flags, 0);
	/* the old number is gone, the new one found */
	assert_null(unit_by_num(t, "5553"));
	assert_ptr_equal(unit_by_num(t, "5603"), e);
	/* the replaced row moves to the end */
	assert_ptr_equal(ph_table_entry(t, before.size - 1), e);
	/* the others are as they were */
	{
		snap_t s = snap_of(t, "101");

		assert_snap_equal(&s, &before.e[0]);
		s = snap_of(t, "ext105");
		assert_snap_equal(&s, &before.e[4]);
	}
	/* as many rows as before */
	assert_int_equal(ph_table_counts(t)->rows, before.counts.rows);
	assert_int_equal(ph_table_counts(t)->loaded, before.counts.loaded);
	assert_int_equal(ph_table_counts(t)->skipped, before.counts.skipped);
	assert_counts_whole(t);

	/* src keeps the old values */
	assert_table_is(src, &before);
	unit_assert_sv_str(unit_by_ext(src, "cc103")->secret, "pw103");
	unit_table_free(t, &b);

	/* a removal and another extension added */
	row = unit_row("cc300", "5300", "pw300", "SIP", "Y", "127.0.0.3", NULL);
	t = copy(src, &b, "cc103", &row);
	assert_int_equal(ph_table_size(t), before.size);
	assert_null(unit_by_ext(t, "cc103"));
	assert_ptr_equal(unit_by_num(t, "5300"), unit_by_ext(t, "cc300"));
	assert_int_equal(ph_table_counts(t)->rows, before.counts.rows);
	assert_counts_whole(t);
	unit_table_free(t, &b);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_number_ambiguity_recomputed(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_source(&a), *t;
	ph_row_t row;
	table_snap_t before;

	(void)state;
	snap_table(&before, src);
	/* removing 101 leaves 102 alone with 5550: found, not ambiguous */
	t = copy(src, &b, "101", NULL);
	assert_int_equal(unit_by_ext(t, "102")->flags, 0);
	assert_ptr_equal(unit_by_num(t, "5550"), unit_by_ext(t, "102"));
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);
	unit_table_free(t, &b);
	/* the same removing 102 */
	t = copy(src, &b, "102", NULL);
	assert_int_equal(unit_by_ext(t, "101")->flags, 0);
	assert_ptr_equal(unit_by_num(t, "5550"), unit_by_ext(t, "101"));
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);
	unit_table_free(t, &b);
	/* replacing 101 with another number does the same */
	row = unit_row("101", "5551", "pw101", "SIP", "Y", "127.0.0.2", NULL);
	t = copy(src, &b, "101", &row);
	assert_int_equal(unit_by_ext(t, "102")->flags, 0);
	assert_int_equal(unit_by_ext(t, "101")->flags, 0);
	assert_ptr_equal(unit_by_num(t, "5550"), unit_by_ext(t, "102"));
	assert_ptr_equal(unit_by_num(t, "5551"), unit_by_ext(t, "101"));
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 0);
	unit_table_free(t, &b);
	/* replacing 101 keeping the number keeps both ambiguous */
	row = unit_row("101", "5550", "newpw", "SIP", "Y", "127.0.0.2", NULL);
	t = copy(src, &b, "101", &row);
	assert_int_equal(unit_by_ext(t, "102")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(unit_by_ext(t, "101")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_ptr_equal(unit_by_num(t, "5550"), unit_by_ext(t, "102"));
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 2);
	unit_table_free(t, &b);
	/* a new row taking cc103's number makes both ambiguous */
	row = unit_row("cc400", "5553", "pw", "SIP", "Y", "127.0.0.2", NULL);
	t = copy(src, &b, NULL, &row);
	assert_int_equal(unit_by_ext(t, "cc103")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(unit_by_ext(t, "cc400")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_ptr_equal(unit_by_num(t, "5553"), unit_by_ext(t, "cc103"));
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 4);
	unit_table_free(t, &b);
	/* and replacing cc103 so that it takes 5550 makes three */
	row = unit_row("cc103", "5550", "pw", "SIP", "Y", "127.0.0.3", NULL);
	t = copy(src, &b, "cc103", &row);
	assert_int_equal(unit_by_ext(t, "cc103")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_null(unit_by_num(t, "5553"));
	assert_ptr_equal(unit_by_num(t, "5550"), unit_by_ext(t, "101"));
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 3);
	unit_table_free(t, &b);

	/* src has kept its flags all along */
	assert_table_is(src, &before);
	assert_int_equal(unit_by_ext(src, "cc103")->flags, 0);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_three_share_a_number(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = unit_table_new(&a), *t;

	(void)state;
	assert_int_equal(
			unit_table_add(src, "a1", "777", "p", "SIP", "Y", "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(src, "a2", "777", "p", "SIP", "Y", "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(src, "a3", "777", "p", "SIP", "Y", "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(ph_table_counts(src)->ambiguous_numbers, 3);
	/* one of three gone: the other two still share it */
	t = copy(src, &b, "a1", NULL);
	assert_int_equal(unit_by_ext(t, "a2")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(unit_by_ext(t, "a3")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_ptr_equal(unit_by_num(t, "777"), unit_by_ext(t, "a2"));
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 2);
	unit_table_free(t, &b);
	t = copy(src, &b, "a3", NULL);
	assert_ptr_equal(unit_by_num(t, "777"), unit_by_ext(t, "a1"));
	assert_int_equal(unit_by_ext(t, "a1")->flags, PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(ph_table_counts(t)->ambiguous_numbers, 2);
	unit_table_free(t, &b);
	unit_table_free(src, &a);
}

/* A source with an extension on two servers (amb), and 101. */
static ph_table_t *load_ambiguous(unit_alloc_t *a)
{
	ph_table_t *t = unit_table_new(a);

	assert_int_equal(unit_table_add(t, "101", "5101", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "amb", "5200", "pw1", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "amb", "5201", "pw2", "SIP", "Y",
							 "127.0.0.3", NULL),
			PH_ROW_AMBIGUOUS);
	assert_int_equal(unit_table_add(t, "102", "5102", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_by_ext(t, "amb")->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);
	return t;
}

static void test_copy_extension_ambiguity_kept(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_ambiguous(&a), *t;
	ph_row_t row = unit_row("103", "5103", "pw", "SIP", "Y", "127.0.0.2", NULL);

	(void)state;
	t = copy(src, &b, "101", NULL);
	assert_int_equal(
			unit_by_ext(t, "amb")->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);
	/* the skipped row is still counted */
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS], 1);
	assert_int_equal(ph_table_counts(t)->rows, 3);
	assert_int_equal(ph_table_counts(t)->skipped, 1);
	assert_counts_whole(t);
	unit_table_free(t, &b);

	t = copy(src, &b, NULL, &row);
	assert_int_equal(
			unit_by_ext(t, "amb")->flags, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_int_equal(unit_by_ext(t, "103")->flags, 0);
	assert_int_equal(unit_by_ext(t, "101")->flags, 0);
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);
	assert_int_equal(ph_table_counts(t)->rows, 5);
	assert_int_equal(ph_table_counts(t)->skipped, 1);
	assert_counts_whole(t);
	unit_table_free(t, &b);
	unit_table_free(src, &a);
}

static void test_copy_needs_reload(void **state)
{
	unit_alloc_t a;
	ph_table_t *src = load_ambiguous(&a);
	ph_row_t row;
	table_snap_t before;

	(void)state;
	snap_table(&before, src);
	/* removing an ambiguous extension */
	assert_needs_reload(src, "amb", NULL);
	/* replacing it */
	row = unit_row("amb", "5200", "new", "SIP", "Y", "127.0.0.2", NULL);
	assert_needs_reload(src, "amb", &row);
	/* adding it on a third server */
	row = unit_row("amb", "5202", "pw3", "SIP", "Y", "127.0.0.4", NULL);
	assert_needs_reload(src, NULL, &row);
	/* adding an extension another entry has, on another server or its own */
	row = unit_row("101", "5101", "pw", "SIP", "Y", "127.0.0.3", NULL);
	assert_needs_reload(src, NULL, &row);
	row = unit_row("101", "5101", "pw", "SIP", "Y", "127.0.0.2", NULL);
	assert_needs_reload(src, NULL, &row);
	/* or while removing a different one */
	assert_needs_reload(src, "102", &row);
	assert_needs_reload(src, "nope", &row);
	/* src is untouched by all that */
	assert_table_is(src, &before);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_needs_reload_cleared(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_ambiguous(&a), *t;
	int reload = 1;

	(void)state;
	/* a successful copy clears *needs_reload */
	unit_alloc_init(&b, -1);
	t = ph_table_copy_change(src, &b.allocator, "101", 3, NULL, &reload);
	assert_non_null(t);
	assert_int_equal(reload, 0);
	unit_table_free(t, &b);
	/* and an out-of-memory failure does not set it */
	reload = 1;
	unit_alloc_init(&b, 0);
	assert_null(
			ph_table_copy_change(src, &b.allocator, "101", 3, NULL, &reload));
	assert_int_equal(reload, 0);
	assert_true(b.failures > 0);
	assert_int_equal(b.live, 0);
	unit_table_free(src, &a);
}

/* A source with rows skipped for every reason. */
static ph_table_t *load_with_skips(unit_alloc_t *a)
{
	ph_table_t *t = unit_table_new(a);
	char long_ext[PH_MAX_EXTENSION + 2];

	memset(long_ext, 'x', sizeof(long_ext) - 1);
	long_ext[sizeof(long_ext) - 1] = '\0';
	assert_int_equal(unit_table_add(t, "101", "5101", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(t, NULL, "5000", "pw", "SIP", "Y", "127.0.0.2", NULL),
			PH_ROW_NO_EXTENSION);
	assert_int_equal(unit_table_add(t, "bad1", "5001", "pw", "H323", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_BAD_PROTOCOL);
	assert_int_equal(unit_table_add(t, "bad2", "5002", "pw", NULL, "Y",
							 "127.0.0.2", NULL),
			PH_ROW_BAD_PROTOCOL);
	assert_int_equal(unit_table_add(t, long_ext, "5003", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_TOO_LONG);
	assert_int_equal(unit_table_add(t, "102", "5102", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "102", "5102", "pw", "SIP", "N",
							 "127.0.0.2", NULL),
			PH_ROW_DUPLICATE);
	assert_int_equal(unit_table_add(t, "amb", "5200", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "amb", "5201", "pw-b", "SIP", "Y",
							 "127.0.0.3", NULL),
			PH_ROW_AMBIGUOUS);
	assert_int_equal(unit_table_add(t, "103", "5103", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(ph_table_counts(t)->rows, 10);
	assert_int_equal(ph_table_counts(t)->loaded, 4);
	assert_int_equal(ph_table_counts(t)->skipped, 6);
	return t;
}

static void test_copy_counts_carried_over(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_with_skips(&a), *t;
	ph_table_counts_t want = *ph_table_counts(src);
	ph_row_t row;

	(void)state;
	/* unchanged */
	t = copy(src, &b, NULL, NULL);
	assert_memory_equal(ph_table_counts(t), &want, sizeof(want));
	unit_table_free(t, &b);

	/* one removed */
	t = copy(src, &b, "103", NULL);
	want = *ph_table_counts(src);
	want.rows--;
	want.loaded--;
	want.by_result[PH_ROW_LOADED]--;
	assert_memory_equal(ph_table_counts(t), &want, sizeof(want));
	unit_table_free(t, &b);

	/* one added */
	row = unit_row("104", "5104", "pw", "SIP", "Y", "127.0.0.2", NULL);
	t = copy(src, &b, NULL, &row);
	want = *ph_table_counts(src);
	want.rows++;
	want.loaded++;
	want.by_result[PH_ROW_LOADED]++;
	assert_memory_equal(ph_table_counts(t), &want, sizeof(want));
	unit_table_free(t, &b);

	/* one replaced */
	row = unit_row("103", "5113", "pw", "SIP", "Y", "127.0.0.2", NULL);
	t = copy(src, &b, "103", &row);
	want = *ph_table_counts(src);
	assert_memory_equal(ph_table_counts(t), &want, sizeof(want));
	unit_table_free(t, &b);

	/* a copy of a copy carries them on */
	row = unit_row("104", "5104", "pw", "SIP", "Y", "127.0.0.2", NULL);
	{
		unit_alloc_t c;
		ph_table_t *t2;

		t = copy(src, &b, NULL, &row);
		unit_alloc_init(&c, -1);
		{
			int reload = 1;

			t2 = ph_table_copy_change(t, &c.allocator, "101", 3, NULL, &reload);
			assert_non_null(t2);
			assert_int_equal(reload, 0);
		}
		/* the first copy is gone: the second holds its own strings */
		unit_table_free(t, &b);
		want = *ph_table_counts(src);
		assert_int_equal(ph_table_counts(t2)->rows, want.rows);
		assert_int_equal(ph_table_counts(t2)->loaded, want.loaded);
		assert_int_equal(ph_table_counts(t2)->skipped, want.skipped);
		assert_int_equal(ph_table_counts(t2)->by_result[PH_ROW_TOO_LONG], 1);
		assert_null(unit_by_ext(t2, "101"));
		unit_assert_sv_str(unit_by_ext(t2, "104")->extension, "104");
		unit_assert_sv_str(unit_by_ext(t2, "amb")->secret, "pw");
		assert_counts_whole(t2);
		unit_table_free(t2, &c);
	}
	unit_table_free(src, &a);
}

/* A row the table does not take still counts as a row, under its reason,
 * as ph_table_add_row counts it. */
static void test_copy_counts_refused_row(void **state)
{
	static const struct
	{
		const char *extension;
		const char *number;
		const char *protocol;
		ph_row_result_t why;
	} cases[] = {
			{"105", "5105", "H323", PH_ROW_BAD_PROTOCOL},
			{"105", "5105", NULL, PH_ROW_BAD_PROTOCOL},
			{"105", "123456789012345678901", "SIP", PH_ROW_TOO_LONG},
			{NULL, "5105", "SIP", PH_ROW_NO_EXTENSION},
			{"", "5105", "SIP", PH_ROW_NO_EXTENSION},
	};
	enum
	{
		NCASES = sizeof(cases) / sizeof(cases[0])
	};
	unit_alloc_t a, b;
	ph_table_t *src = load_with_skips(&a), *t;
	ph_table_counts_t want, got[NCASES];
	size_t i, size[NCASES], src_size = ph_table_size(src);
	ph_row_t row;

	(void)state;
	/* the copies are made and freed first, so that a failure leaks none */
	for(i = 0; i < NCASES; i++) {
		row = unit_row(cases[i].extension, cases[i].number, "pw",
				cases[i].protocol, "Y", "127.0.0.2", NULL);
		t = copy(src, &b, NULL, &row);
		size[i] = ph_table_size(t);
		assert_null(unit_by_num(t, "5105"));
		got[i] = *ph_table_counts(t);
		unit_table_free(t, &b);
	}
	want = *ph_table_counts(src);
	unit_table_free(src, &a);

	want.rows++;
	want.skipped++;
	for(i = 0; i < NCASES; i++) {
		/* the row is not held */
		assert_int_equal(size[i], src_size);
		assert_int_equal(got[i].rows, want.rows);
		assert_int_equal(got[i].loaded, want.loaded);
		assert_int_equal(got[i].skipped, want.skipped);
		/* and counted under its reason */
		if(got[i].by_result[cases[i].why] != want.by_result[cases[i].why] + 1)
			fail_msg("case %zu: by_result[%s] %zu, want %zu", i,
					ph_row_result_name(cases[i].why),
					got[i].by_result[cases[i].why],
					want.by_result[cases[i].why] + 1);
	}
}

static void test_copy_empty_table(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = unit_table_new(&a), *t;
	ph_row_t row = unit_row("101", "5101", "pw", "SIP", "Y", "127.0.0.2", NULL);
	static const ph_table_counts_t zero;

	(void)state;
	t = copy(src, &b, NULL, NULL);
	assert_int_equal(ph_table_size(t), 0);
	assert_null(unit_by_ext(t, "101"));
	assert_memory_equal(ph_table_counts(t), &zero, sizeof(zero));
	unit_table_free(t, &b);

	t = copy(src, &b, "101", NULL);
	assert_int_equal(ph_table_size(t), 0);
	assert_memory_equal(ph_table_counts(t), &zero, sizeof(zero));
	unit_table_free(t, &b);

	t = copy(src, &b, NULL, &row);
	assert_int_equal(ph_table_size(t), 1);
	assert_ptr_equal(unit_by_ext(t, "101"), ph_table_entry(t, 0));
	assert_ptr_equal(unit_by_num(t, "5101"), ph_table_entry(t, 0));
	assert_int_equal(ph_table_counts(t)->rows, 1);
	assert_int_equal(ph_table_counts(t)->loaded, 1);
	assert_counts_whole(t);
	unit_table_free(t, &b);
	unit_table_free(src, &a);
}

/* Many entries, over several segments of the table and index growths. */
static void test_copy_large(void **state)
{
	enum
	{
		N = 2500
	};
	unit_alloc_t a, b;
	ph_table_t *src = unit_table_new(&a), *t;
	char ext[32], num[32], want[32];
	const ph_entry_t *e;
	ph_row_t row;
	size_t i, j;

	(void)state;
	for(i = 0; i < N; i++) {
		snprintf(ext, sizeof(ext), "e%zu", i);
		snprintf(num, sizeof(num), "%zu", 100000 + i);
		assert_int_equal(unit_table_add(src, ext, num, ext, "SIP", "Y",
								 "127.0.0.2", NULL),
				PH_ROW_LOADED);
	}
	row = unit_row("new", "999", "pw", "SIP", "Y", "127.0.0.2", NULL);
	t = copy(src, &b, "e1234", &row);
	assert_int_equal(ph_table_size(t), N);
	assert_null(unit_by_ext(t, "e1234"));
	assert_null(unit_by_num(t, "101234"));
	for(i = 0, j = 0; i < N; i++) {
		if(i == 1234)
			continue;
		snprintf(ext, sizeof(ext), "e%zu", i);
		snprintf(num, sizeof(num), "%zu", 100000 + i);
		e = unit_by_ext(t, ext);
		if(e == NULL)
			fail_msg("%s lost", ext);
		assert_ptr_equal(unit_by_num(t, num), e);
		/* load order kept */
		assert_ptr_equal(ph_table_entry(t, j), e);
		snprintf(want, sizeof(want), "e%zu", i);
		unit_assert_sv_str(e->secret, want);
		j++;
	}
	assert_ptr_equal(ph_table_entry(t, N - 1), unit_by_ext(t, "new"));
	assert_int_equal(ph_table_counts(t)->rows, N);
	assert_counts_whole(t);
	unit_table_free(t, &b);
	/* src untouched */
	assert_int_equal(ph_table_size(src), N);
	assert_non_null(unit_by_ext(src, "e1234"));
	assert_ptr_equal(unit_by_num(src, "101234"), unit_by_ext(src, "e1234"));
	unit_table_free(src, &a);
}

/* Fails the nth allocation of the copy and every one after, for each n,
 * until the copy needs fewer: NULL each time, nothing left allocated, src
 * unchanged, and needs_reload not set. */
static size_t no_memory_every_step(
		const ph_table_t *src, const char *remove, const ph_row_t *row)
{
	table_snap_t before;
	unit_alloc_t b;
	ph_table_t *t;
	int reload;
	long n;

	snap_table(&before, src);
	for(n = 0;; n++) {
		assert_true(n < 10000);
		unit_alloc_init(&b, n);
		reload = 1;
		t = ph_table_copy_change(src, &b.allocator, remove,
				remove ? strlen(remove) : 0, row, &reload);
		assert_int_equal(reload, 0);
		if(t) {
			assert_int_equal(b.failures, 0);
			assert_int_equal(ph_table_memory(t), b.live_bytes);
			unit_table_free(t, &b);
			break;
		}
		assert_true(b.failures > 0);
		assert_int_equal(b.calls, (size_t)n + 1);
		if(b.live != 0)
			fail_msg("allocation %ld failed: %zu blocks leaked", n, b.live);
		assert_int_equal(b.live_bytes, 0);
		assert_table_is(src, &before);
	}
	snap_free(&before);
	return (size_t)n;
}

static void test_copy_no_memory(void **state)
{
	unit_alloc_t a;
	ph_table_t *src = unit_table_new(&a);
	ph_row_t row = unit_row("new", "5999", "pw", "SIP", "Y", "127.0.0.2", NULL);
	char ext[32], num[32];
	size_t i, plain, with_row, steps;

	(void)state;
	/* 32 entries: the row added grows both indexes */
	for(i = 0; i < 32; i++) {
		snprintf(ext, sizeof(ext), "e%zu", i);
		snprintf(num, sizeof(num), "%zu", 5000 + i);
		assert_int_equal(unit_table_add(src, ext, num, "pw", "SIP", "Y",
								 "127.0.0.2", NULL),
				PH_ROW_LOADED);
	}
	steps = no_memory_every_step(src, NULL, NULL);
	/* the table, its segment list, a segment, two indexes, strings */
	assert_true(steps >= 6);
	plain = steps;
	with_row = no_memory_every_step(src, NULL, &row);
	/* the added row needed allocations of its own, and each failed once */
	assert_true(with_row > plain);
	assert_true(no_memory_every_step(src, "e5", NULL) >= 6);
	assert_true(no_memory_every_step(src, "e5", &row) >= 6);
	row = unit_row("e5", "5999", "pw", "SIP", "Y", "127.0.0.2", NULL);
	assert_true(no_memory_every_step(src, "e5", &row) >= 6);
	unit_table_free(src, &a);
}

/* The same with more than a segment of entries. */
static void test_copy_no_memory_large(void **state)
{
	unit_alloc_t a;
	ph_table_t *src = unit_table_new(&a);
	ph_row_t row = unit_row("new", "1", "pw", "SIP", "Y", "127.0.0.2", NULL);
	char ext[32];
	size_t i, steps;

	(void)state;
	for(i = 0; i < 1100; i++) {
		snprintf(ext, sizeof(ext), "%zu", i);
		assert_int_equal(unit_table_add(src, ext, ext, ext, "SIP", "Y",
								 "127.0.0.2", NULL),
				PH_ROW_LOADED);
	}
	steps = no_memory_every_step(src, "7", &row);
	/* two segments, index growths up to 4096 slots each */
	assert_true(steps >= 15);
	unit_table_free(src, &a);
}

/* ---- entries with several home servers ---- */

/* A source with a device on three servers (100), one on one (101), an
 * extension with two home servers that a third row made ambiguous (amb),
 * and a device without a server (102). */
static ph_table_t *load_home(unit_alloc_t *a)
{
	ph_table_t *t = unit_table_new(a);

	assert_int_equal(unit_table_add(t, "100", "5100", "pw100", "PJSIP", "Y",
							 "127.0.0.2", "3125550100"),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "100", "5100", "pw100", "PJSIP", "Y",
							 "127.0.0.3", "3125550100"),
			PH_ROW_HOME_SERVER);
	assert_int_equal(unit_table_add(t, "101", "5101", "pw101", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "100", "5100", "pw100", "PJSIP", "Y",
							 "::1", "3125550100"),
			PH_ROW_HOME_SERVER);
	assert_int_equal(unit_table_add(t, "amb", "5200", "pw1", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(unit_table_add(t, "amb", "5200", "pw1", "SIP", "Y",
							 "127.0.0.3", NULL),
			PH_ROW_HOME_SERVER);
	assert_int_equal(unit_table_add(t, "amb", "5201", "pw2", "SIP", "Y",
							 "127.0.0.4", NULL),
			PH_ROW_AMBIGUOUS);
	assert_int_equal(
			unit_table_add(t, "102", "5102", "pw102", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	assert_int_equal(ph_table_counts(t)->rows, 8);
	assert_int_equal(ph_table_counts(t)->loaded, 4);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_HOME_SERVER], 3);
	assert_int_equal(ph_table_counts(t)->skipped, 1);
	return t;
}

/* The counts add up, home server rows being held but no entries. */
static void assert_home_counts_whole(const ph_table_t *t)
{
	const ph_table_counts_t *c = ph_table_counts(t);
	size_t i, sum = 0;

	assert_int_equal(c->loaded, ph_table_size(t));
	assert_int_equal(c->by_result[PH_ROW_LOADED], c->loaded);
	assert_int_equal(
			c->skipped, c->rows - c->loaded - c->by_result[PH_ROW_HOME_SERVER]);
	for(i = 0; i < PH_ROW_RESULT_COUNT; i++)
		sum += c->by_result[i];
	assert_int_equal(sum, c->rows);
}

/* The entry ext of t has these home servers, and is flagged so. */
static void assert_home(const ph_table_t *t, const char *ext,
		const char *servers, unsigned nservers, unsigned flags)
{
	const ph_entry_t *e = unit_by_ext(t, ext);

	if(e == NULL)
		fail_msg("no entry %s", ext);
	unit_assert_sv_str(e->servers, servers);
	assert_int_equal(e->nservers, nservers);
	assert_int_equal(e->flags, flags);
}

/* Every entry of t but skip (NULL: none) is as in src, servers and all. */
static void assert_home_entries_copied(
		const ph_table_t *t, const ph_table_t *src, const char *skip)
{
	const ph_entry_t *e, *c;
	snap_t a, b;
	size_t i;

	for(i = 0; i < ph_table_size(src); i++) {
		e = ph_table_entry(src, i);
		if(skip && e->extension.len == strlen(skip)
				&& memcmp(e->extension.s, skip, e->extension.len) == 0)
			continue;
		c = ph_table_by_extension(t, e->extension.s, e->extension.len);
		assert_non_null(c);
		snap_entry(&a, e);
		snap_entry(&b, c);
		assert_snap_equal(&b, &a);
		unit_assert_sv(c->servers, e->servers.s, e->servers.len);
		assert_int_equal(c->nservers, e->nservers);
		/* the copy's own strings */
		if(c->servers.len)
			assert_ptr_not_equal(c->servers.s, e->servers.s);
	}
}

static void test_copy_home_servers_kept(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_home(&a), *t;
	table_snap_t before;

	(void)state;
	snap_table(&before, src);
	assert_home(src, "100", "127.0.0.2,127.0.0.3,::1", 3, 0);
	assert_home(
			src, "amb", "127.0.0.2,127.0.0.3", 2, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_home(src, "102", "", 1, 0);

	/* unchanged: every server kept, in order; the same figures */
	t = copy(src, &b, NULL, NULL);
	assert_int_equal(ph_table_size(t), 4);
	assert_home(t, "100", "127.0.0.2,127.0.0.3,::1", 3, 0);
	unit_assert_sv_str(unit_by_ext(t, "100")->server_ip, "127.0.0.2");
	assert_home(t, "101", "127.0.0.2", 1, 0);
	assert_home(
			t, "amb", "127.0.0.2,127.0.0.3", 2, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_home(t, "102", "", 1, 0);
	assert_home_entries_copied(t, src, NULL);
	assert_ptr_equal(unit_by_num(t, "5100"), unit_by_ext(t, "100"));
	assert_memory_equal(
			ph_table_counts(t), &before.counts, sizeof(before.counts));
	assert_int_equal(ph_table_counts(t)->ambiguous_extensions, 1);
	unit_table_free(t, &b);

	/* another entry removed */
	t = copy(src, &b, "101", NULL);
	assert_int_equal(ph_table_size(t), 3);
	assert_null(unit_by_ext(t, "101"));
	assert_home(t, "100", "127.0.0.2,127.0.0.3,::1", 3, 0);
	assert_home(
			t, "amb", "127.0.0.2,127.0.0.3", 2, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_home_entries_copied(t, src, "101");
	assert_int_equal(ph_table_counts(t)->rows, 7);
	assert_int_equal(ph_table_counts(t)->loaded, 3);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_HOME_SERVER], 3);
	assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS], 1);
	assert_int_equal(ph_table_counts(t)->skipped, 1);
	assert_home_counts_whole(t);
	unit_table_free(t, &b);

	/* another entry replaced, and a new one added */
	{
		ph_row_t row =
				unit_row("101", "5111", "new", "SIP", "Y", "127.0.0.3", NULL);

		t = copy(src, &b, "101", &row);
		assert_home(t, "101", "127.0.0.3", 1, 0);
		assert_home(t, "100", "127.0.0.2,127.0.0.3,::1", 3, 0);
		assert_home_entries_copied(t, src, "101");
		assert_memory_equal(
				ph_table_counts(t), &before.counts, sizeof(before.counts));
		unit_table_free(t, &b);
		row = unit_row("103", "5103", "pw", "SIP", "Y", "::1", NULL);
		t = copy(src, &b, NULL, &row);
		assert_home(t, "103", "::1", 1, 0);
		assert_home_entries_copied(t, src, NULL);
		assert_int_equal(ph_table_counts(t)->rows, 9);
		assert_int_equal(ph_table_counts(t)->loaded, 5);
		assert_int_equal(ph_table_counts(t)->by_result[PH_ROW_HOME_SERVER], 3);
		assert_int_equal(ph_table_counts(t)->skipped, 1);
		assert_home_counts_whole(t);
		unit_table_free(t, &b);
	}
	assert_table_is(src, &before);
	snap_free(&before);
	unit_table_free(src, &a);
}

static void test_copy_home_servers_of_a_copy(void **state)
{
	unit_alloc_t a, b, c;
	ph_table_t *src = load_home(&a), *t, *t2;
	ph_table_counts_t want = *ph_table_counts(src);
	int reload = 1;

	(void)state;
	t = copy(src, &b, "101", NULL);
	unit_table_free(src, &a);
	unit_alloc_init(&c, -1);
	t2 = ph_table_copy_change(t, &c.allocator, "102", 3, NULL, &reload);
	assert_non_null(t2);
	assert_int_equal(reload, 0);
	/* the first copy gone, the second holds its own lists */
	unit_table_free(t, &b);
	assert_home(t2, "100", "127.0.0.2,127.0.0.3,::1", 3, 0);
	assert_home(
			t2, "amb", "127.0.0.2,127.0.0.3", 2, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_int_equal(ph_table_size(t2), 2);
	assert_int_equal(ph_table_counts(t2)->rows, want.rows - 2);
	assert_int_equal(ph_table_counts(t2)->loaded, want.loaded - 2);
	assert_int_equal(ph_table_counts(t2)->by_result[PH_ROW_HOME_SERVER],
			want.by_result[PH_ROW_HOME_SERVER]);
	assert_int_equal(ph_table_counts(t2)->skipped, want.skipped);
	assert_home_counts_whole(t2);
	assert_int_equal(ph_table_memory(t2), c.live_bytes);
	unit_table_free(t2, &c);
}

static void test_copy_home_servers_needs_reload(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = load_home(&a), *t;
	table_snap_t before;
	ph_row_t row;

	(void)state;
	snap_table(&before, src);
	/* removing an entry with several home servers */
	assert_needs_reload(src, "100", NULL);
	/* replacing it, even with the same values on one of its servers */
	row = unit_row(
			"100", "5100", "pw100", "PJSIP", "Y", "127.0.0.2", "3125550100");
	assert_needs_reload(src, "100", &row);
	row = unit_row("100", "5999", "other", "SIP", "N", "127.0.0.5", NULL);
	assert_needs_reload(src, "100", &row);
	/* adding one more server of it, or one it has */
	row = unit_row(
			"100", "5100", "pw100", "PJSIP", "Y", "127.0.0.5", "3125550100");
	assert_needs_reload(src, NULL, &row);
	row = unit_row("100", "5100", "pw100", "PJSIP", "Y", "::1", "3125550100");
	assert_needs_reload(src, NULL, &row);
	/* or while removing another entry */
	assert_needs_reload(src, "101", &row);
	/* the ambiguous one with two home servers too */
	assert_needs_reload(src, "amb", NULL);
	/* a device on one server becoming a device on two */
	row = unit_row("101", "5101", "pw101", "SIP", "Y", "127.0.0.3", NULL);
	assert_needs_reload(src, NULL, &row);
	/* src untouched by all that */
	assert_table_is(src, &before);
	assert_home(src, "100", "127.0.0.2,127.0.0.3,::1", 3, 0);

	/* the entries with one server are changed as before */
	row = unit_row("101", "5101", "pw101", "SIP", "Y", "127.0.0.3", NULL);
	t = copy(src, &b, "101", &row);
	assert_home(t, "101", "127.0.0.3", 1, 0);
	unit_table_free(t, &b);
	t = copy(src, &b, "102", NULL);
	assert_null(unit_by_ext(t, "102"));
	unit_table_free(t, &b);
	snap_free(&before);
	unit_table_free(src, &a);
}

/* A row without an address is no home server: the entry it meets is
 * ambiguous, and a copy keeps it so, with the load's figures. */
static void test_copy_home_server_without_address_counts(void **state)
{
	unit_alloc_t a, b;
	ph_table_t *src = unit_table_new(&a), *t;
	ph_table_counts_t want;

	(void)state;
	assert_int_equal(unit_table_add(src, "100", "5100", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_int_equal(
			unit_table_add(src, "100", "5100", "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_AMBIGUOUS);
	assert_int_equal(unit_table_add(src, "101", "5101", "pw", "SIP", "Y",
							 "127.0.0.2", NULL),
			PH_ROW_LOADED);
	assert_home(src, "100", "127.0.0.2", 1, PH_ENTRY_AMBIGUOUS_EXTENSION);
	want = *ph_table_counts(src);
	assert_int_equal(want.skipped, 1);
	assert_int_equal(want.by_result[PH_ROW_HOME_SERVER], 0);
	t = copy(src, &b, NULL, NULL);
	assert_home(t, "100", "127.0.0.2", 1, PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_memory_equal(ph_table_counts(t), &want, sizeof(want));
	unit_table_free(t, &b);
	unit_table_free(src, &a);
}

/* Out of memory while copying entries with several home servers, their
 * lists long enough to need arena blocks of their own. */
static void test_copy_home_servers_no_memory(void **state)
{
	unit_alloc_t a;
	ph_table_t *src = load_home(&a);
	ph_row_t row = unit_row("new", "5999", "pw", "SIP", "Y", "127.0.0.2", NULL);
	char ext[16], ip[32];
	size_t d, s, steps;

	(void)state;
	steps = no_memory_every_step(src, NULL, NULL);
	assert_true(steps >= 6);
	assert_true(no_memory_every_step(src, "101", &row) >= steps);
	/* 4 devices on 64 servers each: lists of 1023 bytes */
	for(d = 0; d < 4; d++) {
		snprintf(ext, sizeof(ext), "h%zu", d);
		for(s = 0; s < 64; s++) {
			snprintf(ip, sizeof(ip), "127.100.10%zu.1%02zu", d, s);
			assert_int_equal(
					unit_table_add(src, ext, NULL, "pw", "SIP", "Y", ip, NULL),
					s ? PH_ROW_HOME_SERVER : PH_ROW_LOADED);
		}
		assert_int_equal(unit_by_ext(src, ext)->servers.len, 1023);
	}
	assert_true(no_memory_every_step(src, NULL, NULL) > steps);
	assert_true(no_memory_every_step(src, "102", &row) > steps);
	unit_table_free(src, &a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_copy_without_change),
			cmocka_unit_test(test_copy_add_row),
			cmocka_unit_test(test_copy_add_row_values_copied),
			cmocka_unit_test(test_copy_remove),
			cmocka_unit_test(test_copy_remove_unknown),
			cmocka_unit_test(test_copy_replace),
			cmocka_unit_test(test_copy_number_ambiguity_recomputed),
			cmocka_unit_test(test_copy_three_share_a_number),
			cmocka_unit_test(test_copy_extension_ambiguity_kept),
			cmocka_unit_test(test_copy_needs_reload),
			cmocka_unit_test(test_copy_needs_reload_cleared),
			cmocka_unit_test(test_copy_counts_carried_over),
			cmocka_unit_test(test_copy_counts_refused_row),
			cmocka_unit_test(test_copy_empty_table),
			cmocka_unit_test(test_copy_large),
			cmocka_unit_test(test_copy_no_memory),
			cmocka_unit_test(test_copy_no_memory_large),
			cmocka_unit_test(test_copy_home_servers_kept),
			cmocka_unit_test(test_copy_home_servers_of_a_copy),
			cmocka_unit_test(test_copy_home_servers_needs_reload),
			cmocka_unit_test(test_copy_home_server_without_address_counts),
			cmocka_unit_test(test_copy_home_servers_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
