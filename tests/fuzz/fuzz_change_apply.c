/*
 * kamailio-phones: fuzzing a change through the API carried out
 * (core/change_apply.c) against a model of the database and the table.
 *
 * Input (binary): one byte of settings (bit 0: the server_ip parameter is
 * 10.0.0.1, so the table holds that server's phones alone), then requests
 * of 4 bytes:
 *
 *   0: bits 0-1 the action (insert, update, delete, insert), bit 2 on the
 *      aliases table, bits 3-5 the extension (e0 to e7)
 *   1: bits 0-1 the server (10.0.0.1 to .3, and .1 again), bits 2-6 which
 *      columns are written (dialplan_number, conf_secret, protocol,
 *      active, outbound_cid)
 *   2: their values: bits 0-1 the number (none, 5001 to 5003), bits 2-3
 *      the password (a, b, empty, 101 characters: too long), bits 4-5 the
 *      protocol (SIP, IAX2, EXTERNAL, one VICIdial lacks), bit 6 active,
 *      bit 7 the caller ID
 *   3: bit 0 the database write fails, bit 1 the reload fails, bits 2-7
 *      (when not 0) which allocation from now on fails, once
 *
 * The fake database is a list of rows, written as SQL would (an insert of
 * a key it has fails, an update or delete of one it lacks changes
 * nothing); the fake reload builds a table from it as the loader does
 * (the server_ip parameter's rows alone) and publishes it. Checked after
 * each request: the outcome is the one the model expects of the write;
 * a change not written publishes nothing; the store's table answers every
 * extension and number as a table loaded afresh from the rows it should
 * reflect: the database's after a reload, those plus each change
 * published since (after a failed reload, the rest stays stale); and at
 * the end, the store freed, no allocation is left.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "phones/change_apply.h"

#define NEXT 8
#define NSERVERS 3
#define MAX_ROWS (NEXT * NSERVERS)

/* ---- an allocator that fails one chosen allocation, and counts ---- */

typedef struct mem
{
	ph_allocator_t allocator;
	size_t live;
	long fail_in; /* allocations before the one that fails; -1 none */
} mem_t;

static mem_t mem;

static void *FZ_NO_COVERAGE mem_alloc(void *ctx, size_t size)
{
	mem_t *m = ctx;
	void *p;

	fz_check(size <= FZ_ALLOC_MAX, "the core asked for %zu bytes", size);
	if(m->fail_in == 0) {
		m->fail_in = -1;
		return NULL;
	}
	if(m->fail_in > 0)
		m->fail_in--;
	p = malloc(size ? size : 1);
	if(p == NULL)
		abort();
	m->live++;
	return p;
}

static void FZ_NO_COVERAGE mem_release(void *ctx, void *p)
{
	mem_t *m = ctx;

	if(p == NULL)
		return;
	fz_check(m->live > 0, "a release of nothing allocated");
	m->live--;
	free(p);
}

static void FZ_NO_COVERAGE nolock(void *ctx)
{
	(void)ctx;
}

static const ph_lock_t lock = {nolock, nolock, NULL};

/* ---- the model: rows of the database ---- */

typedef struct row
{
	int ext, server;
	char number[8], secret[128], protocol[16], cid[8];
	char active;
} row_t;

typedef struct rows
{
	row_t r[MAX_ROWS];
	int n;
} rows_t;

static rows_t db;			  /* what the database holds */
static rows_t shown;		  /* what it held when the table was last in line */
static int only_first_server; /* the server_ip parameter */
static int reload_fails;
static const ph_table_t *before; /* the table when the write is made */
static ph_store_t *store;

static const char *const servers[NSERVERS] = {
		"10.0.0.1", "10.0.0.2", "10.0.0.3"};
static const char *const numbers[4] = {"", "5001", "5002", "5003"};
static const char *const protocols[4] = {"SIP", "IAX2", "EXTERNAL", "H323x"};
static char long_secret[102];

static int FZ_NO_COVERAGE find(const rows_t *rs, int ext, int server)
{
	int i;

	for(i = 0; i < rs->n; i++) {
		if(rs->r[i].ext == ext && rs->r[i].server == server)
			return i;
	}
	return -1;
}

static void FZ_NO_COVERAGE ext_name(int ext, char *out)
{
	out[0] = 'e';
	out[1] = (char)('0' + ext);
	out[2] = '\0';
}

/* The column's value in res, or NULL. */
static const char *FZ_NO_COVERAGE value(
		const ph_api_result_t *res, const char *column)
{
	int i;

	for(i = 0; i < res->nfields; i++) {
		if(strcmp(res->fields[i].column, column) == 0)
			return res->fields[i].value;
	}
	return NULL;
}

static void FZ_NO_COVERAGE copy(char *dst, size_t size, const char *v)
{
	if(v)
		snprintf(dst, size, "%s", v);
}

/* A table loaded from rs, as the loader would; NULL when out of memory. */
static ph_table_t *FZ_NO_COVERAGE load(
		const rows_t *rs, const ph_allocator_t *a)
{
	ph_table_t *t = ph_table_new(a);
	char ext[3];
	ph_row_t row;
	const row_t *r;
	int i;

	for(i = 0; t && i < rs->n; i++) {
		r = &rs->r[i];
		if(only_first_server && r->server != 0)
			continue;
		ext_name(r->ext, ext);
		row.extension.s = ext;
		row.extension.len = 2;
		row.dialplan_number.s = r->number;
		row.dialplan_number.len = strlen(r->number);
		row.conf_secret.s = r->secret;
		row.conf_secret.len = strlen(r->secret);
		row.protocol.s = r->protocol;
		row.protocol.len = strlen(r->protocol);
		row.active.s = &r->active;
		row.active.len = 1;
		row.server_ip.s = servers[r->server];
		row.server_ip.len = strlen(servers[r->server]);
		row.outbound_cid.s = r->cid;
		row.outbound_cid.len = strlen(r->cid);
		if(ph_table_add_row(t, &row) == PH_ROW_NO_MEMORY) {
			ph_table_free(t);
			t = NULL;
		}
	}
	return t;
}

/* ---- the host's side: database and reload ---- */

/* res written to rs as SQL would: -1 for an insert of a key rs has. With
 * replace, as the table takes a change instead: the row is taken out and
 * put back at the end (its load order), an insert replacing it. */
static int FZ_NO_COVERAGE write_rows(
		rows_t *rs, const ph_api_result_t *res, int replace)
{
	int i, ext = res->extension[1] - '0', server;
	row_t r;

	for(server = 0; strcmp(servers[server], res->server_ip) != 0; server++)
		;
	i = find(rs, ext, server);
	if(res->action == PH_API_INSERT && i >= 0 && !replace)
		return -1; /* the key is there */
	if(res->action == PH_API_UPDATE && i < 0)
		return 0; /* no such row: nothing updated */
	if(res->action == PH_API_INSERT || i < 0) {
		memset(&r, 0, sizeof(r));
		r.ext = ext;
		r.server = server;
		r.active = 'N';
	} else {
		r = rs->r[i];
	}
	if(i >= 0) {
		memmove(&rs->r[i], &rs->r[i + 1],
				(size_t)(rs->n - i - 1) * sizeof(row_t));
		rs->n--;
	}
	if(res->action == PH_API_DELETE)
		return 0;
	copy(r.number, sizeof(r.number), value(res, "dialplan_number"));
	copy(r.secret, sizeof(r.secret), value(res, "conf_secret"));
	copy(r.protocol, sizeof(r.protocol), value(res, "protocol"));
	copy(r.cid, sizeof(r.cid), value(res, "outbound_cid"));
	if(value(res, "active"))
		r.active = value(res, "active")[0];
	/* an update stays where it was in the database */
	if(!replace && i >= 0) {
		memmove(&rs->r[i + 1], &rs->r[i], (size_t)(rs->n - i) * sizeof(row_t));
		rs->r[i] = r;
		rs->n++;
	} else {
		rs->r[rs->n++] = r;
	}
	return 0;
}

static int FZ_NO_COVERAGE db_write(void *ctx, const ph_api_result_t *res)
{
	int *fail = ctx;
	ph_snapshot_t *s = ph_store_acquire(store);

	fz_check(s && s->table == before, "a table published before the write");
	ph_store_release(store, s);
	if(*fail)
		return -1;
	if(res->target == PH_API_ALIASES)
		return 0;
	return write_rows(&db, res, 0);
}

static void FZ_NO_COVERAGE db_commit(void *ctx)
{
	(void)ctx;
}

static void FZ_NO_COVERAGE reload(void *ctx, ph_reload_report_t *rep)
{
	ph_table_t *t = NULL;
	ph_rules_t *rules = NULL;
	ph_peers_t *peers = NULL;

	(void)ctx;
	memset(rep, 0, sizeof(*rep));
	rep->outcome = PH_RELOAD_FAILED;
	if(reload_fails)
		return;
	t = load(&db, &mem.allocator);
	rules = ph_rules_new(&mem.allocator);
	peers = ph_peers_new(&mem.allocator, 5060);
	if(t && rules && peers && ph_store_publish(store, t, rules, peers) == 0) {
		rep->outcome = PH_RELOAD_DONE;
		return;
	}
	ph_table_free(t);
	ph_rules_free(rules);
	ph_peers_free(peers);
}

/* ---- the checks ---- */

static int FZ_NO_COVERAGE sv_is(ph_sv_t a, ph_sv_t b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0);
}

static void FZ_NO_COVERAGE same_entry(
		const ph_entry_t *a, const ph_entry_t *b, const char *what)
{
	fz_check((a == NULL) == (b == NULL), "%s: held %d, expected %d", what,
			a != NULL, b != NULL);
	if(a == NULL)
		return;
	fz_check(sv_is(a->extension, b->extension), "%s: the extension", what);
	fz_check(a->flags == b->flags, "%s: flags %u, expected %u", what, a->flags,
			b->flags);
	fz_check(a->protocol == b->protocol && a->active == b->active,
			"%s: protocol or active", what);
	fz_check(a->nservers == b->nservers, "%s: servers", what);
	fz_check(sv_is(a->secret, b->secret), "%s: the password", what);
	fz_check(sv_is(a->dialplan_number, b->dialplan_number), "%s: the number",
			what);
	fz_check(sv_is(a->server_ip, b->server_ip), "%s: server_ip", what);
	fz_check(sv_is(a->servers, b->servers), "%s: home servers", what);
	fz_check(sv_is(a->outbound_cid, b->outbound_cid), "%s: caller ID", what);
}

/* The store's table answers as one loaded from shown. */
static void FZ_NO_COVERAGE check_table(void)
{
	ph_snapshot_t *s = ph_store_acquire(store);
	ph_table_t *want = load(&shown, &ph_allocator_libc);
	const ph_entry_t *a, *b;
	char ext[3];
	int i;

	fz_check(s && want, "no table");
	for(i = 0; i < NEXT; i++) {
		ext_name(i, ext);
		same_entry(ph_table_by_extension(s->table, ext, 2),
				ph_table_by_extension(want, ext, 2), ext);
	}
	for(i = 1; i < 4; i++) {
		a = ph_table_by_number(s->table, numbers[i], 4);
		b = ph_table_by_number(want, numbers[i], 4);
		fz_check((a == NULL) == (b == NULL),
				"number %s: found %d, expected"
				" %d",
				numbers[i], a != NULL, b != NULL);
		if(a == NULL)
			continue;
		fz_check((a->flags & PH_ENTRY_AMBIGUOUS_NUMBER)
						 == (b->flags & PH_ENTRY_AMBIGUOUS_NUMBER),
				"number %s: ambiguity", numbers[i]);
		if(!(a->flags & PH_ENTRY_AMBIGUOUS_NUMBER))
			fz_check(sv_is(a->extension, b->extension),
					"number %s: the"
					" extension",
					numbers[i]);
	}
	ph_table_free(want);
	ph_store_release(store, s);
}

/* ---- one request ---- */

static void FZ_NO_COVERAGE request(const uint8_t *op, ph_api_result_t *res)
{
	static const char *const columns[5] = {"dialplan_number", "conf_secret",
			"protocol", "active", "outbound_cid"};
	const char *values[5];
	int i;

	memset(res, 0, sizeof(*res));
	res->action = (op[0] & 3) == 3 ? PH_API_INSERT
								   : (ph_api_action_t)((op[0] & 3) + 1);
	res->target = (op[0] & 4) ? PH_API_ALIASES : PH_API_PHONES;
	ext_name((op[0] >> 3) & 7, res->extension);
	snprintf(res->server_ip, sizeof(res->server_ip), "%s",
			servers[(op[1] & 3) % NSERVERS]);
	values[0] = numbers[op[2] & 3];
	values[1] = (op[2] >> 2 & 3) == 0	? "a"
				: (op[2] >> 2 & 3) == 1 ? "b"
				: (op[2] >> 2 & 3) == 2 ? ""
										: long_secret;
	values[2] = protocols[op[2] >> 4 & 3];
	values[3] = (op[2] & 0x40) ? "Y" : "N";
	values[4] = (op[2] & 0x80) ? "312" : "";
	for(i = 0; i < 5; i++) {
		if(!(op[1] >> (2 + i) & 1))
			continue;
		res->fields[res->nfields].column = columns[i];
		snprintf(res->fields[res->nfields].value,
				sizeof(res->fields[res->nfields].value), "%s", values[i]);
		res->nfields++;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ph_api_result_t res;
	ph_reload_report_t rep;
	ph_change_outcome_t o;
	ph_changer_t c;
	rows_t was;
	int fail, written;
	size_t pos;

	memset(long_secret, 'x', sizeof(long_secret) - 1);
	long_secret[sizeof(long_secret) - 1] = '\0';
	mem.allocator.alloc = mem_alloc;
	mem.allocator.release = mem_release;
	mem.allocator.ctx = &mem;
	mem.live = 0;
	mem.fail_in = -1;
	db.n = shown.n = 0;
	only_first_server = size > 0 && (data[0] & 1);
	reload_fails = 0;
	store = ph_store_new(&mem.allocator, &lock);
	fz_check(store, "no store");
	reload(NULL, &rep);
	fz_check(rep.outcome == PH_RELOAD_DONE, "the first load failed");

	memset(&c, 0, sizeof(c));
	c.store = store;
	c.allocator = &mem.allocator;
	c.db.write = db_write;
	c.db.commit = db_commit;
	c.db.ctx = &fail;
	c.reload.reload = reload;
	if(only_first_server) {
		c.server_ip = servers[0];
		c.server_ip_len = strlen(servers[0]);
	}
	for(pos = 1; pos + 4 <= size; pos += 4) {
		request(data + pos, &res);
		fail = data[pos + 3] & 1;
		reload_fails = (data[pos + 3] >> 1) & 1;
		mem.fail_in =
				(data[pos + 3] >> 2) ? (long)(data[pos + 3] >> 2) - 1 : -1;
		was = db;
		{
			ph_snapshot_t *s = ph_store_acquire(store);

			before = s->table;
			ph_store_release(store, s);
		}
		o = ph_change_apply(&c, &res, &rep);
		mem.fail_in = -1;
		written = memcmp(&was, &db, sizeof(db)) != 0;
		switch(o) {
			case PH_CHANGE_DB_FAILED:
			case PH_CHANGE_NO_MEMORY:
				fz_check(!written, "a change written, outcome %d", o);
				break;
			case PH_CHANGE_DB_ONLY:
				fz_check(res.target == PH_API_ALIASES && !fail,
						"DB_ONLY for the phones table");
				break;
			case PH_CHANGE_PUBLISHED:
			case PH_CHANGE_UNCHANGED:
				/* the table took this change alone (or, another server's,
				 * nothing of it): after a failed reload, the rest of it is
				 * as stale as it was */
				write_rows(&shown, &res, 1);
				fz_check(!fail && res.target == PH_API_PHONES,
						"outcome %d of a failed write", o);
				fz_check(o != PH_CHANGE_UNCHANGED
								 || (only_first_server
										 && strcmp(res.server_ip, servers[0])
													!= 0),
						"UNCHANGED for a phone the table holds");
				break;
			case PH_CHANGE_RELOADED:
				fz_check(!fail && res.target == PH_API_PHONES,
						"outcome %d of a failed write", o);
				shown = db;
				break;
			case PH_CHANGE_NOT_RELOADED:
				fz_check(!fail, "a reload after a failed write");
				break;
		}
		if(o == PH_CHANGE_DB_FAILED || o == PH_CHANGE_NO_MEMORY
				|| o == PH_CHANGE_NOT_RELOADED || o == PH_CHANGE_DB_ONLY) {
			ph_snapshot_t *s = ph_store_acquire(store);

			fz_check(s->table == before || o == PH_CHANGE_NOT_RELOADED,
					"a table published, outcome %d", o);
			ph_store_release(store, s);
		}
		check_table();
	}
	ph_store_free(store);
	fz_check(mem.live == 0, "%zu allocations left", mem.live);
	return 0;
}
