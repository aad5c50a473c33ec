/*
 * kamailio-phones: unit tests of the parameter check.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/param_check.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_sql_names(void **state)
{
	(void)state;
	assert_true(ph_sql_name_valid("extension", 9, PH_NAME_COLUMN));
	assert_true(ph_sql_name_valid("conf_secret", 11, PH_NAME_COLUMN));
	assert_true(ph_sql_name_valid("_x9", 3, PH_NAME_COLUMN));
	assert_true(ph_sql_name_valid("asterisk.phones", 15, PH_NAME_TABLE));
	/* a column has no database part */
	assert_false(ph_sql_name_valid("asterisk.phones", 15, PH_NAME_COLUMN));
	assert_false(ph_sql_name_valid("", 0, PH_NAME_COLUMN));
	assert_false(ph_sql_name_valid(NULL, 0, PH_NAME_TABLE));
	assert_false(ph_sql_name_valid("9lives", 6, PH_NAME_COLUMN));
	assert_false(ph_sql_name_valid("a b", 3, PH_NAME_COLUMN));
	assert_false(ph_sql_name_valid("x;drop", 6, PH_NAME_TABLE));
	assert_false(ph_sql_name_valid("x'", 2, PH_NAME_COLUMN));
	assert_false(ph_sql_name_valid("`x`", 3, PH_NAME_COLUMN));
	assert_false(ph_sql_name_valid("a.b.c", 5, PH_NAME_TABLE));
	assert_false(ph_sql_name_valid(".b", 2, PH_NAME_TABLE));
	assert_false(ph_sql_name_valid("a.", 2, PH_NAME_TABLE));
	/* the length counts, not a NUL */
	assert_true(ph_sql_name_valid("phones;", 6, PH_NAME_TABLE));
	assert_false(ph_sql_name_valid("ph\0nes", 6, PH_NAME_TABLE));
	{
		char long_name[PH_MAX_SQL_NAME + 2];

		memset(long_name, 'a', sizeof(long_name));
		assert_true(ph_sql_name_valid(long_name, PH_MAX_SQL_NAME,
				PH_NAME_COLUMN));
		assert_false(ph_sql_name_valid(long_name, PH_MAX_SQL_NAME + 1,
				PH_NAME_COLUMN));
	}
}

static void test_all_good(void **state)
{
	const ph_int_param_t ints[] = {{"fetch_rows", 1000, 1, 0x7fffffff},
			{"reload_max_shrink", 100, 0, 100},
			{"server_port", 1, 1, 65535}};
	const ph_name_param_t names[] = {
			{"table", "phones", 6, PH_NAME_TABLE, 0},
			{"routes_table", "", 0, PH_NAME_TABLE, 1},
			{"extension_column", "extension", 9, PH_NAME_COLUMN, 0}};
	char err[200] = "untouched";

	(void)state;
	assert_int_equal(
			ph_params_check(ints, N(ints), names, N(names), err, sizeof(err)),
			0);
	assert_string_equal(err, "");
	assert_int_equal(ph_params_check(NULL, 0, NULL, 0, err, sizeof(err)), 0);
}

static void test_numbers_out_of_range(void **state)
{
	char err[200];
	ph_int_param_t p[] = {{"reload_max_shrink", 101, 0, 100},
			{"fetch_rows", 0, 1, 0x7fffffff}, {"pai_outbound_cid", 2, 0, 1},
			{"one", 3, 1, 1}};

	(void)state;
	assert_int_equal(ph_params_check(p, 1, NULL, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "reload_max_shrink is 101: it must be 0 to 100");
	assert_int_equal(ph_params_check(p + 1, 1, NULL, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "fetch_rows is 0: it must be 1 or more");
	assert_int_equal(ph_params_check(p + 3, 1, NULL, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "one is 3: it must be 1");
	/* the first bad one in order is named */
	p[0].value = 50;
	assert_int_equal(ph_params_check(p, N(p), NULL, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "fetch_rows is 0: it must be 1 or more");
	/* both ends are allowed */
	p[1].value = 1;
	p[2].value = 0;
	p[3].value = 1;
	assert_int_equal(ph_params_check(p, N(p), NULL, 0, err, sizeof(err)), 0);
	p[0].value = -1;
	assert_int_equal(ph_params_check(p, N(p), NULL, 0, err, sizeof(err)), -1);
	assert_string_equal(err, "reload_max_shrink is -1: it must be 0 to 100");
}

static void test_bad_names(void **state)
{
	char err[200];
	ph_name_param_t p[] = {{"table", "", 0, PH_NAME_TABLE, 0},
			{"extension_column", "ext; DROP TABLE phones", 22, PH_NAME_COLUMN,
					0},
			{"routes_table", "db.phone_routes", 15, PH_NAME_TABLE, 1},
			{"active_column", "act\nive", 7, PH_NAME_COLUMN, 0}};

	(void)state;
	assert_int_equal(ph_params_check(NULL, 0, p, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "table is empty: it must name a table");
	assert_int_equal(ph_params_check(NULL, 0, p + 1, 1, err, sizeof(err)), -1);
	assert_string_equal(err,
			"extension_column 'ext; DROP TABLE phones' is not a plain SQL"
			" name: letters, digits and '_' (not first), up to 64");
	assert_int_equal(ph_params_check(NULL, 0, p + 2, 1, err, sizeof(err)), 0);
	/* what cannot be printed is shown as '?' */
	assert_int_equal(ph_params_check(NULL, 0, p + 3, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'act?ive'"));
	/* a short error buffer is cut, still terminated */
	assert_int_equal(ph_params_check(NULL, 0, p + 1, 1, err, 10), -1);
	assert_int_equal(strlen(err), 9);
}

/* The parameters that are no SQL names: a URL, an address, a URI, an
 * htable, the lists. */
static void test_text_params(void **state)
{
	char err[300];
	const struct
	{
		ph_name_kind_t kind;
		const char *good, *bad;
	} cases[] = {
			{PH_NAME_DB_URL, "sqlite:///var/lib/kamailio/phones.sqlite",
					"/var/lib/kamailio/phones.sqlite"},
			{PH_NAME_DB_URL, "mysql://cron:1234@127.0.0.1/asterisk",
					"mysql://cron:12\n34@127.0.0.1/asterisk"},
			{PH_NAME_DB_URL, "mysql://u@h/db", "://h/db"},
			{PH_NAME_ADDRESS, "127.0.0.2", "127.0.0.256"},
			{PH_NAME_ADDRESS, "::1", "server1"},
			{PH_NAME_SIP_URI, "sip:phones@127.0.0.1", "phones@127.0.0.1"},
			{PH_NAME_SIP_URI, "sips:probe@proxy.example", "sip:<probe>"},
			{PH_NAME_HTABLE, "last_server", "last-server"},
			{PH_NAME_PROTOCOLS, "SIP,PJSIP", "SIP,SKYPE"},
			{PH_NAME_METHODS, "phones.,stats.get_statistics, core.version",
					"phones.,,core.version"},
			{PH_NAME_METHODS, "*", "phones.;core.kill"},
	};
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ph_name_param_t good = {"p", cases[i].good, strlen(cases[i].good),
				cases[i].kind, 0};
		ph_name_param_t bad = {"p", cases[i].bad, strlen(cases[i].bad),
				cases[i].kind, 0};

		assert_int_equal(ph_params_check(NULL, 0, &good, 1, err, sizeof(err)),
				0);
		assert_int_equal(
				ph_params_check(NULL, 0, &bad, 1, err, sizeof(err)), -1);
		assert_non_null(strstr(err, " is not "));
		assert_int_equal(ph_text_param_valid("", 0, cases[i].kind), 0);
	}
	/* a database URL may hold a password: never shown */
	{
		ph_name_param_t url = {"db_url", "mysql://cron:se\tcret@h/db", 25,
				PH_NAME_DB_URL, 0};
		ph_name_param_t empty = {"probe_from", "", 0, PH_NAME_SIP_URI, 0};

		assert_int_equal(ph_params_check(NULL, 0, &url, 1, err, sizeof(err)),
				-1);
		assert_null(strstr(err, "cret"));
		assert_string_equal(err, "db_url '(not shown)' is not a database URL"
								 " (sqlite:///path, mysql://user:pass@host/db)");
		assert_int_equal(
				ph_params_check(NULL, 0, &empty, 1, err, sizeof(err)), -1);
		assert_string_equal(err,
				"probe_from is empty: it must be a SIP URI (sip:user@host),"
				" without spaces, < > or \"");
	}
}

static void test_numbers_before_names(void **state)
{
	const ph_int_param_t i[] = {{"server_port", 0, 1, 65535}};
	const ph_name_param_t n[] = {{"table", "", 0, PH_NAME_TABLE, 0}};
	char err[200];

	(void)state;
	assert_int_equal(ph_params_check(i, 1, n, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "server_port is 0: it must be 1 to 65535");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_sql_names),
			cmocka_unit_test(test_all_good),
			cmocka_unit_test(test_numbers_out_of_range),
			cmocka_unit_test(test_bad_names),
			cmocka_unit_test(test_numbers_before_names),
			cmocka_unit_test(test_text_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
