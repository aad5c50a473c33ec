/*
 * kamailio-phones: the plan of a call, decided once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/call_plan.h"

static const char *const kind_names[PH_PLAN_KIND_COUNT] = {
		"contacts", "devices", "servers", "trunk", "refused"};

const char *ph_call_kind_name(ph_call_kind_t k)
{
	return (k >= 0 && k < PH_PLAN_KIND_COUNT) ? kind_names[k] : "?";
}

static void refuse(ph_call_plan_t *p, int code, const char *reason)
{
	p->kind = PH_PLAN_REFUSED;
	p->code = code;
	p->reason = reason;
}

int ph_call_trunk(const ph_rules_t *rules, ph_matcher_t *matcher,
		const char *number, size_t len, ph_call_plan_t *p)
{
	const ph_rule_t *rule;
	size_t outlen = 0;
	unsigned errors = 0;

	p->rule = NULL;
	p->trunk = NULL;
	p->number[0] = '\0';
	p->number_len = 0;
	if(rules == NULL || matcher == NULL)
		return -1;
	rule = ph_rules_translate(rules, matcher, number, len, p->number,
			sizeof(p->number), &outlen, &errors);
	p->rule_errors += errors;
	if(rule == NULL) {
		p->number[0] = '\0';
		return -1;
	}
	p->rule = rule;
	p->trunk = ph_rule_trunk(rule);
	p->number_len = outlen;
	return 0;
}

typedef struct down_arg
{
	ph_server_health_t *health;
	const ph_peers_t *peers;
} down_arg_t;

static int server_down(uint32_t index, void *arg)
{
	down_arg_t *d = arg;
	const char *ip = ph_peers_server_ip(d->peers, index);

	return ip && ph_server_health_is_down(d->health, ip, strlen(ip));
}

static void to_servers(const ph_call_facts_t *f, ph_call_plan_t *p)
{
	const ph_entry_t *phone;
	down_arg_t d = {f->health, f->peers};

	if(f->peers == NULL) {
		p->nservers = 0;
	} else if(p->verdict == PH_CALL_HOME_SERVER) {
		phone = ph_table_by_extension(f->table, f->phone.s, f->phone.len);
		p->nservers = ph_call_home_servers(f->peers, phone, f->last_server.s,
				f->last_server.len, p->servers, PH_MAX_PEERS);
	} else {
		p->nservers = ph_call_all_servers(
				f->peers, f->turn, p->servers, PH_MAX_PEERS);
	}
	if(p->nservers == 0) {
		refuse(p, 503, "No Server Available");
		return;
	}
	if(f->health)
		ph_call_down_last(p->servers, p->nservers, server_down, &d);
	p->kind = PH_PLAN_SERVERS;
	if(f->caller == PH_CALLER_PHONE)
		p->identity = f->phone;
}

static void to_trunk(const ph_call_facts_t *f, ph_call_plan_t *p,
		const char *number, size_t len)
{
	if(ph_call_trunk(f->rules, f->matcher, number, len, p) < 0) {
		refuse(p, 404, "No Route");
		return;
	}
	p->kind = PH_PLAN_TRUNK;
}

static void clear(ph_call_plan_t *p)
{
	memset(p, 0, offsetof(ph_call_plan_t, servers));
	p->rule = NULL;
	p->trunk = NULL;
	p->number[0] = '\0';
	p->number_len = 0;
	p->rule_errors = 0;
	p->identity.s = NULL;
	p->identity.len = 0;
	p->devices.nsteps = 0;
	p->position = 0;
}

/* DEVICES when user has active devices and a step at or after from;
 * returns 1 then, 0 for no active device, -1 for none left after from. */
static int to_devices(
		const ph_call_facts_t *f, size_t from, ph_call_plan_t *p)
{
	if(f->devices == NULL || f->user.len == 0
			|| ph_devices_plan(f->devices, f->table, f->registering, f->user.s,
					   f->user.len, &p->devices)
					   == 0)
		return 0;
	if(from >= p->devices.nsteps)
		return -1;
	p->kind = PH_PLAN_DEVICES;
	p->position = from;
	return 1;
}

void ph_call_plan_devices(const ph_call_facts_t *f, ph_call_plan_t *p)
{
	int rc;

	clear(p);
	p->verdict = PH_CALL_NOT_FOUND;
	rc = to_devices(f, f->devices_from, p);
	if(rc == 0)
		refuse(p, 404, "Not Found");
	else if(rc < 0)
		refuse(p, 480, "Temporarily Unavailable");
}

void ph_call_plan(const ph_call_facts_t *f, ph_call_plan_t *p)
{
	const ph_entry_t *e = NULL, *cid_of;

	clear(p);
	p->verdict = ph_call_decide(
			f->table, f->caller, f->user.s, f->user.len, &e, &p->route);
	p->entry = e;
	if(f->caller == PH_CALLER_UNKNOWN || f->caller >= PH_CALLER_COUNT) {
		p->verdict = PH_CALL_NOT_FOUND;
		refuse(p, 403, "Forbidden");
		return;
	}
	if(f->caller == PH_CALLER_PHONE && !f->any_from
			&& (f->from_user.len != f->phone.len
					|| (f->phone.len
							&& memcmp(f->from_user.s, f->phone.s, f->phone.len)
									   != 0))) {
		refuse(p, 403, "From is not the authenticated phone");
		return;
	}
	if(f->user.len == 0) { /* nothing dialled */
		p->verdict = PH_CALL_NOT_FOUND;
		refuse(p, 404, "Not Found");
		return;
	}
	/* an Asterisk server's call to an extension with devices rings them */
	if(f->caller == PH_CALLER_SERVER && to_devices(f, 0, p) > 0)
		return;
	switch(p->verdict) {
		case PH_CALL_DEVICE:
			p->kind = PH_PLAN_CONTACTS;
			return;
		case PH_CALL_EXTERNAL:
			/* the trunk is told who calls: a phone of the table is its own
			 * entry's caller ID, a server's call the called entry's */
			cid_of = e;
			if(f->caller == PH_CALLER_PHONE) {
				cid_of = ph_table_by_extension(
						f->table, f->phone.s, f->phone.len);
				if(cid_of == NULL || cid_of->outbound_cid.len == 0)
					cid_of = e;
			}
			p->identity = cid_of->outbound_cid;
			to_trunk(f, p, e->dialplan_number.s, e->dialplan_number.len);
			return;
		case PH_CALL_DIAL_OUT:
			to_trunk(f, p, f->user.s, f->user.len);
			return;
		case PH_CALL_HOME_SERVER:
		case PH_CALL_DID:
			to_servers(f, p);
			return;
		default:
			refuse(p, 404, "Not Found");
	}
}
