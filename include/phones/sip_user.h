/*
 * kamailio-phones: what may stand in a SIP URI's user part.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_SIP_USER_H
#define PHONES_SIP_USER_H

#include <stddef.h>

/* 1 when c may stand unescaped in a SIP user part (RFC 3261 unreserved and
 * user-unreserved): never '@', ':', '<', '>', '"', '%', blanks or control
 * characters, so a value that passes cannot end the URI or the header. */
int ph_sip_user_char(unsigned char c);

/* 1 when all of s (len > 0) passes ph_sip_user_char. */
int ph_sip_user_valid(const char *s, size_t len);

/* The one writer of the module's SIP URIs:
 * "<scheme>:[<user>@]<host>[:<port>][;<params>]" with a NUL, into out.
 * scheme NULL is "sip"; ulen 0 writes no user part; a host holding ':'
 * (an IPv6 address) not already in brackets gets them; port 0 writes
 * none; plen 0 no parameters (params without their leading ';'). Returns
 * the length written, or -1 when it does not fit size (out is then "")
 * or the host is empty. */
int ph_sip_uri(char *out, size_t size, const char *scheme, const char *user,
		size_t ulen, const char *host, size_t hlen, unsigned port,
		const char *params, size_t plen);

#endif
