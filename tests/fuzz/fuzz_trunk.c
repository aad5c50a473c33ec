/*
 * kamailio-phones: fuzzing trunks (ph_trunk_parse, ph_trunk_uri).
 *
 * Input: the trunk text, all of it (no line format).
 *
 * A trunk that parses must be made of the pieces the parser gives, in
 * order; its URI must fit exactly the buffers it says it fits, and parse
 * again to the same pieces.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"

#include "phones/trunk.h"


static const char *const transports[] = {
		"udp", "tcp", "tls", "sctp", "ws", "wss"};

static int prefix_nocase(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static FZ_NO_COVERAGE int same_piece(
		const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* p[0..n) lies in s[0..len) (compared as addresses: p may be a literal). */
static int within(const char *p, size_t n, const char *s, size_t len)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)s;

	return a >= b && a + n <= b + len;
}

/* Parses s with err of errsize bytes (NULL when use_null) and checks what
 * ph_trunk_parse may do to err. */
static int parse(const char *s, size_t len, ph_trunk_t *t, size_t errsize,
		int use_null, char *reason, size_t reason_size)
{
	char *err = fz_err_new(errsize);
	int rc;

	rc = ph_trunk_parse(s, len, t, use_null ? NULL : err, errsize);
	fz_check(rc == 0 || rc == -1, "ph_trunk_parse returned %d", rc);
	fz_err_check(err, errsize, !use_null, rc < 0);
	if(errsize && !use_null && reason)
		snprintf(reason, reason_size, "%s", err);
	free(err);
	return rc;
}

static FZ_NO_COVERAGE int same_trunk(const ph_trunk_t *a, const ph_trunk_t *b)
{
	if(a->kind != b->kind)
		return 0;
	if(a->kind == PH_TRUNK_DISPATCHER)
		return a->ds_set == b->ds_set;
	return same_piece(a->scheme, a->scheme_len, b->scheme, b->scheme_len)
		   && same_piece(a->host, a->host_len, b->host, b->host_len)
		   && a->port == b->port
		   && same_piece(a->transport, a->transport_len, b->transport,
				   b->transport_len);
}

static int is_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

static int is_ipv6_char(char c)
{
	return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
		   || (c >= '0' && c <= '9') || c == ':' || c == '.';
}

/* A dispatcher trunk is "ds:" and the set's digits. */
static FZ_NO_COVERAGE void check_dispatcher(
		const char *s, size_t len, const ph_trunk_t *t)
{
	long long v = 0;
	size_t i;

	fz_check(prefix_nocase(s, len, "ds:"), "a set without ds:");
	fz_check(len > 3 && len - 3 <= 10, "a set of %zu digits", len - 3);
	for(i = 3; i < len; i++) {
		fz_check(s[i] >= '0' && s[i] <= '9', "a set with 0x%02x",
				(unsigned char)s[i]);
		v = v * 10 + (s[i] - '0');
	}
	fz_check(t->ds_set >= 0 && v == t->ds_set, "set %d from '%.*s'", t->ds_set,
			(int)len, s);
}

/* A URI trunk is [scheme ':'] host [':' port] [";transport=" t], each
 * piece where the parser says it is. */
static FZ_NO_COVERAGE void check_uri_pieces(
		const char *s, size_t len, const ph_trunk_t *t)
{
	size_t pos = 0, i, n;
	long port = 0;
	int found = 0;

	fz_check(memchr(s, '@', len) == NULL, "a trunk with a user part");
	fz_check((t->scheme_len == 3 && strncasecmp(t->scheme, "sip", 3) == 0)
					 || (t->scheme_len == 4
							 && strncasecmp(t->scheme, "sips", 4) == 0),
			"scheme '%.*s'", (int)t->scheme_len, t->scheme);
	if(within(t->scheme, t->scheme_len, s, len)) {
		fz_check(t->scheme == s && t->scheme_len < len
						 && s[t->scheme_len] == ':',
				"the scheme is not the trunk's start");
		pos = t->scheme_len + 1;
	} else {
		fz_check(!prefix_nocase(s, len, "sip:")
						 && !prefix_nocase(s, len, "sips:"),
				"the trunk's scheme was ignored");
	}
	fz_check(t->host == s + pos && t->host_len > 0
					 && within(t->host, t->host_len, s, len),
			"the host is not after the scheme");
	if(t->host[0] == '[') {
		fz_check(t->host_len >= 3 && t->host[t->host_len - 1] == ']',
				"host '%.*s'", (int)t->host_len, t->host);
		for(i = 1; i + 1 < t->host_len; i++)
			fz_check(is_ipv6_char(t->host[i]), "IPv6 host with 0x%02x",
					(unsigned char)t->host[i]);
	} else {
		for(i = 0; i < t->host_len; i++)
			fz_check(is_host_char(t->host[i]), "host with 0x%02x",
					(unsigned char)t->host[i]);
	}
	pos += t->host_len;
	if(pos < len && s[pos] == ':') {
		for(n = 0, pos++; pos < len && s[pos] != ';'; pos++, n++) {
			fz_check(s[pos] >= '0' && s[pos] <= '9' && n < 10,
					"a port with 0x%02x", (unsigned char)s[pos]);
			port = port * 10 + (s[pos] - '0');
		}
		fz_check(port >= 1 && port <= 65535 && port == t->port,
				"port %u from '%.*s'", (unsigned)t->port, (int)len, s);
	} else {
		fz_check(t->port == 0, "port %u, none given", (unsigned)t->port);
	}
	if(pos < len) {
		fz_check(prefix_nocase(s + pos, len - pos, ";transport="),
				"'%.*s' after the host", (int)(len - pos), s + pos);
		pos += strlen(";transport=");
		fz_check(t->transport == s + pos && pos + t->transport_len == len,
				"the transport is not the rest of the trunk");
		for(i = 0; i < sizeof(transports) / sizeof(transports[0]); i++)
			found |= strlen(transports[i]) == t->transport_len
					 && strncasecmp(
								transports[i], t->transport, t->transport_len)
								== 0;
		fz_check(
				found, "transport '%.*s'", (int)t->transport_len, t->transport);
	} else {
		fz_check(t->transport_len == 0, "a transport, none given");
	}
}

/* ph_trunk_uri into buffers of size bytes exactly. */
static void check_uri_sizes(const ph_trunk_t *t, const char *full, int n)
{
	size_t sizes[] = {0, 1, 2, 5, 16, (size_t)n - 1, (size_t)n, (size_t)n + 1,
			(size_t)n + 2, 300};
	size_t i;
	char *buf;
	int rc;

	for(i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		buf = malloc(sizes[i]);
		if(buf == NULL && sizes[i])
			abort();
		rc = ph_trunk_uri(t, buf, sizes[i]);
		if(sizes[i] > (size_t)n) {
			fz_check(rc == n && memcmp(buf, full, (size_t)n + 1) == 0,
					"URI into %zu bytes: %d, want %d", sizes[i], rc, n);
		} else {
			fz_check(rc == -1, "URI of %d bytes into %zu: %d", n, sizes[i], rc);
		}
		free(buf);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t err_sizes[] = {0, 1, 2, 9, 64};
	char *s = fz_dup(data, size);
	char full[512], want[512], again[512], reason[256];
	char *text;
	size_t i, tlen;
	ph_trunk_t t, u, r;
	int rc, n, m;

	rc = parse(s, size, &t, 256, 0, reason, sizeof(reason));
	/* the same with every other err buffer, and none */
	for(i = 0; i < sizeof(err_sizes) / sizeof(err_sizes[0]); i++) {
		fz_check(parse(s, size, &u, err_sizes[i], i == 0, NULL, 0) == rc
						 && (rc < 0 || same_trunk(&t, &u)),
				"another err size, another result");
	}
	if(rc < 0) {
		free(s);
		return 0;
	}
	fz_check(size > 0 && size <= PH_MAX_TRUNK, "a trunk of %zu bytes", size);
	if(t.kind == PH_TRUNK_DISPATCHER) {
		check_dispatcher(s, size, &t);
		fz_check(ph_trunk_uri(&t, full, sizeof(full)) == -1,
				"a URI for a dispatcher set");
		free(s);
		return 0;
	}
	fz_check(t.kind == PH_TRUNK_URI, "kind %d", (int)t.kind);
	check_uri_pieces(s, size, &t);

	n = ph_trunk_uri(&t, full, sizeof(full));
	fz_check(n > 0 && (size_t)n < sizeof(full) && strlen(full) == (size_t)n,
			"URI of '%.*s': %d", (int)size, s, n);
	snprintf(want, sizeof(want), "%.*s:%.*s", (int)t.scheme_len, t.scheme,
			(int)t.host_len, t.host);
	if(t.port)
		snprintf(want + strlen(want), sizeof(want) - strlen(want), ":%u",
				(unsigned)t.port);
	if(t.transport_len)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
				";transport=%.*s", (int)t.transport_len, t.transport);
	fz_check(strcmp(full, want) == 0, "URI '%s', want '%s'", full, want);
	check_uri_sizes(&t, full, n);

	/* The URI parses again to the same pieces. It is longer than the trunk
	 * only by a "sip:" the trunk did not have, which may take it past
	 * PH_MAX_TRUNK: then it must be refused for that, and parse without. */
	text = full;
	tlen = (size_t)n;
	if(tlen > PH_MAX_TRUNK) {
		fz_check(!within(t.scheme, t.scheme_len, s, size) && tlen - size <= 4,
				"URI of %zu bytes from a trunk of %zu", tlen, size);
		fz_check(
				parse(full, tlen, &r, sizeof(reason), 0, reason, sizeof(reason))
						< 0,
				"a URI of %zu bytes parsed", tlen);
		text += 4;
		tlen -= 4;
	}
	text = fz_dup(text, tlen);
	fz_check(parse(text, tlen, &r, 256, 0, reason, sizeof(reason)) == 0,
			"URI '%.*s' does not parse again: %s", (int)tlen, text, reason);
	fz_check(same_trunk(&t, &r), "URI '%.*s' parses to other pieces", (int)tlen,
			text);
	m = ph_trunk_uri(&r, again, sizeof(again));
	fz_check(m == n && strcmp(again, full) == 0,
			"URI of the URI '%s', first '%s'", again, full);
	free(text);
	free(s);
	return 0;
}
