/*
 * kamailio-phones: where a call goes (core/call_route.c decides), carried
 * out on the request.
 *
 * phones_route() looks the Request-URI user up as an extension, then as a
 * dialplan number, and decides from who sent the call (phones_caller.c):
 * a device's calls go on to its registered contacts; an EXTERNAL entry's
 * number, and a number an Asterisk server dials, go out by the first
 * routing rule that matches: the rule gives the new Request-URI user, and
 * its trunk the Request-URI host, port and transport and the destination
 * URI (a trunk that is a dispatcher set leaves the host to the script's
 * ds_select_dst() and hands it the set in $phones(ds_set)); a phone's call
 * to a number goes to its home server, a carrier's to the servers
 * (phones_servers.c).
 *
 * Everything comes from the snapshot in shared memory; each process matches
 * with a pcre2 matcher of its own.
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
#include "core/parser/parse_uri.h"

#include "phones/call_route.h"
#include "phones/route_check.h"
#include "phones/sip_user.h"
#include "phones_caller.h"
#include "phones_route.h"
#include "phones_servers.h"
#include "phones_stats.h"
#include "phones_store.h"

int phones_pai_outbound_cid = 0;
int phones_match_limit = 100000;
int phones_depth_limit = 1000;

/* This process's matcher, made on first use. */
static ph_matcher_t *matcher = NULL;

ph_matcher_t *phones_matcher(void)
{
	if(matcher == NULL) {
		matcher = ph_matcher_new(
				(uint32_t)phones_match_limit, (uint32_t)phones_depth_limit);
		if(matcher == NULL)
			LM_ERR("out of memory for the pcre2 matcher\n");
	}
	return matcher;
}

/* What the last phones_route() call decided, for $phones(...): valid for
 * the message it was made for only. */
static struct
{
	unsigned int msg_id;
	int msg_pid;
	int ds_set; /* -1: none */
	long long rule_id;
	ph_call_verdict_t verdict;
	char extension[PH_MAX_EXTENSION + 1];
	char number[PH_MAX_ROUTE_NUMBER + 1];
	char trunk[PH_MAX_TRUNK + 1];
	char server[INET6_ADDRSTRLEN];
} last;

/* Spreads carriers' calls over the servers: shared by every process. */
static unsigned int *did_turn = NULL;

int phones_route_init(void)
{
	did_turn = shm_malloc(sizeof(*did_turn));
	if(did_turn == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	*did_turn = 0;
	return 0;
}

void phones_route_destroy(void)
{
	if(did_turn)
		shm_free(did_turn);
	did_turn = NULL;
}

/* The entry and rule a decision was made with, copied out of the snapshot
 * before it is released. */
typedef struct route_result
{
	char extension[PH_MAX_EXTENSION + 1];
	char cid[PH_MAX_OUTBOUND_CID + 1];
	char number[PH_MAX_ROUTE_NUMBER + 1];
	char trunk_uri[PH_MAX_TRUNK + 16]; /* as a destination URI */
	char trunk_text[PH_MAX_TRUNK + 1];
	char host[PH_MAX_TRUNK + 1];
	long long rule_id;
	int ds_set; /* -1 for a URI trunk */
	ph_caller_t caller;
	ph_call_verdict_t verdict;
	char server[INET6_ADDRSTRLEN]; /* the Asterisk server chosen */
} route_result_t;

static void copy_sv(char *out, size_t size, const char *s, size_t len)
{
	if(len >= size)
		len = size - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* The rules on number (an EXTERNAL entry's, or the number a server
 * dials): the trunk and new number into res. */
static int to_trunk(phones_ref_t *ref, const char *number, size_t numlen,
		route_result_t *res)
{
	char out[PH_MAX_ROUTE_NUMBER + 1];
	const ph_trunk_t *trunk;
	const ph_rule_t *rule;
	unsigned errors = 0;
	size_t len = 0;

	rule = ph_rules_translate(ref->rules, matcher, number, numlen, out,
			sizeof(out), &len, &errors);
	if(errors) {
		phones_stats_route_errors(errors);
		LM_WARN("%u routing rule(s) failed on number '%.*s' (match limit or"
				" bad result): skipped\n",
				errors, (int)numlen, number);
	}
	if(rule == NULL) {
		phones_stats_route_no_rule();
		LM_INFO("no routing rule matches number '%.*s'%s%s\n", (int)numlen,
				number, res->extension[0] ? " of EXTERNAL entry " : "",
				res->extension);
		return PHONES_ROUTE_NO_RULE;
	}
	copy_sv(res->number, sizeof(res->number), out, len);
	res->rule_id = ph_rule_id(rule);
	trunk = ph_rule_trunk(rule);
	res->ds_set = -1;
	if(trunk->kind == PH_TRUNK_DISPATCHER) {
		res->ds_set = trunk->ds_set;
		snprintf(res->trunk_text, sizeof(res->trunk_text), "ds:%d",
				trunk->ds_set);
	} else {
		if(ph_trunk_uri(trunk, res->trunk_uri, sizeof(res->trunk_uri)) < 0)
			return PHONES_ROUTE_ERROR;
		copy_sv(res->trunk_text, sizeof(res->trunk_text), res->trunk_uri,
				strlen(res->trunk_uri));
		copy_sv(res->host, sizeof(res->host), trunk->host, trunk->host_len);
	}
	return PHONES_ROUTE_REWRITTEN;
}

/* arg: the peers the index is into */
static int server_down(uint32_t index, void *arg)
{
	return phones_server_is_down(ph_peers_server_ip(arg, index));
}

/* A phone's call to its home server, or a carrier's to the servers. */
static int to_servers(sip_msg_t *msg, phones_ref_t *ref, const char *caller,
		route_result_t *res)
{
	uint32_t servers[PH_MAX_PEERS];
	char lastip[INET6_ADDRSTRLEN];
	const ph_entry_t *phone;
	size_t n;

	if(res->verdict == PH_CALL_HOME_SERVER) {
		phone = ph_table_by_extension(ref->table, caller, strlen(caller));
		if(phones_last_server_get(caller, lastip, sizeof(lastip)) < 0)
			lastip[0] = '\0';
		n = ph_call_home_servers(ref->peers, phone, lastip, strlen(lastip),
				servers, PH_MAX_PEERS);
	} else {
		n = ph_call_all_servers(ref->peers,
				__atomic_fetch_add(did_turn, 1, __ATOMIC_RELAXED), servers,
				PH_MAX_PEERS);
	}
	if(n == 0) {
		LM_WARN("no Asterisk server to send the call to (%s%s%s)\n",
				ph_caller_name(res->caller), caller[0] ? " " : "", caller);
		return PHONES_ROUTE_NO_SERVER;
	}
	ph_call_down_last(servers, n, server_down, ref->peers);
	if(phones_servers_send(msg, ref->peers, servers, n, res->server) < 0) {
		LM_ERR("cannot send the call to Asterisk server %s\n",
				ph_peers_server_ip(ref->peers, servers[0]));
		return PHONES_ROUTE_ERROR;
	}
	return PHONES_ROUTE_SERVER;
}

/* Decides under a snapshot reference and carries out what needs the
 * snapshot; copies what the rewrite needs. */
static int decide(sip_msg_t *msg, str *user, route_result_t *res)
{
	char caller[PH_MAX_EXTENSION + 1];
	const ph_entry_t *e, *cid_of;
	ph_route_verdict_t v;
	phones_ref_t *ref;
	int rc = PHONES_ROUTE_UNKNOWN;

	ref = phones_store_acquire();
	if(ref == NULL)
		return PHONES_ROUTE_UNKNOWN;
	res->caller = phones_caller_held(msg, caller, ref);
	res->verdict = ph_call_decide(
			ref->table, res->caller, user->s, (size_t)user->len, &e, &v);
	phones_stats_route(v);
	phones_stats_call(res->caller, res->verdict);
	if(e)
		copy_sv(res->extension, sizeof(res->extension), e->extension.s,
				e->extension.len);
	switch(res->verdict) {
		case PH_CALL_DEVICE:
			if(res->caller == PH_CALLER_SERVER)
				phones_last_server_set(
						res->extension, ip_addr2a(&msg->rcv.src_ip));
			rc = PHONES_ROUTE_NOT_EXTERNAL;
			break;
		case PH_CALL_EXTERNAL:
			/* the trunk is told who calls: a phone of the table is its own
			 * entry's caller ID, a server's call the called entry's */
			cid_of = e;
			if(res->caller == PH_CALLER_PHONE) {
				cid_of = ph_table_by_extension(
						ref->table, caller, strlen(caller));
				if(cid_of == NULL || cid_of->outbound_cid.len == 0)
					cid_of = e;
			}
			copy_sv(res->cid, sizeof(res->cid), cid_of->outbound_cid.s,
					cid_of->outbound_cid.len);
			rc = to_trunk(
					ref, e->dialplan_number.s, e->dialplan_number.len, res);
			break;
		case PH_CALL_DIAL_OUT:
			rc = to_trunk(ref, user->s, (size_t)user->len, res);
			break;
		case PH_CALL_HOME_SERVER:
		case PH_CALL_DID:
			rc = to_servers(msg, ref, caller, res);
			break;
		default:
			rc = PHONES_ROUTE_UNKNOWN;
	}
	phones_store_release(ref);
	return rc;
}

/* sip:<number>@<trunk host:port;transport>, or for a dispatcher set
 * sip:<number>@<the request's own host:port;params>. */
static int new_ruri(sip_msg_t *msg, route_result_t *res, char *out, size_t size)
{
	struct sip_uri *u = &msg->parsed_uri;
	const char *hostpart;
	int n;

	if(res->ds_set < 0) {
		/* "sip:host..." -> "sip:<number>@host..." */
		hostpart = strchr(res->trunk_uri, ':');
		n = snprintf(out, size, "%.*s:%s@%s", (int)(hostpart - res->trunk_uri),
				res->trunk_uri, res->number, hostpart + 1);
	} else {
		n = snprintf(out, size, "%s:%s@%.*s%s%.*s%s%.*s",
				u->type == SIPS_URI_T ? "sips" : "sip", res->number,
				u->host.len, u->host.s, u->port.len ? ":" : "", u->port.len,
				u->port.s, u->params.len ? ";" : "", u->params.len,
				u->params.s);
		copy_sv(res->host, sizeof(res->host), u->host.s, (size_t)u->host.len);
	}
	return (n < 0 || (size_t)n >= size) ? -1 : n;
}

/* Replaces any P-Asserted-Identity with the entry's outbound caller ID. */
static int set_pai(sip_msg_t *msg, route_result_t *res)
{
	struct hdr_field *h;
	struct lump *anchor;
	char *hdr;
	int len;

	if(!ph_sip_user_valid(res->cid, strlen(res->cid))) {
		if(res->cid[0])
			LM_WARN("outbound_cid of '%s' is not a SIP user: no"
					" P-Asserted-Identity\n",
					res->extension);
		return 0;
	}
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
	len = (int)(sizeof("P-Asserted-Identity: <sip:@>\r\n") - 1
				+ strlen(res->cid) + strlen(res->host));
	hdr = pkg_malloc(len + 1);
	if(hdr == NULL) {
		PKG_MEM_ERROR;
		return -1;
	}
	snprintf(hdr, len + 1, "P-Asserted-Identity: <sip:%s@%s>\r\n", res->cid,
			res->host);
	if(insert_new_lump_before(anchor, hdr, len, 0) == NULL) {
		pkg_free(hdr);
		return -1;
	}
	return 0;
}

/* The extension of the phone that sent msg. */
static const char *last_caller_ext(sip_msg_t *msg)
{
	static char ext[PH_MAX_EXTENSION + 1];

	phones_caller_of(msg, ext);
	return ext;
}

static void remember(sip_msg_t *msg, route_result_t *res, int rc)
{
	last.msg_id = msg->id;
	last.msg_pid = msg->pid;
	last.verdict = res->verdict;
	copy_sv(last.server, sizeof(last.server), res->server, strlen(res->server));
	last.ds_set = rc == PHONES_ROUTE_REWRITTEN ? res->ds_set : -1;
	last.rule_id = rc == PHONES_ROUTE_REWRITTEN ? res->rule_id : -1;
	copy_sv(last.extension, sizeof(last.extension), res->extension,
			strlen(res->extension));
	copy_sv(last.number, sizeof(last.number), res->number, strlen(res->number));
	copy_sv(last.trunk, sizeof(last.trunk), res->trunk_text,
			strlen(res->trunk_text));
}

int phones_route(sip_msg_t *msg)
{
	char uri[PH_MAX_TRUNK + PH_MAX_ROUTE_NUMBER + 64];
	char called[PH_MAX_EXTENSION + 1];
	route_result_t res;
	str s;
	int rc, n;

	memset(&res, 0, sizeof(res));
	res.ds_set = -1;
	res.verdict = PH_CALL_NOT_FOUND;
	if(msg->first_line.type != SIP_REQUEST || parse_sip_msg_uri(msg) < 0
			|| msg->parsed_uri.user.len <= 0) {
		remember(msg, &res, PHONES_ROUTE_UNKNOWN);
		return PHONES_ROUTE_UNKNOWN;
	}
	if(phones_matcher() == NULL)
		return PHONES_ROUTE_ERROR;
	/* the Request-URI may be rewritten below: the user as called, for the
	 * log */
	copy_sv(called, sizeof(called), msg->parsed_uri.user.s,
			(size_t)msg->parsed_uri.user.len);
	rc = decide(msg, &msg->parsed_uri.user, &res);
	if(rc == PHONES_ROUTE_REWRITTEN) {
		n = new_ruri(msg, &res, uri, sizeof(uri));
		s.s = uri;
		s.len = n;
		if(n < 0 || rewrite_uri(msg, &s) < 0) {
			LM_ERR("cannot rewrite the Request-URI for '%s'\n", res.extension);
			rc = PHONES_ROUTE_ERROR;
		} else if(res.ds_set < 0) {
			s.s = res.trunk_uri;
			s.len = (int)strlen(res.trunk_uri);
			if(set_dst_uri(msg, &s) < 0)
				rc = PHONES_ROUTE_ERROR;
		}
		if(rc == PHONES_ROUTE_REWRITTEN && phones_pai_outbound_cid
				&& set_pai(msg, &res) < 0) {
			LM_ERR("cannot set P-Asserted-Identity for '%s'\n", res.extension);
			rc = PHONES_ROUTE_ERROR;
		}
	}
	remember(msg, &res, rc);
	LM_INFO("call from %s%s%s to '%s': %s%s%s\n", ph_caller_name(res.caller),
			res.caller == PH_CALLER_PHONE ? " " : "",
			res.caller == PH_CALLER_PHONE ? last_caller_ext(msg) : "",
			ph_sip_user_valid(called, strlen(called)) ? called : "?",
			ph_call_verdict_name(res.verdict),
			rc == PHONES_ROUTE_REWRITTEN
					? " via "
					: (rc == PHONES_ROUTE_SERVER ? " to " : ""),
			rc == PHONES_ROUTE_REWRITTEN
					? res.trunk_text
					: (rc == PHONES_ROUTE_SERVER ? res.server : ""));
	return rc;
}

int phones_route_number(phones_ref_t *ref, const char *number, size_t len,
		char *uri, size_t usize, char *dst, size_t dsize)
{
	route_result_t res;
	const char *hostpart;
	int n;

	memset(&res, 0, sizeof(res));
	if(phones_matcher() == NULL
			|| to_trunk(ref, number, len, &res) != PHONES_ROUTE_REWRITTEN)
		return -1;
	if(res.ds_set >= 0) {
		LM_WARN("number '%.*s' goes to dispatcher set %d: not a device's"
				" trunk (give its rule a URI trunk)\n",
				(int)len, number, res.ds_set);
		return -1;
	}
	hostpart = strchr(res.trunk_uri, ':');
	n = snprintf(uri, usize, "%.*s:%s@%s", (int)(hostpart - res.trunk_uri),
			res.trunk_uri, res.number, hostpart + 1);
	if(n < 0 || (size_t)n >= usize)
		return -1;
	n = snprintf(dst, dsize, "%s", res.trunk_uri);
	return (n < 0 || (size_t)n >= dsize) ? -1 : 0;
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
	PV_SERVER
};

int pv_parse_phones_name(pv_spec_p sp, str *in)
{
	static const char *const names[] = {"ds_set", "rule", "extension", "number",
			"trunk", "caller", "call", "server"};
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
		   " trunk, caller, call or server\n",
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
