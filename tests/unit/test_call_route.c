/*
 * kamailio-phones: unit tests of where a call goes (ph_call_decide) and to
 * which Asterisk servers (ph_call_home_servers, ph_call_all_servers,
 * ph_call_down_last).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>
#include <stdio.h>

#include "unit.h"

#include "phones/call_route.h"
#include "phones/peers.h"
#include "phones/route_check.h"

/* Something that is no entry, to see that *target is always set. */
static const ph_entry_t not_an_entry;

/* One table for the decisions. Each server's password is its own unless
 * the rows are one device on several servers. */
static const struct
{
	const char *extension;
	const char *dialplan_number;
	const char *conf_secret;
	const char *protocol;
	const char *active;
	const char *server_ip;
	ph_row_result_t result;
} rows[] = {
		/* devices */
		{"100", "5550100", "pw100", "SIP", "Y", "127.0.0.2", PH_ROW_LOADED},
		{"102", "5550102", "pw102", "IAX2", "y", "127.0.0.2", PH_ROW_LOADED},
		/* a device on two servers: one entry, not ambiguous */
		{"200", "5550200", "pw200", "PJSIP", "Y", "127.0.0.2", PH_ROW_LOADED},
		{"200", "5550200", "pw200", "PJSIP", "Y", "127.0.0.3",
				PH_ROW_HOME_SERVER},
		/* EXTERNAL entries */
		{"8001", "5558001", "", "EXTERNAL", "Y", "127.0.0.2", PH_ROW_LOADED},
		/* inactive ones */
		{"101", "5550101", "pw101", "SIP", "N", "127.0.0.2", PH_ROW_LOADED},
		{"8002", "5558002", "", "EXTERNAL", NULL, "127.0.0.2", PH_ROW_LOADED},
		/* an extension on two servers with two passwords */
		{"600", "5550600", "a", "SIP", "Y", "127.0.0.2", PH_ROW_LOADED},
		{"600", "5550601", "b", "SIP", "Y", "127.0.0.3", PH_ROW_AMBIGUOUS},
		{"8600", "5558600", "a", "EXTERNAL", "Y", "127.0.0.2", PH_ROW_LOADED},
		{"8600", "5558601", "b", "EXTERNAL", "Y", "127.0.0.3",
				PH_ROW_AMBIGUOUS},
		/* a dialplan number of two entries */
		{"8101", "5559999", "", "EXTERNAL", "Y", "127.0.0.2", PH_ROW_LOADED},
		{"8102", "5559999", "", "SIP", "Y", "127.0.0.2", PH_ROW_LOADED},
};

static int setup(void **state)
{
	ph_table_t *t = ph_table_new(&ph_allocator_libc);
	ph_row_t row;
	size_t i;

	if(t == NULL)
		return -1;
	for(i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		row = unit_row(rows[i].extension, rows[i].dialplan_number,
				rows[i].conf_secret, rows[i].protocol, rows[i].active,
				rows[i].server_ip, NULL);
		if(ph_table_add_row(t, &row) != rows[i].result) {
			ph_table_free(t);
			return -1;
		}
	}
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	ph_table_free(*state);
	return 0;
}

/* The users called, and what the table says of each. */
typedef enum target_kind
{
	T_DEVICE = 0, /* an active device entry */
	T_EXTERNAL,	  /* an active EXTERNAL entry */
	T_NONE,		  /* no entry: a number */
	T_INACTIVE,
	T_AMBIGUOUS,
	T_COUNT
} target_kind_t;

static const struct
{
	const char *user;
	target_kind_t kind;
	const char *extension; /* of the entry ph_route_check gives */
} users[] = {
		{"100", T_DEVICE, "100"},
		{"5550100", T_DEVICE, "100"},
		{"102", T_DEVICE, "102"},
		{"200", T_DEVICE, "200"},
		{"5550200", T_DEVICE, "200"},
		{"8102", T_DEVICE, "8102"},
		{"8001", T_EXTERNAL, "8001"},
		{"5558001", T_EXTERNAL, "8001"},
		{"8101", T_EXTERNAL, "8101"},
		{"13125551234", T_NONE, NULL},
		{"9", T_NONE, NULL},
		{"", T_NONE, NULL},
		{"1000", T_NONE, NULL},
		{"5550601", T_NONE, NULL}, /* the refused row's number */
		{"101", T_INACTIVE, "101"},
		{"5550101", T_INACTIVE, "101"},
		{"8002", T_INACTIVE, "8002"},
		{"5558002", T_INACTIVE, "8002"},
		{"600", T_AMBIGUOUS, NULL},
		{"5550600", T_AMBIGUOUS, NULL},
		{"8600", T_AMBIGUOUS, NULL},
		{"5558600", T_AMBIGUOUS, NULL},
		{"5559999", T_AMBIGUOUS, NULL},
};

/* The header's matrix. */
static const ph_call_verdict_t matrix[PH_CALLER_COUNT][T_COUNT] = {
		[PH_CALLER_UNKNOWN] = {PH_CALL_NOT_FOUND, PH_CALL_NOT_FOUND,
				PH_CALL_NOT_FOUND, PH_CALL_NOT_FOUND, PH_CALL_NOT_FOUND},
		[PH_CALLER_PHONE] = {PH_CALL_DEVICE, PH_CALL_EXTERNAL,
				PH_CALL_HOME_SERVER, PH_CALL_NOT_FOUND, PH_CALL_NOT_FOUND},
		[PH_CALLER_SERVER] = {PH_CALL_DEVICE, PH_CALL_EXTERNAL,
				PH_CALL_DIAL_OUT, PH_CALL_NOT_FOUND, PH_CALL_NOT_FOUND},
		[PH_CALLER_CARRIER] = {PH_CALL_DEVICE, PH_CALL_DID, PH_CALL_DID,
				PH_CALL_DID, PH_CALL_DID},
};

static const ph_route_verdict_t route_of[T_COUNT] = {PH_ROUTE_DEVICE,
		PH_ROUTE_EXTERNAL, PH_ROUTE_UNKNOWN, PH_ROUTE_INACTIVE,
		PH_ROUTE_AMBIGUOUS};

/* ph_call_decide with a C string user; *target and *route start as
 * something they must not stay. */
static ph_call_verdict_t decide(const ph_table_t *t, ph_caller_t caller,
		const char *user, const ph_entry_t **target, ph_route_verdict_t *route)
{
	*target = &not_an_entry;
	*route = (ph_route_verdict_t)-1;
	return ph_call_decide(
			t, caller, user, user ? strlen(user) : 0, target, route);
}

static void check_decision(const ph_table_t *t, ph_caller_t caller, size_t i,
		ph_call_verdict_t want)
{
	const ph_entry_t *target, *entry;
	ph_route_verdict_t route;
	ph_call_verdict_t v;

	v = decide(t, caller, users[i].user, &target, &route);
	if(v != want)
		fail_msg("%s calls '%s': %s, want %s", ph_caller_name(caller),
				users[i].user, ph_call_verdict_name(v),
				ph_call_verdict_name(want));
	/* *route is the table's verdict, whoever calls */
	assert_int_equal(route, route_of[users[i].kind]);
	assert_int_equal(
			ph_route_check(t, users[i].user, strlen(users[i].user), &entry),
			route);
	assert_ptr_not_equal(target, &not_an_entry);
	if(users[i].extension)
		assert_ptr_equal(entry, unit_by_ext(t, users[i].extension));
	else
		assert_null(entry);
	if(v == PH_CALL_DEVICE || v == PH_CALL_EXTERNAL) {
		/* the entry called */
		assert_non_null(target);
		assert_ptr_equal(target, entry);
		unit_assert_sv_str(target->extension, users[i].extension);
	} else if(target != NULL) {
		/* may be NULL otherwise, but no other entry */
		assert_ptr_equal(target, entry);
	}
}

static void test_decide_matrix(void **state)
{
	const ph_table_t *t = *state;
	int c;
	size_t i;

	for(c = 0; c < PH_CALLER_COUNT; c++)
		for(i = 0; i < sizeof(users) / sizeof(users[0]); i++)
			check_decision(t, (ph_caller_t)c, i, matrix[c][users[i].kind]);
}

static void test_decide_phone(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e;
	ph_route_verdict_t r;

	assert_int_equal(decide(t, PH_CALLER_PHONE, "100", &e, &r), PH_CALL_DEVICE);
	assert_int_equal(r, PH_ROUTE_DEVICE);
	assert_ptr_equal(e, unit_by_ext(t, "100"));
	/* the device on two servers is a device */
	assert_int_equal(decide(t, PH_CALLER_PHONE, "200", &e, &r), PH_CALL_DEVICE);
	assert_ptr_equal(e, unit_by_ext(t, "200"));
	assert_int_equal(e->nservers, 2);
	assert_int_equal(
			decide(t, PH_CALLER_PHONE, "5558001", &e, &r), PH_CALL_EXTERNAL);
	assert_int_equal(r, PH_ROUTE_EXTERNAL);
	assert_ptr_equal(e, unit_by_ext(t, "8001"));
	assert_int_equal(decide(t, PH_CALLER_PHONE, "13125551234", &e, &r),
			PH_CALL_HOME_SERVER);
	assert_int_equal(r, PH_ROUTE_UNKNOWN);
	assert_null(e);
	assert_int_equal(
			decide(t, PH_CALLER_PHONE, "101", &e, &r), PH_CALL_NOT_FOUND);
	assert_int_equal(r, PH_ROUTE_INACTIVE);
	assert_int_equal(
			decide(t, PH_CALLER_PHONE, "600", &e, &r), PH_CALL_NOT_FOUND);
	assert_int_equal(r, PH_ROUTE_AMBIGUOUS);
	assert_null(e);
}

static void test_decide_server(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e;
	ph_route_verdict_t r;

	assert_int_equal(
			decide(t, PH_CALLER_SERVER, "5550200", &e, &r), PH_CALL_DEVICE);
	assert_ptr_equal(e, unit_by_ext(t, "200"));
	assert_int_equal(
			decide(t, PH_CALLER_SERVER, "8001", &e, &r), PH_CALL_EXTERNAL);
	assert_ptr_equal(e, unit_by_ext(t, "8001"));
	assert_int_equal(decide(t, PH_CALLER_SERVER, "13125551234", &e, &r),
			PH_CALL_DIAL_OUT);
	assert_int_equal(r, PH_ROUTE_UNKNOWN);
	assert_int_equal(
			decide(t, PH_CALLER_SERVER, "8002", &e, &r), PH_CALL_NOT_FOUND);
	assert_int_equal(r, PH_ROUTE_INACTIVE);
	assert_int_equal(
			decide(t, PH_CALLER_SERVER, "5559999", &e, &r), PH_CALL_NOT_FOUND);
	assert_int_equal(r, PH_ROUTE_AMBIGUOUS);
}

static void test_decide_carrier(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e;
	ph_route_verdict_t r;
	size_t i;

	assert_int_equal(
			decide(t, PH_CALLER_CARRIER, "100", &e, &r), PH_CALL_DEVICE);
	assert_ptr_equal(e, unit_by_ext(t, "100"));
	/* never back out a trunk: whatever is not a device is a DID */
	assert_int_equal(decide(t, PH_CALLER_CARRIER, "8001", &e, &r), PH_CALL_DID);
	assert_int_equal(r, PH_ROUTE_EXTERNAL);
	assert_int_equal(
			decide(t, PH_CALLER_CARRIER, "3125550000", &e, &r), PH_CALL_DID);
	assert_int_equal(r, PH_ROUTE_UNKNOWN);
	assert_int_equal(decide(t, PH_CALLER_CARRIER, "101", &e, &r), PH_CALL_DID);
	assert_int_equal(r, PH_ROUTE_INACTIVE);
	assert_int_equal(decide(t, PH_CALLER_CARRIER, "8600", &e, &r), PH_CALL_DID);
	assert_int_equal(r, PH_ROUTE_AMBIGUOUS);
	for(i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		ph_call_verdict_t v =
				decide(t, PH_CALLER_CARRIER, users[i].user, &e, &r);

		assert_true(v == PH_CALL_DEVICE || v == PH_CALL_DID);
	}
}

static void test_decide_unknown_caller(void **state)
{
	const ph_table_t *t = *state;
	static const ph_caller_t callers[] = {PH_CALLER_UNKNOWN, PH_CALLER_COUNT,
			(ph_caller_t)(PH_CALLER_COUNT + 1), (ph_caller_t)-1};
	const ph_entry_t *e;
	ph_route_verdict_t r;
	size_t i, j;

	for(i = 0; i < sizeof(callers) / sizeof(callers[0]); i++) {
		for(j = 0; j < sizeof(users) / sizeof(users[0]); j++) {
			assert_int_equal(decide(t, callers[i], users[j].user, &e, &r),
					PH_CALL_NOT_FOUND);
			/* what the table says is still said */
			assert_int_equal(r, route_of[users[j].kind]);
			assert_ptr_not_equal(e, &not_an_entry);
		}
	}
}

static void test_decide_lengths(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e;
	ph_route_verdict_t r;
	char *user;

	/* the user is len bytes */
	e = &not_an_entry;
	assert_int_equal(ph_call_decide(t, PH_CALLER_PHONE, "1000", 3, &e, &r),
			PH_CALL_DEVICE);
	assert_ptr_equal(e, unit_by_ext(t, "100"));
	assert_int_equal(ph_call_decide(t, PH_CALLER_PHONE, "100", 2, &e, &r),
			PH_CALL_HOME_SERVER);
	assert_null(e);
	user = unit_dup_exact("8001", 4);
	assert_int_equal(ph_call_decide(t, PH_CALLER_SERVER, user, 4, &e, &r),
			PH_CALL_EXTERNAL);
	free(user);
	assert_ptr_equal(e, unit_by_ext(t, "8001"));
	/* no user */
	e = &not_an_entry;
	assert_int_equal(ph_call_decide(t, PH_CALLER_SERVER, NULL, 0, &e, &r),
			PH_CALL_DIAL_OUT);
	assert_int_equal(r, PH_ROUTE_UNKNOWN);
	assert_null(e);
	assert_int_equal(
			ph_call_decide(t, PH_CALLER_CARRIER, NULL, 0, &e, &r), PH_CALL_DID);
}

static void test_decide_empty_table(void **state)
{
	ph_table_t *t = ph_table_new(&ph_allocator_libc);
	const ph_entry_t *e;
	ph_route_verdict_t r;

	(void)state;
	assert_non_null(t);
	assert_int_equal(
			decide(t, PH_CALLER_PHONE, "100", &e, &r), PH_CALL_HOME_SERVER);
	assert_null(e);
	assert_int_equal(r, PH_ROUTE_UNKNOWN);
	assert_int_equal(
			decide(t, PH_CALLER_SERVER, "100", &e, &r), PH_CALL_DIAL_OUT);
	assert_int_equal(decide(t, PH_CALLER_CARRIER, "100", &e, &r), PH_CALL_DID);
	assert_int_equal(
			decide(t, PH_CALLER_UNKNOWN, "100", &e, &r), PH_CALL_NOT_FOUND);
	ph_table_free(t);
	/* and no table at all */
	assert_int_equal(
			decide(NULL, PH_CALLER_PHONE, "100", &e, &r), PH_CALL_HOME_SERVER);
	assert_null(e);
	assert_int_equal(r, PH_ROUTE_UNKNOWN);
	assert_int_equal(
			decide(NULL, PH_CALLER_SERVER, "100", &e, &r), PH_CALL_DIAL_OUT);
	assert_int_equal(
			decide(NULL, PH_CALLER_CARRIER, "100", &e, &r), PH_CALL_DID);
}

/* ---- the servers a call goes to ---- */

/* Servers 127.0.0.2 (0), 127.0.0.3 (1), ::1 (2), 127.0.0.4 (3),
 * 127.0.0.5 (4); a carrier at 127.0.0.9. */
static ph_peers_t *cluster(unit_alloc_t *a)
{
	static const char *const servers[] = {
			"127.0.0.2", "127.0.0.3", "::1", "127.0.0.4", "127.0.0.5"};
	ph_rule_row_t rule =
			unit_rule_row(1, 0, "^9(.*)$", "\\1", "sip:127.0.0.9", "");
	ph_server_row_t row;
	ph_rules_t *rules;
	ph_peers_t *p;
	char err[256];
	size_t i;

	unit_alloc_init(a, -1);
	p = ph_peers_new(&a->allocator, 5060);
	assert_non_null(p);
	for(i = 0; i < sizeof(servers) / sizeof(servers[0]); i++) {
		row.server_ip = unit_field(servers[i]);
		row.active = unit_field("Y");
		row.active_asterisk_server = unit_field("Y");
		assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_ADDED);
	}
	rules = ph_rules_new(&ph_allocator_libc);
	assert_non_null(rules);
	assert_int_equal(ph_rules_add(rules, &rule, err, sizeof(err)), 0);
	assert_int_equal(ph_peers_add_carriers(p, rules, NULL), 0);
	ph_rules_free(rules);
	assert_int_equal(ph_peers_servers(p), 5);
	assert_int_equal(ph_peers_carriers(p), 1);
	return p;
}

static void cluster_free(ph_peers_t *p, unit_alloc_t *a)
{
	assert_int_equal(ph_peers_memory(p), a->live_bytes);
	ph_peers_free(p);
	assert_int_equal(a->live, 0);
}

/* A phone with these home servers (a row each, the same device). */
static const ph_entry_t *phone_on(ph_table_t *t, const char *extension,
		const char *const *servers, size_t n)
{
	const ph_entry_t *e;
	size_t i;

	for(i = 0; i < n; i++)
		assert_int_equal(unit_table_add(t, extension, NULL, "pw", "SIP", "Y",
								 servers[i], NULL),
				i ? PH_ROW_HOME_SERVER : PH_ROW_LOADED);
	e = unit_by_ext(t, extension);
	assert_non_null(e);
	assert_int_equal(e->nservers, n);
	return e;
}

#define SENTINEL 0xdeadbeefu
#define OUT_MAX 16

/* ph_call_home_servers into out[max] of OUT_MAX sentinels, checking it
 * wrote no more than it says. last is a C string (NULL: none). */
static size_t home(const ph_peers_t *p, const ph_entry_t *phone,
		const char *last, uint32_t *out, size_t max)
{
	size_t i, n;

	assert_true(max <= OUT_MAX);
	for(i = 0; i < OUT_MAX; i++)
		out[i] = SENTINEL;
	n = ph_call_home_servers(p, phone, last, last ? strlen(last) : 0, out, max);
	assert_true(n <= max);
	for(i = n; i < OUT_MAX; i++)
		assert_int_equal(out[i], SENTINEL);
	return n;
}

/* out[0..n) is exactly want[] (terminated by SENTINEL). */
#define assert_servers(out, n, ...)                                            \
	do {                                                                       \
		static const uint32_t want_[] = {__VA_ARGS__, SENTINEL};               \
		size_t k_, nwant_ = sizeof(want_) / sizeof(want_[0]) - 1;              \
		if((n) != nwant_)                                                      \
			fail_msg("%zu servers, want %zu", (size_t)(n), nwant_);            \
		for(k_ = 0; k_ < nwant_; k_++)                                         \
			if((out)[k_] != want_[k_])                                         \
				fail_msg("server %zu is %u, want %u", k_, (unsigned)(out)[k_], \
						(unsigned)want_[k_]);                                  \
	} while(0)

static void test_home_servers_order(void **state)
{
	static const char *const homes[] = {
			"127.0.0.4", "127.0.0.2", "127.0.0.9", "127.0.0.3"};
	unit_alloc_t a, ta;
	ph_peers_t *p = cluster(&a);
	ph_table_t *t = unit_table_new(&ta);
	const ph_entry_t *e = phone_on(t, "300", homes, 4);
	uint32_t out[OUT_MAX];
	size_t n;

	(void)state;
	unit_assert_sv_str(e->servers, "127.0.0.4,127.0.0.2,127.0.0.9,127.0.0.3");
	/* held servers only (127.0.0.9 is a carrier), in load order */
	n = home(p, e, NULL, out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	n = home(p, e, "", out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	/* the last server to call the phone first, the others in order */
	n = home(p, e, "127.0.0.3", out, OUT_MAX);
	assert_servers(out, n, 1, 3, 0);
	n = home(p, e, "127.0.0.2", out, OUT_MAX);
	assert_servers(out, n, 0, 3, 1);
	n = home(p, e, "127.0.0.4", out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	/* a last server that is not a home server, or not a server */
	n = home(p, e, "127.0.0.5", out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	n = home(p, e, "127.0.0.9", out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	n = home(p, e, "::1", out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	n = home(p, e, "bogus", out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	/* last is last_len bytes */
	n = ph_call_home_servers(p, e, "127.0.0.3:5060", 9, out, OUT_MAX);
	assert_servers(out, n, 1, 3, 0);
	n = ph_call_home_servers(p, e, "127.0.0.3", 0, out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	n = ph_call_home_servers(p, e, NULL, 9, out, OUT_MAX);
	assert_servers(out, n, 3, 0, 1);
	/* fewer asked for: the first ones */
	n = home(p, e, NULL, out, 2);
	assert_servers(out, n, 3, 0);
	n = home(p, e, NULL, out, 1);
	assert_servers(out, n, 3);
	n = home(p, e, "127.0.0.3", out, 3);
	assert_servers(out, n, 1, 3, 0);
	assert_int_equal(home(p, e, NULL, out, 0), 0);
	unit_table_free(t, &ta);
	cluster_free(p, &a);
}

/* With max below the phone's home servers, the last server is still put
 * first (it is looked for among all of them before they are cut off). */
static void test_home_servers_max_keeps_last_first(void **state)
{
	static const char *const homes[] = {
			"127.0.0.4", "127.0.0.2", "127.0.0.9", "127.0.0.3"};
	unit_alloc_t a, ta;
	ph_peers_t *p = cluster(&a);
	ph_table_t *t = unit_table_new(&ta);
	const ph_entry_t *e = phone_on(t, "300", homes, 4);
	uint32_t out[OUT_MAX];
	size_t n;

	(void)state;
	n = home(p, e, "127.0.0.3", out, 1);
	assert_servers(out, n, 1);
	n = home(p, e, "127.0.0.3", out, 2);
	assert_servers(out, n, 1, 3);
	unit_table_free(t, &ta);
	cluster_free(p, &a);
}

static void test_home_servers_same_address(void **state)
{
	/* one server spelt twice, IPv6 */
	static const char *const homes[] = {"::1", "127.0.0.2", "0::1", "0:0::1"};
	static const char *const ipv6_last[] = {"0:0:0:0:0:0:0:1", "[::1]"};
	unit_alloc_t a, ta;
	ph_peers_t *p = cluster(&a);
	ph_table_t *t = unit_table_new(&ta);
	const ph_entry_t *e = phone_on(t, "301", homes, 4);
	uint32_t out[OUT_MAX];
	size_t n, i;

	(void)state;
	n = home(p, e, NULL, out, OUT_MAX);
	assert_servers(out, n, 2, 0);
	n = home(p, e, "127.0.0.2", out, OUT_MAX);
	assert_servers(out, n, 0, 2);
	/* the last server in another spelling */
	for(i = 0; i < sizeof(ipv6_last) / sizeof(ipv6_last[0]); i++) {
		n = home(p, e, ipv6_last[i], out, OUT_MAX);
		assert_servers(out, n, 2, 0);
	}
	unit_table_free(t, &ta);
	cluster_free(p, &a);
}

static void test_home_servers_none(void **state)
{
	static const char *const carrier_only[] = {"127.0.0.9", "127.0.0.8"};
	static const char *const one[] = {"127.0.0.5"};
	unit_alloc_t a, ta;
	ph_peers_t *p = cluster(&a), *empty;
	ph_table_t *t = unit_table_new(&ta);
	const ph_entry_t *e;
	uint32_t out[OUT_MAX];
	size_t n;

	(void)state;
	/* home servers none of which is a server */
	e = phone_on(t, "302", carrier_only, 2);
	assert_int_equal(home(p, e, NULL, out, OUT_MAX), 0);
	assert_int_equal(home(p, e, "127.0.0.9", out, OUT_MAX), 0);
	/* no server at all */
	assert_int_equal(
			unit_table_add(t, "303", NULL, "pw", "SIP", "Y", NULL, NULL),
			PH_ROW_LOADED);
	e = unit_by_ext(t, "303");
	assert_int_equal(home(p, e, NULL, out, OUT_MAX), 0);
	assert_int_equal(home(p, e, "127.0.0.2", out, OUT_MAX), 0);
	/* one */
	e = phone_on(t, "304", one, 1);
	n = home(p, e, NULL, out, OUT_MAX);
	assert_servers(out, n, 4);
	n = home(p, e, "127.0.0.5", out, OUT_MAX);
	assert_servers(out, n, 4);
	n = home(p, e, "127.0.0.2", out, OUT_MAX);
	assert_servers(out, n, 4);
	/* no phone, no peers, no servers */
	assert_int_equal(home(p, NULL, NULL, out, OUT_MAX), 0);
	assert_int_equal(home(NULL, e, NULL, out, OUT_MAX), 0);
	empty = ph_peers_new(&ph_allocator_libc, 5060);
	assert_non_null(empty);
	assert_int_equal(home(empty, e, "127.0.0.5", out, OUT_MAX), 0);
	ph_peers_free(empty);
	unit_table_free(t, &ta);
	cluster_free(p, &a);
}

/* ph_call_all_servers into OUT_MAX sentinels. */
static size_t all(const ph_peers_t *p, size_t start, uint32_t *out, size_t max)
{
	size_t i, n;

	assert_true(max <= OUT_MAX);
	for(i = 0; i < OUT_MAX; i++)
		out[i] = SENTINEL;
	n = ph_call_all_servers(p, start, out, max);
	for(i = n; i < OUT_MAX; i++)
		assert_int_equal(out[i], SENTINEL);
	return n;
}

static void test_all_servers(void **state)
{
	unit_alloc_t a;
	ph_peers_t *p = cluster(&a), *empty;
	uint32_t out[OUT_MAX];
	size_t n, start, i;

	(void)state;
	n = all(p, 0, out, OUT_MAX);
	assert_servers(out, n, 0, 1, 2, 3, 4);
	n = all(p, 1, out, OUT_MAX);
	assert_servers(out, n, 1, 2, 3, 4, 0);
	n = all(p, 4, out, OUT_MAX);
	assert_servers(out, n, 4, 0, 1, 2, 3);
	/* start modulo their number */
	n = all(p, 5, out, OUT_MAX);
	assert_servers(out, n, 0, 1, 2, 3, 4);
	n = all(p, 13, out, OUT_MAX);
	assert_servers(out, n, 3, 4, 0, 1, 2);
	n = all(p, 4000000001u, out, OUT_MAX);
	assert_servers(out, n, 1, 2, 3, 4, 0);
	/* fewer asked for */
	n = all(p, 3, out, 2);
	assert_servers(out, n, 3, 4);
	n = all(p, 7, out, 1);
	assert_servers(out, n, 2);
	assert_int_equal(all(p, 3, out, 0), 0);
	/* successive starts spread the first server over all of them */
	for(start = 0; start < 20; start++) {
		n = all(p, start, out, OUT_MAX);
		assert_int_equal(n, 5);
		assert_int_equal(out[0], start % 5);
		for(i = 1; i < n; i++)
			assert_int_equal(out[i], (out[i - 1] + 1) % 5);
	}
	/* no servers: nothing, whatever the start */
	empty = ph_peers_new(&ph_allocator_libc, 5060);
	assert_non_null(empty);
	assert_int_equal(all(empty, 0, out, OUT_MAX), 0);
	assert_int_equal(all(empty, 7, out, OUT_MAX), 0);
	ph_peers_free(empty);
	assert_int_equal(all(NULL, 7, out, OUT_MAX), 0);
	cluster_free(p, &a);
}

/* Near SIZE_MAX the rotation does not wrap: every server comes once. */
static void test_all_servers_start_near_size_max(void **state)
{
	unit_alloc_t a;
	ph_peers_t *p = cluster(&a);
	uint32_t out[OUT_MAX];
	size_t n, i, seen;

	(void)state;
	/* SIZE_MAX is 0 modulo 5 (2^64 and 2^32 are 1 modulo 5) */
	n = all(p, SIZE_MAX, out, OUT_MAX);
	assert_int_equal(n, 5);
	for(i = 0, seen = 0; i < n; i++)
		seen |= (size_t)1 << out[i];
	assert_int_equal(seen, 0x1f);
	assert_servers(out, n, 0, 1, 2, 3, 4);
	cluster_free(p, &a);
}

/* down(): the servers whose bit is set in the mask *arg; counts calls. */
typedef struct down_arg
{
	uint64_t mask;
	size_t calls;
	uint32_t seen[OUT_MAX];
} down_arg_t;

static int down(uint32_t index, void *arg)
{
	down_arg_t *d = arg;

	if(d->calls < OUT_MAX)
		d->seen[d->calls] = index;
	d->calls++;
	return index < 64 && ((d->mask >> index) & 1);
}

static void test_down_last(void **state)
{
	uint32_t s[OUT_MAX];
	down_arg_t d;
	size_t i;

	(void)state;
	/* the down ones behind, each group in its order */
	{
		static const uint32_t in[] = {5, 1, 4, 2, 3, 0};

		memcpy(s, in, sizeof(in));
		memset(&d, 0, sizeof(d));
		d.mask = (1u << 1) | (1u << 3) | (1u << 5);
		ph_call_down_last(s, 6, down, &d);
		assert_servers(s, (size_t)6, 4, 2, 0, 5, 1, 3);
		/* asked once each, in order */
		assert_int_equal(d.calls, 6);
		for(i = 0; i < 6; i++)
			assert_int_equal(d.seen[i], in[i]);
	}
	/* none down, all down: unchanged */
	{
		static const uint32_t in[] = {3, 0, 2};

		memcpy(s, in, sizeof(in));
		memset(&d, 0, sizeof(d));
		ph_call_down_last(s, 3, down, &d);
		assert_servers(s, (size_t)3, 3, 0, 2);
		d.mask = ~(uint64_t)0;
		ph_call_down_last(s, 3, down, &d);
		assert_servers(s, (size_t)3, 3, 0, 2);
		assert_int_equal(d.calls, 6);
	}
	/* the first down only; the last down only */
	{
		static const uint32_t in[] = {7, 8, 9, 10};

		memcpy(s, in, sizeof(in));
		memset(&d, 0, sizeof(d));
		d.mask = 1u << 7;
		ph_call_down_last(s, 4, down, &d);
		assert_servers(s, (size_t)4, 8, 9, 10, 7);
		d.mask = 1u << 7;
		ph_call_down_last(s, 4, down, &d);
		assert_servers(s, (size_t)4, 8, 9, 10, 7);
		d.mask = 1u << 8;
		ph_call_down_last(s, 4, down, &d);
		assert_servers(s, (size_t)4, 9, 10, 7, 8);
	}
	/* only the first n are touched */
	{
		static const uint32_t in[] = {1, 2, 3, 4};

		memcpy(s, in, sizeof(in));
		memset(&d, 0, sizeof(d));
		d.mask = 1u << 1;
		ph_call_down_last(s, 2, down, &d);
		assert_servers(s, (size_t)4, 2, 1, 3, 4);
		assert_int_equal(d.calls, 2);
		ph_call_down_last(s, 0, down, &d);
		assert_servers(s, (size_t)4, 2, 1, 3, 4);
		assert_int_equal(d.calls, 2);
	}
}

static int down_even(uint32_t index, void *arg)
{
	size_t *calls = arg;

	(*calls)++;
	return index % 2 == 0;
}

static void test_down_last_many(void **state)
{
	size_t n = PH_MAX_PEERS + 3, i, calls = 0;
	uint32_t *s = malloc(n * sizeof(*s));

	(void)state;
	assert_non_null(s);
	for(i = 0; i < n; i++)
		s[i] = (uint32_t)i;
	ph_call_down_last(s, PH_MAX_PEERS, down_even, &calls);
	assert_int_equal(calls, PH_MAX_PEERS);
	for(i = 0; i < PH_MAX_PEERS / 2; i++) {
		assert_int_equal(s[i], 2 * i + 1);
		assert_int_equal(s[PH_MAX_PEERS / 2 + i], 2 * i);
	}
	/* past the end of servers: untouched */
	for(i = PH_MAX_PEERS; i < n; i++)
		assert_int_equal(s[i], i);
	free(s);
}

static void assert_name(const char *name)
{
	size_t k;

	assert_non_null(name);
	assert_true(strlen(name) > 0);
	for(k = 0; name[k]; k++)
		assert_true(islower((unsigned char)name[k]) || name[k] == '_');
}

static void test_names(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(ph_caller_name(PH_CALLER_UNKNOWN), "unknown");
	assert_string_equal(ph_caller_name(PH_CALLER_PHONE), "phone");
	assert_string_equal(ph_caller_name(PH_CALLER_SERVER), "server");
	assert_string_equal(ph_caller_name(PH_CALLER_CARRIER), "carrier");
	assert_string_equal(ph_caller_name(PH_CALLER_COUNT), "?");
	assert_string_equal(ph_caller_name((ph_caller_t)-1), "?");
	assert_string_equal(ph_call_verdict_name(PH_CALL_DEVICE), "device");
	assert_string_equal(ph_call_verdict_name(PH_CALL_EXTERNAL), "external");
	assert_string_equal(ph_call_verdict_name(PH_CALL_DIAL_OUT), "dial_out");
	assert_string_equal(
			ph_call_verdict_name(PH_CALL_HOME_SERVER), "home_server");
	assert_string_equal(ph_call_verdict_name(PH_CALL_DID), "did");
	assert_string_equal(ph_call_verdict_name(PH_CALL_NOT_FOUND), "not_found");
	assert_string_equal(ph_call_verdict_name(PH_CALL_VERDICT_COUNT), "?");
	assert_string_equal(ph_call_verdict_name((ph_call_verdict_t)-1), "?");
	/* short, lower-case and distinct, for logs and statistics */
	for(i = 0; i < PH_CALLER_COUNT; i++) {
		assert_name(ph_caller_name((ph_caller_t)i));
		for(j = 0; j < i; j++)
			assert_string_not_equal(ph_caller_name((ph_caller_t)i),
					ph_caller_name((ph_caller_t)j));
	}
	for(i = 0; i < PH_CALL_VERDICT_COUNT; i++) {
		assert_name(ph_call_verdict_name((ph_call_verdict_t)i));
		for(j = 0; j < i; j++)
			assert_string_not_equal(ph_call_verdict_name((ph_call_verdict_t)i),
					ph_call_verdict_name((ph_call_verdict_t)j));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_decide_matrix),
			cmocka_unit_test(test_decide_phone),
			cmocka_unit_test(test_decide_server),
			cmocka_unit_test(test_decide_carrier),
			cmocka_unit_test(test_decide_unknown_caller),
			cmocka_unit_test(test_decide_lengths),
			cmocka_unit_test(test_decide_empty_table),
			cmocka_unit_test(test_home_servers_order),
			cmocka_unit_test(test_home_servers_max_keeps_last_first),
			cmocka_unit_test(test_home_servers_same_address),
			cmocka_unit_test(test_home_servers_none),
			cmocka_unit_test(test_all_servers),
			cmocka_unit_test(test_all_servers_start_near_size_max),
			cmocka_unit_test(test_down_last),
			cmocka_unit_test(test_down_last_many),
			cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
