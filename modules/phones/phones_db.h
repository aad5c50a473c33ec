/*
 * kamailio-phones: loading VICIdial's phones table and the tables beside
 * it through the database layer (phones_sql.h), so any db_* driver
 * serves.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_DB_H
#define PHONES_DB_H

#include "core/str.h"

#include "phones/devices.h"
#include "phones/peers.h"
#include "phones/reload_run.h"
#include "phones/phone_table.h"
#include "phones/route_rules.h"
#include "phones_sql.h" /* phones_db_url */

/* Module parameters, defaulting to VICIdial's names. */
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
extern str phones_routes_table; /* empty: no routing rules */
extern str phones_route_id_column;
extern str phones_route_priority_column;
extern str phones_route_match_column;
extern str phones_route_repl_column;
extern str phones_route_trunk_column;
extern str phones_route_description_column;
extern str phones_servers_table; /* empty: no servers (phones_api.c) */
extern str phones_servers_ip_column;
extern str phones_servers_active_column;
extern str phones_servers_asterisk_column; /* empty: not read */
extern int phones_server_port;
extern str phones_devices_table; /* empty: no devices */
extern str phones_devices_extension_column;
extern str phones_devices_device_column;
extern str phones_devices_position_column;
extern str phones_devices_ring_column;
extern str phones_devices_active_column;

/* What one load reads (the core's, phones/reload_run.h): the phones, the
 * routing rules, the cluster's servers and carriers (the rules' trunks),
 * and the devices (NULL: could not be read, keep the current). */
typedef ph_load_t phones_load_t;

void phones_load_free(phones_load_t *load);

/* Reads the phones, routes and servers tables into a new table, rule set
 * and peer set in shared memory, over the process's connection opened
 * anew for it and closed after it (phones_sql_reconnect()). Returns 0; or
 * -1, all NULL, having logged why, when a table cannot be read. Broken
 * rows and rules are skipped and logged, not errors. */
int phones_db_load(phones_load_t *load);

/* Reads the devices table alone (after a change of devices). Returns 0;
 * -1, *devices NULL, when it cannot be read. */
int phones_db_load_devices(ph_devices_t **devices);

/* Writes a choice of ext's devices (names separated by commas, checked by
 * the caller: ph_devices_check_choice()): those become active, the others
 * inactive; then reads the devices table again into *devices, over the
 * process's connection (kept for the next use). Returns 0; -1, *devices
 * NULL, when the database failed. */
int phones_db_choose_devices(const char *ext, size_t elen, const char *list,
		size_t llen, ph_devices_t **devices);

/* A short text that changes whenever the phones or routes table may have
 * changed, found without reading them: for SQLite the file's times and
 * sizes, for MySQL/MariaDB the tables' update times in information_schema.
 * Returns 0; -1 when no cheap check is known for the database (or it
 * failed), in which case the caller must assume a change. */
int phones_db_fingerprint(char *out, size_t size);

/* The rows of the phones table with extension ext (elen bytes; of the
 * server_ip parameter's server only, when it is set), for the change of one
 * entry a peer proxy announced: fn is given the first row (NULL when there
 * is none) and how many there are (2 also for a row that cannot be read),
 * while the result lasts. Returns fn's value, or -1 when the database
 * cannot be read. */
int phones_db_phone_rows(const char *ext, size_t elen,
		int (*fn)(const ph_row_t *first, int n, void *arg), void *arg);

#endif
