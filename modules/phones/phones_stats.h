/*
 * kamailio-phones: statistics, under the group "phones".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_STATS_H
#define PHONES_STATS_H

#include "core/counters.h"

#include "phones/auth_check.h"
#include "phones/call_route.h"
#include "phones/route_check.h"
#include "phones_reload.h"

/* Registration outcomes other than the table's verdicts. */
typedef enum phones_auth_stat
{
	PHONES_AUTH_STAT_PASSWORD = 0, /* digest did not match the secret */
	PHONES_AUTH_STAT_MISMATCH,	   /* To user is not the digest user */
	PHONES_AUTH_STAT_NO_CREDENTIALS,
	PHONES_AUTH_STAT_STALE_NONCE,
	PHONES_AUTH_STAT_ERROR, /* malformed credentials, reused nonce, ... */
	/* a challenge answered from another address or port than it went to */
	PHONES_AUTH_STAT_ELSEWHERE,
	PHONES_AUTH_STAT_COUNT
} phones_auth_stat_t;

int phones_stats_register(void);

/* Gauges another part of the module keeps, read when the statistic is:
 * the part gives its reader at mod_init (statistics include none of the
 * parts that count into them). */
typedef int (*phones_stats_gauge_f)(void);
void phones_stats_servers_down_gauge(phones_stats_gauge_f f);
void phones_stats_dmq_peers_gauge(phones_stats_gauge_f f);

/* One registration decided by the table: accepted when v is PH_AUTH_OK. */
void phones_stats_verdict(ph_auth_verdict_t v);
void phones_stats_auth(phones_auth_stat_t s);

/* One INVITE looked up by phones_route(). */
void phones_stats_route(ph_route_verdict_t v);
/* An EXTERNAL entry's number that no rule matched. */
void phones_stats_route_no_rule(void);
/* Rules skipped because their match hit a limit or failed. */
void phones_stats_route_errors(unsigned n);

/* One call decided by phones_route(): who sent it, where it goes. */
void phones_stats_call(ph_caller_t caller, ph_call_verdict_t verdict);
/* An Asterisk server that failed a call and was taken out. */
void phones_stats_server_failed(void);

/* Registrations refused because the extension or address was locked. */
void phones_stats_devices_call(void); /* a call forked to devices */
void phones_stats_device_group(void); /* a position rung */

void phones_stats_locked(void);
/* A key locked out. */
void phones_stats_lockout(void);

/* One reload's outcome. */
void phones_stats_reload(phones_reload_outcome_t outcome);

/* peer_status rows written, and batches the database refused. */
void phones_stats_peer_written(unsigned n);
void phones_stats_peer_error(void);
/* DMQ: a message sent to the peers, one received, one refused. */
void phones_stats_dmq_sent(void);
void phones_stats_dmq_received(void);
void phones_stats_dmq_refused(void);

#endif
