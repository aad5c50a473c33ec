/*
 * kamailio-phones: the one database layer, over Kamailio's database API
 * (srdb1), so that any db_* driver serves. The loader, the change check
 * and the provisioning API all go through it: the driver bound once, one
 * connection a process, statements, SQLite transactions, lookups by keys,
 * the text of result values and the paged reading of whole tables.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_SQL_H
#define PHONES_SQL_H

#include <stddef.h>

#include "core/str.h"
#include "lib/srdb1/db.h"

#include "phones/phone_row.h"

/* Parameter: the database (any db_* module's URL). */
extern str phones_db_url;

/* Finds the driver named by db_url, once, in mod_init (an SQLite URL's
 * path is made absolute first). Returns 0; -1, having logged why. */
int phones_sql_bind(void);

/* Whether db_url names an SQLite database (sqlite://...), or a MySQL or
 * MariaDB one (mysql://...). */
int phones_sql_is_sqlite(void);
int phones_sql_is_mysql(void);

/* Whether the driver runs SQL text (raw queries). */
int phones_sql_has_raw(void);

/* The process's connection, opened on first use and kept for the next
 * (never one inherited from the process that forked this one). Returns
 * 0; -1, having logged, when it cannot be opened. */
int phones_sql_connect(void);

/* A connection opened now, for reading the database as it is (an SQLite
 * file moved or replaced since the last one is seen as it now is): the
 * process's connection is closed, an open transaction committed first,
 * and opened anew. Returns 0, or -1 as phones_sql_connect(). */
int phones_sql_reconnect(void);

/* Closes the process's connection (an open transaction goes with it): the
 * next use opens a new one. Called after a failure. */
void phones_sql_disconnect(void);

/* Runs a query of SQL text; *res for the caller to free with
 * phones_sql_free(). Returns 0; -1 with *res NULL. */
int phones_sql_raw_query(const char *sql, int len, db1_res_t **res);

/* SQLite: the writes until phones_sql_commit() are one transaction,
 * written together and all or none. Other databases (VICIdial's MyISAM
 * tables have none): nothing, each write is made at once. */
void phones_sql_begin(void);
/* Commits the open transaction, if any; a failed commit is logged and
 * drops the connection (a failure's writes are discarded the same way:
 * phones_sql_disconnect()). Returns 0 (also when none was open), -1 when
 * the commit failed. */
int phones_sql_commit(void);

/* SELECT cols FROM table WHERE keys = vals (no keys: every row); *res for
 * the caller to free with phones_sql_free(). Returns 0; -1 with *res NULL
 * after logging the failure and dropping the connection. */
int phones_sql_select(const str *table, db_key_t *keys, db_val_t *vals,
		int nkeys, db_key_t *cols, int ncols, db1_res_t **res);

/* Whether a row of table has keys = vals: 1, 0, or -1 as
 * phones_sql_select(); col is the one column read. */
int phones_sql_exists(const str *table, db_key_t *keys, db_val_t *vals,
		int nkeys, db_key_t col);

void phones_sql_free(db1_res_t *res);

/* INSERT, UPDATE ... WHERE keys = kvals, DELETE ... WHERE keys = kvals, on
 * the process's connection. Returns 0, or -1 (the connection is kept: the
 * caller decides whether the failure ends its transaction). */
int phones_sql_insert(const str *table, db_key_t *cols, db_val_t *vals, int n);
int phones_sql_update(const str *table, db_key_t *keys, db_val_t *kvals,
		int nkeys, db_key_t *cols, db_val_t *vals, int n);
int phones_sql_delete(
		const str *table, db_key_t *keys, db_val_t *kvals, int nkeys);

/* Called with each chunk of rows a read gives; returns -1 to stop it. */
typedef int (*phones_sql_rows_f)(db1_res_t *res, void *arg);

/* SELECT cols FROM table [WHERE keys = vals], given to cb page_rows rows
 * at a time: a chunk fetched at a time where the driver fetches (MySQL),
 * a page read by rowid with SQLite (whose driver holds a whole result in
 * private memory), else the whole result at once. Keys must be strings.
 * Returns 0, or -1 having logged why. */
int phones_sql_read(const str *table, db_key_t *cols, int ncols, db_key_t *keys,
		db_val_t *vals, int nkeys, int page_rows, phones_sql_rows_f cb,
		void *arg);

/* A string value: len bytes of s (phones_sql_str()), or a C string
 * (phones_sql_cstr()). */
void phones_sql_str(db_val_t *v, const char *s, size_t len);
void phones_sql_cstr(db_val_t *v, const char *s);

/* The text of a value, whatever type the driver gave it; numbers are
 * written into buf. NULL, dates and doubles give f->s == NULL. */
void phones_sql_field(db_val_t *v, ph_field_t *f, char *buf, size_t size);

/* The text of a value as a C string: "" for NULL (and dates, doubles);
 * other than strings, written into buf (size bytes with the NUL). */
const char *phones_sql_text(db_val_t *v, char *buf, size_t size);

/* The text of a value copied into out (size bytes with the NUL). */
void phones_sql_copy_text(db_val_t *v, char *out, size_t size);

/* An integer value, whatever type the driver gave it: 0, or -1 when it
 * is not one. */
int phones_sql_int(db_val_t *v, long long *out);

/* Which of the n names are columns of table: present[i] 1 or 0. Asks the
 * database's catalogue (SQLite's pragma_table_info, MySQL's
 * information_schema), so that a missing column is no failed query.
 * Returns 0; -1 when it cannot tell (another driver, a table name that is
 * not plain, a failed query, a table it does not know). */
int phones_sql_columns(const str *table, const str *names, int n, int *present);

/* A name safe to write into SQL text: letters, digits, '_'. */
int phones_sql_plain_name(const str *name);

#endif
