/*
 * kamailio-phones: a limit of accepted TCP connections per source address,
 * for the Kamailio versions whose core has none (5.6 and 5.7; the core's
 * tcp_accept_iplimit came with 5.8).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_MOD_TCP_H
#define PHONES_MOD_TCP_H

/* Parameter: connections one source address may hold (accepted on any of
 * the proxy's TCP, TLS, ws, wss and HTTP sockets); 0: no limit here. */
extern int phones_tcp_per_address;

/* For mod_init: starts the check (every second, in Kamailio's secondary
 * timer process) when tcp_per_address is set. */
int phones_tcp_init(void);

#endif
