/*
 * kamailio-phones: one reload, from the database to the published
 * snapshot.
 *
 * The sequence the proxy runs for phones.reload, the reload timer and a
 * change the table cannot take on its own: read the entries of the current
 * snapshot, load everything anew through the host's loader (the database),
 * decide with the refusal policy (reload_policy.h) whether the new table
 * may replace the old one, publish table, rules and peers (and the
 * devices, when they could be read), and record when (reload_guard.h).
 * Whatever is not published is freed; the current snapshot stays as it
 * was on every failure. The report says what happened, with a sentence
 * for the log and the RPC's answer; the host logs it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_RELOAD_RUN_H
#define PHONES_RELOAD_RUN_H

#include <stddef.h>

#include "phones/allocator.h"
#include "phones/clock.h"
#include "phones/devices.h"
#include "phones/peers.h"
#include "phones/phone_table.h"
#include "phones/reload_guard.h"
#include "phones/route_rules.h"
#include "phones/snapshot_store.h"

typedef enum ph_reload_outcome
{
	PH_RELOAD_DONE = 0,
	PH_RELOAD_BUSY,	  /* another reload is running */
	PH_RELOAD_FAILED, /* the database could not be read, or out of memory */
	PH_RELOAD_REFUSED /* it would empty or shrink the table too much */
} ph_reload_outcome_t;

typedef struct ph_reload_report
{
	ph_reload_outcome_t outcome;
	size_t old_entries;
	size_t entries; /* of the new table, whether published or not */
	size_t skipped;
	size_t rules;
	size_t servers;
	unsigned int ms; /* how long loading took */
	char why[256];	 /* for BUSY, FAILED and REFUSED */
} ph_reload_report_t;

/* What one load reads: the phones, the routing rules, and the cluster's
 * servers and carriers (the rules' trunks), and the devices. */
typedef struct ph_load
{
	ph_table_t *table;
	ph_rules_t *rules;
	ph_peers_t *peers;
	ph_devices_t *devices; /* NULL: could not be read (keep the current) */
} ph_load_t;

/* Frees what load holds (each may be NULL) and clears it. */
void ph_load_free(ph_load_t *load);

/* The host's database. load() fills *load and returns 0, table, rules and
 * peers all set (devices may be NULL); or returns -1 with all four NULL,
 * having logged why. Everything it loads is the caller's. */
typedef struct ph_loader
{
	int (*load)(void *ctx, ph_load_t *load);
	void *ctx;
} ph_loader_t;

/* What a reload works with; the host's, for as long as reloads run. */
typedef struct ph_reloader
{
	ph_store_t *store;
	ph_reload_guard_t *guard;
	const ph_clock_t *clock;
	ph_loader_t loader;
	/* percent of entries a reload may drop without force (0 to 100) */
	unsigned int max_shrink;
} ph_reloader_t;

/* The first load, before anything is published: the table is taken
 * whatever its size, and empty devices (over allocator) are published
 * when the devices cannot be read. Returns 0 (report DONE), or -1
 * (report FAILED with why; what was loaded and not published is freed). */
int ph_reload_first(const ph_reloader_t *r, const ph_allocator_t *allocator,
		ph_reload_report_t *report);

/* One reload by a caller that holds the guard (ph_reload_hold or
 * ph_reload_try_begin): DONE, with the new snapshot published and the
 * time recorded; FAILED (the loader failed, or no memory to publish) or
 * REFUSED (the policy, unless force), the current snapshot kept and the
 * load freed. Devices that could not be read keep the current ones, and
 * devices that cannot be published (no memory) are freed and the current
 * kept. The report is filled from scratch. */
void ph_reload_held_run(
		const ph_reloader_t *r, int force, ph_reload_report_t *report);

/* The same, taking the guard for it: BUSY, and nothing done, when another
 * reload (or a change that holds the guard) is running. */
void ph_reload_run(
		const ph_reloader_t *r, int force, ph_reload_report_t *report);

#endif
