/*
 * kamailio-phones: the snapshot store and the reload guard under
 * concurrent readers and writers (threads), as the module's SIP workers,
 * reloads and API changes use them. Also run under ThreadSanitizer
 * (make unit-tsan) and AddressSanitizer (make unit-san).
 *
 * Writers take the reload guard as the module does: a reload tries it and
 * is turned away when busy, a change of one phone or of the devices waits
 * for it. Every reload publishes a new generation: a table, rules and peers
 * made as a matched pair (the table's first entry "g<gen>", the rule's id
 * and the peers' port are gen); every publish numbers its table ("s<seq>",
 * the table's second entry), and every devices publish its devices.
 * Readers check that a snapshot is always one whole generation, and that
 * what they see never goes back. At the end everything allocated, through
 * one counting allocator, must have been given back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "unit.h"

#include "phones/reload_guard.h"
#include "phones/snapshot_store.h"

#define READERS 4
#define WRITERS 3
#define WRITER_STEPS 400

/* ---- host interfaces over pthreads and the C library ---- */

static void mutex_lock(void *ctx)
{
	pthread_mutex_lock(ctx);
}

static void mutex_unlock(void *ctx)
{
	pthread_mutex_unlock(ctx);
}

static void clock_pause(void *ctx)
{
	(void)ctx;
	sched_yield();
}

/* A thread-safe allocator that counts the blocks it has out. */
static long live_blocks;
static unsigned long total_blocks;

static void *count_alloc(void *ctx, size_t size)
{
	void *p;

	(void)ctx;
	p = malloc(size);
	if(p) {
		__atomic_add_fetch(&live_blocks, 1, __ATOMIC_RELAXED);
		__atomic_add_fetch(&total_blocks, 1, __ATOMIC_RELAXED);
	}
	return p;
}

static void count_release(void *ctx, void *p)
{
	(void)ctx;
	if(p == NULL)
		return;
	__atomic_sub_fetch(&live_blocks, 1, __ATOMIC_RELAXED);
	free(p);
}

static const ph_allocator_t counting = {count_alloc, count_release, NULL};

/* ---- what the threads share ---- */

typedef struct shared
{
	ph_store_t *store;
	ph_reload_guard_t *guard;
	/* changed only inside the guard */
	unsigned gen;  /* of the current rules box */
	unsigned seq;  /* of the current table */
	unsigned dseq; /* of the current devices */
	/* counted by the threads, read at the end */
	int stop;
	unsigned long reads, bad, empty, reloads, busy, changes, device_sets;
	char why[160]; /* the first bad read */
} shared_t;

static void bad(shared_t *s, const char *fmt, unsigned a, unsigned b)
{
	if(__atomic_add_fetch(&s->bad, 1, __ATOMIC_RELAXED) == 1)
		snprintf(s->why, sizeof(s->why), fmt, a, b);
}

/* The number after the first character of an entry's extension. */
static unsigned mark_of(const ph_entry_t *e)
{
	return e ? (unsigned)strtoul(e->extension.s + 1, NULL, 10) : 0;
}

/* A table of generation gen, publish number seq. Returns NULL only when a
 * row cannot be added (the counting allocator never fails). */
static ph_table_t *make_table(unsigned gen, unsigned seq)
{
	ph_table_t *t = ph_table_new(&counting);
	char g[32], q[32];

	if(t == NULL)
		return NULL;
	snprintf(g, sizeof(g), "g%u", gen);
	snprintf(q, sizeof(q), "s%u", seq);
	if(unit_table_add(t, g, "", "pw", "SIP", "Y", "127.0.0.2", "")
					!= PH_ROW_LOADED
			|| unit_table_add(t, q, "", "pw", "SIP", "Y", "127.0.0.2", "")
					   != PH_ROW_LOADED) {
		ph_table_free(t);
		return NULL;
	}
	return t;
}

static ph_rules_t *make_rules(unsigned gen)
{
	ph_rule_row_t row = unit_rule_row(gen, 0, "^9", "", "sip:127.0.0.5", "");
	ph_rules_t *r = ph_rules_new(&counting);
	char err[128];

	if(r && ph_rules_add(r, &row, err, sizeof(err)) != 0) {
		ph_rules_free(r);
		r = NULL;
	}
	return r;
}

static ph_devices_t *make_devices(unsigned dseq)
{
	ph_devices_t *d = ph_devices_new(&counting);
	ph_device_row_t row;
	char ext[32];

	if(d == NULL)
		return NULL;
	snprintf(ext, sizeof(ext), "d%u", dseq);
	row.extension = unit_field(ext);
	row.device = unit_field("100");
	row.position = unit_field("1");
	row.ring_seconds = unit_field("20");
	row.active = unit_field("Y");
	if(ph_devices_add_row(d, &row) != PH_DEVICE_LOADED) {
		ph_devices_free(d);
		return NULL;
	}
	return d;
}

/* ---- readers: SIP workers ---- */

static void *reader(void *arg)
{
	shared_t *s = arg;
	unsigned last_gen = 0, last_seq = 0, last_dseq = 0, gen, seq;
	ph_snapshot_t *snap;
	ph_devices_ref_t *dev;
	const ph_entry_t *e;

	while(!__atomic_load_n(&s->stop, __ATOMIC_ACQUIRE)) {
		snap = ph_store_acquire(s->store);
		if(snap == NULL) {
			__atomic_add_fetch(&s->empty, 1, __ATOMIC_RELAXED);
		} else {
			gen = ph_peers_server_port(snap->peers);
			if(ph_rules_count(snap->rules) != 1
					|| ph_rule_id(ph_rules_at(snap->rules, 0)) != gen)
				bad(s, "rules of generation %u with peers of %u",
						(unsigned)ph_rule_id(ph_rules_at(snap->rules, 0)), gen);
			if(ph_table_size(snap->table) != 2
					|| mark_of(ph_table_entry(snap->table, 0)) != gen)
				bad(s, "a table of generation %u with rules of %u",
						mark_of(ph_table_entry(snap->table, 0)), gen);
			seq = mark_of(ph_table_entry(snap->table, 1));
			e = ph_table_by_extension(snap->table,
					ph_table_entry(snap->table, 1)->extension.s,
					ph_table_entry(snap->table, 1)->extension.len);
			if(e == NULL || strcmp(e->secret.s, "pw") != 0)
				bad(s, "table %u: its own entry not found (%u)", seq, 0);
			if(gen < last_gen || seq < last_seq)
				bad(s, "went back to table %u after %u", seq, last_seq);
			last_gen = gen;
			last_seq = seq;
			ph_store_release(s->store, snap);
		}
		dev = ph_store_devices_acquire(s->store);
		if(dev) {
			if(ph_devices_count(dev->devices) != 1)
				bad(s, "devices %u: %u rows", last_dseq,
						(unsigned)ph_devices_count(dev->devices));
			seq = (unsigned)strtoul(
					ph_devices_at(dev->devices, 0)->extension.s + 1, NULL, 10);
			if(seq < last_dseq)
				bad(s, "went back to devices %u after %u", seq, last_dseq);
			last_dseq = seq;
			ph_store_devices_release(s->store, dev);
		}
		__atomic_add_fetch(&s->reads, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* ---- writers: reloads, changes of one phone, changes of devices ---- */

/* A reload: a new generation, turned away when another runs. */
static void reload(shared_t *s)
{
	ph_table_t *t;
	ph_rules_t *r;
	ph_peers_t *p;
	ph_devices_t *d;
	uint64_t start;

	if(!ph_reload_try_begin(s->guard)) {
		__atomic_add_fetch(&s->busy, 1, __ATOMIC_RELAXED);
		return;
	}
	start = ph_clock_libc.ms(NULL);
	sched_yield(); /* loading takes a while: others run into the guard */
	t = make_table(s->gen + 1, s->seq + 1);
	r = make_rules(s->gen + 1);
	p = ph_peers_new(&counting, (uint16_t)(s->gen + 1));
	d = make_devices(s->dseq + 1);
	if(t == NULL || r == NULL || p == NULL || d == NULL
			|| ph_store_publish(s->store, t, r, p) < 0) {
		bad(s, "reload %u failed (%u)", s->gen + 1, 0);
		ph_table_free(t);
		ph_rules_free(r);
		ph_peers_free(p);
		ph_devices_free(d);
	} else {
		s->gen++;
		s->seq++;
		if(ph_store_publish_devices(s->store, d) == 0)
			s->dseq++;
		else
			ph_devices_free(d);
		ph_reload_published(s->guard, (unsigned)(ph_clock_libc.ms(NULL) - start));
		__atomic_add_fetch(&s->reloads, 1, __ATOMIC_RELAXED);
	}
	ph_reload_end(s->guard);
}

/* A change of one phone: a new table with the current rules. */
static void change(shared_t *s)
{
	ph_table_t *t;

	ph_reload_hold(s->guard);
	sched_yield();
	if(s->gen > 0) {
		t = make_table(s->gen, s->seq + 1);
		if(t == NULL || ph_store_publish_table(s->store, t) < 0) {
			bad(s, "change %u failed (%u)", s->seq + 1, 0);
			ph_table_free(t);
		} else {
			s->seq++;
			__atomic_add_fetch(&s->changes, 1, __ATOMIC_RELAXED);
		}
	}
	ph_reload_end(s->guard);
}

static void change_devices(shared_t *s)
{
	ph_devices_t *d;

	ph_reload_hold(s->guard);
	d = make_devices(s->dseq + 1);
	if(d == NULL || ph_store_publish_devices(s->store, d) < 0) {
		bad(s, "devices %u failed (%u)", s->dseq + 1, 0);
		ph_devices_free(d);
	} else {
		s->dseq++;
		__atomic_add_fetch(&s->device_sets, 1, __ATOMIC_RELAXED);
	}
	ph_reload_end(s->guard);
}

typedef struct writer_arg
{
	shared_t *s;
	unsigned seed;
} writer_arg_t;

static void *writer(void *arg)
{
	writer_arg_t *w = arg;
	unsigned i, pick;

	for(i = 0; i < WRITER_STEPS; i++) {
		w->seed = w->seed * 1103515245u + 12345u;
		pick = (w->seed >> 16) % 8;
		sched_yield(); /* the next request comes a little later */
		if(pick < 2)
			reload(w->s);
		else if(pick < 7)
			change(w->s);
		else
			change_devices(w->s);
	}
	return NULL;
}

static void test_readers_and_writers(void **state)
{
	pthread_mutex_t store_lock, guard_lock;
	ph_lock_t slock = {mutex_lock, mutex_unlock, &store_lock};
	ph_lock_t glock = {mutex_lock, mutex_unlock, &guard_lock};
	ph_clock_t clock = ph_clock_libc;
	pthread_t readers[READERS], writers[WRITERS];
	writer_arg_t wargs[WRITERS];
	shared_t s;
	int i;

	(void)state;
	clock.pause = clock_pause; /* a yield: threads, not processes */
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&store_lock, NULL);
	pthread_mutex_init(&guard_lock, NULL);
	s.store = ph_store_new(&counting, &slock);
	s.guard = ph_reload_guard_new(&counting, &glock, &clock);
	assert_non_null(s.store);
	assert_non_null(s.guard);

	for(i = 0; i < READERS; i++)
		assert_int_equal(pthread_create(&readers[i], NULL, reader, &s), 0);
	for(i = 0; i < WRITERS; i++) {
		wargs[i].s = &s;
		wargs[i].seed = 7u + 31u * (unsigned)i;
		assert_int_equal(
				pthread_create(&writers[i], NULL, writer, &wargs[i]), 0);
	}
	for(i = 0; i < WRITERS; i++)
		pthread_join(writers[i], NULL);
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELEASE);
	for(i = 0; i < READERS; i++)
		pthread_join(readers[i], NULL);

	print_message("%lu reads (%lu before the first reload), %lu reloads"
				  " (%lu turned away), %lu changes, %lu device sets\n",
			s.reads, s.empty, s.reloads, s.busy, s.changes, s.device_sets);
	if(s.bad)
		fail_msg("%lu bad reads, the first: %s", s.bad, s.why);
	assert_true(s.reads > 0);
	assert_true(s.reloads > 0);
	assert_true(s.changes > 0);
	/* (a change before the first reload does nothing) */
	assert_true(s.reloads + s.busy + s.changes + s.device_sets
				<= (unsigned long)WRITERS * WRITER_STEPS);
	assert_int_equal(s.seq, s.reloads + s.changes);
	assert_int_equal(s.gen, s.reloads);
	assert_int_equal(s.dseq, s.reloads + s.device_sets);
	assert_true(ph_reload_last(s.guard) > 0);

	ph_store_free(s.store);
	ph_reload_guard_free(s.guard);
	assert_int_equal(__atomic_load_n(&live_blocks, __ATOMIC_RELAXED), 0);
	assert_true(total_blocks > 0);
	pthread_mutex_destroy(&store_lock);
	pthread_mutex_destroy(&guard_lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_readers_and_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
