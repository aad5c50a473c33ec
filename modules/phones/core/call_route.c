/*
 * kamailio-phones: where a call goes, from who sends it and what it is for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/call_route.h"

static const char *const caller_names[PH_CALLER_COUNT] = {
		"unknown", "phone", "server", "carrier"};
static const char *const verdict_names[PH_CALL_VERDICT_COUNT] = {
		"device", "external", "dial_out", "home_server", "did", "not_found"};

const char *ph_caller_name(ph_caller_t c)
{
	return (c >= 0 && c < PH_CALLER_COUNT) ? caller_names[c] : "?";
}

const char *ph_call_verdict_name(ph_call_verdict_t v)
{
	return (v >= 0 && v < PH_CALL_VERDICT_COUNT) ? verdict_names[v] : "?";
}

ph_call_verdict_t ph_call_decide(const ph_table_t *t, ph_caller_t caller,
		const char *user, size_t len, const ph_entry_t **target,
		ph_route_verdict_t *route)
{
	const ph_entry_t *e;
	ph_route_verdict_t v = ph_route_check(t, user, len, &e);

	*route = v;
	*target = e;
	if(caller != PH_CALLER_PHONE && caller != PH_CALLER_SERVER
			&& caller != PH_CALLER_CARRIER)
		return PH_CALL_NOT_FOUND;
	if(v == PH_ROUTE_DEVICE)
		return PH_CALL_DEVICE;
	if(caller == PH_CALLER_CARRIER)
		return PH_CALL_DID;
	switch(v) {
		case PH_ROUTE_EXTERNAL:
			return PH_CALL_EXTERNAL;
		case PH_ROUTE_UNKNOWN:
			return caller == PH_CALLER_PHONE ? PH_CALL_HOME_SERVER
											 : PH_CALL_DIAL_OUT;
		default:
			return PH_CALL_NOT_FOUND;
	}
}

typedef struct home_walk
{
	const ph_peers_t *peers;
	uint32_t *out;
	size_t n, max;
} home_walk_t;

static int add_home(const char *ip, size_t len, void *arg)
{
	home_walk_t *w = arg;
	long i = ph_peers_server_index(w->peers, ip, len);
	size_t k;

	if(i < 0)
		return 0;
	for(k = 0; k < w->n; k++) /* the same address spelt twice */
		if(w->out[k] == (uint32_t)i)
			return 0;
	if(w->n < w->max)
		w->out[w->n++] = (uint32_t)i;
	return 0;
}

size_t ph_call_home_servers(const ph_peers_t *p, const ph_entry_t *phone,
		const char *last, size_t last_len, uint32_t *out, size_t max)
{
	uint32_t all[PH_MAX_PEERS];
	home_walk_t w = {p, all, 0, PH_MAX_PEERS};
	long first;
	size_t k;

	if(p == NULL || phone == NULL || max == 0)
		return 0;
	/* every home server first, so that the last one is found whatever max */
	ph_entry_each_server(phone, add_home, &w);
	first = (last && last_len) ? ph_peers_server_index(p, last, last_len) : -1;
	for(k = 1; first >= 0 && k < w.n; k++) {
		if(all[k] == (uint32_t)first) {
			memmove(all + 1, all, k * sizeof(*all));
			all[0] = (uint32_t)first;
			break;
		}
	}
	if(w.n > max)
		w.n = max;
	memcpy(out, all, w.n * sizeof(*out));
	return w.n;
}

size_t ph_call_all_servers(
		const ph_peers_t *p, size_t start, uint32_t *out, size_t max)
{
	size_t n = ph_peers_servers(p), i;

	if(n > max)
		n = max;
	for(i = 0; i < n; i++)
		out[i] = (uint32_t)((start % ph_peers_servers(p) + i)
							% ph_peers_servers(p));
	return n;
}

void ph_call_down_last(uint32_t *servers, size_t n,
		int (*down)(uint32_t index, void *arg), void *arg)
{
	uint32_t later[PH_MAX_PEERS];
	size_t up = 0, nd = 0, i;

	if(n > PH_MAX_PEERS)
		n = PH_MAX_PEERS;
	for(i = 0; i < n; i++) {
		if(down(servers[i], arg))
			later[nd++] = servers[i];
		else
			servers[up++] = servers[i];
	}
	memcpy(servers + up, later, nd * sizeof(*later));
}
