/*
 * kamailio-phones: calls to the cluster's Asterisk servers: which one,
 * the next one on failure, servers taken out and probed back, and the
 * server that last called each phone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_SERVERS_H
#define PHONES_SERVERS_H

#include <stdint.h>

#include "core/parser/msg_parser.h"

#include "phones/peers.h"
#include "phones/server_health.h"

/* Parameters. */
extern int phones_server_down_time;		 /* s a failed server is tried last */
extern int phones_server_probe_interval; /* s between OPTIONS; 0: none */
extern str phones_probe_from;
extern str phones_last_server_htable; /* empty: no memory of it */

/* mod_init: shared state; binds tm (probes) and htable (last server) as
 * the parameters ask. */
int phones_servers_init(void);
void phones_servers_destroy(void);
/* Timer processes to ask for in mod_init, and start in child_init. */
int phones_servers_timers(void);
int phones_servers_child_init(int rank);

/* The server a phone was last called from, as text, into out (size at
 * least INET6_ADDRSTRLEN); 0, or -1 when none is known. */
int phones_last_server_get(const char *ext, char *out, size_t size);
/* Remembers that server ip called the phone ext. */
void phones_last_server_set(const char *ext, const char *ip);

/* The servers' health, for the plan of a call. */
ph_server_health_t *phones_servers_health(void);

/* Whether the server is taken out (failed, and not answered since). */
int phones_server_is_down(const char *ip);

/* Sends msg to the first of the servers (indexes into peers) and keeps the
 * others for phones_next_server(): the Request-URI becomes
 * sip:<user>@<server>:<port>. Returns 0, or -1. *chosen (size at least
 * INET6_ADDRSTRLEN) receives the server. */
int phones_servers_send(sip_msg_t *msg, const ph_peers_t *peers,
		const uint32_t *servers, size_t n, char *chosen);

/* failure_route: takes the server that failed out for server_down_time
 * seconds (probed back meanwhile), and sends the call to the next one
 * kept. 1 when there is one, -1 when none is left. */
int phones_next_server(sip_msg_t *msg);

/* How many servers are taken out now (for statistics). */
int phones_servers_down(void);

#endif
