/*
 * kamailio-phones: unit tests of the one writer of SIP URIs (ph_sip_uri).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/sip_user.h"

#define S(x) x, sizeof(x) - 1

static void test_shapes(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(ph_sip_uri(out, sizeof(out), NULL, S("100"),
							 S("127.0.0.2"), 5060, NULL, 0),
			(int)strlen("sip:100@127.0.0.2:5060"));
	assert_string_equal(out, "sip:100@127.0.0.2:5060");
	ph_sip_uri(out, sizeof(out), NULL, NULL, 0, S("127.0.0.2"), 5060, NULL, 0);
	assert_string_equal(out, "sip:127.0.0.2:5060");
	ph_sip_uri(out, sizeof(out), "sips", S("+15551234"), S("carrier.example"),
			0, S("transport=tls"));
	assert_string_equal(out, "sips:+15551234@carrier.example;transport=tls");
	/* IPv6: brackets added once */
	ph_sip_uri(out, sizeof(out), NULL, S("7"), S("::1"), 5060, NULL, 0);
	assert_string_equal(out, "sip:7@[::1]:5060");
	ph_sip_uri(out, sizeof(out), NULL, S("7"), S("[::1]"), 0, NULL, 0);
	assert_string_equal(out, "sip:7@[::1]");
}

static void test_refusals(void **state)
{
	char out[24];

	(void)state;
	/* does not fit: -1 and an empty string, never a cut URI */
	assert_int_equal(ph_sip_uri(out, sizeof(out), NULL, S("1234567890"),
							 S("127.0.0.2"), 5060, NULL, 0),
			-1);
	assert_string_equal(out, "");
	/* exactly fits */
	assert_int_equal(ph_sip_uri(out, sizeof(out), NULL, S("1234"),
							 S("127.0.0.2"), 5060, NULL, 0),
			23);
	assert_int_equal(
			ph_sip_uri(out, sizeof(out), NULL, S("1"), "", 0, 0, NULL, 0), -1);
	assert_int_equal(
			ph_sip_uri(out, sizeof(out), NULL, S("1"), S("h"), 70000, NULL, 0),
			-1);
	assert_int_equal(ph_sip_uri(NULL, 0, NULL, S("1"), S("h"), 0, NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_shapes),
			cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
