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
extern int phones_lockout_address_extensions;
extern int phones_lockout_extension_failures;
extern int phones_lockout_window;
extern int phones_lockout_time;
extern int phones_lockout_first_time; /* a pair's first lock; 0: lockout_time */
extern int phones_lockout_trust_time;
extern int phones_lockout_slots;

int phones_lockout_init(void);
void phones_lockout_destroy(void);

/* What refuses user from src, port (a ph_lock_kind_t; 0: nothing). */
int phones_lockout_locked(
		const str *user, const ip_addr_t *src, unsigned short port);

/* A failed authentication of user from src, port; known: user is a phone
 * that may register (a wrong password), not a name that is no phone. */
void phones_lockout_failed(
		const str *user, const ip_addr_t *src, unsigned short port, int known);

/* A success: the pair's failures are forgotten, its port trusted, the
 * address trusted. */
void phones_lockout_succeeded(
		const str *user, const ip_addr_t *src, unsigned short port);

/* What a peer proxy counted (phones_dmq.c): a failure (known as above)
 * or a success of ext from addr (text), in this proxy's table, told to
 * nobody. */
void phones_lockout_peer(int failed, int known, const char *ext, size_t elen,
		const char *addr, size_t alen);

/* RPC: the locks, a page at a time ([start [size]]); forgetting an
 * extension, an address, extension@address or all. */
void phones_lockout_rpc_list(rpc_t *rpc, void *ctx);
void phones_lockout_rpc_clear(rpc_t *rpc, void *ctx);

#endif
