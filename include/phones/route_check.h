/*
 * kamailio-phones: which entry a call is for, and whether it is routed out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_ROUTE_CHECK_H
#define PHONES_ROUTE_CHECK_H

#include <stddef.h>

#include "phones/phone_table.h"

typedef enum ph_route_verdict
{
	PH_ROUTE_EXTERNAL = 0, /* an active EXTERNAL entry: to the trunk */
	PH_ROUTE_UNKNOWN,	   /* neither an extension nor a dialplan number */
	PH_ROUTE_INACTIVE,	   /* the entry is not active */
	PH_ROUTE_AMBIGUOUS,	   /* several entries have that extension/number */
	PH_ROUTE_DEVICE, /* a device: the script looks up its location */
	PH_ROUTE_VERDICT_COUNT
} ph_route_verdict_t;

/* Looks user up as an extension, then as a dialplan number. *entry is the
 * entry found (for every verdict but UNKNOWN and AMBIGUOUS), else NULL. */
ph_route_verdict_t ph_route_check(const ph_table_t *t, const char *user,
		size_t len, const ph_entry_t **entry);

const char *ph_route_verdict_name(ph_route_verdict_t v);

#endif
