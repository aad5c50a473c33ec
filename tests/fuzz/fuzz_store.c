/*
 * kamailio-phones: fuzzing the snapshot store (core/snapshot_store.c),
 * the reload guard (core/reload_guard.c) and the refusal policy
 * (core/reload_policy.c) against a model.
 *
 * Input (binary): 8 bytes, little-endian, say which of the store's first
 * 64 allocations fail (bit i: allocation i, the store itself being 0);
 * then operations of 2 bytes, what and an argument: acquire the snapshot;
 * release a held one; publish a new table, rules and peers (rules or peers
 * NULL by the argument); publish a table with the current rules; publish
 * devices; acquire devices; release held devices; try to begin a reload;
 * end it; hold (when a reload runs, "it" ends after 1 to 4 pauses); record
 * a publish; and the refusal policy, which takes 9 more bytes (old and new
 * entries, 32 bits each, and how far to shift them up).
 *
 * Every table, rules, peers and devices is made over an allocator of its
 * own, so the harness knows which are alive. Checked after each
 * operation: a publish fails exactly when the model's allocation fails
 * (or nothing is published for a table), leaving the caller's objects
 * alive; what is acquired is the current snapshot, with the model's
 * reference counts and its box's; an object is freed exactly when the
 * model's last reference to it goes, and as many are alive as the model
 * says; the lock is taken and let go in pairs, never held across an
 * allocation or a free, nor during a hold's pause; the guard turns away a
 * second reload and a hold waits for the running one; the last publish
 * is the clock's; the policy's answer is the model's, word for word. At
 * the end, everything released and the store freed, nothing is left.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "phones/reload_guard.h"
#include "phones/reload_policy.h"
#include "phones/snapshot_store.h"

#define MAX_OBJECTS 2048 /* each operation makes 3 at most */
#define MAX_HELD 32

/* ---- the lock, checked ---- */

static int lock_held;

static void FZ_NO_COVERAGE check_lock(void *ctx)
{
	(void)ctx;
	fz_check(!lock_held, "the lock taken twice");
	lock_held = 1;
}

static void FZ_NO_COVERAGE check_unlock(void *ctx)
{
	(void)ctx;
	fz_check(lock_held, "the lock let go but not held");
	lock_held = 0;
}

static const ph_lock_t test_lock = {check_lock, check_unlock, NULL};

/* ---- the store's allocator: fz_alloc_t, never under the lock ---- */

static void *FZ_NO_COVERAGE store_alloc(void *ctx, size_t size)
{
	fz_check(!lock_held, "an allocation under the lock");
	return fz_alloc_alloc(ctx, size);
}

static void FZ_NO_COVERAGE store_release(void *ctx, void *p)
{
	fz_check(!lock_held, "a free under the lock");
	fz_alloc_release(ctx, p);
}

/* ---- objects, each over an allocator that says whether it is alive ---- */

typedef struct tracker
{
	ph_allocator_t allocator; /* ctx points to this tracker */
	size_t live;			  /* blocks out */
} tracker_t;

static tracker_t trackers[MAX_OBJECTS];
static size_t ntrackers;
static size_t alive_objects; /* trackers with blocks out */
static size_t model_alive;	 /* objects the model says are alive */

static void *FZ_NO_COVERAGE tracker_alloc(void *ctx, size_t size)
{
	tracker_t *t = ctx;
	void *p;

	fz_check(!lock_held, "an allocation under the lock");
	p = malloc(size ? size : 1);
	if(p == NULL)
		abort();
	if(t->live++ == 0)
		alive_objects++;
	return p;
}

static void FZ_NO_COVERAGE tracker_release(void *ctx, void *p)
{
	tracker_t *t = ctx;

	fz_check(!lock_held, "a free under the lock");
	if(p == NULL)
		return;
	fz_check(t->live > 0, "an object freed twice");
	if(--t->live == 0)
		alive_objects--;
	free(p);
}

static tracker_t *FZ_NO_COVERAGE tracker_new(void)
{
	tracker_t *t = &trackers[ntrackers++];

	fz_check(ntrackers <= MAX_OBJECTS, "too many objects");
	t->allocator.alloc = tracker_alloc;
	t->allocator.release = tracker_release;
	t->allocator.ctx = t;
	t->live = 0;
	model_alive++;
	return t;
}

/* An object the model says was freed: its tracker must agree. */
static void FZ_NO_COVERAGE gone(tracker_t *t, const char *what)
{
	fz_check(t->live == 0, "%s not freed", what);
	model_alive--;
}

/* ---- the model ---- */

typedef struct box_model
{
	ph_rules_t *rules;
	ph_peers_t *peers;
	tracker_t *rt, *pt; /* NULL for a NULL rules or peers */
	int snapshots;		/* alive that share it */
} box_model_t;

typedef struct snap_model
{
	ph_table_t *table;
	tracker_t *tt;
	int box;
	int refs; /* held by readers, and by the store when current */
} snap_model_t;

typedef struct dev_model
{
	ph_devices_t *devices;
	tracker_t *t;
	int refs;
} dev_model_t;

typedef struct model
{
	ph_store_t *store;
	fz_alloc_t store_mem;
	ph_reload_guard_t *guard;
	fz_alloc_t guard_mem;

	box_model_t boxes[MAX_OBJECTS];
	snap_model_t snaps[MAX_OBJECTS];
	dev_model_t devs[MAX_OBJECTS];
	int nboxes, nsnaps, ndevs;
	int current, current_devs; /* -1: none */

	ph_snapshot_t *held[MAX_HELD];
	int held_snap[MAX_HELD];
	int nheld;
	ph_devices_ref_t *held_devs[MAX_HELD];
	int held_dev[MAX_HELD];
	int nheld_devs;

	/* the guard and the clock */
	int running;
	unsigned end_after; /* pauses before the running reload ends; 0: never */
	unsigned pauses;
	time_t now;
	time_t last;
	unsigned last_ms;
} model_t;

static model_t m;

static time_t FZ_NO_COVERAGE fake_now(void *ctx)
{
	(void)ctx;
	return m.now;
}

static uint64_t FZ_NO_COVERAGE fake_ms(void *ctx)
{
	(void)ctx;
	return (uint64_t)m.now * 1000;
}

/* A hold's pause: the running reload (another process, in the model) ends
 * after end_after of them. */
static void FZ_NO_COVERAGE fake_pause(void *ctx)
{
	(void)ctx;
	fz_check(!lock_held, "a pause under the lock");
	m.pauses++;
	fz_check(m.end_after > 0 && m.pauses <= m.end_after,
			"a hold that does not see the reload end (%u pauses)", m.pauses);
	if(m.pauses == m.end_after)
		ph_reload_end(m.guard);
}

/* Whether the store's next allocation fails, as fz_alloc_alloc decides. */
static int FZ_NO_COVERAGE next_alloc_fails(size_t ahead)
{
	size_t i = m.store_mem.calls + ahead;

	return i < 64 && (m.store_mem.fail_mask >> i) & 1;
}

/* A snapshot's reference dropped in the model; frees follow the last. */
static void FZ_NO_COVERAGE snap_unref(int i)
{
	snap_model_t *s = &m.snaps[i];
	box_model_t *b;

	fz_check(s->refs > 0, "model: snapshot %d has no reference", i);
	if(--s->refs > 0)
		return;
	gone(s->tt, "a table of a snapshot nobody holds");
	b = &m.boxes[s->box];
	if(--b->snapshots > 0)
		return;
	if(b->rt)
		gone(b->rt, "rules of a box no snapshot shares");
	if(b->pt)
		gone(b->pt, "peers of a box no snapshot shares");
}

static void FZ_NO_COVERAGE dev_unref(int i)
{
	dev_model_t *d = &m.devs[i];

	fz_check(d->refs > 0, "model: devices %d have no reference", i);
	if(--d->refs == 0)
		gone(d->t, "devices nobody holds");
}

static ph_table_t *FZ_NO_COVERAGE new_table(tracker_t **t)
{
	ph_table_t *table;

	*t = tracker_new();
	table = ph_table_new(&(*t)->allocator);
	fz_check(table != NULL, "ph_table_new failed");
	return table;
}

/* ---- operations ---- */

static void FZ_NO_COVERAGE op_acquire(void)
{
	ph_snapshot_t *p = ph_store_acquire(m.store);
	snap_model_t *s;
	box_model_t *b;

	if(m.current < 0) {
		fz_check(p == NULL, "a snapshot when none was published");
		return;
	}
	s = &m.snaps[m.current];
	b = &m.boxes[s->box];
	fz_check(p != NULL, "no snapshot, one was published");
	s->refs++;
	fz_check(p->table == s->table && p->rules == b->rules
					 && p->peers == b->peers,
			"not the current snapshot");
	fz_check(p->box && p->box->rules == b->rules && p->box->peers == b->peers,
			"the box is not the snapshot's");
	fz_check(p->refs == s->refs, "%d references, the model has %d", p->refs,
			s->refs);
	fz_check(p->box->refs == b->snapshots, "box of %d snapshots, model %d",
			p->box->refs, b->snapshots);
	if(m.nheld == MAX_HELD) {
		ph_store_release(m.store, p);
		snap_unref(m.current);
		return;
	}
	m.held[m.nheld] = p;
	m.held_snap[m.nheld++] = m.current;
}

static void FZ_NO_COVERAGE op_release(uint8_t arg)
{
	int i;

	if(m.nheld == 0) {
		ph_store_release(m.store, NULL);
		return;
	}
	i = arg % m.nheld;
	ph_store_release(m.store, m.held[i]);
	snap_unref(m.held_snap[i]);
	m.nheld--;
	m.held[i] = m.held[m.nheld];
	m.held_snap[i] = m.held_snap[m.nheld];
}

/* A new snapshot of table tt over box, current; the old one's store
 * reference goes. */
static void FZ_NO_COVERAGE now_current(
		ph_table_t *table, tracker_t *tt, int box)
{
	int old = m.current;

	m.snaps[m.nsnaps].table = table;
	m.snaps[m.nsnaps].tt = tt;
	m.snaps[m.nsnaps].box = box;
	m.snaps[m.nsnaps].refs = 1;
	m.boxes[box].snapshots++;
	m.current = m.nsnaps++;
	if(old >= 0)
		snap_unref(old);
}

static void FZ_NO_COVERAGE op_publish(uint8_t arg)
{
	tracker_t *tt, *rt = NULL, *pt = NULL;
	ph_table_t *table = new_table(&tt);
	ph_rules_t *rules = NULL;
	ph_peers_t *peers = NULL;
	int fails = next_alloc_fails(0) || next_alloc_fails(1), rc;
	box_model_t *b;

	if(!(arg & 1)) {
		rt = tracker_new();
		rules = ph_rules_new(&rt->allocator);
		fz_check(rules != NULL, "ph_rules_new failed");
	}
	if(!(arg & 2)) {
		pt = tracker_new();
		peers = ph_peers_new(&pt->allocator, 5060);
		fz_check(peers != NULL, "ph_peers_new failed");
	}
	rc = ph_store_publish(m.store, table, rules, peers);
	fz_check(rc == (fails ? -1 : 0), "publish gave %d, the model %d", rc,
			fails ? -1 : 0);
	if(rc < 0) {
		/* still the caller's, alive */
		fz_check(tt->live > 0, "a refused table freed");
		fz_check(rt == NULL || rt->live > 0, "refused rules freed");
		fz_check(pt == NULL || pt->live > 0, "refused peers freed");
		ph_table_free(table);
		ph_rules_free(rules);
		ph_peers_free(peers);
		gone(tt, "a refused table");
		if(rt)
			gone(rt, "refused rules");
		if(pt)
			gone(pt, "refused peers");
		return;
	}
	b = &m.boxes[m.nboxes];
	b->rules = rules;
	b->peers = peers;
	b->rt = rt;
	b->pt = pt;
	b->snapshots = 0;
	now_current(table, tt, m.nboxes++);
}

static void FZ_NO_COVERAGE op_publish_table(void)
{
	tracker_t *tt;
	ph_table_t *table = new_table(&tt);
	int fails = next_alloc_fails(0) || m.current < 0, rc;

	rc = ph_store_publish_table(m.store, table);
	fz_check(rc == (fails ? -1 : 0), "publish_table gave %d, the model %d", rc,
			fails ? -1 : 0);
	if(rc < 0) {
		fz_check(tt->live > 0, "a refused table freed");
		ph_table_free(table);
		gone(tt, "a refused table");
		return;
	}
	now_current(table, tt, m.snaps[m.current].box);
}

static void FZ_NO_COVERAGE op_publish_devices(void)
{
	tracker_t *t = tracker_new();
	ph_devices_t *d = ph_devices_new(&t->allocator);
	int fails = next_alloc_fails(0), rc, old = m.current_devs;

	fz_check(d != NULL, "ph_devices_new failed");
	rc = ph_store_publish_devices(m.store, d);
	fz_check(rc == (fails ? -1 : 0), "publish_devices gave %d, the model %d",
			rc, fails ? -1 : 0);
	if(rc < 0) {
		fz_check(t->live > 0, "refused devices freed");
		ph_devices_free(d);
		gone(t, "refused devices");
		return;
	}
	m.devs[m.ndevs].devices = d;
	m.devs[m.ndevs].t = t;
	m.devs[m.ndevs].refs = 1;
	m.current_devs = m.ndevs++;
	if(old >= 0)
		dev_unref(old);
}

static void FZ_NO_COVERAGE op_acquire_devices(void)
{
	ph_devices_ref_t *p = ph_store_devices_acquire(m.store);
	dev_model_t *d;

	if(m.current_devs < 0) {
		fz_check(p == NULL, "devices when none were published");
		return;
	}
	d = &m.devs[m.current_devs];
	fz_check(p != NULL && p->devices == d->devices, "not the current devices");
	d->refs++;
	fz_check(p->refs == d->refs, "%d references, the model has %d", p->refs,
			d->refs);
	if(m.nheld_devs == MAX_HELD) {
		ph_store_devices_release(m.store, p);
		dev_unref(m.current_devs);
		return;
	}
	m.held_devs[m.nheld_devs] = p;
	m.held_dev[m.nheld_devs++] = m.current_devs;
}

static void FZ_NO_COVERAGE op_release_devices(uint8_t arg)
{
	int i;

	if(m.nheld_devs == 0) {
		ph_store_devices_release(m.store, NULL);
		return;
	}
	i = arg % m.nheld_devs;
	ph_store_devices_release(m.store, m.held_devs[i]);
	dev_unref(m.held_dev[i]);
	m.nheld_devs--;
	m.held_devs[i] = m.held_devs[m.nheld_devs];
	m.held_dev[i] = m.held_dev[m.nheld_devs];
}

static void FZ_NO_COVERAGE op_begin(void)
{
	int taken = ph_reload_try_begin(m.guard);

	fz_check(taken == !m.running, "try_begin gave %d with running %d", taken,
			m.running);
	m.running = 1;
}

static void FZ_NO_COVERAGE op_end(void)
{
	if(!m.running)
		return; /* only who began ends */
	ph_reload_end(m.guard);
	m.running = 0;
}

static void FZ_NO_COVERAGE op_hold(uint8_t arg)
{
	m.pauses = 0;
	m.end_after = m.running ? 1u + arg % 4 : 0;
	ph_reload_hold(m.guard);
	fz_check(m.pauses == m.end_after, "a hold paused %u times, expected %u",
			m.pauses, m.end_after);
	m.end_after = 0;
	m.running = 1; /* now the hold's */
	fz_check(ph_reload_try_begin(m.guard) == 0, "a held guard let a reload in");
}

static void FZ_NO_COVERAGE op_published(uint8_t arg)
{
	ph_reload_published(m.guard, arg * 7u);
	m.last = m.now;
	m.last_ms = arg * 7u;
}

/* The policy, said another way: the new table is refused for shrinking
 * when entries * 100 < old * (100 - max_shrink). */
static const char *FZ_NO_COVERAGE model_refusal(
		size_t old, size_t entries, unsigned max_shrink, int force)
{
	unsigned keep = max_shrink >= 100 ? 0 : 100 - max_shrink;

	if(force || old == 0)
		return NULL;
	if(entries == 0)
		return "it would empty the phone table";
	if((unsigned __int128)entries * 100 < (unsigned __int128)old * keep)
		return "it would shrink the phone table by more than"
			   " reload_max_shrink percent";
	return NULL;
}

static size_t FZ_NO_COVERAGE op_refusal(
		uint8_t arg, const uint8_t *data, size_t size)
{
	uint32_t a, b;
	size_t old, entries;
	unsigned shift_old, shift_new, max_shrink = arg & 0x7f;
	int force = arg >> 7;
	const char *got, *want;

	if(size < 9)
		return size;
	memcpy(&a, data, 4);
	memcpy(&b, data + 4, 4);
	shift_old = (data[8] & 0xf) * 2;
	shift_new = (data[8] >> 4) * 2;
	old = (size_t)a << (sizeof(size_t) > 4 ? shift_old : 0);
	entries = (size_t)b << (sizeof(size_t) > 4 ? shift_new : 0);
	got = ph_reload_refusal(old, entries, max_shrink, force);
	want = model_refusal(old, entries, max_shrink, force);
	fz_check((got == NULL) == (want == NULL)
					 && (got == NULL || strcmp(got, want) == 0),
			"refusal(%zu, %zu, %u, %d): \"%s\", the model \"%s\"", old, entries,
			max_shrink, force, got ? got : "(none)", want ? want : "(none)");
	return 9;
}

/* After every operation: the lock let go, the objects alive the model's,
 * the guard's record the model's. */
static void FZ_NO_COVERAGE check_state(void)
{
	fz_check(!lock_held, "the lock held after an operation");
	fz_check(alive_objects == model_alive, "%zu objects alive, the model %zu",
			alive_objects, model_alive);
	fz_check(ph_reload_last(m.guard) == m.last
					 && ph_reload_last_ms(m.guard) == m.last_ms,
			"last publish %ld (%u ms), the model %ld (%u ms)",
			(long)ph_reload_last(m.guard), ph_reload_last_ms(m.guard),
			(long)m.last, m.last_ms);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ph_clock_t clock = {fake_now, fake_ms, fake_pause, NULL};
	uint64_t mask;
	size_t pos;
	uint8_t op, arg;

	if(size < 8)
		return 0;
	memcpy(&mask, data, 8);
	memset(&m, 0, sizeof(m));
	m.current = m.current_devs = -1;
	m.now = 1000;
	ntrackers = alive_objects = model_alive = 0;
	lock_held = 0;

	fz_alloc_init(&m.store_mem, mask);
	m.store_mem.allocator.alloc = store_alloc;
	m.store_mem.allocator.release = store_release;
	m.store = ph_store_new(&m.store_mem.allocator, &test_lock);
	if(m.store == NULL) {
		fz_check(mask & 1, "ph_store_new failed, no allocation did");
		fz_check(m.store_mem.live == 0, "a failed store left memory");
		return 0;
	}
	fz_check(!(mask & 1), "ph_store_new did without memory");
	fz_alloc_init(&m.guard_mem, 0);
	m.guard = ph_reload_guard_new(&m.guard_mem.allocator, &test_lock, &clock);
	fz_check(m.guard != NULL, "ph_reload_guard_new failed");

	for(pos = 8; pos + 2 <= size;) {
		op = data[pos++];
		arg = data[pos++];
		m.now += op >> 4; /* time passes */
		switch(op % 13) {
			case 0:
				op_acquire();
				break;
			case 1:
				op_release(arg);
				break;
			case 2:
				op_publish(arg);
				break;
			case 3:
				op_publish_table();
				break;
			case 4:
				op_publish_devices();
				break;
			case 5:
				op_acquire_devices();
				break;
			case 6:
				op_release_devices(arg);
				break;
			case 7:
				op_begin();
				break;
			case 8:
				op_end();
				break;
			case 9:
				op_hold(arg);
				break;
			case 10:
				op_published(arg);
				break;
			case 11:
				pos += op_refusal(arg, data + pos, size - pos);
				break;
			default: /* a reader holding two at once */
				op_acquire();
				op_acquire_devices();
				break;
		}
		check_state();
		if(ntrackers + 3 > MAX_OBJECTS)
			break;
	}

	/* the end: readers let go, then the store; nothing may be left */
	while(m.nheld)
		op_release(0);
	while(m.nheld_devs)
		op_release_devices(0);
	ph_store_free(m.store);
	if(m.current >= 0)
		snap_unref(m.current);
	if(m.current_devs >= 0)
		dev_unref(m.current_devs);
	op_end();
	ph_reload_guard_free(m.guard);
	fz_check(!lock_held, "the lock held at the end");
	fz_check(model_alive == 0 && alive_objects == 0,
			"%zu objects left (model %zu)", alive_objects, model_alive);
	fz_check(m.store_mem.live == 0 && m.guard_mem.live == 0,
			"%zu blocks of the store left, %zu of the guard", m.store_mem.live,
			m.guard_mem.live);
	return 0;
}
