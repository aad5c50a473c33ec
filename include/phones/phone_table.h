/*
 * kamailio-phones: the phone table, built once from rows, then read-only.
 *
 * Lookups by extension and by dialplan number are O(1): two open-addressing
 * hash indexes over an array of entries. A table is built by one process
 * (ph_table_new, ph_table_add_row..., then published) and afterwards only
 * read, so readers need no lock of their own.
 *
 * A change of one phone (ph_table_change) makes a small change table that
 * holds the changed entries and stands before the table it was made from
 * (its base, shared, not copied): lookups ask it first. Tables are
 * reference-counted (atomically, so in shared memory across processes):
 * ph_table_free() drops one reference, and a base goes with the last table
 * that holds it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PHONE_TABLE_H
#define PHONES_PHONE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"
#include "phones/phone_row.h"
#include "phones/protocol.h"

/* A string held by the table: NUL-terminated, len without the NUL. */
typedef struct ph_sv
{
	const char *s;
	uint32_t len;
} ph_sv_t;

/* Another server has a row with the same extension but another password,
 * protocol or active flag: refused. */
#define PH_ENTRY_AMBIGUOUS_EXTENSION (1u << 0)
/* Another entry has the same dialplan number: refused by number. */
#define PH_ENTRY_AMBIGUOUS_NUMBER (1u << 1)

/* Longest list of home servers an entry holds (64 addresses of 15
 * characters and their commas); a row beyond it is refused as too long. */
#define PH_MAX_HOME_SERVERS_TEXT 1024

/* Keys held in the entry itself below these lengths (see ph_entry_t):
 * extensions up to 15 characters, dialplan numbers up to 7. */
#define PH_SHORT_EXTENSION 16
#define PH_SHORT_NUMBER 8

typedef struct ph_entry
{
	/* What a lookup by extension reads, together at the entry's start: an
	 * entry is 128 bytes on a 64-byte boundary, so they are one cache
	 * line. The extension itself is inline when shorter than
	 * PH_SHORT_EXTENSION (most are; extension.s then points to
	 * short_extension), so a lookup reads the index slot and that line,
	 * and no string elsewhere. */
	uint8_t flags;	  /* PH_ENTRY_* */
	uint8_t protocol; /* ph_protocol_t */
	uint8_t active;	  /* 1 only for active = 'Y' */
	uint16_t nservers; /* rows held in this entry */
	ph_sv_t extension;
	char short_extension[PH_SHORT_EXTENSION];
	/* What a lookup by number reads, next (likewise inline when short:
	 * a number of 8 characters or more is in the arena, one cache miss
	 * more for a lookup by it). */
	ph_sv_t dialplan_number;
	char short_number[PH_SHORT_NUMBER];
	ph_sv_t secret; /* conf_secret, the SIP registration password */
	ph_sv_t server_ip; /* the first row's */
	/* Home servers: the server_ip of every row of this device, in load
	 * order, comma-separated (empty ones left out). VICIdial's clusters put
	 * one phone on several servers with the same password; those rows are
	 * one entry here. */
	ph_sv_t servers;
	ph_sv_t outbound_cid;
} ph_entry_t;

_Static_assert(sizeof(ph_entry_t) == 128,
		"a phone entry is two cache lines, its lookup fields in the first");

typedef struct ph_table_counts
{
	size_t rows;					   /* rows offered */
	size_t loaded;					   /* entries held */
	size_t skipped; /* rows not held (home server rows are held) */
	size_t by_result[PH_ROW_RESULT_COUNT]; /* rows per ph_row_result_t */
	size_t ambiguous_extensions;	   /* entries refused as ambiguous */
	size_t ambiguous_numbers;		   /* entries not found by number */
} ph_table_counts_t;

typedef struct ph_table ph_table_t;

/* An empty table, or NULL when the allocator fails. */
ph_table_t *ph_table_new(const ph_allocator_t *allocator);

/* Adds one row. Returns PH_ROW_LOADED (a new entry), PH_ROW_HOME_SERVER
 * (another server of an entry already held: same extension, password,
 * protocol and active flag), or why the row was not held; the table is
 * unchanged by a row that is not held, and stays usable after
 * PH_ROW_NO_MEMORY. */
ph_row_result_t ph_table_add_row(ph_table_t *t, const ph_row_t *row);

/* The entry with this extension, or NULL (also for a NULL table). */
const ph_entry_t *ph_table_by_extension(
		const ph_table_t *t, const char *s, size_t len);

/* The entry with this dialplan number, or NULL. When several entries share
 * the number, the first loaded is returned with PH_ENTRY_AMBIGUOUS_NUMBER
 * set, and the caller must refuse it. */
const ph_entry_t *ph_table_by_number(
		const ph_table_t *t, const char *s, size_t len);

/* Entries in load order, for listing: 0 <= i < ph_table_size(t). For a
 * change table, the base's then its own: an entry it changed or removed is
 * NULL (counts.loaded has the entries shown). */
size_t ph_table_size(const ph_table_t *t);
const ph_entry_t *ph_table_entry(const ph_table_t *t, size_t i);

/* Entries and removal marks a change table holds; 0 for a full table. */
size_t ph_table_changes(const ph_table_t *t);

/* The changes to hold before merging, for ph_table_change: about twice the
 * square root of the entries (64 to 8192), so that copying the change
 * table (which grows with it) and merging (which grows with the table)
 * cost alike, O(sqrt(n)) a change. */
size_t ph_table_max_changes(const ph_table_t *t);

const ph_table_counts_t *ph_table_counts(const ph_table_t *t);

/* A new table from src (which stays as it is): every entry but the one
 * with extension remove (none when remove is NULL), then row when it is
 * not NULL. Dialplan number ambiguity is worked out afresh; an extension
 * found on several servers stays ambiguous. The load's figures (rows,
 * skipped by reason) are carried over, adjusted for the change. Returns
 * NULL when out of memory, or, with *needs_reload set, when the change
 * touches an ambiguous extension or one with several home servers: only
 * the whole table can settle that. */
/* (A row that cannot be used is counted under its reason, as a load would
 * count it, and left out.) */
ph_table_t *ph_table_copy_change(const ph_table_t *src,
		const ph_allocator_t *allocator, const char *remove, size_t len,
		const ph_row_t *row, int *needs_reload);

/* The same change as ph_table_copy_change, made in a change table over
 * cur's base (cur stays as it is): the changes cur holds plus this one,
 * in time proportional to them, not to the table. Falls back to
 * ph_table_copy_change (a merged full table) when the change touches an
 * ambiguous extension or number or one with several home servers, gives
 * a number another entry has, or when more than max_changes would be
 * held. */
ph_table_t *ph_table_change(ph_table_t *cur, const ph_allocator_t *allocator,
		const char *remove, size_t len, const ph_row_t *row,
		size_t max_changes, int *needs_reload);

/* Calls fn with each home server of e (see ph_entry_t.servers), in order,
 * until fn returns non-zero; returns that value, or 0. */
int ph_entry_each_server(const ph_entry_t *e,
		int (*fn)(const char *ip, size_t len, void *arg), void *arg);

/* Whether ip is one of e's home servers. */
int ph_entry_has_server(const ph_entry_t *e, const char *ip, size_t len);

/* Bytes the table holds from its allocator (a change table's with its
 * base's). */
size_t ph_table_memory(const ph_table_t *t);

/* Takes a reference (a reader holding t while another drops it). */
void ph_table_ref(ph_table_t *t);

/* Drops a reference: the table is freed with the last one. */
void ph_table_free(ph_table_t *t);

#endif
