/*
 * kamailio-phones: unit tests of the routing verdict.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <ctype.h>

#include "unit.h"

#include "phones/route_check.h"

/* Something that is no entry, to see that *entry is always set. */
static const ph_entry_t not_an_entry;

/* One table for all tests. */
static const struct
{
	const char *extension;
	const char *dialplan_number;
	const char *protocol;
	const char *active;
	const char *server_ip;
} rows[] = {
		/* active EXTERNAL entries */
		{"8001", "5558001", "EXTERNAL", "Y", "127.0.0.2"},
		{"8004", "5558004", "external", "y", "127.0.0.3"},
		/* inactive ones */
		{"8002", "5558002", "EXTERNAL", "N", "127.0.0.2"},
		{"8003", "5558003", "EXTERNAL", NULL, "127.0.0.2"},
		{"8005", "5558005", "EXTERNAL", "", "127.0.0.2"},
		/* devices */
		{"100", "5550100", "SIP", "Y", "127.0.0.2"},
		{"101", "5550101", "PJSIP", "Y", "127.0.0.2"},
		{"102", "5550102", "IAX2", "Y", "127.0.0.2"},
		{"103", "5550103", "Zap", "Y", "127.0.0.2"},
		/* 9000 is a number of one entry and the extension of another */
		{"8010", "9000", "EXTERNAL", "Y", "127.0.0.2"},
		{"9000", "5559000", "SIP", "Y", "127.0.0.2"},
		/* 7000 likewise, the extension an inactive one */
		{"8011", "7000", "EXTERNAL", "Y", "127.0.0.2"},
		{"7000", NULL, "EXTERNAL", "N", "127.0.0.2"},
		/* an extension on two servers: the second row is refused */
		{"8500", "5558500", "EXTERNAL", "Y", "127.0.0.2"},
		{"8500", "5558501", "EXTERNAL", "Y", "127.0.0.3"},
		{"600", "5550600", "SIP", "Y", "127.0.0.2"},
		{"600", "5550601", "SIP", "Y", "127.0.0.3"},
		/* a dialplan number shared by two entries */
		{"8101", "5559999", "EXTERNAL", "Y", "127.0.0.2"},
		{"8102", "5559999", "EXTERNAL", "Y", "127.0.0.2"},
		/* no dialplan number */
		{"8200", "", "EXTERNAL", "Y", "127.0.0.2"},
		{"8201", NULL, "EXTERNAL", "Y", "127.0.0.2"},
};

static int setup(void **state)
{
	ph_table_t *t = ph_table_new(&ph_allocator_libc);
	ph_row_t row;
	size_t i;

	if(t == NULL)
		return -1;
	for(i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		/* each server's password its own: one extension on two servers
		 * is ambiguous, not a device with two home servers */
		row = unit_row(rows[i].extension, rows[i].dialplan_number,
				rows[i].server_ip, rows[i].protocol, rows[i].active, rows[i].server_ip, NULL);
		ph_table_add_row(t, &row);
	}
	/* 19 entries held, 2 rows refused as ambiguous */
	if(ph_table_size(t) != 19
			|| ph_table_counts(t)->by_result[PH_ROW_AMBIGUOUS] != 2
			|| ph_table_counts(t)->ambiguous_numbers != 2) {
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

/* The verdict for a C string user; *entry as ph_route_check sets it. */
static ph_route_verdict_t check(
		const ph_table_t *t, const char *user, const ph_entry_t **entry)
{
	*entry = &not_an_entry;
	return ph_route_check(t, user, user ? strlen(user) : 0, entry);
}

static const ph_entry_t *by_ext(const ph_table_t *t, const char *s)
{
	const ph_entry_t *e = ph_table_by_extension(t, s, strlen(s));

	assert_non_null(e);
	return e;
}

static const ph_entry_t *by_num(const ph_table_t *t, const char *s)
{
	const ph_entry_t *e = ph_table_by_number(t, s, strlen(s));

	assert_non_null(e);
	return e;
}

/* Checks a verdict with an entry: the one with that extension. */
#define assert_route(t, user, want, want_extension)        \
	do {                                                   \
		const ph_entry_t *e_;                              \
		assert_int_equal(check(t, user, &e_), (want));     \
		assert_non_null(e_);                               \
		assert_ptr_not_equal(e_, &not_an_entry);           \
		assert_ptr_equal(e_, by_ext(t, want_extension));   \
		unit_assert_sv_str(e_->extension, want_extension); \
	} while(0)

/* Checks a verdict without an entry. */
#define assert_no_route(t, user, want)                 \
	do {                                               \
		const ph_entry_t *e_;                          \
		assert_int_equal(check(t, user, &e_), (want)); \
		assert_null(e_);                               \
	} while(0)

static void test_external_by_extension(void **state)
{
	const ph_table_t *t = *state;

	assert_route(t, "8001", PH_ROUTE_EXTERNAL, "8001");
	assert_route(t, "8004", PH_ROUTE_EXTERNAL, "8004");
	assert_route(t, "8010", PH_ROUTE_EXTERNAL, "8010");
	assert_route(t, "8200", PH_ROUTE_EXTERNAL, "8200");
	assert_route(t, "8201", PH_ROUTE_EXTERNAL, "8201");
	unit_assert_sv_str(by_ext(t, "8001")->dialplan_number, "5558001");
}

static void test_external_by_number(void **state)
{
	const ph_table_t *t = *state;

	assert_route(t, "5558001", PH_ROUTE_EXTERNAL, "8001");
	assert_route(t, "5558004", PH_ROUTE_EXTERNAL, "8004");
	assert_ptr_equal(by_num(t, "5558001"), by_ext(t, "8001"));
}

static void test_extension_before_number(void **state)
{
	const ph_table_t *t = *state;

	/* 9000 is 8010's number, but 9000's extension */
	assert_ptr_equal(by_num(t, "9000"), by_ext(t, "8010"));
	assert_route(t, "9000", PH_ROUTE_DEVICE, "9000");
	assert_route(t, "5559000", PH_ROUTE_DEVICE, "9000");
	/* 7000 is 8011's number, but an inactive entry's extension */
	assert_ptr_equal(by_num(t, "7000"), by_ext(t, "8011"));
	assert_route(t, "7000", PH_ROUTE_INACTIVE, "7000");
}

static void test_inactive(void **state)
{
	const ph_table_t *t = *state;

	assert_route(t, "8002", PH_ROUTE_INACTIVE, "8002");
	assert_route(t, "5558002", PH_ROUTE_INACTIVE, "8002");
	/* NULL and empty active */
	assert_route(t, "8003", PH_ROUTE_INACTIVE, "8003");
	assert_route(t, "5558003", PH_ROUTE_INACTIVE, "8003");
	assert_route(t, "8005", PH_ROUTE_INACTIVE, "8005");
}

static void test_not_external(void **state)
{
	const ph_table_t *t = *state;

	assert_route(t, "100", PH_ROUTE_DEVICE, "100");
	assert_route(t, "101", PH_ROUTE_DEVICE, "101");
	assert_route(t, "102", PH_ROUTE_DEVICE, "102");
	assert_route(t, "103", PH_ROUTE_DEVICE, "103");
	/* by number too */
	assert_route(t, "5550100", PH_ROUTE_DEVICE, "100");
	assert_route(t, "5550101", PH_ROUTE_DEVICE, "101");
}

static void test_unknown(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e;

	assert_no_route(t, "999", PH_ROUTE_UNKNOWN);
	/* a prefix, a longer one, one differing in the last byte */
	assert_no_route(t, "800", PH_ROUTE_UNKNOWN);
	assert_no_route(t, "80011", PH_ROUTE_UNKNOWN);
	assert_no_route(t, "8009", PH_ROUTE_UNKNOWN);
	assert_no_route(t, "555800", PH_ROUTE_UNKNOWN);
	assert_no_route(t, "55580011", PH_ROUTE_UNKNOWN);
	/* no entry has an empty number */
	assert_no_route(t, "", PH_ROUTE_UNKNOWN);
	assert_no_route(t, NULL, PH_ROUTE_UNKNOWN);
	/* the secret is no user */
	assert_no_route(t, "secret", PH_ROUTE_UNKNOWN);
	/* the second row of 8500 was refused, with its number */
	assert_no_route(t, "5558501", PH_ROUTE_UNKNOWN);
	e = &not_an_entry;
	assert_int_equal(ph_route_check(t, "8001\0", 5, &e), PH_ROUTE_UNKNOWN);
	assert_null(e);
}

static void test_unknown_in_empty_table(void **state)
{
	ph_table_t *t = ph_table_new(&ph_allocator_libc);

	(void)state;
	assert_non_null(t);
	assert_no_route(t, "8001", PH_ROUTE_UNKNOWN);
	assert_no_route(t, "5558001", PH_ROUTE_UNKNOWN);
	assert_no_route(t, "", PH_ROUTE_UNKNOWN);
	ph_table_free(t);
}

static void test_uses_length(void **state)
{
	const ph_table_t *t = *state;
	const ph_entry_t *e = &not_an_entry;

	assert_int_equal(
			ph_route_check(t, "8001@example.com", 4, &e), PH_ROUTE_EXTERNAL);
	assert_ptr_equal(e, by_ext(t, "8001"));
	e = &not_an_entry;
	assert_int_equal(
			ph_route_check(t, "5558001;user=phone", 7, &e), PH_ROUTE_EXTERNAL);
	assert_ptr_equal(e, by_ext(t, "8001"));
	e = &not_an_entry;
	assert_int_equal(ph_route_check(t, "10000", 3, &e), PH_ROUTE_DEVICE);
	assert_ptr_equal(e, by_ext(t, "100"));
	e = &not_an_entry;
	assert_int_equal(ph_route_check(t, "8001", 3, &e), PH_ROUTE_UNKNOWN);
	assert_null(e);
}

static void test_ambiguous_extension(void **state)
{
	const ph_table_t *t = *state;

	assert_true(by_ext(t, "8500")->flags & PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_no_route(t, "8500", PH_ROUTE_AMBIGUOUS);
	assert_true(by_ext(t, "600")->flags & PH_ENTRY_AMBIGUOUS_EXTENSION);
	assert_no_route(t, "600", PH_ROUTE_AMBIGUOUS);
	/* refused by its number too: the fuzzer found it routed that way */
	assert_no_route(t, "5558500", PH_ROUTE_AMBIGUOUS);
	assert_no_route(t, "5550600", PH_ROUTE_AMBIGUOUS);
}

static void test_ambiguous_number(void **state)
{
	const ph_table_t *t = *state;

	assert_true(by_num(t, "5559999")->flags & PH_ENTRY_AMBIGUOUS_NUMBER);
	assert_no_route(t, "5559999", PH_ROUTE_AMBIGUOUS);
	/* each is still found by its own extension */
	assert_route(t, "8101", PH_ROUTE_EXTERNAL, "8101");
	assert_route(t, "8102", PH_ROUTE_EXTERNAL, "8102");
}

static void test_verdict_names(void **state)
{
	const char *name, *other;
	int i, j;
	size_t k;

	(void)state;
	for(i = 0; i < PH_ROUTE_VERDICT_COUNT; i++) {
		name = ph_route_verdict_name((ph_route_verdict_t)i);
		assert_non_null(name);
		assert_true(strlen(name) > 0);
		/* short and lower-case, for logs and statistics */
		for(k = 0; name[k]; k++)
			assert_true(islower((unsigned char)name[k]) || name[k] == '_');
		for(j = 0; j < i; j++) {
			other = ph_route_verdict_name((ph_route_verdict_t)j);
			assert_string_not_equal(name, other);
		}
	}
	assert_string_equal(ph_route_verdict_name(PH_ROUTE_EXTERNAL), "external");
	assert_string_equal(ph_route_verdict_name(PH_ROUTE_UNKNOWN), "unknown");
	assert_string_equal(ph_route_verdict_name(PH_ROUTE_INACTIVE), "inactive");
	assert_string_equal(ph_route_verdict_name(PH_ROUTE_AMBIGUOUS), "ambiguous");
	assert_string_equal(
			ph_route_verdict_name(PH_ROUTE_DEVICE), "not_external");
	/* whatever comes out of range is still a string */
	assert_non_null(ph_route_verdict_name(PH_ROUTE_VERDICT_COUNT));
	assert_non_null(ph_route_verdict_name((ph_route_verdict_t)-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_external_by_extension),
			cmocka_unit_test(test_external_by_number),
			cmocka_unit_test(test_extension_before_number),
			cmocka_unit_test(test_inactive),
			cmocka_unit_test(test_not_external),
			cmocka_unit_test(test_unknown),
			cmocka_unit_test(test_unknown_in_empty_table),
			cmocka_unit_test(test_uses_length),
			cmocka_unit_test(test_ambiguous_extension),
			cmocka_unit_test(test_ambiguous_number),
			cmocka_unit_test(test_verdict_names),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
