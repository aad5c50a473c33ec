/*
 * kamailio-phones: who may register, decided from the phone table alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "phones/auth_check.h"

static const char *const verdict_names[PH_AUTH_VERDICT_COUNT] = {"ok",
		"unknown", "inactive", "external", "protocol", "ambiguous",
		"no_secret"};

const char *ph_auth_verdict_name(ph_auth_verdict_t v)
{
	return (v >= 0 && v < PH_AUTH_VERDICT_COUNT) ? verdict_names[v] : "?";
}

static ph_auth_verdict_t verdict(const ph_entry_t *e,
		ph_protocol_set_t registrable)
{
	if(e == NULL)
		return PH_AUTH_UNKNOWN;
	if(e->flags & PH_ENTRY_AMBIGUOUS_EXTENSION)
		return PH_AUTH_AMBIGUOUS;
	if(e->protocol == PH_PROTO_EXTERNAL)
		return PH_AUTH_EXTERNAL;
	if(!(registrable & PH_PROTO_BIT(e->protocol)))
		return PH_AUTH_PROTOCOL;
	if(!e->active)
		return PH_AUTH_INACTIVE;
	if(e->secret.len == 0)
		return PH_AUTH_NO_SECRET;
	return PH_AUTH_OK;
}

ph_auth_verdict_t ph_auth_check(const ph_table_t *t, const char *username,
		size_t len, ph_protocol_set_t registrable, const ph_entry_t **entry)
{
	const ph_entry_t *e = ph_table_by_extension(t, username, len);
	ph_auth_verdict_t v = verdict(e, registrable);

	*entry = (v == PH_AUTH_OK) ? e : NULL;
	return v;
}
