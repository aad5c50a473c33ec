/*
 * kamailio-phones: which entry a call is for, and whether it is routed out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "phones/route_check.h"

static const char *const verdict_names[PH_ROUTE_VERDICT_COUNT] = {
		"external", "unknown", "inactive", "ambiguous", "not_external"};

const char *ph_route_verdict_name(ph_route_verdict_t v)
{
	return (v >= 0 && v < PH_ROUTE_VERDICT_COUNT) ? verdict_names[v] : "?";
}

ph_route_verdict_t ph_route_check(const ph_table_t *t, const char *user,
		size_t len, const ph_entry_t **entry)
{
	const ph_entry_t *e;
	unsigned ambiguous = PH_ENTRY_AMBIGUOUS_EXTENSION;

	*entry = NULL;
	e = ph_table_by_extension(t, user, len);
	if(e == NULL) {
		e = ph_table_by_number(t, user, len);
		ambiguous |= PH_ENTRY_AMBIGUOUS_NUMBER;
	}
	if(e == NULL)
		return PH_ROUTE_UNKNOWN;
	if(e->flags & ambiguous)
		return PH_ROUTE_AMBIGUOUS;
	*entry = e;
	if(!e->active)
		return PH_ROUTE_INACTIVE;
	if(e->protocol != PH_PROTO_EXTERNAL)
		return PH_ROUTE_DEVICE;
	return PH_ROUTE_EXTERNAL;
}
