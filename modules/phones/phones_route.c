/*
 * kamailio-phones: the plan of a call (core/call_plan.c decides), carried
 * out on the request.
 *
 * phones_call() makes the plan from who sent the call (phones_caller.c),
 * its From, the Request-URI user, the snapshot, the devices, the servers'
 * health and the phone's last server, and carries it out: the registered
 * contacts (registrar's lookup), the devices' first position that can
 * ring (phones_devices_ring(), under the snapshot the plan was made
 * from), the first Asterisk server (phones_servers.c), or a trunk: the
 * rule's number as the Request-URI user, the trunk's host,
 * port and transport as its host and the destination, or the first
 * destination of a dispatcher set; the caller ID asserted, the timers
 * set. phones_call_next() goes on in the failure route with the next
 * position, server or destination.
 *
 * phones_route() is the lower-level interface of before: the same plan
 * without devices or the From check, carried out as far as the Request-URI
 * and the destination, its answer a return code.
 *
 * Everything comes from the snapshot in shared memory; each process
 * matches with a pcre2 matcher of its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/data_lump.h"
#include "core/dprint.h"
#include "core/dset.h"
#include "core/mem/mem.h"
#include "core/mem/shm_mem.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_uri.h"
#include "core/sr_module.h"
#include "core/usr_avp.h"
#include "modules/dispatcher/api.h"
#include "modules/registrar/api.h"
#include "modules/tm/h_table.h"
#include "modules/tm/tm_load.h"

#include "phones/call_plan.h"
#include "phones/route_check.h"
#include "phones/sip_user.h"
#include "phones_auth.h"
#include "phones_caller.h"
#include "phones_devices.h"
#include "phones_route.h"
#include "phones_servers.h"
#include "phones_stats.h"
#include "phones_store.h"

int phones_pai_outbound_cid = 0;
int phones_server_timeout = 0;
int phones_trunk_timeout = 0;
int phones_phone_any_from = 0;

/* A dispatcher set's destinations are taken by priority (the dispatcher's
 * algorithm 8), the next one on failure. */
#define DS_BY_PRIORITY 8

static struct tm_binds tmb;
static int have_tm = 0;
static registrar_api_t regb;
static int have_registrar = 0;
static dispatcher_api_t dsb;
static int have_dispatcher = 0;

/* What phones_call() carried out, for phones_call_next(). */
static str avp_plan = str_init("phones_plan");

/* What the last phones_route() / phones_call() decided, for
 * $phones(...): valid for the message it was made for only. */
static struct
{
	unsigned int msg_id;
	int msg_pid;
	int ds_set; /* -1: none */
	long long rule_id;
	ph_call_verdict_t verdict;
	int code; /* a refusal's; 0: none */
	char reason[64];
	char extension[PH_MAX_EXTENSION + 1];
	char number[PH_MAX_ROUTE_NUMBER + 1];
	char trunk[PH_MAX_TRUNK + 1];
	char server[INET6_ADDRSTRLEN];
} last;

/* Spreads carriers' calls over the servers: shared by every process. */
static unsigned int *did_turn = NULL;

int phones_route_init(void)
{
	bind_registrar_f bind_reg;

	did_turn = shm_malloc(sizeof(*did_turn));
	if(did_turn == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	*did_turn = 0;
	/* each optional: phones_call() says what is missing when it is */
	if(find_export("t_relay", 0, 0) && load_tm_api(&tmb) == 0)
		have_tm = 1;
	bind_reg = (bind_registrar_f)find_export("bind_registrar", 0, 0);
	if(bind_reg && bind_reg(&regb) == 0)
		have_registrar = 1;
	if(find_export("bind_dispatcher", 0, 0) && dispatcher_load_api(&dsb) == 0)
		have_dispatcher = 1;
	return 0;
}

void phones_route_destroy(void)
{
	if(did_turn)
		shm_free(did_turn);
	did_turn = NULL;
}

/* What a plan carried out, copied out of the snapshot before it is
 * released. */
typedef struct route_result
{
	char extension[PH_MAX_EXTENSION + 1];
	char cid[PH_MAX_OUTBOUND_CID + 1];
	char number[PH_MAX_ROUTE_NUMBER + 1];
	char trunk_uri[PH_MAX_TRUNK + 16]; /* as a destination URI */
	char ruri[PH_MAX_TRUNK + PH_MAX_ROUTE_NUMBER + 16]; /* URI trunk's */
	char trunk_text[PH_MAX_TRUNK + 1];
	char host[PH_MAX_TRUNK + 1];
	char phone[PH_MAX_EXTENSION + 1]; /* the caller, when a phone */
	long long rule_id;
	int ds_set; /* -1 for a URI trunk */
	ph_caller_t caller;
	ph_call_verdict_t verdict;
	ph_call_kind_t kind;
	int code; /* REFUSED */
	const char *reason;
	char server[INET6_ADDRSTRLEN]; /* the Asterisk server chosen */
} route_result_t;

static void copy_sv(char *out, size_t size, const char *s, size_t len)
{
	if(len >= size)
		len = size - 1;
	if(len)
		memcpy(out, s, len);
	out[len] = '\0';
}

/* The plan of msg under ref (and dref, for devices; may be NULL). The
 * From is checked when check_from is set. Statistics counted. */
static void make_plan(sip_msg_t *msg, phones_ref_t *ref,
		phones_devices_ref_t *dref, int check_from, ph_call_plan_t *plan,
		route_result_t *res)
{
	char lastip[INET6_ADDRSTRLEN];
	ph_call_facts_t f;
	struct sip_uri *from;

	memset(&f, 0, sizeof(f));
	res->caller = phones_caller_held(msg, res->phone, ref);
	f.caller = res->caller;
	f.phone.s = res->phone;
	f.phone.len = (uint32_t)strlen(res->phone);
	f.any_from = !check_from || phones_phone_any_from;
	if(!f.any_from && f.caller == PH_CALLER_PHONE
			&& (from = parse_from_uri(msg)) != NULL) {
		f.from_user.s = from->user.s;
		f.from_user.len = (uint32_t)from->user.len;
	}
	f.user.s = msg->parsed_uri.user.s;
	f.user.len = (uint32_t)msg->parsed_uri.user.len;
	f.table = ref->table;
	f.rules = ref->rules;
	f.matcher = phones_matcher();
	f.peers = ref->peers;
	f.devices = dref ? dref->devices : NULL;
	f.registering = phones_register_protocols;
	if(f.caller == PH_CALLER_PHONE
			&& phones_last_server_get(res->phone, lastip, sizeof(lastip))
					   == 0) {
		f.last_server.s = lastip;
		f.last_server.len = (uint32_t)strlen(lastip);
	}
	if(f.caller == PH_CALLER_CARRIER)
		f.turn = __atomic_fetch_add(did_turn, 1, __ATOMIC_RELAXED);
	f.health = phones_servers_health();
	ph_call_plan(&f, plan);
	res->kind = plan->kind;
	res->verdict = plan->verdict;
	res->code = plan->code;
	res->reason = plan->reason;
	if(plan->entry)
		copy_sv(res->extension, sizeof(res->extension),
				plan->entry->extension.s, plan->entry->extension.len);
	if(plan->rule_errors) {
		phones_stats_route_errors(plan->rule_errors);
		LM_WARN("%u routing rule(s) failed on a number (match limit or bad"
				" result): skipped\n",
				plan->rule_errors);
	}
	if(plan->kind == PH_PLAN_REFUSED && plan->code == 404
			&& strcmp(plan->reason, "No Route") == 0) {
		phones_stats_route_no_rule();
		LM_INFO("no routing rule matches the number%s%s\n",
				res->extension[0] ? " of EXTERNAL entry " : "", res->extension);
	}
	if(plan->kind == PH_PLAN_REFUSED && plan->code == 503)
		LM_WARN("no Asterisk server to send the call to (%s%s%s)\n",
				ph_caller_name(res->caller), res->phone[0] ? " " : "",
				res->phone);
	phones_stats_route(plan->route);
	phones_stats_call(res->caller, plan->verdict);
}

/* A trunk plan's number, trunk and caller ID into res. */
static int trunk_of(ph_call_plan_t *plan, route_result_t *res)
{
	const ph_trunk_t *trunk = plan->trunk;

	copy_sv(res->number, sizeof(res->number), plan->number, plan->number_len);
	copy_sv(res->cid, sizeof(res->cid), plan->identity.s, plan->identity.len);
	res->rule_id = ph_rule_id(plan->rule);
	res->ds_set = -1;
	if(trunk->kind == PH_TRUNK_DISPATCHER) {
		res->ds_set = trunk->ds_set;
		snprintf(res->trunk_text, sizeof(res->trunk_text), "ds:%d",
				trunk->ds_set);
		return 0;
	}
	if(ph_trunk_uri(trunk, res->trunk_uri, sizeof(res->trunk_uri)) < 0
			|| ph_trunk_request_uri(trunk, res->number, strlen(res->number),
					   res->ruri, sizeof(res->ruri))
					   < 0)
		return -1;
	copy_sv(res->trunk_text, sizeof(res->trunk_text), res->trunk_uri,
			strlen(res->trunk_uri));
	copy_sv(res->host, sizeof(res->host), trunk->host, trunk->host_len);
	return 0;
}

/* sip:<number>@<trunk host:port;transport>, or for a dispatcher set
 * sip:<number>@<the request's own host:port;params>. */
static int new_ruri(sip_msg_t *msg, route_result_t *res, char *out, size_t size)
{
	struct sip_uri *u = &msg->parsed_uri;

	if(res->ds_set < 0) {
		copy_sv(out, size, res->ruri, strlen(res->ruri));
		return strlen(res->ruri) < size ? (int)strlen(res->ruri) : -1;
	}
	copy_sv(res->host, sizeof(res->host), u->host.s, (size_t)u->host.len);
	return ph_sip_uri(out, size, u->type == SIPS_URI_T ? "sips" : "sip",
			res->number, strlen(res->number), u->host.s, (size_t)u->host.len,
			u->port_no, u->params.s, (size_t)u->params.len);
}

/* Replaces any P-Asserted-Identity with <sip:user@host>. */
static int set_pai(sip_msg_t *msg, const char *user, const char *host)
{
	char uri[PH_MAX_EXTENSION + PH_MAX_TRUNK + 16];
	struct hdr_field *h;
	struct lump *anchor;
	char *hdr;
	int len, n;

	n = ph_sip_uri(uri, sizeof(uri), NULL, user, strlen(user), host,
			strlen(host), 0, NULL, 0);
	if(n < 0)
		return -1;
	if(parse_headers(msg, HDR_EOH_F, 0) < 0)
		return -1;
	for(h = msg->headers; h; h = h->next) {
		if(h->type == HDR_PAI_T
				&& del_lump(msg, h->name.s - msg->buf, h->len, 0) == 0)
			return -1;
	}
	anchor = anchor_lump(msg, msg->unparsed - msg->buf, 0, 0);
	if(anchor == NULL)
		return -1;
	len = (int)(sizeof("P-Asserted-Identity: <>\r\n") - 1) + n;
	hdr = pkg_malloc(len + 1);
	if(hdr == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	snprintf(hdr, len + 1, "P-Asserted-Identity: <%s>\r\n", uri);
	if(insert_new_lump_before(anchor, hdr, len, 0) == NULL) {
		pkg_free(hdr);
		return -1;
	}
	return 0;
}

/* The trunk's caller ID, when the module asserts one. */
static int assert_cid(sip_msg_t *msg, route_result_t *res)
{
	if(!phones_pai_outbound_cid)
		return 0;
	if(!ph_sip_user_valid(res->cid, strlen(res->cid))) {
		if(res->cid[0])
			LM_WARN("outbound_cid of '%s' is not a SIP user: no"
					" P-Asserted-Identity\n",
					res->extension);
		return 0;
	}
	if(set_pai(msg, res->cid, res->host) < 0) {
		LM_ERR("cannot set P-Asserted-Identity for '%s'\n", res->extension);
		return -1;
	}
	return 0;
}

/* Out the trunk: the Request-URI, and the destination of a URI trunk. */
static int to_trunk(sip_msg_t *msg, route_result_t *res)
{
	char uri[PH_MAX_TRUNK + PH_MAX_ROUTE_NUMBER + 64];
	str s;
	int n;

	n = new_ruri(msg, res, uri, sizeof(uri));
	s.s = uri;
	s.len = n;
	if(n < 0 || rewrite_uri(msg, &s) < 0) {
		LM_ERR("cannot rewrite the Request-URI for '%s'\n", res->extension);
		return -1;
	}
	if(res->ds_set < 0) {
		s.s = res->trunk_uri;
		s.len = (int)strlen(res->trunk_uri);
		if(set_dst_uri(msg, &s) < 0)
			return -1;
	}
	return 0;
}

static void remember(sip_msg_t *msg, route_result_t *res, int trunk)
{
	last.msg_id = msg->id;
	last.msg_pid = msg->pid;
	last.verdict = res->verdict;
	last.code = res->kind == PH_PLAN_REFUSED ? res->code : 0;
	copy_sv(last.reason, sizeof(last.reason), last.code ? res->reason : "",
			last.code ? strlen(res->reason) : 0);
	copy_sv(last.server, sizeof(last.server), res->server, strlen(res->server));
	last.ds_set = trunk ? res->ds_set : -1;
	last.rule_id = trunk ? res->rule_id : -1;
	copy_sv(last.extension, sizeof(last.extension), res->extension,
			strlen(res->extension));
	copy_sv(last.number, sizeof(last.number), res->number, strlen(res->number));
	copy_sv(last.trunk, sizeof(last.trunk), res->trunk_text,
			strlen(res->trunk_text));
}

static void log_call(sip_msg_t *msg, const char *called, route_result_t *res,
		const char *how)
{
	char tail[PH_MAX_TRUNK + 80] = "";

	if(res->kind == PH_PLAN_REFUSED && how[0])
		snprintf(tail, sizeof(tail), " %s %d %s", how, res->code, res->reason);
	else if(how[0])
		snprintf(tail, sizeof(tail), " %s %s", how,
				res->kind == PH_PLAN_TRUNK ? res->trunk_text : res->server);
	LM_INFO("call from %s%s%s to '%s': %s%s\n", ph_caller_name(res->caller),
			res->caller == PH_CALLER_PHONE ? " " : "",
			res->caller == PH_CALLER_PHONE ? res->phone : "",
			ph_sip_user_valid(called, strlen(called)) ? called : "?",
			ph_call_verdict_name(res->verdict), tail);
}

/* A request with a user to plan for; the user as called, for the log. */
static int plannable(sip_msg_t *msg, char *called)
{
	if(msg->first_line.type != SIP_REQUEST || parse_sip_msg_uri(msg) < 0
			|| msg->parsed_uri.user.len <= 0)
		return 0;
	copy_sv(called, PH_MAX_EXTENSION + 1, msg->parsed_uri.user.s,
			(size_t)msg->parsed_uri.user.len);
	return 1;
}

int phones_route(sip_msg_t *msg)
{
	static ph_call_plan_t plan;
	char called[PH_MAX_EXTENSION + 1];
	route_result_t res;
	phones_ref_t *ref;
	int rc = PHONES_ROUTE_UNKNOWN;

	memset(&res, 0, sizeof(res));
	res.ds_set = -1;
	res.verdict = PH_CALL_NOT_FOUND;
	if(!plannable(msg, called)) {
		remember(msg, &res, 0);
		return PHONES_ROUTE_UNKNOWN;
	}
	if(phones_matcher() == NULL)
		return PHONES_ROUTE_ERROR;
	ref = phones_store_acquire();
	if(ref == NULL)
		return PHONES_ROUTE_UNKNOWN;
	make_plan(msg, ref, NULL, 0, &plan, &res);
	switch(plan.kind) {
		case PH_PLAN_CONTACTS:
			if(res.caller == PH_CALLER_SERVER)
				phones_last_server_set(
						res.extension, ip_addr2a(&msg->rcv.src_ip));
			rc = PHONES_ROUTE_DEVICE;
			break;
		case PH_PLAN_TRUNK:
			rc = PHONES_ROUTE_REWRITTEN;
			if(trunk_of(&plan, &res) < 0 || to_trunk(msg, &res) < 0
					|| assert_cid(msg, &res) < 0)
				rc = PHONES_ROUTE_ERROR;
			break;
		case PH_PLAN_SERVERS:
			rc = PHONES_ROUTE_SERVER;
			if(phones_servers_send(
					   msg, ref->peers, plan.servers, plan.nservers, res.server)
					< 0) {
				LM_ERR("cannot send the call to Asterisk server %s\n",
						ph_peers_server_ip(ref->peers, plan.servers[0]));
				rc = PHONES_ROUTE_ERROR;
			}
			break;
		default:
			rc = plan.code == 503 ? PHONES_ROUTE_NO_SERVER
				 : (plan.code == 404 && strcmp(plan.reason, "No Route") == 0)
						 ? PHONES_ROUTE_NO_RULE
						 : PHONES_ROUTE_UNKNOWN;
	}
	phones_store_release(ref);
	remember(msg, &res, rc == PHONES_ROUTE_REWRITTEN);
	log_call(msg, called, &res,
			rc == PHONES_ROUTE_REWRITTEN
					? "via"
					: (rc == PHONES_ROUTE_SERVER ? "to" : ""));
	return rc;
}

static void set_int_avp(str *name, int v)
{
	int_str n, val;

	n.s = *name;
	destroy_avps(AVP_NAME_STR, n, 1);
	val.n = v;
	add_avp(AVP_NAME_STR, n, val);
}

static int plan_done(void)
{
	struct search_state st;
	int_str n, v;

	n.s = avp_plan;
	if(search_first_avp(AVP_NAME_STR, n, &v, &st) == NULL)
		return -1;
	return v.n;
}

static void set_timer(sip_msg_t *msg, int ms)
{
	if(ms > 0 && have_tm && tmb.set_fr(msg, 0, (unsigned int)ms) < 0)
		LM_WARN("cannot set the timer of the call\n");
}

static void refuse(route_result_t *res, int code, const char *reason)
{
	res->kind = PH_PLAN_REFUSED;
	res->code = code;
	res->reason = reason;
}

/* The registered contacts of the entry called. */
static void to_contacts(sip_msg_t *msg, route_result_t *res)
{
	int rc;

	if(!have_registrar) {
		LM_ERR("phones_call() needs the registrar module for calls to"
			   " phones: load registrar.so\n");
		refuse(res, 500, "Server Error");
		return;
	}
	rc = regb.lookup(msg, &phones_devices_domain);
	if(rc == -2)
		refuse(res, 405, "Method Not Allowed");
	else if(rc < 0)
		refuse(res, 404, "Not Found");
}

int phones_call(sip_msg_t *msg)
{
	static ph_call_plan_t plan;
	char called[PH_MAX_EXTENSION + 1], ri[INET6_ADDRSTRLEN];
	phones_devices_ref_t *dref;
	route_result_t res;
	phones_ref_t *ref;
	int n = 0;

	memset(&res, 0, sizeof(res));
	res.ds_set = -1;
	res.verdict = PH_CALL_NOT_FOUND;
	if(!plannable(msg, called)) {
		refuse(&res, 404, "Not Found");
		remember(msg, &res, 0);
		return -1;
	}
	if(phones_matcher() == NULL || (ref = phones_store_acquire()) == NULL) {
		refuse(&res, 500, "Server Error");
		remember(msg, &res, 0);
		return -1;
	}
	dref = phones_devices_acquire();
	make_plan(msg, ref, dref, 1, &plan, &res);
	switch(plan.kind) {
		case PH_PLAN_CONTACTS:
			if(res.caller == PH_CALLER_SERVER)
				phones_last_server_set(
						res.extension, ip_addr2a(&msg->rcv.src_ip));
			break;
		case PH_PLAN_DEVICES:
			n = phones_devices_ring(
					msg, ref, &plan, called, (int)strlen(called));
			break;
		case PH_PLAN_TRUNK:
			if(trunk_of(&plan, &res) < 0 || to_trunk(msg, &res) < 0
					|| assert_cid(msg, &res) < 0)
				refuse(&res, 500, "Server Error");
			break;
		case PH_PLAN_SERVERS:
			if(phones_servers_send(
					   msg, ref->peers, plan.servers, plan.nservers, res.server)
					< 0) {
				LM_ERR("cannot send the call to Asterisk server %s\n",
						ph_peers_server_ip(ref->peers, plan.servers[0]));
				refuse(&res, 500, "Server Error");
			}
			break;
		default:
			break;
	}
	phones_devices_release(dref);
	phones_store_release(ref);
	switch(res.kind) {
		case PH_PLAN_CONTACTS:
			to_contacts(msg, &res);
			break;
		case PH_PLAN_DEVICES:
			phones_stats_devices_call();
			if(n == 0)
				LM_INFO("devices of '%s': none can ring now\n", called);
			if(n <= 0)
				refuse(&res, 480, "Temporarily Unavailable");
			break;
		case PH_PLAN_TRUNK:
			if(res.ds_set >= 0) {
				if(!have_dispatcher
						|| dsb.select(msg, res.ds_set, DS_BY_PRIORITY, 0) < 0) {
					LM_NOTICE("no destination of dispatcher set %d\n",
							res.ds_set);
					refuse(&res, 503, "No Trunk Available");
					break;
				}
			}
			set_timer(msg, phones_trunk_timeout);
			break;
		case PH_PLAN_SERVERS:
			/* a phone's call: the server is told the extension it
			 * authenticated as */
			if(res.caller == PH_CALLER_PHONE) {
				copy_sv(ri, sizeof(ri), ip_addr2a(&msg->rcv.dst_ip),
						strlen(ip_addr2a(&msg->rcv.dst_ip)));
				if(set_pai(msg, res.phone, ri) < 0)
					refuse(&res, 500, "Server Error");
			}
			set_timer(msg, phones_server_timeout);
			break;
		default:
			break;
	}
	set_int_avp(&avp_plan, res.kind);
	remember(msg, &res, res.kind == PH_PLAN_TRUNK);
	log_call(msg, called, &res,
			res.kind == PH_PLAN_TRUNK	  ? "via"
			: res.kind == PH_PLAN_SERVERS ? "to"
			: res.kind == PH_PLAN_REFUSED ? "refused"
										  : "");
	return res.kind == PH_PLAN_REFUSED ? -1 : 1;
}

/* The branch that ended last failed as a server or trunk fails: no
 * answer at all, 408 or 5xx. */
static int branch_failed(struct cell *t)
{
	int code;

	if(t->nr_of_outgoings == 0)
		return 0;
	code = t->uac[t->nr_of_outgoings - 1].last_received;
	return code == 0 || code == 408 || (code >= 500 && code < 600);
}

int phones_call_next(sip_msg_t *msg)
{
	route_result_t res;
	struct cell *t;
	int kind, rc;

	memset(&res, 0, sizeof(res));
	res.kind = PH_PLAN_KIND_COUNT;
	remember(msg, &res, 0);
	if(!have_tm)
		return -1;
	t = tmb.t_gett();
	if(t == NULL || t == T_UNDEFINED || was_cancelled(t))
		return -1;
	kind = plan_done();
	switch(kind) {
		case PH_PLAN_DEVICES:
			rc = phones_next_devices(msg);
			if(rc > 0)
				return 1;
			if(rc == PHONES_DEVICES_BUSY)
				refuse(&res, 486, "Busy Here");
			else
				refuse(&res, 480, "Temporarily Unavailable");
			remember(msg, &res, 0);
			return -1;
		case PH_PLAN_SERVERS:
			if(!branch_failed(t) || phones_next_server(msg) < 0)
				return -1;
			set_timer(msg, phones_server_timeout);
			return 1;
		case PH_PLAN_TRUNK:
			if(!branch_failed(t) || !have_dispatcher || dsb.next(msg, 0) < 0)
				return -1;
			LM_NOTICE("trunk failed, trying %.*s\n", msg->dst_uri.len,
					msg->dst_uri.s);
			set_timer(msg, phones_trunk_timeout);
			return 1;
		default:
			return -1;
	}
}

/* $phones(name) */
enum
{
	PV_DS_SET,
	PV_RULE,
	PV_EXTENSION,
	PV_NUMBER,
	PV_TRUNK,
	PV_CALLER,
	PV_CALL,
	PV_SERVER,
	PV_CODE,
	PV_REASON
};

int pv_parse_phones_name(pv_spec_p sp, str *in)
{
	static const char *const names[] = {"ds_set", "rule", "extension", "number",
			"trunk", "caller", "call", "server", "code", "reason"};
	int i;

	if(in == NULL || in->s == NULL)
		return -1;
	for(i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
		if(in->len == (int)strlen(names[i])
				&& strncmp(in->s, names[i], in->len) == 0) {
			sp->pvp.pvn.type = PV_NAME_INTSTR;
			sp->pvp.pvn.u.isname.type = 0;
			sp->pvp.pvn.u.isname.name.n = i;
			return 0;
		}
	}
	LM_ERR("unknown $phones(%.*s): use ds_set, rule, extension, number,"
		   " trunk, caller, call, server, code or reason\n",
			in->len, in->s);
	return -1;
}

static int strz_or_null(
		sip_msg_t *msg, pv_param_t *param, pv_value_t *res, char *s)
{
	return s[0] ? pv_get_strzval(msg, param, res, s)
				: pv_get_null(msg, param, res);
}

int pv_get_phones(sip_msg_t *msg, pv_param_t *param, pv_value_t *res)
{
	static char caller[PH_MAX_EXTENSION + 1];

	if(msg == NULL)
		return pv_get_null(msg, param, res);
	if(param->pvn.u.isname.name.n == PV_CALLER) {
		/* known before phones_route(): from phones_caller()/phones_auth() */
		return pv_get_strzval(msg, param, res,
				(char *)ph_caller_name(phones_caller_of(msg, caller)));
	}
	if(last.msg_id != msg->id || last.msg_pid != msg->pid)
		return pv_get_null(msg, param, res);
	switch(param->pvn.u.isname.name.n) {
		case PV_CALL:
			return pv_get_strzval(msg, param, res,
					(char *)ph_call_verdict_name(last.verdict));
		case PV_SERVER:
			return strz_or_null(msg, param, res, last.server);
		case PV_CODE:
			return last.code ? pv_get_sintval(msg, param, res, last.code)
							 : pv_get_null(msg, param, res);
		case PV_REASON:
			return strz_or_null(msg, param, res, last.reason);
		case PV_DS_SET:
			return last.ds_set < 0
						   ? pv_get_null(msg, param, res)
						   : pv_get_sintval(msg, param, res, last.ds_set);
		case PV_RULE:
			return last.rule_id < 0 ? pv_get_null(msg, param, res)
									: pv_get_sintval(msg, param, res,
											(long)last.rule_id);
		case PV_EXTENSION:
			return strz_or_null(msg, param, res, last.extension);
		case PV_NUMBER:
			return strz_or_null(msg, param, res, last.number);
		case PV_TRUNK:
			return strz_or_null(msg, param, res, last.trunk);
	}
	return pv_get_null(msg, param, res);
}
