/*
 * kamailio-phones: RPC commands, phones.<command>.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_RPC_H
#define PHONES_RPC_H

/* Registers phones.reload, .get, .list, .routes, .translate, .stats. */
int phones_rpc_register(void);

#endif
