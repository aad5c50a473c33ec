/*
 * kamailio-phones: several proxies on one database, through DMQ.
 *
 * Sending: one KDMQ request per message to every active peer, through
 * dmq's API (bcast_message), from whichever process made the change.
 * Receiving: dmq hands a peer's request to one of its worker processes
 * (dmq's num_workers), never a SIP worker, and calls received() there: a
 * change is taken from the database as the reload does (the rows of that
 * extension), into the live table by the per-entry change path
 * (ph_table_change), under the reload guard like an API change; what the
 * table alone cannot settle (an extension on several servers) is settled
 * by a full reload. A reload runs the reload; a failure or success is
 * counted in this proxy's own lockout table, in its fixed memory.
 *
 * What dmq knows of its nodes (phones.peers, phones:dmq_peers) is read
 * from the dmq module's node list, found by its symbol in dmq.so: dmq's
 * API gives no other way to it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <dlfcn.h>
#include <string.h>

#include "core/dprint.h"
#include "core/parser/msg_parser.h"
#include "core/parser/parse_content.h"
#include "core/sr_module.h"
#include "modules/dmq/bind_dmq.h"

#include "phones/cluster_msg.h"
#include "phones_db.h"
#include "phones_dmq.h"
#include "phones_reload.h"
#include "phones_stats.h"
#include "phones_store.h"

int phones_dmq = 0;

static dmq_api_t dmqb;
static dmq_peer_t *peer = NULL;
static dmq_node_list_t **node_list = NULL;
static dmq_node_t **self_node = NULL;
static str content_type = str_init("text/plain");
static str reason_ok = str_init("OK");
static str reason_bad = str_init("Bad Request");

static int received(sip_msg_t *msg, peer_reponse_t *resp, dmq_node_t *node);

/* A peer's answer: nothing to do (dmq needs a callback; NULL crashes it). */
static int answered(sip_msg_t *msg, int code, dmq_node_t *node, void *param)
{
	return 0;
}
static dmq_resp_cback_t answer_cb = {answered, NULL};

static phones_dmq_auth_f on_auth = NULL;

void phones_dmq_on_auth(phones_dmq_auth_f f)
{
	on_auth = f;
}

int phones_dmq_init(void)
{
	struct sr_module *m;
	dmq_peer_t p;

	phones_stats_dmq_peers_gauge(phones_dmq_peers);
	if(!phones_dmq)
		return 0;
	if(dmq_load_api(&dmqb) < 0) {
		LM_ERR("dmq = 1 needs the dmq module, loaded before phones.so\n");
		return -1;
	}
	memset(&p, 0, sizeof(p));
	p.peer_id.s = "phones";
	p.peer_id.len = 6;
	p.description.s = "phones changes, reloads and authentication failures";
	p.description.len = (int)strlen(p.description.s);
	p.callback = received;
	peer = dmqb.register_dmq_peer(&p);
	if(peer == NULL) {
		LM_ERR("cannot register with dmq\n");
		return -1;
	}
	m = find_module_by_name("dmq");
	if(m && m->handle) {
		node_list = dlsym(m->handle, "dmq_node_list");
		self_node = dlsym(m->handle, "dmq_self_node");
	}
	if(node_list == NULL)
		LM_WARN("dmq's node list not found: phones.peers will be empty\n");
	return 0;
}

/* Whether n is this proxy: dmq's own node, or the node dmq adds for a
 * notification address that is this proxy's own (DMQ_NOTIFY = DMQ_ADDRESS,
 * as on the first proxy of a cluster): dmq then sends this proxy its own
 * messages, which must not be counted twice. */
static int is_self(const dmq_node_t *n)
{
	const dmq_node_t *s = self_node ? *self_node : NULL;

	if(n->local)
		return 1;
	return s && STR_EQ(n->uri.host, s->uri.host)
		   && STR_EQ(n->uri.port, s->uri.port) && n->uri.proto == s->uri.proto;
}

static void send_msg(const ph_cmsg_t *m)
{
	char line[PH_CMSG_MAX_LINE + 2];
	str body;
	int n;

	if(peer == NULL)
		return;
	n = ph_cmsg_format(m, line, sizeof(line));
	if(n < 0) {
		LM_ERR("a message for the peers could not be written\n");
		return;
	}
	body.s = line;
	body.len = n;
	if(dmqb.bcast_message(peer, &body, NULL, &answer_cb, 1, &content_type) < 0) {
		LM_ERR("cannot send to the peers\n");
		return;
	}
	phones_stats_dmq_sent();
}

void phones_dmq_changed(const char *server_ip, const char *ext, size_t elen)
{
	ph_cmsg_t m;

	if(peer == NULL)
		return;
	if(ph_cmsg_change(&m, server_ip, ext, elen) < 0) {
		LM_ERR("a change of an extension of %zu bytes on '%s' cannot be told"
			   " to the peers\n",
				elen, server_ip ? server_ip : "");
		return;
	}
	send_msg(&m);
}

void phones_dmq_reloaded(int force)
{
	ph_cmsg_t m;

	if(peer == NULL)
		return;
	ph_cmsg_reload(&m, force);
	send_msg(&m);
}

void phones_dmq_auth(int failed, int known, const char *ext, size_t elen,
		const char *addr, size_t alen)
{
	ph_cmsg_t m;

	if(peer == NULL)
		return;
	/* an empty user name, or one longer than a message carries, is
	 * counted here alone */
	if(ph_cmsg_auth(&m, failed, known, addr, alen, ext, elen) < 0)
		return;
	send_msg(&m);
}

/* --- a peer's change, from the database --- */

typedef struct refresh
{
	const char *ext;
	size_t elen;
	int reload; /* only a full reload can settle it */
	int published;
} refresh_t;

static int refresh_rows(const ph_row_t *row, int n, void *arg)
{
	refresh_t *r = arg;
	ph_store_t *store = phones_store();
	ph_snapshot_t *snap;
	const ph_entry_t *e;
	ph_table_t *t = NULL;

	if(n == 1
			&& (row->extension.len != r->elen
					|| memcmp(row->extension.s, r->ext, r->elen) != 0))
		n = 2; /* the database matched it otherwise (a collation) */
	snap = ph_store_acquire(store);
	if(snap == NULL)
		return -1;
	e = ph_table_by_extension(snap->table, r->ext, r->elen);
	if(n > 1) {
		r->reload = 1;
	} else if(n == 1 || e != NULL) {
		t = ph_table_change(snap->table, &phones_shm_allocator,
				e ? r->ext : NULL, r->elen, n == 1 ? row : NULL,
				ph_table_max_changes(snap->table), &r->reload);
		if(t && n == 1 && ph_table_by_extension(t, r->ext, r->elen) == NULL) {
			/* the table refuses the row: the reload says why */
			ph_table_free(t);
			t = NULL;
			r->reload = 1;
		}
	}
	ph_store_release(store, snap);
	if(t) {
		if(ph_store_publish_table(store, t) == 0) {
			r->published = 1;
			return 0;
		}
		ph_table_free(t);
		r->reload = 1;
	} else if(n <= 1 && !r->reload && (n == 1 || e != NULL)) {
		return -1; /* out of memory */
	}
	return 0;
}

static void apply_change(const ph_cmsg_t *m)
{
	phones_reload_report_t rep;
	refresh_t r;
	int rc;

	if(phones_server_ip.len > 0
			&& ((size_t)phones_server_ip.len != strlen(m->address)
					|| memcmp(phones_server_ip.s, m->address,
							   (size_t)phones_server_ip.len)
							   != 0))
		return; /* another server's phone: not held here */
	memset(&r, 0, sizeof(r));
	r.ext = m->extension;
	r.elen = m->elen;
	phones_reload_hold();
	rc = phones_db_phone_rows(m->extension, m->elen, refresh_rows, &r);
	if(rc == 0 && r.reload)
		phones_reload_held(0, &rep);
	phones_reload_unhold();
	if(rc < 0)
		LM_ERR("a peer's change of a phone on %s not taken in: database or"
			   " memory\n",
				m->address);
	else if(r.published)
		LM_INFO("a peer's change of phone '%.*s' on %s taken in\n",
				(int)m->elen, m->extension, m->address);
}

static int received(sip_msg_t *msg, peer_reponse_t *resp, dmq_node_t *node)
{
	phones_reload_report_t rep;
	char err[64];
	ph_cmsg_t m;
	char *body;
	int len;

	if(node && is_self(node)) {
		/* this proxy's own message, back through its own address */
		resp->resp_code = 200;
		resp->reason = reason_ok;
		return 0;
	}
	phones_stats_dmq_received();
	body = get_body(msg);
	len = body ? (int)(msg->buf + msg->len - body) : 0;
	if(msg->content_length && get_content_length(msg) < len)
		len = get_content_length(msg);
	if(body == NULL || ph_cmsg_parse(body, (size_t)len, &m, err, sizeof(err))
							   < 0) {
		phones_stats_dmq_refused();
		LM_WARN("a peer's message refused: %s\n",
				body ? err : "no body");
		resp->resp_code = 400;
		resp->reason = reason_bad;
		return 0;
	}
	switch(m.kind) {
		case PH_CMSG_CHANGE:
			apply_change(&m);
			break;
		case PH_CMSG_RELOAD:
			LM_INFO("a peer reloaded%s: reloading\n", m.flag ? " (force)" : "");
			phones_reload(m.flag, &rep);
			break;
		case PH_CMSG_FAIL:
			if(on_auth)
				on_auth(1, m.flag, m.extension, m.elen, m.address,
						strlen(m.address));
			break;
		case PH_CMSG_OK:
			if(on_auth)
				on_auth(0, 0, m.extension, m.elen, m.address,
						strlen(m.address));
			break;
	}
	resp->resp_code = 200;
	resp->reason = reason_ok;
	return 0;
}

/* --- what dmq knows of the others --- */

#define MAX_NODES 64

typedef struct node_copy
{
	char uri[128];
	int status;
	int self;
	int last_notification;
} node_copy_t;

/* Copies the node list out under dmq's lock; returns how many. */
static int copy_nodes(node_copy_t *out, int max)
{
	dmq_node_list_t *list;
	dmq_node_t *n;
	int i = 0, len;

	if(node_list == NULL || *node_list == NULL)
		return 0;
	list = *node_list;
	lock_get(&list->lock);
	for(n = list->nodes; n && i < max; n = n->next, i++) {
		len = n->orig_uri.len < (int)sizeof(out[i].uri) - 1
					  ? n->orig_uri.len
					  : (int)sizeof(out[i].uri) - 1;
		memcpy(out[i].uri, n->orig_uri.s, (size_t)len);
		out[i].uri[len] = '\0';
		out[i].status = n->status;
		out[i].self = is_self(n);
		out[i].last_notification = n->last_notification;
	}
	lock_release(&list->lock);
	return i;
}

int phones_dmq_peers(void)
{
	node_copy_t nodes[MAX_NODES];
	int i, n, active = 0;

	n = copy_nodes(nodes, MAX_NODES);
	for(i = 0; i < n; i++)
		if(!nodes[i].self && (nodes[i].status & DMQ_NODE_ACTIVE))
			active++;
	return active;
}

static const char *status_name(int status)
{
	if(status & DMQ_NODE_ACTIVE)
		return "active";
	if(status & DMQ_NODE_TIMEOUT)
		return "timeout";
	if(status & DMQ_NODE_DISABLED)
		return "disabled";
	if(status & DMQ_NODE_PENDING)
		return "pending";
	return "unknown";
}

void phones_dmq_rpc_peers(rpc_t *rpc, void *ctx)
{
	node_copy_t nodes[MAX_NODES];
	void *th, *arr, *st;
	int i, n;

	if(!phones_dmq) {
		rpc->fault(ctx, 503, "DMQ is off (modparam phones dmq)");
		return;
	}
	n = copy_nodes(nodes, MAX_NODES);
	if(rpc->add(ctx, "{", &th) < 0)
		return;
	rpc->struct_add(th, "d", "active_peers", phones_dmq_peers());
	if(rpc->struct_add(th, "[", "nodes", &arr) < 0)
		return;
	for(i = 0; i < n; i++) {
		if(rpc->array_add(arr, "{", &st) < 0)
			return;
		rpc->struct_add(st, "sssd", "uri", nodes[i].uri, "status",
				status_name(nodes[i].status), "self",
				nodes[i].self ? "yes" : "no", "last_notification",
				nodes[i].last_notification);
	}
}
