/*
 * kamailio-phones: the published phone table and routing rules in shared
 * memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"

#include "phones_store.h"

typedef struct phones_store
{
	gen_lock_t lock;
	phones_ref_t *current; /* holds one reference of its own */
	phones_devices_ref_t *devices; /* the same */
} phones_store_t;

static phones_store_t *store = NULL;

static void *shm_alloc_cb(void *ctx, size_t size)
{
	(void)ctx;
	return shm_malloc(size);
}

static void shm_release_cb(void *ctx, void *p)
{
	(void)ctx;
	if(p)
		shm_free(p);
}

const ph_allocator_t phones_shm_allocator = {
		shm_alloc_cb, shm_release_cb, NULL};

int phones_store_init(void)
{
	store = shm_malloc(sizeof(*store));
	if(store == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	store->current = NULL;
	store->devices = NULL;
	if(lock_init(&store->lock) == NULL) {
		LM_ERR("cannot initialise the table lock\n");
		shm_free(store);
		store = NULL;
		return -1;
	}
	return 0;
}

/* Drops one reference, under the lock. Returns the reference to free once
 * unlocked (its last one is gone), or NULL; the rules go with the last
 * snapshot that shares them (box->refs reaches 0). */
static phones_ref_t *unref_locked(phones_ref_t *ref)
{
	if(ref == NULL || --ref->refs > 0)
		return NULL;
	ref->box->refs--;
	return ref;
}

static void free_ref(phones_ref_t *ref)
{
	if(ref == NULL)
		return;
	ph_table_free(ref->table);
	if(ref->box->refs == 0) {
		ph_rules_free(ref->box->rules);
		ph_peers_free(ref->box->peers);
		shm_free(ref->box);
	}
	shm_free(ref);
}

static phones_devices_ref_t *unref_devices_locked(phones_devices_ref_t *ref)
{
	return (ref == NULL || --ref->refs > 0) ? NULL : ref;
}

static void free_devices_ref(phones_devices_ref_t *ref)
{
	if(ref == NULL)
		return;
	ph_devices_free(ref->devices);
	shm_free(ref);
}

void phones_store_destroy(void)
{
	if(store == NULL)
		return;
	free_ref(unref_locked(store->current));
	free_devices_ref(unref_devices_locked(store->devices));
	lock_destroy(&store->lock);
	shm_free(store);
	store = NULL;
}

phones_ref_t *phones_store_acquire(void)
{
	phones_ref_t *ref;

	if(store == NULL)
		return NULL;
	lock_get(&store->lock);
	ref = store->current;
	if(ref)
		ref->refs++;
	lock_release(&store->lock);
	return ref;
}

void phones_store_release(phones_ref_t *ref)
{
	phones_ref_t *gone;

	if(ref == NULL)
		return;
	lock_get(&store->lock);
	gone = unref_locked(ref);
	lock_release(&store->lock);
	free_ref(gone);
}

/* Makes a snapshot of table and box current. With box NULL, the current
 * snapshot's rules are shared. */
static int publish(ph_table_t *table, phones_rules_box_t *box)
{
	phones_ref_t *ref, *gone;

	ref = shm_malloc(sizeof(*ref));
	if(ref == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	ref->table = table;
	ref->refs = 1;
	lock_get(&store->lock);
	if(box == NULL) {
		if(store->current == NULL) {
			lock_release(&store->lock);
			shm_free(ref);
			return -1;
		}
		box = store->current->box;
	}
	box->refs++;
	ref->box = box;
	ref->rules = box->rules;
	ref->peers = box->peers;
	gone = unref_locked(store->current);
	store->current = ref;
	lock_release(&store->lock);
	free_ref(gone);
	return 0;
}

int phones_store_publish(
		ph_table_t *table, ph_rules_t *rules, ph_peers_t *peers)
{
	phones_rules_box_t *box = shm_malloc(sizeof(*box));

	if(box == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	box->rules = rules;
	box->peers = peers;
	box->refs = 0;
	if(publish(table, box) < 0) {
		shm_free(box);
		return -1;
	}
	return 0;
}

int phones_store_publish_table(ph_table_t *table)
{
	return publish(table, NULL);
}

phones_devices_ref_t *phones_devices_acquire(void)
{
	phones_devices_ref_t *ref;

	if(store == NULL)
		return NULL;
	lock_get(&store->lock);
	ref = store->devices;
	if(ref)
		ref->refs++;
	lock_release(&store->lock);
	return ref;
}

void phones_devices_release(phones_devices_ref_t *ref)
{
	phones_devices_ref_t *gone;

	if(ref == NULL)
		return;
	lock_get(&store->lock);
	gone = unref_devices_locked(ref);
	lock_release(&store->lock);
	free_devices_ref(gone);
}

int phones_store_publish_devices(ph_devices_t *devices)
{
	phones_devices_ref_t *ref, *gone;

	ref = shm_malloc(sizeof(*ref));
	if(ref == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	ref->devices = devices;
	ref->refs = 1;
	lock_get(&store->lock);
	gone = unref_devices_locked(store->devices);
	store->devices = ref;
	lock_release(&store->lock);
	free_devices_ref(gone);
	return 0;
}
