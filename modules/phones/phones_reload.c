/*
 * kamailio-phones: replacing the live snapshot with a fresh one.
 *
 * The reload follows drouting's lesson, not dialplan's: one reload at a
 * time (a flag under a lock: a second one is turned away, never run
 * alongside), the new snapshot built completely before the swap, the old
 * one kept when the database fails or the new table looks wrong, and freed
 * only when its last reader lets go (phones_store.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"

#include "phones_db.h"
#include "phones_reload.h"
#include "phones_store.h"

int phones_reload_interval = 0;
int phones_reload_max_shrink = 50;

typedef struct reload_state
{
	gen_lock_t lock;
	int running;
	time_t last;		  /* when the current snapshot was published */
	unsigned int last_ms; /* how long loading it took */
} reload_state_t;

static reload_state_t *state = NULL;

int phones_reload_init(void)
{
	state = shm_malloc(sizeof(*state));
	if(state == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	memset(state, 0, sizeof(*state));
	if(lock_init(&state->lock) == NULL) {
		shm_free(state);
		state = NULL;
		return -1;
	}
	return 0;
}

void phones_reload_destroy(void)
{
	if(state == NULL)
		return;
	lock_destroy(&state->lock);
	shm_free(state);
	state = NULL;
}

static unsigned int ms_since(const struct timeval *start)
{
	struct timeval now;

	gettimeofday(&now, NULL);
	return (unsigned int)((now.tv_sec - start->tv_sec) * 1000
						  + (now.tv_usec - start->tv_usec) / 1000);
}

static void published(unsigned int ms)
{
	lock_get(&state->lock);
	state->last = time(NULL);
	state->last_ms = ms;
	lock_release(&state->lock);
}

int phones_reload_startup(void)
{
	struct timeval start;
	phones_load_t load;

	gettimeofday(&start, NULL);
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
	published(ms_since(&start));
	return 0;
}

/* Why a new table must not replace the old one without force, or NULL. */
static const char *refusal(size_t old_entries, size_t entries)
{
	if(old_entries == 0)
		return NULL;
	if(entries == 0)
		return "it would empty the phone table";
	if((old_entries - (entries < old_entries ? entries : old_entries)) * 100
			> old_entries * (size_t)phones_reload_max_shrink)
		return "it would shrink the phone table by more than"
			   " reload_max_shrink percent";
	return NULL;
}

static void reload(int force, phones_reload_report_t *rep)
{
	struct timeval start;
	phones_ref_t *ref;
	phones_load_t load;
	const char *why;

	ref = phones_store_acquire();
	rep->old_entries = ref ? ph_table_counts(ref->table)->loaded : 0;
	phones_store_release(ref);

	gettimeofday(&start, NULL);
	if(phones_db_load(&load) < 0) {
		rep->outcome = PHONES_RELOAD_FAILED;
		snprintf(rep->why, sizeof(rep->why),
				"the database could not be read (see the log): the current"
				" table is kept");
		return;
	}
	rep->ms = ms_since(&start);
	rep->entries = ph_table_size(load.table);
	rep->skipped = ph_table_counts(load.table)->skipped;
	rep->rules = ph_rules_count(load.rules);
	rep->servers = ph_peers_servers(load.peers);
	why = force ? NULL : refusal(rep->old_entries, rep->entries);
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
	published(rep->ms);
	rep->outcome = PHONES_RELOAD_DONE;
}

void phones_reload_hold(void)
{
	for(;;) {
		lock_get(&state->lock);
		if(!state->running) {
			state->running = 1;
			lock_release(&state->lock);
			return;
		}
		lock_release(&state->lock);
		usleep(1000);
	}
}

void phones_reload_unhold(void)
{
	lock_get(&state->lock);
	state->running = 0;
	lock_release(&state->lock);
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
	lock_get(&state->lock);
	if(state->running) {
		lock_release(&state->lock);
		rep->outcome = PHONES_RELOAD_BUSY;
		snprintf(rep->why, sizeof(rep->why), "another reload is running");
		observed(rep->outcome);
		return;
	}
	state->running = 1;
	lock_release(&state->lock);
	phones_reload_held(force, rep);
	phones_reload_unhold();
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
	time_t t;

	lock_get(&state->lock);
	t = state->last;
	lock_release(&state->lock);
	return t;
}

unsigned int phones_reload_last_ms(void)
{
	unsigned int ms;

	lock_get(&state->lock);
	ms = state->last_ms;
	lock_release(&state->lock);
	return ms;
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
