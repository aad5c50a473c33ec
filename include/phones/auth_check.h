/*
 * kamailio-phones: who may register, decided from the phone table alone.
 *
 * The digest itself is Kamailio's (the auth module); this decides whether an
 * entry may be authenticated at all, and with which secret. Every refusal
 * has its own reason for logs and statistics, but callers must answer all of
 * them alike so that nobody can tell an unknown extension from a known one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_AUTH_CHECK_H
#define PHONES_AUTH_CHECK_H

#include <stddef.h>

#include "phones/phone_table.h"

typedef enum ph_auth_verdict
{
	PH_AUTH_OK = 0,		   /* check the digest against entry->secret */
	PH_AUTH_UNKNOWN,	   /* no such extension */
	PH_AUTH_INACTIVE,	   /* active is not 'Y' */
	PH_AUTH_EXTERNAL,	   /* EXTERNAL entries have no device */
	PH_AUTH_PROTOCOL,	   /* another protocol not allowed to register */
	PH_AUTH_AMBIGUOUS,	   /* the extension is on several servers */
	PH_AUTH_NO_SECRET,	   /* an empty registration password */
	PH_AUTH_VERDICT_COUNT
} ph_auth_verdict_t;

/* Looks username up as an extension. On PH_AUTH_OK *entry is the entry to
 * check the digest against; otherwise *entry is NULL. registrable is the set
 * of protocols that may register; EXTERNAL never may, whatever it says. */
ph_auth_verdict_t ph_auth_check(const ph_table_t *t, const char *username,
		size_t len, ph_protocol_set_t registrable, const ph_entry_t **entry);

/* A short lower-case name, for logs and statistics. */
const char *ph_auth_verdict_name(ph_auth_verdict_t v);

#endif
