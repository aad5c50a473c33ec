/*
 * kamailio-phones: who sent a request: a phone of the table, an Asterisk
 * server of the cluster, a carrier, or nobody the proxy knows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CALLER_H
#define PHONES_CALLER_H

#include "core/parser/msg_parser.h"

#include "phones/call_route.h"
#include "phones/phone_row.h"
#include "phones_store.h"

/* For mod_init: binds the dispatcher's API when dispatcher is loaded, so
 * that the hosts of the dispatcher sets the rules name are carriers too. */
int phones_caller_init(void);

/* Who sent msg: the kind set for it before (a phone that passed
 * phones_auth(), or a kind the script gave), else the kind its source
 * address tells. ext, when not NULL, receives the phone's extension
 * (size at least PH_MAX_EXTENSION + 1). */
ph_caller_t phones_caller_of(sip_msg_t *msg, char *ext);
/* The same, with a snapshot reference the caller holds already. */
ph_caller_t phones_caller_held(sip_msg_t *msg, char *ext, phones_ref_t *ref);

/* msg comes from this phone: it passed phones_auth(). */
void phones_caller_set_phone(sip_msg_t *msg, const str *extension);

/* phones_caller([kind]): 1 server, 2 carrier, 3 phone, -1 unknown. kind
 * ("server" or "carrier") declares the caller: for addresses the operator
 * trusts beyond VICIdial's tables (permissions' address list). */
int phones_caller(sip_msg_t *msg, str *kind);

/* phones_peer_of(uri): which peer of VICIdial's tables the host and port of
 * a SIP URI name: 1 an Asterisk server (at server_port), 2 a carrier (a
 * trunk's host and port), -1 neither (a host name included: the tables
 * hold addresses), -2 not a SIP URI. For a REGISTER's Contact: a phone
 * may not bind its extension to a server or a carrier. */
int phones_peer_of(str *uri);

#endif
