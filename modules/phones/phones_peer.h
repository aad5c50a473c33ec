/*
 * kamailio-phones: registration status written back to VICIdial's phones
 * table (peer_status, ping_time), so that VICIdial's own screens show
 * which phones are up.
 *
 * A timer process of its own, every peer_status_interval seconds, reads
 * usrloc's contacts of every phone that may register, decides each one's
 * state (core/peer_status.c) and writes the rows whose state changed, in
 * batches, through phones_sql.c. Nothing of it runs in a SIP worker; a
 * database that is down delays the writes to the next round.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PEER_H
#define PHONES_PEER_H

#include "core/str.h"

/* Parameters. */
extern int phones_peer_status_interval;	 /* seconds; 0: off */
extern int phones_peer_lagged_ms;		 /* round trip above it: LAGGED */
extern int phones_peer_unreachable_time; /* s without an answer; 0: never */
extern int phones_peer_ping_updates; /* 1: ping_time changes alone written */
extern str phones_peer_status_column;
extern str phones_ping_time_column;
extern str phones_peer_status_domain; /* usrloc's domain (table) */

/* For mod_init, after the first load: binds usrloc and finds which of the
 * two columns the table has. Returns 0 (the feature may have turned itself
 * off, with an INFO line), or -1 on a wrong parameter. */
int phones_peer_init(void);

/* Timers the feature needs: 1 when it is on, else 0. */
int phones_peer_timers(void);

/* For child_init: forks the timer process from the main process. */
int phones_peer_child_init(int rank);

#endif
