/*
 * kamailio-phones: a routing rule's trunk, parsed once when rules load.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "phones/error.h"
#include "phones/sip_user.h"
#include "phones/trunk.h"

static const char *const transports[] = {
		"udp", "tcp", "tls", "sctp", "ws", "wss"};

static int starts_with(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);
	return len >= n && strncasecmp(s, prefix, n) == 0;
}

/* A non-negative decimal number of at most max, all of s. */
static int parse_number(const char *s, size_t len, long max, long *out)
{
	long v = 0;
	size_t i;

	if(len == 0 || len > 10)
		return -1;
	for(i = 0; i < len; i++) {
		if(s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if(v > max)
		return -1;
	*out = v;
	return 0;
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

static int parse_dispatcher(const char *s, size_t len, ph_trunk_t *out,
		char *err, size_t errsize)
{
	long set;

	if(parse_number(s + 3, len - 3, 0x7fffffffL, &set) < 0)
		return ph_error(err, errsize,
				"dispatcher trunk '%.*s': the set must be a number >= 0",
				(int)len, s);
	out->kind = PH_TRUNK_DISPATCHER;
	out->ds_set = (int)set;
	return 0;
}

/* The ";transport=x" parameter, the only one a trunk may carry. */
static int parse_params(const char *s, size_t len, ph_trunk_t *out,
		char *err, size_t errsize)
{
	const char *v;
	size_t i, n;

	if(!starts_with(s, len, ";transport="))
		return ph_error(err, errsize,
				"trunk parameter '%.*s': only ;transport= is allowed",
				(int)len, s);
	v = s + strlen(";transport=");
	n = len - strlen(";transport=");
	for(i = 0; i < sizeof(transports) / sizeof(transports[0]); i++) {
		if(strlen(transports[i]) == n && strncasecmp(v, transports[i], n) == 0) {
			out->transport = v;
			out->transport_len = n;
			return 0;
		}
	}
	return ph_error(err, errsize,
			"trunk transport '%.*s': use udp, tcp, tls, sctp, ws or wss",
			(int)n, v);
}

int ph_trunk_parse(
		const char *s, size_t len, ph_trunk_t *out, char *err, size_t errsize)
{
	const char *p, *end;
	size_t n;
	long port;

	memset(out, 0, sizeof(*out));
	if(err && errsize)
		err[0] = '\0';
	if(s == NULL || len == 0)
		return ph_error(err, errsize, "empty trunk");
	if(len > PH_MAX_TRUNK)
		return ph_error(err, errsize, "trunk longer than %d characters",
				PH_MAX_TRUNK);
	if(starts_with(s, len, "ds:"))
		return parse_dispatcher(s, len, out, err, errsize);

	out->kind = PH_TRUNK_URI;
	p = s;
	end = s + len;
	if(starts_with(s, len, "sips:")) {
		out->scheme = s;
		out->scheme_len = 4;
		p += 5;
	} else if(starts_with(s, len, "sip:")) {
		out->scheme = s;
		out->scheme_len = 3;
		p += 4;
	} else {
		out->scheme = "sip";
		out->scheme_len = 3;
	}
	if(memchr(p, '@', (size_t)(end - p)))
		return ph_error(err, errsize,
				"trunk '%.*s' has a user part: the number is the user",
				(int)len, s);

	/* host: [IPv6] or a name / IPv4 address */
	out->host = p;
	if(p < end && *p == '[') {
		for(p++; p < end && is_ipv6_char(*p); p++)
			;
		if(p >= end || *p != ']' || p == out->host + 1)
			return ph_error(err, errsize, "trunk '%.*s': malformed IPv6 host",
					(int)len, s);
		p++;
	} else {
		while(p < end && is_host_char(*p))
			p++;
	}
	out->host_len = (size_t)(p - out->host);
	if(out->host_len == 0)
		return ph_error(err, errsize, "trunk '%.*s' has no host", (int)len, s);

	if(p < end && *p == ':') {
		for(n = 1; p + n < end && p[n] != ';'; n++)
			;
		if(parse_number(p + 1, n - 1, 65535, &port) < 0 || port == 0)
			return ph_error(err, errsize,
					"trunk '%.*s': the port must be 1 to 65535", (int)len, s);
		out->port = (uint16_t)port;
		p += n;
	}
	if(p < end && *p == ';')
		return parse_params(p, (size_t)(end - p), out, err, errsize);
	if(p < end)
		return ph_error(err, errsize, "trunk '%.*s': unexpected '%c'", (int)len,
				s, *p);
	return 0;
}

int ph_trunk_request_uri(const ph_trunk_t *t, const char *user, size_t ulen,
		char *out, size_t size)
{
	char scheme[8], params[32] = "";
	int plen = 0;

	if(t->kind != PH_TRUNK_URI || t->scheme_len >= sizeof(scheme)
			|| t->transport_len > 8)
		return -1;
	memcpy(scheme, t->scheme, t->scheme_len);
	scheme[t->scheme_len] = '\0';
	if(t->transport_len)
		plen = snprintf(params, sizeof(params), "transport=%.*s",
				(int)t->transport_len, t->transport);
	return ph_sip_uri(out, size, scheme, user, ulen, t->host, t->host_len,
			t->port, params, (size_t)plen);
}

int ph_trunk_uri(const ph_trunk_t *t, char *out, size_t size)
{
	return ph_trunk_request_uri(t, NULL, 0, out, size);
}
