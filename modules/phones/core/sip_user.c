/*
 * kamailio-phones: what may stand in a SIP URI's user part.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
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
