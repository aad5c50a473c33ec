/*
 * kamailio-phones: replacing the live snapshot with a fresh one.
 *
 * The reload follows drouting's lesson, not dialplan's: one reload at a
 * time (a flag under a lock: a second one is turned away, never run
 * alongside), the new snapshot built completely before the swap, the old
 * one kept when the database fails or the new table looks wrong, and freed
 * only when its last reader lets go (phones_store.c). The guard and the
 * refusal policy are the core's (core/reload_guard.c, core/reload_policy.c),
 * and so is the sequence of a reload (core/reload_run.c); this file gives
 * it the database, the store and the clock, and logs and counts what it
 * reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/shm_mem.h"

#include "phones/reload_guard.h"
#include "phones/reload_run.h"

#include "phones_db.h"
#include "phones_host.h"
#include "phones_reload.h"
#include "phones_store.h"

int phones_reload_interval = 0;
int phones_reload_max_shrink = 50;

/* Set in mod_init, before the fork: every process has the same. */
static ph_reload_guard_t *guard = NULL;
static ph_lock_t guard_lock;

int phones_reload_init(void)
{
	if(phones_lock_new(&guard_lock) < 0)
		return -1;
	guard = ph_reload_guard_new(
			&phones_shm_allocator, &guard_lock, &ph_clock_libc);
	if(guard == NULL) {
		SHM_MEM_ERROR;
		phones_lock_free(&guard_lock);
		return -1;
	}
	return 0;
}

void phones_reload_destroy(void)
{
	if(guard == NULL)
		return;
	ph_reload_guard_free(guard);
	guard = NULL;
	phones_lock_free(&guard_lock);
}

/* The core's loader: the database, through phones_db.c. */
static int db_load(void *ctx, ph_load_t *load)
{
	(void)ctx;
	return phones_db_load(load);
}

/* What the core's reload works with. */
static ph_reloader_t reloader(void)
{
	ph_reloader_t r;

	r.store = phones_store();
	r.guard = guard;
	r.clock = &ph_clock_libc;
	r.loader.load = db_load;
	r.loader.ctx = NULL;
	/* 0 to 100: mod_init checks it */
	r.max_shrink = (unsigned int)phones_reload_max_shrink;
	return r;
}

int phones_reload_startup(void)
{
	ph_reloader_t r = reloader();
	phones_reload_report_t rep;

	if(ph_reload_first(&r, &phones_shm_allocator, &rep) < 0) {
		LM_ERR("first load not done: %s\n", rep.why);
		return -1;
	}
	if(rep.entries == 0)
		LM_WARN("the phone table is empty: every registration will be"
				" refused\n");
	return 0;
}

void phones_reload_hold(void)
{
	ph_reload_hold(guard);
}

void phones_reload_unhold(void)
{
	ph_reload_end(guard);
}

static phones_reload_observer_t observer = NULL;

void phones_reload_observe(phones_reload_observer_t fn)
{
	observer = fn;
}

/* Counts the outcome and logs it (a busy reload is only counted). */
static void reported(const phones_reload_report_t *rep)
{
	if(observer)
		observer(rep->outcome);
	if(rep->outcome == PHONES_RELOAD_BUSY)
		return;
	if(rep->outcome == PHONES_RELOAD_DONE)
		LM_NOTICE("reloaded: %zu entries (were %zu), %zu rules, %zu servers,"
				  " in %u ms\n",
				rep->entries, rep->old_entries, rep->rules, rep->servers,
				rep->ms);
	else
		LM_ERR("reload not done: %s\n", rep->why);
}

void phones_reload(int force, phones_reload_report_t *rep)
{
	ph_reloader_t r = reloader();

	ph_reload_run(&r, force, rep);
	reported(rep);
}

void phones_reload_held(int force, phones_reload_report_t *rep)
{
	ph_reloader_t r = reloader();

	ph_reload_held_run(&r, force, rep);
	reported(rep);
}

time_t phones_reload_last(void)
{
	return guard ? ph_reload_last(guard) : 0;
}

unsigned int phones_reload_last_ms(void)
{
	return guard ? ph_reload_last_ms(guard) : 0;
}

void phones_reload_timer(unsigned int ticks, void *param)
{
	/* What the database looked like at the last reload this process did
	 * or skipped; empty at first, so the first check reloads. */
	static char seen[512] = "";
	char now[512];
	phones_reload_report_t rep;

	(void)ticks;
	(void)param;
	if(phones_db_fingerprint(now, sizeof(now)) == 0 && seen[0]
			&& strcmp(now, seen) == 0)
		return;
	phones_reload(0, &rep);
	/* Only a change that was taken in is forgotten: after a failure or a
	 * refusal, the next check tries again. */
	if(rep.outcome == PHONES_RELOAD_DONE)
		snprintf(seen, sizeof(seen), "%s", now);
}
