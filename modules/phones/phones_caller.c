/*
 * kamailio-phones: who sent a request.
 *
 * The servers and carriers come from the published snapshot; a source
 * address that is neither may still be a host of a dispatcher set that a
 * rule names as its trunk, which the dispatcher module tells. What was
 * decided is kept for the message (by id and process), so that
 * phones_route() and $phones(caller) see the same answer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/parser/parse_uri.h"
#include "core/sr_module.h"
#include "modules/dispatcher/api.h"

#include "phones_caller.h"
#include "phones_stats.h"
#include "phones_store.h"

static dispatcher_api_t dsb;
static int have_dispatcher = 0;

static struct
{
	unsigned int msg_id;
	int msg_pid;
	ph_caller_t kind;
	char ext[PH_MAX_EXTENSION + 1];
} known;

int phones_caller_init(void)
{
	if(find_export("bind_dispatcher", 0, 0) == NULL)
		return 0;
	if(dispatcher_load_api(&dsb) < 0)
		return -1;
	have_dispatcher = 1;
	return 0;
}

static int is_this(sip_msg_t *msg)
{
	return known.msg_id == msg->id && known.msg_pid == msg->pid;
}

static void keep(sip_msg_t *msg, ph_caller_t kind, const char *ext, int len)
{
	known.msg_id = msg->id;
	known.msg_pid = msg->pid;
	known.kind = kind;
	if(len > PH_MAX_EXTENSION)
		len = PH_MAX_EXTENSION;
	memcpy(known.ext, ext, (size_t)len);
	known.ext[len] = '\0';
}

/* A host of a dispatcher set that a rule names as its trunk. */
static int from_trunk_set(sip_msg_t *msg, const ph_rules_t *rules)
{
	const ph_trunk_t *trunk;
	size_t i, j;

	if(!have_dispatcher)
		return 0;
	for(i = 0; i < ph_rules_count(rules); i++) {
		trunk = ph_rule_trunk(ph_rules_at(rules, i));
		if(trunk->kind != PH_TRUNK_DISPATCHER)
			continue;
		for(j = 0; j < i; j++) /* each set once */
			if(ph_rule_trunk(ph_rules_at(rules, j))->kind == PH_TRUNK_DISPATCHER
					&& ph_rule_trunk(ph_rules_at(rules, j))->ds_set
							   == trunk->ds_set)
				break;
		if(j == i && dsb.is_from(msg, trunk->ds_set) > 0)
			return 1;
	}
	return 0;
}

static ph_caller_t classify(sip_msg_t *msg, phones_ref_t *held)
{
	ph_caller_t kind = PH_CALLER_UNKNOWN;
	phones_ref_t *ref;
	ph_addr_t addr;
	uint16_t port;

	/* servers and carriers never speak SIP over WebSocket: a WebSocket
	 * connection is a phone's, whatever address it comes from */
	if(msg->rcv.proto == PROTO_WS || msg->rcv.proto == PROTO_WSS)
		return PH_CALLER_UNKNOWN;
	memset(&addr, 0, sizeof(addr));
	addr.family = msg->rcv.src_ip.af;
	if(msg->rcv.src_ip.len > sizeof(addr.bytes))
		return PH_CALLER_UNKNOWN;
	memcpy(addr.bytes, msg->rcv.src_ip.u.addr, msg->rcv.src_ip.len);
	/* a connection's source port is its own: only UDP's tells */
	port = msg->rcv.proto == PROTO_UDP ? msg->rcv.src_port : 0;
	ref = held ? held : phones_store_acquire();
	if(ref == NULL)
		return PH_CALLER_UNKNOWN;
	switch(ph_peers_find(ref->peers, &addr, port, NULL)) {
		case PH_PEER_SERVER:
			kind = PH_CALLER_SERVER;
			break;
		case PH_PEER_CARRIER:
			kind = PH_CALLER_CARRIER;
			break;
		default:
			if(from_trunk_set(msg, ref->rules))
				kind = PH_CALLER_CARRIER;
	}
	if(held == NULL)
		phones_store_release(ref);
	return kind;
}

ph_caller_t phones_caller_held(sip_msg_t *msg, char *ext, phones_ref_t *ref)
{
	if(!is_this(msg))
		keep(msg, classify(msg, ref), "", 0);
	if(ext)
		memcpy(ext, known.ext, strlen(known.ext) + 1);
	return known.kind;
}

ph_caller_t phones_caller_of(sip_msg_t *msg, char *ext)
{
	return phones_caller_held(msg, ext, NULL);
}

void phones_caller_set_phone(sip_msg_t *msg, const str *extension)
{
	keep(msg, PH_CALLER_PHONE, extension->s, extension->len);
}

int phones_caller(sip_msg_t *msg, str *kind)
{
	ph_caller_t c;

	if(kind && kind->len > 0) {
		if(kind->len == 6 && strncmp(kind->s, "server", 6) == 0)
			c = PH_CALLER_SERVER;
		else if(kind->len == 7 && strncmp(kind->s, "carrier", 7) == 0)
			c = PH_CALLER_CARRIER;
		else {
			LM_ERR("phones_caller(): kind '%.*s' is not server or carrier\n",
					kind->len, kind->s);
			return -2;
		}
		keep(msg, c, "", 0);
	} else {
		c = phones_caller_of(msg, NULL);
	}
	switch(c) {
		case PH_CALLER_SERVER:
			return 1;
		case PH_CALLER_CARRIER:
			return 2;
		case PH_CALLER_PHONE:
			return 3;
		default:
			return -1;
	}
}

int phones_peer_of(str *uri)
{
	struct sip_uri u;
	phones_ref_t *ref;
	ph_addr_t addr;
	ph_peer_kind_t kind;
	uint16_t port;

	if(uri == NULL || uri->len <= 0 || parse_uri(uri->s, uri->len, &u) < 0) {
		LM_INFO("phones_peer_of(): not a SIP URI\n");
		return -2;
	}
	/* a name is no address of the tables (the proxy resolves none) */
	if(ph_addr_parse(u.host.s, (size_t)u.host.len, &addr) < 0)
		return -1;
	port = u.port_no ? u.port_no
					 : (u.type == SIPS_URI_T || u.proto == PROTO_TLS ? SIPS_PORT
																	 : SIP_PORT);
	ref = phones_store_acquire();
	if(ref == NULL)
		return -1;
	kind = ph_peers_find(ref->peers, &addr, port, NULL);
	phones_store_release(ref);
	switch(kind) {
		case PH_PEER_SERVER:
			return 1;
		case PH_PEER_CARRIER:
			return 2;
		default:
			return -1;
	}
}
