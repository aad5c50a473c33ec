/*
 * kamailio-phones: the published phone table and routing rules in shared
 * memory.
 *
 * One snapshot (a phone table and the rules loaded with it) is current at a
 * time. SIP workers take a reference for the few microseconds a lookup
 * lasts; publishing a new snapshot swaps one pointer, and the old one is
 * freed by whoever drops its last reference. A reader therefore always sees
 * one complete snapshot, old or new, never a mix.
 *
 * The store is the core's (core/snapshot_store.c, unit-tested and fuzzed
 * there); this is the module's one instance of it, in shared memory, under
 * a gen_lock_t.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_STORE_H
#define PHONES_STORE_H

#include "phones/allocator.h"
#include "phones/route_rules.h"
#include "phones/snapshot_store.h"

/* Allocations in Kamailio's shared memory, for tables and rules. */
extern const ph_allocator_t phones_shm_allocator;

/* Parameters: pcre2's limits for the routing rules. */
extern int phones_match_limit;
extern int phones_depth_limit;

/* This process's pcre2 matcher for the snapshot's rules, with the
 * module's limits, made on first use; NULL if out of memory. */
ph_matcher_t *phones_matcher(void);

/* The store (core/snapshot_store.c) over a lock in shared memory. */
int phones_store_init(void);
void phones_store_destroy(void);

/* The store itself, for the core's reload and changes (NULL before
 * phones_store_init). */
ph_store_t *phones_store(void);

/* Rules and the cluster's servers and carriers, loaded together and shared
 * by the snapshots published with them (a change of one phone keeps them). */
typedef ph_rules_box_t phones_rules_box_t;

/* A reference to a published snapshot: read its table, rules and peers. */
typedef ph_snapshot_t phones_ref_t;

/* The current snapshot with a reference held, or NULL when none is published.
 * Every non-NULL result must be given back with phones_store_release(). */
phones_ref_t *phones_store_acquire(void);
void phones_store_release(phones_ref_t *ref);

/* Makes table, rules and peers current; the previous snapshot goes when
 * its last reader does. Returns -1, with all three left to the caller, when
 * out of memory. */
int phones_store_publish(
		ph_table_t *table, ph_rules_t *rules, ph_peers_t *peers);

/* Makes table current with the current rules and peers (a change of one
 * phone). Returns -1, table left to the caller, when out of memory or when
 * nothing is published. */
int phones_store_publish_table(ph_table_t *table);

/* The devices of extensions (phone_devices), published on their own: a
 * change of devices through the RPC or the API replaces them alone. Read
 * its devices. */
typedef ph_devices_ref_t phones_devices_ref_t;

/* The current devices with a reference held, or NULL when none were ever
 * loaded; give it back with phones_devices_release(). */
phones_devices_ref_t *phones_devices_acquire(void);
void phones_devices_release(phones_devices_ref_t *ref);

/* Makes devices current; the previous ones go with their last reader.
 * Returns -1, devices left to the caller, when out of memory. */
int phones_store_publish_devices(ph_devices_t *devices);

#endif
