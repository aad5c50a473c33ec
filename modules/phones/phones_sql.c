/*
 * kamailio-phones: the one database layer over Kamailio's srdb1.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/mem/mem.h"

#include "phones_sql.h"

#define PHONES_DEFAULT_DB_URL "sqlite:///var/lib/kamailio/phones.sqlite"

str phones_db_url = str_init(PHONES_DEFAULT_DB_URL);

static db_func_t dbf;
static db1_con_t *con = NULL; /* this process's, opened on first use */
static pid_t con_pid = 0;	  /* the process that opened it */
static int in_transaction = 0;

static int statement(const char *sql);

/* "sqlite:///var/lib/x.sqlite" names /var/lib/x.sqlite, as every SQLite
 * URL does; Kamailio's URL parser takes what follows the third '/', so
 * db_sqlite would open var/lib/x.sqlite relative to the working
 * directory. The URL is given a fourth '/': the path stays absolute. */
static int sqlite_url_absolute(void)
{
	static const char prefix[] = "sqlite:///";
	const int plen = sizeof(prefix) - 1;
	char *s;

	if(phones_db_url.len <= plen || strncmp(phones_db_url.s, prefix, plen) != 0
			|| phones_db_url.s[plen] == '/')
		return 0;
	s = pkg_malloc(phones_db_url.len + 2);
	if(s == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	memcpy(s, prefix, plen);
	s[plen] = '/';
	memcpy(s + plen + 1, phones_db_url.s + plen, phones_db_url.len - plen);
	s[phones_db_url.len + 1] = '\0';
	phones_db_url.s = s; /* for the life of the process */
	phones_db_url.len++;
	return 0;
}

/* The URL's scheme, for logs: the rest may hold a password. */
static int scheme_len(const str *url)
{
	char *end = memchr(url->s, ':', url->len);

	return end ? (int)(end - url->s) : 0;
}

int phones_sql_bind(void)
{
	if(phones_db_url.s == NULL || phones_db_url.len <= 0) {
		LM_ERR("db_url is empty\n");
		return -1;
	}
	if(sqlite_url_absolute() < 0)
		return -1;
	if(db_bind_mod(&phones_db_url, &dbf) < 0) {
		LM_ERR("no database driver for db_url '%.*s:...': load its db_*"
			   " module first\n",
				scheme_len(&phones_db_url), phones_db_url.s);
		return -1;
	}
	if(!DB_CAPABILITY(dbf, DB_CAP_QUERY)) {
		LM_ERR("the database driver cannot run queries\n");
		return -1;
	}
	return 0;
}

int phones_sql_is_sqlite(void)
{
	return phones_db_url.len > 9
		   && strncmp(phones_db_url.s, "sqlite://", 9) == 0;
}

int phones_sql_is_mysql(void)
{
	return phones_db_url.len > 8
		   && strncmp(phones_db_url.s, "mysql://", 8) == 0;
}

int phones_sql_has_raw(void)
{
	return DB_CAPABILITY(dbf, DB_CAP_RAW_QUERY);
}

/* Transactions are SQLite's alone, and need SQL text. */
static int transactions(void)
{
	return phones_sql_is_sqlite() && phones_sql_has_raw();
}

int phones_sql_connect(void)
{
	if(con != NULL && con_pid == getpid())
		return 0;
	/* a connection of the process that forked this one is that one's:
	 * forgotten, not closed (closing would end it for its owner too) */
	con = NULL;
	in_transaction = 0;
	if((con = dbf.init(&phones_db_url)) == NULL) {
		LM_ERR("cannot connect to the database at db_url\n");
		return -1;
	}
	con_pid = getpid();
	/* SQLite in WAL mode (db/phones-sqlite.sql makes it so): a commit is
	 * written to the log without waiting for the disk, as durable as
	 * VICIdial's MyISAM tables (the OS writes both out); the database
	 * stays whole after a crash. */
	if(transactions())
		statement("PRAGMA synchronous=NORMAL");
	return 0;
}

void phones_sql_disconnect(void)
{
	if(con && con_pid == getpid())
		dbf.close(con);
	con = NULL;
	in_transaction = 0;
}

int phones_sql_reconnect(void)
{
	phones_sql_commit();
	phones_sql_disconnect();
	return phones_sql_connect();
}

/* One statement of SQL text whose result, if any, is not wanted: 0, or
 * -1. db_sqlite runs a raw query only while it stores its result, so a
 * statement is run as a query whose result is freed. */
static int statement(const char *sql)
{
	db1_res_t *res = NULL;

	if(phones_sql_raw_query(sql, (int)strlen(sql), &res) < 0)
		return -1;
	phones_sql_free(res);
	return 0;
}

int phones_sql_raw_query(const char *sql, int len, db1_res_t **res)
{
	str q;

	*res = NULL;
	if(!phones_sql_has_raw() || phones_sql_connect() < 0)
		return -1;
	q.s = (char *)sql;
	q.len = len;
	if(dbf.raw_query(con, &q, res) < 0) {
		phones_sql_free(*res);
		*res = NULL;
		return -1;
	}
	return 0;
}

void phones_sql_begin(void)
{
	if(!transactions() || phones_sql_connect() < 0)
		return;
	in_transaction = statement("BEGIN") == 0;
}

int phones_sql_commit(void)
{
	if(!in_transaction || con == NULL)
		return 0;
	in_transaction = 0;
	if(statement("COMMIT") < 0) {
		LM_ERR("cannot commit the writes\n");
		phones_sql_disconnect();
		return -1;
	}
	return 0;
}

void phones_sql_free(db1_res_t *res)
{
	if(res && con)
		dbf.free_result(con, res);
}

int phones_sql_select(const str *table, db_key_t *keys, db_val_t *vals,
		int nkeys, db_key_t *cols, int ncols, db1_res_t **res)
{
	*res = NULL;
	if(phones_sql_connect() < 0)
		return -1;
	if(dbf.use_table(con, table) < 0
			|| dbf.query(con, keys, NULL, vals, cols, nkeys, ncols, NULL, res)
					   < 0
			|| *res == NULL) {
		LM_ERR("query on table '%.*s' failed\n", table->len, table->s);
		phones_sql_free(*res);
		*res = NULL;
		phones_sql_disconnect();
		return -1;
	}
	return 0;
}

int phones_sql_exists(const str *table, db_key_t *keys, db_val_t *vals,
		int nkeys, db_key_t col)
{
	db1_res_t *res;
	int rows;

	if(phones_sql_select(table, keys, vals, nkeys, &col, 1, &res) < 0)
		return -1;
	rows = RES_ROW_N(res);
	phones_sql_free(res);
	return rows > 0;
}

int phones_sql_insert(const str *table, db_key_t *cols, db_val_t *vals, int n)
{
	if(phones_sql_connect() < 0 || dbf.use_table(con, table) < 0)
		return -1;
	return dbf.insert(con, cols, vals, n) < 0 ? -1 : 0;
}

int phones_sql_update(const str *table, db_key_t *keys, db_val_t *kvals,
		int nkeys, db_key_t *cols, db_val_t *vals, int n)
{
	if(phones_sql_connect() < 0 || dbf.use_table(con, table) < 0)
		return -1;
	return dbf.update(con, keys, NULL, kvals, cols, vals, nkeys, n) < 0 ? -1
																		: 0;
}

int phones_sql_delete(
		const str *table, db_key_t *keys, db_val_t *kvals, int nkeys)
{
	if(phones_sql_connect() < 0 || dbf.use_table(con, table) < 0)
		return -1;
	return dbf.delete(con, keys, NULL, kvals, nkeys) < 0 ? -1 : 0;
}

void phones_sql_str(db_val_t *v, const char *s, size_t len)
{
	memset(v, 0, sizeof(*v));
	VAL_TYPE(v) = DB1_STR;
	VAL_STR(v).s = (char *)s;
	VAL_STR(v).len = (int)len;
}

void phones_sql_cstr(db_val_t *v, const char *s)
{
	phones_sql_str(v, s, strlen(s));
}

void phones_sql_field(db_val_t *v, ph_field_t *f, char *buf, size_t size)
{
	int n = -1;

	f->s = NULL;
	f->len = 0;
	if(VAL_NULL(v))
		return;
	switch(VAL_TYPE(v)) {
		case DB1_STRING:
			if(VAL_STRING(v)) {
				f->s = VAL_STRING(v);
				f->len = strlen(f->s);
			}
			return;
		case DB1_STR:
			f->s = VAL_STR(v).s ? VAL_STR(v).s : "";
			f->len = VAL_STR(v).s ? (size_t)VAL_STR(v).len : 0;
			return;
		case DB1_BLOB:
			f->s = VAL_BLOB(v).s ? VAL_BLOB(v).s : "";
			f->len = VAL_BLOB(v).s ? (size_t)VAL_BLOB(v).len : 0;
			return;
		case DB1_INT:
			n = snprintf(buf, size, "%d", VAL_INT(v));
			break;
		case DB1_UINT:
			n = snprintf(buf, size, "%u", VAL_UINT(v));
			break;
		case DB1_BIGINT:
			n = snprintf(buf, size, "%lld", (long long)VAL_BIGINT(v));
			break;
		case DB1_UBIGINT:
			n = snprintf(buf, size, "%llu", (unsigned long long)VAL_UBIGINT(v));
			break;
		default: /* dates, doubles, bitmaps: no column of ours holds them */
			return;
	}
	if(n >= 0 && (size_t)n < size) {
		f->s = buf;
		f->len = (size_t)n;
	}
}

const char *phones_sql_text(db_val_t *v, char *buf, size_t size)
{
	ph_field_t f;

	phones_sql_field(v, &f, buf, size);
	if(f.s == NULL)
		return "";
	if(f.s == buf || VAL_TYPE(v) == DB1_STRING)
		return f.s; /* a number written into buf, or a C string */
	snprintf(buf, size, "%.*s", (int)f.len, f.s);
	return buf;
}

void phones_sql_copy_text(db_val_t *v, char *out, size_t size)
{
	const char *t = phones_sql_text(v, out, size);

	if(t != out)
		snprintf(out, size, "%s", t);
}

int phones_sql_int(db_val_t *v, long long *out)
{
	char buf[24];
	ph_field_t f;
	char *end;

	phones_sql_field(v, &f, buf, sizeof(buf));
	if(f.s == NULL || f.len == 0 || f.len >= sizeof(buf))
		return -1;
	memcpy(buf, f.s, f.len);
	buf[f.len] = '\0';
	*out = strtoll(buf, &end, 10);
	return *end == '\0' ? 0 : -1;
}

int phones_sql_plain_name(const str *name)
{
	int i;

	for(i = 0; i < name->len; i++) {
		if(!((name->s[i] >= 'a' && name->s[i] <= 'z')
				   || (name->s[i] >= 'A' && name->s[i] <= 'Z')
				   || (name->s[i] >= '0' && name->s[i] <= '9')
				   || name->s[i] == '_'))
			return 0;
	}
	return name->len > 0;
}

int phones_sql_columns(const str *table, const str *names, int n, int *present)
{
	char sql[512];
	char buf[128];
	db1_res_t *res = NULL;
	ph_field_t f;
	int i, j, w, rows;

	for(i = 0; i < n; i++)
		present[i] = 0;
	if(!phones_sql_plain_name(table) || !phones_sql_has_raw())
		return -1;
	if(phones_sql_is_sqlite())
		w = snprintf(sql, sizeof(sql),
				"SELECT name FROM pragma_table_info('%.*s')", table->len,
				table->s);
	else if(phones_sql_is_mysql())
		w = snprintf(sql, sizeof(sql),
				"SELECT COLUMN_NAME FROM information_schema.COLUMNS"
				" WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = '%.*s'",
				table->len, table->s);
	else
		return -1;
	if(w < 0 || (size_t)w >= sizeof(sql)
			|| phones_sql_raw_query(sql, w, &res) < 0 || res == NULL) {
		phones_sql_free(res);
		return -1;
	}
	rows = RES_ROW_N(res);
	for(j = 0; j < rows && RES_COL_N(res) >= 1; j++) {
		phones_sql_field(ROW_VALUES(&RES_ROWS(res)[j]), &f, buf, sizeof(buf));
		for(i = 0; f.s && i < n; i++) {
			if((size_t)names[i].len == f.len
					&& strncasecmp(names[i].s, f.s, f.len) == 0)
				present[i] = 1;
		}
	}
	phones_sql_free(res);
	return rows > 0 ? 0 : -1;
}

/* Appends s (len bytes) to the SQL text; -1 when it does not fit. */
static int sql_add(char *sql, size_t size, size_t *n, const char *s, int len)
{
	if(len < 0 || *n + (size_t)len + 1 > size)
		return -1;
	memcpy(sql + *n, s, len);
	*n += (size_t)len;
	sql[*n] = '\0';
	return 0;
}

/* The SQL text of one page: SELECT cols, rowid FROM table WHERE keys AND
 * rowid > after ORDER BY rowid LIMIT rows. Names must be plain (letters,
 * digits, '_'); a string key's quotes are doubled. -1 when it cannot be
 * made (then the whole table is read at once). */
static int page_sql(char *sql, size_t size, const str *table, db_key_t *cols,
		int ncols, db_key_t *keys, db_val_t *vals, int nkeys, long long after,
		int rows)
{
	char num[64];
	size_t n = 0;
	int i, j, w;
	str *v;

	sql[0] = '\0';
	if(!phones_sql_plain_name(table)
			|| sql_add(sql, size, &n, "SELECT ", 7) < 0)
		return -1;
	for(i = 0; i < ncols; i++) {
		if(!phones_sql_plain_name(cols[i])
				|| sql_add(sql, size, &n, cols[i]->s, cols[i]->len) < 0
				|| sql_add(sql, size, &n, ",", 1) < 0)
			return -1;
	}
	if(sql_add(sql, size, &n, "rowid FROM ", 11) < 0
			|| sql_add(sql, size, &n, table->s, table->len) < 0
			|| sql_add(sql, size, &n, " WHERE ", 7) < 0)
		return -1;
	for(i = 0; i < nkeys; i++) {
		if(VAL_TYPE(&vals[i]) != DB1_STR || VAL_NULL(&vals[i])
				|| !phones_sql_plain_name(keys[i])
				|| sql_add(sql, size, &n, keys[i]->s, keys[i]->len) < 0
				|| sql_add(sql, size, &n, "='", 2) < 0)
			return -1;
		v = &VAL_STR(&vals[i]);
		for(j = 0; j < v->len; j++) {
			if(sql_add(sql, size, &n, v->s + j, 1) < 0
					|| (v->s[j] == '\'' && sql_add(sql, size, &n, "'", 1) < 0))
				return -1;
		}
		if(sql_add(sql, size, &n, "' AND ", 6) < 0)
			return -1;
	}
	w = snprintf(num, sizeof(num), "rowid>%lld ORDER BY rowid LIMIT %d", after,
			rows);
	return sql_add(sql, size, &n, num, w);
}

/* SQLite's driver holds a whole result in private memory: read the table
 * a page of rows at a time, by rowid (keyset paging), so that any size
 * loads within Kamailio's default -M. Returns 0 done, -1 failed, 1 when
 * paging cannot be used (the caller reads it at once). */
static int read_pages(const str *table, db_key_t *cols, int ncols,
		db_key_t *keys, db_val_t *vals, int nkeys, int page_rows,
		phones_sql_rows_f cb, void *arg)
{
	char sql[2048];
	long long after = 0;
	db1_res_t *res;
	db_val_t *last;
	str q;
	int rows;

	if(!phones_sql_has_raw())
		return 1;
	for(;;) {
		if(page_sql(sql, sizeof(sql), table, cols, ncols, keys, vals, nkeys,
				   after, page_rows)
				< 0)
			return after == 0 ? 1 : -1;
		q.s = sql;
		q.len = (int)strlen(sql);
		res = NULL;
		if(dbf.raw_query(con, &q, &res) < 0 || res == NULL) {
			phones_sql_free(res);
			if(after == 0)
				return 1; /* no rowid (a view?): read it at once */
			LM_ERR("cannot read table '%.*s' after rowid %lld\n", table->len,
					table->s, after);
			return -1;
		}
		rows = RES_ROW_N(res);
		if(rows > 0 && RES_COL_N(res) < ncols + 1) {
			LM_ERR("table '%.*s' gave %d columns, not %d\n", table->len,
					table->s, RES_COL_N(res), ncols + 1);
			phones_sql_free(res);
			return -1;
		}
		if(rows > 0) {
			last = &ROW_VALUES(&RES_ROWS(res)[rows - 1])[ncols];
			if(VAL_NULL(last)
					|| (VAL_TYPE(last) != DB1_INT
							&& VAL_TYPE(last) != DB1_BIGINT)) {
				phones_sql_free(res);
				return after == 0 ? 1 : -1;
			}
			after = VAL_TYPE(last) == DB1_INT ? (long long)VAL_INT(last)
											  : (long long)VAL_BIGINT(last);
			if(cb(res, arg) < 0) {
				phones_sql_free(res);
				return -1;
			}
		}
		phones_sql_free(res);
		if(rows < page_rows)
			return 0;
	}
}

int phones_sql_read(const str *table, db_key_t *cols, int ncols, db_key_t *keys,
		db_val_t *vals, int nkeys, int page_rows, phones_sql_rows_f cb,
		void *arg)
{
	db_op_t ops[1] = {OP_EQ};
	int fetch = DB_CAPABILITY(dbf, DB_CAP_FETCH);
	db1_res_t *res = NULL;
	int rc = -1;

	if(phones_sql_connect() < 0)
		return -1;
	if(!fetch && phones_sql_is_sqlite()) {
		rc = read_pages(
				table, cols, ncols, keys, vals, nkeys, page_rows, cb, arg);
		if(rc <= 0)
			return rc;
		rc = -1;
	}

	if(dbf.use_table(con, table) < 0) {
		LM_ERR("cannot use table '%.*s'\n", table->len, table->s);
		return -1;
	}
	if(dbf.query(con, nkeys ? keys : NULL, nkeys ? ops : NULL,
			   nkeys ? vals : NULL, cols, nkeys, ncols, NULL,
			   fetch ? NULL : &res)
			< 0) {
		LM_ERR("cannot query table '%.*s': check the table and the *_column"
			   " parameters\n",
				table->len, table->s);
		goto done;
	}
	if(fetch && dbf.fetch_result(con, &res, page_rows) < 0)
		goto fetch_error;
	while(res && RES_ROW_N(res) > 0) {
		if(RES_COL_N(res) < ncols) {
			LM_ERR("table '%.*s' gave %d columns, not %d\n", table->len,
					table->s, RES_COL_N(res), ncols);
			goto done;
		}
		if(cb(res, arg) < 0)
			goto done;
		if(!fetch)
			break;
		if(dbf.fetch_result(con, &res, page_rows) < 0)
			goto fetch_error;
	}
	rc = 0;
	goto done;

fetch_error:
	LM_ERR("cannot fetch rows of table '%.*s'\n", table->len, table->s);
done:
	phones_sql_free(res);
	return rc;
}
