/*
 * kamailio-phones: a limit of accepted TCP connections per source address,
 * for the Kamailio versions whose core has none.
 *
 * Kamailio 5.8 and later refuse a connection at accept() beyond
 * tcp_accept_iplimit connections from its address (cfg/kamailio.cfg sets
 * it there). 5.6 and 5.7 have no such limit, and nothing a cfg can do sees
 * a connection that never sends a byte (no route runs for it; tcpops'
 * tcp:closed is not even raised when it times out idle). Without a limit,
 * one address's idle connections take every one of tcp_max_connections,
 * and no phone, webphone or admin gets in.
 *
 * Here, every second, Kamailio's secondary timer process walks the core's
 * connection table (as its own core.tcp_list does, under its lock), counts
 * the accepted connections of each source address, and asks tcp_main to
 * close each address's newest ones beyond tcp_per_address (as tcpops'
 * tcp_close_connection() does): an address's oldest connections, its
 * registered phones', are kept. Unlike 5.8's core, the limit holds one
 * check later: an address may hold more for up to a second, as many more
 * as it opens in that second.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "core/dprint.h"
#include "core/globals.h"
#include "core/ip_addr.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/pass_fd.h"
#include "core/tcp_conn.h"
#include "core/timer_proc.h"

#include "phones_tcp.h"

int phones_tcp_per_address = 0;

/* The core's connection table (tcp_main.c), as core_cmd.c declares it. */
extern gen_lock_t *tcpconn_lock;
extern struct tcp_connection **tcpconn_id_hash;

typedef struct
{
	struct ip_addr ip;
	int id;
} tcp_entry_t;

/* The timer process's own list, grown as needed and kept between checks. */
static tcp_entry_t *entries;
static size_t entries_cap;

/* At most this many addresses are logged a check; the others counted. */
#define TCP_LOG_ADDRESSES 10

static int ip_order(const struct ip_addr *a, const struct ip_addr *b)
{
	if(a->af != b->af)
		return a->af < b->af ? -1 : 1;
	if(a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return memcmp(a->u.addr, b->u.addr, a->len);
}

/* By address, then oldest (lowest id) first. */
static int entry_order(const void *pa, const void *pb)
{
	const tcp_entry_t *a = pa, *b = pb;
	int c = ip_order(&a->ip, &b->ip);

	if(c != 0)
		return c;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* Asks tcp_main to close connection id; 1 when asked. */
static int tcp_close_id(int id)
{
	struct tcp_connection *con;
	long cmd[2];

	con = tcpconn_get(id, 0, 0, 0, 0);
	if(con == NULL)
		return 0; /* gone meanwhile */
	cmd[0] = (long)con;
	cmd[1] = CONN_EOF;
	con->send_flags.f |= SND_F_CON_CLOSE;
	con->flags |= F_CONN_FORCE_EOF;
	/* tcp_main drops the reference tcpconn_get() took */
	if(send_all(unix_tcp_sock, cmd, sizeof(cmd)) <= 0) {
		LM_ERR("cannot ask tcp_main to close connection %d\n", id);
		tcpconn_put(con);
		return 0;
	}
	return 1;
}

/* Collects the accepted connections that are not closing yet; their
 * number, or -1 when out of memory (nothing is closed then). */
static int tcp_collect(void)
{
	struct tcp_connection *con;
	tcp_entry_t *grown;
	size_t n = 0;
	int i, short_of = 0;

	TCPCONN_LOCK;
	for(i = 0; i < TCP_ID_HASH_SIZE; i++) {
		for(con = tcpconn_id_hash[i]; con; con = con->id_next) {
			if(!(con->flags & F_CONN_PASSIVE) || con->state < 0)
				continue;
			if(n == entries_cap) {
				/* pkg memory of this process: no other process waits on
				 * it, only tcp_main on the lock, for a moment */
				grown = pkg_realloc(entries,
						(entries_cap ? entries_cap * 2 : 4096)
								* sizeof(*entries));
				if(grown == NULL) {
					short_of = 1;
					break;
				}
				entries = grown;
				entries_cap = entries_cap ? entries_cap * 2 : 4096;
			}
			entries[n].ip = con->rcv.src_ip;
			entries[n].id = con->id;
			n++;
		}
		if(short_of)
			break;
	}
	TCPCONN_UNLOCK;
	if(short_of) {
		PKG_MEM_ERROR;
		return -1;
	}
	return (int)n;
}

static void tcp_check(unsigned int ticks, void *param)
{
	int n, i, j, closed, logged = 0, unlogged = 0;
	char addr[IP_ADDR_MAX_STR_SIZE];

	if(tcp_disable || tcpconn_id_hash == NULL || tcpconn_lock == NULL)
		return;
	n = tcp_collect();
	if(n <= phones_tcp_per_address)
		return;
	qsort(entries, (size_t)n, sizeof(*entries), entry_order);
	for(i = 0; i < n; i = j) {
		for(j = i + 1; j < n && ip_order(&entries[i].ip, &entries[j].ip) == 0;
				j++)
			;
		if(j - i <= phones_tcp_per_address)
			continue;
		closed = 0;
		for(int k = i + phones_tcp_per_address; k < j; k++)
			closed += tcp_close_id(entries[k].id);
		if(logged < TCP_LOG_ADDRESSES) {
			addr[ip_addr2sbuf(&entries[i].ip, addr, sizeof(addr) - 1)] = 0;
			LM_NOTICE("%d TCP connections from %s, more than tcp_per_address"
					  " (%d): its %d newest closed\n",
					j - i, addr, phones_tcp_per_address, closed);
			logged++;
		} else {
			unlogged++;
		}
	}
	if(unlogged > 0)
		LM_NOTICE("%d more addresses over tcp_per_address (%d): their newest"
				  " connections closed\n",
				unlogged, phones_tcp_per_address);
}

int phones_tcp_init(void)
{
	if(phones_tcp_per_address <= 0)
		return 0;
	if(sr_wtimer_add(tcp_check, NULL, 1) < 0) {
		LM_ERR("cannot start the tcp_per_address check\n");
		return -1;
	}
	return 0;
}
