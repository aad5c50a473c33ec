/*
 * kamailio-phones: checking the module's parameters, all in one place.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "phones/param_check.h"
#include "phones/protocol.h"

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

/* Printable ASCII without space (nor any of `extra`). */
static int printable(const char *s, size_t len, const char *extra)
{
	size_t i;

	for(i = 0; i < len; i++) {
		if(s[i] <= 0x20 || s[i] >= 0x7f || strchr(extra, s[i]) != NULL)
			return 0;
	}
	return 1;
}

static int control(const char *s, size_t len)
{
	size_t i;

	for(i = 0; i < len; i++) {
		if((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return 1;
	}
	return 0;
}

static int starts(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && strncasecmp(s, prefix, n) == 0;
}

static int address(const char *s, size_t len)
{
	char buf[64];
	unsigned char bin[16];

	if(len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, bin) == 1
		   || inet_pton(AF_INET6, buf, bin) == 1;
}

static int methods(const char *s, size_t len)
{
	size_t i, token = 0;

	for(i = 0; i <= len; i++) {
		if(i == len || s[i] == ',') {
			if(token == 0)
				return 0; /* an empty name */
			token = 0;
		} else if(s[i] == ' ' || s[i] == '\t') {
			continue;
		} else if((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')
				  || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'
				  || s[i] == '.' || s[i] == '*') {
			token++;
		} else {
			return 0;
		}
	}
	return 1;
}

int ph_text_param_valid(const char *s, size_t len, ph_name_kind_t kind)
{
	const char *sep;
	ph_protocol_set_t set;

	if(s == NULL || len == 0)
		return 0;
	switch(kind) {
		case PH_NAME_COLUMN:
		case PH_NAME_TABLE:
			return ph_sql_name_valid(s, len, kind);
		case PH_NAME_DB_URL:
			sep = len > 3 ? strstr(s, "://") : NULL;
			/* a password may hold a space, never a control byte */
			return len <= PH_MAX_TEXT_PARAM && !control(s, len)
				   && sep != NULL && sep > s && (size_t)(sep - s) + 3 < len
				   && identifier(s, (size_t)(sep - s));
		case PH_NAME_ADDRESS:
			return address(s, len);
		case PH_NAME_SIP_URI:
			return len <= PH_MAX_TEXT_PARAM && printable(s, len, "<>\"")
				   && ((starts(s, len, "sip:") && len > 4)
						   || (starts(s, len, "sips:") && len > 5));
		case PH_NAME_HTABLE:
			return identifier(s, len);
		case PH_NAME_PROTOCOLS:
			return len <= PH_MAX_TEXT_PARAM
				   && ph_protocol_set_parse(s, len, &set) == 0;
		case PH_NAME_METHODS:
			return len <= PH_MAX_TEXT_PARAM && methods(s, len);
	}
	return 0;
}

/* What kind holds, for an error. */
static const char *what(ph_name_kind_t kind)
{
	switch(kind) {
		case PH_NAME_COLUMN:
			return "a plain SQL name: letters, digits and '_' (not first),"
				   " up to 64";
		case PH_NAME_TABLE:
			return "a plain SQL name: letters, digits and '_' (not first),"
				   " up to 64, or database.table";
		case PH_NAME_DB_URL:
			return "a database URL (sqlite:///path, mysql://user:pass@host/db)";
		case PH_NAME_ADDRESS:
			return "an IPv4 or IPv6 address";
		case PH_NAME_SIP_URI:
			return "a SIP URI (sip:user@host), without spaces, < > or \"";
		case PH_NAME_HTABLE:
			return "an htable's name: letters, digits and '_' (not first)";
		case PH_NAME_PROTOCOLS:
			return "a list of SIP, PJSIP, IAX2, Zap";
		case PH_NAME_METHODS:
			return "JSON-RPC method names, 'prefix.' or '*', separated by"
				   " commas";
	}
	return "?";
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
		if(ph_text_param_valid(p->value, p->len, p->kind))
			continue;
		if(p->kind == PH_NAME_DB_URL) /* it may hold a password */
			snprintf(value, sizeof(value), "%s", "(not shown)");
		else
			shown(value, sizeof(value), p->value, p->len);
		if(p->len == 0 && (p->kind == PH_NAME_TABLE || p->kind == PH_NAME_COLUMN))
			snprintf(err, size, "%s is empty: it must name a %s", p->name,
					p->kind == PH_NAME_TABLE ? "table" : "column");
		else if(p->len == 0)
			snprintf(err, size, "%s is empty: it must be %s", p->name,
					what(p->kind));
		else
			snprintf(err, size, "%s '%s' is not %s", p->name, value,
					what(p->kind));
		return -1;
	}
	return 0;
}
