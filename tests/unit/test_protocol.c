/*
 * kamailio-phones: unit tests of the protocol names and protocol sets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/protocol.h"

/* Parses a C string; returns what ph_protocol_parse returns. */
static int parse(const char *s, ph_protocol_t *out)
{
	return ph_protocol_parse(s, s ? strlen(s) : 0, out);
}

static int parse_set(const char *s, ph_protocol_set_t *out)
{
	return ph_protocol_set_parse(s, s ? strlen(s) : 0, out);
}

#define BIT(p) PH_PROTO_BIT(PH_PROTO_##p)

static void test_parse_every_protocol(void **state)
{
	static const struct
	{
		const char *name;
		ph_protocol_t p;
	} cases[] = {{"SIP", PH_PROTO_SIP}, {"PJSIP", PH_PROTO_PJSIP},
			{"IAX2", PH_PROTO_IAX2}, {"Zap", PH_PROTO_ZAP},
			{"EXTERNAL", PH_PROTO_EXTERNAL}};
	ph_protocol_t p;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = PH_PROTO_COUNT;
		assert_int_equal(parse(cases[i].name, &p), 0);
		assert_int_equal(p, cases[i].p);
	}
	/* and every value round-trips through its name */
	for(i = 0; i < PH_PROTO_COUNT; i++) {
		p = PH_PROTO_COUNT;
		assert_int_equal(parse(ph_protocol_name((ph_protocol_t)i), &p), 0);
		assert_int_equal(p, i);
	}
}

static void test_parse_ignores_case(void **state)
{
	static const struct
	{
		const char *name;
		ph_protocol_t p;
	} cases[] = {{"sip", PH_PROTO_SIP}, {"Sip", PH_PROTO_SIP},
			{"sIP", PH_PROTO_SIP}, {"pjsip", PH_PROTO_PJSIP},
			{"PjSip", PH_PROTO_PJSIP}, {"iax2", PH_PROTO_IAX2},
			{"Iax2", PH_PROTO_IAX2}, {"ZAP", PH_PROTO_ZAP},
			{"zap", PH_PROTO_ZAP}, {"zAP", PH_PROTO_ZAP},
			{"external", PH_PROTO_EXTERNAL}, {"ExTeRnAl", PH_PROTO_EXTERNAL}};
	ph_protocol_t p;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		p = PH_PROTO_COUNT;
		assert_int_equal(parse(cases[i].name, &p), 0);
		assert_int_equal(p, cases[i].p);
	}
}

static void test_parse_rejects_others(void **state)
{
	static const char *const bad[] = {"", "S", "SI", "SIPX", "SIPS", "PJSI",
			"PJSIPX", "PJ", "IAX", "IAX1", "IAX22", "Za", "Zapp", "DAHDI",
			"EXTERNA", "EXTERNALS", " SIP", "SIP ", "SIP\t", "S IP",
			"SIP,PJSIP", "\xd0\xa1IP", "5IP"};
	ph_protocol_t p = PH_PROTO_COUNT;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(parse(bad[i], &p) != -1)
			fail_msg("'%s' was accepted", bad[i]);
	}
	/* SQL NULL */
	assert_int_equal(ph_protocol_parse(NULL, 0, &p), -1);
	assert_int_equal(ph_protocol_parse(NULL, 3, &p), -1);
}

static void test_parse_uses_length(void **state)
{
	ph_protocol_t p;

	(void)state;
	/* the value is len bytes, not NUL-terminated */
	p = PH_PROTO_COUNT;
	assert_int_equal(ph_protocol_parse("SIPX", 3, &p), 0);
	assert_int_equal(p, PH_PROTO_SIP);
	p = PH_PROTO_COUNT;
	assert_int_equal(ph_protocol_parse("PJSIP,SIP", 5, &p), 0);
	assert_int_equal(p, PH_PROTO_PJSIP);
	p = PH_PROTO_COUNT;
	assert_int_equal(ph_protocol_parse("Zap", 3, &p), 0);
	assert_int_equal(p, PH_PROTO_ZAP);
	/* a prefix of a name is not the name */
	assert_int_equal(ph_protocol_parse("SIP", 2, &p), -1);
	assert_int_equal(ph_protocol_parse("PJSIP", 4, &p), -1);
	assert_int_equal(ph_protocol_parse("SIP", 0, &p), -1);
	/* embedded NUL bytes are part of the value */
	assert_int_equal(ph_protocol_parse("SIP\0", 4, &p), -1);
	assert_int_equal(ph_protocol_parse("SI\0", 3, &p), -1);
	assert_int_equal(ph_protocol_parse("\0IP", 3, &p), -1);
	assert_int_equal(ph_protocol_parse("Za\0", 3, &p), -1);
}

static void test_protocol_name(void **state)
{
	(void)state;
	assert_string_equal(ph_protocol_name(PH_PROTO_SIP), "SIP");
	assert_string_equal(ph_protocol_name(PH_PROTO_PJSIP), "PJSIP");
	assert_string_equal(ph_protocol_name(PH_PROTO_IAX2), "IAX2");
	assert_string_equal(ph_protocol_name(PH_PROTO_ZAP), "Zap");
	assert_string_equal(ph_protocol_name(PH_PROTO_EXTERNAL), "EXTERNAL");
	assert_string_equal(ph_protocol_name(PH_PROTO_COUNT), "?");
	assert_string_equal(ph_protocol_name((ph_protocol_t)7), "?");
}

static void test_set_parse_lists(void **state)
{
	static const struct
	{
		const char *list;
		ph_protocol_set_t set;
	} cases[] = {
			{"SIP", BIT(SIP)},
			{"PJSIP", BIT(PJSIP)},
			{"SIP,PJSIP", BIT(SIP) | BIT(PJSIP)},
			{"PJSIP,SIP", BIT(SIP) | BIT(PJSIP)},
			{"SIP, PJSIP", BIT(SIP) | BIT(PJSIP)},
			{"SIP ,PJSIP", BIT(SIP) | BIT(PJSIP)},
			{"SIP PJSIP", BIT(SIP) | BIT(PJSIP)},
			{"SIP\tPJSIP", BIT(SIP) | BIT(PJSIP)},
			{"  SIP  ", BIT(SIP)},
			{"\tSIP,\t PJSIP \t", BIT(SIP) | BIT(PJSIP)},
			{"SIP,", BIT(SIP)},
			{"SIP,PJSIP,", BIT(SIP) | BIT(PJSIP)},
			{",SIP", BIT(SIP)},
			{"SIP,,PJSIP", BIT(SIP) | BIT(PJSIP)},
			{"SIP, ,PJSIP", BIT(SIP) | BIT(PJSIP)},
			{"SIP,SIP", BIT(SIP)},
			{"sip,pjsip", BIT(SIP) | BIT(PJSIP)},
			{"IAX2 zap", BIT(IAX2) | BIT(ZAP)},
			{"EXTERNAL", BIT(EXTERNAL)},
			{"SIP,PJSIP,IAX2,Zap,EXTERNAL", BIT(SIP) | BIT(PJSIP) | BIT(IAX2)
													| BIT(ZAP) | BIT(EXTERNAL)},
	};
	ph_protocol_set_t set;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		set = 0xdead0000u;
		if(parse_set(cases[i].list, &set) != 0)
			fail_msg("'%s' was refused", cases[i].list);
		if(set != cases[i].set)
			fail_msg(
					"'%s' gave %#x, not %#x", cases[i].list, set, cases[i].set);
	}
}

static void test_set_parse_default(void **state)
{
	ph_protocol_set_t set = 0;

	(void)state;
	assert_int_equal(parse_set("SIP,PJSIP", &set), 0);
	assert_int_equal(set, PH_PROTO_SET_DEFAULT_REGISTER);
	assert_true(PH_PROTO_SET_DEFAULT_REGISTER & BIT(SIP));
	assert_true(PH_PROTO_SET_DEFAULT_REGISTER & BIT(PJSIP));
	assert_false(PH_PROTO_SET_DEFAULT_REGISTER & BIT(IAX2));
	assert_false(PH_PROTO_SET_DEFAULT_REGISTER & BIT(ZAP));
	assert_false(PH_PROTO_SET_DEFAULT_REGISTER & BIT(EXTERNAL));
}

static void test_set_parse_rejects(void **state)
{
	static const char *const bad[] = {"", " ", "\t", ",", ",,", " , ", "FOO",
			"SIP,FOO", "FOO,SIP", "SIP,PJSIP,X", "SIP;PJSIP", "SIPPJSIP",
			"SIP|PJSIP", "SI,PJSIP", "SIP,PJSI", "SIP\n"};
	ph_protocol_set_t set;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if(parse_set(bad[i], &set) != -1)
			fail_msg("'%s' was accepted", bad[i]);
	}
	assert_int_equal(ph_protocol_set_parse(NULL, 0, &set), -1);
	assert_int_equal(ph_protocol_set_parse(NULL, 9, &set), -1);
}

static void test_set_parse_uses_length(void **state)
{
	ph_protocol_set_t set;

	(void)state;
	set = 0;
	assert_int_equal(ph_protocol_set_parse("SIP,PJSIP", 3, &set), 0);
	assert_int_equal(set, BIT(SIP));
	set = 0;
	assert_int_equal(ph_protocol_set_parse("SIP,PJSIP", 4, &set), 0);
	assert_int_equal(set, BIT(SIP));
	/* "SIP,PJ": the cut name is unknown */
	assert_int_equal(ph_protocol_set_parse("SIP,PJSIP", 6, &set), -1);
	assert_int_equal(ph_protocol_set_parse("SIP", 0, &set), -1);
	/* a NUL byte is not a separator */
	assert_int_equal(ph_protocol_set_parse("SIP\0PJSIP", 9, &set), -1);
	assert_int_equal(ph_protocol_set_parse("SIP,\0", 5, &set), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_parse_every_protocol),
			cmocka_unit_test(test_parse_ignores_case),
			cmocka_unit_test(test_parse_rejects_others),
			cmocka_unit_test(test_parse_uses_length),
			cmocka_unit_test(test_protocol_name),
			cmocka_unit_test(test_set_parse_lists),
			cmocka_unit_test(test_set_parse_default),
			cmocka_unit_test(test_set_parse_rejects),
			cmocka_unit_test(test_set_parse_uses_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
