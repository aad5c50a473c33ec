/*
 * kamailio-phones: VICIdial's add_phone / update_phone over HTTP and RPC.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_API_H
#define PHONES_API_H

#include <stddef.h>

#include "core/parser/msg_parser.h"
#include "core/str.h"

/* Parameters: VICIdial's tables the checks read. */
extern str phones_users_table;
extern str phones_aliases_table;
extern str phones_servers_table;
extern str phones_templates_table;

/* Binds xhttp, when loaded (the database is phones_sql_bind()'s); for
 * mod_init. */
int phones_api_init(void);

/* Answers an HTTP request for non_agent_api.php: 1, or -1 without xhttp. */
int phones_api(sip_msg_t *msg);

/* Decides and carries out a request given as a query string; line gets
 * the answer. Returns 0, or -1 for a request that could not be decoded. */
/* Whether the phones table has an index on login (add_phone's login check
 * reads the whole table without one): 1, or 0 with a warning naming the
 * migration; 0 too where the driver cannot tell. */
int phones_api_login_index(void);

int phones_api_answer(const char *qs, size_t len, const char *ip, char *line,
		size_t size);

#endif
