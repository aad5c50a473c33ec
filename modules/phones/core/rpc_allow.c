/*
 * kamailio-phones: which RPC methods the HTTP interface may run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/rpc_allow.h"

static int method_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		   || (c >= '0' && c <= '9') || c == '.' || c == '_';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

int ph_rpc_allowed(const char *list, const char *method, size_t len)
{
	const char *p = list, *end, *e;
	size_t i, n;

	if(list == NULL || method == NULL || len == 0)
		return 0;
	for(i = 0; i < len; i++) {
		if(!method_char(method[i]))
			return 0;
	}
	while(*p) {
		end = strchr(p, ',');
		if(end == NULL)
			end = p + strlen(p);
		e = end;
		while(p < e && is_space(*p))
			p++;
		while(e > p && is_space(e[-1]))
			e--;
		n = (size_t)(e - p);
		if(n == 1 && p[0] == '*')
			return 1;
		if(n > 0 && p[n - 1] == '.') {
			if(len > n && memcmp(method, p, n) == 0)
				return 1;
		} else if(n == len && memcmp(method, p, n) == 0) {
			return 1;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}
