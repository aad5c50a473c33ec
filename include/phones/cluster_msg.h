/*
 * kamailio-phones: what one proxy tells its peers (DMQ), as one line of
 * text.
 *
 *   phones/1 change <server_ip> <extension>   a phone written through
 *                      this proxy's API or RPC: each peer takes that entry
 *                      from the database (never from the message)
 *   phones/1 reload [force]                   phones.reload was run here
 *   phones/1 fail <0|1> <address> <extension> a wrong password (1: of an
 *                      extension of the table) from address
 *   phones/1 ok <address> <extension>         a right one
 *
 * An extension is written as it is when every byte may stand in a SIP
 * user part (sip_user.h), otherwise those bytes as %XX; an address is an
 * IPv4 or IPv6 address in text. Exactly one space between fields, an
 * optional final newline, nothing else: anything else is refused whole.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CLUSTER_MSG_H
#define PHONES_CLUSTER_MSG_H

#include <stddef.h>

/* Longest extension carried (bytes, decoded); longest address text. */
#define PH_CMSG_MAX_EXTENSION 100
#define PH_CMSG_MAX_ADDRESS 45
/* Longest line: every byte of the longest extension escaped. */
#define PH_CMSG_MAX_LINE 512

typedef enum ph_cmsg_kind
{
	PH_CMSG_CHANGE = 1,
	PH_CMSG_RELOAD,
	PH_CMSG_FAIL,
	PH_CMSG_OK
} ph_cmsg_kind_t;

typedef struct ph_cmsg
{
	ph_cmsg_kind_t kind;
	int flag; /* reload: force; fail: a known extension */
	/* change: the phone's server_ip; fail, ok: the client's address */
	char address[PH_CMSG_MAX_ADDRESS + 1];
	char extension[PH_CMSG_MAX_EXTENSION + 1]; /* NUL-terminated... */
	size_t elen; /* ...but may hold a NUL byte: its length */
} ph_cmsg_t;

/* m as a line (with its newline, NUL-terminated) in out; returns its
 * length, or -1 when m is not valid (kind, address, extension empty or too
 * long) or out is too small. */
int ph_cmsg_format(const ph_cmsg_t *m, char *out, size_t size);

/* The line s (len bytes) into *m; returns 0, or -1 with the reason in err
 * (NUL-terminated, at most esize bytes) and *m zeroed. */
int ph_cmsg_parse(
		const char *s, size_t len, ph_cmsg_t *m, char *err, size_t esize);

/* Fills *m; returns 0, or -1 when a field is not valid (as format). */
int ph_cmsg_change(ph_cmsg_t *m, const char *server_ip, const char *ext,
		size_t elen);
int ph_cmsg_reload(ph_cmsg_t *m, int force);
int ph_cmsg_auth(ph_cmsg_t *m, int failed, int known, const char *addr,
		size_t alen, const char *ext, size_t elen);

#endif
