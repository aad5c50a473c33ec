/*
 * kamailio-phones: VICIdial's phone protocols.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <strings.h>

#include "phones/protocol.h"

static const char *const names[PH_PROTO_COUNT] = {
		"SIP", "PJSIP", "IAX2", "Zap", "EXTERNAL"};

int ph_protocol_parse(const char *s, size_t len, ph_protocol_t *out)
{
	int p;

	if(s == NULL)
		return -1;
	for(p = 0; p < PH_PROTO_COUNT; p++) {
		if(strlen(names[p]) == len && strncasecmp(names[p], s, len) == 0) {
			*out = (ph_protocol_t)p;
			return 0;
		}
	}
	return -1;
}

const char *ph_protocol_name(ph_protocol_t p)
{
	return (p >= 0 && p < PH_PROTO_COUNT) ? names[p] : "?";
}

static int is_separator(char c)
{
	return c == ',' || c == ' ' || c == '\t';
}

int ph_protocol_set_parse(const char *s, size_t len, ph_protocol_set_t *out)
{
	ph_protocol_set_t set = 0;
	ph_protocol_t p;
	size_t i = 0, start;

	if(s == NULL)
		return -1;
	while(i < len) {
		while(i < len && is_separator(s[i]))
			i++;
		start = i;
		while(i < len && !is_separator(s[i]))
			i++;
		if(i == start)
			break;
		if(ph_protocol_parse(s + start, i - start, &p) < 0)
			return -1;
		set |= PH_PROTO_BIT(p);
	}
	if(set == 0)
		return -1;
	*out = set;
	return 0;
}
