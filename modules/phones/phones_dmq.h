/*
 * kamailio-phones: several proxies on one database, through Kamailio's
 * DMQ (the dmq module). A phone changed through this proxy's API or RPC,
 * a phones.reload run here and each authentication failure (and a success
 * that forgave failures) are told to the other proxies; each applies what
 * it is told on its own: a change from the database, never from the
 * message (core/cluster_msg.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_DMQ_H
#define PHONES_DMQ_H

#include <stddef.h>

#include "core/rpc.h"

/* Parameter: 1: register with the dmq module (loaded before phones.so). */
extern int phones_dmq;

/* For mod_init: binds dmq and registers the peer "phones" when dmq = 1. */
int phones_dmq_init(void);

/* Tell the peers (nothing when dmq = 0). */
void phones_dmq_changed(const char *server_ip, const char *ext, size_t elen);
void phones_dmq_reloaded(int force);
void phones_dmq_auth(int failed, int known, const char *ext, size_t elen,
		const char *addr, size_t alen);

/* What a peer's wrong or right password (failed 1 or 0) is handed to:
 * the lockout gives it at mod_init, so that dmq never calls up into the
 * lockout (which calls phones_dmq_auth()). */
typedef void (*phones_dmq_auth_f)(int failed, int known, const char *ext,
		size_t elen, const char *addr, size_t alen);
void phones_dmq_on_auth(phones_dmq_auth_f f);

/* Active peers (this proxy aside) dmq knows of; 0 without dmq. */
int phones_dmq_peers(void);

/* RPC phones.peers. */
void phones_dmq_rpc_peers(rpc_t *rpc, void *ctx);

#endif
