/*
 * kamailio-phones: unit tests of ph_table_change, a change of one phone
 * made as a small change table over the table it changes.
 *
 * The reference is ph_table_copy_change, the merged copy: after every
 * change of a long random sequence, the change table must answer every
 * lookup, list and count as the copy does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <stdio.h>

#include "unit.h"

#include "phones/phone_table.h"

#define EXTS 40
#define NUMS 80

static void name(char *buf, size_t size, const char *prefix, unsigned i)
{
	snprintf(buf, size, "%s%u", prefix, i);
}

static unsigned next_random(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) & 0x7fff;
}

/* e and f hold the same values (both NULL, or equal fields and flags). */
static void assert_same_entry(const ph_entry_t *e, const ph_entry_t *f,
		const char *what, const char *key, int step)
{
	if(e == NULL || f == NULL) {
		if(e != f)
			fail_msg("step %d: %s %s: %s in the change table, %s in the copy",
					step, what, key, e ? e->extension.s : "none",
					f ? f->extension.s : "none");
		return;
	}
	if(strcmp(e->extension.s, f->extension.s) != 0
			|| strcmp(e->dialplan_number.s, f->dialplan_number.s) != 0
			|| strcmp(e->secret.s, f->secret.s) != 0
			|| strcmp(e->server_ip.s, f->server_ip.s) != 0
			|| strcmp(e->servers.s, f->servers.s) != 0
			|| strcmp(e->outbound_cid.s, f->outbound_cid.s) != 0
			|| e->protocol != f->protocol || e->active != f->active
			|| e->flags != f->flags || e->nservers != f->nservers)
		fail_msg("step %d: %s %s: %s/%s/%s flags %d in the change table,"
				 " %s/%s/%s flags %d in the copy",
				step, what, key, e->extension.s, e->dialplan_number.s,
				e->secret.s, e->flags, f->extension.s, f->dialplan_number.s,
				f->secret.s, f->flags);
}

/* The change table t answers as the merged copy flat. */
static void assert_same_table(
		const ph_table_t *t, const ph_table_t *flat, int step)
{
	const ph_table_counts_t *a = ph_table_counts(t), *b = ph_table_counts(flat);
	char key[32], seen[EXTS + 8] = {0};
	const ph_entry_t *e;
	size_t i, shown = 0;
	unsigned k;

	for(k = 0; k < EXTS + 4; k++) {
		name(key, sizeof(key), "e", k);
		assert_same_entry(unit_by_ext(t, key), unit_by_ext(flat, key),
				"extension", key, step);
	}
	for(k = 0; k < NUMS + 4; k++) {
		name(key, sizeof(key), "n", k);
		assert_same_entry(ph_table_by_number(t, key, strlen(key)),
				ph_table_by_number(flat, key, strlen(key)), "number", key,
				step);
	}
	/* the list: each entry shown once, as many as loaded */
	for(i = 0; i < ph_table_size(t); i++) {
		e = ph_table_entry(t, i);
		if(e == NULL)
			continue;
		shown++;
		assert_true(e->extension.s[0] == 'e');
		k = (unsigned)atoi(e->extension.s + 1);
		assert_true(k < sizeof(seen));
		if(seen[k]++)
			fail_msg("step %d: %s listed twice", step, e->extension.s);
		assert_ptr_equal(unit_by_ext(t, e->extension.s), e);
	}
	assert_null(ph_table_entry(t, ph_table_size(t)));
	if(shown != a->loaded || a->loaded != b->loaded || a->rows != b->rows
			|| a->skipped != b->skipped
			|| a->ambiguous_extensions != b->ambiguous_extensions
			|| a->ambiguous_numbers != b->ambiguous_numbers)
		fail_msg("step %d: shown %zu, loaded %zu/%zu, rows %zu/%zu, skipped"
				 " %zu/%zu, ambiguous %zu/%zu %zu/%zu",
				step, shown, a->loaded, b->loaded, a->rows, b->rows,
				a->skipped, b->skipped, a->ambiguous_extensions,
				b->ambiguous_extensions, a->ambiguous_numbers,
				b->ambiguous_numbers);
	for(i = 0; i < PH_ROW_RESULT_COUNT; i++)
		if(a->by_result[i] != b->by_result[i])
			fail_msg("step %d: %s %zu, copy %zu", step,
					ph_row_result_name((ph_row_result_t)i), a->by_result[i],
					b->by_result[i]);
}

/* A base with what only a copy settles: a shared number, an extension on
 * two servers, an ambiguous extension. */
static ph_table_t *load_base(unit_alloc_t *a)
{
	ph_table_t *t = unit_table_new(a);
	char ext[32], num[32];
	unsigned i;

	for(i = 0; i < 20; i++) {
		name(ext, sizeof(ext), "e", i);
		name(num, sizeof(num), "n", i);
		assert_int_equal(unit_table_add(t, ext, num, "pw", "SIP", "Y",
								 "127.0.0.2", "3125550100"),
				PH_ROW_LOADED);
	}
	/* e20 shares n1 with e1; e21 is on two servers; e22 is ambiguous */
	unit_table_add(t, "e20", "n1", "pw", "SIP", "Y", "127.0.0.2", "");
	unit_table_add(t, "e21", "n21", "pw", "SIP", "Y", "127.0.0.2", "");
	unit_table_add(t, "e21", "n21", "pw", "SIP", "Y", "127.0.0.3", "");
	unit_table_add(t, "e22", "n22", "pw", "SIP", "Y", "127.0.0.2", "");
	unit_table_add(t, "e22", "n22", "other", "SIP", "Y", "127.0.0.3", "");
	assert_true(unit_by_ext(t, "e1")->flags & PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_int_equal(unit_by_ext(t, "e21")->nservers, 2);
	assert_true(unit_by_ext(t, "e22")->flags & PH_ENTRY_AMBIGUOUS_EXTENSION);
	return t;
}

/* One random change: an add, an update (new number or password, or none)
 * or a delete; *remove and *row say which. */
static void random_change(unsigned *seed, char *remove, ph_row_t *row,
		char *ext, char *num, char *secret, int *has_row, int *has_remove)
{
	unsigned op = next_random(seed) % 4;

	name(ext, 32, "e", next_random(seed) % EXTS);
	name(num, 32, "n", next_random(seed) % NUMS);
	name(secret, 32, "s", next_random(seed) % 5);
	*has_remove = op != 0; /* 0 add, 1 update, 2 update, 3 delete */
	*has_row = op != 3;
	if(*has_remove)
		strcpy(remove, ext);
	if(*has_row)
		*row = unit_row(ext, (next_random(seed) % 8) ? num : "", secret,
				(next_random(seed) % 6) ? "SIP" : "EXTERNAL",
				(next_random(seed) % 5) ? "Y" : "N", "127.0.0.2",
				"3125550199");
}

/* Long random sequences, with few changes held before a merge and with
 * many: the change table answers as the merged copy after each. */
static void run_sequence(unsigned seed, size_t max_changes, int steps)
{
	unit_alloc_t a, b;
	ph_table_t *t, *flat, *next, *next_flat;
	char remove[32], ext[32], num[32], secret[32];
	ph_row_t row;
	int step, has_row, has_remove, r1, r2, layered = 0;

	unit_alloc_init(&a, -1);
	unit_alloc_init(&b, -1);
	t = load_base(&a);
	flat = load_base(&b);
	for(step = 0; step < steps; step++) {
		random_change(&seed, remove, &row, ext, num, secret, &has_row,
				&has_remove);
		next = ph_table_change(t, &a.allocator, has_remove ? remove : NULL,
				has_remove ? strlen(remove) : 0, has_row ? &row : NULL,
				max_changes, &r1);
		next_flat = ph_table_copy_change(flat, &b.allocator,
				has_remove ? remove : NULL, has_remove ? strlen(remove) : 0,
				has_row ? &row : NULL, &r2);
		if(r1 != r2)
			fail_msg("step %d: needs_reload %d, copy %d", step, r1, r2);
		if(r1) {
			assert_null(next);
			assert_null(next_flat);
			continue;
		}
		assert_non_null(next);
		assert_non_null(next_flat);
		layered += ph_table_changes(next) > 0;
		/* the old tables go as their readers would drop them */
		ph_table_free(t);
		ph_table_free(flat);
		t = next;
		flat = next_flat;
		assert_same_table(t, flat, step);
		assert_true(ph_table_changes(t) <= max_changes);
	}
	/* many changes took the change table's way */
	if(layered < steps / 4)
		fail_msg("only %d of %d changes in a change table", layered, steps);
	ph_table_free(t);
	ph_table_free(flat);
	assert_int_equal(a.live, 0);
	assert_int_equal(b.live, 0);
}

static void test_random_sequences(void **state)
{
	unsigned seed;

	(void)state;
	for(seed = 1; seed <= 20; seed++) {
		run_sequence(seed, 8, 300);
		run_sequence(seed * 7919u, 100000, 300);
	}
}

/* The base stays while a change table holds it, whatever the order the
 * tables are dropped in; the last drop frees everything. */
static void test_base_held(void **state)
{
	unit_alloc_t a;
	ph_table_t *base, *c1, *c2;
	ph_row_t row;
	int reload;

	(void)state;
	unit_alloc_init(&a, -1);
	base = load_base(&a);
	row = unit_row("new1", "n100", "pw", "SIP", "Y", "127.0.0.2", "");
	c1 = ph_table_change(base, &a.allocator, NULL, 0, &row, 100, &reload);
	assert_non_null(c1);
	assert_int_equal(ph_table_changes(c1), 1);
	row = unit_row("new2", "n101", "pw", "SIP", "Y", "127.0.0.2", "");
	c2 = ph_table_change(c1, &a.allocator, "e3", 2, &row, 100, &reload);
	assert_non_null(c2);
	/* new1, new2 and e3's removal */
	assert_int_equal(ph_table_changes(c2), 3);
	ph_table_free(base);
	ph_table_free(c1);
	/* c2 still reads the base */
	assert_non_null(unit_by_ext(c2, "e4"));
	assert_null(unit_by_ext(c2, "e3"));
	assert_null(ph_table_by_number(c2, "n3", 2));
	assert_non_null(unit_by_ext(c2, "new1"));
	assert_non_null(ph_table_by_number(c2, "n101", 4));
	assert_true(a.live > 0);
	ph_table_free(c2);
	assert_int_equal(a.live, 0);
}

/* A change held: the old table still shows the old entry, the new one the
 * new; a lookup never sees a mix. */
static void test_old_and_new_apart(void **state)
{
	unit_alloc_t a;
	ph_table_t *base, *c;
	ph_row_t row;
	int reload;

	(void)state;
	unit_alloc_init(&a, -1);
	base = load_base(&a);
	row = unit_row("e5", "n99", "new", "EXTERNAL", "Y", "127.0.0.2", "");
	c = ph_table_change(base, &a.allocator, "e5", 2, &row, 100, &reload);
	assert_non_null(c);
	assert_string_equal(unit_by_ext(base, "e5")->secret.s, "pw");
	assert_string_equal(unit_by_ext(c, "e5")->secret.s, "new");
	assert_string_equal(unit_by_ext(c, "e5")->dialplan_number.s, "n99");
	assert_non_null(ph_table_by_number(base, "n5", 2));
	assert_null(ph_table_by_number(c, "n5", 2));
	assert_ptr_equal(ph_table_by_number(c, "n99", 3), unit_by_ext(c, "e5"));
	assert_int_equal(ph_table_counts(c)->loaded, ph_table_counts(base)->loaded);
	ph_table_free(c);
	ph_table_free(base);
	assert_int_equal(a.live, 0);
}

/* A phone deleted, then added again with a row the table refuses (the
 * API writes it; a reload decides): the removal held for it stays, and
 * the base's old entry must not show through again. */
static void test_refused_row_after_delete(void **state)
{
	unit_alloc_t a;
	ph_table_t *base, *c1, *c2;
	ph_row_t row;
	int reload;

	(void)state;
	unit_alloc_init(&a, -1);
	base = load_base(&a);
	c1 = ph_table_change(base, &a.allocator, "e5", 2, NULL, 100, &reload);
	assert_non_null(c1);
	assert_null(unit_by_ext(c1, "e5"));
	row = unit_row("e5", "n5", "pw", "Carrier-Pigeon", "Y", "127.0.0.2", "");
	c2 = ph_table_change(c1, &a.allocator, NULL, 0, &row, 100, &reload);
	assert_non_null(c2);
	assert_false(reload);
	assert_null(unit_by_ext(c2, "e5"));
	assert_null(ph_table_by_number(c2, "n5", 2));
	assert_int_equal(ph_table_counts(c2)->loaded, ph_table_counts(c1)->loaded);
	assert_int_equal(
			ph_table_counts(c2)->skipped, ph_table_counts(c1)->skipped + 1);
	ph_table_free(c2);
	ph_table_free(c1);
	ph_table_free(base);
	assert_int_equal(a.live, 0);
}

/* Out of memory half-way: NULL, nothing leaked, the source unchanged. */
static void test_change_no_memory(void **state)
{
	unit_alloc_t a;
	ph_table_t *base, *c1, *c2;
	ph_row_t row;
	long n;
	int reload;

	(void)state;
	unit_alloc_init(&a, -1);
	base = load_base(&a);
	row = unit_row("new1", "n100", "pw", "SIP", "Y", "127.0.0.2", "");
	c1 = ph_table_change(base, &a.allocator, "e2", 2, &row, 100, &reload);
	assert_non_null(c1);
	for(n = 0; n < 12; n++) {
		size_t live = a.live;

		a.remaining = n;
		row = unit_row("new2", "n101", "pw", "SIP", "Y", "127.0.0.2", "");
		c2 = ph_table_change(c1, &a.allocator, "e3", 2, &row, 100, &reload);
		a.remaining = -1;
		if(c2) {
			ph_table_free(c2);
			break;
		}
		assert_int_equal(reload, 0);
		assert_int_equal(a.live, live);
		assert_null(unit_by_ext(c1, "new2"));
		assert_non_null(unit_by_ext(c1, "e3"));
	}
	assert_true(n < 12);
	ph_table_free(c1);
	ph_table_free(base);
	assert_int_equal(a.live, 0);
}

/* ---- readers and a writer at once ---- */

/* The published table and a lock, as the module's store holds them. */
typedef struct shared
{
	pthread_mutex_t lock;
	ph_table_t *current;
	int stop;
	unsigned long lookups, misses;
} shared_t;

/* Readers take a reference under the lock (ph_table_change's tables count
 * them atomically), look up, and drop it. Every extension e0..e19 is
 * always there, with a password it was given. */
static void *reader(void *arg)
{
	shared_t *s = arg;
	const ph_entry_t *e;
	char ext[32];
	ph_table_t *t;
	unsigned i = 0;

	while(!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&s->lock);
		t = s->current;
		ph_table_ref(t);
		pthread_mutex_unlock(&s->lock);
		name(ext, sizeof(ext), "e", i++ % 20);
		e = unit_by_ext(t, ext);
		if(e == NULL || (e->secret.s[0] != 'p' && e->secret.s[0] != 's'))
			__atomic_add_fetch(&s->misses, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&s->lookups, 1, __ATOMIC_RELAXED);
		ph_table_free(t);
	}
	return NULL;
}

static void test_concurrent_readers(void **state)
{
	pthread_t threads[3];
	ph_table_t *t, *next, *old;
	char ext[32], secret[32];
	shared_t s;
	ph_row_t row;
	int i, reload;

	(void)state;
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.lock, NULL);
	t = ph_table_new(&ph_allocator_libc);
	assert_non_null(t);
	for(i = 0; i < 20; i++) {
		name(ext, sizeof(ext), "e", (unsigned)i);
		row = unit_row(ext, "", "pw", "SIP", "Y", "127.0.0.2", "");
		assert_int_equal(ph_table_add_row(t, &row), PH_ROW_LOADED);
	}
	s.current = t;
	for(i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, reader, &s), 0);
	/* the writer: updates of e0..e19 and adds of others, merged now and
	 * then (max 16 changes) */
	for(i = 0; i < 3000; i++) {
		name(ext, sizeof(ext), "e", (unsigned)(i % 20));
		name(secret, sizeof(secret), "s", (unsigned)i);
		row = unit_row(ext, "", secret, "SIP", "Y", "127.0.0.2", "");
		next = ph_table_change(
				s.current, &ph_allocator_libc, ext, strlen(ext), &row, 16,
				&reload);
		assert_non_null(next);
		pthread_mutex_lock(&s.lock);
		old = s.current;
		s.current = next;
		pthread_mutex_unlock(&s.lock);
		ph_table_free(old);
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	for(i = 0; i < 3; i++)
		pthread_join(threads[i], NULL);
	assert_true(s.lookups > 0);
	assert_int_equal(s.misses, 0);
	ph_table_free(s.current);
	pthread_mutex_destroy(&s.lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_random_sequences),
			cmocka_unit_test(test_base_held),
			cmocka_unit_test(test_old_and_new_apart),
			cmocka_unit_test(test_refused_row_after_delete),
			cmocka_unit_test(test_change_no_memory),
			cmocka_unit_test(test_concurrent_readers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
