/*
 * kamailio-phones: INVITEs for EXTERNAL entries, rewritten to their trunk.
 *
 * phones_route() looks the Request-URI user up as an extension, then as a
 * dialplan number. For an active EXTERNAL entry the first routing rule that
 * matches the entry's dialplan number gives the new Request-URI user, and
 * the rule's trunk the Request-URI host, port and transport and the
 * destination URI; a trunk that is a dispatcher set leaves the host to the
 * script's ds_select_dst() and hands it the set in $phones(ds_set).
 *
 * Everything comes from the snapshot in shared memory; each process matches
 * with a pcre2 matcher of its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "core/data_lump.h"
#include "core/dprint.h"
#include "core/dset.h"
#include "core/mem/mem.h"
#include "core/parser/parse_uri.h"

#include "phones/route_check.h"
#include "phones/sip_user.h"
#include "phones_route.h"
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
	char extension[PH_MAX_EXTENSION + 1];
	char number[PH_MAX_ROUTE_NUMBER + 1];
	char trunk[PH_MAX_TRUNK + 1];
} last;

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
} route_result_t;

static void copy_sv(char *out, size_t size, const char *s, size_t len)
{
	if(len >= size)
		len = size - 1;
	memcpy(out, s, len);
	out[len] = '\0';
}

/* Decides under a snapshot reference; copies what the rewrite needs. */
static int decide(str *user, route_result_t *res)
{
	char number[PH_MAX_ROUTE_NUMBER + 1];
	const ph_trunk_t *trunk;
	const ph_entry_t *e;
	const ph_rule_t *rule;
	ph_route_verdict_t v;
	phones_ref_t *ref;
	unsigned errors = 0;
	size_t len = 0;
	int rc;

	ref = phones_store_acquire();
	if(ref == NULL)
		return PHONES_ROUTE_UNKNOWN;
	v = ph_route_check(ref->table, user->s, (size_t)user->len, &e);
	phones_stats_route(v);
	switch(v) {
		case PH_ROUTE_EXTERNAL:
			break;
		case PH_ROUTE_NOT_EXTERNAL:
			rc = PHONES_ROUTE_NOT_EXTERNAL;
			goto done;
		default:
			rc = PHONES_ROUTE_UNKNOWN;
			goto done;
	}
	copy_sv(res->extension, sizeof(res->extension), e->extension.s,
			e->extension.len);
	copy_sv(res->cid, sizeof(res->cid), e->outbound_cid.s,
			e->outbound_cid.len);
	rule = ph_rules_translate(ref->rules, matcher, e->dialplan_number.s,
			e->dialplan_number.len, number, sizeof(number), &len, &errors);
	if(errors) {
		phones_stats_route_errors(errors);
		LM_WARN("%u routing rule(s) failed on number '%s' of '%s' (match"
				" limit or bad result): skipped\n",
				errors, e->dialplan_number.s, res->extension);
	}
	if(rule == NULL) {
		phones_stats_route_no_rule();
		LM_INFO("no routing rule matches number '%s' of EXTERNAL entry"
				" '%s'\n",
				e->dialplan_number.s, res->extension);
		rc = PHONES_ROUTE_NO_RULE;
		goto done;
	}
	copy_sv(res->number, sizeof(res->number), number, len);
	res->rule_id = ph_rule_id(rule);
	trunk = ph_rule_trunk(rule);
	res->ds_set = -1;
	if(trunk->kind == PH_TRUNK_DISPATCHER) {
		res->ds_set = trunk->ds_set;
		snprintf(res->trunk_text, sizeof(res->trunk_text), "ds:%d",
				trunk->ds_set);
	} else {
		if(ph_trunk_uri(trunk, res->trunk_uri, sizeof(res->trunk_uri)) < 0) {
			rc = PHONES_ROUTE_ERROR;
			goto done;
		}
		copy_sv(res->trunk_text, sizeof(res->trunk_text), res->trunk_uri,
				strlen(res->trunk_uri));
		copy_sv(res->host, sizeof(res->host), trunk->host, trunk->host_len);
	}
	rc = PHONES_ROUTE_REWRITTEN;
done:
	phones_store_release(ref);
	return rc;
}

/* sip:<number>@<trunk host:port;transport>, or for a dispatcher set
 * sip:<number>@<the request's own host:port;params>. */
static int new_ruri(
		sip_msg_t *msg, route_result_t *res, char *out, size_t size)
{
	struct sip_uri *u = &msg->parsed_uri;
	const char *hostpart;
	int n;

	if(res->ds_set < 0) {
		/* "sip:host..." -> "sip:<number>@host..." */
		hostpart = strchr(res->trunk_uri, ':');
		n = snprintf(out, size, "%.*s:%s@%s",
				(int)(hostpart - res->trunk_uri), res->trunk_uri, res->number,
				hostpart + 1);
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

static void remember(sip_msg_t *msg, route_result_t *res, int rc)
{
	last.msg_id = msg->id;
	last.msg_pid = msg->pid;
	last.ds_set = rc == PHONES_ROUTE_REWRITTEN ? res->ds_set : -1;
	last.rule_id = rc == PHONES_ROUTE_REWRITTEN ? res->rule_id : -1;
	copy_sv(last.extension, sizeof(last.extension), res->extension,
			strlen(res->extension));
	copy_sv(last.number, sizeof(last.number), res->number,
			strlen(res->number));
	copy_sv(last.trunk, sizeof(last.trunk), res->trunk_text,
			strlen(res->trunk_text));
}

int phones_route(sip_msg_t *msg)
{
	char uri[PH_MAX_TRUNK + PH_MAX_ROUTE_NUMBER + 64];
	route_result_t res;
	str s;
	int rc, n;

	memset(&res, 0, sizeof(res));
	res.ds_set = -1;
	if(msg->first_line.type != SIP_REQUEST || parse_sip_msg_uri(msg) < 0
			|| msg->parsed_uri.user.len <= 0) {
		remember(msg, &res, PHONES_ROUTE_UNKNOWN);
		return PHONES_ROUTE_UNKNOWN;
	}
	if(phones_matcher() == NULL)
		return PHONES_ROUTE_ERROR;
	rc = decide(&msg->parsed_uri.user, &res);
	if(rc == PHONES_ROUTE_REWRITTEN) {
		n = new_ruri(msg, &res, uri, sizeof(uri));
		s.s = uri;
		s.len = n;
		if(n < 0 || rewrite_uri(msg, &s) < 0) {
			LM_ERR("cannot rewrite the Request-URI for '%s'\n",
					res.extension);
			rc = PHONES_ROUTE_ERROR;
		} else if(res.ds_set < 0) {
			s.s = res.trunk_uri;
			s.len = (int)strlen(res.trunk_uri);
			if(set_dst_uri(msg, &s) < 0)
				rc = PHONES_ROUTE_ERROR;
		}
		if(rc == PHONES_ROUTE_REWRITTEN && phones_pai_outbound_cid
				&& set_pai(msg, &res) < 0) {
			LM_ERR("cannot set P-Asserted-Identity for '%s'\n",
					res.extension);
			rc = PHONES_ROUTE_ERROR;
		}
	}
	remember(msg, &res, rc);
	return rc;
}

/* $phones(name) */
enum
{
	PV_DS_SET,
	PV_RULE,
	PV_EXTENSION,
	PV_NUMBER,
	PV_TRUNK
};

int pv_parse_phones_name(pv_spec_p sp, str *in)
{
	static const char *const names[] = {
			"ds_set", "rule", "extension", "number", "trunk"};
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
	LM_ERR("unknown $phones(%.*s): use ds_set, rule, extension, number or"
		   " trunk\n",
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
	if(msg == NULL || last.msg_id != msg->id || last.msg_pid != msg->pid)
		return pv_get_null(msg, param, res);
	switch(param->pvn.u.isname.name.n) {
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
