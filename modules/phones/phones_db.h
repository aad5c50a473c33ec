/*
 * kamailio-phones: loading VICIdial's phones table through Kamailio's
 * database API (srdb1), so any db_* driver serves.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_DB_H
#define PHONES_DB_H

#include "core/str.h"

#include "phones/phone_table.h"

/* Module parameters, defaulting to VICIdial's names. */
extern str phones_db_url;
extern str phones_table_name;
extern str phones_extension_column;
extern str phones_dialplan_number_column;
extern str phones_conf_secret_column;
extern str phones_protocol_column;
extern str phones_active_column;
extern str phones_server_ip_column;
extern str phones_outbound_cid_column;
extern str phones_server_ip; /* when set, only this server's entries */
extern int phones_fetch_rows;

/* Finds the driver named by the URL; for mod_init. */
int phones_db_bind(void);

/* Reads the whole table into a new table in shared memory, with its own
 * connection, opened and closed here. Returns NULL, having logged why, when
 * the database cannot be read; broken rows are skipped, not errors. */
ph_table_t *phones_db_load(void);

#endif
