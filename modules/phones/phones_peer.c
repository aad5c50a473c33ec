/*
 * kamailio-phones: peer_status and ping_time written back to VICIdial.
 *
 * A round, in the module's own timer process: for every phone of the
 * current table that may register (ph_auth_check() says PH_AUTH_OK), its
 * contacts are read from usrloc (one AoR at a time, under usrloc's lock
 * for the copy only), the core decides its state (ph_peer_decide), and
 * the book (ph_peer_book_t) keeps it for each of the phone's rows (one a
 * home server). Then the rows whose state differs from the one written
 * are written, BATCH_ROWS an UPDATE batch (one SQLite transaction), each
 * UPDATE naming its row by extension and server_ip. A batch that fails is
 * not marked written: the next round writes it again. The SIP workers
 * never wait for any of it.
 *
 * Before the first round the book is seeded with what the table holds
 * (one paged read of extension, server_ip and the columns), so the first
 * round writes only the rows that differ: UNREGISTERED where a row still
 * says REGISTERED from the last run (registrations do not outlive the
 * proxy: usrloc keeps them in memory), nothing for a row already right.
 * A restart of a proxy of many phones rewrites none of them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <time.h>

#include "core/dprint.h"
#include "core/pt.h"
#include "core/sr_module.h"
#include "core/timer_proc.h"
#include "modules/usrloc/usrloc.h"

#include "phones/auth_check.h"
#include "phones/peer_status.h"

#include "phones_auth.h"
#include "phones_db.h"
#include "phones_peer.h"
#include "phones_sql.h"
#include "phones_stats.h"
#include "phones_store.h"

/* Rows an UPDATE batch (a transaction) holds at most. */
#define BATCH_ROWS 100
/* Contacts of one phone looked at (MAX_CONTACTS of the cfg is 1). */
#define MAX_PEER_CONTACTS 16

int phones_peer_status_interval = 0;
int phones_peer_lagged_ms = 2000;
int phones_peer_unreachable_time = 0;
int phones_peer_ping_updates = 0;
str phones_peer_status_column = str_init("peer_status");
str phones_ping_time_column = str_init("ping_time");
str phones_peer_status_domain = str_init("location");

/* Set in mod_init, before the fork. */
static usrloc_api_t ul;
static int on = 0;
static int have_status = 0;
static int have_ping = 0;

/* The timer process's own. The book lives in its private memory, by
 * malloc(): it grows with the table, and is nobody else's. */
static ph_peer_book_t *book = NULL;
static udomain_t *dom = NULL;
static int failing = 0; /* the last round's writes failed */
static int seeded = 0;	/* the book holds what the table holds */

int phones_peer_init(void)
{
	bind_usrloc_t bind;
	str names[2];
	int present[2];

	if(phones_peer_status_interval <= 0)
		return 0;
	bind = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind == NULL || bind(&ul) < 0) {
		LM_INFO("no usrloc: peer_status is not written\n");
		return 0;
	}
	names[0] = phones_peer_status_column;
	names[1] = phones_ping_time_column;
	if(phones_sql_columns(&phones_table_name, names, 2, present) < 0) {
		LM_INFO("cannot list the columns of table '%.*s': peer_status is"
				" not written\n",
				phones_table_name.len, phones_table_name.s);
		return 0;
	}
	have_status = phones_peer_status_column.len > 0 && present[0];
	have_ping = phones_ping_time_column.len > 0 && present[1];
	if(!have_status && !have_ping) {
		LM_INFO("table '%.*s' has neither column '%.*s' nor '%.*s':"
				" peer_status is not written\n",
				phones_table_name.len, phones_table_name.s,
				phones_peer_status_column.len, phones_peer_status_column.s,
				phones_ping_time_column.len, phones_ping_time_column.s);
		return 0;
	}
	on = 1;
	LM_INFO("registration status written every %d s to table '%.*s',"
			" columns:%s%.*s%s%.*s\n",
			phones_peer_status_interval, phones_table_name.len,
			phones_table_name.s, have_status ? " " : "",
			have_status ? phones_peer_status_column.len : 0,
			phones_peer_status_column.s, have_ping ? " " : "",
			have_ping ? phones_ping_time_column.len : 0,
			phones_ping_time_column.s);
	if(!have_status)
		LM_INFO("table '%.*s' has no column '%.*s': ping_time only\n",
				phones_table_name.len, phones_table_name.s,
				phones_peer_status_column.len, phones_peer_status_column.s);
	if(!have_ping)
		LM_INFO("table '%.*s' has no column '%.*s': peer_status only\n",
				phones_table_name.len, phones_table_name.s,
				phones_ping_time_column.len, phones_ping_time_column.s);
	return 0;
}

int phones_peer_timers(void)
{
	return on ? 1 : 0;
}

/* The contacts of aor, copied out under usrloc's lock. Returns how many. */
static size_t contacts_of(
		const ph_sv_t *aor, ph_peer_contact_t *out, size_t max)
{
	urecord_t *r = NULL;
	ucontact_t *c;
	size_t n = 0;
	str a;

	a.s = (char *)aor->s;
	a.len = (int)aor->len;
	ul.lock_udomain(dom, &a);
	if(ul.get_urecord(dom, &a, &r) == 0) {
		for(c = r->contacts; c && n < max; c = c->next) {
			out[n].expires = (int64_t)c->expires;
			out[n].last_keepalive = (int64_t)c->last_keepalive;
			out[n].roundtrip_us = c->ka_roundtrip;
			n++;
		}
		ul.release_urecord(r);
	}
	ul.unlock_udomain(dom, &a);
	return n;
}

/* The phone's view for each of its rows: one a home server (the servers
 * list), or the one row it has. Returns -1 when out of memory. */
static int put_rows(const ph_entry_t *e, ph_peer_view_t v)
{
	const char *p = e->servers.s, *end = p + e->servers.len, *comma;
	int rc;

	if(e->servers.len == 0)
		return ph_peer_book_set(book, e->extension.s, e->extension.len,
					   e->server_ip.s, e->server_ip.len,
					   v) == -1
					   ? -1
					   : 0;
	while(p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if(comma == NULL)
			comma = end;
		rc = ph_peer_book_set(book, e->extension.s, e->extension.len, p,
				(size_t)(comma - p), v);
		if(rc == -1)
			return -1;
		p = comma + 1;
	}
	return 0;
}

/* Every registrable phone's view, into the book. Returns -1 when the
 * round could not be made (nothing is written then). */
static int collect(time_t now)
{
	const ph_peer_policy_t policy = {(uint32_t)phones_peer_lagged_ms,
			(uint32_t)phones_peer_unreachable_time};
	ph_peer_contact_t facts[MAX_PEER_CONTACTS];
	const ph_entry_t *e, *found;
	phones_ref_t *ref;
	size_t i, size, n;
	int oom = 0;

	ref = phones_store_acquire();
	if(ref == NULL)
		return -1;
	ph_peer_book_begin(book);
	size = ph_table_size(ref->table);
	for(i = 0; i < size; i++) {
		e = ph_table_entry(ref->table, i);
		if(e == NULL
				|| ph_auth_check(ref->table, e->extension.s, e->extension.len,
						   phones_register_protocols, &found)
						   != PH_AUTH_OK)
			continue;
		n = contacts_of(&e->extension, facts, MAX_PEER_CONTACTS);
		if(put_rows(e, ph_peer_decide(facts, n, (int64_t)now, &policy)) < 0)
			oom = 1;
	}
	phones_store_release(ref);
	ph_peer_book_end(book);
	if(oom)
		LM_ERR("out of memory: the status of some phones is not written\n");
	return 0;
}

/* One batch: an UPDATE a row, in one transaction. Returns 0, or -1 with
 * the transaction dropped. */
static int write_batch(const ph_peer_change_t *ch, size_t n)
{
	db_key_t keys[2] = {&phones_extension_column, &phones_server_ip_column};
	db_key_t cols[2];
	db_val_t kvals[2], vals[2];
	size_t i;
	int nc;

	phones_sql_begin();
	for(i = 0; i < n; i++) {
		nc = 0;
		if(have_status) {
			cols[nc] = &phones_peer_status_column;
			phones_sql_cstr(&vals[nc], ph_peer_state_name(ch[i].view.state));
			nc++;
		}
		if(have_ping) {
			cols[nc] = &phones_ping_time_column;
			memset(&vals[nc], 0, sizeof(vals[nc]));
			VAL_TYPE(&vals[nc]) = DB1_INT;
			if(ch[i].view.ping_ms < 0)
				VAL_NULL(&vals[nc]) = 1;
			else
				VAL_INT(&vals[nc]) = ch[i].view.ping_ms;
			nc++;
		}
		phones_sql_str(&kvals[0], ch[i].extension, ch[i].extension_len);
		phones_sql_str(&kvals[1], ch[i].server_ip, ch[i].server_ip_len);
		if(phones_sql_update(&phones_table_name, keys, kvals, 2, cols, vals, nc)
				< 0) {
			phones_sql_disconnect(); /* the transaction goes with it */
			return -1;
		}
	}
	return phones_sql_commit();
}

/* A page of the table's rows: what each shows now, into the book. */
static int seed_rows(db1_res_t *res, void *arg)
{
	char ext[PH_PEER_MAX_KEY + 1], ip[PH_PEER_MAX_KEY + 1], word[16];
	db_val_t *values;
	ph_peer_view_t v;
	long long ping;
	int i, c;

	(void)arg;
	for(i = 0; i < RES_ROW_N(res); i++) {
		values = ROW_VALUES(RES_ROWS(res) + i);
		c = 2;
		phones_sql_copy_text(&values[0], ext, sizeof(ext));
		phones_sql_copy_text(&values[1], ip, sizeof(ip));
		v.state = PH_PEER_UNKNOWN;
		v.ping_ms = PH_PEER_NO_PING;
		if(have_status) {
			phones_sql_copy_text(&values[c], word, sizeof(word));
			v.state = ph_peer_state_of(word, strlen(word));
			c++;
		}
		if(have_ping && !VAL_NULL(&values[c])
				&& phones_sql_int(&values[c], &ping) == 0 && ping >= 0)
			v.ping_ms = ping > PH_PEER_MAX_PING ? PH_PEER_MAX_PING : (int)ping;
		/* a key too long or a row twice: the round decides for those */
		if(ph_peer_book_set(book, ext, strlen(ext), ip, strlen(ip), v) == -1)
			return -1;
	}
	return 0;
}

/* The book, seeded with what the table shows, as written. Returns 0, or
 * -1 with the book empty again (the first round then writes every row). */
static int seed(void)
{
	db_key_t cols[4] = {&phones_extension_column, &phones_server_ip_column};
	ph_peer_change_t ch[BATCH_ROWS];
	int n = 2, rc;
	size_t k;

	if(have_status)
		cols[n++] = &phones_peer_status_column;
	if(have_ping)
		cols[n++] = &phones_ping_time_column;
	ph_peer_book_begin(book);
	rc = phones_sql_read(
			&phones_table_name, cols, n, NULL, NULL, 0, 10000, seed_rows, NULL);
	ph_peer_book_end(book);
	if(rc < 0) {
		ph_peer_book_free(book);
		book = NULL;
		return -1;
	}
	while((k = ph_peer_book_batch(book, ch, BATCH_ROWS)) > 0)
		ph_peer_book_written(book, ch, k);
	return 0;
}

/* Writes the changes, a batch at a time; stops at the first failure
 * (the rest waits for the next round). */
static void write_changes(void)
{
	ph_peer_change_t ch[BATCH_ROWS];
	size_t n, total = 0;

	while((n = ph_peer_book_batch(book, ch, BATCH_ROWS)) > 0) {
		if(write_batch(ch, n) < 0) {
			phones_stats_peer_error();
			/* one line per episode, not one a round */
			if(!failing)
				LM_ERR("cannot write the registration status of %zu phones"
					   " to table '%.*s': retried every %d s\n",
						ph_peer_book_pending(book), phones_table_name.len,
						phones_table_name.s, phones_peer_status_interval);
			failing = 1;
			return;
		}
		ph_peer_book_written(book, ch, n);
		phones_stats_peer_written((unsigned)n);
		total += n;
	}
	if(failing)
		LM_NOTICE("registration status written again (%zu rows)\n", total);
	failing = 0;
}

static void peer_timer(unsigned int ticks, void *param)
{
	(void)ticks;
	(void)param;
	if(book == NULL) {
		/* as Asterisk's PeerStatus events, from which VICIdial's own
		 * listener writes: ping_time with a change of state, unless
		 * peer_ping_updates asks for its changes too */
		book = ph_peer_book_new(
				&ph_allocator_libc, have_ping && phones_peer_ping_updates);
		if(book == NULL) {
			LM_ERR("out of memory: peer_status is not written\n");
			return;
		}
	}
	if(dom == NULL && ul.get_udomain(phones_peer_status_domain.s, &dom) < 0) {
		dom = NULL;
		return; /* logged by usrloc */
	}
	if(!seeded) {
		seeded = 1; /* once: a table we cannot read is written whole */
		if(seed() < 0) {
			LM_INFO("cannot read the registration status of table '%.*s':"
					" every phone's row is written\n",
					phones_table_name.len, phones_table_name.s);
			book = ph_peer_book_new(&ph_allocator_libc,
					have_ping && phones_peer_ping_updates);
			if(book == NULL) {
				LM_ERR("out of memory: peer_status is not written\n");
				return;
			}
		}
	}
	if(collect(time(NULL)) < 0)
		return;
	write_changes();
}

int phones_peer_child_init(int rank)
{
	udomain_t *d;

	if(!on)
		return 0;
	/* once, before the workers are forked: the domain the contacts are
	 * in, should nothing else in the cfg name it */
	if(rank == PROC_INIT
			&& ul.register_udomain(phones_peer_status_domain.s, &d) < 0) {
		LM_ERR("cannot register usrloc domain '%.*s'\n",
				phones_peer_status_domain.len, phones_peer_status_domain.s);
		return -1;
	}
	if(rank != PROC_MAIN)
		return 0;
	/* a process of its own: the database never holds up a SIP worker */
	if(fork_basic_timer(PROC_TIMER, "phones peer status", 0, peer_timer, NULL,
			   phones_peer_status_interval)
			< 0) {
		LM_ERR("cannot start the peer status timer process\n");
		return -1;
	}
	return 0;
}
