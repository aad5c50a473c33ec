/*
 * kamailio-phones: the plan of a call, decided once, from everything the
 * proxy knows: who sent it, who they said they are, what they dialled,
 * the tables and the servers' health.
 *
 * The answer is exactly one of:
 *   CONTACTS  the registered contacts of the entry called (a device);
 *   DEVICES   the devices of the extension called (phone_devices), a
 *             position at a time: the plan of devices.h, and the step its
 *             position to ring starts at (what follows is the next
 *             positions, rung on failure);
 *   SERVERS   the Asterisk servers, in the order to try them;
 *   TRUNK     out a trunk: the rule's trunk (a URI or a dispatcher set),
 *             the number the rule made and the caller ID to assert;
 *   REFUSED   a SIP code and reason.
 *
 * The flows (ph_call_decide in call_route.h names them):
 *   server  -> extension with active devices      DEVICES
 *   anybody -> a device entry                     CONTACTS
 *   phone, server -> EXTERNAL entry               TRUNK (its dialplan number)
 *   server  -> a number                           TRUNK (dial out)
 *   phone   -> a number                           SERVERS (its home servers,
 *                                                 the last one first)
 *   carrier -> anything but a device              SERVERS (all, spread)
 * and the refusals:
 *   nobody known                                  403 Forbidden
 *   a phone whose From is not itself              403 From is not the
 *                                                 authenticated phone
 *   unknown, inactive, ambiguous target           404 Not Found
 *   no rule for the number                        404 No Route
 *   no Asterisk server to send it to              503 No Server Available
 * Servers taken out (server_health.h) are tried after the others.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CALL_PLAN_H
#define PHONES_CALL_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "phones/call_route.h"
#include "phones/devices.h"
#include "phones/route_rules.h"
#include "phones/server_health.h"
#include "phones/trunk.h"

typedef enum ph_call_kind
{
	PH_PLAN_CONTACTS = 0,
	PH_PLAN_DEVICES,
	PH_PLAN_SERVERS,
	PH_PLAN_TRUNK,
	PH_PLAN_REFUSED,
	PH_PLAN_KIND_COUNT
} ph_call_kind_t;

const char *ph_call_kind_name(ph_call_kind_t k);

/* What the plan is made from. */
typedef struct ph_call_facts
{
	ph_caller_t caller;
	ph_sv_t phone;	   /* PHONE: the extension it authenticated as */
	ph_sv_t from_user; /* PHONE: the user of its From */
	int any_from;	   /* 1: a phone's From user is not checked */
	ph_sv_t user;	   /* the Request-URI user */
	const ph_table_t *table;
	const ph_rules_t *rules;
	ph_matcher_t *matcher;
	const ph_peers_t *peers;
	const ph_devices_t *devices; /* NULL: no devices are considered */
	ph_protocol_set_t registering;
	ph_sv_t last_server;		/* PHONE: the server that last called it */
	size_t turn;				/* CARRIER: spreads calls over the servers */
	ph_server_health_t *health; /* NULL: every server in service */
	size_t devices_from; /* DEVICES: the step to go on from (0: the first
							position; after a failure, where the last
							position rung ended) */
} ph_call_facts_t;

typedef struct ph_call_plan
{
	ph_call_kind_t kind;
	ph_call_verdict_t verdict; /* the flow (ph_call_decide) */
	ph_route_verdict_t route;  /* what the table said of the user */
	const ph_entry_t *entry;   /* the entry called, when one is */
	/* REFUSED */
	int code;
	const char *reason;
	/* SERVERS: indexes into facts->peers, in the order to try */
	size_t nservers;
	uint32_t servers[PH_MAX_PEERS];
	/* TRUNK */
	const ph_rule_t *rule;
	const ph_trunk_t *trunk;
	char number[PH_MAX_ROUTE_NUMBER + 1];
	size_t number_len;
	unsigned rule_errors; /* rules skipped on the way (limits, results) */
	/* TRUNK: the caller ID to assert (outbound_cid; len 0: none);
	 * SERVERS from a phone: the phone's extension */
	ph_sv_t identity;
	/* DEVICES: the active devices in ring order; position: the first step
	 * of the position to ring (facts->devices_from) */
	ph_plan_t devices;
	size_t position;
} ph_call_plan_t;

/* Decides the call. Every pointer of the plan points into the facts'
 * tables (or static text): good while they are held. */
void ph_call_plan(const ph_call_facts_t *f, ph_call_plan_t *plan);

/* The devices part alone, whoever calls (the lower-level
 * phones_devices() and the failover of every devices call): DEVICES from
 * facts->devices_from on, or REFUSED 404 Not Found (the user has no active
 * device) or 480 Temporarily Unavailable (no position left after
 * devices_from). Only user, table, devices, registering and devices_from
 * of the facts are read. */
void ph_call_plan_devices(const ph_call_facts_t *f, ph_call_plan_t *plan);

/* The rules on a number: fills the plan's TRUNK part (rule, trunk,
 * number) and returns 0, or -1 when no rule matches (rule_errors counts
 * the rules skipped either way). For a device that is a number, too. */
int ph_call_trunk(const ph_rules_t *rules, ph_matcher_t *matcher,
		const char *number, size_t len, ph_call_plan_t *plan);

#endif
