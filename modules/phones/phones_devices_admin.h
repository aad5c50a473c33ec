/*
 * kamailio-phones: choosing which devices of an extension ring, and
 * showing them (RPC phones.devices, the provisioning endpoint's
 * function=devices, phones.get).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_MOD_DEVICES_ADMIN_H
#define PHONES_MOD_DEVICES_ADMIN_H

#include <stddef.h>

#include "core/rpc.h"

/* The devices named in list (separated by commas; empty: none) become
 * ext's active devices: checked, written to the database, live at once.
 * line gets VICIdial's style of answer ("SUCCESS: devices - ..." or
 * "ERROR: devices ... - ..."). Returns 0; -1 for a bad request, -2 when
 * the database failed. */
int phones_devices_choose(const char *ext, size_t elen, const char *list,
		size_t llen, char *line, size_t size);

/* "SUCCESS: devices - EXT|device:position:ring_seconds:active,..." or an
 * ERROR line; 0 or -1. */
int phones_devices_show(const char *ext, size_t elen, char *line, size_t size);

/* Adds a "devices" array (each device, and what a call would do with it
 * now) to an RPC struct; returns how many. */
int phones_devices_rpc_add(rpc_t *rpc, void *st, const char *ext, size_t elen);

/* RPC phones.devices <extension> [<device>...] */
void phones_devices_rpc(rpc_t *rpc, void *ctx);

#endif
