/*
 * kamailio-phones: a routing rule's trunk, parsed once when rules load.
 *
 * A trunk is either a SIP URI without a user part (the dialled number
 * becomes the user), e.g. "sip:198.51.100.7:5060;transport=udp", or a
 * dispatcher set, "ds:<set>", for failover through Kamailio's dispatcher.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_TRUNK_H
#define PHONES_TRUNK_H

#include <stddef.h>
#include <stdint.h>

/* Longest trunk text accepted. */
#define PH_MAX_TRUNK 255

typedef enum ph_trunk_kind
{
	PH_TRUNK_URI = 0,
	PH_TRUNK_DISPATCHER
} ph_trunk_kind_t;

/* Pieces of a parsed trunk; each is a (pointer, length) into the text the
 * trunk was parsed from, except port and ds_set. */
typedef struct ph_trunk
{
	ph_trunk_kind_t kind;
	const char *scheme; /* "sip" or "sips" (URI kind) */
	size_t scheme_len;
	const char *host; /* a name, an IPv4 address or "[IPv6]" */
	size_t host_len;
	uint16_t port;			/* 0 when none is given */
	const char *transport; /* udp, tcp, tls, sctp, ws, wss; len 0 if none */
	size_t transport_len;
	int ds_set; /* dispatcher set (DISPATCHER kind) */
} ph_trunk_t;

/* Parses s. Returns 0, or -1 with a reason in err (NUL-terminated, at most
 * errsize bytes) for anything else: a user part, an empty or malformed
 * host, a port outside 1..65535, a parameter other than transport, an
 * unknown transport, a set that is not a non-negative number. */
int ph_trunk_parse(
		const char *s, size_t len, ph_trunk_t *out, char *err, size_t errsize);

/* Writes the trunk as a destination URI ("sip:host[:port][;transport=t]")
 * with a NUL. Returns its length, or -1 if it does not fit or the trunk is
 * a dispatcher set. */
int ph_trunk_uri(const ph_trunk_t *t, char *out, size_t size);

/* The same with a user part: the Request-URI of a call out the trunk
 * ("sip:<user>@host[:port][;transport=t]"). Returns its length, or -1. */
int ph_trunk_request_uri(const ph_trunk_t *t, const char *user, size_t ulen,
		char *out, size_t size);

#endif
