/*
 * kamailio-phones: password guessing locked out, per extension and per
 * source address.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_MOD_LOCKOUT_H
#define PHONES_MOD_LOCKOUT_H

#include "core/ip_addr.h"
#include "core/rpc.h"
#include "core/str.h"

/* Parameters. */
extern int phones_lockout_failures; /* 0: no lockout */
extern int phones_lockout_window;
extern int phones_lockout_time;
extern int phones_lockout_slots;

int phones_lockout_init(void);
void phones_lockout_destroy(void);

/* 1 when the extension or the address is locked out. */
int phones_lockout_locked(const str *user, const ip_addr_t *src);

/* A failed authentication of user from src. */
void phones_lockout_failed(const str *user, const ip_addr_t *src);

/* A success: the extension's failures are forgotten. */
void phones_lockout_succeeded(const str *user);

/* RPC: the locked keys; forgetting one key ("ext:100", "ip:192.0.2.1", or
 * an extension or address as it is) or "all". */
void phones_lockout_rpc_list(rpc_t *rpc, void *ctx);
void phones_lockout_rpc_clear(rpc_t *rpc, void *ctx);

#endif
