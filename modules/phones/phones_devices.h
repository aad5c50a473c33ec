/*
 * kamailio-phones: a call to an extension with devices rings them, a
 * position at a time.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_MOD_DEVICES_H
#define PHONES_MOD_DEVICES_H

#include "core/parser/msg_parser.h"
#include "core/str.h"

#include "phones/call_plan.h"
#include "phones/devices.h"
#include "phones_store.h"

/* Return codes besides a positive count of branches. */
#define PHONES_DEVICES_NONE -1		  /* no active device: route as before */
#define PHONES_DEVICES_UNAVAILABLE -2 /* none could ring, or none answered */
#define PHONES_DEVICES_BUSY -3		  /* every device rung answered busy */

/* Parameter devices_domain: usrloc's domain of the phones' contacts. */
extern str phones_devices_domain;

/* mod_init: the tm and usrloc APIs. */
int phones_devices_init(void);
/* child_init: at PROC_INIT, usrloc's domain devices_domain (registered
 * once, before the workers are forked). */
int phones_devices_child_init(int rank);

/* Carries out a DEVICES plan under the snapshot it was made from: the
 * first position from plan->position on that can ring, as branches with
 * its ring time; where to go on from and ext (the extension called) are
 * kept in the transaction's AVPs for phones_next_devices(). Returns the
 * count of branches, 0 when no position can ring, -1 on error. */
int phones_devices_ring(sip_msg_t *msg, phones_ref_t *ref,
		const ph_call_plan_t *plan, const char *ext, int elen);

/* Request route: the first position of the Request-URI user's devices
 * that can ring, as branches with its ring time; the count of branches,
 * or PHONES_DEVICES_NONE / PHONES_DEVICES_UNAVAILABLE. */
int phones_devices(sip_msg_t *msg);

/* Failure route: the next position; the count of branches, or
 * PHONES_DEVICES_UNAVAILABLE / PHONES_DEVICES_BUSY when none is left, or
 * PHONES_DEVICES_NONE when the call was not one to devices. */
int phones_next_devices(sip_msg_t *msg);

/* For each device of ext (inactive ones too), in ring order: what a call
 * would do with it now ("rings 2 contact(s)", "rings sip:...", "cannot
 * ring: ...", "inactive"). Returns how many devices, -1 on error. */
int phones_devices_describe(const char *ext, size_t elen,
		void (*cb)(void *arg, const ph_device_t *dev, const char *now),
		void *arg);

#endif
