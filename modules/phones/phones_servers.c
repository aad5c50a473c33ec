/*
 * kamailio-phones: calls to the cluster's Asterisk servers.
 *
 * A call for the servers goes to the first server of its list; the others
 * are kept in AVPs of the transaction (as the dispatcher module keeps its
 * destinations), so that phones_next_server() in a failure_route sends it
 * to the next. A server that fails (5xx, 408, no answer: the script says
 * which) is taken out: tried after the others for server_down_time
 * seconds, and sent an OPTIONS every server_probe_interval seconds until
 * it answers. The state is shared by every process, keyed by address, and
 * outlives reloads.
 *
 * The server that last called a phone is kept in an htable of the script
 * (its name in last_server_htable), so that its expiry, its size and its
 * replication to other proxies (dmqreplicate) are htable's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dprint.h"
#include "core/dset.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"
#include "core/parser/parse_uri.h"
#include "core/sr_module.h"
#include "core/timer_proc.h"
#include "core/usr_avp.h"
#include "modules/htable/ht_api.h"
#include "modules/htable/api.h"
#include "modules/tm/tm_load.h"

#include "phones/phone_row.h"
#include "phones/sip_user.h"
#include "phones_db.h"
#include "phones_host.h"
#include "phones_servers.h"
#include "phones_stats.h"
#include "phones_store.h"

int phones_server_down_time = 30;
int phones_server_probe_interval = 10;
str phones_probe_from = str_init("sip:phones@localhost");
str phones_last_server_htable = STR_NULL;

#define HEALTH_SLOTS 256

/* Which servers are taken out (core/server_health.c), in shared memory. */
static ph_server_health_t *health = NULL;
static ph_lock_t health_lock;
static struct tm_binds tmb;
static htable_api_t htb;
static int have_htable = 0;

static str avp_next = str_init("phones_servers"); /* kept, next first */
static str avp_current = str_init("phones_server");

int phones_servers_init(void)
{
	ph_health_policy_t policy;

	phones_stats_servers_down_gauge(phones_servers_down);
	policy.down_seconds = (uint32_t)phones_server_down_time;
	policy.probing = phones_server_probe_interval > 0;
	if(phones_lock_new(&health_lock) < 0)
		return -1;
	health = ph_server_health_new(&phones_shm_allocator, HEALTH_SLOTS, &policy,
			&health_lock, &ph_clock_libc);
	if(health == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	if(phones_server_probe_interval > 0 && load_tm_api(&tmb) < 0) {
		LM_ERR("server_probe_interval needs the tm module: load tm.so"
			   " before phones.so, or set it to 0\n");
		return -1;
	}
	if(phones_last_server_htable.len > 0) {
		if(htable_load_api(&htb) < 0) {
			LM_ERR("last_server_htable needs the htable module: load"
				   " htable.so before phones.so\n");
			return -1;
		}
		have_htable = 1;
	}
	return 0;
}

void phones_servers_destroy(void)
{
	ph_server_health_free(health);
	health = NULL;
	phones_lock_free(&health_lock);
}

ph_server_health_t *phones_servers_health(void)
{
	return health;
}

int phones_server_is_down(const char *ip)
{
	return ph_server_health_is_down(health, ip, strlen(ip));
}

static void set_down(const char *ip)
{
	if(ph_server_health_failed(health, ip, strlen(ip)) > 0)
		LM_WARN("Asterisk server %s taken out for %d s: it failed a"
				" call\n",
				ip, phones_server_down_time);
}

int phones_servers_down(void)
{
	return (int)ph_server_health_down_count(health);
}

/* --- probes --- */

static void probe_done(struct cell *t, int type, struct tmcb_params *ps)
{
	long i = (long)*ps->param;
	char ip[PH_HEALTH_MAX_IP + 1];

	(void)t;
	(void)type;
	if(i < 0 || i >= HEALTH_SLOTS)
		return;
	/* any answer but a failure: the server is there */
	if(ph_server_health_probed(
			   health, (size_t)i, ps->code < 500 && ps->code != 408, ip)
			> 0)
		LM_NOTICE("Asterisk server %s answers again: back in service\n", ip);
}

static void probe_timer(unsigned int ticks, void *param)
{
	static str options = str_init("OPTIONS");
	static ph_health_probe_t probes[HEALTH_SLOTS];
	char uri_buf[PH_HEALTH_MAX_IP + 16];
	uac_req_t uac_r;
	str uri;
	size_t i, n;

	(void)ticks;
	(void)param;
	n = ph_server_health_to_probe(health, probes, HEALTH_SLOTS);
	for(i = 0; i < n; i++) {
		uri.len = ph_sip_uri(uri_buf, sizeof(uri_buf), NULL, NULL, 0,
				probes[i].ip, strlen(probes[i].ip),
				(unsigned)phones_server_port, NULL, 0);
		if(uri.len < 0)
			continue;
		uri.s = uri_buf;
		set_uac_req(&uac_r, &options, 0, 0, 0, TMCB_LOCAL_COMPLETED, probe_done,
				(void *)(long)probes[i].index);
		if(tmb.t_request(&uac_r, &uri, &uri, &phones_probe_from, 0) < 0)
			LM_ERR("cannot send a probe to %s\n", probes[i].ip);
	}
}

int phones_servers_timers(void)
{
	return phones_server_probe_interval > 0 ? 1 : 0;
}

int phones_servers_child_init(int rank)
{
	if(rank != PROC_MAIN || phones_server_probe_interval <= 0)
		return 0;
	if(fork_basic_timer(PROC_TIMER, "phones server probes", 1, probe_timer,
			   NULL, phones_server_probe_interval)
			< 0) {
		LM_ERR("cannot start the server probe process\n");
		return -1;
	}
	return 0;
}

/* --- the server that last called a phone --- */

int phones_last_server_get(const char *ext, char *out, size_t size)
{
	ht_cell_t *cell;
	str key;
	int rc = -1;

	if(!have_htable)
		return -1;
	key.s = (char *)ext;
	key.len = (int)strlen(ext);
	cell = htb.get_clone(&phones_last_server_htable, &key);
	if(cell == NULL)
		return -1;
	if((cell->flags & AVP_VAL_STR) && cell->value.s.len > 0
			&& (size_t)cell->value.s.len < size) {
		memcpy(out, cell->value.s.s, cell->value.s.len);
		out[cell->value.s.len] = '\0';
		rc = 0;
	}
	pkg_free(cell);
	return rc;
}

void phones_last_server_set(const char *ext, const char *ip)
{
	int_str val;
	str key;

	if(!have_htable)
		return;
	key.s = (char *)ext;
	key.len = (int)strlen(ext);
	val.s.s = (char *)ip;
	val.s.len = (int)strlen(ip);
	if(htb.set(&phones_last_server_htable, &key, AVP_VAL_STR, &val, 0) < 0)
		LM_ERR("cannot keep the last server of %s in htable '%.*s'\n", ext,
				phones_last_server_htable.len, phones_last_server_htable.s);
}

/* --- sending to a server --- */

/* Points the Request-URI (and the destination) of msg at ip. */
static int point_at(sip_msg_t *msg, const char *ip)
{
	char uri[PH_MAX_EXTENSION + 64 + INET6_ADDRSTRLEN],
			dst[INET6_ADDRSTRLEN + 16];
	str user = STR_NULL, s;
	int n;

	if(parse_sip_msg_uri(msg) > 0)
		user = msg->parsed_uri.user;
	n = ph_sip_uri(uri, sizeof(uri), NULL, user.s, user.len > 0 ? user.len : 0,
			ip, strlen(ip), (unsigned)phones_server_port, NULL, 0);
	if(n < 0)
		return -1;
	s.s = uri;
	s.len = n;
	if(rewrite_uri(msg, &s) < 0)
		return -1;
	n = ph_sip_uri(dst, sizeof(dst), NULL, NULL, 0, ip, strlen(ip),
			(unsigned)phones_server_port, NULL, 0);
	if(n < 0)
		return -1;
	s.s = dst;
	s.len = n;
	return set_dst_uri(msg, &s);
}

static int avp_add_str(str *name, const char *value)
{
	int_str n, v;

	n.s = *name;
	v.s.s = (char *)value;
	v.s.len = (int)strlen(value);
	return add_avp(AVP_NAME_STR | AVP_VAL_STR, n, v);
}

/* Removes every AVP of that name. */
static void avp_clear(str *name)
{
	struct search_state st;
	struct usr_avp *avp;
	int_str n;

	n.s = *name;
	while((avp = search_first_avp(AVP_NAME_STR, n, NULL, &st)) != NULL)
		destroy_avp(avp);
}

int phones_servers_send(sip_msg_t *msg, const ph_peers_t *peers,
		const uint32_t *servers, size_t n, char *chosen)
{
	size_t i;

	if(n == 0)
		return -1;
	avp_clear(&avp_next);
	avp_clear(&avp_current);
	/* add_avp puts each in front: the next server is added last */
	for(i = n; i-- > 1;)
		if(avp_add_str(&avp_next, ph_peers_server_ip(peers, servers[i])) < 0)
			return -1;
	snprintf(chosen, INET6_ADDRSTRLEN, "%s",
			ph_peers_server_ip(peers, servers[0]));
	if(avp_add_str(&avp_current, chosen) < 0)
		return -1;
	return point_at(msg, chosen);
}

int phones_next_server(sip_msg_t *msg)
{
	char ip[INET6_ADDRSTRLEN];
	struct search_state st;
	struct usr_avp *avp;
	int_str n, v;

	n.s = avp_current;
	avp = search_first_avp(AVP_NAME_STR, n, &v, &st);
	if(avp && (avp->flags & AVP_VAL_STR) && v.s.len > 0
			&& (size_t)v.s.len < sizeof(ip)) {
		memcpy(ip, v.s.s, v.s.len);
		ip[v.s.len] = '\0';
		set_down(ip);
		phones_stats_server_failed();
	}
	avp_clear(&avp_current);
	n.s = avp_next;
	avp = search_first_avp(AVP_NAME_STR, n, &v, &st);
	if(avp == NULL)
		return -1;
	if(!(avp->flags & AVP_VAL_STR) || v.s.len <= 0
			|| (size_t)v.s.len >= sizeof(ip)) {
		destroy_avp(avp);
		return -1;
	}
	memcpy(ip, v.s.s, v.s.len);
	ip[v.s.len] = '\0';
	destroy_avp(avp);
	if(avp_add_str(&avp_current, ip) < 0 || point_at(msg, ip) < 0)
		return -1;
	LM_NOTICE("call %.*s: on to Asterisk server %s\n",
			msg->callid ? msg->callid->body.len : 0,
			msg->callid ? msg->callid->body.s : "", ip);
	return 1;
}
