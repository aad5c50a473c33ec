/*
 * kamailio-phones: a change of one phone through the API, carried out:
 * the database first, the live table second.
 *
 * ph_api_handle() (api_request.h) decides what to write; this decides
 * what the live table needs and does it in order. The table after the
 * change is prepared first, as a change table that nobody sees yet
 * (ph_table_change); then the database is written and committed; then
 * the change table is published. A write that fails publishes nothing and
 * frees the change table, so the table never holds what the database
 * does not. What the table alone cannot settle (an extension another
 * server holds, an update of a row it does not hold, a row it would
 * refuse, or no memory to publish) is written and then settled by a full
 * reload from the database. The caller holds the reload guard throughout,
 * so that no reload and no other change comes in between.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CHANGE_APPLY_H
#define PHONES_CHANGE_APPLY_H

#include <stddef.h>

#include "phones/allocator.h"
#include "phones/api_request.h"
#include "phones/phone_row.h"
#include "phones/phone_table.h"
#include "phones/reload_run.h"
#include "phones/snapshot_store.h"

/* The host's database. write() writes res (its action on its target) and
 * returns 0, or -1 when nothing of it was written (having logged why);
 * commit() makes the writes durable before the table follows them. */
typedef struct ph_change_db
{
	int (*write)(void *ctx, const ph_api_result_t *res);
	void (*commit)(void *ctx);
	void *ctx;
} ph_change_db_t;

/* A full reload by the caller that holds the guard (ph_reload_held_run,
 * with the host's logging and counting), report filled. */
typedef struct ph_change_reload
{
	void (*reload)(void *ctx, ph_reload_report_t *report);
	void *ctx;
} ph_change_reload_t;

typedef struct ph_changer
{
	ph_store_t *store;				 /* the current table, and publish */
	const ph_allocator_t *allocator; /* for the change table */
	ph_change_db_t db;
	ph_change_reload_t reload;
	/* the server_ip parameter (NULL or empty: every server's phones are
	 * held); not NUL-terminated */
	const char *server_ip;
	size_t server_ip_len;
} ph_changer_t;

typedef enum ph_change_outcome
{
	PH_CHANGE_PUBLISHED = 0, /* written, the change table published */
	PH_CHANGE_UNCHANGED,	 /* written; another server's phone, not held */
	PH_CHANGE_DB_ONLY,		 /* written; an alias, which the table lacks */
	PH_CHANGE_RELOADED,		 /* written; a full reload published it */
	PH_CHANGE_NOT_RELOADED,	 /* written, but the reload published nothing:
							  * the report says why */
	PH_CHANGE_NO_MEMORY,	 /* nothing written: no memory for the change
							  * table (or no table published yet) */
	PH_CHANGE_DB_FAILED		 /* nothing written: the database failed */
} ph_change_outcome_t;

/* Carries out res (an action of ph_api_handle, not PH_API_NONE) as above.
 * report is filled when a reload ran (RELOADED, NOT_RELOADED), and zeroed
 * otherwise. */
ph_change_outcome_t ph_change_apply(const ph_changer_t *c,
		const ph_api_result_t *res, ph_reload_report_t *report);

/* The row of the phones table after res, from its fields and, for an
 * update, the current entry e (NULL for an insert: what res lacks is SQL
 * NULL, and active 'N'). row points into res and e. */
void ph_change_row_after(
		const ph_entry_t *e, const ph_api_result_t *res, ph_row_t *row);

#endif
