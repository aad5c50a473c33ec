/*
 * kamailio-phones: a call to an extension with devices rings them, a
 * position at a time (core/devices.c plans; here the plan becomes tm
 * branches).
 *
 * The plan (core/call_plan.c: ph_call_plan for phones_call(),
 * ph_call_plan_devices for the functions here) gives the devices in ring
 * order and the step to start at; phones_devices_ring() carries it out:
 * the first position from there that can ring (a registered contact, or a
 * number a routing rule sends out a URI trunk). phones_devices() plans
 * from the first position, phones_next_devices(), in the failure route
 * (and phones_call_next()), from where the last one ended. Each position's
 * branches get its ring time as tm's timers. The position to go on from
 * and the extension are kept in AVPs of the transaction. A position none
 * of whose devices can ring now is skipped at once.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dprint.h"
#include "core/pt.h"
#include "core/dset.h"
#include "core/flags.h"
#include "core/mem/mem.h"
#include "core/parser/parse_uri.h"
#include "core/usr_avp.h"
#include "modules/tm/h_table.h"
#include "modules/tm/tm_load.h"
#include "modules/usrloc/usrloc.h"

#include "phones/call_plan.h"
#include "phones/devices.h"
#include "phones_auth.h"
#include "phones_devices.h"
#include "phones_stats.h"
#include "phones_store.h"

/* Branches of one position at most (devices x contacts). */
#define MAX_BRANCHES 64
#define URI_MAX 512

str phones_devices_domain = str_init("location");

static struct tm_binds tmb;
static int have_tm = 0;
static usrloc_api_t ul;
static int have_ul = 0;

static str avp_ext = str_init("phones_devices_ext");
static str avp_next = str_init("phones_devices_next");

int phones_devices_init(void)
{
	bind_usrloc_t bind;

	/* both optional: without them phones_devices() finds nothing */
	if(find_export("t_relay", 0, 0) && load_tm_api(&tmb) == 0)
		have_tm = 1;
	bind = (bind_usrloc_t)find_export("ul_bind_usrloc", 1, 0);
	if(bind && bind(&ul) == 0)
		have_ul = 1;
	else
		LM_INFO("no usrloc: devices that are phones never ring\n");
	return 0;
}

int phones_devices_child_init(int rank)
{
	udomain_t *dom;

	/* once, before the workers are forked: the domain the devices'
	 * contacts are in, should nothing else in the cfg name it */
	if(rank != PROC_INIT || !have_ul)
		return 0;
	if(ul.register_udomain(phones_devices_domain.s, &dom) < 0) {
		LM_ERR("cannot register usrloc domain '%.*s'\n",
				phones_devices_domain.len, phones_devices_domain.s);
		return -1;
	}
	return 0;
}

typedef struct dev_branch
{
	char uri[URI_MAX];
	char dst[URI_MAX];
	struct socket_info *sock;
	unsigned int bflags; /* the contact's branch flags (NAT, as lookup) */
} dev_branch_t;

typedef struct group
{
	dev_branch_t b[MAX_BRANCHES];
	int n;
} group_t;

/* This process's branches being built (a worker handles one request at a
 * time): no allocation per call. */
static group_t this_group;

static int put(group_t *g, const str *uri, const str *dst,
		struct socket_info *sock, unsigned int bflags)
{
	dev_branch_t *b;

	if(g->n >= MAX_BRANCHES || uri->len <= 0 || uri->len >= URI_MAX
			|| (dst && dst->len >= URI_MAX))
		return 0;
	b = &g->b[g->n++];
	memcpy(b->uri, uri->s, uri->len);
	b->uri[uri->len] = '\0';
	b->dst[0] = '\0';
	if(dst && dst->len > 0) {
		memcpy(b->dst, dst->s, dst->len);
		b->dst[dst->len] = '\0';
	}
	b->sock = sock;
	b->bflags = bflags;
	return 1;
}

/* The registered contacts of aor, as branches. Returns how many. */
static int contacts(group_t *g, const ph_sv_t *aor)
{
	static udomain_t *dom = NULL;
	urecord_t *r = NULL;
	ucontact_t *c;
	time_t now = time(NULL);
	str a;
	int n = 0;

	if(!have_ul)
		return 0;
	if(dom == NULL && ul.get_udomain(phones_devices_domain.s, &dom) < 0) {
		LM_ERR("no usrloc domain '%.*s'\n", phones_devices_domain.len,
				phones_devices_domain.s);
		dom = NULL;
		return 0;
	}
	a.s = (char *)aor->s;
	a.len = (int)aor->len;
	ul.lock_udomain(dom, &a);
	if(ul.get_urecord(dom, &a, &r) == 0) {
		for(c = r->contacts; c; c = c->next) {
			if(VALID_CONTACT(c, now))
				n += put(g, &c->c, c->received.len ? &c->received : NULL,
						c->sock, c->cflags);
		}
		ul.release_urecord(r);
	}
	ul.unlock_udomain(dom, &a);
	return n;
}

/* A device that is a number: out the URI trunk of the rule that matches
 * it (a dispatcher set cannot be one branch of several). */
static int number(group_t *g, phones_ref_t *ref, const ph_sv_t *num)
{
	static ph_call_plan_t plan;
	char uri[URI_MAX], dst[URI_MAX];
	ph_matcher_t *m = phones_matcher();
	str u, d;
	int rc;

	plan.rule_errors = 0;
	rc = m ? ph_call_trunk(ref->rules, m, num->s, num->len, &plan) : -1;
	if(plan.rule_errors)
		phones_stats_route_errors(plan.rule_errors);
	if(rc < 0)
		return 0;
	if(plan.trunk->kind == PH_TRUNK_DISPATCHER) {
		LM_WARN("number '%.*s' goes to dispatcher set %d: not a device's"
				" trunk (give its rule a URI trunk)\n",
				(int)num->len, num->s, plan.trunk->ds_set);
		return 0;
	}
	u.len = ph_trunk_request_uri(
			plan.trunk, plan.number, plan.number_len, uri, sizeof(uri));
	d.len = ph_trunk_uri(plan.trunk, dst, sizeof(dst));
	if(u.len < 0 || d.len < 0)
		return 0;
	u.s = uri;
	d.s = dst;
	return put(g, &u, &d, NULL, 0);
}

static void set_int_avp(str *name, int v)
{
	int_str n, val;

	n.s = *name;
	destroy_avps(AVP_NAME_STR, n, 1);
	val.n = v;
	add_avp(AVP_NAME_STR, n, val);
}

static void set_str_avp(str *name, const char *s, int len)
{
	int_str n, val;

	n.s = *name;
	destroy_avps(AVP_NAME_STR, n, 1);
	val.s.s = (char *)s;
	val.s.len = len;
	add_avp(AVP_NAME_STR | AVP_VAL_STR, n, val);
}

/* The request goes to the group's branches: the first in the Request-URI,
 * the others appended. */
static int to_branches(sip_msg_t *msg, group_t *g)
{
	str uri, dst;
	int i;

	clear_branches();
	for(i = 0; i < g->n; i++) {
		uri.s = g->b[i].uri;
		uri.len = (int)strlen(uri.s);
		dst.s = g->b[i].dst;
		dst.len = (int)strlen(dst.s);
		if(i == 0) {
			if(rewrite_uri(msg, &uri) < 0)
				return -1;
			if(dst.len ? set_dst_uri(msg, &dst) < 0 : (reset_dst_uri(msg), 0))
				return -1;
			msg->force_send_socket = g->b[i].sock;
			setbflagsval(0, g->b[i].bflags);
		} else if(append_branch(msg, &uri, dst.len ? &dst : NULL, NULL,
						  Q_UNSPECIFIED, g->b[i].bflags, g->b[i].sock, NULL,
						  0, NULL, NULL)
				  < 0) {
			return -1;
		}
	}
	return 0;
}

int phones_devices_ring(sip_msg_t *msg, phones_ref_t *ref,
		const ph_call_plan_t *cp, const char *ext, int elen)
{
	const ph_plan_t *plan = &cp->devices;
	uint32_t ring = 0;
	size_t from, n, i;
	group_t *g = &this_group;

	if(!have_tm || cp->kind != PH_PLAN_DEVICES)
		return -1;
	for(from = cp->position; from < plan->nsteps; from += n) {
		uint64_t can = 0;

		g->n = 0;
		n = ph_plan_group(plan, from, 0, &ring);
		for(i = 0; i < n; i++) {
			const ph_plan_step_t *st = &plan->steps[from + i];
			int got = 0;

			if(st->kind == PH_TARGET_CONTACTS)
				got = contacts(g, &st->target);
			else if(st->kind == PH_TARGET_NUMBER)
				got = number(g, ref, &st->target);
			if(got && i < 64)
				can |= (uint64_t)1 << i;
		}
		if(g->n == 0)
			continue; /* nobody of this position can ring: the next */
		ph_plan_group(plan, from, can, &ring);
		if(to_branches(msg, g) < 0) {
			LM_ERR("cannot set the branches for the devices of '%.*s'\n",
					elen, ext);
			return -1;
		}
		if(tmb.set_fr(msg, ring * 1000, ring * 1000) < 0)
			LM_WARN("cannot set the ring time of '%.*s'\n", elen, ext);
		set_int_avp(&avp_next, (int)(from + n));
		set_str_avp(&avp_ext, ext, elen);
		phones_stats_device_group();
		LM_INFO("devices of '%.*s': position %u rings %d branch(es) for %u"
				" s\n",
				elen, ext, plan->steps[from].device->position, g->n, ring);
		return g->n;
	}
	return 0;
}

/* The devices plan of ext from step `from` on (ph_call_plan_devices),
 * carried out: the count of branches, 0 when no position left can ring,
 * -1 when ext has no active device (or on error). */
static int plan_and_ring(
		sip_msg_t *msg, const char *ext, int elen, size_t from)
{
	static ph_call_plan_t plan;
	phones_devices_ref_t *dref;
	ph_call_facts_t f;
	phones_ref_t *ref;
	int rc = -1;

	ref = phones_store_acquire();
	dref = phones_devices_acquire();
	if(ref != NULL && dref != NULL) {
		memset(&f, 0, sizeof(f));
		f.user.s = ext;
		f.user.len = (uint32_t)elen;
		f.table = ref->table;
		f.devices = dref->devices;
		f.registering = phones_register_protocols;
		f.devices_from = from;
		ph_call_plan_devices(&f, &plan);
		if(plan.kind == PH_PLAN_DEVICES)
			rc = phones_devices_ring(msg, ref, &plan, ext, elen);
		else if(plan.code == 480)
			rc = 0; /* every position rung */
	}
	phones_devices_release(dref);
	phones_store_release(ref);
	return rc;
}

int phones_devices(sip_msg_t *msg)
{
	char ext[PH_MAX_EXTENSION + 1];
	int rc, len;

	if(msg->first_line.type != SIP_REQUEST || parse_sip_msg_uri(msg) < 0
			|| msg->parsed_uri.user.len <= 0
			|| msg->parsed_uri.user.len > PH_MAX_EXTENSION)
		return PHONES_DEVICES_NONE;
	/* the Request-URI is rewritten below */
	len = msg->parsed_uri.user.len;
	memcpy(ext, msg->parsed_uri.user.s, len);
	ext[len] = '\0';
	rc = plan_and_ring(msg, ext, len, 0);
	if(rc < 0)
		return PHONES_DEVICES_NONE;
	phones_stats_devices_call();
	if(rc == 0) {
		LM_INFO("devices of '%s': none can ring now\n", ext);
		return PHONES_DEVICES_UNAVAILABLE;
	}
	return rc;
}

/* Every branch of the transaction ended busy (486, 600, 603). */
static int all_busy(void)
{
	struct cell *t;
	int i, code;

	if(!have_tm)
		return 0;
	t = tmb.t_gett();
	if(t == NULL || t == T_UNDEFINED || t->nr_of_outgoings == 0)
		return 0;
	for(i = 0; i < t->nr_of_outgoings; i++) {
		code = t->uac[i].last_received;
		if(code != 486 && code != 600 && code != 603)
			return 0;
	}
	return 1;
}

int phones_next_devices(sip_msg_t *msg)
{
	char ext[PH_MAX_EXTENSION + 1];
	struct search_state st;
	int_str n, v;
	avp_t *a;
	int from, rc, len;

	n.s = avp_next;
	a = search_first_avp(AVP_NAME_STR, n, &v, &st);
	if(a == NULL)
		return PHONES_DEVICES_NONE;
	from = v.n;
	n.s = avp_ext;
	a = search_first_avp(AVP_NAME_STR, n, &v, &st);
	if(a == NULL || !(a->flags & AVP_VAL_STR) || v.s.len <= 0
			|| v.s.len > PH_MAX_EXTENSION)
		return PHONES_DEVICES_NONE;
	len = v.s.len;
	memcpy(ext, v.s.s, len);
	ext[len] = '\0';
	rc = plan_and_ring(msg, ext, len, (size_t)from);
	if(rc > 0)
		return rc;
	return all_busy() ? PHONES_DEVICES_BUSY : PHONES_DEVICES_UNAVAILABLE;
}

int phones_devices_describe(const char *ext, size_t elen,
		void (*cb)(void *arg, const ph_device_t *dev, const char *now),
		void *arg)
{
	phones_devices_ref_t *dref;
	phones_ref_t *ref;
	const ph_device_t *first;
	ph_plan_step_t st;
	char now[URI_MAX + 64];
	group_t *g;
	size_t n, i;

	g = &this_group;
	ref = phones_store_acquire();
	dref = phones_devices_acquire();
	n = (ref && dref) ? ph_devices_of(dref->devices, ext, elen, &first) : 0;
	for(i = 0; i < n; i++) {
		g->n = 0;
		st = ph_device_target(&first[i], ref->table, phones_register_protocols);
		if(!first[i].active)
			snprintf(now, sizeof(now), "inactive");
		else if(st.kind == PH_TARGET_SKIP)
			snprintf(now, sizeof(now),
					"cannot ring: not an active phone or a number");
		else if(st.kind == PH_TARGET_CONTACTS && contacts(g, &st.target) == 0)
			snprintf(now, sizeof(now), "cannot ring: not registered");
		else if(st.kind == PH_TARGET_CONTACTS)
			snprintf(now, sizeof(now), "rings %d contact(s)", g->n);
		else if(number(g, ref, &st.target) == 0)
			snprintf(now, sizeof(now), "cannot ring: no routing rule to a"
									   " URI trunk");
		else
			snprintf(now, sizeof(now), "rings %.500s", g->b[0].uri);
		cb(arg, &first[i], now);
	}
	phones_devices_release(dref);
	phones_store_release(ref);
	return (int)n;
}
