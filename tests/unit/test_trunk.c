/*
 * kamailio-phones: unit tests of trunk parsing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/trunk.h"

/* What ph_trunk_parse and ph_trunk_uri made of one text, as C strings, so
 * that the asserts can be made on the caller's line. */
typedef struct parsed
{
	int rc;
	ph_trunk_kind_t kind;
	char scheme[16];
	char host[PH_MAX_TRUNK + 1];
	unsigned port;
	char transport[16];
	int ds_set;
	int inside;	   /* host and transport point into the text parsed */
	int uri_rc;	   /* ph_trunk_uri with room to spare */
	int uri_exact; /* with exactly the room it needs */
	int uri_short; /* with one byte less */
	char uri[PH_MAX_TRUNK + 64];
	char err[256];
} parsed_t;

static void piece(char *dst, size_t size, const char *s, size_t len)
{
	assert_true(len < size);
	if(len) {
		assert_non_null(s);
		memcpy(dst, s, len);
	}
	dst[len] = '\0';
}

static int points_into(const char *p, size_t len, const char *buf, size_t n)
{
	return len == 0 || (p >= buf && p + len <= buf + n);
}

/* Parses len bytes of s from a copy of exactly that size, without a NUL. */
static parsed_t parse_len(const char *s, size_t len)
{
	char *buf = unit_dup_exact(s, len);
	char uri[PH_MAX_TRUNK + 64];
	parsed_t p;
	ph_trunk_t t;

	memset(&p, 0, sizeof(p));
	memset(&t, 0, sizeof(t));
	memset(p.err, 'x', sizeof(p.err));
	p.rc = ph_trunk_parse(buf, len, &t, p.err, sizeof(p.err));
	if(p.rc != 0) {
		/* a reason, NUL-terminated within the buffer */
		assert_int_equal(p.rc, -1);
		assert_non_null(memchr(p.err, '\0', sizeof(p.err)));
		free(buf);
		return p;
	}
	p.err[0] = '\0';
	p.kind = t.kind;
	if(t.kind == PH_TRUNK_DISPATCHER) {
		p.ds_set = t.ds_set;
		p.uri_rc = ph_trunk_uri(&t, p.uri, sizeof(p.uri));
		free(buf);
		return p;
	}
	assert_int_equal(t.kind, PH_TRUNK_URI);
	piece(p.scheme, sizeof(p.scheme), t.scheme, t.scheme_len);
	piece(p.host, sizeof(p.host), t.host, t.host_len);
	piece(p.transport, sizeof(p.transport), t.transport, t.transport_len);
	p.port = t.port;
	p.inside = points_into(t.host, t.host_len, buf, len)
			   && points_into(t.transport, t.transport_len, buf, len);
	p.uri_rc = ph_trunk_uri(&t, p.uri, sizeof(p.uri));
	if(p.uri_rc > 0) {
		assert_true((size_t)p.uri_rc < sizeof(p.uri));
		assert_int_equal(strlen(p.uri), p.uri_rc);
		memset(uri, 'x', sizeof(uri));
		p.uri_exact = ph_trunk_uri(&t, uri, (size_t)p.uri_rc + 1);
		if(p.uri_exact == p.uri_rc)
			assert_string_equal(uri, p.uri);
		memset(uri, 'x', sizeof(uri));
		p.uri_short = ph_trunk_uri(&t, uri, (size_t)p.uri_rc);
		/* nothing written past the size given */
		assert_int_equal(uri[p.uri_rc], 'x');
	}
	free(buf);
	return p;
}

static parsed_t parse(const char *s)
{
	return parse_len(s, strlen(s));
}

/* Checks a URI trunk: its pieces and the URI written back. */
#define assert_uri_trunk(                                                  \
		text, want_scheme, want_host, want_port, want_transport, want_uri) \
	do {                                                                   \
		parsed_t p_ = parse(text);                                         \
		assert_int_equal(p_.rc, 0);                                        \
		assert_int_equal(p_.kind, PH_TRUNK_URI);                           \
		assert_string_equal(p_.scheme, (want_scheme));                     \
		assert_string_equal(p_.host, (want_host));                         \
		assert_int_equal(p_.port, (want_port));                            \
		assert_string_equal(p_.transport, (want_transport));               \
		assert_true(p_.inside);                                            \
		assert_string_equal(p_.uri, (want_uri));                           \
		assert_int_equal(p_.uri_rc, strlen(want_uri));                     \
		assert_int_equal(p_.uri_exact, p_.uri_rc);                         \
		assert_int_equal(p_.uri_short, -1);                                \
	} while(0)

/* Checks a refusal, with a reason. */
#define assert_refused(text)             \
	do {                                 \
		parsed_t p_ = parse(text);       \
		assert_int_equal(p_.rc, -1);     \
		assert_true(strlen(p_.err) > 0); \
	} while(0)

#define assert_refused_len(text, len)           \
	do {                                        \
		parsed_t p_ = parse_len((text), (len)); \
		assert_int_equal(p_.rc, -1);            \
		assert_true(strlen(p_.err) > 0);        \
	} while(0)

#define assert_ds_trunk(text, want_set)                 \
	do {                                                \
		parsed_t p_ = parse(text);                      \
		assert_int_equal(p_.rc, 0);                     \
		assert_int_equal(p_.kind, PH_TRUNK_DISPATCHER); \
		assert_int_equal(p_.ds_set, (want_set));        \
		assert_int_equal(p_.uri_rc, -1);                \
	} while(0)

static void test_host(void **state)
{
	(void)state;
	assert_uri_trunk("sip:carrier.example.com", "sip", "carrier.example.com", 0,
			"", "sip:carrier.example.com");
	assert_uri_trunk("sip:h", "sip", "h", 0, "", "sip:h");
	assert_uri_trunk("sip:sip-1.carrier.example", "sip",
			"sip-1.carrier.example", 0, "", "sip:sip-1.carrier.example");
}

static void test_host_port(void **state)
{
	(void)state;
	assert_uri_trunk("sip:carrier.example.com:5080", "sip",
			"carrier.example.com", 5080, "", "sip:carrier.example.com:5080");
	assert_uri_trunk("sip:h:1", "sip", "h", 1, "", "sip:h:1");
	assert_uri_trunk("sip:h:65535", "sip", "h", 65535, "", "sip:h:65535");
}

static void test_sips(void **state)
{
	(void)state;
	assert_uri_trunk("sips:carrier.example.com", "sips", "carrier.example.com",
			0, "", "sips:carrier.example.com");
	assert_uri_trunk("sips:carrier.example.com:5061;transport=tls", "sips",
			"carrier.example.com", 5061, "tls",
			"sips:carrier.example.com:5061;transport=tls");
}

static void test_no_scheme(void **state)
{
	(void)state;
	assert_uri_trunk("carrier.example.com", "sip", "carrier.example.com", 0, "",
			"sip:carrier.example.com");
	assert_uri_trunk("198.51.100.7:5060", "sip", "198.51.100.7", 5060, "",
			"sip:198.51.100.7:5060");
	assert_uri_trunk("198.51.100.7;transport=tcp", "sip", "198.51.100.7", 0,
			"tcp", "sip:198.51.100.7;transport=tcp");
}

static void test_ipv4(void **state)
{
	(void)state;
	assert_uri_trunk("sip:198.51.100.7", "sip", "198.51.100.7", 0, "",
			"sip:198.51.100.7");
	assert_uri_trunk("sip:198.51.100.7:5060;transport=udp", "sip",
			"198.51.100.7", 5060, "udp", "sip:198.51.100.7:5060;transport=udp");
}

static void test_ipv6(void **state)
{
	(void)state;
	assert_uri_trunk("[2001:db8::1]:5060", "sip", "[2001:db8::1]", 5060, "",
			"sip:[2001:db8::1]:5060");
	assert_uri_trunk("sip:[2001:db8::1]:5060", "sip", "[2001:db8::1]", 5060, "",
			"sip:[2001:db8::1]:5060");
	assert_uri_trunk("sip:[2001:db8::1]", "sip", "[2001:db8::1]", 0, "",
			"sip:[2001:db8::1]");
	assert_uri_trunk("sips:[::1];transport=tls", "sips", "[::1]", 0, "tls",
			"sips:[::1];transport=tls");
	assert_uri_trunk("sip:[2001:db8:0:0:0:0:0:7]:5070;transport=tcp", "sip",
			"[2001:db8:0:0:0:0:0:7]", 5070, "tcp",
			"sip:[2001:db8:0:0:0:0:0:7]:5070;transport=tcp");
}

static void test_transports(void **state)
{
	static const char *const transports[] = {
			"udp", "tcp", "tls", "sctp", "ws", "wss"};
	char text[64], want[sizeof(text) + 4];
	parsed_t p;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
		snprintf(text, sizeof(text), "sip:198.51.100.7;transport=%s",
				transports[i]);
		p = parse(text);
		assert_int_equal(p.rc, 0);
		assert_string_equal(p.transport, transports[i]);
		assert_int_equal(p.port, 0);
		assert_string_equal(p.uri, text);

		snprintf(text, sizeof(text), "sip:trunk.example:5062;transport=%s",
				transports[i]);
		p = parse(text);
		assert_int_equal(p.rc, 0);
		assert_string_equal(p.host, "trunk.example");
		assert_int_equal(p.port, 5062);
		assert_string_equal(p.transport, transports[i]);
		assert_string_equal(p.uri, text);

		snprintf(text, sizeof(text), "trunk.example;transport=%s",
				transports[i]);
		snprintf(want, sizeof(want), "sip:%s", text);
		p = parse(text);
		assert_int_equal(p.rc, 0);
		assert_string_equal(p.uri, want);
	}
}

static void test_dispatcher(void **state)
{
	(void)state;
	assert_ds_trunk("ds:1", 1);
	assert_ds_trunk("ds:0", 0);
	assert_ds_trunk("ds:42", 42);
	assert_ds_trunk("ds:2147483647", 2147483647);
}

static void test_bad_dispatcher(void **state)
{
	(void)state;
	assert_refused("ds:");
	assert_refused("ds:-1");
	assert_refused("ds:x");
	assert_refused("ds:1x");
	assert_refused("ds:1.5");
	assert_refused("ds: 1");
	assert_refused("ds:1 ");
	/* not an int: no wrap-around into a valid or negative set */
	assert_refused("ds:2147483648");
	assert_refused("ds:4294967297");
	assert_refused("ds:18446744073709551617");
	assert_refused("ds:99999999999999999999999");
	assert_refused_len("ds:1\0", 5);
}

static void test_user_part(void **state)
{
	(void)state;
	assert_refused("sip:123@host");
	assert_refused("sip:123@198.51.100.7:5060");
	assert_refused("sips:carrier@carrier.example.com");
	assert_refused("sip:user:password@host");
	assert_refused("sip:@host");
	assert_refused("123@host");
}

static void test_empty_or_malformed_host(void **state)
{
	(void)state;
	assert_refused("");
	assert_refused_len("sip:host", 0);
	assert_refused("sip:");
	assert_refused("sips:");
	assert_refused("sip::5060");
	assert_refused(":5060");
	assert_refused("sip:;transport=udp");
	assert_refused(";transport=udp");
	assert_refused("sip:[2001:db8::1");
	assert_refused("sip:[2001:db8::1:5060");
	assert_refused("sip:[]");
	assert_refused("sip:[]:5060");
	assert_refused("sip:[2001:db8::1]x");
	assert_refused("sip:2001:db8::1");
	assert_refused("sip:ho st");
	assert_refused("sip: host");
	assert_refused("sip:host ");
	assert_refused_len("sip:host\0x", 10);
	assert_refused_len("sip:host\0", 9);
}

static void test_bad_port(void **state)
{
	(void)state;
	assert_refused("sip:host:0");
	assert_refused("sip:host:00");
	assert_refused("sip:host:65536");
	assert_refused("sip:host:99999");
	/* 2^32 + 1 and 2^64 + 1: no wrap-around to port 1 */
	assert_refused("sip:host:4294967297");
	assert_refused("sip:host:18446744073709551617");
	assert_refused("sip:host:131073");
	assert_refused("sip:host:abc");
	assert_refused("sip:host:50a");
	assert_refused("sip:host:-1");
	assert_refused("sip:host:+5060");
	assert_refused("sip:host:");
	assert_refused("sip:host:;transport=udp");
	assert_refused("sip:[2001:db8::1]:");
	assert_refused("sip:[2001:db8::1]:0");
	assert_refused("sip:[2001:db8::1]:65536");
	assert_refused("198.51.100.7:");
	assert_refused("198.51.100.7:70000");
	assert_refused("sip:host:5060:5060");
}

static void test_bad_parameters(void **state)
{
	(void)state;
	assert_refused("sip:host;lr");
	assert_refused("sip:host:5060;lr");
	assert_refused("sip:host;transport=udp;lr");
	assert_refused("sip:host;maddr=198.51.100.8");
	assert_refused("sip:host;");
	assert_refused("sip:host;=udp");
	assert_refused("sip:host?X-Header=1");
	/* unknown transports */
	assert_refused("sip:host;transport=");
	assert_refused("sip:host;transport");
	assert_refused("sip:host;transport=foo");
	assert_refused("sip:host;transport=udpx");
	assert_refused("sip:host;transport=ud");
	assert_refused("sip:host;transport=w");
	assert_refused("sip:host;transport=wsss");
	assert_refused_len("sip:host;transport=udp\0", 23);
}

static void test_uses_length(void **state)
{
	parsed_t p;

	(void)state;
	/* the text ends at len, wherever the NUL is */
	p = parse_len("sip:host:5060XYZ", 13);
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.host, "host");
	assert_int_equal(p.port, 5060);
	assert_string_equal(p.uri, "sip:host:5060");
	p = parse_len("sip:host;transport=tcpXYZ", 22);
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.transport, "tcp");
	p = parse_len("ds:12345", 4);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.ds_set, 1);
	p = parse_len("sip:hostname", 8);
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.host, "host");
}

/* "sip:" and a host name of host_len bytes, in labels of 63 or fewer. */
static void long_trunk(char *out, size_t host_len)
{
	size_t i;

	memcpy(out, "sip:", 4);
	for(i = 0; i < host_len; i++)
		out[4 + i] = (i % 64 == 63 && i + 1 < host_len) ? '.' : 'a';
	out[4 + host_len] = '\0';
}

static void test_length_limit(void **state)
{
	char text[PH_MAX_TRUNK + 8];
	parsed_t p;

	(void)state;
	long_trunk(text, PH_MAX_TRUNK - 4);
	assert_int_equal(strlen(text), PH_MAX_TRUNK);
	p = parse(text);
	assert_int_equal(p.rc, 0);
	assert_int_equal(strlen(p.host), PH_MAX_TRUNK - 4);
	assert_string_equal(p.uri, text);

	long_trunk(text, PH_MAX_TRUNK - 3);
	assert_int_equal(strlen(text), PH_MAX_TRUNK + 1);
	assert_refused(text);

	/* the same host with a port only just over the limit */
	long_trunk(text, PH_MAX_TRUNK - 9);
	strcat(text, ":5060");
	assert_int_equal(strlen(text), PH_MAX_TRUNK);
	assert_int_equal(parse(text).rc, 0);
	long_trunk(text, PH_MAX_TRUNK - 9);
	strcat(text, ":50600");
	assert_refused(text);
	long_trunk(text, PH_MAX_TRUNK - 8);
	strcat(text, ":5060");
	assert_refused(text);
}

/* The reason is cut to errsize, NUL included, and nothing is written
 * after it. */
static void test_err_size(void **state)
{
	static const char *const bad[] = {"sip:123@host", "", "sip:host:0",
			"sip:host;lr", "ds:x", "sip:host;transport=foo"};
	char full[256], err[16];
	ph_trunk_t t;
	size_t i, size;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(full, 'x', sizeof(full));
		assert_int_equal(
				ph_trunk_parse(bad[i], strlen(bad[i]), &t, full, sizeof(full)),
				-1);
		assert_non_null(memchr(full, '\0', sizeof(full)));
		assert_true(strlen(full) > 0);
		for(size = 0; size < sizeof(err) - 1; size++) {
			memset(err, 'x', sizeof(err));
			assert_int_equal(
					ph_trunk_parse(bad[i], strlen(bad[i]), &t, err, size), -1);
			assert_int_equal(err[size], 'x');
			if(size == 0)
				continue;
			/* a NUL-terminated prefix of the whole reason */
			assert_non_null(memchr(err, '\0', size));
			assert_int_equal(
					strlen(err), strlen(full) < size ? strlen(full) : size - 1);
			assert_memory_equal(err, full, strlen(err));
			if(size > 1)
				assert_true(strlen(err) > 0);
		}
	}
}

static void test_uri_size(void **state)
{
	static const char text[] = "sip:trunk.example:5060;transport=tcp";
	char out[64];
	ph_trunk_t t;
	char err[64];
	size_t size, n = strlen(text);

	(void)state;
	assert_int_equal(ph_trunk_parse(text, n, &t, err, sizeof(err)), 0);
	for(size = 0; size <= n; size++) {
		memset(out, 'x', sizeof(out));
		assert_int_equal(ph_trunk_uri(&t, out, size), -1);
		assert_int_equal(out[size], 'x');
	}
	memset(out, 'x', sizeof(out));
	assert_int_equal(ph_trunk_uri(&t, out, n + 1), n);
	assert_string_equal(out, text);
	assert_int_equal(out[n + 1], 'x');
}

/* ph_trunk_uri of a trunk made by hand, not by the parser. */
static void test_uri_by_hand(void **state)
{
	ph_trunk_t t;
	char out[64];

	(void)state;
	memset(&t, 0, sizeof(t));
	t.kind = PH_TRUNK_URI;
	t.scheme = "sipsXX";
	t.scheme_len = 4;
	t.host = "gw.exampleXX";
	t.host_len = 10;
	assert_int_equal(ph_trunk_uri(&t, out, sizeof(out)), 15);
	assert_string_equal(out, "sips:gw.example");
	t.port = 5061;
	t.transport = "wssXX";
	t.transport_len = 3;
	assert_int_equal(ph_trunk_uri(&t, out, sizeof(out)), 34);
	assert_string_equal(out, "sips:gw.example:5061;transport=wss");
	t.scheme = "sip";
	t.scheme_len = 3;
	t.port = 0;
	assert_int_equal(ph_trunk_uri(&t, out, sizeof(out)), 28);
	assert_string_equal(out, "sip:gw.example;transport=wss");
}

static void test_uri_dispatcher(void **state)
{
	ph_trunk_t t;
	char out[64], err[64];

	(void)state;
	assert_int_equal(ph_trunk_parse("ds:3", 4, &t, err, sizeof(err)), 0);
	assert_int_equal(t.kind, PH_TRUNK_DISPATCHER);
	assert_int_equal(t.ds_set, 3);
	memset(out, 'x', sizeof(out));
	assert_int_equal(ph_trunk_uri(&t, out, sizeof(out)), -1);
	assert_int_equal(ph_trunk_uri(&t, out, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_host),
			cmocka_unit_test(test_host_port),
			cmocka_unit_test(test_sips),
			cmocka_unit_test(test_no_scheme),
			cmocka_unit_test(test_ipv4),
			cmocka_unit_test(test_ipv6),
			cmocka_unit_test(test_transports),
			cmocka_unit_test(test_dispatcher),
			cmocka_unit_test(test_bad_dispatcher),
			cmocka_unit_test(test_user_part),
			cmocka_unit_test(test_empty_or_malformed_host),
			cmocka_unit_test(test_bad_port),
			cmocka_unit_test(test_bad_parameters),
			cmocka_unit_test(test_uses_length),
			cmocka_unit_test(test_length_limit),
			cmocka_unit_test(test_err_size),
			cmocka_unit_test(test_uri_size),
			cmocka_unit_test(test_uri_by_hand),
			cmocka_unit_test(test_uri_dispatcher),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
