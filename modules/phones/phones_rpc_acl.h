/*
 * kamailio-phones: which JSON-RPC methods the HTTP interface may run.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_MOD_RPC_ACL_H
#define PHONES_MOD_RPC_ACL_H

#include "core/parser/msg_parser.h"
#include "core/str.h"

/* Parameter rpc_allow: the methods JSON-RPC over HTTP may run. */
extern str phones_rpc_allow;

/* 1 when the JSON-RPC request in msg's body names an allowed method; -1
 * otherwise (not allowed, no method, not JSON). */
int phones_rpc_allowed(sip_msg_t *msg);

#endif
