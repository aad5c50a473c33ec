/*
 * kamailio-phones: unit tests of the servers' health (server_health.c):
 * taken out on failure, back when the time is up (no probes) or on a
 * probe's answer, a table that is full, the lock held on every call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/server_health.h"

static int held, takes;

static void t_lock(void *ctx)
{
	(void)ctx;
	assert_int_equal(held, 0); /* never taken twice */
	held = 1;
	takes++;
}

static void t_unlock(void *ctx)
{
	(void)ctx;
	assert_int_equal(held, 1);
	held = 0;
}

static const ph_lock_t lock = {t_lock, t_unlock, NULL};

static uint64_t now_ms;

static time_t c_now(void *ctx)
{
	(void)ctx;
	return (time_t)(now_ms / 1000);
}

static uint64_t c_ms(void *ctx)
{
	(void)ctx;
	return now_ms;
}

static void c_pause(void *ctx)
{
	(void)ctx;
}

static const ph_clock_t clk = {c_now, c_ms, c_pause, NULL};

static ph_server_health_t *make(size_t slots, uint32_t down, int probing)
{
	ph_health_policy_t p = {down, probing};
	ph_server_health_t *h;

	now_ms = 1000000;
	held = 0;
	takes = 0;
	h = ph_server_health_new(&ph_allocator_libc, slots, &p, &lock, &clk);
	assert_non_null(h);
	return h;
}

#define S(x) x, sizeof(x) - 1

static void test_down_for_a_time(void **state)
{
	ph_server_health_t *h = make(4, 30, 0);

	(void)state;
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.2")), 0);
	assert_int_equal(takes, 0); /* nothing failed yet: no lock */
	assert_int_equal(ph_server_health_failed(h, S("127.0.0.2")), 1);
	assert_int_equal(ph_server_health_failed(h, S("127.0.0.2")), 0);
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.2")), 1);
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.3")), 0);
	/* a prefix of an address is another address */
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.")), 0);
	assert_int_equal(ph_server_health_down_count(h), 1);
	now_ms += 29999;
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.2")), 1);
	now_ms += 1;
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.2")), 0);
	assert_int_equal(ph_server_health_down_count(h), 0);
	/* back, it can fail again */
	assert_int_equal(ph_server_health_failed(h, S("127.0.0.2")), 1);
	assert_int_equal(held, 0);
	ph_server_health_free(h);
}

static void test_probes(void **state)
{
	ph_server_health_t *h = make(4, 30, 1);
	ph_health_probe_t pr[4];
	char ip[PH_HEALTH_MAX_IP + 1];

	(void)state;
	assert_int_equal(ph_server_health_to_probe(h, pr, 4), 0);
	ph_server_health_failed(h, S("127.0.0.2"));
	ph_server_health_failed(h, S("::1"));
	assert_int_equal(ph_server_health_to_probe(h, pr, 4), 2);
	assert_string_equal(pr[0].ip, "127.0.0.2");
	assert_string_equal(pr[1].ip, "::1");
	assert_int_equal(ph_server_health_to_probe(h, pr, 1), 1);
	/* with probes, the time alone brings nobody back */
	now_ms += 3600 * 1000;
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.2")), 1);
	/* a failed probe keeps it out, an answer brings it back */
	assert_int_equal(ph_server_health_probed(h, pr[0].index, 0, NULL), 0);
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.2")), 1);
	assert_int_equal(ph_server_health_probed(h, pr[0].index, 1, ip), 1);
	assert_string_equal(ip, "127.0.0.2");
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.2")), 0);
	assert_int_equal(ph_server_health_probed(h, pr[0].index, 1, NULL), 0);
	assert_int_equal(ph_server_health_to_probe(h, pr, 4), 1);
	assert_string_equal(pr[0].ip, "::1");
	assert_int_equal(ph_server_health_probed(h, 4, 1, NULL), -1);
	assert_int_equal(ph_server_health_probed(h, 2, 1, NULL), -1);
	ph_server_health_free(h);
}

static void test_bad_input_and_full(void **state)
{
	ph_server_health_t *h = make(2, 30, 0);
	ph_health_policy_t p = {30, 0};
	char longip[PH_HEALTH_MAX_IP + 2];

	(void)state;
	memset(longip, '1', sizeof(longip));
	assert_int_equal(ph_server_health_failed(h, "", 0), -1);
	assert_int_equal(ph_server_health_failed(h, longip, sizeof(longip)), -1);
	assert_int_equal(ph_server_health_is_down(h, longip, sizeof(longip)), 0);
	assert_int_equal(ph_server_health_failed(h, S("127.0.0.2")), 1);
	assert_int_equal(ph_server_health_failed(h, S("127.0.0.3")), 1);
	/* full: a third server is never taken out, the others stay */
	assert_int_equal(ph_server_health_failed(h, S("127.0.0.4")), -1);
	assert_int_equal(ph_server_health_is_down(h, S("127.0.0.4")), 0);
	assert_int_equal(ph_server_health_down_count(h), 2);
	ph_server_health_free(h);
	assert_null(ph_server_health_new(&ph_allocator_libc, 0, &p, &lock, &clk));
	assert_null(ph_server_health_new(&ph_allocator_libc, 4, NULL, &lock, &clk));
	assert_int_equal(ph_server_health_is_down(NULL, S("127.0.0.2")), 0);
	assert_int_equal(ph_server_health_failed(NULL, S("127.0.0.2")), -1);
	ph_server_health_free(NULL);
}

static void test_no_memory(void **state)
{
	unit_alloc_t a;
	ph_health_policy_t p = {30, 0};

	(void)state;
	unit_alloc_init(&a, 0);
	assert_null(ph_server_health_new(&a.allocator, 4, &p, &lock, &clk));
	assert_int_equal(a.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_down_for_a_time),
			cmocka_unit_test(test_probes),
			cmocka_unit_test(test_bad_input_and_full),
			cmocka_unit_test(test_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
