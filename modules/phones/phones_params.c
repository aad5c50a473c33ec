/*
 * kamailio-phones: every module parameter checked in one place.
 *
 * Every parameter is listed here: the numbers with their ranges, the table
 * and column names (plain SQL names: the module writes them into SQL
 * unquoted), and the other text parameters with what they hold (a database
 * URL, an address, a SIP URI, an htable, a list of protocols or methods);
 * core/param_check.c says which is wrong, before anything is set up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <limits.h>

#include "core/dprint.h"

#include "phones/param_check.h"

#include "phones_api.h"
#include "phones_auth.h"
#include "phones_challenge.h"
#include "phones_db.h"
#include "phones_lockout.h"
#include "phones_params.h"
#include "phones_peer.h"
#include "phones_reload.h"
#include "phones_devices.h"
#include "phones_dmq.h"
#include "phones_route.h"
#include "phones_rpc_acl.h"
#include "phones_servers.h"
#include "phones_tcp.h"

#define P_INT(name, var, min, max) {name, (long long)(var), min, max}
#define P_NAME(name, var, kind, optional) \
	{name, (var).s, (var).s ? (size_t)(var).len : 0, kind, optional}

int phones_params_check(void)
{
	const ph_int_param_t ints[] = {
			P_INT("fetch_rows", phones_fetch_rows, 1, INT_MAX),
			P_INT("match_limit", phones_match_limit, 1, INT_MAX),
			P_INT("depth_limit", phones_depth_limit, 1, INT_MAX),
			P_INT("pai_outbound_cid", phones_pai_outbound_cid, 0, 1),
			P_INT("phone_any_from", phones_phone_any_from, 0, 1),
			P_INT("dmq", phones_dmq, 0, 1),
			P_INT("server_timeout", phones_server_timeout, 0, 3600000),
			P_INT("trunk_timeout", phones_trunk_timeout, 0, 3600000),
			P_INT("reload_interval", phones_reload_interval, 0, INT_MAX),
			P_INT("reload_max_shrink", phones_reload_max_shrink, 0, 100),
			P_INT("server_port", phones_server_port, 1, 65535),
			P_INT("server_down_time", phones_server_down_time, 1, INT_MAX),
			P_INT("server_probe_interval", phones_server_probe_interval, 0,
					INT_MAX),
			P_INT("lockout_failures", phones_lockout_failures, 0, INT_MAX),
			P_INT("lockout_address_extensions",
					phones_lockout_address_extensions, 0, INT_MAX),
			P_INT("lockout_extension_failures",
					phones_lockout_extension_failures, 0, INT_MAX),
			P_INT("lockout_window", phones_lockout_window, 1, INT_MAX),
			P_INT("lockout_time", phones_lockout_time, 1, INT_MAX),
			P_INT("lockout_first_time", phones_lockout_first_time, 0,
					INT_MAX),
			P_INT("lockout_trust_time", phones_lockout_trust_time, 0, INT_MAX),
			P_INT("lockout_slots", phones_lockout_slots, 1, 1 << 24),
			P_INT("challenge_slots", phones_challenge_slots, 0, 1 << 24),
			P_INT("challenge_time", phones_challenge_time, 1, 86400),
			P_INT("peer_status_interval", phones_peer_status_interval, 0,
					INT_MAX),
			P_INT("peer_lagged_ms", phones_peer_lagged_ms, 0, 32767),
			P_INT("peer_unreachable_time", phones_peer_unreachable_time, 0,
					INT_MAX),
			P_INT("peer_ping_updates", phones_peer_ping_updates, 0, 1),
			P_INT("tcp_per_address", phones_tcp_per_address, 0, INT_MAX),
	};
	const ph_name_param_t names[] = {
			P_NAME("db_url", phones_db_url, PH_NAME_DB_URL, 0),
			P_NAME("server_ip", phones_server_ip, PH_NAME_ADDRESS, 1),
			P_NAME("register_protocols", phones_register_protocols_text,
					PH_NAME_PROTOCOLS, 0),
			P_NAME("rpc_allow", phones_rpc_allow, PH_NAME_METHODS, 1),
			P_NAME("probe_from", phones_probe_from, PH_NAME_SIP_URI, 0),
			P_NAME("last_server_htable", phones_last_server_htable,
					PH_NAME_HTABLE, 1),
			P_NAME("devices_domain", phones_devices_domain, PH_NAME_TABLE, 0),
			P_NAME("peer_status_domain", phones_peer_status_domain,
					PH_NAME_TABLE, 0),
			P_NAME("table", phones_table_name, PH_NAME_TABLE, 0),
			P_NAME("extension_column", phones_extension_column, PH_NAME_COLUMN,
					0),
			P_NAME("dialplan_number_column", phones_dialplan_number_column,
					PH_NAME_COLUMN, 0),
			P_NAME("conf_secret_column", phones_conf_secret_column,
					PH_NAME_COLUMN, 0),
			P_NAME("protocol_column", phones_protocol_column, PH_NAME_COLUMN, 0),
			P_NAME("active_column", phones_active_column, PH_NAME_COLUMN, 0),
			P_NAME("server_ip_column", phones_server_ip_column, PH_NAME_COLUMN,
					0),
			P_NAME("outbound_cid_column", phones_outbound_cid_column,
					PH_NAME_COLUMN, 0),
			P_NAME("routes_table", phones_routes_table, PH_NAME_TABLE, 1),
			P_NAME("route_id_column", phones_route_id_column, PH_NAME_COLUMN, 0),
			P_NAME("route_priority_column", phones_route_priority_column,
					PH_NAME_COLUMN, 0),
			P_NAME("route_match_column", phones_route_match_column,
					PH_NAME_COLUMN, 0),
			P_NAME("route_repl_column", phones_route_repl_column,
					PH_NAME_COLUMN, 0),
			P_NAME("route_trunk_column", phones_route_trunk_column,
					PH_NAME_COLUMN, 0),
			P_NAME("route_description_column", phones_route_description_column,
					PH_NAME_COLUMN, 0),
			P_NAME("devices_table", phones_devices_table, PH_NAME_TABLE, 1),
			P_NAME("devices_extension_column", phones_devices_extension_column,
					PH_NAME_COLUMN, 0),
			P_NAME("devices_device_column", phones_devices_device_column,
					PH_NAME_COLUMN, 0),
			P_NAME("devices_position_column", phones_devices_position_column,
					PH_NAME_COLUMN, 0),
			P_NAME("devices_ring_column", phones_devices_ring_column,
					PH_NAME_COLUMN, 0),
			P_NAME("devices_active_column", phones_devices_active_column,
					PH_NAME_COLUMN, 0),
			P_NAME("servers_table", phones_servers_table, PH_NAME_TABLE, 1),
			P_NAME("servers_ip_column", phones_servers_ip_column, PH_NAME_COLUMN,
					0),
			P_NAME("servers_active_column", phones_servers_active_column,
					PH_NAME_COLUMN, 0),
			P_NAME("servers_asterisk_column", phones_servers_asterisk_column,
					PH_NAME_COLUMN, 1),
			P_NAME("users_table", phones_users_table, PH_NAME_TABLE, 0),
			P_NAME("templates_table", phones_templates_table, PH_NAME_TABLE, 0),
			P_NAME("aliases_table", phones_aliases_table, PH_NAME_TABLE, 0),
			P_NAME("peer_status_column", phones_peer_status_column,
					PH_NAME_COLUMN, 1),
			P_NAME("ping_time_column", phones_ping_time_column, PH_NAME_COLUMN,
					1),
	};
	char err[256];

	if(ph_params_check(ints, sizeof(ints) / sizeof(ints[0]), names,
			   sizeof(names) / sizeof(names[0]), err, sizeof(err))
			< 0) {
		LM_ERR("modparam(\"phones\", ...): %s\n", err);
		return -1;
	}
	return 0;
}
