/*
 * kamailio-phones: checking the module's parameters, all in one place.
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

/* What a name parameter names in SQL. */
typedef enum ph_name_kind
{
	PH_NAME_COLUMN, /* a column: one identifier */
	PH_NAME_TABLE,	/* a table: an identifier, or database.table */
} ph_name_kind_t;

/* A table or column name; value is len bytes, not NUL-terminated. */
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

/* 1 when s (len bytes) is a plain SQL identifier: letters, digits and '_',
 * not starting with a digit, 1 to PH_MAX_SQL_NAME bytes; for a table also
 * two of them joined by one '.'. Anything else would have to be quoted,
 * and the module writes names into SQL text unquoted. */
int ph_sql_name_valid(const char *s, size_t len, ph_name_kind_t kind);

/* 0 when every parameter is good; else -1 with err (size bytes, always
 * NUL-terminated) saying which one is not and why; the first bad one in
 * the order given, numbers first. */
int ph_params_check(const ph_int_param_t *ints, size_t nints,
		const ph_name_param_t *names, size_t nnames, char *err, size_t size);

#endif
