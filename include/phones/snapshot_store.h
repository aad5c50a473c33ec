/*
 * kamailio-phones: the published snapshot of the phone table, its routing
 * rules and the cluster's peers, and the published devices.
 *
 * One snapshot (a table, and the rules and peers loaded with it) is
 * current at a time. A reader takes a reference for the few microseconds a
 * lookup lasts; publishing swaps one pointer, and the previous snapshot is
 * freed by whoever drops its last reference. A reader therefore always
 * sees one complete snapshot, old or new, never a mix.
 *
 * The rules and peers are held in a box that several snapshots share: a
 * change of one phone publishes a new table with the current box
 * (ph_store_publish_table), a reload a new table with a new box. The box,
 * and the rules and peers in it, go with the last snapshot that shares it.
 * The devices of extensions are published on their own, the same way.
 *
 * Thread- and process-safe through the lock the host gives; the store
 * itself is allocated with the host's allocator (shared memory in the
 * proxy). Nothing is allocated or freed under the lock: it is held only
 * to count references and swap pointers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_SNAPSHOT_STORE_H
#define PHONES_SNAPSHOT_STORE_H

#include "phones/allocator.h"
#include "phones/devices.h"
#include "phones/lock.h"
#include "phones/peers.h"
#include "phones/phone_table.h"
#include "phones/route_rules.h"

typedef struct ph_store ph_store_t;

/* Rules and the cluster's servers and carriers, loaded together and shared
 * by the snapshots published with them. */
typedef struct ph_rules_box
{
	ph_rules_t *rules;
	ph_peers_t *peers;
	int refs; /* snapshots that share it; under the store's lock */
} ph_rules_box_t;

/* A published snapshot, as a reader holds it: read table, rules and
 * peers; leave the rest to the store. */
typedef struct ph_snapshot
{
	ph_table_t *table;
	ph_rules_t *rules; /* box->rules */
	ph_peers_t *peers; /* box->peers */
	ph_rules_box_t *box;
	int refs; /* under the store's lock */
} ph_snapshot_t;

/* Published devices, as a reader holds them. */
typedef struct ph_devices_ref
{
	ph_devices_t *devices;
	int refs; /* under the store's lock */
} ph_devices_ref_t;

/* An empty store (nothing published), or NULL when out of memory. The
 * store, its snapshots and boxes are allocated with allocator; lock is
 * copied, and serialises every call but ph_store_new and ph_store_free. */
ph_store_t *ph_store_new(
		const ph_allocator_t *allocator, const ph_lock_t *lock);

/* Drops the store's own references (the current snapshot and devices go
 * unless a reader still holds them) and frees the store. For the end,
 * when no other thread or process uses it any more. s may be NULL. */
void ph_store_free(ph_store_t *s);

/* The current snapshot with a reference held, or NULL when none was
 * published. Every non-NULL result goes back with ph_store_release(). */
ph_snapshot_t *ph_store_acquire(ph_store_t *s);
/* Drops a reference; the last one frees the snapshot: its table
 * (ph_table_free), and its box with the rules and peers when no other
 * snapshot shares it. snap may be NULL. */
void ph_store_release(ph_store_t *s, ph_snapshot_t *snap);

/* Makes table, rules and peers current, in a new box; the previous
 * snapshot goes with its last reader. The store owns them on success.
 * Returns -1, with all three left to the caller, when out of memory. */
int ph_store_publish(
		ph_store_t *s, ph_table_t *table, ph_rules_t *rules, ph_peers_t *peers);

/* Makes table current with the current snapshot's box (a change of one
 * phone). Returns -1, table left to the caller, when out of memory or when
 * nothing was published yet (there are no rules to share). */
int ph_store_publish_table(ph_store_t *s, ph_table_t *table);

/* The current devices with a reference held, or NULL when none were ever
 * published; give them back with ph_store_devices_release() (the last
 * reference frees them with ph_devices_free). ref may be NULL. */
ph_devices_ref_t *ph_store_devices_acquire(ph_store_t *s);
void ph_store_devices_release(ph_store_t *s, ph_devices_ref_t *ref);

/* Makes devices current; the previous ones go with their last reader.
 * Returns -1, devices left to the caller, when out of memory. */
int ph_store_publish_devices(ph_store_t *s, ph_devices_t *devices);

#endif
