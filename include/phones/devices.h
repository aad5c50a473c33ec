/*
 * kamailio-phones: one extension, several devices (the phone_devices
 * table), and the plan of a call to it: which devices ring, in which
 * order, for how long.
 *
 * A row names an extension (the number callers dial: a phone entry's
 * extension, or a number of its own), a device (a phone entry's extension,
 * or a plain number), a position (1 first) and a ring time. Devices of one
 * position ring together; positions ring one after another, each for the
 * longest ring time of its devices that can ring now.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_DEVICES_H
#define PHONES_DEVICES_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"
#include "phones/phone_row.h"
#include "phones/phone_table.h"
#include "phones/protocol.h"

#define PH_MAX_DEVICE 100
/* Devices of one extension held at most; more rows are skipped. */
#define PH_MAX_DEVICES 32
#define PH_MAX_RING_SECONDS 600

typedef struct ph_device_row
{
	ph_field_t extension;
	ph_field_t device;
	ph_field_t position;
	ph_field_t ring_seconds;
	ph_field_t active;
} ph_device_row_t;

typedef enum ph_device_row_result
{
	PH_DEVICE_LOADED = 0,
	PH_DEVICE_INACTIVE,		  /* active is not 'Y': held, never rings */
	PH_DEVICE_NO_EXTENSION,	  /* NULL, empty, too long or not a SIP user */
	PH_DEVICE_NO_DEVICE,	  /* NULL, empty, too long or not a SIP user */
	PH_DEVICE_BAD_POSITION,	  /* not a whole number from 1 to 1000 */
	PH_DEVICE_BAD_RING,		  /* not a whole number of 1 to 600 seconds */
	PH_DEVICE_DUPLICATE,	  /* the same device of the extension again */
	PH_DEVICE_TOO_MANY,		  /* the extension has PH_MAX_DEVICES already */
	PH_DEVICE_NO_MEMORY,
	PH_DEVICE_RESULT_COUNT
} ph_device_row_result_t;

const char *ph_device_row_result_name(ph_device_row_result_t r);

typedef struct ph_device
{
	ph_sv_t extension;
	ph_sv_t device;
	uint32_t position;
	uint32_t ring_seconds;
	uint8_t active;
} ph_device_t;

typedef struct ph_devices ph_devices_t;

ph_devices_t *ph_devices_new(const ph_allocator_t *allocator);
void ph_devices_free(ph_devices_t *d);

/* Adds a row (PH_DEVICE_LOADED and PH_DEVICE_INACTIVE hold it). */
ph_device_row_result_t ph_devices_add_row(
		ph_devices_t *d, const ph_device_row_t *row);

/* Rows held, bytes held. */
size_t ph_devices_count(const ph_devices_t *d);
size_t ph_devices_memory(const ph_devices_t *d);

/* The devices of an extension (inactive ones included), by position then
 * load order: *first gets the first, the count is returned (0: none). */
size_t ph_devices_of(const ph_devices_t *d, const char *ext, size_t len,
		const ph_device_t **first);

/* Every row held, grouped by extension, for listing: 0 <= i < count. */
const ph_device_t *ph_devices_at(const ph_devices_t *d, size_t i);

/* ---- choosing the devices that ring (Daktela's dynamic selection) ---- */

typedef enum ph_choice_result
{
	PH_CHOICE_OK = 0,
	PH_CHOICE_NO_EXTENSION, /* ext has no devices at all */
	PH_CHOICE_NOT_A_DEVICE, /* a name is no device of ext (*bad names it) */
	PH_CHOICE_MALFORMED		/* an empty name, a name twice, too many */
} ph_choice_result_t;

/* Checks a choice of ext's devices: list holds device names separated by
 * commas (an empty list: none rings). The devices named become the active
 * ones, the others inactive; *nnames gets how many were named. */
ph_choice_result_t ph_devices_check_choice(const ph_devices_t *d,
		const char *ext, size_t elen, const char *list, size_t llen,
		const char **bad, size_t *blen, size_t *nnames);

/* ---- the plan of a call ---- */

typedef enum ph_target_kind
{
	PH_TARGET_CONTACTS, /* a phone entry that registers: its contacts */
	PH_TARGET_NUMBER,	/* a number out the trunks by the routing rules */
	PH_TARGET_SKIP		/* cannot ring: inactive, ambiguous, other protocol */
} ph_target_kind_t;

typedef struct ph_plan_step
{
	const ph_device_t *device;
	ph_target_kind_t kind;
	/* CONTACTS: the entry's extension (the AOR); NUMBER: the number to
	 * route (an EXTERNAL entry's dialplan number, or the device itself) */
	ph_sv_t target;
} ph_plan_step_t;

typedef struct ph_plan
{
	size_t nsteps;
	ph_plan_step_t steps[PH_MAX_DEVICES]; /* active devices, ring order */
} ph_plan_t;

/* What a device is now, against the phone table: an entry whose protocol
 * is in registering (and active, unambiguous) rings its contacts; an
 * active EXTERNAL entry its dialplan number; a device that is no entry,
 * made of digits (and a leading '+'), that number; anything else is
 * skipped. */
ph_plan_step_t ph_device_target(const ph_device_t *dev,
		const ph_table_t *phones, ph_protocol_set_t registering);

/* The plan of a call to ext: its active devices in ring order, each with
 * its target. Returns the number of steps (0: ext has no active device). */
size_t ph_devices_plan(const ph_devices_t *d, const ph_table_t *phones,
		ph_protocol_set_t registering, const char *ext, size_t len,
		ph_plan_t *plan);

/* The group of steps that ring together from step `from` on: returns how
 * many (0 at the end), and the group's ring time, the longest of its
 * steps that `can_ring` (a mask over steps[from..from+n), bit i for step
 * from+i); 0 when none of them can. */
size_t ph_plan_group(const ph_plan_t *plan, size_t from, uint64_t can_ring,
		uint32_t *ring_seconds);

#endif
