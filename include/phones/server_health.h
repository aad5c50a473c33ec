/*
 * kamailio-phones: which Asterisk servers are in service.
 *
 * A server that fails a call (the host says so: 5xx, 408, no answer) is
 * taken out: tried after the others for `down_seconds`. Without probes it
 * comes back when that time is up; with probes (the host sends each
 * server taken out an OPTIONS now and then) only an answer brings it
 * back, and a failed probe keeps it out for another `down_seconds`.
 *
 * The table is a fixed number of slots, keyed by the server's address as
 * text; a slot, once a server has it, keeps it (the cluster has a few
 * dozen servers), so its index names the server to a probe's answer. A
 * server with no slot (the table full) is never taken out.
 *
 * Every call takes the lock the host gives (a gen_lock_t in shared memory
 * in the proxy, a mutex in the tests) and reads the host's clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_SERVER_HEALTH_H
#define PHONES_SERVER_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"
#include "phones/clock.h"
#include "phones/lock.h"

/* Longest address kept (an IPv6 address as text). */
#define PH_HEALTH_MAX_IP 45

typedef struct ph_server_health ph_server_health_t;

typedef struct ph_health_policy
{
	uint32_t down_seconds; /* a failed server is tried last this long */
	int probing;		   /* 1: only a probe's answer brings it back */
} ph_health_policy_t;

/* A table of `slots` servers (at least 1), or NULL (out of memory, no
 * slot). The lock and clock are copied; their contexts must outlive the
 * table. */
ph_server_health_t *ph_server_health_new(const ph_allocator_t *allocator,
		size_t slots, const ph_health_policy_t *policy, const ph_lock_t *lock,
		const ph_clock_t *clock);
void ph_server_health_free(ph_server_health_t *h);

/* 1 when the server is taken out now, 0 when it is in service (a server
 * never seen included). */
int ph_server_health_is_down(ph_server_health_t *h, const char *ip, size_t len);

/* The server failed a call: taken out for down_seconds from now. Returns
 * 1 when it was in service before, 0 when it was out already, -1 when it
 * is no address (empty, too long) or the table is full. */
int ph_server_health_failed(ph_server_health_t *h, const char *ip, size_t len);

/* A probe of slot `index` came back: ok 1 (any answer but 408 and 5xx)
 * puts the server back in service, ok 0 keeps it out another
 * down_seconds. ip (may be NULL; PH_HEALTH_MAX_IP + 1 bytes) gets the
 * server's address. Returns 1 when the server came back, 0 otherwise, -1
 * for an index no server has. */
int ph_server_health_probed(
		ph_server_health_t *h, size_t index, int ok, char *ip);

/* One server to probe. */
typedef struct ph_health_probe
{
	size_t index;
	char ip[PH_HEALTH_MAX_IP + 1];
} ph_health_probe_t;

/* The servers taken out (to probe), at most max, into out; returns how
 * many. */
size_t ph_server_health_to_probe(
		ph_server_health_t *h, ph_health_probe_t *out, size_t max);

/* How many servers are taken out now. */
size_t ph_server_health_down_count(ph_server_health_t *h);

#endif
