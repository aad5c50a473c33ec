/*
 * kamailio-phones: choosing which devices of an extension ring (Daktela's
 * dynamic selection), from RPC and from the provisioning endpoint, and
 * showing them. The choice is checked by the core against the live
 * devices, written to the database, and the devices read back and
 * published: live at the next call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/dprint.h"

#include "phones/devices.h"
#include "phones/sip_user.h"
#include "phones_db.h"
#include "phones_devices.h"
#include "phones_devices_admin.h"
#include "phones_reload.h"
#include "phones_store.h"

/* The extension as it may be echoed: a SIP user, or "?". */
static int shown(const char *ext, size_t elen)
{
	return elen > 0 && elen <= PH_MAX_EXTENSION && ph_sip_user_valid(ext, elen);
}

int phones_devices_choose(const char *ext, size_t elen, const char *list,
		size_t llen, char *line, size_t size)
{
	phones_devices_ref_t *dref;
	ph_choice_result_t r;
	ph_devices_t *fresh;
	const char *bad;
	size_t blen, n;
	int el = shown(ext, elen) ? (int)elen : 1;
	const char *es = shown(ext, elen) ? ext : "?";

	phones_reload_hold();
	dref = phones_devices_acquire();
	r = dref ? ph_devices_check_choice(
					   dref->devices, ext, elen, list, llen, &bad, &blen, &n)
			 : PH_CHOICE_NO_EXTENSION;
	phones_devices_release(dref);
	switch(r) {
		case PH_CHOICE_NO_EXTENSION:
			snprintf(line, size, "ERROR: devices EXTENSION HAS NO DEVICES - %.*s",
					el, es);
			phones_reload_unhold();
			return -1;
		case PH_CHOICE_NOT_A_DEVICE:
			snprintf(line, size,
					"ERROR: devices NOT A DEVICE OF THE EXTENSION - %.*s|%.*s",
					el, es, shown(bad, blen) ? (int)blen : 1,
					shown(bad, blen) ? bad : "?");
			phones_reload_unhold();
			return -1;
		case PH_CHOICE_MALFORMED:
			snprintf(line, size,
					"ERROR: devices INVALID DEVICE LIST - %.*s", el, es);
			phones_reload_unhold();
			return -1;
		default:
			break;
	}
	if(phones_db_choose_devices(ext, elen, list, llen, &fresh) < 0) {
		snprintf(line, size, "ERROR: devices DATABASE ERROR - %.*s", el, es);
		phones_reload_unhold();
		return -2;
	}
	if(phones_store_publish_devices(fresh) < 0) {
		ph_devices_free(fresh);
		snprintf(line, size,
				"ERROR: devices written, not yet live (out of memory) - %.*s",
				el, es);
		phones_reload_unhold();
		return -2;
	}
	phones_reload_unhold();
	snprintf(line, size, "SUCCESS: devices - %.*s|%.*s", el, es, (int)llen,
			list);
	LM_INFO("%s\n", line);
	return 0;
}

typedef struct show
{
	char *line;
	size_t size;
	size_t len;
} show_t;

static void show_one(void *arg, const ph_device_t *dev, const char *now)
{
	show_t *s = arg;
	int w;

	(void)now;
	if(s->len >= s->size)
		return;
	w = snprintf(s->line + s->len, s->size - s->len, "%s%.*s:%u:%u:%c",
			s->line[s->len - 1] == '|' ? "" : ",", (int)dev->device.len,
			dev->device.s, dev->position, dev->ring_seconds,
			dev->active ? 'Y' : 'N');
	if(w > 0)
		s->len += (size_t)w;
}

int phones_devices_show(const char *ext, size_t elen, char *line, size_t size)
{
	show_t s;
	int n;

	if(!shown(ext, elen)) {
		snprintf(line, size, "ERROR: devices EXTENSION HAS NO DEVICES - ?");
		return -1;
	}
	s.line = line;
	s.size = size;
	s.len = (size_t)snprintf(line, size, "SUCCESS: devices - %.*s|",
			(int)elen, ext);
	n = phones_devices_describe(ext, elen, show_one, &s);
	if(n <= 0) {
		snprintf(line, size, "ERROR: devices EXTENSION HAS NO DEVICES - %.*s",
				(int)elen, ext);
		return -1;
	}
	return 0;
}

/* ---- RPC ---- */

typedef struct rpc_list
{
	rpc_t *rpc;
	void *arr;
} rpc_list_t;

static void add_device(void *arg, const ph_device_t *dev, const char *now)
{
	rpc_list_t *l = arg;
	void *st;
	char device[PH_MAX_DEVICE + 1];

	snprintf(device, sizeof(device), "%.*s", (int)dev->device.len,
			dev->device.s);
	if(l->rpc->struct_add(l->arr, "{", "device", &st) < 0)
		return;
	l->rpc->struct_add(st, "sddss", "device", device, "position",
			(int)dev->position, "ring_seconds", (int)dev->ring_seconds,
			"active", dev->active ? "Y" : "N", "now", now);
}

int phones_devices_rpc_add(rpc_t *rpc, void *st, const char *ext, size_t elen)
{
	rpc_list_t l;

	l.rpc = rpc;
	if(rpc->struct_add(st, "[", "devices", &l.arr) < 0)
		return -1;
	return phones_devices_describe(ext, elen, add_device, &l);
}

void phones_devices_rpc(rpc_t *rpc, void *ctx)
{
	char list[PH_MAX_DEVICES * (PH_MAX_DEVICE + 1) + 1];
	char line[sizeof(list) + 200];
	char ebuf[PH_MAX_EXTENSION + 1];
	str ext, dev;
	size_t n = 0;
	void *th;
	int rc;

	if(rpc->scan(ctx, ".S", &ext) < 1)
		return;
	if(rpc->scan(ctx, "*.S", &dev) < 1) {
		/* show */
		snprintf(ebuf, sizeof(ebuf), "%.*s",
				shown(ext.s, (size_t)ext.len) ? ext.len : 1,
				shown(ext.s, (size_t)ext.len) ? ext.s : "?");
		if(rpc->add(ctx, "{", &th) < 0
				|| rpc->struct_add(th, "s", "extension", ebuf) < 0)
			return;
		if(phones_devices_rpc_add(rpc, th, ext.s, (size_t)ext.len) <= 0)
			rpc->fault(ctx, 404, "Extension has no devices");
		return;
	}
	/* the devices given become the active ones: "none" for none */
	do {
		if(dev.len == 4 && strncmp(dev.s, "none", 4) == 0 && n == 0)
			continue;
		if((size_t)dev.len + 2 > sizeof(list) - n) {
			rpc->fault(ctx, 400, "Too many devices");
			return;
		}
		if(n)
			list[n++] = ',';
		memcpy(list + n, dev.s, dev.len);
		n += (size_t)dev.len;
	} while(rpc->scan(ctx, "*.S", &dev) == 1);
	list[n] = '\0';
	rc = phones_devices_choose(ext.s, (size_t)ext.len, list, n, line,
			sizeof(line));
	if(rc == 0)
		rpc->add(ctx, "s", line);
	else
		rpc->fault(ctx, rc == -1 ? 400 : 500, "%s", line);
}
