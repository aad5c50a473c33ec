/*
 * kamailio-phones: what may stand in a SIP URI's user part.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "phones/sip_user.h"

int ph_sip_user_char(unsigned char c)
{
	if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
			|| (c >= '0' && c <= '9'))
		return 1;
	return c != '\0' && strchr("-_.!~*'()&=+$,;?/#", c) != NULL;
}

int ph_sip_user_valid(const char *s, size_t len)
{
	size_t i;

	if(s == NULL || len == 0)
		return 0;
	for(i = 0; i < len; i++) {
		if(!ph_sip_user_char((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int ph_sip_uri(char *out, size_t size, const char *scheme, const char *user,
		size_t ulen, const char *host, size_t hlen, unsigned port,
		const char *params, size_t plen)
{
	int v6, n;
	char portbuf[8];

	if(out == NULL || size == 0)
		return -1;
	out[0] = '\0';
	if(host == NULL || hlen == 0 || hlen > 1024 || ulen > 1024 || plen > 1024
			|| port > 65535)
		return -1;
	v6 = memchr(host, ':', hlen) != NULL && host[0] != '[';
	portbuf[0] = '\0';
	if(port)
		snprintf(portbuf, sizeof(portbuf), ":%u", port);
	n = snprintf(out, size, "%s:%.*s%s%s%.*s%s%s%s%.*s",
			scheme ? scheme : "sip", (int)ulen, ulen ? user : "",
			ulen ? "@" : "", v6 ? "[" : "", (int)hlen, host, v6 ? "]" : "",
			portbuf, plen ? ";" : "", (int)plen, plen ? params : "");
	if(n < 0 || (size_t)n >= size) {
		out[0] = '\0';
		return -1;
	}
	return n;
}
