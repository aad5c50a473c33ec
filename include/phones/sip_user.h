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

#endif
