/*
 * kamailio-phones: checking the module's parameters, all in one place.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "phones/param_check.h"

static int identifier(const char *s, size_t len)
{
	size_t i;

	if(len == 0 || len > PH_MAX_SQL_NAME || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	for(i = 0; i < len; i++) {
		if(!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
				   || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	}
	return 1;
}

int ph_sql_name_valid(const char *s, size_t len, ph_name_kind_t kind)
{
	size_t dot;

	if(s == NULL)
		return 0;
	if(kind == PH_NAME_TABLE) {
		for(dot = 0; dot < len && s[dot] != '.'; dot++)
			;
		if(dot < len)
			return identifier(s, dot)
				   && identifier(s + dot + 1, len - dot - 1);
	}
	return identifier(s, len);
}

/* A name as it may be shown: printable ASCII, at most 80 bytes. */
static void shown(char *out, size_t size, const char *s, size_t len)
{
	size_t i, n = 0;

	for(i = 0; s && i < len && n + 2 < size && i < 80; i++)
		out[n++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if(s && len > 80 && n + 4 < size) {
		out[n++] = '.';
		out[n++] = '.';
		out[n++] = '.';
	}
	out[n] = '\0';
}

int ph_params_check(const ph_int_param_t *ints, size_t nints,
		const ph_name_param_t *names, size_t nnames, char *err, size_t size)
{
	char value[96];
	size_t i;

	if(size)
		err[0] = '\0';
	for(i = 0; i < nints; i++) {
		const ph_int_param_t *p = &ints[i];

		if(p->value >= p->min && p->value <= p->max)
			continue;
		if(p->max == p->min)
			snprintf(err, size, "%s is %lld: it must be %lld", p->name,
					p->value, p->min);
		else if(p->max >= 0x7fffffffLL)
			snprintf(err, size, "%s is %lld: it must be %lld or more",
					p->name, p->value, p->min);
		else
			snprintf(err, size, "%s is %lld: it must be %lld to %lld",
					p->name, p->value, p->min, p->max);
		return -1;
	}
	for(i = 0; i < nnames; i++) {
		const ph_name_param_t *p = &names[i];

		if(p->len == 0 && p->optional)
			continue;
		if(ph_sql_name_valid(p->value, p->len, p->kind))
			continue;
		shown(value, sizeof(value), p->value, p->len);
		if(p->len == 0)
			snprintf(err, size, "%s is empty: it must name a %s", p->name,
					p->kind == PH_NAME_TABLE ? "table" : "column");
		else
			snprintf(err, size,
					"%s '%s' is not a plain SQL name: letters, digits and '_'"
					" (not first), up to %d%s",
					p->name, value, PH_MAX_SQL_NAME,
					p->kind == PH_NAME_TABLE ? ", or database.table" : "");
		return -1;
	}
	return 0;
}
