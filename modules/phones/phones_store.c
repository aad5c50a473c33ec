/*
 * kamailio-phones: the published phone table and routing rules in shared
 * memory: the core's store (core/snapshot_store.c) over Kamailio's shared
 * memory and a gen_lock_t.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/dprint.h"
#include "core/mem/shm_mem.h"

#include "phones_host.h"
#include "phones_store.h"

int phones_match_limit = 100000;
int phones_depth_limit = 1000;

/* This process's matcher, made on first use. */
static ph_matcher_t *matcher = NULL;

ph_matcher_t *phones_matcher(void)
{
	if(matcher == NULL) {
		matcher = ph_matcher_new(
				(uint32_t)phones_match_limit, (uint32_t)phones_depth_limit);
		if(matcher == NULL)
			LM_ERR("out of memory for the pcre2 matcher\n");
	}
	return matcher;
}

/* Set in mod_init, before the fork: every process has the same. */
static ph_store_t *store = NULL;
static ph_lock_t store_lock;

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
	if(phones_lock_new(&store_lock) < 0)
		return -1;
	store = ph_store_new(&phones_shm_allocator, &store_lock);
	if(store == NULL) {
		SHM_MEM_ERROR;
		phones_lock_free(&store_lock);
		return -1;
	}
	return 0;
}

void phones_store_destroy(void)
{
	if(store == NULL)
		return;
	ph_store_free(store);
	store = NULL;
	phones_lock_free(&store_lock);
}

ph_store_t *phones_store(void)
{
	return store;
}

phones_ref_t *phones_store_acquire(void)
{
	return store ? ph_store_acquire(store) : NULL;
}

void phones_store_release(phones_ref_t *ref)
{
	if(ref)
		ph_store_release(store, ref);
}

int phones_store_publish(
		ph_table_t *table, ph_rules_t *rules, ph_peers_t *peers)
{
	if(ph_store_publish(store, table, rules, peers) < 0) {
		SHM_MEM_ERROR;
		return -1;
	}
	return 0;
}

int phones_store_publish_table(ph_table_t *table)
{
	/* out of memory (or nothing published, which mod_init rules out) */
	if(ph_store_publish_table(store, table) < 0) {
		SHM_MEM_ERROR;
		return -1;
	}
	return 0;
}

phones_devices_ref_t *phones_devices_acquire(void)
{
	return store ? ph_store_devices_acquire(store) : NULL;
}

void phones_devices_release(phones_devices_ref_t *ref)
{
	if(ref)
		ph_store_devices_release(store, ref);
}

int phones_store_publish_devices(ph_devices_t *devices)
{
	if(ph_store_publish_devices(store, devices) < 0) {
		SHM_MEM_ERROR;
		return -1;
	}
	return 0;
}
