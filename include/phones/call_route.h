/*
 * kamailio-phones: where a call goes, from who sends it and what it is for.
 *
 * The flows of a VICIdial cluster behind the proxy, decided from the phone
 * table alone:
 *
 *   caller \ target   device     EXTERNAL    no entry      inactive,
 *                     entry      entry       (a number)    ambiguous
 *   phone             DEVICE     EXTERNAL    HOME_SERVER   NOT_FOUND
 *   server            DEVICE     EXTERNAL    DIAL_OUT      NOT_FOUND
 *   carrier           DEVICE     DID         DID           DID
 *   anybody else      NOT_FOUND (the script challenges them first)
 *
 * A carrier's call never goes back out a trunk: whatever is not a device
 * is a DID for the Asterisk servers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CALL_ROUTE_H
#define PHONES_CALL_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "phones/peers.h"
#include "phones/phone_table.h"
#include "phones/route_check.h"

typedef enum ph_caller
{
	PH_CALLER_UNKNOWN = 0, /* nobody the proxy knows */
	PH_CALLER_PHONE,	   /* a phone of the table, authenticated */
	PH_CALLER_SERVER,	   /* an Asterisk server of the cluster */
	PH_CALLER_CARRIER,	   /* a trunk's host */
	PH_CALLER_COUNT
} ph_caller_t;

typedef enum ph_call_verdict
{
	PH_CALL_DEVICE = 0,	 /* a device: to its registered contacts */
	PH_CALL_EXTERNAL,	 /* an EXTERNAL entry: its number out by the rules */
	PH_CALL_DIAL_OUT,	 /* a server dials a number: out by the rules */
	PH_CALL_HOME_SERVER, /* a phone dials a number: to its home server */
	PH_CALL_DID,		 /* a carrier's call: to the Asterisk servers */
	PH_CALL_NOT_FOUND,	 /* nothing to send it to */
	PH_CALL_VERDICT_COUNT
} ph_call_verdict_t;

/* Decides the call from caller to user. *target is the entry called (for
 * DEVICE and EXTERNAL; may be NULL otherwise); *route is what the table
 * said of user (ph_route_check). */
ph_call_verdict_t ph_call_decide(const ph_table_t *t, ph_caller_t caller,
		const char *user, size_t len, const ph_entry_t **target,
		ph_route_verdict_t *route);

/* The servers a phone's call goes to, in the order to try them: its home
 * servers that are servers of p, the one named last (the server that last
 * called the phone; may be NULL) first, then the others in load order.
 * Writes server indexes into out; returns how many. */
size_t ph_call_home_servers(const ph_peers_t *p, const ph_entry_t *phone,
		const char *last, size_t last_len, uint32_t *out, size_t max);

/* Every server of p, starting at start modulo their number (so that calls
 * are spread over them). Returns how many were written. */
size_t ph_call_all_servers(
		const ph_peers_t *p, size_t start, uint32_t *out, size_t max);

/* Moves the servers for which down(index, arg) is true behind the others,
 * keeping each group's order: a server taken out is tried last, not never. */
void ph_call_down_last(uint32_t *servers, size_t n,
		int (*down)(uint32_t index, void *arg), void *arg);

const char *ph_caller_name(ph_caller_t c);
const char *ph_call_verdict_name(ph_call_verdict_t v);

#endif
