/*
 * kamailio-phones: one reload, from the database to the published
 * snapshot.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "phones/reload_policy.h"
#include "phones/reload_run.h"

void ph_load_free(ph_load_t *load)
{
	ph_table_free(load->table);
	ph_rules_free(load->rules);
	ph_peers_free(load->peers);
	ph_devices_free(load->devices);
	memset(load, 0, sizeof(*load));
}

static unsigned int ms_since(const ph_reloader_t *r, uint64_t start)
{
	return (unsigned int)(r->clock->ms(r->clock->ctx) - start);
}

/* The loader's work, and the report's figures of it; -1 (FAILED, why
 * set) when the database could not be read. */
static int load(const ph_reloader_t *r, ph_load_t *l, ph_reload_report_t *rep)
{
	uint64_t start = r->clock->ms(r->clock->ctx);

	memset(l, 0, sizeof(*l));
	if(r->loader.load(r->loader.ctx, l) < 0) {
		/* the loader promises NULLs; free whatever it left anyway */
		ph_load_free(l);
		rep->outcome = PH_RELOAD_FAILED;
		snprintf(rep->why, sizeof(rep->why),
				"the database could not be read (see the log): the current"
				" table is kept");
		return -1;
	}
	rep->ms = ms_since(r, start);
	rep->entries = ph_table_size(l->table);
	rep->skipped = ph_table_counts(l->table)->skipped;
	rep->rules = ph_rules_count(l->rules);
	rep->servers = ph_peers_servers(l->peers);
	return 0;
}

/* Publishes table, rules and peers; -1 (FAILED, why set, all three freed)
 * when out of memory. The devices stay in l. */
static int publish(
		const ph_reloader_t *r, ph_load_t *l, ph_reload_report_t *rep)
{
	if(ph_store_publish(r->store, l->table, l->rules, l->peers) < 0) {
		rep->outcome = PH_RELOAD_FAILED;
		snprintf(rep->why, sizeof(rep->why), "out of shared memory");
		ph_load_free(l);
		return -1;
	}
	l->table = NULL;
	l->rules = NULL;
	l->peers = NULL;
	return 0;
}

int ph_reload_first(const ph_reloader_t *r, const ph_allocator_t *allocator,
		ph_reload_report_t *rep)
{
	uint64_t start = r->clock->ms(r->clock->ctx);
	ph_load_t l;

	memset(rep, 0, sizeof(*rep));
	if(load(r, &l, rep) < 0) {
		/* there is no current table to keep */
		snprintf(rep->why, sizeof(rep->why),
				"the database could not be read (see the log)");
		return -1;
	}
	if(publish(r, &l, rep) < 0)
		return -1;
	/* none at start when the devices cannot be read */
	if(l.devices == NULL)
		l.devices = ph_devices_new(allocator);
	if(l.devices == NULL || ph_store_publish_devices(r->store, l.devices) < 0) {
		ph_devices_free(l.devices);
		rep->outcome = PH_RELOAD_FAILED;
		snprintf(rep->why, sizeof(rep->why), "out of shared memory");
		return -1;
	}
	/* the first load's time is the whole start, publishing included */
	rep->ms = ms_since(r, start);
	ph_reload_published(r->guard, rep->ms);
	rep->outcome = PH_RELOAD_DONE;
	return 0;
}

void ph_reload_held_run(
		const ph_reloader_t *r, int force, ph_reload_report_t *rep)
{
	ph_snapshot_t *snap;
	ph_load_t l;
	const char *why;

	memset(rep, 0, sizeof(*rep));
	snap = ph_store_acquire(r->store);
	rep->old_entries = snap ? ph_table_counts(snap->table)->loaded : 0;
	ph_store_release(r->store, snap);

	if(load(r, &l, rep) < 0)
		return;
	why = ph_reload_refusal(
			rep->old_entries, rep->entries, r->max_shrink, force);
	if(why) {
		rep->outcome = PH_RELOAD_REFUSED;
		snprintf(rep->why, sizeof(rep->why),
				"%s (%zu entries now, %zu loaded): the current table is kept;"
				" reload with force to accept it",
				why, rep->old_entries, rep->entries);
		ph_load_free(&l);
		return;
	}
	if(publish(r, &l, rep) < 0)
		return;
	/* devices that cannot be published leave the current ones */
	if(l.devices && ph_store_publish_devices(r->store, l.devices) < 0)
		ph_devices_free(l.devices);
	ph_reload_published(r->guard, rep->ms);
	rep->outcome = PH_RELOAD_DONE;
}

void ph_reload_run(const ph_reloader_t *r, int force, ph_reload_report_t *rep)
{
	if(!ph_reload_try_begin(r->guard)) {
		memset(rep, 0, sizeof(*rep));
		rep->outcome = PH_RELOAD_BUSY;
		snprintf(rep->why, sizeof(rep->why), "another reload is running");
		return;
	}
	ph_reload_held_run(r, force, rep);
	ph_reload_end(r->guard);
}
