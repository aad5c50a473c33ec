/*
 * kamailio-phones: statistics, under the group "phones".
 *
 * The table's own figures are read from the current table when asked for;
 * outcomes of requests are counters.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/dprint.h"

#include "phones_stats.h"
#include "phones_store.h"

static stat_var *verdict_stats[PH_AUTH_VERDICT_COUNT];
static stat_var *auth_stats[PHONES_AUTH_STAT_COUNT];
static stat_var *route_stats[PH_ROUTE_VERDICT_COUNT];
static stat_var *route_no_rule;
static stat_var *route_rule_errors;
static stat_var *reload_stats[PHONES_RELOAD_REFUSED + 1];
static stat_var *auth_locked;
static stat_var *lockouts;
static stat_var *call_from[PH_CALLER_COUNT];
static stat_var *call_to[PH_CALL_VERDICT_COUNT];
static stat_var *server_failures;
static stat_var *device_calls;
static stat_var *device_groups;
static stat_var *peer_writes;
static stat_var *peer_write_errors;
static stat_var *dmq_sent;
static stat_var *dmq_received;
static stat_var *dmq_refused;

typedef enum table_figure
{
	FIGURE_ENTRIES,
	FIGURE_SKIPPED,
	FIGURE_AMBIGUOUS,
	FIGURE_ROUTES,
	FIGURE_SERVERS,
	FIGURE_CARRIERS,
} table_figure_t;

static stat_val table_figure(table_figure_t which)
{
	phones_ref_t *ref = phones_store_acquire();
	const ph_table_counts_t *c;
	stat_val v = 0;

	if(ref == NULL)
		return 0;
	c = ph_table_counts(ref->table);
	switch(which) {
		case FIGURE_ENTRIES:
			v = (stat_val)c->loaded;
			break;
		case FIGURE_SKIPPED:
			v = (stat_val)c->skipped;
			break;
		case FIGURE_AMBIGUOUS:
			v = (stat_val)c->ambiguous_extensions;
			break;
		case FIGURE_ROUTES:
			v = (stat_val)ph_rules_count(ref->rules);
			break;
		case FIGURE_SERVERS:
			v = (stat_val)ph_peers_servers(ref->peers);
			break;
		case FIGURE_CARRIERS:
			v = (stat_val)ph_peers_carriers(ref->peers);
			break;
	}
	phones_store_release(ref);
	return v;
}

static stat_val stat_entries(void)
{
	return table_figure(FIGURE_ENTRIES);
}

static stat_val stat_skipped(void)
{
	return table_figure(FIGURE_SKIPPED);
}

static stat_val stat_ambiguous(void)
{
	return table_figure(FIGURE_AMBIGUOUS);
}

static stat_val stat_routes(void)
{
	return table_figure(FIGURE_ROUTES);
}

static stat_val stat_servers(void)
{
	return table_figure(FIGURE_SERVERS);
}

static stat_val stat_carriers(void)
{
	return table_figure(FIGURE_CARRIERS);
}

static stat_val stat_devices(void)
{
	phones_devices_ref_t *ref = phones_devices_acquire();
	stat_val v = ref ? (stat_val)ph_devices_count(ref->devices) : 0;

	phones_devices_release(ref);
	return v;
}

static phones_stats_gauge_f servers_down_gauge = NULL;
static phones_stats_gauge_f dmq_peers_gauge = NULL;

void phones_stats_servers_down_gauge(phones_stats_gauge_f f)
{
	servers_down_gauge = f;
}

void phones_stats_dmq_peers_gauge(phones_stats_gauge_f f)
{
	dmq_peers_gauge = f;
}

static stat_val stat_servers_down(void)
{
	return servers_down_gauge ? (stat_val)servers_down_gauge() : 0;
}

static stat_val stat_last_reload(void)
{
	return (stat_val)phones_reload_last();
}

static stat_val stat_last_reload_ms(void)
{
	return (stat_val)phones_reload_last_ms();
}

static stat_val stat_dmq_peers(void)
{
	return dmq_peers_gauge ? (stat_val)dmq_peers_gauge() : 0;
}

static stat_export_t phones_stats[] = {
		{"entries", STAT_IS_FUNC, (stat_var **)stat_entries},
		{"skipped_rows", STAT_IS_FUNC, (stat_var **)stat_skipped},
		{"ambiguous_extensions", STAT_IS_FUNC, (stat_var **)stat_ambiguous},
		{"auth_accepted", 0, &verdict_stats[PH_AUTH_OK]},
		{"auth_refused_unknown", 0, &verdict_stats[PH_AUTH_UNKNOWN]},
		{"auth_refused_inactive", 0, &verdict_stats[PH_AUTH_INACTIVE]},
		{"auth_refused_external", 0, &verdict_stats[PH_AUTH_EXTERNAL]},
		{"auth_refused_protocol", 0, &verdict_stats[PH_AUTH_PROTOCOL]},
		{"auth_refused_ambiguous", 0, &verdict_stats[PH_AUTH_AMBIGUOUS]},
		{"auth_refused_no_secret", 0, &verdict_stats[PH_AUTH_NO_SECRET]},
		{"auth_refused_password", 0,
				&auth_stats[PHONES_AUTH_STAT_PASSWORD]},
		{"auth_refused_mismatch", 0,
				&auth_stats[PHONES_AUTH_STAT_MISMATCH]},
		{"auth_no_credentials", 0,
				&auth_stats[PHONES_AUTH_STAT_NO_CREDENTIALS]},
		{"auth_stale_nonce", 0, &auth_stats[PHONES_AUTH_STAT_STALE_NONCE]},
		{"auth_errors", 0, &auth_stats[PHONES_AUTH_STAT_ERROR]},
		{"auth_refused_elsewhere", 0,
				&auth_stats[PHONES_AUTH_STAT_ELSEWHERE]},
		{"auth_refused_locked", 0, &auth_locked},
		{"lockouts", 0, &lockouts},
		{"routes", STAT_IS_FUNC, (stat_var **)stat_routes},
		{"route_external", 0, &route_stats[PH_ROUTE_EXTERNAL]},
		{"route_not_external", 0, &route_stats[PH_ROUTE_DEVICE]},
		{"route_unknown", 0, &route_stats[PH_ROUTE_UNKNOWN]},
		{"route_inactive", 0, &route_stats[PH_ROUTE_INACTIVE]},
		{"route_ambiguous", 0, &route_stats[PH_ROUTE_AMBIGUOUS]},
		{"route_no_rule", 0, &route_no_rule},
		{"route_rule_errors", 0, &route_rule_errors},
		{"servers", STAT_IS_FUNC, (stat_var **)stat_servers},
		{"carriers", STAT_IS_FUNC, (stat_var **)stat_carriers},
		{"servers_down", STAT_IS_FUNC, (stat_var **)stat_servers_down},
		{"server_failures", 0, &server_failures},
		{"devices", STAT_IS_FUNC, (stat_var **)stat_devices},
		{"calls_to_devices", 0, &device_calls},
		{"device_groups_rung", 0, &device_groups},
		{"calls_from_phone", 0, &call_from[PH_CALLER_PHONE]},
		{"calls_from_server", 0, &call_from[PH_CALLER_SERVER]},
		{"calls_from_carrier", 0, &call_from[PH_CALLER_CARRIER]},
		{"calls_from_unknown", 0, &call_from[PH_CALLER_UNKNOWN]},
		{"calls_to_device", 0, &call_to[PH_CALL_DEVICE]},
		{"calls_to_external", 0, &call_to[PH_CALL_EXTERNAL]},
		{"calls_dial_out", 0, &call_to[PH_CALL_DIAL_OUT]},
		{"calls_to_home_server", 0, &call_to[PH_CALL_HOME_SERVER]},
		{"calls_did", 0, &call_to[PH_CALL_DID]},
		{"calls_not_found", 0, &call_to[PH_CALL_NOT_FOUND]},
		{"reloads", 0, &reload_stats[PHONES_RELOAD_DONE]},
		{"reloads_failed", 0, &reload_stats[PHONES_RELOAD_FAILED]},
		{"reloads_refused", 0, &reload_stats[PHONES_RELOAD_REFUSED]},
		{"reloads_busy", 0, &reload_stats[PHONES_RELOAD_BUSY]},
		{"last_reload", STAT_IS_FUNC, (stat_var **)stat_last_reload},
		{"last_reload_ms", STAT_IS_FUNC, (stat_var **)stat_last_reload_ms},
		{"peer_status_writes", 0, &peer_writes},
		{"peer_status_write_errors", 0, &peer_write_errors},
		{"dmq_sent", 0, &dmq_sent},
		{"dmq_received", 0, &dmq_received},
		{"dmq_refused", 0, &dmq_refused},
		{"dmq_peers", STAT_IS_FUNC, (stat_var **)stat_dmq_peers},
		{0, 0, 0}};

int phones_stats_register(void)
{
	if(register_module_stats("phones", phones_stats) != 0) {
		LM_ERR("cannot register the statistics\n");
		return -1;
	}
	return 0;
}

void phones_stats_verdict(ph_auth_verdict_t v)
{
	if(v >= 0 && v < PH_AUTH_VERDICT_COUNT)
		update_stat(verdict_stats[v], 1);
}

void phones_stats_auth(phones_auth_stat_t s)
{
	if(s >= 0 && s < PHONES_AUTH_STAT_COUNT)
		update_stat(auth_stats[s], 1);
}

void phones_stats_route(ph_route_verdict_t v)
{
	if(v >= 0 && v < PH_ROUTE_VERDICT_COUNT)
		update_stat(route_stats[v], 1);
}

void phones_stats_route_no_rule(void)
{
	update_stat(route_no_rule, 1);
}

void phones_stats_route_errors(unsigned n)
{
	update_stat(route_rule_errors, (int)n);
}

void phones_stats_reload(phones_reload_outcome_t outcome)
{
	if(outcome >= PHONES_RELOAD_DONE && outcome <= PHONES_RELOAD_REFUSED)
		update_stat(reload_stats[outcome], 1);
}

void phones_stats_locked(void)
{
	update_stat(auth_locked, 1);
}

void phones_stats_devices_call(void)
{
	update_stat(device_calls, 1);
}

void phones_stats_device_group(void)
{
	update_stat(device_groups, 1);
}

void phones_stats_lockout(void)
{
	update_stat(lockouts, 1);
}

void phones_stats_call(ph_caller_t caller, ph_call_verdict_t verdict)
{
	if(caller >= 0 && caller < PH_CALLER_COUNT)
		update_stat(call_from[caller], 1);
	if(verdict >= 0 && verdict < PH_CALL_VERDICT_COUNT)
		update_stat(call_to[verdict], 1);
}

void phones_stats_server_failed(void)
{
	update_stat(server_failures, 1);
}

void phones_stats_peer_written(unsigned n)
{
	update_stat(peer_writes, (int)n);
}

void phones_stats_peer_error(void)
{
	update_stat(peer_write_errors, 1);
}

void phones_stats_dmq_sent(void)
{
	update_stat(dmq_sent, 1);
}

void phones_stats_dmq_received(void)
{
	update_stat(dmq_received, 1);
}

void phones_stats_dmq_refused(void)
{
	update_stat(dmq_refused, 1);
}
