/*
 * kamailio-phones: which RPC methods the HTTP interface may run.
 *
 * A list is names separated by commas (spaces around them ignored): a name
 * ending in '.' allows every method under it ("phones."), "*" allows all,
 * any other name allows that method only.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_RPC_ALLOW_H
#define PHONES_RPC_ALLOW_H

#include <stddef.h>

/* 1 when method (len bytes) is allowed by list, else 0. An empty method,
 * or one with a byte outside [A-Za-z0-9._], is never allowed. */
int ph_rpc_allowed(const char *list, const char *method, size_t len);

#endif
