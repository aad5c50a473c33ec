/*
 * kamailio-phones: unit tests of the registration verdict.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/auth_check.h"

#define ALL_PROTOCOLS ((ph_protocol_set_t)((1u << PH_PROTO_COUNT) - 1))
#define SIP_ONLY PH_PROTO_BIT(PH_PROTO_SIP)

/* Something that is no entry, to see that refusals clear *entry. */
static const ph_entry_t not_an_entry;

/* One table for all tests: each extension has one reason to be refused,
 * or none. */
static const struct
{
	const char *extension;
	const char *secret;
	const char *protocol;
	const char *active;
	const char *server_ip;
} rows[] = {
		{"100", "secret100", "SIP", "Y", "127.0.0.2"},
		{"101", "secret101", "PJSIP", "Y", "127.0.0.2"},
		{"102", "secret102", "sip", "y", NULL},
		{"200", "secret200", "SIP", "N", "127.0.0.2"},
		{"201", "secret201", "SIP", NULL, "127.0.0.2"},
		{"202", "secret202", "PJSIP", "", "127.0.0.2"},
		{"203", "secret203", "SIP", "YES", "127.0.0.2"},
		{"300", "secret300", "EXTERNAL", "Y", "127.0.0.2"},
		{"400", "secret400", "IAX2", "Y", "127.0.0.2"},
		{"401", "secret401", "Zap", "Y", "127.0.0.2"},
		{"500", "secret500", "SIP", "Y", "127.0.0.2"},
		{"500", "other500", "SIP", "Y", "127.0.0.3"},
		{"501", "secret501", "PJSIP", "Y", "127.0.0.2"},
		{"501", "other501", "PJSIP", "Y", "127.0.0.3"},
		{"501", "third501", "PJSIP", "Y", "127.0.0.4"},
		{"600", NULL, "SIP", "Y", "127.0.0.2"},
		{"601", "", "PJSIP", "Y", "127.0.0.2"},
};

static int setup(void **state)
{
	ph_table_t *t = ph_table_new(&ph_allocator_libc);
	ph_row_t row;
	size_t i;

	if(t == NULL)
		return -1;
	for(i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		row = unit_row(rows[i].extension, NULL, rows[i].secret,
				rows[i].protocol, rows[i].active, rows[i].server_ip, NULL);
		ph_table_add_row(t, &row);
	}
	/* 14 entries held, 3 rows refused as ambiguous */
	if(ph_table_size(t) != 14
			|| ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS] != 3) {
		ph_table_free(t);
		return -1;
	}
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	ph_table_free(*state);
	return 0;
}

/* The verdict for a C string user name; *entry as ph_auth_check sets it. */
static ph_auth_verdict_t check(const ph_table_t *t, const char *user,
		ph_protocol_set_t registrable, const ph_entry_t **entry)
{
	*entry = &not_an_entry;
	return ph_auth_check(t, user, user ? strlen(user) : 0, registrable, entry);
}

/* Checks a refusal: the verdict, and *entry NULL. */
#define assert_refused(t, user, set, want)                  \
	do {                                                    \
		const ph_entry_t *e_;                               \
		assert_int_equal(check(t, user, set, &e_), (want)); \
		assert_null(e_);                                    \
	} while(0)

/* Checks a grant: *entry is the user's entry, with its secret. */
#define assert_ok(t, user, set, want_secret)                    \
	do {                                                        \
		const ph_entry_t *e_;                                   \
		assert_int_equal(check(t, user, set, &e_), PH_AUTH_OK); \
		assert_non_null(e_);                                    \
		assert_ptr_not_equal(e_, &not_an_entry);                \
		assert_ptr_equal(e_, unit_by_ext(t, user));             \
		unit_assert_sv_str(e_->extension, user);                \
		unit_assert_sv_str(e_->secret, want_secret);            \
	} while(0)

static void test_ok(void **state)
{
	const ph_table_t *t = *state;

	assert_ok(t, "100", PH_PROTO_SET_DEFAULT_REGISTER, "secret100");
	assert_ok(t, "101", PH_PROTO_SET_DEFAULT_REGISTER, "secret101");
	/* 'y' is active, "sip" is SIP */
	assert_ok(t, "102", PH_PROTO_SET_DEFAULT_REGISTER, "secret102");
	assert_ok(t, "100", SIP_ONLY, "secret100");
	assert_ok(t, "100", ALL_PROTOCOLS, "secret100");
}

static void test_ok_uses_length(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e = &not_an_entry;

	assert_int_equal(ph_auth_check(t, "100@example.com", 3,
							 PH_PROTO_SET_DEFAULT_REGISTER, &e),
			PH_AUTH_OK);
	assert_non_null(e);
	unit_assert_sv_str(e->extension, "100");
	e = &not_an_entry;
	assert_int_equal(ph_auth_check(t, "1000", 3, SIP_ONLY, &e), PH_AUTH_OK);
	unit_assert_sv_str(e->secret, "secret100");
}

static void test_unknown(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e = &not_an_entry;

	assert_refused(t, "999", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	/* a prefix, a longer name, one differing in the last byte */
	assert_refused(t, "10", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	assert_refused(t, "1000", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	assert_refused(t, "109", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	assert_refused(t, "", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	assert_refused(t, NULL, ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	/* the secret is no user name */
	assert_refused(t, "secret100", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	assert_int_equal(
			ph_auth_check(t, "100\0", 4, PH_PROTO_SET_DEFAULT_REGISTER, &e),
			PH_AUTH_UNKNOWN);
	assert_null(e);
}

static void test_unknown_in_empty_table(void **state)
{
	ph_table_t *t = ph_table_new(&ph_allocator_libc);

	(void)state;
	assert_non_null(t);
	assert_refused(t, "100", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	assert_refused(t, "", ALL_PROTOCOLS, PH_AUTH_UNKNOWN);
	ph_table_free(t);
}

static void test_inactive(void **state)
{
	const ph_table_t *t = *state;

	assert_refused(t, "200", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_INACTIVE);
	/* NULL active */
	assert_refused(t, "201", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_INACTIVE);
	assert_refused(t, "202", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_INACTIVE);
	assert_refused(t, "203", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_INACTIVE);
	assert_refused(t, "200", ALL_PROTOCOLS, PH_AUTH_INACTIVE);
}

static void test_external(void **state)
{
	const ph_table_t *t = *state;

	assert_refused(t, "300", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_EXTERNAL);
	/* whatever the registrable set says */
	assert_refused(t, "300", PH_PROTO_BIT(PH_PROTO_EXTERNAL), PH_AUTH_EXTERNAL);
	assert_refused(t, "300", ALL_PROTOCOLS, PH_AUTH_EXTERNAL);
	assert_refused(t, "300", ~(ph_protocol_set_t)0, PH_AUTH_EXTERNAL);
}

static void test_protocol(void **state)
{
	const ph_table_t *t = *state;

	assert_refused(t, "400", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_PROTOCOL);
	assert_refused(t, "401", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_PROTOCOL);
	/* PJSIP when only SIP may register */
	assert_refused(t, "101", SIP_ONLY, PH_AUTH_PROTOCOL);
	/* SIP when only PJSIP may */
	assert_refused(t, "100", PH_PROTO_BIT(PH_PROTO_PJSIP), PH_AUTH_PROTOCOL);
	/* nothing may */
	assert_refused(t, "100", 0, PH_AUTH_PROTOCOL);
	assert_refused(t, "101", 0, PH_AUTH_PROTOCOL);
	/* the set is honoured for the other protocols too */
	assert_ok(t, "400", PH_PROTO_BIT(PH_PROTO_IAX2), "secret400");
	assert_ok(t, "401", PH_PROTO_BIT(PH_PROTO_ZAP), "secret401");
	assert_refused(t, "400", PH_PROTO_BIT(PH_PROTO_ZAP), PH_AUTH_PROTOCOL);
}

static void test_ambiguous(void **state)
{
	const ph_table_t *t = *state;

	assert_refused(t, "500", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_AMBIGUOUS);
	assert_refused(t, "501", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_AMBIGUOUS);
	assert_refused(t, "500", ALL_PROTOCOLS, PH_AUTH_AMBIGUOUS);
}

static void test_no_secret(void **state)
{
	const ph_table_t *t = *state;

	/* NULL conf_secret */
	assert_refused(t, "600", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_NO_SECRET);
	/* empty conf_secret */
	assert_refused(t, "601", PH_PROTO_SET_DEFAULT_REGISTER, PH_AUTH_NO_SECRET);
}

static void test_verdict_names(void **state)
{
	static const char *const want[PH_AUTH_VERDICT_COUNT] = {"ok", "unknown",
			"inactive", "external", "protocol", "ambiguous", "no_secret"};
	int i, j;

	(void)state;
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_OK), "ok");
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_UNKNOWN), "unknown");
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_INACTIVE), "inactive");
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_EXTERNAL), "external");
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_PROTOCOL), "protocol");
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_AMBIGUOUS), "ambiguous");
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_NO_SECRET), "no_secret");
	for(i = 0; i < PH_AUTH_VERDICT_COUNT; i++) {
		assert_string_equal(
				ph_auth_verdict_name((ph_auth_verdict_t)i), want[i]);
		for(j = 0; j < i; j++)
			assert_string_not_equal(ph_auth_verdict_name((ph_auth_verdict_t)i),
					ph_auth_verdict_name((ph_auth_verdict_t)j));
	}
	assert_string_equal(ph_auth_verdict_name(PH_AUTH_VERDICT_COUNT), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_ok),
			cmocka_unit_test(test_ok_uses_length),
			cmocka_unit_test(test_unknown),
			cmocka_unit_test(test_unknown_in_empty_table),
			cmocka_unit_test(test_inactive),
			cmocka_unit_test(test_external),
			cmocka_unit_test(test_protocol),
			cmocka_unit_test(test_ambiguous),
			cmocka_unit_test(test_no_secret),
			cmocka_unit_test(test_verdict_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
