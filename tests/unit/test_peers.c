/*
 * kamailio-phones: unit tests of the cluster's peers: its Asterisk servers
 * (VICIdial's servers table) and carriers (the routing rules' trunks).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <sys/socket.h>

#include "unit.h"

#include "phones/peers.h"
#include "phones/route_rules.h"

/* A set over a counting allocator that never fails. */
static ph_peers_t *peers_new(unit_alloc_t *a, uint16_t server_port)
{
	ph_peers_t *p;

	unit_alloc_init(a, -1);
	p = ph_peers_new(&a->allocator, server_port);
	assert_non_null(p);
	return p;
}

/* Frees p, checking that it accounted for and gave back all it held. */
static void peers_free(ph_peers_t *p, unit_alloc_t *a)
{
	assert_int_equal(ph_peers_memory(p), a->live_bytes);
	ph_peers_free(p);
	assert_int_equal(a->live, 0);
	assert_int_equal(a->live_bytes, 0);
}

/* A servers row from C strings; NULL is SQL NULL (for
 * active_asterisk_server: the column is not read). */
static ph_server_row_t server_row(
		const char *server_ip, const char *active, const char *asterisk)
{
	ph_server_row_t row;

	row.server_ip = unit_field(server_ip);
	row.active = unit_field(active);
	row.active_asterisk_server = unit_field(asterisk);
	return row;
}

/* Adds an active Asterisk server. */
static ph_server_result_t add_server(ph_peers_t *p, const char *ip)
{
	ph_server_row_t row = server_row(ip, "Y", "Y");

	return ph_peers_add_server(p, &row);
}

/* The binary address of the text s, which must be one. */
static ph_addr_t addr_of(const char *s)
{
	ph_addr_t a;

	memset(&a, 0x5a, sizeof(a));
	if(ph_addr_parse(s, strlen(s), &a) != 0)
		fail_msg("'%s' did not parse", s);
	return a;
}

/* What sent from ip:port; *server is left as SIZE_MAX when not set. */
static ph_peer_kind_t find(
		const ph_peers_t *p, const char *ip, uint16_t port, size_t *server)
{
	ph_addr_t a = addr_of(ip);

	*server = SIZE_MAX;
	return ph_peers_find(p, &a, port, server);
}

#define assert_server_at(p, ip, port, want)                       \
	do {                                                          \
		size_t i_;                                                \
		assert_int_equal(find(p, ip, port, &i_), PH_PEER_SERVER); \
		assert_int_equal(i_, (want));                             \
	} while(0)

#define assert_peer_at(p, ip, port, kind)                 \
	do {                                                  \
		size_t i_;                                        \
		assert_int_equal(find(p, ip, port, &i_), (kind)); \
		assert_int_equal(i_, SIZE_MAX);                   \
	} while(0)

static long server_index(const ph_peers_t *p, const char *ip)
{
	return ph_peers_server_index(p, ip, ip ? strlen(ip) : 0);
}

/* ---- ph_addr_parse ---- */

static void test_addr_parse_ipv4(void **state)
{
	static const uint8_t want[4] = {127, 0, 0, 1};
	static const uint8_t want2[4] = {127, 1, 2, 254};
	ph_addr_t a;

	(void)state;
	memset(&a, 0x5a, sizeof(a));
	assert_int_equal(ph_addr_parse("127.0.0.1", 9, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.bytes, want, 4);
	assert_int_equal(ph_addr_parse("127.1.2.254", 11, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.bytes, want2, 4);
	/* len bytes, not up to a NUL */
	assert_int_equal(ph_addr_parse("127.0.0.1:5060", 9, &a), 0);
	assert_int_equal(a.family, AF_INET);
	assert_memory_equal(a.bytes, want, 4);
}

static void test_addr_parse_ipv6(void **state)
{
	static const uint8_t loopback[16] = {
			0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	static const char *const spellings[] = {"::1", "[::1]", "0::1",
			"0:0:0:0:0:0:0:1", "0000:0000:0000:0000:0000:0000:0000:0001",
			"[0000:0000:0000:0000:0000:0000:0000:0001]", "::0:1", "0::0:1"};
	ph_addr_t a;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(spellings) / sizeof(spellings[0]); i++) {
		memset(&a, 0x5a, sizeof(a));
		if(ph_addr_parse(spellings[i], strlen(spellings[i]), &a) != 0)
			fail_msg("'%s' did not parse", spellings[i]);
		assert_int_equal(a.family, AF_INET6);
		assert_memory_equal(a.bytes, loopback, 16);
	}
}

static void test_addr_parse_refused(void **state)
{
	static const char *const bad[] = {"", "[", "]", "[]", "[::1", "::1]",
			"[[::1]]", "127.0.0.256", "127.0.0", "127.0.0.1.", "127.0.0.1 ",
			" 127.0.0.1", "localhost", "127.0.0.1:5060", "[::1]:5060",
			"::1::", ":::1", "127.0.0.-1", "0x7f000001", "127.0.0.01x",
			"[::1 ]", "sip:127.0.0.1"};
	char longer[64];
	ph_addr_t a;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(ph_addr_parse(bad[i], strlen(bad[i]), &a) != -1)
			fail_msg("'%s' was taken for an address", bad[i]);
	}
	assert_int_equal(ph_addr_parse(NULL, 0, &a), -1);
	assert_int_equal(ph_addr_parse(NULL, 9, &a), -1);
	assert_int_equal(ph_addr_parse("127.0.0.1", 0, &a), -1);
	/* longer than any address: refused, not overflowing a buffer */
	memset(longer, '1', sizeof(longer));
	assert_int_equal(ph_addr_parse(longer, sizeof(longer), &a), -1);
	memcpy(longer, "[::1]", 5);
	assert_int_equal(ph_addr_parse(longer, sizeof(longer), &a), -1);
	/* the longest IPv6 text (45 characters) in brackets: 47 bytes */
	assert_int_equal(
			ph_addr_parse(
					"[0000:0000:0000:0000:0000:ffff:127.255.255.255]", 47, &a),
			0);
	assert_int_equal(a.family, AF_INET6);
	assert_int_equal(a.bytes[10], 0xff);
	assert_int_equal(a.bytes[12], 127);
	assert_int_equal(a.bytes[15], 255);
}

/* The text is exactly len bytes, without a NUL after it: no byte past len
 * is read (the sanitizer build catches one). */
static void test_addr_parse_exact_buffer(void **state)
{
	static const char *const texts[] = {"127.0.0.1", "::1", "[::1]",
			"0000:0000:0000:0000:0000:0000:0000:0001"};
	ph_addr_t a;
	char *p;
	size_t i, len;

	(void)state;
	for(i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		len = strlen(texts[i]);
		p = unit_dup_exact(texts[i], len);
		assert_int_equal(ph_addr_parse(p, len, &a), 0);
		free(p);
	}
	p = unit_dup_exact("[::1", 4);
	assert_int_equal(ph_addr_parse(p, 4, &a), -1);
	free(p);
}

/* An address followed by a NUL byte and more within len is not the text
 * of an address (inet_pton alone would stop at the NUL and take it). */
static void test_addr_parse_embedded_nul_refused(void **state)
{
	ph_addr_t a;

	(void)state;
	assert_int_equal(ph_addr_parse("127.0.0.2\0junk", 14, &a), -1);
	assert_int_equal(ph_addr_parse("127.0.0.2\0", 10, &a), -1);
	assert_int_equal(ph_addr_parse("::1\0:2", 6, &a), -1);
}

/* ---- servers ---- */

static void test_new_is_empty(void **state)
{
	unit_alloc_t a;
	ph_peers_t *p = peers_new(&a, 5060);
	ph_addr_t addr = addr_of("127.0.0.2");
	size_t server = 77;

	(void)state;
	assert_int_equal(ph_peers_servers(p), 0);
	assert_int_equal(ph_peers_carriers(p), 0);
	assert_int_equal(ph_peers_server_port(p), 5060);
	assert_true(ph_peers_memory(p) > 0);
	assert_int_equal(ph_peers_memory(p), a.live_bytes);
	assert_null(ph_peers_server_ip(p, 0));
	assert_int_equal(ph_peers_find(p, &addr, 5060, &server), PH_PEER_NONE);
	assert_int_equal(ph_peers_find(p, &addr, 0, &server), PH_PEER_NONE);
	assert_int_equal(server, 77);
	assert_int_equal(server_index(p, "127.0.0.2"), -1);
	peers_free(p, &a);
}

static void test_null_set(void **state)
{
	ph_addr_t addr = addr_of("127.0.0.2");

	(void)state;
	assert_int_equal(ph_peers_servers(NULL), 0);
	assert_int_equal(ph_peers_carriers(NULL), 0);
	assert_int_equal(ph_peers_memory(NULL), 0);
	assert_int_equal(ph_peers_find(NULL, &addr, 0, NULL), PH_PEER_NONE);
	assert_int_equal(server_index(NULL, "127.0.0.2"), -1);
	ph_peers_free(NULL);
}

static void test_new_no_memory(void **state)
{
	unit_alloc_t a;

	(void)state;
	unit_alloc_init(&a, 0);
	assert_null(ph_peers_new(&a.allocator, 5060));
	assert_int_equal(a.failures, 1);
	assert_int_equal(a.live, 0);
}

static void test_servers_found(void **state)
{
	unit_alloc_t a;
	ph_peers_t *p = peers_new(&a, 5060);
	size_t i;

	(void)state;
	assert_int_equal(add_server(p, "127.0.0.2"), PH_SERVER_ADDED);
	assert_int_equal(ph_peers_memory(p), a.live_bytes);
	assert_int_equal(add_server(p, "127.0.0.3"), PH_SERVER_ADDED);
	assert_int_equal(add_server(p, "[::1]"), PH_SERVER_ADDED);
	assert_int_equal(add_server(p, "127.0.0.10"), PH_SERVER_ADDED);
	assert_int_equal(ph_peers_servers(p), 4);
	assert_int_equal(ph_peers_carriers(p), 0);
	assert_int_equal(ph_peers_memory(p), a.live_bytes);

	/* in load order, as inet_ntop writes them */
	assert_string_equal(ph_peers_server_ip(p, 0), "127.0.0.2");
	assert_string_equal(ph_peers_server_ip(p, 1), "127.0.0.3");
	assert_string_equal(ph_peers_server_ip(p, 2), "::1");
	assert_string_equal(ph_peers_server_ip(p, 3), "127.0.0.10");
	assert_null(ph_peers_server_ip(p, 4));
	assert_null(ph_peers_server_ip(p, SIZE_MAX));

	/* by address and port; port 0 is any port */
	assert_server_at(p, "127.0.0.2", 5060, 0);
	assert_server_at(p, "127.0.0.3", 5060, 1);
	assert_server_at(p, "::1", 5060, 2);
	assert_server_at(p, "0:0:0:0:0:0:0:1", 5060, 2);
	assert_server_at(p, "127.0.0.10", 5060, 3);
	assert_server_at(p, "127.0.0.2", 0, 0);
	assert_server_at(p, "::1", 0, 2);
	assert_server_at(p, "127.0.0.10", 0, 3);
	/* another port, another address: nobody */
	assert_peer_at(p, "127.0.0.2", 5061, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.2", 506, PH_PEER_NONE);
	assert_peer_at(p, "::1", 5062, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.1", 5060, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.1", 0, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.4", 0, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.11", 5060, PH_PEER_NONE);
	assert_peer_at(p, "::2", 0, PH_PEER_NONE);
	/* *server may be NULL */
	{
		ph_addr_t addr = addr_of("127.0.0.3");

		assert_int_equal(ph_peers_find(p, &addr, 5060, NULL), PH_PEER_SERVER);
	}

	/* by text */
	assert_int_equal(server_index(p, "127.0.0.2"), 0);
	assert_int_equal(server_index(p, "127.0.0.3"), 1);
	assert_int_equal(server_index(p, "::1"), 2);
	assert_int_equal(server_index(p, "[::1]"), 2);
	assert_int_equal(
			server_index(p, "0000:0000:0000:0000:0000:0000:0000:0001"), 2);
	assert_int_equal(server_index(p, "127.0.0.10"), 3);
	assert_int_equal(server_index(p, "127.0.0.1"), -1);
	assert_int_equal(server_index(p, "127.0.0.100"), -1);
	assert_int_equal(server_index(p, "127.0.0"), -1);
	assert_int_equal(server_index(p, "bogus"), -1);
	assert_int_equal(server_index(p, ""), -1);
	assert_int_equal(server_index(p, NULL), -1);
	/* len bytes, in a buffer of exactly that size */
	assert_int_equal(ph_peers_server_index(p, "127.0.0.3:5060", 9), 1);
	assert_int_equal(ph_peers_server_index(p, "127.0.0.10", 9), -1);
	{
		char *ip = unit_dup_exact("127.0.0.10", 10);

		assert_int_equal(ph_peers_server_index(p, ip, 10), 3);
		free(ip);
	}
	for(i = 0; i < ph_peers_servers(p); i++)
		assert_int_equal(server_index(p, ph_peers_server_ip(p, i)), (long)i);
	peers_free(p, &a);
}

static void test_server_port(void **state)
{
	unit_alloc_t a;
	ph_peers_t *p = peers_new(&a, 5080);

	(void)state;
	assert_int_equal(ph_peers_server_port(p), 5080);
	assert_int_equal(add_server(p, "127.0.0.2"), PH_SERVER_ADDED);
	assert_server_at(p, "127.0.0.2", 5080, 0);
	assert_server_at(p, "127.0.0.2", 0, 0);
	assert_peer_at(p, "127.0.0.2", 5060, PH_PEER_NONE);
	assert_int_equal(server_index(p, "127.0.0.2"), 0);
	peers_free(p, &a);
}

static void test_server_active_flags(void **state)
{
	static const struct
	{
		const char *active;
		const char *asterisk; /* NULL: the column is not read */
		ph_server_result_t want;
	} cases[] = {
			{"Y", "Y", PH_SERVER_ADDED},
			{"y", "y", PH_SERVER_ADDED},
			{"Y", "y", PH_SERVER_ADDED},
			{"Y", NULL, PH_SERVER_ADDED},
			{"y", NULL, PH_SERVER_ADDED},
			{"N", "Y", PH_SERVER_INACTIVE},
			{"n", "Y", PH_SERVER_INACTIVE},
			{"Y", "N", PH_SERVER_INACTIVE},
			{"Y", "n", PH_SERVER_INACTIVE},
			{"N", "N", PH_SERVER_INACTIVE},
			{NULL, "Y", PH_SERVER_INACTIVE},
			{NULL, NULL, PH_SERVER_INACTIVE},
			{"", "Y", PH_SERVER_INACTIVE},
			{"Y", "", PH_SERVER_INACTIVE},
			{"YES", "Y", PH_SERVER_INACTIVE},
			{"Y", "YES", PH_SERVER_INACTIVE},
			{"Y ", "Y", PH_SERVER_INACTIVE},
			{"1", "Y", PH_SERVER_INACTIVE},
			{"Y", "1", PH_SERVER_INACTIVE},
			{"N", NULL, PH_SERVER_INACTIVE},
	};
	unit_alloc_t a;
	ph_peers_t *p = peers_new(&a, 5060);
	ph_server_row_t row;
	char ip[32];
	size_t i, added = 0;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(ip, sizeof(ip), "127.0.1.%zu", i + 1);
		row = server_row(ip, cases[i].active, cases[i].asterisk);
		if(ph_peers_add_server(p, &row) != cases[i].want)
			fail_msg("case %zu (active %s, asterisk %s): not %d", i,
					cases[i].active ? cases[i].active : "NULL",
					cases[i].asterisk ? cases[i].asterisk : "NULL",
					(int)cases[i].want);
		if(cases[i].want == PH_SERVER_ADDED) {
			assert_int_equal(server_index(p, ip), (long)added);
			added++;
		} else {
			assert_int_equal(server_index(p, ip), -1);
		}
	}
	assert_int_equal(ph_peers_servers(p), added);
	assert_int_equal(added, 5);

	/* a NULL pointer with a length is still not read; a value of len 1
	 * that goes on is its first byte */
	row = server_row("127.0.2.1", "Y", NULL);
	row.active_asterisk_server.len = 1;
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_ADDED);
	row = server_row("127.0.2.2", "YN", "YN");
	row.active.len = 1;
	row.active_asterisk_server.len = 1;
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_ADDED);
	row = server_row("127.0.2.3", "Y", "Y");
	row.active.len = 0;
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_INACTIVE);
	row = server_row("127.0.2.4", "Y", "Y");
	row.active_asterisk_server.len = 0;
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_INACTIVE);
	assert_int_equal(ph_peers_servers(p), 7);
	/* an inactive server is inactive before its address is looked at */
	row = server_row("not an address", "N", "Y");
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_INACTIVE);
	row = server_row(NULL, "Y", "N");
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_INACTIVE);
	assert_int_equal(ph_peers_servers(p), 7);
	peers_free(p, &a);
}

static void test_server_bad_address(void **state)
{
	static const char *const bad[] = {"", "localhost", "127.0.0.256",
			"127.0.0.1:5060", "[127.0.0.1", " 127.0.0.1", "127.0.0.1 ",
			"[::1]:5060", "::1]", "server1", "127.0.0.1,127.0.0.2"};
	unit_alloc_t a;
	ph_peers_t *p = peers_new(&a, 5060);
	ph_server_row_t row;
	size_t i, before = ph_peers_memory(p);

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		row = server_row(bad[i], "Y", "Y");
		if(ph_peers_add_server(p, &row) != PH_SERVER_BAD_ADDRESS)
			fail_msg("server_ip '%s' was not refused", bad[i]);
	}
	row = server_row(NULL, "Y", "Y");
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_BAD_ADDRESS);
	row = server_row(NULL, "Y", NULL);
	assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_BAD_ADDRESS);
	assert_int_equal(ph_peers_servers(p), 0);
	assert_int_equal(ph_peers_memory(p), before);
	assert_int_equal(a.calls, 1);
	/* the set takes good ones after */
	assert_int_equal(add_server(p, "127.0.0.2"), PH_SERVER_ADDED);
	assert_int_equal(ph_peers_servers(p), 1);
	peers_free(p, &a);
}

static void test_server_duplicate(void **state)
{
	unit_alloc_t a;
	ph_peers_t *p = peers_new(&a, 5060);
	size_t mem;

	(void)state;
	assert_int_equal(add_server(p, "127.0.0.2"), PH_SERVER_ADDED);
	assert_int_equal(add_server(p, "::1"), PH_SERVER_ADDED);
	mem = ph_peers_memory(p);
	assert_int_equal(add_server(p, "127.0.0.2"), PH_SERVER_DUPLICATE);
	/* other spellings of the same IPv6 address */
	assert_int_equal(add_server(p, "[::1]"), PH_SERVER_DUPLICATE);
	assert_int_equal(add_server(p, "0::1"), PH_SERVER_DUPLICATE);
	assert_int_equal(add_server(p, "0:0:0:0:0:0:0:1"), PH_SERVER_DUPLICATE);
	assert_int_equal(add_server(p, "0000:0000:0000:0000:0000:0000:0000:0001"),
			PH_SERVER_DUPLICATE);
	/* a duplicate inactive row is inactive */
	{
		ph_server_row_t row = server_row("127.0.0.2", "N", "Y");

		assert_int_equal(ph_peers_add_server(p, &row), PH_SERVER_INACTIVE);
	}
	assert_int_equal(ph_peers_servers(p), 2);
	assert_int_equal(ph_peers_memory(p), mem);
	assert_string_equal(ph_peers_server_ip(p, 0), "127.0.0.2");
	assert_string_equal(ph_peers_server_ip(p, 1), "::1");
	assert_null(ph_peers_server_ip(p, 2));
	/* a near address is another server */
	assert_int_equal(add_server(p, "127.0.0.20"), PH_SERVER_ADDED);
	assert_int_equal(add_server(p, "::2"), PH_SERVER_ADDED);
	assert_int_equal(ph_peers_servers(p), 4);
	assert_int_equal(server_index(p, "::2"), 3);
	peers_free(p, &a);
}

/* The address of server i of the tests with many servers. */
static void many_ip(char *buf, size_t size, size_t i)
{
	snprintf(buf, size, "127.%zu.%zu.%zu", 1 + i / 65536, (i / 256) % 256,
			i % 256);
}

static void test_max_peers(void **state)
{
	unit_alloc_t a, b;
	ph_peers_t *p = peers_new(&a, 5060);
	ph_rules_t *rules;
	ph_rule_row_t rule;
	char ip[32], err[256];
	size_t i, names = 0;

	(void)state;
	for(i = 0; i < PH_MAX_PEERS; i++) {
		many_ip(ip, sizeof(ip), i);
		if(add_server(p, ip) != PH_SERVER_ADDED)
			fail_msg("server %zu (%s) was not added", i, ip);
	}
	assert_int_equal(ph_peers_servers(p), PH_MAX_PEERS);
	assert_int_equal(ph_peers_memory(p), a.live_bytes);
	/* one more is too many; one held again is still a duplicate */
	assert_int_equal(add_server(p, "127.200.0.1"), PH_SERVER_TOO_MANY);
	assert_int_equal(add_server(p, "::1"), PH_SERVER_TOO_MANY);
	assert_int_equal(add_server(p, "127.1.0.0"), PH_SERVER_DUPLICATE);
	assert_int_equal(ph_peers_servers(p), PH_MAX_PEERS);
	assert_int_equal(server_index(p, "127.200.0.1"), -1);
	for(i = 0; i < PH_MAX_PEERS; i++) {
		many_ip(ip, sizeof(ip), i);
		if(server_index(p, ip) != (long)i)
			fail_msg("server %s not at %zu", ip, i);
		assert_string_equal(ph_peers_server_ip(p, i), ip);
		assert_server_at(p, ip, 0, i);
	}
	assert_null(ph_peers_server_ip(p, PH_MAX_PEERS));

	/* carriers do not fit either: not an error, just not held */
	unit_alloc_init(&b, -1);
	rules = ph_rules_new(&b.allocator);
	assert_non_null(rules);
	rule = unit_rule_row(1, 0, "^9", "", "sip:127.0.0.5", "");
	assert_int_equal(ph_rules_add(rules, &rule, err, sizeof(err)), 0);
	assert_int_equal(ph_peers_add_carriers(p, rules, &names), 0);
	assert_int_equal(ph_peers_carriers(p), 0);
	assert_int_equal(names, 0);
	assert_peer_at(p, "127.0.0.5", 0, PH_PEER_NONE);
	ph_rules_free(rules);
	assert_int_equal(b.live, 0);
	peers_free(p, &a);
}

/* ---- carriers ---- */

/* Rules whose trunks are these (one rule each). */
static ph_rules_t *rules_with(
		unit_alloc_t *b, const char *const *trunks, size_t n)
{
	ph_rules_t *r;
	ph_rule_row_t row;
	char err[256];
	size_t i;

	unit_alloc_init(b, -1);
	r = ph_rules_new(&b->allocator);
	assert_non_null(r);
	for(i = 0; i < n; i++) {
		row = unit_rule_row(
				(long long)i + 1, 0, "^9(.*)$", "\\1", trunks[i], "");
		if(ph_rules_add(r, &row, err, sizeof(err)) != 0)
			fail_msg("trunk '%s': %s", trunks[i], err);
	}
	assert_int_equal(ph_rules_count(r), n);
	return r;
}

static void rules_free(ph_rules_t *r, unit_alloc_t *b)
{
	ph_rules_free(r);
	assert_int_equal(b->live, 0);
}

static const char *const carrier_trunks[] = {
		"sip:127.0.0.5",					/* 5060 */
		"sips:127.0.0.6",					/* 5061 */
		"sip:127.0.0.7:5080;transport=tcp", /* its port */
		"127.0.0.8",						/* no scheme: sip, 5060 */
		"sips:127.0.0.9:5071",				/* its port, sips or not */
		"sip:[::1]:5090",					/* IPv6 */
		"ds:1",								/* the dispatcher's */
		"sip:gw.example.com",				/* names: counted */
		"carrier.example.net:5060",
		"sip:127.0.0.5:5060",	   /* the first again: one carrier */
		"sip:127.0.0.5:5070",	   /* the same host at another port: another */
		"sip:127.0.0.2",		   /* a server's address and port: the server */
		"sip:127.0.0.2:5070",	   /* a server's address, another port */
		"127.0.0.8;transport=tls", /* tls over sip: still 5060 */
		"ds:2",
};

static void test_carriers(void **state)
{
	unit_alloc_t a, b;
	ph_peers_t *p = peers_new(&a, 5060);
	ph_rules_t *r = rules_with(&b, carrier_trunks,
			sizeof(carrier_trunks) / sizeof(carrier_trunks[0]));
	size_t names = 3;

	(void)state;
	assert_int_equal(add_server(p, "127.0.0.2"), PH_SERVER_ADDED);
	assert_int_equal(add_server(p, "127.0.0.3"), PH_SERVER_ADDED);
	assert_int_equal(ph_peers_add_carriers(p, r, &names), 0);
	/* counted on from what *names held */
	assert_int_equal(names, 3 + 2);
	assert_int_equal(ph_peers_carriers(p), 8);
	assert_int_equal(ph_peers_servers(p), 2);
	assert_int_equal(ph_peers_memory(p), a.live_bytes);

	assert_peer_at(p, "127.0.0.5", 5060, PH_PEER_CARRIER);
	assert_peer_at(p, "127.0.0.5", 5070, PH_PEER_CARRIER);
	assert_peer_at(p, "127.0.0.5", 0, PH_PEER_CARRIER);
	assert_peer_at(p, "127.0.0.5", 5061, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.6", 5061, PH_PEER_CARRIER);
	assert_peer_at(p, "127.0.0.6", 5060, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.7", 5080, PH_PEER_CARRIER);
	assert_peer_at(p, "127.0.0.7", 5060, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.8", 5060, PH_PEER_CARRIER);
	assert_peer_at(p, "127.0.0.8", 5061, PH_PEER_NONE);
	assert_peer_at(p, "127.0.0.9", 5071, PH_PEER_CARRIER);
	assert_peer_at(p, "127.0.0.9", 5061, PH_PEER_NONE);
	assert_peer_at(p, "::1", 5090, PH_PEER_CARRIER);
	assert_peer_at(p, "0::1", 0, PH_PEER_CARRIER);
	assert_peer_at(p, "::1", 5060, PH_PEER_NONE);
	/* the server's address and port stay the server's */
	assert_server_at(p, "127.0.0.2", 5060, 0);
	assert_peer_at(p, "127.0.0.2", 5070, PH_PEER_CARRIER);
	assert_server_at(p, "127.0.0.3", 5060, 1);
	assert_peer_at(p, "127.0.0.3", 5070, PH_PEER_NONE);
	/* carriers are no servers */
	assert_int_equal(server_index(p, "127.0.0.5"), -1);
	assert_int_equal(server_index(p, "127.0.0.8"), -1);
	assert_int_equal(server_index(p, "::1"), -1);
	assert_int_equal(server_index(p, "127.0.0.2"), 0);
	assert_null(ph_peers_server_ip(p, 2));

	/* names may be NULL; adding the same carriers again adds none */
	assert_int_equal(ph_peers_add_carriers(p, r, NULL), 0);
	assert_int_equal(ph_peers_carriers(p), 8);
	assert_int_equal(ph_peers_memory(p), a.live_bytes);
	rules_free(r, &b);
	peers_free(p, &a);
}

static void test_servers_before_carriers(void **state)
{
	static const char *const trunks[] = {"sip:127.0.0.5"};
	unit_alloc_t a, b;
	ph_peers_t *p = peers_new(&a, 5060);
	ph_rules_t *r = rules_with(&b, trunks, 1);

	(void)state;
	assert_int_equal(add_server(p, "127.0.0.2"), PH_SERVER_ADDED);
	assert_int_equal(ph_peers_add_carriers(p, r, NULL), 0);
	/* server indexes are the first positions: no server after a
	 * carrier, and the set is unchanged */
	assert_int_equal(add_server(p, "127.0.0.3"), PH_SERVER_TOO_MANY);
	assert_int_equal(ph_peers_servers(p), 1);
	assert_int_equal(ph_peers_carriers(p), 1);
	assert_int_equal(server_index(p, "127.0.0.3"), -1);
	assert_peer_at(p, "127.0.0.3", 0, PH_PEER_NONE);
	assert_null(ph_peers_server_ip(p, 1));
	rules_free(r, &b);
	peers_free(p, &a);
}

static void test_carriers_none(void **state)
{
	static const char *const trunks[] = {"ds:1", "sip:gw.example.com"};
	unit_alloc_t a, b;
	ph_peers_t *p = peers_new(&a, 5060);
	ph_rules_t *r;
	size_t names = 0;

	(void)state;
	/* an empty rule set */
	r = rules_with(&b, trunks, 0);
	assert_int_equal(ph_peers_add_carriers(p, r, &names), 0);
	assert_int_equal(names, 0);
	rules_free(r, &b);
	r = rules_with(&b, trunks, 2);
	assert_int_equal(ph_peers_add_carriers(p, r, &names), 0);
	assert_int_equal(names, 1);
	assert_int_equal(ph_peers_carriers(p), 0);
	assert_int_equal(ph_peers_servers(p), 0);
	rules_free(r, &b);
	peers_free(p, &a);
}

/* Many carriers, through every growth of the set. */
static void test_many_carriers(void **state)
{
	enum
	{
		N = 300
	};
	unit_alloc_t a, b;
	ph_peers_t *p = peers_new(&a, 5060);
	const char *trunks[N];
	char text[N][40], ip[32];
	ph_rules_t *r;
	size_t i, server;

	(void)state;
	for(i = 0; i < N; i++) {
		snprintf(text[i], sizeof(text[i]), "sip:127.0.3.%zu:%zu", i % 250,
				6000 + i);
		trunks[i] = text[i];
	}
	r = rules_with(&b, trunks, N);
	assert_int_equal(add_server(p, "127.0.3.0"), PH_SERVER_ADDED);
	assert_int_equal(ph_peers_add_carriers(p, r, NULL), 0);
	assert_int_equal(ph_peers_carriers(p), N);
	assert_int_equal(ph_peers_servers(p), 1);
	assert_int_equal(ph_peers_memory(p), a.live_bytes);
	for(i = 0; i < N; i++) {
		snprintf(ip, sizeof(ip), "127.0.3.%zu", i % 250);
		assert_peer_at(p, ip, (uint16_t)(6000 + i), PH_PEER_CARRIER);
		assert_peer_at(p, ip, (uint16_t)(7000 + i), PH_PEER_NONE);
	}
	/* 127.0.3.0 is the server at its port, a carrier at 6000 */
	assert_server_at(p, "127.0.3.0", 5060, 0);
	assert_int_equal(find(p, "127.0.3.0", 6000, &server), PH_PEER_CARRIER);
	rules_free(r, &b);
	peers_free(p, &a);
}

/* ---- out of memory ---- */

#define OOM_SERVERS 600

/* Fails the nth allocation and every one after, for each n, until the
 * whole sequence needs fewer: a server refused for memory leaves the set
 * as it was and is taken once memory is back. */
static void test_servers_no_memory_every_step(void **state)
{
	unit_alloc_t a;
	ph_peers_t *p;
	ph_server_result_t r;
	char ip[32];
	size_t i, j, mem, failed = 0;
	long n;

	(void)state;
	for(n = 0;; n++) {
		assert_true(n < 1000);
		unit_alloc_init(&a, n);
		p = ph_peers_new(&a.allocator, 5060);
		if(p == NULL) {
			assert_int_equal(n, 0);
			assert_int_equal(a.live, 0);
			continue;
		}
		for(i = 0; i < OOM_SERVERS; i++) {
			many_ip(ip, sizeof(ip), i);
			mem = ph_peers_memory(p);
			r = add_server(p, ip);
			assert_int_equal(ph_peers_memory(p), a.live_bytes);
			if(r == PH_SERVER_ADDED)
				continue;
			assert_int_equal(r, PH_SERVER_NO_MEMORY);
			assert_int_equal(a.remaining, 0);
			assert_int_equal(ph_peers_memory(p), mem);
			assert_int_equal(ph_peers_servers(p), i);
			for(j = 0; j < i; j++) {
				many_ip(ip, sizeof(ip), j);
				assert_int_equal(server_index(p, ip), (long)j);
			}
			many_ip(ip, sizeof(ip), i);
			assert_int_equal(server_index(p, ip), -1);
			a.remaining = -1;
			assert_int_equal(add_server(p, ip), PH_SERVER_ADDED);
			failed++;
		}
		assert_int_equal(ph_peers_servers(p), OOM_SERVERS);
		for(i = 0; i < OOM_SERVERS; i++) {
			many_ip(ip, sizeof(ip), i);
			assert_int_equal(server_index(p, ip), (long)i);
		}
		peers_free(p, &a);
		if(a.failures == 0)
			break;
	}
	/* 16, 32, ... 1024 peers: the array and the index each time */
	assert_true(n >= 13);
	assert_int_equal(failed, (size_t)n - 1);
}

static void test_carriers_no_memory(void **state)
{
	enum
	{
		N = 40
	};
	unit_alloc_t a, b;
	ph_peers_t *p;
	const char *trunks[N];
	char text[N][32], ip[32];
	ph_rules_t *r;
	size_t i, held;
	int rc;
	long n;

	(void)state;
	for(i = 0; i < N; i++) {
		snprintf(text[i], sizeof(text[i]), "sip:127.0.4.%zu", i + 1);
		trunks[i] = text[i];
	}
	r = rules_with(&b, trunks, N);
	for(n = 1;; n++) {
		assert_true(n < 100);
		unit_alloc_init(&a, n);
		p = ph_peers_new(&a.allocator, 5060);
		assert_non_null(p);
		rc = ph_peers_add_carriers(p, r, NULL);
		assert_int_equal(ph_peers_memory(p), a.live_bytes);
		held = ph_peers_carriers(p);
		if(rc == 0) {
			assert_int_equal(held, N);
			peers_free(p, &a);
			break;
		}
		assert_int_equal(rc, -1);
		assert_true(a.failures > 0);
		/* some of them: the ones before the failure, each found */
		assert_true(held < N);
		for(i = 0; i < N; i++) {
			snprintf(ip, sizeof(ip), "127.0.4.%zu", i + 1);
			assert_peer_at(
					p, ip, 5060, i < held ? PH_PEER_CARRIER : PH_PEER_NONE);
		}
		peers_free(p, &a);
	}
	/* 16, 32, 64: the array and the index each time */
	assert_int_equal(n, 7);
	rules_free(r, &b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_addr_parse_ipv4),
			cmocka_unit_test(test_addr_parse_ipv6),
			cmocka_unit_test(test_addr_parse_refused),
			cmocka_unit_test(test_addr_parse_exact_buffer),
			cmocka_unit_test(test_addr_parse_embedded_nul_refused),
			cmocka_unit_test(test_new_is_empty),
			cmocka_unit_test(test_null_set),
			cmocka_unit_test(test_new_no_memory),
			cmocka_unit_test(test_servers_found),
			cmocka_unit_test(test_server_port),
			cmocka_unit_test(test_server_active_flags),
			cmocka_unit_test(test_server_bad_address),
			cmocka_unit_test(test_server_duplicate),
			cmocka_unit_test(test_max_peers),
			cmocka_unit_test(test_carriers),
			cmocka_unit_test(test_servers_before_carriers),
			cmocka_unit_test(test_carriers_none),
			cmocka_unit_test(test_many_carriers),
			cmocka_unit_test(test_servers_no_memory_every_step),
			cmocka_unit_test(test_carriers_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
