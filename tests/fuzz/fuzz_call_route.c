/*
 * kamailio-phones: fuzzing where a call goes (ph_call_decide) and to which
 * Asterisk servers (ph_call_home_servers, ph_call_all_servers,
 * ph_call_down_last), over the cluster's peers (ph_peers_*).
 *
 * Input (see README.md): an optional "!<hex>" line, the allocations of the
 * peers to fail; then lines, each one of
 *
 *   extension|dialplan_number|conf_secret|protocol|active|server_ip|cid
 *                     a row of the phones table (as fuzz_route_check)
 *   @server_ip|active|active_asterisk_server
 *                     a row of VICIdial's servers table (a missing third
 *                     field: the column is not read)
 *   #trunk            a routing rule's trunk (its host a carrier)
 *   >caller|user|last|start|max|down
 *                     a call: caller 0..3 (ph_caller_t; others too), the
 *                     Request-URI user, the server that last called the
 *                     phone user names, the rotation's start, the most
 *                     servers wanted, and a mask of the servers down
 *
 * The table, the servers and the carriers hold a few fixed rows first (a
 * device on two servers, EXTERNAL entries, IPv6), then the input's.
 *
 * Each call of the input is planned too (ph_call_plan), from the phone
 * cc100 when the caller is a phone, with the servers of the down mask
 * failed in a health table (ph_server_health_*), which must then say
 * exactly those are down.
 *
 * Checked: the servers held and refused as a model of the servers table
 * says, each found by its address, port and text; the carriers found at
 * their trunks' ports; ph_peers_memory always the allocator's live bytes;
 * every decision the header's matrix (DEVICE only for an active, not
 * EXTERNAL, unambiguous entry; a carrier's call only DEVICE or DID); home
 * servers exactly the entry's servers that are held, each once, the last
 * one first; every index below ph_peers_servers; the rotation a rotation;
 * down_last a stable partition; every plan the flow table of
 * call_plan.h: its kind from the matrix's verdict, a trunk only with the
 * rules' own answer, servers the model's servers with those down last,
 * and the refusals (403 nobody or another From, 404, 404 No Route, 503).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fuzz.h"

#include "phones/call_plan.h"
#include "phones/call_route.h"
#include "phones/peers.h"
#include "phones/phone_table.h"
#include "phones/route_check.h"
#include "phones/route_rules.h"

#define MAX_ROWS 256
#define MAX_SERVERS 128
#define MAX_TRUNKS 32
#define MAX_CALLS 64
#define CALL_FIELDS 6
#define SERVER_PORT 5060
/* entries whose every decision and home servers are checked */
#define MAX_SWEEP 64
/* home servers an entry can name: 1024 bytes of 1 and a comma */
#define MAX_HOMES (PH_MAX_HOME_SERVERS_TEXT / 2 + 1)

static const char *const fixed_rows[][7] = {
		/* extension, dialplan_number, conf_secret, protocol, active,
		 * server_ip, outbound_cid */
		{"cc100", "3125550100", "pw", "SIP", "Y", "127.0.0.2", NULL},
		{"cc100", "3125550100", "pw", "SIP", "Y", "127.0.0.3", NULL},
		{"cc100", "3125550100", "pw", "SIP", "Y", "127.0.0.9", NULL},
		{"cc101", "3125550101", "x", "PJSIP", "Y", "::1", NULL},
		{"cc101", "3125550101", "x", "PJSIP", "Y", "0::1", NULL},
		{"cc102", NULL, "x", "IAX2", "N", "127.0.0.2", NULL},
		{"homeagent1", "13125551234", "", "EXTERNAL", "Y", "127.0.0.2", NULL},
		{"homeagent2", "913125551235", NULL, "EXTERNAL", "N", "127.0.0.3",
				NULL},
		/* an extension on two servers with two passwords */
		{"8500", "5558500", "a", "SIP", "Y", "127.0.0.2", NULL},
		{"8500", "5558501", "b", "SIP", "Y", "127.0.0.3", NULL},
		/* a number of two entries */
		{"8101", "5559999", "", "EXTERNAL", "Y", "127.0.0.2", NULL},
		{"8102", "5559999", "", "SIP", "Y", "127.0.0.2", NULL},
};

static const char *const fixed_servers[][3] = {
		{"127.0.0.2", "Y", "Y"},
		{"127.0.0.3", "Y", NULL},
		{"[::1]", "y", "y"},
		{"127.0.0.4", "N", "Y"},
};

static const char *const fixed_trunks[] = {
		"sip:127.0.0.9", "sips:127.0.0.10:5071", "ds:1", "gw.example.com"};

/* ---- the harness's own models ---- */

static FZ_NO_COVERAGE int is_yes(const ph_field_t *f)
{
	return f->s && f->len == 1 && (f->s[0] == 'Y' || f->s[0] == 'y');
}

/* The text's address, as peers.h says: IPv4 or IPv6, brackets allowed
 * around IPv6 (and, as the core does, around IPv4). -1: not one (a text
 * holding a NUL byte is none either). */
static FZ_NO_COVERAGE int model_addr(const char *s, size_t len, ph_addr_t *out)
{
	char buf[INET6_ADDRSTRLEN + 2];

	if(s == NULL || len == 0)
		return -1;
	if(memchr(s, '\0', len))
		return -1;
	if(s[0] == '[') {
		if(len < 3 || s[len - 1] != ']')
			return -1;
		s++;
		len -= 2;
	}
	if(len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(out, 0, sizeof(*out));
	if(inet_pton(AF_INET, buf, out->bytes) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if(inet_pton(AF_INET6, buf, out->bytes) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -1;
}

static FZ_NO_COVERAGE int same_addr(const ph_addr_t *a, const ph_addr_t *b)
{
	return a->family == b->family
		   && memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16) == 0;
}

typedef struct model
{
	ph_addr_t servers[MAX_SERVERS + 8];
	size_t nservers;
} model_t;

static FZ_NO_COVERAGE long model_server(const model_t *m, const ph_addr_t *a)
{
	size_t i;

	for(i = 0; i < m->nservers; i++)
		if(same_addr(&m->servers[i], a))
			return (long)i;
	return -1;
}

/* ---- servers ---- */

static FZ_NO_COVERAGE void add_server(
		ph_peers_t *p, fz_alloc_t *pa, model_t *m, const ph_server_row_t *row)
{
	size_t failures = pa->failures, before = ph_peers_servers(p);
	ph_server_result_t r = ph_peers_add_server(p, row);
	ph_addr_t addr;
	int parsed;

	fz_check(ph_peers_memory(p) == pa->live_bytes, "memory %zu, allocator %zu",
			ph_peers_memory(p), pa->live_bytes);
	fz_check((r == PH_SERVER_NO_MEMORY) == (pa->failures > failures),
			"result %d, %zu allocations failed", (int)r,
			pa->failures - failures);
	if(r != PH_SERVER_ADDED) {
		fz_check(
				ph_peers_servers(p) == before, "refused (%d) yet held", (int)r);
	} else {
		fz_check(ph_peers_servers(p) == before + 1, "added, %zu servers",
				ph_peers_servers(p));
	}
	if(!is_yes(&row->active)
			|| (row->active_asterisk_server.s
					&& !is_yes(&row->active_asterisk_server))) {
		fz_check(r == PH_SERVER_INACTIVE, "an inactive server: %d", (int)r);
		return;
	}
	fz_check(r != PH_SERVER_INACTIVE, "an active server refused as inactive");
	parsed = model_addr(row->server_ip.s, row->server_ip.len, &addr);
	if(parsed < 0) {
		fz_check(r == PH_SERVER_BAD_ADDRESS, "not an address: %d", (int)r);
		return;
	}
	if(model_server(m, &addr) >= 0) {
		fz_check(r == PH_SERVER_DUPLICATE, "a server again: %d", (int)r);
		return;
	}
	if(r == PH_SERVER_NO_MEMORY)
		return;
	fz_check(before < PH_MAX_PEERS && r == PH_SERVER_ADDED, "a new server: %d",
			(int)r);
	m->servers[m->nservers++] = addr;
}

/* Every server of the model at its index, by address, port and text. */
static FZ_NO_COVERAGE void check_servers(const ph_peers_t *p, const model_t *m)
{
	const char *text;
	size_t i, server;
	ph_addr_t addr;

	fz_check(ph_peers_servers(p) == m->nservers, "%zu servers, model %zu",
			ph_peers_servers(p), m->nservers);
	fz_check(ph_peers_server_ip(p, m->nservers) == NULL, "a server too many");
	for(i = 0; i < m->nservers; i++) {
		text = ph_peers_server_ip(p, i);
		fz_check(text != NULL, "server %zu has no text", i);
		fz_check(model_addr(text, strlen(text), &addr) == 0
						 && same_addr(&addr, &m->servers[i]),
				"server %zu is '%s'", i, text);
		fz_check(ph_peers_server_index(p, text, strlen(text)) == (long)i,
				"'%s' is not server %zu", text, i);
		server = SIZE_MAX;
		fz_check(ph_peers_find(p, &m->servers[i], SERVER_PORT, &server)
								 == PH_PEER_SERVER
						 && server == i,
				"'%s' not found at its port", text);
		server = SIZE_MAX;
		fz_check(ph_peers_find(p, &m->servers[i], 0, &server) == PH_PEER_SERVER
						 && server == i,
				"'%s' not found at any port", text);
	}
}

/* ---- carriers ---- */

static FZ_NO_COVERAGE void add_carriers(ph_peers_t *p, fz_alloc_t *pa,
		const model_t *m, const ph_rules_t *rules)
{
	size_t failures = pa->failures, names = 0, want_names = 0, ip_trunks = 0;
	size_t servers = ph_peers_servers(p), i;
	const ph_trunk_t *trunk;
	ph_peer_kind_t kind;
	ph_addr_t addr;
	uint16_t port;
	int rc;

	rc = ph_peers_add_carriers(p, rules, &names);
	fz_check(ph_peers_memory(p) == pa->live_bytes, "memory %zu, allocator %zu",
			ph_peers_memory(p), pa->live_bytes);
	fz_check(rc == 0 || rc == -1, "add_carriers gave %d", rc);
	fz_check((rc == -1) == (pa->failures > failures),
			"add_carriers %d, %zu allocations failed", rc,
			pa->failures - failures);
	fz_check(ph_peers_servers(p) == servers, "carriers changed the servers");
	for(i = 0; i < ph_rules_count(rules); i++) {
		trunk = ph_rule_trunk(ph_rules_at(rules, i));
		if(trunk->kind != PH_TRUNK_URI)
			continue;
		if(model_addr(trunk->host, trunk->host_len, &addr) != 0) {
			want_names++;
			continue;
		}
		ip_trunks++;
		if(rc < 0)
			continue;
		port = trunk->port ? trunk->port
						   : (trunk->scheme_len == 4 ? 5061 : 5060);
		kind = ph_peers_find(p, &addr, port, NULL);
		if(kind == PH_PEER_SERVER)
			fz_check(port == SERVER_PORT && model_server(m, &addr) >= 0,
					"trunk %.*s: a server", (int)trunk->host_len, trunk->host);
		else
			fz_check(kind == PH_PEER_CARRIER, "trunk %.*s:%u not found",
					(int)trunk->host_len, trunk->host, port);
		fz_check(ph_peers_find(p, &addr, 0, NULL) != PH_PEER_NONE,
				"trunk %.*s not found at any port", (int)trunk->host_len,
				trunk->host);
		/* a carrier is no server */
		if(kind == PH_PEER_CARRIER && model_server(m, &addr) < 0)
			fz_check(ph_peers_server_index(p, trunk->host, trunk->host_len)
							 == -1,
					"carrier %.*s taken for a server", (int)trunk->host_len,
					trunk->host);
	}
	fz_check(ph_peers_carriers(p) <= ip_trunks, "%zu carriers of %zu trunks",
			ph_peers_carriers(p), ip_trunks);
	if(rc == 0)
		fz_check(
				names == want_names, "%zu names, model %zu", names, want_names);
}

/* ---- decisions ---- */

static FZ_NO_COVERAGE ph_call_verdict_t matrix(
		ph_caller_t caller, ph_route_verdict_t route)
{
	if(caller != PH_CALLER_PHONE && caller != PH_CALLER_SERVER
			&& caller != PH_CALLER_CARRIER)
		return PH_CALL_NOT_FOUND;
	if(route == PH_ROUTE_DEVICE)
		return PH_CALL_DEVICE;
	if(caller == PH_CALLER_CARRIER)
		return PH_CALL_DID;
	if(route == PH_ROUTE_EXTERNAL)
		return PH_CALL_EXTERNAL;
	if(route == PH_ROUTE_UNKNOWN)
		return caller == PH_CALLER_PHONE ? PH_CALL_HOME_SERVER
										 : PH_CALL_DIAL_OUT;
	return PH_CALL_NOT_FOUND;
}

/* Something that is no entry, to see that *target is always set. */
static const ph_entry_t not_an_entry;

static FZ_NO_COVERAGE void check_decide(
		const ph_table_t *t, ph_caller_t c, const char *user, size_t len)
{
	const ph_entry_t *target = &not_an_entry, *entry;
	ph_route_verdict_t route = (ph_route_verdict_t)-1, want_route;
	ph_call_verdict_t v;

	v = ph_call_decide(t, c, user, len, &target, &route);
	want_route = ph_route_check(t, user, len, &entry);
	fz_check(v >= 0 && v < PH_CALL_VERDICT_COUNT, "verdict %d", (int)v);
	fz_check(strcmp(ph_call_verdict_name(v), "?") != 0, "no name for %d",
			(int)v);
	fz_check(route == want_route, "'%.*s': route %d, ph_route_check %d",
			(int)len, user, (int)route, (int)want_route);
	fz_check(
			target != &not_an_entry, "'%.*s': *target not set", (int)len, user);
	fz_check(v == matrix(c, route), "'%.*s' from %s: %s, the matrix says %s",
			(int)len, user, ph_caller_name(c), ph_call_verdict_name(v),
			ph_call_verdict_name(matrix(c, route)));
	if(c == PH_CALLER_CARRIER)
		fz_check(v == PH_CALL_DEVICE || v == PH_CALL_DID,
				"a carrier's call: %s", ph_call_verdict_name(v));
	if(v == PH_CALL_DEVICE || v == PH_CALL_EXTERNAL) {
		fz_check(target != NULL && target == entry,
				"'%.*s': %s without its entry", (int)len, user,
				ph_call_verdict_name(v));
		fz_check(target->active, "'%.*s': %s to an inactive entry", (int)len,
				user, ph_call_verdict_name(v));
		fz_check(!(target->flags & PH_ENTRY_AMBIGUOUS_EXTENSION),
				"'%.*s': %s to an ambiguous extension", (int)len, user,
				ph_call_verdict_name(v));
		fz_check((target->protocol == PH_PROTO_EXTERNAL)
						 == (v == PH_CALL_EXTERNAL),
				"'%.*s': %s to a %s entry", (int)len, user,
				ph_call_verdict_name(v),
				ph_protocol_name((ph_protocol_t)target->protocol));
	} else {
		fz_check(target == NULL || target == entry,
				"'%.*s': another entry than the table's", (int)len, user);
	}
}

static FZ_NO_COVERAGE void check_decide_all(
		const ph_table_t *t, const char *user, size_t len)
{
	int c;

	for(c = -1; c <= PH_CALLER_COUNT; c++)
		check_decide(t, (ph_caller_t)c, user, len);
}

/* ---- home servers ---- */

typedef struct homes
{
	const ph_peers_t *p;
	const model_t *m;
	uint32_t want[MAX_HOMES];
	size_t n;
} homes_t;

/* The model's home servers: the held ones, each once, in order. */
static FZ_NO_COVERAGE int model_home(const char *ip, size_t len, void *arg)
{
	homes_t *h = arg;
	ph_addr_t addr;
	int parsed;
	long i;
	size_t k;

	fz_check(len > 0, "an empty home server");
	parsed = model_addr(ip, len, &addr);
	if(parsed != 0)
		return 0;
	i = model_server(h->m, &addr);
	if(i < 0)
		return 0;
	for(k = 0; k < h->n; k++)
		if(h->want[k] == (uint32_t)i)
			return 0;
	fz_check(h->n < MAX_HOMES, "more home servers than fit");
	h->want[h->n++] = (uint32_t)i;
	return 0;
}

static FZ_NO_COVERAGE void check_home(const ph_peers_t *p, const model_t *m,
		const ph_entry_t *e, const char *last, size_t last_len, size_t max)
{
	static homes_t h;
	static uint32_t out[PH_MAX_PEERS + 1];
	ph_addr_t addr;
	size_t n, i, k;
	long first = -1;
	int parsed;

	memset(&h, 0, sizeof(h));
	h.p = p;
	h.m = m;
	ph_entry_each_server(e, model_home, &h);
	if(last && last_len) {
		parsed = model_addr(last, last_len, &addr);
		if(parsed == 0)
			first = model_server(m, &addr);
	}
	for(k = 1; first >= 0 && k < h.n; k++) {
		if(h.want[k] == (uint32_t)first) {
			memmove(h.want + 1, h.want, k * sizeof(h.want[0]));
			h.want[0] = (uint32_t)first;
			break;
		}
	}
	if(max > PH_MAX_PEERS)
		max = PH_MAX_PEERS;
	out[max] = 0xdeadbeefu;
	n = ph_call_home_servers(p, e, last, last_len, out, max);
	fz_check(out[max] == 0xdeadbeefu, "written past max %zu", max);
	fz_check(n <= max, "%zu servers, max %zu", n, max);
	fz_check(n == (h.n < max ? h.n : max), "%zu home servers, model %zu of %zu",
			n, h.n, max);
	for(i = 0; i < n; i++) {
		fz_check(out[i] < ph_peers_servers(p), "server %u of %zu", out[i],
				ph_peers_servers(p));
		for(k = 0; k < i; k++)
			fz_check(out[k] != out[i], "server %u twice", out[i]);
		for(k = 0; k < h.n && h.want[k] != out[i]; k++)
			;
		fz_check(k < h.n, "server %u is no home server", out[i]);
		/* in the model's order, the first max of them */
		fz_check(out[i] == h.want[i], "home server %zu is %u, model %u", i,
				out[i], h.want[i]);
	}
	if(ph_peers_servers(p) == 0)
		fz_check(n == 0, "home servers without servers");
}

/* ---- rotation and servers down ---- */

static FZ_NO_COVERAGE void check_all(
		const ph_peers_t *p, size_t start, size_t max)
{
	static uint32_t out[PH_MAX_PEERS + 1];
	size_t ns = ph_peers_servers(p), n, i;

	if(max > PH_MAX_PEERS)
		max = PH_MAX_PEERS;
	out[max] = 0xdeadbeefu;
	n = ph_call_all_servers(p, start, out, max);
	fz_check(out[max] == 0xdeadbeefu, "written past max %zu", max);
	fz_check(n == (ns < max ? ns : max), "%zu of %zu servers, max %zu", n, ns,
			max);
	for(i = 0; i < n; i++)
		fz_check(out[i] == (start % ns + i) % ns,
				"server %zu of the rotation from %zu is %u", i, start, out[i]);
}

typedef struct down_arg
{
	uint64_t mask;
	size_t calls;
} down_arg_t;

static FZ_NO_COVERAGE int is_down(uint32_t index, void *arg)
{
	down_arg_t *d = arg;

	d->calls++;
	return (d->mask >> (index % 64)) & 1;
}

static FZ_NO_COVERAGE void check_down_last(
		const uint32_t *in, size_t n, uint64_t mask)
{
	static uint32_t s[PH_MAX_PEERS], want[PH_MAX_PEERS];
	down_arg_t d = {mask, 0};
	size_t i, k = 0;

	memcpy(s, in, n * sizeof(*s));
	for(i = 0; i < n; i++)
		if(!((mask >> (in[i] % 64)) & 1))
			want[k++] = in[i];
	for(i = 0; i < n; i++)
		if((mask >> (in[i] % 64)) & 1)
			want[k++] = in[i];
	ph_call_down_last(s, n, is_down, &d);
	fz_check(d.calls == n, "down asked %zu times for %zu", d.calls, n);
	fz_check(n == 0 || memcmp(s, want, n * sizeof(*s)) == 0,
			"not a stable partition");
}

/* ---- the input ---- */

/* ---- plans ---- */

static void no_lock(void *ctx)
{
	(void)ctx;
}

static FZ_NO_COVERAGE time_t fixed_now(void *ctx)
{
	(void)ctx;
	return 1000;
}

static FZ_NO_COVERAGE uint64_t fixed_ms(void *ctx)
{
	(void)ctx;
	return 1000000;
}

static const ph_lock_t plan_lock = {no_lock, no_lock, NULL};
static const ph_clock_t plan_clock = {fixed_now, fixed_ms, no_lock, NULL};

static FZ_NO_COVERAGE void check_plan(const ph_table_t *t,
		const ph_rules_t *rules, ph_matcher_t *mt, const ph_peers_t *p,
		ph_caller_t caller, const fz_field_t *user, const fz_field_t *last,
		size_t start, uint64_t down)
{
	static ph_call_plan_t plan;
	static uint32_t want[PH_MAX_PEERS];
	char num[PH_MAX_ROUTE_NUMBER + 1];
	ph_health_policy_t pol = {30, 1};
	ph_server_health_t *h;
	ph_call_facts_t f;
	const ph_entry_t *e, *phone;
	ph_route_verdict_t route;
	ph_call_verdict_t v;
	size_t n = 0, i, k;
	int pass;
	size_t numlen = 0;
	const ph_rule_t *rule = NULL;

	h = ph_server_health_new(
			&ph_allocator_libc, 64, &pol, &plan_lock, &plan_clock);
	if(h == NULL)
		abort();
	for(i = 0; p && i < ph_peers_servers(p) && i < 64; i++) {
		const char *ip = ph_peers_server_ip(p, i);

		if(down & ((uint64_t)1 << i))
			fz_check(ph_server_health_failed(h, ip, strlen(ip)) >= 0,
					"health refused %s", ip);
	}
	for(i = 0; p && i < ph_peers_servers(p) && i < 64; i++) {
		const char *ip = ph_peers_server_ip(p, i);

		fz_check(ph_server_health_is_down(h, ip, strlen(ip))
						 == !!(down & ((uint64_t)1 << i)),
				"health of %s", ip);
	}
	memset(&f, 0, sizeof(f));
	f.caller = caller;
	f.user.s = user->s;
	f.user.len = (uint32_t)user->len;
	f.phone.s = "cc100";
	f.phone.len = 5;
	f.from_user = f.phone;
	f.table = t;
	f.rules = rules;
	f.matcher = mt;
	f.peers = p;
	f.last_server.s = last->s;
	f.last_server.len = (uint32_t)last->len;
	f.turn = start;
	f.health = h;
	ph_call_plan(&f, &plan);
	fz_check(plan.kind >= 0 && plan.kind < PH_PLAN_KIND_COUNT, "kind %d",
			(int)plan.kind);
	route = ph_route_check(t, user->s, user->len, &e);
	v = matrix(caller, route);
	if(caller != PH_CALLER_PHONE && caller != PH_CALLER_SERVER
			&& caller != PH_CALLER_CARRIER) {
		fz_check(plan.kind == PH_PLAN_REFUSED && plan.code == 403,
				"nobody's call: %s %d", ph_call_kind_name(plan.kind),
				plan.code);
		goto done;
	}
	if(user->len == 0) {
		fz_check(plan.kind == PH_PLAN_REFUSED && plan.code == 404,
				"an empty user: %s", ph_call_kind_name(plan.kind));
		goto done;
	}
	fz_check(plan.verdict == v, "plan's flow %s, the matrix %s",
			ph_call_verdict_name(plan.verdict), ph_call_verdict_name(v));
	switch(v) {
		case PH_CALL_DEVICE:
			fz_check(plan.kind == PH_PLAN_CONTACTS && plan.entry == e,
					"a device: %s", ph_call_kind_name(plan.kind));
			break;
		case PH_CALL_EXTERNAL:
		case PH_CALL_DIAL_OUT:
			if(v == PH_CALL_EXTERNAL)
				rule = ph_rules_translate(rules, mt, e->dialplan_number.s,
						e->dialplan_number.len, num, sizeof(num), &numlen,
						NULL);
			else
				rule = ph_rules_translate(rules, mt, user->s, user->len, num,
						sizeof(num), &numlen, NULL);
			if(rule == NULL) {
				fz_check(plan.kind == PH_PLAN_REFUSED && plan.code == 404
								 && strcmp(plan.reason, "No Route") == 0,
						"no rule: %s", ph_call_kind_name(plan.kind));
			} else {
				fz_check(plan.kind == PH_PLAN_TRUNK && plan.rule == rule
								 && plan.trunk == ph_rule_trunk(rule)
								 && plan.number_len == numlen
								 && memcmp(plan.number, num, numlen) == 0,
						"a trunk: %s", ph_call_kind_name(plan.kind));
			}
			break;
		case PH_CALL_HOME_SERVER:
		case PH_CALL_DID:
			if(p == NULL) {
				n = 0;
			} else if(v == PH_CALL_HOME_SERVER) {
				phone = ph_table_by_extension(t, "cc100", 5);
				n = ph_call_home_servers(
						p, phone, last->s, last->len, want, PH_MAX_PEERS);
			} else {
				n = ph_call_all_servers(p, start, want, PH_MAX_PEERS);
			}
			if(n == 0) {
				fz_check(plan.kind == PH_PLAN_REFUSED && plan.code == 503,
						"no server: %s", ph_call_kind_name(plan.kind));
				break;
			}
			fz_check(plan.kind == PH_PLAN_SERVERS && plan.nservers == n,
					"servers: %s, %zu of %zu", ph_call_kind_name(plan.kind),
					plan.nservers, n);
			/* the model's servers up first, then the down ones, each
			 * group in the model's order */
			k = 0;
			for(pass = 0; pass < 2; pass++) {
				for(i = 0; i < n; i++) {
					int d = want[i] < 64 && (down & ((uint64_t)1 << want[i]));

					if(d != pass)
						continue;
					fz_check(k < plan.nservers && plan.servers[k] == want[i],
							"server %zu is %u, model %u", k,
							k < plan.nservers ? plan.servers[k] : 0, want[i]);
					k++;
				}
			}
			fz_check((caller == PH_CALLER_PHONE) == (plan.identity.len == 5),
					"identity of a phone's call");
			break;
		default:
			fz_check(plan.kind == PH_PLAN_REFUSED && plan.code == 404
							 && strcmp(plan.reason, "Not Found") == 0,
					"nothing to send to: %s", ph_call_kind_name(plan.kind));
	}
	/* a phone whose From is another user is refused whatever it calls */
	if(caller == PH_CALLER_PHONE) {
		f.from_user.s = "cc101";
		ph_call_plan(&f, &plan);
		fz_check(plan.kind == PH_PLAN_REFUSED && plan.code == 403,
				"another From: %s", ph_call_kind_name(plan.kind));
	}
done:
	ph_server_health_free(h);
}

static ph_field_t cfield(const char *s)
{
	ph_field_t f;

	f.s = s;
	f.len = s ? strlen(s) : 0;
	return f;
}

static int add_trunk(ph_rules_t *r, long long id, ph_field_t trunk)
{
	ph_rule_row_t row;
	char err[256];

	row.id = id;
	row.priority = 0;
	row.match_exp = cfield("^9");
	row.repl_exp = cfield("");
	row.trunk = trunk;
	row.description = cfield("");
	return ph_rules_add(r, &row, err, sizeof(err));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static model_t m;
	static uint32_t list[PH_MAX_PEERS];
	static ph_matcher_t *mt = NULL;
	fz_reader_t in;
	fz_alloc_t pa, ta, ra;
	uint64_t mask;
	fz_field_t *rows, *servers, *calls, trunks[MAX_TRUNKS];
	size_t nrows = 0, nservers = 0, ntrunks = 0, ncalls = 0, i, j, n;
	ph_table_t *t = NULL;
	ph_rules_t *rules = NULL;
	ph_peers_t *p = NULL;
	ph_server_row_t srow;
	const ph_entry_t *e;
	const fz_field_t *f;
	ph_row_t row;
	int c;

	rows = calloc(MAX_ROWS * 7, sizeof(*rows));
	servers = calloc(MAX_SERVERS * 3, sizeof(*servers));
	calls = calloc(MAX_CALLS * CALL_FIELDS, sizeof(*calls));
	if(rows == NULL || servers == NULL || calls == NULL)
		abort();
	fz_reader_init(&in, data, size, &mask);
	while(!fz_reader_done(&in)) {
		c = fz_reader_peek(&in);
		if(c == '@' || c == '#' || c == '>')
			fz_reader_skip(&in, 1);
		if(c == '@' && nservers < MAX_SERVERS)
			fz_read_line(&in, &servers[3 * nservers++], 3);
		else if(c == '#' && ntrunks < MAX_TRUNKS)
			fz_read_line(&in, &trunks[ntrunks++], 1);
		else if(c == '>' && ncalls < MAX_CALLS)
			fz_read_line(&in, &calls[CALL_FIELDS * ncalls++], CALL_FIELDS);
		else if(c != '@' && c != '#' && c != '>' && nrows < MAX_ROWS)
			fz_read_line(&in, &rows[7 * nrows++], 7);
		else
			fz_read_line(&in, NULL, 0);
	}

	/* the table and the rules never fail: other harnesses fail theirs */
	fz_alloc_init(&ta, 0);
	fz_alloc_init(&ra, 0);
	fz_alloc_init(&pa, mask);
	t = ph_table_new(&ta.allocator);
	rules = ph_rules_new(&ra.allocator);
	if(t == NULL || rules == NULL)
		abort();
	for(i = 0; i < sizeof(fixed_rows) / sizeof(fixed_rows[0]); i++) {
		row.extension = cfield(fixed_rows[i][0]);
		row.dialplan_number = cfield(fixed_rows[i][1]);
		row.conf_secret = cfield(fixed_rows[i][2]);
		row.protocol = cfield(fixed_rows[i][3]);
		row.active = cfield(fixed_rows[i][4]);
		row.server_ip = cfield(fixed_rows[i][5]);
		row.outbound_cid = cfield(fixed_rows[i][6]);
		ph_table_add_row(t, &row);
	}
	for(i = 0; i < nrows; i++) {
		memcpy(&row, &rows[7 * i], sizeof(row));
		ph_table_add_row(t, &row);
	}
	for(i = 0; i < sizeof(fixed_trunks) / sizeof(fixed_trunks[0]); i++)
		fz_check(add_trunk(rules, (long long)i, cfield(fixed_trunks[i])) == 0,
				"fixed trunk %s refused", fixed_trunks[i]);
	for(i = 0; i < ntrunks; i++)
		if(trunks[i].s)
			add_trunk(rules, 100 + (long long)i, trunks[i]);

	/* the peers, from the allocator that fails as asked */
	memset(&m, 0, sizeof(m));
	p = ph_peers_new(&pa.allocator, SERVER_PORT);
	if(p == NULL) {
		fz_check(pa.failures == 1 && pa.live == 0, "ph_peers_new failed");
	} else {
		fz_check(ph_peers_memory(p) == pa.live_bytes, "memory %zu, live %zu",
				ph_peers_memory(p), pa.live_bytes);
		for(i = 0; i < sizeof(fixed_servers) / sizeof(fixed_servers[0]); i++) {
			srow.server_ip = cfield(fixed_servers[i][0]);
			srow.active = cfield(fixed_servers[i][1]);
			srow.active_asterisk_server = cfield(fixed_servers[i][2]);
			add_server(p, &pa, &m, &srow);
		}
		for(i = 0; i < nservers; i++) {
			srow.server_ip = servers[3 * i];
			srow.active = servers[3 * i + 1];
			srow.active_asterisk_server = servers[3 * i + 2];
			add_server(p, &pa, &m, &srow);
		}
		check_servers(p, &m);
		add_carriers(p, &pa, &m, rules);
		check_servers(p, &m);
	}

	/* decisions and servers for every entry, from every caller */
	for(i = 0; i < ph_table_size(t) && i < MAX_SWEEP; i++) {
		e = ph_table_entry(t, i);
		check_decide_all(t, e->extension.s, e->extension.len);
		check_decide_all(t, e->dialplan_number.s, e->dialplan_number.len);
		check_home(p, &m, e, NULL, 0, PH_MAX_PEERS);
		for(j = 0; j < m.nservers && j < 8; j++) {
			const char *ip = ph_peers_server_ip(p, j);

			check_home(p, &m, e, ip, strlen(ip), PH_MAX_PEERS);
		}
	}
	/* the calls of the input */
	for(i = 0; i < ncalls; i++) {
		const fz_field_t *call = &calls[CALL_FIELDS * i];
		ph_caller_t caller = (ph_caller_t)fz_number(
				&call[0], -1, PH_CALLER_COUNT + 1, PH_CALLER_PHONE);
		size_t start = (size_t)fz_number(&call[3], 0, INT64_MAX, 0);
		size_t max = (size_t)fz_number(&call[4], 0, PH_MAX_PEERS, 16);
		uint64_t down = (uint64_t)fz_number(&call[5], 0, INT64_MAX, 0);

		f = &call[1];
		check_decide(t, caller, f->s, f->len);
		e = ph_table_by_extension(t, f->s, f->len);
		if(e) {
			check_home(p, &m, e, call[2].s, call[2].len, max);
			check_home(p, &m, e, call[2].s, call[2].len, PH_MAX_PEERS);
			n = ph_call_home_servers(
					p, e, call[2].s, call[2].len, list, PH_MAX_PEERS);
			check_down_last(list, n, down);
		}
		if(mt == NULL && (mt = ph_matcher_new(10000, 100)) == NULL)
			abort();
		check_plan(t, rules, mt, p, caller, f, &call[2], start, down);
		check_all(p, start, max);
		n = ph_call_all_servers(p, start, list, PH_MAX_PEERS);
		check_down_last(list, n, down);
	}
	check_decide_all(t, NULL, 0);
	check_decide_all(NULL, "cc100", 5);

	ph_peers_free(p);
	fz_check(pa.live == 0, "ph_peers_free left %zu blocks", pa.live);
	ph_rules_free(rules);
	ph_table_free(t);
	fz_check(ta.live == 0 && ra.live == 0, "the table or rules leaked");

	fz_free_fields(rows, 7 * nrows);
	fz_free_fields(servers, 3 * nservers);
	fz_free_fields(calls, CALL_FIELDS * ncalls);
	fz_free_fields(trunks, ntrunks);
	free(rows);
	free(servers);
	free(calls);
	return 0;
}
