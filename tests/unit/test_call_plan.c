/*
 * kamailio-phones: unit tests of the plan of a call (ph_call_plan): every
 * flow of the table in call_plan.h and every refusal.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/call_plan.h"

#define S(x) x, sizeof(x) - 1

typedef struct world
{
	ph_table_t *table;
	ph_rules_t *rules;
	ph_matcher_t *matcher;
	ph_peers_t *peers;
	ph_devices_t *devices;
	ph_protocol_set_t registering;
} world_t;

static world_t w;

static int setup(void **state)
{
	static const char *const servers[] = {
			"127.0.0.2", "127.0.0.3", "127.0.0.4"};
	ph_row_t rows[] = {
			unit_row("100", "5550100", "pw", "SIP", "Y", "127.0.0.3",
					"3125550100"),
			unit_row("100", "5550100", "pw", "SIP", "Y", "127.0.0.4",
					"3125550100"),
			unit_row("101", "5550101", "pw", "SIP", "Y", "127.0.0.2", NULL),
			unit_row("8001", "913125558001", "", "EXTERNAL", "Y", "127.0.0.2",
					"3125558001"),
			unit_row("8002", "777", "", "EXTERNAL", "Y", "127.0.0.2", NULL),
			unit_row("300", "5550300", "pw", "SIP", "N", "127.0.0.2", NULL),
			unit_row("700", "5550700", "pw", "SIP", "Y", "127.0.0.2", NULL),
			unit_row("ring", "5550900", "pw", "SIP", "Y", "127.0.0.2", NULL),
	};
	ph_rule_row_t r1 = unit_rule_row(1, 0, "^9(1[0-9]+)$", "\\1",
			"sip:127.0.0.9:5060;transport=udp", "");
	ph_rule_row_t r2 = unit_rule_row(2, 1, "^8(.*)$", "\\1", "ds:3", "");
	ph_server_row_t sr;
	ph_device_row_t d;
	char err[256];
	size_t i;

	(void)state;
	w.table = ph_table_new(&ph_allocator_libc);
	for(i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ph_table_add_row(w.table, &rows[i]);
	w.rules = ph_rules_new(&ph_allocator_libc);
	if(ph_rules_add(w.rules, &r1, err, sizeof(err)) != 0
			|| ph_rules_add(w.rules, &r2, err, sizeof(err)) != 0)
		return -1;
	w.matcher = ph_matcher_new(100000, 1000);
	w.peers = ph_peers_new(&ph_allocator_libc, 5060);
	for(i = 0; i < 3; i++) {
		sr.server_ip = unit_field(servers[i]);
		sr.active = unit_field("Y");
		sr.active_asterisk_server = unit_field("Y");
		ph_peers_add_server(w.peers, &sr);
	}
	ph_peers_add_carriers(w.peers, w.rules, NULL);
	w.devices = ph_devices_new(&ph_allocator_libc);
	d.extension = unit_field("ring");
	d.device = unit_field("101");
	d.position = unit_field("1");
	d.ring_seconds = unit_field("20");
	d.active = unit_field("Y");
	ph_devices_add_row(w.devices, &d);
	d.device = unit_field("9131255512");
	d.position = unit_field("2");
	ph_devices_add_row(w.devices, &d);
	/* an extension whose only device is inactive: no devices plan */
	d.extension = unit_field("700");
	d.device = unit_field("101");
	d.active = unit_field("N");
	ph_devices_add_row(w.devices, &d);
	ph_protocol_set_parse(S("SIP,PJSIP"), &w.registering);
	return (w.table && w.matcher && w.peers && w.devices) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ph_devices_free(w.devices);
	ph_peers_free(w.peers);
	ph_matcher_free(w.matcher);
	ph_rules_free(w.rules);
	ph_table_free(w.table);
	return 0;
}

static ph_call_facts_t facts(ph_caller_t caller, const char *user)
{
	ph_call_facts_t f;

	memset(&f, 0, sizeof(f));
	f.caller = caller;
	f.user.s = user;
	f.user.len = (uint32_t)strlen(user);
	f.table = w.table;
	f.rules = w.rules;
	f.matcher = w.matcher;
	f.peers = w.peers;
	f.devices = w.devices;
	f.registering = w.registering;
	return f;
}

static ph_call_facts_t from_phone(const char *ext, const char *user)
{
	ph_call_facts_t f = facts(PH_CALLER_PHONE, user);

	f.phone.s = ext;
	f.phone.len = (uint32_t)strlen(ext);
	f.from_user = f.phone;
	return f;
}

static ph_call_plan_t plan;

static void assert_refused(const ph_call_facts_t *f, int code, const char *r)
{
	ph_call_plan(f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_REFUSED);
	assert_int_equal(plan.code, code);
	assert_string_equal(plan.reason, r);
}

static const char *server_of(size_t i)
{
	return ph_peers_server_ip(w.peers, plan.servers[i]);
}

/* server -> device: its contacts; the same from a phone and a carrier */
static void test_contacts(void **state)
{
	ph_call_facts_t f = facts(PH_CALLER_SERVER, "101");

	(void)state;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_CONTACTS);
	assert_int_equal(plan.verdict, PH_CALL_DEVICE);
	assert_non_null(plan.entry);
	assert_int_equal(plan.entry->extension.len, 3);
	f = from_phone("100", "101");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_CONTACTS);
	f = facts(PH_CALLER_CARRIER, "101");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_CONTACTS);
	/* a device's dialplan number is the device too */
	f = facts(PH_CALLER_SERVER, "5550101");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_CONTACTS);
}

/* server -> extension with active devices: they ring; only a server's */
static void test_devices(void **state)
{
	ph_call_facts_t f = facts(PH_CALLER_SERVER, "ring");

	(void)state;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_DEVICES);
	assert_int_equal(plan.devices.nsteps, 2);
	assert_int_equal(plan.devices.steps[0].kind, PH_TARGET_CONTACTS);
	assert_int_equal(plan.devices.steps[1].kind, PH_TARGET_NUMBER);
	/* without the devices table: the entry itself */
	f.devices = NULL;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_CONTACTS);
	/* a phone calling it rings the entry, not the devices */
	f = from_phone("100", "ring");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_CONTACTS);
	/* only inactive devices: the entry */
	f = facts(PH_CALLER_SERVER, "700");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_CONTACTS);
	/* a new call starts at the first position, whatever devices_from */
	f = facts(PH_CALLER_SERVER, "ring");
	f.devices_from = 1;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_DEVICES);
	assert_int_equal(plan.position, 0);
}

/* the devices part alone (phones_devices(), the failover): from the step
 * asked, whoever calls; 480 when no position is left, 404 without active
 * devices */
static void test_devices_from(void **state)
{
	ph_call_facts_t f = facts(PH_CALLER_UNKNOWN, "ring");

	(void)state;
	ph_call_plan_devices(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_DEVICES);
	assert_int_equal(plan.position, 0);
	assert_int_equal(plan.devices.nsteps, 2);
	f.devices_from = 1;
	ph_call_plan_devices(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_DEVICES);
	assert_int_equal(plan.position, 1);
	assert_int_equal(plan.devices.steps[plan.position].kind,
			PH_TARGET_NUMBER);
	f.devices_from = 2;
	ph_call_plan_devices(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_REFUSED);
	assert_int_equal(plan.code, 480);
	assert_string_equal(plan.reason, "Temporarily Unavailable");
	f.devices_from = 0;
	f.user.s = "700";
	f.user.len = 3;
	ph_call_plan_devices(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_REFUSED);
	assert_int_equal(plan.code, 404);
	f.devices = NULL;
	f.user.s = "ring";
	f.user.len = 4;
	ph_call_plan_devices(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_REFUSED);
	assert_int_equal(plan.code, 404);
	f.devices = w.devices;
	f.user.len = 0;
	ph_call_plan_devices(&f, &plan);
	assert_int_equal(plan.code, 404);
}

/* phone, server -> EXTERNAL: its number out the trunk, with a caller ID */
static void test_external(void **state)
{
	ph_call_facts_t f = facts(PH_CALLER_SERVER, "8001");

	(void)state;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_TRUNK);
	assert_int_equal(plan.verdict, PH_CALL_EXTERNAL);
	assert_string_equal(plan.number, "13125558001");
	assert_int_equal(plan.number_len, 11);
	assert_int_equal(ph_rule_id(plan.rule), 1);
	assert_int_equal(plan.trunk->kind, PH_TRUNK_URI);
	assert_int_equal(plan.identity.len, 10);
	assert_memory_equal(plan.identity.s, "3125558001", 10);
	/* a phone's call asserts the phone's own caller ID */
	f = from_phone("100", "8001");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_TRUNK);
	assert_memory_equal(plan.identity.s, "3125550100", 10);
	/* a phone without one: the entry's */
	f = from_phone("101", "8001");
	ph_call_plan(&f, &plan);
	assert_memory_equal(plan.identity.s, "3125558001", 10);
}

/* server -> a number: out by the rules (a URI or a dispatcher set) */
static void test_dial_out(void **state)
{
	ph_call_facts_t f = facts(PH_CALLER_SERVER, "913125551234");

	(void)state;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_TRUNK);
	assert_int_equal(plan.verdict, PH_CALL_DIAL_OUT);
	assert_string_equal(plan.number, "13125551234");
	assert_int_equal(plan.identity.len, 0);
	f = facts(PH_CALLER_SERVER, "8123");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_TRUNK);
	assert_int_equal(plan.trunk->kind, PH_TRUNK_DISPATCHER);
	assert_int_equal(plan.trunk->ds_set, 3);
	assert_string_equal(plan.number, "123");
}

/* phone -> a number: its home servers, the last one first, the one
 * taken out last */
static void test_home_servers(void **state)
{
	ph_call_facts_t f = from_phone("100", "913125551234");

	(void)state;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_SERVERS);
	assert_int_equal(plan.verdict, PH_CALL_HOME_SERVER);
	assert_int_equal(plan.nservers, 2);
	assert_string_equal(server_of(0), "127.0.0.3");
	assert_string_equal(server_of(1), "127.0.0.4");
	assert_int_equal(plan.identity.len, 3);
	assert_memory_equal(plan.identity.s, "100", 3);
	f.last_server.s = "127.0.0.4";
	f.last_server.len = 9;
	ph_call_plan(&f, &plan);
	assert_string_equal(server_of(0), "127.0.0.4");
	assert_string_equal(server_of(1), "127.0.0.3");
}

static void nolock(void *ctx)
{
	(void)ctx;
}

static void test_servers_health(void **state)
{
	ph_call_facts_t f = facts(PH_CALLER_CARRIER, "5551234");
	ph_health_policy_t pol = {30, 1};
	ph_lock_t lk = {nolock, nolock, NULL};
	ph_server_health_t *h = ph_server_health_new(
			&ph_allocator_libc, 4, &pol, &lk, &ph_clock_libc);

	(void)state;
	f.turn = 1;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_SERVERS);
	assert_int_equal(plan.verdict, PH_CALL_DID);
	assert_int_equal(plan.nservers, 3);
	assert_string_equal(server_of(0), "127.0.0.3");
	assert_string_equal(server_of(1), "127.0.0.4");
	assert_string_equal(server_of(2), "127.0.0.2");
	assert_int_equal(plan.identity.len, 0);
	ph_server_health_failed(h, S("127.0.0.3"));
	f.health = h;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.nservers, 3);
	assert_string_equal(server_of(0), "127.0.0.4");
	assert_string_equal(server_of(1), "127.0.0.2");
	assert_string_equal(server_of(2), "127.0.0.3");
	/* a carrier calling an EXTERNAL entry or a number reaches the servers */
	f = facts(PH_CALLER_CARRIER, "8001");
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_SERVERS);
	ph_server_health_free(h);
}

static void test_refusals(void **state)
{
	ph_call_facts_t f;

	(void)state;
	/* nobody known */
	f = facts(PH_CALLER_UNKNOWN, "101");
	assert_refused(&f, 403, "Forbidden");
	/* a phone's From is itself */
	f = from_phone("100", "913125551234");
	f.from_user.s = "101";
	assert_refused(&f, 403, "From is not the authenticated phone");
	f.from_user.len = 0;
	assert_refused(&f, 403, "From is not the authenticated phone");
	f.any_from = 1;
	ph_call_plan(&f, &plan);
	assert_int_equal(plan.kind, PH_PLAN_SERVERS);
	/* unknown, inactive */
	f = facts(PH_CALLER_SERVER, "300");
	assert_refused(&f, 404, "Not Found");
	f = facts(PH_CALLER_CARRIER, "300");
	ph_call_plan(&f, &plan); /* a carrier's: a DID all the same */
	assert_int_equal(plan.kind, PH_PLAN_SERVERS);
	/* no rule */
	f = facts(PH_CALLER_SERVER, "5551234");
	assert_refused(&f, 404, "No Route");
	f = facts(PH_CALLER_SERVER, "8002");
	assert_refused(&f, 404, "No Route");
	/* no server: a phone on no server of the cluster, no servers at all */
	f = from_phone("101", "5551234");
	f.peers = NULL;
	assert_refused(&f, 503, "No Server Available");
	f = facts(PH_CALLER_CARRIER, "5551234");
	f.peers = NULL;
	assert_refused(&f, 503, "No Server Available");
	/* an empty user */
	f = facts(PH_CALLER_SERVER, "");
	assert_refused(&f, 404, "Not Found");
	assert_string_equal(ph_call_kind_name(PH_PLAN_REFUSED), "refused");
	assert_string_equal(ph_call_kind_name(PH_PLAN_KIND_COUNT), "?");
}

static void test_trunk_for_number(void **state)
{
	ph_call_plan_t p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(ph_call_trunk(w.rules, w.matcher, S("9131255512"), &p), 0);
	assert_string_equal(p.number, "131255512");
	assert_int_equal(ph_call_trunk(w.rules, w.matcher, S("12"), &p), -1);
	assert_null(p.rule);
	assert_int_equal(ph_call_trunk(NULL, w.matcher, S("9131255512"), &p), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_contacts),
			cmocka_unit_test(test_devices),
			cmocka_unit_test(test_devices_from),
			cmocka_unit_test(test_external),
			cmocka_unit_test(test_dial_out),
			cmocka_unit_test(test_home_servers),
			cmocka_unit_test(test_servers_health),
			cmocka_unit_test(test_refusals),
			cmocka_unit_test(test_trunk_for_number),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
