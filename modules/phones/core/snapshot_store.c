/*
 * kamailio-phones: the published snapshot and devices, reference counted.
 *
 * Every count is changed under the host's lock, and every pointer swapped
 * under it; what a dropped reference frees is freed after the lock is let
 * go, so that the lock is held for a few instructions, never for a free.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "phones/snapshot_store.h"

struct ph_store
{
	ph_allocator_t allocator; /* of the store, snapshots, boxes, refs */
	ph_lock_t lock;
	ph_snapshot_t *current;	   /* holds one reference of its own */
	ph_devices_ref_t *devices; /* the same */
};

static void *store_alloc(ph_store_t *s, size_t size)
{
	return s->allocator.alloc(s->allocator.ctx, size);
}

static void store_release_mem(ph_store_t *s, void *p)
{
	s->allocator.release(s->allocator.ctx, p);
}

ph_store_t *ph_store_new(const ph_allocator_t *allocator, const ph_lock_t *lock)
{
	ph_store_t *s = allocator->alloc(allocator->ctx, sizeof(*s));

	if(s == NULL)
		return NULL;
	s->allocator = *allocator;
	s->lock = *lock;
	s->current = NULL;
	s->devices = NULL;
	return s;
}

/* What dropping a reference left to free once the lock is let go. */
typedef struct gone
{
	ph_snapshot_t *snap; /* its last reference went, or NULL */
	ph_rules_box_t *box; /* and it was the last snapshot of this box */
} gone_t;

/* Drops one reference of snap, under the lock. When that was its last one,
 * the snapshot's share of its box goes too, and whether the box goes with
 * it is decided here, under the lock: two snapshots of one box may lose
 * their last readers at once, and only the one that brought the count to
 * 0 may free the box (reading the count after unlocking would let both,
 * or one after the other freed it). */
static gone_t unref_locked(ph_snapshot_t *snap)
{
	gone_t g = {NULL, NULL};

	if(snap == NULL || --snap->refs > 0)
		return g;
	g.snap = snap;
	if(--snap->box->refs == 0)
		g.box = snap->box;
	return g;
}

static void free_gone(ph_store_t *s, gone_t g)
{
	if(g.snap == NULL)
		return;
	ph_table_free(g.snap->table);
	if(g.box) {
		ph_rules_free(g.box->rules);
		ph_peers_free(g.box->peers);
		store_release_mem(s, g.box);
	}
	store_release_mem(s, g.snap);
}

static ph_devices_ref_t *unref_devices_locked(ph_devices_ref_t *ref)
{
	return (ref == NULL || --ref->refs > 0) ? NULL : ref;
}

static void free_devices(ph_store_t *s, ph_devices_ref_t *ref)
{
	if(ref == NULL)
		return;
	ph_devices_free(ref->devices);
	store_release_mem(s, ref);
}

void ph_store_free(ph_store_t *s)
{
	ph_devices_ref_t *dev;
	gone_t snap;

	if(s == NULL)
		return;
	s->lock.lock(s->lock.ctx);
	snap = unref_locked(s->current);
	dev = unref_devices_locked(s->devices);
	s->current = NULL;
	s->devices = NULL;
	s->lock.unlock(s->lock.ctx);
	free_gone(s, snap);
	free_devices(s, dev);
	store_release_mem(s, s);
}

ph_snapshot_t *ph_store_acquire(ph_store_t *s)
{
	ph_snapshot_t *snap;

	s->lock.lock(s->lock.ctx);
	snap = s->current;
	if(snap)
		snap->refs++;
	s->lock.unlock(s->lock.ctx);
	return snap;
}

void ph_store_release(ph_store_t *s, ph_snapshot_t *snap)
{
	gone_t gone;

	if(snap == NULL)
		return;
	s->lock.lock(s->lock.ctx);
	gone = unref_locked(snap);
	s->lock.unlock(s->lock.ctx);
	free_gone(s, gone);
}

/* Makes a snapshot of table and box current; with box NULL, the current
 * snapshot's box is shared (and -1 returned when there is none). */
static int publish(ph_store_t *s, ph_table_t *table, ph_rules_box_t *box)
{
	ph_snapshot_t *snap;
	gone_t gone;

	snap = store_alloc(s, sizeof(*snap));
	if(snap == NULL)
		return -1;
	snap->table = table;
	snap->refs = 1; /* the store's own */
	s->lock.lock(s->lock.ctx);
	if(box == NULL) {
		if(s->current == NULL) {
			s->lock.unlock(s->lock.ctx);
			store_release_mem(s, snap);
			return -1;
		}
		box = s->current->box;
	}
	box->refs++;
	snap->box = box;
	snap->rules = box->rules;
	snap->peers = box->peers;
	gone = unref_locked(s->current);
	s->current = snap;
	s->lock.unlock(s->lock.ctx);
	free_gone(s, gone);
	return 0;
}

int ph_store_publish(
		ph_store_t *s, ph_table_t *table, ph_rules_t *rules, ph_peers_t *peers)
{
	ph_rules_box_t *box = store_alloc(s, sizeof(*box));

	if(box == NULL)
		return -1;
	box->rules = rules;
	box->peers = peers;
	box->refs = 0;
	if(publish(s, table, box) < 0) {
		store_release_mem(s, box);
		return -1;
	}
	return 0;
}

int ph_store_publish_table(ph_store_t *s, ph_table_t *table)
{
	return publish(s, table, NULL);
}

ph_devices_ref_t *ph_store_devices_acquire(ph_store_t *s)
{
	ph_devices_ref_t *ref;

	s->lock.lock(s->lock.ctx);
	ref = s->devices;
	if(ref)
		ref->refs++;
	s->lock.unlock(s->lock.ctx);
	return ref;
}

void ph_store_devices_release(ph_store_t *s, ph_devices_ref_t *ref)
{
	ph_devices_ref_t *gone;

	if(ref == NULL)
		return;
	s->lock.lock(s->lock.ctx);
	gone = unref_devices_locked(ref);
	s->lock.unlock(s->lock.ctx);
	free_devices(s, gone);
}

int ph_store_publish_devices(ph_store_t *s, ph_devices_t *devices)
{
	ph_devices_ref_t *ref, *gone;

	ref = store_alloc(s, sizeof(*ref));
	if(ref == NULL)
		return -1;
	ref->devices = devices;
	ref->refs = 1; /* the store's own */
	s->lock.lock(s->lock.ctx);
	gone = unref_devices_locked(s->devices);
	s->devices = ref;
	s->lock.unlock(s->lock.ctx);
	free_devices(s, gone);
	return 0;
}
