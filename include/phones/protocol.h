/*
 * kamailio-phones: VICIdial's phone protocols.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PROTOCOL_H
#define PHONES_PROTOCOL_H

#include <stddef.h>

/* The values of VICIdial's phones.protocol ENUM. */
typedef enum ph_protocol
{
	PH_PROTO_SIP = 0,
	PH_PROTO_PJSIP,
	PH_PROTO_IAX2,
	PH_PROTO_ZAP,
	PH_PROTO_EXTERNAL,
	PH_PROTO_COUNT
} ph_protocol_t;

/* A set of protocols, one bit per ph_protocol_t. */
typedef unsigned int ph_protocol_set_t;
#define PH_PROTO_BIT(p) (1u << (p))
#define PH_PROTO_SET_DEFAULT_REGISTER \
	(PH_PROTO_BIT(PH_PROTO_SIP) | PH_PROTO_BIT(PH_PROTO_PJSIP))

/* Parses a protocol name as MySQL compares ENUM values: without regard to
 * case. Returns 0 and sets *out, or -1 for anything else. */
int ph_protocol_parse(const char *s, size_t len, ph_protocol_t *out);

/* The canonical spelling, as VICIdial's schema writes it. */
const char *ph_protocol_name(ph_protocol_t p);

/* Parses a list such as "SIP,PJSIP" (commas and/or blanks between names).
 * Returns 0 and sets *out; -1 for an unknown name or an empty list. */
int ph_protocol_set_parse(const char *s, size_t len, ph_protocol_set_t *out);

#endif
