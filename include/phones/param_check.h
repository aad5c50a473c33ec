/*
 * kamailio-phones: checking the module's parameters, all in one place:
 * numbers against their ranges, every text parameter against what it
 * holds.
 *
 * The host lists every parameter with its value and what it may be; one
 * call says whether all are good and, when one is not, names it and what
 * it may be, before anything is set up with it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PARAM_CHECK_H
#define PHONES_PARAM_CHECK_H

#include <stddef.h>

/* A number and its range (both ends included). */
typedef struct ph_int_param
{
	const char *name;
	long long value;
	long long min;
	long long max;
} ph_int_param_t;

/* What a text parameter holds. */
typedef enum ph_name_kind
{
	PH_NAME_COLUMN, /* a column: one identifier */
	PH_NAME_TABLE,	/* a table: an identifier, or database.table */
	PH_NAME_DB_URL, /* a database URL: scheme://..., no control byte */
	PH_NAME_ADDRESS, /* an IPv4 or IPv6 address */
	PH_NAME_SIP_URI, /* a sip: or sips: URI, printable, no space, < > or " */
	PH_NAME_HTABLE,	 /* an htable's name: letters, digits and '_' */
	PH_NAME_PROTOCOLS, /* a list of SIP, PJSIP, IAX2, Zap (protocol.h) */
	PH_NAME_METHODS	 /* JSON-RPC methods, "prefix." or "*", by commas */
} ph_name_kind_t;

/* A text parameter (a table or column name, a URL, an address, a
 * list...); value is len bytes, not NUL-terminated. */
typedef struct ph_name_param
{
	const char *name;
	const char *value;
	size_t len;
	ph_name_kind_t kind;
	int optional; /* 1: empty means "not used" */
} ph_name_param_t;

/* Longest identifier (MySQL's and MariaDB's limit). */
#define PH_MAX_SQL_NAME 64
/* Longest URL, URI or list. */
#define PH_MAX_TEXT_PARAM 1024

/* 1 when s (len bytes) is a plain SQL identifier: letters, digits and '_',
 * not starting with a digit, 1 to PH_MAX_SQL_NAME bytes; for a table also
 * two of them joined by one '.'. Anything else would have to be quoted,
 * and the module writes names into SQL text unquoted. */
int ph_sql_name_valid(const char *s, size_t len, ph_name_kind_t kind);

/* 1 when s (len bytes) is good for kind (any kind above). */
int ph_text_param_valid(const char *s, size_t len, ph_name_kind_t kind);

/* 0 when every parameter is good; else -1 with err (size bytes, always
 * NUL-terminated) saying which one is not and why; the first bad one in
 * the order given, numbers first. */
int ph_params_check(const ph_int_param_t *ints, size_t nints,
		const ph_name_param_t *names, size_t nnames, char *err, size_t size);

#endif
