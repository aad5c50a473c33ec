/*
 * kamailio-phones: one row of VICIdial's phones table, as the database gave it.
 *
 * The loader fills one of these per row, pointing into the database driver's
 * result; the table copies what it keeps.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PHONE_ROW_H
#define PHONES_PHONE_ROW_H

#include <stddef.h>

/* Column sizes of VICIdial's schema: a longer value is a broken row. */
#define PH_MAX_EXTENSION 100
#define PH_MAX_DIALPLAN_NUMBER 20
#define PH_MAX_SECRET 100
#define PH_MAX_SERVER_IP 15
#define PH_MAX_OUTBOUND_CID 20

/* A column value; s is NULL for SQL NULL. Not NUL-terminated. */
typedef struct ph_field
{
	const char *s;
	size_t len;
} ph_field_t;

typedef struct ph_row
{
	ph_field_t extension;
	ph_field_t dialplan_number;
	ph_field_t conf_secret;
	ph_field_t protocol;
	ph_field_t active;
	ph_field_t server_ip;
	ph_field_t outbound_cid;
} ph_row_t;

/* VICIdial's 'Y' of its ENUM('Y','N') columns (compared without case, as
 * MySQL does); NULL and anything else are no. */
static inline int ph_field_is_yes(const ph_field_t *f)
{
	return f->s && f->len == 1 && (f->s[0] == 'Y' || f->s[0] == 'y');
}

/* What became of a row. */
typedef enum ph_row_result
{
	PH_ROW_LOADED = 0,
	PH_ROW_NO_EXTENSION, /* NULL or empty extension */
	PH_ROW_BAD_PROTOCOL, /* NULL or not one of VICIdial's protocols */
	PH_ROW_TOO_LONG,	 /* a value longer than its column allows */
	PH_ROW_DUPLICATE,	 /* the same extension on the same server again */
	PH_ROW_AMBIGUOUS,	 /* the extension is on another server too, with
						  * another password, protocol or active flag */
	PH_ROW_HOME_SERVER,	 /* held: another home server of an entry (the
						  * same extension, password, protocol and active
						  * flag on another server) */
	PH_ROW_NO_MEMORY,
	PH_ROW_RESULT_COUNT
} ph_row_result_t;

/* A short lower-case name, for logs and statistics. */
const char *ph_row_result_name(ph_row_result_t r);

#endif
