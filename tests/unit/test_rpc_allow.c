/*
 * kamailio-phones: unit tests of the RPC allow list (core/rpc_allow.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/rpc_allow.h"

static int allowed(const char *list, const char *method)
{
	return ph_rpc_allowed(list, method, strlen(method));
}

static void test_exact_and_prefix(void **state)
{
	const char *list = "phones., stats.get_statistics ,core.uptime";

	(void)state;
	assert_true(allowed(list, "phones.get"));
	assert_true(allowed(list, "phones.reload"));
	assert_true(allowed(list, "stats.get_statistics"));
	assert_true(allowed(list, "core.uptime"));
	/* a prefix needs something after it */
	assert_false(allowed(list, "phones."));
	assert_false(allowed(list, "phones"));
	/* exact names are exact */
	assert_false(allowed(list, "core.uptimes"));
	assert_false(allowed(list, "core.upti"));
	assert_false(allowed(list, "stats.reset_statistics"));
	assert_false(allowed(list, "core.kill"));
	assert_false(allowed(list, "ul.add"));
	assert_false(allowed(list, "tm.t_uac_start"));
}

static void test_all_and_none(void **state)
{
	(void)state;
	assert_true(allowed("*", "core.kill"));
	assert_true(allowed("core.version, *", "ul.add"));
	assert_false(allowed("", "core.version"));
	assert_false(ph_rpc_allowed(NULL, "core.version", 12));
	assert_false(ph_rpc_allowed("*", NULL, 0));
	assert_false(allowed("*", ""));
	assert_false(allowed(",,", "core.version"));
}

/* Methods that could fool a comparison never pass. */
static void test_odd_methods(void **state)
{
	const char nul[] = "phones.get\0core.kill";

	(void)state;
	assert_false(allowed("*", "core kill"));
	assert_false(allowed("phones.", "phones.get\r\n"));
	assert_false(ph_rpc_allowed("phones.", nul, sizeof(nul) - 1));
	assert_false(allowed("phones.", "phones.g\xc3\xa9t"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_exact_and_prefix),
			cmocka_unit_test(test_all_and_none),
			cmocka_unit_test(test_odd_methods),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
