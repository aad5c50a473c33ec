/*
 * kamailio-phones: replacing the live snapshot with a fresh one.
 *
 * The reload follows drouting's lesson, not dialplan's: one reload at a
 * time (a flag under a lock: a second one is turned away, never run
 * alongside), the new snapshot built completely before the swap, the old
 * one kept when the database fails or the new table looks wrong, and freed
 * only when its last reader lets go (phones_store.c). The guard and the
 * refusal policy are the core's (core/reload_guard.c, core/reload_policy.c);
 * this file loads, decides with them, publishes and reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/dprint.h"
#include "core/mem/shm_mem.h"

#include "phones/reload_guard.h"
#include "phones/reload_policy.h"

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
			&phones_shm_allocator, &guard_lock, &phones_clock);
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

static unsigned int ms_since(uint64_t start)
{
	return (unsigned int)(phones_clock.ms(phones_clock.ctx) - start);
}

int phones_reload_startup(void)
{
	uint64_t start = phones_clock.ms(phones_clock.ctx);
	phones_load_t load;

	if(phones_db_load(&load) < 0)
		return -1;
	if(ph_table_size(load.table) == 0)
		LM_WARN("the phone table is empty: every registration will be"
				" refused\n");
	if(phones_store_publish(load.table, load.rules, load.peers) < 0) {
		phones_load_free(&load);
		return -1;
	}
	/* none at start when the table cannot be read */
	if(load.devices == NULL)
		load.devices = ph_devices_new(&phones_shm_allocator);
	if(load.devices == NULL
			|| phones_store_publish_devices(load.devices) < 0) {
		ph_devices_free(load.devices);
		return -1;
	}
	ph_reload_published(guard, ms_since(start));
	return 0;
}

static void reload(int force, phones_reload_report_t *rep)
{
	uint64_t start;
	phones_ref_t *ref;
	phones_load_t load;
	const char *why;

	ref = phones_store_acquire();
	rep->old_entries = ref ? ph_table_counts(ref->table)->loaded : 0;
	phones_store_release(ref);

	start = phones_clock.ms(phones_clock.ctx);
	if(phones_db_load(&load) < 0) {
		rep->outcome = PHONES_RELOAD_FAILED;
		snprintf(rep->why, sizeof(rep->why),
				"the database could not be read (see the log): the current"
				" table is kept");
		return;
	}
	rep->ms = ms_since(start);
	rep->entries = ph_table_size(load.table);
	rep->skipped = ph_table_counts(load.table)->skipped;
	rep->rules = ph_rules_count(load.rules);
	rep->servers = ph_peers_servers(load.peers);
	/* phones_reload_max_shrink is 0 to 100: mod_init checks it */
	why = ph_reload_refusal(rep->old_entries, rep->entries,
			(unsigned int)phones_reload_max_shrink, force);
	if(why) {
		rep->outcome = PHONES_RELOAD_REFUSED;
		snprintf(rep->why, sizeof(rep->why),
				"%s (%zu entries now, %zu loaded): the current table is kept;"
				" reload with force to accept it",
				why, rep->old_entries, rep->entries);
		phones_load_free(&load);
		return;
	}
	if(phones_store_publish(load.table, load.rules, load.peers) < 0) {
		rep->outcome = PHONES_RELOAD_FAILED;
		snprintf(rep->why, sizeof(rep->why), "out of shared memory");
		phones_load_free(&load);
		return;
	}
	if(load.devices && phones_store_publish_devices(load.devices) < 0)
		ph_devices_free(load.devices);
	ph_reload_published(guard, rep->ms);
	rep->outcome = PHONES_RELOAD_DONE;
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

static void observed(phones_reload_outcome_t outcome)
{
	if(observer)
		observer(outcome);
}

void phones_reload(int force, phones_reload_report_t *rep)
{
	memset(rep, 0, sizeof(*rep));
	if(!ph_reload_try_begin(guard)) {
		rep->outcome = PHONES_RELOAD_BUSY;
		snprintf(rep->why, sizeof(rep->why), "another reload is running");
		observed(rep->outcome);
		return;
	}
	phones_reload_held(force, rep);
	ph_reload_end(guard);
}

void phones_reload_held(int force, phones_reload_report_t *rep)
{
	memset(rep, 0, sizeof(*rep));
	reload(force, rep);
	observed(rep->outcome);
	if(rep->outcome == PHONES_RELOAD_DONE)
		LM_NOTICE("reloaded: %zu entries (were %zu), %zu rules, %zu servers,"
				  " in %u ms\n",
				rep->entries, rep->old_entries, rep->rules, rep->servers,
				rep->ms);
	else
		LM_ERR("reload not done: %s\n", rep->why);
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
