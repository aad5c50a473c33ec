/*
 * kamailio-phones: VICIdial's phone entries in the SIP proxy.
 *
 * Module exports, parameters, start-up and KEMI. The work is done in
 * phones_db.c (loading), phones_store.c (the shared table), phones_auth.c
 * (REGISTER) and the host-independent core under core/.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/dprint.h"
#include "core/kemi.h"
#include "core/mod_fix.h"
#include "core/sr_module.h"
#include "core/timer_proc.h"
#include "modules/auth/api.h"

#include "phones/protocol.h"
#include "phones_api.h"
#include "phones_auth.h"
#include "phones_caller.h"
#include "phones_challenge.h"
#include "phones_db.h"
#include "phones_devices.h"
#include "phones_dmq.h"
#include "phones_lockout.h"
#include "phones_params.h"
#include "phones_peer.h"
#include "phones_reload.h"
#include "phones_route.h"
#include "phones_rpc.h"
#include "phones_rpc_acl.h"
#include "phones_servers.h"
#include "phones_sql.h"
#include "phones_stats.h"
#include "phones_store.h"
#include "phones_tcp.h"

MODULE_VERSION

static int mod_init(void);
static int child_init(int rank);
static void mod_destroy(void);
static int w_phones_auth(sip_msg_t *msg, char *realm, char *p2);
static int w_phones_challenge(sip_msg_t *msg, char *realm, char *flags);
static int w_phones_route(sip_msg_t *msg, char *p1, char *p2);
static int w_phones_api(sip_msg_t *msg, char *p1, char *p2);
static int w_phones_caller(sip_msg_t *msg, char *kind, char *p2);
static int w_phones_next_server(sip_msg_t *msg, char *p1, char *p2);
static int w_phones_peer_of(sip_msg_t *msg, char *uri, char *p2);
static int w_phones_rpc_allowed(sip_msg_t *msg, char *p1, char *p2);
static int w_phones_devices(sip_msg_t *msg, char *p1, char *p2);
static int w_phones_next_devices(sip_msg_t *msg, char *p1, char *p2);
static int w_phones_call(sip_msg_t *msg, char *p1, char *p2);
static int w_phones_call_next(sip_msg_t *msg, char *p1, char *p2);

static cmd_export_t cmds[] = {
		{"phones_auth", (cmd_function)w_phones_auth, 1, fixup_spve_null,
				fixup_free_spve_null, REQUEST_ROUTE},
		{"phones_challenge", (cmd_function)w_phones_challenge, 2,
				fixup_spve_igp, fixup_free_spve_igp, REQUEST_ROUTE},
		{"phones_route", (cmd_function)w_phones_route, 0, 0, 0,
				REQUEST_ROUTE | FAILURE_ROUTE},
		{"phones_api", (cmd_function)w_phones_api, 0, 0, 0, EVENT_ROUTE},
		{"phones_caller", (cmd_function)w_phones_caller, 0, 0, 0,
				REQUEST_ROUTE | FAILURE_ROUTE | ONREPLY_ROUTE},
		{"phones_caller", (cmd_function)w_phones_caller, 1, fixup_spve_null,
				fixup_free_spve_null, REQUEST_ROUTE | FAILURE_ROUTE},
		{"phones_next_server", (cmd_function)w_phones_next_server, 0, 0, 0,
				FAILURE_ROUTE},
		{"phones_peer_of", (cmd_function)w_phones_peer_of, 1, fixup_spve_null,
				fixup_free_spve_null, ANY_ROUTE},
		{"phones_rpc_allowed", (cmd_function)w_phones_rpc_allowed, 0, 0, 0,
				EVENT_ROUTE},
		{"phones_devices", (cmd_function)w_phones_devices, 0, 0, 0,
				REQUEST_ROUTE},
		{"phones_next_devices", (cmd_function)w_phones_next_devices, 0, 0, 0,
				FAILURE_ROUTE},
		{"phones_call", (cmd_function)w_phones_call, 0, 0, 0, REQUEST_ROUTE},
		{"phones_call_next", (cmd_function)w_phones_call_next, 0, 0, 0,
				FAILURE_ROUTE},
		{0, 0, 0, 0, 0, 0}};

static param_export_t params[] = {
		{"db_url", PARAM_STR, &phones_db_url},
		{"table", PARAM_STR, &phones_table_name},
		{"extension_column", PARAM_STR, &phones_extension_column},
		{"dialplan_number_column", PARAM_STR,
				&phones_dialplan_number_column},
		{"conf_secret_column", PARAM_STR, &phones_conf_secret_column},
		{"protocol_column", PARAM_STR, &phones_protocol_column},
		{"active_column", PARAM_STR, &phones_active_column},
		{"server_ip_column", PARAM_STR, &phones_server_ip_column},
		{"outbound_cid_column", PARAM_STR, &phones_outbound_cid_column},
		{"server_ip", PARAM_STR, &phones_server_ip},
		{"register_protocols", PARAM_STR, &phones_register_protocols_text},
		{"fetch_rows", PARAM_INT, &phones_fetch_rows},
		{"routes_table", PARAM_STR, &phones_routes_table},
		{"route_id_column", PARAM_STR, &phones_route_id_column},
		{"route_priority_column", PARAM_STR, &phones_route_priority_column},
		{"route_match_column", PARAM_STR, &phones_route_match_column},
		{"route_repl_column", PARAM_STR, &phones_route_repl_column},
		{"route_trunk_column", PARAM_STR, &phones_route_trunk_column},
		{"route_description_column", PARAM_STR,
				&phones_route_description_column},
		{"pai_outbound_cid", PARAM_INT, &phones_pai_outbound_cid},
		{"phone_any_from", PARAM_INT, &phones_phone_any_from},
		{"server_timeout", PARAM_INT, &phones_server_timeout},
		{"trunk_timeout", PARAM_INT, &phones_trunk_timeout},
		{"rpc_allow", PARAM_STR, &phones_rpc_allow},
		{"devices_table", PARAM_STR, &phones_devices_table},
		{"devices_extension_column", PARAM_STR,
				&phones_devices_extension_column},
		{"devices_device_column", PARAM_STR, &phones_devices_device_column},
		{"devices_position_column", PARAM_STR,
				&phones_devices_position_column},
		{"devices_ring_column", PARAM_STR, &phones_devices_ring_column},
		{"devices_active_column", PARAM_STR, &phones_devices_active_column},
		{"devices_domain", PARAM_STR, &phones_devices_domain},
		{"match_limit", PARAM_INT, &phones_match_limit},
		{"depth_limit", PARAM_INT, &phones_depth_limit},
		{"reload_interval", PARAM_INT, &phones_reload_interval},
		{"reload_max_shrink", PARAM_INT, &phones_reload_max_shrink},
		{"lockout_failures", PARAM_INT, &phones_lockout_failures},
		{"lockout_address_extensions", PARAM_INT,
				&phones_lockout_address_extensions},
		{"lockout_extension_failures", PARAM_INT,
				&phones_lockout_extension_failures},
		{"lockout_trust_time", PARAM_INT, &phones_lockout_trust_time},
		{"lockout_window", PARAM_INT, &phones_lockout_window},
		{"lockout_time", PARAM_INT, &phones_lockout_time},
		{"lockout_first_time", PARAM_INT, &phones_lockout_first_time},
		{"lockout_slots", PARAM_INT, &phones_lockout_slots},
		{"challenge_slots", PARAM_INT, &phones_challenge_slots},
		{"challenge_time", PARAM_INT, &phones_challenge_time},
		{"users_table", PARAM_STR, &phones_users_table},
		{"servers_table", PARAM_STR, &phones_servers_table},
		{"templates_table", PARAM_STR, &phones_templates_table},
		{"aliases_table", PARAM_STR, &phones_aliases_table},
		{"servers_ip_column", PARAM_STR, &phones_servers_ip_column},
		{"servers_active_column", PARAM_STR, &phones_servers_active_column},
		{"servers_asterisk_column", PARAM_STR,
				&phones_servers_asterisk_column},
		{"server_port", PARAM_INT, &phones_server_port},
		{"server_down_time", PARAM_INT, &phones_server_down_time},
		{"server_probe_interval", PARAM_INT, &phones_server_probe_interval},
		{"probe_from", PARAM_STR, &phones_probe_from},
		{"last_server_htable", PARAM_STR, &phones_last_server_htable},
		{"peer_status_interval", PARAM_INT, &phones_peer_status_interval},
		{"peer_lagged_ms", PARAM_INT, &phones_peer_lagged_ms},
		{"peer_unreachable_time", PARAM_INT, &phones_peer_unreachable_time},
		{"peer_ping_updates", PARAM_INT, &phones_peer_ping_updates},
		{"peer_status_column", PARAM_STR, &phones_peer_status_column},
		{"ping_time_column", PARAM_STR, &phones_ping_time_column},
		{"peer_status_domain", PARAM_STR, &phones_peer_status_domain},
		{"dmq", PARAM_INT, &phones_dmq},
		{"tcp_per_address", PARAM_INT, &phones_tcp_per_address},
		{0, 0, 0}};

static pv_export_t pvs[] = {
		{{"phones", sizeof("phones") - 1}, PVT_OTHER, pv_get_phones, 0,
				pv_parse_phones_name, 0, 0, 0},
		{{0, 0}, 0, 0, 0, 0, 0, 0, 0}};

struct module_exports exports = {
		"phones",		 /* module name */
		DEFAULT_DLFLAGS, /* dlopen flags */
		cmds,			 /* cfg functions */
		params,			 /* parameters */
		0,				 /* RPC commands */
		pvs,			 /* pseudo-variables */
		0,				 /* response handler */
		mod_init,		 /* module init */
		child_init,		 /* per-child init */
		mod_destroy		 /* module destroy */
};

static int mod_init(void)
{
	if(phones_params_check() < 0)
		return -1;
	/* checked by phones_params_check() */
	ph_protocol_set_parse(phones_register_protocols_text.s,
			(size_t)phones_register_protocols_text.len,
			&phones_register_protocols);
	if(phones_register_protocols & PH_PROTO_BIT(PH_PROTO_EXTERNAL))
		LM_WARN("register_protocols names EXTERNAL: EXTERNAL entries have"
				" no device and never register\n");
	if(phones_auth_init() < 0 || phones_challenge_init() < 0
			|| phones_sql_bind() < 0 || phones_api_init() < 0
			|| phones_caller_init() < 0 || phones_servers_init() < 0
			|| phones_route_init() < 0 || phones_devices_init() < 0)
		return -1;
	phones_reload_observe(phones_stats_reload);
	if(phones_stats_register() < 0 || phones_rpc_register() < 0
			|| phones_store_init() < 0 || phones_reload_init() < 0
			|| phones_lockout_init() < 0 || phones_dmq_init() < 0
			|| phones_tcp_init() < 0)
		return -1;
	if(phones_reload_startup() < 0) {
		LM_ERR("cannot load the phone table: refusing to start\n");
		return -1;
	}
	phones_api_login_index();
	if(phones_peer_init() < 0)
		return -1;
	if(register_basic_timers((phones_reload_interval > 0 ? 1 : 0)
							 + phones_servers_timers() + phones_peer_timers())
			< 0)
		return -1;
	return 0;
}

static int child_init(int rank)
{
	if(phones_servers_child_init(rank) < 0
			|| phones_devices_child_init(rank) < 0
			|| phones_peer_child_init(rank) < 0)
		return -1;
	if(rank != PROC_MAIN || phones_reload_interval <= 0)
		return 0;
	/* A process of its own: a reload never holds up a SIP worker. */
	if(fork_basic_timer(PROC_TIMER, "phones reload timer", 1,
			   phones_reload_timer, NULL, phones_reload_interval)
			< 0) {
		LM_ERR("cannot start the reload timer process\n");
		return -1;
	}
	return 0;
}

static void mod_destroy(void)
{
	phones_store_destroy();
	phones_reload_destroy();
	phones_lockout_destroy();
	phones_challenge_destroy();
	phones_servers_destroy();
	phones_route_destroy();
}

static int ki_phones_auth(sip_msg_t *msg, str *realm)
{
	return phones_authenticate(msg, realm);
}

static int w_phones_auth(sip_msg_t *msg, char *realm, char *p2)
{
	str srealm;

	if(fixup_get_svalue(msg, (gparam_t *)realm, &srealm) < 0) {
		LM_ERR("cannot evaluate the realm\n");
		return AUTH_ERROR;
	}
	return ki_phones_auth(msg, &srealm);
}

static int ki_phones_challenge(sip_msg_t *msg, str *realm, int flags)
{
	return phones_challenge(msg, realm, flags);
}

static int w_phones_challenge(sip_msg_t *msg, char *realm, char *flags)
{
	str srealm;
	int iflags;

	if(fixup_get_svalue(msg, (gparam_t *)realm, &srealm) < 0
			|| srealm.len <= 0) {
		LM_ERR("cannot evaluate the realm (or it is empty)\n");
		return -1;
	}
	if(fixup_get_ivalue(msg, (gparam_t *)flags, &iflags) < 0) {
		LM_ERR("cannot evaluate the flags\n");
		return -1;
	}
	return ki_phones_challenge(msg, &srealm, iflags);
}

static int ki_phones_route(sip_msg_t *msg)
{
	return phones_route(msg);
}

static int w_phones_route(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_route(msg);
}

static int ki_phones_api(sip_msg_t *msg)
{
	return phones_api(msg);
}

static int w_phones_api(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_api(msg);
}

static int ki_phones_caller(sip_msg_t *msg)
{
	return phones_caller(msg, NULL);
}

static int ki_phones_caller_kind(sip_msg_t *msg, str *kind)
{
	return phones_caller(msg, kind);
}

static int w_phones_caller(sip_msg_t *msg, char *kind, char *p2)
{
	str skind;

	if(kind == NULL)
		return ki_phones_caller(msg);
	if(fixup_get_svalue(msg, (gparam_t *)kind, &skind) < 0) {
		LM_ERR("cannot evaluate the kind\n");
		return -2;
	}
	return ki_phones_caller_kind(msg, &skind);
}

static int ki_phones_peer_of(sip_msg_t *msg, str *uri)
{
	return phones_peer_of(uri);
}

static int w_phones_peer_of(sip_msg_t *msg, char *uri, char *p2)
{
	str suri;

	if(fixup_get_svalue(msg, (gparam_t *)uri, &suri) < 0) {
		LM_ERR("cannot evaluate the URI\n");
		return -2;
	}
	return ki_phones_peer_of(msg, &suri);
}

static int ki_phones_next_server(sip_msg_t *msg)
{
	return phones_next_server(msg);
}

static int w_phones_next_server(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_next_server(msg);
}

static int ki_phones_rpc_allowed(sip_msg_t *msg)
{
	return phones_rpc_allowed(msg);
}

static int w_phones_rpc_allowed(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_rpc_allowed(msg);
}

static int ki_phones_devices(sip_msg_t *msg)
{
	return phones_devices(msg);
}

static int w_phones_devices(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_devices(msg);
}

static int ki_phones_next_devices(sip_msg_t *msg)
{
	return phones_next_devices(msg);
}

static int w_phones_next_devices(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_next_devices(msg);
}

static int ki_phones_call(sip_msg_t *msg)
{
	return phones_call(msg);
}

static int w_phones_call(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_call(msg);
}

static int ki_phones_call_next(sip_msg_t *msg)
{
	return phones_call_next(msg);
}

static int w_phones_call_next(sip_msg_t *msg, char *p1, char *p2)
{
	return ki_phones_call_next(msg);
}

/* clang-format off */
static sr_kemi_t sr_kemi_phones_exports[] = {
	{ str_init("phones"), str_init("phones_auth"),
		SR_KEMIP_INT, ki_phones_auth,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_challenge"),
		SR_KEMIP_INT, ki_phones_challenge,
		{ SR_KEMIP_STR, SR_KEMIP_INT, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_route"),
		SR_KEMIP_INT, ki_phones_route,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_caller"),
		SR_KEMIP_INT, ki_phones_caller,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_caller_kind"),
		SR_KEMIP_INT, ki_phones_caller_kind,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_peer_of"),
		SR_KEMIP_INT, ki_phones_peer_of,
		{ SR_KEMIP_STR, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_next_server"),
		SR_KEMIP_INT, ki_phones_next_server,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_rpc_allowed"),
		SR_KEMIP_INT, ki_phones_rpc_allowed,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_devices"),
		SR_KEMIP_INT, ki_phones_devices,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_next_devices"),
		SR_KEMIP_INT, ki_phones_next_devices,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_call"),
		SR_KEMIP_INT, ki_phones_call,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_call_next"),
		SR_KEMIP_INT, ki_phones_call_next,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ str_init("phones"), str_init("phones_api"),
		SR_KEMIP_INT, ki_phones_api,
		{ SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE,
			SR_KEMIP_NONE, SR_KEMIP_NONE, SR_KEMIP_NONE }
	},
	{ {0, 0}, {0, 0}, 0, NULL, { 0, 0, 0, 0, 0, 0 } }
};
/* clang-format on */

int mod_register(char *path, int *dlflags, void *p1, void *p2)
{
	sr_kemi_modules_add(sr_kemi_phones_exports);
	return 0;
}
