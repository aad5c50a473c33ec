/*
 * kamailio-phones: unit tests of the routing rules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include <pcre2.h>

#include "phones/route_rules.h"

#define GW "sip:198.51.100.7:5060;transport=udp"

/* VICIdial's _91NXXNXXXXXX: 9, then 1 and a ten-digit NANP number. */
#define NANP_MATCH "^9(1[2-9][0-9]{9})$"

/* The reason of the latest refusal. */
static char err[512];

/* A matcher with pcre2's default limits, for every test. */
static ph_matcher_t *matcher;

static int setup(void **state)
{
	(void)state;
	matcher = ph_matcher_new(0, 0);
	return matcher ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ph_matcher_free(matcher);
	return 0;
}

/* A rule set over a counting allocator that never fails. */
static ph_rules_t *new_rules(unit_alloc_t *a)
{
	ph_rules_t *r;

	unit_alloc_init(a, -1);
	r = ph_rules_new(&a->allocator);
	assert_non_null(r);
	return r;
}

/* Frees r, checking that it gave back all it held (whether it accounted
 * for all of it is test_memory_accounting's business). */
static void free_rules(ph_rules_t *r, unit_alloc_t *a)
{
	ph_rules_free(r);
	assert_int_equal(a->live, 0);
	assert_int_equal(a->live_bytes, 0);
}

/* A field copied to a buffer of its exact size, without a NUL. */
static ph_field_t dup_field(ph_field_t f)
{
	if(f.s)
		f.s = unit_dup_exact(f.s, f.len);
	return f;
}

/* Adds row from copies of its fields that are freed right after, so that
 * the set must keep copies of its own. A refusal must give a reason. */
static int add_row(ph_rules_t *r, const ph_rule_row_t *row)
{
	ph_rule_row_t copy = *row;
	int rc;

	copy.match_exp = dup_field(row->match_exp);
	copy.repl_exp = dup_field(row->repl_exp);
	copy.trunk = dup_field(row->trunk);
	copy.description = dup_field(row->description);
	memset(err, 'x', sizeof(err));
	rc = ph_rules_add(r, &copy, err, sizeof(err));
	free((char *)copy.match_exp.s);
	free((char *)copy.repl_exp.s);
	free((char *)copy.trunk.s);
	free((char *)copy.description.s);
	assert_true(rc == 0 || rc == -1 || rc == -2);
	if(rc == -1) {
		assert_non_null(memchr(err, '\0', sizeof(err)));
		assert_true(strlen(err) > 0);
	}
	return rc;
}

static int add(ph_rules_t *r, long long id, int priority, const char *match,
		const char *repl, const char *trunk)
{
	ph_rule_row_t row = unit_rule_row(id, priority, match, repl, trunk, "");

	return add_row(r, &row);
}

/* Translates len bytes of number, given in a buffer of exactly that size,
 * into out of outsize bytes; on a match, result holds the new number.
 * Checks that nothing is written past outsize and that outlen is right. */
static const ph_rule_t *translate_len(const ph_rules_t *r, ph_matcher_t *m,
		const char *number, size_t len, size_t outsize, char *result,
		unsigned *errors)
{
	char out[512], *copy = unit_dup_exact(number, len);
	const ph_rule_t *rule;
	size_t outlen = (size_t)-1;

	assert_true(outsize < sizeof(out));
	memset(out, 'x', sizeof(out));
	result[0] = '\0';
	rule = ph_rules_translate(r, m, copy, len, out, outsize, &outlen, errors);
	free(copy);
	assert_int_equal(out[outsize], 'x');
	if(rule == NULL)
		return NULL;
	assert_non_null(memchr(out, '\0', outsize));
	assert_int_equal(outlen, strlen(out));
	assert_true(outlen < outsize);
	assert_true(outlen <= PH_MAX_ROUTE_NUMBER);
	memcpy(result, out, outlen + 1);
	return rule;
}

static const ph_rule_t *translate(
		const ph_rules_t *r, const char *number, char *result, unsigned *errors)
{
	return translate_len(
			r, matcher, number, strlen(number), 256, result, errors);
}

/* Checks that r turns number into want by the rule with id want_id, with
 * no rule skipped. */
#define assert_translate(r, number, want_id, want)                         \
	do {                                                                   \
		char res_[512];                                                    \
		unsigned errors_ = 0;                                              \
		const ph_rule_t *rule_ = translate((r), (number), res_, &errors_); \
		assert_non_null(rule_);                                            \
		assert_int_equal(ph_rule_id(rule_), (want_id));                    \
		assert_string_equal(res_, (want));                                 \
		assert_int_equal(errors_, 0);                                      \
	} while(0)

/* Checks that no rule of r matches number, none with an error. */
#define assert_no_translate(r, number)                         \
	do {                                                       \
		char res_[512];                                        \
		unsigned errors_ = 0;                                  \
		assert_null(translate((r), (number), res_, &errors_)); \
		assert_int_equal(errors_, 0);                          \
	} while(0)

/* What a set of the one rule (match, repl) makes of number: NULL when it
 * does not match; *errors counts the skips. */
static const char *one_rule(const char *match, const char *repl,
		const char *number, unsigned *errors)
{
	static char result[512];
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	const ph_rule_t *rule;

	*errors = 0;
	if(add(r, 1, 0, match, repl, GW) != 0)
		fail_msg("rule '%s' '%s' refused: %s", match, repl ? repl : "(null)",
				err);
	rule = translate(r, number, result, errors);
	if(rule)
		assert_ptr_equal(rule, ph_rules_at(r, 0));
	free_rules(r, &a);
	return rule ? result : NULL;
}

#define assert_one_rule(match, repl, number, want)                   \
	do {                                                             \
		unsigned e_;                                                 \
		const char *res_ = one_rule((match), (repl), (number), &e_); \
		assert_non_null(res_);                                       \
		assert_string_equal(res_, (want));                           \
		assert_int_equal(e_, 0);                                     \
	} while(0)

/* The rule does not match: NULL, and no error. */
#define assert_one_rule_none(match, repl, number)              \
	do {                                                       \
		unsigned e_;                                           \
		assert_null(one_rule((match), (repl), (number), &e_)); \
		assert_int_equal(e_, 0);                               \
	} while(0)

/* The rule matches, but its result is refused: NULL, and one error. */
#define assert_one_rule_skipped(match, repl, number)           \
	do {                                                       \
		unsigned e_;                                           \
		assert_null(one_rule((match), (repl), (number), &e_)); \
		assert_int_equal(e_, 1);                               \
	} while(0)

/* Checks that a refused row left r as it was: n rules. (The rules are
 * checked by translating; a block left behind shows when r is freed.) */
static void assert_unchanged(const ph_rules_t *r, size_t n)
{
	assert_int_equal(ph_rules_count(r), n);
}

static void test_new_is_empty(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_int_equal(ph_rules_count(r), 0);
	assert_true(ph_rules_memory(r) > 0);
	assert_null(translate(r, "913125551234", res, &errors));
	assert_null(translate(r, "", res, &errors));
	assert_int_equal(errors, 0);
	free_rules(r, &a);
}

static void test_new_no_memory(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r;
	long n;

	(void)state;
	for(n = 0;; n++) {
		assert_true(n < 100);
		unit_alloc_init(&a, n);
		r = ph_rules_new(&a.allocator);
		if(r) {
			assert_int_equal(ph_rules_count(r), 0);
			free_rules(r, &a);
			break;
		}
		assert_true(a.failures > 0);
		assert_int_equal(a.live, 0);
	}
	assert_true(n > 0);
}

static void test_priority_order(void **state)
{
	static const struct
	{
		long long id;
		int priority;
	} rows[] = {{1, 30}, {2, 10}, {3, 20}, {7, 10}, {4294967297LL, 10}, {4, 10},
			{5, -5}, {6, 30}};
	static const long long want[] = {5, 2, 4, 7, 4294967297LL, 3, 1, 6};
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	const ph_rule_t *rule;
	char id[32];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		/* every rule matches, and says which one it is */
		snprintf(id, sizeof(id), "%lld", rows[i].id % 1000);
		assert_int_equal(
				add(r, rows[i].id, rows[i].priority, "^.*$", id, GW), 0);
		assert_int_equal(ph_rules_count(r), i + 1);
	}
	for(i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		rule = ph_rules_at(r, i);
		assert_non_null(rule);
		assert_int_equal(ph_rule_id(rule), want[i]);
		if(i > 0)
			assert_true(ph_rule_priority(ph_rules_at(r, i - 1))
						<= ph_rule_priority(rule));
	}
	assert_int_equal(ph_rule_priority(ph_rules_at(r, 0)), -5);
	assert_int_equal(ph_rule_priority(ph_rules_at(r, 7)), 30);
	/* the first in that order is the one that translates */
	assert_translate(r, "123", 5, "5");
	free_rules(r, &a);
}

static void test_first_match_wins(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);

	(void)state;
	assert_int_equal(add(r, 1, 50, "^9", "1", GW), 0);
	assert_int_equal(add(r, 2, 40, "^8", "2", GW), 0);
	assert_int_equal(add(r, 3, 40, "^9", "3", GW), 0);
	assert_int_equal(add(r, 4, 20, "^7", "4", GW), 0);
	assert_translate(r, "9555", 3, "3555");
	assert_translate(r, "8555", 2, "2555");
	assert_translate(r, "7555", 4, "4555");
	assert_no_translate(r, "6555");
	/* equal priority: the lower id first, whatever the order added */
	assert_int_equal(add(r, 0, 40, "^9", "0", GW), 0);
	assert_translate(r, "9555", 0, "0555");
	/* a lower priority comes first, whatever its id */
	assert_int_equal(add(r, 99, 10, "^95", "99", GW), 0);
	assert_translate(r, "9555", 99, "9955");
	assert_translate(r, "9455", 0, "0455");
	free_rules(r, &a);
}

static void test_vicidial_carrier_pattern(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	const ph_rule_t *rule;
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_int_equal(add(r, 1, 0, NANP_MATCH, "\\1", GW), 0);
	assert_translate(r, "913125551234", 1, "13125551234");
	assert_translate(r, "919995551234", 1, "19995551234");
	/* too short, too long, N is 2-9, the leading 9 and 1 */
	assert_no_translate(r, "91312555123");
	assert_no_translate(r, "9131255512345");
	assert_no_translate(r, "910125551234");
	assert_no_translate(r, "911125551234");
	assert_no_translate(r, "813125551234");
	assert_no_translate(r, "923125551234");
	assert_no_translate(r, "13125551234");
	assert_no_translate(r, "");
	/* the number is len bytes: what follows is not part of it */
	rule = translate_len(r, matcher, "9131255512349", 12, 256, res, &errors);
	assert_ptr_equal(rule, ph_rules_at(r, 0));
	assert_string_equal(res, "13125551234");
	rule = translate_len(r, matcher, "913125551234", 11, 256, res, &errors);
	assert_null(rule);
	assert_int_equal(errors, 0);
	free_rules(r, &a);
}

static void test_back_references(void **state)
{
	(void)state;
	assert_one_rule("^(1)(2)(3)(4)(5)(6)(7)(8)(9)$",
			"\\9\\8\\7\\6\\5\\4\\3\\2\\1", "123456789", "987654321");
	/* \0 is the whole match */
	assert_one_rule(
			"^9(1[2-9][0-9]{9})$", "\\0", "913125551234", "913125551234");
	assert_one_rule("^12", "\\0\\0", "1234", "121234");
	assert_one_rule("^011", "+\\0+", "01144", "+011+44");
	/* a group used twice, and next to text */
	assert_one_rule("^9([0-9]{3})", "\\1\\1", "9555123", "555555123");
	assert_one_rule("^9([0-9]+)$", "00\\1", "944123",
			"00"
			"44123");
	assert_one_rule(
			"^([0-9]{3})([0-9]{4})$", "312\\1\\2", "5551234", "3125551234");
	/* a group that took no part is empty */
	assert_one_rule("^(9)?([0-9]+)$", "0\\1\\2", "5551234", "05551234");
	assert_one_rule("^(9)?([0-9]+)$", "0\\1\\2", "95551234", "095551234");
	assert_one_rule("^(?:(8)|(9))([0-9]+)$", "\\2\\1\\3", "9123", "9123");
	/* an empty group */
	assert_one_rule("^()9", "\\1", "9123", "123");
}

static void test_more_than_nine_groups(void **state)
{
	(void)state;
	assert_one_rule("^(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)(1)(2)$", "\\9\\1",
			"123456789012", "91");
	assert_one_rule("^(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)(1)(2)$", "\\0",
			"123456789012", "123456789012");
	/* \10 is \1 and a 0 */
	assert_one_rule("^(1)(2)(3)(4)(5)(6)(7)(8)(9)(0)(1)(2)$", "\\10",
			"123456789012", "10");
}

/* Only the part of the number that was matched is replaced, as sed does;
 * the first match counts. */
static void test_partial_replacement(void **state)
{
	(void)state;
	assert_one_rule("^9", "011", "9441234", "011441234");
	assert_one_rule("55", "66", "3125551234", "3126651234");
	assert_one_rule("1234$", "0000", "3125551234", "3125550000");
	assert_one_rule("^", "+", "3125551234", "+3125551234");
	assert_one_rule("$", "00", "3125551234", "312555123400");
	assert_one_rule("^9([0-9])", "\\1", "95551234", "5551234");
	assert_one_rule("5+", "*", "3125551234", "312*1234");
	assert_one_rule("^91", "1", "913125551234", "13125551234");
	assert_one_rule_none("^91", "1", "813125551234");
	assert_one_rule_none("^1$", "2", "11");
}

/* An empty or NULL replacement leaves the number as it is. */
static void test_empty_replacement_keeps_number(void **state)
{
	(void)state;
	assert_one_rule("^9", NULL, "9123", "9123");
	assert_one_rule("^9", "", "9123", "9123");
	assert_one_rule(NANP_MATCH, NULL, "913125551234", "913125551234");
	assert_one_rule(NANP_MATCH, "", "913125551234", "913125551234");
	assert_one_rule("55", "", "3125551234", "3125551234");
	assert_one_rule_none("^9", NULL, "8123");
	assert_one_rule_none("^9", "", "8123");
}

static void test_backslash(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);

	(void)state;
	/* \\ is a backslash, not the start of a reference */
	assert_int_equal(add(r, 1, 0, "^9", "\\\\1", GW), 0);
	assert_int_equal(add(r, 2, 0, "^9", "\\\\\\\\", GW), 0);
	/* \\\1 is a backslash and group 1, which ^9 does not have */
	assert_int_equal(add(r, 3, 0, "^9", "\\\\\\1", GW), -1);
	assert_unchanged(r, 2);
	free_rules(r, &a);
	/* a backslash may not be in a SIP user part */
	assert_one_rule_skipped("^9", "\\\\", "9123");
	assert_one_rule_skipped("^9", "\\\\1", "9123");
	assert_one_rule_skipped("^9(1)", "\\\\\\1", "9123");
}

/* A result is a SIP user part, or the rule is skipped. */
static void test_result_characters(void **state)
{
	static const char *const bad[] = {"@", " ", "<", ">", "\"", ":", "\\\\",
			"\t", "\r\n", "\x7f", "\xc3\xa9"};
	static const struct
	{
		const char *repl;
		const char *want;
	} good[] = {{"+\\1", "+13125551234"}, {"*\\1", "*13125551234"},
			{"\\1-7", "13125551234-7"}, {"a.b_c\\1", "a.b_c13125551234"},
			{"~!\\1", "~!13125551234"}, {"ABC\\1", "ABC13125551234"}};
	unit_alloc_t a;
	ph_rules_t *r;
	char repl[64], res[512];
	unsigned errors;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_one_rule(NANP_MATCH, good[i].repl, "913125551234", good[i].want);
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		r = new_rules(&a);
		snprintf(repl, sizeof(repl), "\\1%s5", bad[i]);
		assert_int_equal(add(r, 1, 1, NANP_MATCH, repl, GW), 0);
		/* the next rule still gets its chance */
		assert_int_equal(add(r, 2, 2, "^9", "", GW), 0);
		errors = 0;
		if(translate(r, "913125551234", res, &errors) != ph_rules_at(r, 1))
			fail_msg("result with '%s' not skipped", bad[i]);
		assert_string_equal(res, "913125551234");
		assert_int_equal(errors, 1);
		free_rules(r, &a);
	}
	/* characters of the number itself count as well */
	assert_one_rule_skipped("^9", NULL, "9123@x");
	assert_one_rule_skipped("^9", "", "91 23");
	assert_one_rule_skipped("^9", "8", "9123;x\"y");
	assert_one_rule_skipped("^9([0-9]+)", "\\0", "9123<");
}

static void test_result_with_nul(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_int_equal(add(r, 1, 1, "^9", "", GW), 0);
	assert_int_equal(add(r, 2, 2, "^9", "7", GW), 0);
	/* a NUL in the number would cut the result short: skipped */
	assert_null(translate_len(r, matcher, "91\0002", 4, 256, res, &errors));
	assert_int_equal(errors, 2);
	assert_ptr_equal(translate_len(r, matcher, "912", 3, 256, res, &errors),
			ph_rules_at(r, 0));
	assert_string_equal(res, "912");
	assert_int_equal(errors, 2);
	free_rules(r, &a);
}

static void test_missing_group_refused(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);

	(void)state;
	assert_int_equal(add(r, 1, 0, NANP_MATCH, "\\1", GW), 0);
	assert_int_equal(add(r, 2, 0, NANP_MATCH, "\\5", GW), -1);
	assert_non_null(strchr(err, '5'));
	assert_unchanged(r, 1);
	assert_int_equal(add(r, 3, 0, NANP_MATCH, "1\\2", GW), -1);
	assert_non_null(strchr(err, '2'));
	assert_int_equal(add(r, 4, 0, "^9", "\\1", GW), -1);
	assert_int_equal(add(r, 5, 0, "^(?:9)(1)", "\\2", GW), -1);
	assert_int_equal(add(r, 6, 0, "^(8)(9)", "\\3\\1", GW), -1);
	assert_int_equal(add(r, 7, 0, "^(1)(2)(3)(4)(5)(6)(7)(8)$", "\\9", GW), -1);
	assert_non_null(strchr(err, '9'));
	assert_unchanged(r, 1);
	/* the groups it has are fine, and \0 always is */
	assert_int_equal(add(r, 8, 0, "^(8)(9)", "\\2\\1", GW), 0);
	assert_int_equal(add(r, 9, 0, "^9", "\\0", GW), 0);
	assert_int_equal(add(r, 10, 0, "^(?<area>[0-9]{3})", "\\1", GW), 0);
	assert_unchanged(r, 4);
	assert_translate(r, "913125551234", 1, "13125551234");
	free_rules(r, &a);
}

static void test_bad_regex(void **state)
{
	static const char *const bad[] = {
			"^(12", "^1234567(8", "[", "*1", "a{2,1}", "(?<", "\\", "(?P<1>x)"};
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	PCRE2_UCHAR message[256];
	PCRE2_SIZE offset;
	pcre2_code *code;
	char where[32];
	int code_err;
	size_t i;

	(void)state;
	assert_int_equal(add(r, 1, 5, NANP_MATCH, "\\1", GW), 0);
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		code = pcre2_compile((PCRE2_SPTR)bad[i], strlen(bad[i]), 0, &code_err,
				&offset, NULL);
		assert_null(code);
		assert_true(pcre2_get_error_message(code_err, message, sizeof(message))
					> 0);
		assert_int_equal(add(r, 10 + (long long)i, 1, bad[i], "", GW), -1);
		/* pcre2's own message, and where */
		if(strstr(err, (const char *)message) == NULL)
			fail_msg("'%s': err '%s' lacks '%s'", bad[i], err, message);
		snprintf(where, sizeof(where), "%zu", (size_t)offset);
		assert_non_null(strstr(err, where));
		assert_unchanged(r, 1);
	}
	/* "^1234567(8": missing ) at offset 10 */
	assert_int_equal(add(r, 2, 1, "^1234567(8", "", GW), -1);
	assert_non_null(strstr(err, "missing closing parenthesis"));
	assert_non_null(strstr(err, "10"));
	/* the rules before and after are there */
	assert_int_equal(add(r, 3, 9, "^8", "7", GW), 0);
	assert_unchanged(r, 2);
	assert_translate(r, "913125551234", 1, "13125551234");
	assert_translate(r, "8123", 3, "7123");
	free_rules(r, &a);
}

static void test_null_and_bad_fields(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	ph_rule_row_t row;

	(void)state;
	assert_int_equal(add(r, 1, 0, NULL, "1", GW), -1);
	assert_int_equal(add(r, 2, 0, "^9", "1", NULL), -1);
	assert_int_equal(add(r, 3, 0, "^9", "1", ""), -1);
	assert_int_equal(add(r, 4, 0, "^9", "1", "sip:123@198.51.100.7"), -1);
	assert_int_equal(add(r, 5, 0, "^9", "1", "sip:host:0"), -1);
	assert_int_equal(add(r, 6, 0, "^9", "1", "sip:host;lr"), -1);
	assert_int_equal(add(r, 7, 0, "^9", "1", "ds:x"), -1);
	assert_int_equal(add(r, 8, 0, "^9", "1", "ds:-1"), -1);
	/* a NULL field with a length is NULL all the same */
	row = unit_rule_row(9, 0, NULL, "1", GW, "");
	row.match_exp.len = 2;
	assert_int_equal(ph_rules_add(r, &row, err, sizeof(err)), -1);
	assert_unchanged(r, 0);
	assert_no_translate(r, "9123");
	/* with those put right, the same rows are taken */
	assert_int_equal(add(r, 1, 0, "^9", "1", "sip:198.51.100.7"), 0);
	assert_int_equal(add(r, 7, 0, "^9", "1", "ds:4"), 0);
	assert_unchanged(r, 2);
	free_rules(r, &a);
}

/* A string of n copies of c. */
static char *repeat(char *buf, char c, size_t n)
{
	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

static void test_field_limits(void **state)
{
	char buf[512], trunk[PH_MAX_TRUNK + 2];
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	ph_rule_row_t row;
	size_t i;

	(void)state;
	assert_int_equal(
			add(r, 1, 0, repeat(buf, '1', PH_MAX_MATCH_EXP), "", GW), 0);
	assert_int_equal(
			add(r, 2, 0, repeat(buf, '1', PH_MAX_MATCH_EXP + 1), "", GW), -1);
	assert_unchanged(r, 1);
	assert_int_equal(
			add(r, 3, 0, "^9", repeat(buf, '2', PH_MAX_REPL_EXP), GW), 0);
	assert_int_equal(
			add(r, 4, 0, "^9", repeat(buf, '2', PH_MAX_REPL_EXP + 1), GW), -1);
	assert_unchanged(r, 2);

	row = unit_rule_row(
			5, 0, "^8", "", GW, repeat(buf, 'd', PH_MAX_DESCRIPTION));
	assert_int_equal(add_row(r, &row), 0);
	assert_string_equal(ph_rule_description(ph_rules_at(r, 2)), buf);
	row = unit_rule_row(
			6, 0, "^8", "", GW, repeat(buf, 'd', PH_MAX_DESCRIPTION + 1));
	assert_int_equal(add_row(r, &row), -1);
	assert_unchanged(r, 3);

	/* "sip:" and a host of labels of 63 or fewer, PH_MAX_TRUNK in all */
	memcpy(trunk, "sip:", 4);
	for(i = 4; i < PH_MAX_TRUNK; i++)
		trunk[i] = (i % 64 == 3) ? '.' : 'a';
	trunk[PH_MAX_TRUNK] = '\0';
	assert_int_equal(add(r, 7, 0, "^7", "", trunk), 0);
	trunk[PH_MAX_TRUNK] = 'a';
	trunk[PH_MAX_TRUNK + 1] = '\0';
	assert_int_equal(add(r, 8, 0, "^7", "", trunk), -1);
	assert_unchanged(r, 4);
	free_rules(r, &a);
}

/* A catastrophic expression hits the matcher's limit: that rule is skipped
 * with an error, and the next one is tried. */
static void test_match_limit(void **state)
{
	static const char evil[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab";
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	ph_matcher_t *m = ph_matcher_new(1000, 0);
	const ph_rule_t *rule;
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_non_null(m);
	assert_int_equal(add(r, 1, 1, "^(a+)+$", "x", GW), 0);
	assert_int_equal(add(r, 2, 2, "^a", "c", GW), 0);
	rule = translate_len(r, m, evil, strlen(evil), 256, res, &errors);
	assert_ptr_equal(rule, ph_rules_at(r, 1));
	assert_int_equal(res[0], 'c');
	assert_string_equal(res + 1, evil + 1);
	assert_int_equal(errors, 1);
	/* the same rule matches what it can match within the limit */
	rule = translate_len(r, m, "aaaa", 4, 256, res, &errors);
	assert_ptr_equal(rule, ph_rules_at(r, 0));
	assert_string_equal(res, "x");
	assert_int_equal(errors, 1);
	/* the errors pointer may be NULL */
	rule = translate_len(r, m, evil, strlen(evil), 256, res, NULL);
	assert_ptr_equal(rule, ph_rules_at(r, 1));
	ph_matcher_free(m);

	/* a limit of 1000 is not the default of the shared matcher */
	m = ph_matcher_new(1000, 1000);
	assert_non_null(m);
	rule = translate_len(r, m, "aab", 3, 256, res, &errors);
	assert_ptr_equal(rule, ph_rules_at(r, 1));
	assert_string_equal(res, "cab");
	assert_int_equal(errors, 1);
	ph_matcher_free(m);
	free_rules(r, &a);
}

/* Each skipped rule counts once more in *errors, across calls. */
static void test_errors_add_up(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_int_equal(add(r, 1, 1, "^9", "@", GW), 0);
	assert_int_equal(add(r, 2, 2, "^9", " ", GW), 0);
	assert_int_equal(add(r, 3, 3, "^9", "", GW), 0);
	assert_ptr_equal(translate(r, "9123", res, &errors), ph_rules_at(r, 2));
	assert_int_equal(errors, 2);
	assert_ptr_equal(translate(r, "9456", res, &errors), ph_rules_at(r, 2));
	assert_int_equal(errors, 4);
	assert_null(translate(r, "8123", res, &errors));
	assert_int_equal(errors, 4);
	assert_ptr_equal(translate(r, "9", res, NULL), ph_rules_at(r, 2));
	assert_string_equal(res, "9");
	free_rules(r, &a);
}

static void test_result_too_long(void **state)
{
	static const char digits[] = "1234567890123456789012345678901234567890"
								 "1234567890123456789012345678901234567890";
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_int_equal(add(r, 1, 1, "^[0-9]+$", "\\0\\0", GW), 0);
	assert_int_equal(add(r, 2, 2, "^", "", GW), 0);
	/* 32 digits doubled: PH_MAX_ROUTE_NUMBER exactly */
	assert_ptr_equal(translate_len(r, matcher, digits, 32, 256, res, &errors),
			ph_rules_at(r, 0));
	assert_int_equal(strlen(res), PH_MAX_ROUTE_NUMBER);
	assert_memory_equal(res, digits, 32);
	assert_memory_equal(res + 32, digits, 32);
	assert_int_equal(errors, 0);
	/* 33 digits doubled: too long, the next rule keeps the number */
	assert_ptr_equal(translate_len(r, matcher, digits, 33, 256, res, &errors),
			ph_rules_at(r, 1));
	assert_int_equal(strlen(res), 33);
	assert_memory_equal(res, digits, 33);
	assert_int_equal(errors, 1);
	/* a number of 64 is kept, one of 65 is too long even unchanged */
	errors = 0;
	assert_ptr_equal(translate_len(r, matcher, digits, 64, 256, res, &errors),
			ph_rules_at(r, 1));
	assert_int_equal(strlen(res), 64);
	assert_int_equal(errors, 1);
	errors = 0;
	assert_null(translate_len(r, matcher, digits, 65, 256, res, &errors));
	assert_int_equal(errors, 2);
	free_rules(r, &a);
}

static void test_result_must_fit_out(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_int_equal(add(r, 1, 1, NANP_MATCH, "\\1", GW), 0);
	/* "13125551234" and its NUL: 12 bytes */
	assert_ptr_equal(
			translate_len(r, matcher, "913125551234", 12, 12, res, &errors),
			ph_rules_at(r, 0));
	assert_string_equal(res, "13125551234");
	assert_int_equal(errors, 0);
	assert_null(
			translate_len(r, matcher, "913125551234", 12, 11, res, &errors));
	assert_int_equal(errors, 1);
	assert_null(translate_len(r, matcher, "913125551234", 12, 1, res, &errors));
	assert_int_equal(errors, 2);
	/* the next rule's shorter result fits */
	assert_int_equal(add(r, 2, 2, "^9.*$", "7", GW), 0);
	errors = 0;
	assert_ptr_equal(
			translate_len(r, matcher, "913125551234", 12, 11, res, &errors),
			ph_rules_at(r, 1));
	assert_string_equal(res, "7");
	assert_int_equal(errors, 1);
	errors = 0;
	assert_ptr_equal(
			translate_len(r, matcher, "913125551234", 12, 2, res, &errors),
			ph_rules_at(r, 1));
	assert_string_equal(res, "7");
	assert_int_equal(errors, 1);
	free_rules(r, &a);
}

static void test_accessors(void **state)
{
	char match[] = NANP_MATCH, repl[] = "+\\1", desc[] = "Carrier A",
		 trunk[] = GW, uri[PH_MAX_TRUNK + 1];
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	const ph_trunk_t *t;
	const ph_rule_t *rule;
	ph_rule_row_t row;

	(void)state;
	row = unit_rule_row(123456789012LL, -7, match, repl, trunk, desc);
	assert_int_equal(ph_rules_add(r, &row, err, sizeof(err)), 0);
	row = unit_rule_row(2, 3, "^8", NULL, "ds:17", "");
	assert_int_equal(add_row(r, &row), 0);
	/* the set keeps copies: the row's text may go */
	memset(match, 'z', sizeof(match) - 1);
	memset(repl, 'z', sizeof(repl) - 1);
	memset(desc, 'z', sizeof(desc) - 1);
	memset(trunk, 'z', sizeof(trunk) - 1);

	rule = ph_rules_at(r, 0);
	assert_non_null(rule);
	assert_int_equal(ph_rule_id(rule), 123456789012LL);
	assert_int_equal(ph_rule_priority(rule), -7);
	assert_string_equal(ph_rule_match_exp(rule), NANP_MATCH);
	assert_string_equal(ph_rule_repl_exp(rule), "+\\1");
	assert_string_equal(ph_rule_description(rule), "Carrier A");
	t = ph_rule_trunk(rule);
	assert_non_null(t);
	assert_int_equal(t->kind, PH_TRUNK_URI);
	assert_int_equal(t->port, 5060);
	assert_int_equal(t->host_len, strlen("198.51.100.7"));
	assert_memory_equal(t->host, "198.51.100.7", t->host_len);
	assert_int_equal(t->transport_len, 3);
	assert_memory_equal(t->transport, "udp", 3);
	assert_true(t->host < trunk || t->host >= trunk + sizeof(trunk));
	assert_int_equal(ph_trunk_uri(t, uri, sizeof(uri)), strlen(GW));
	assert_string_equal(uri, GW);

	rule = ph_rules_at(r, 1);
	assert_non_null(rule);
	assert_int_equal(ph_rule_id(rule), 2);
	assert_int_equal(ph_rule_priority(rule), 3);
	assert_string_equal(ph_rule_match_exp(rule), "^8");
	assert_string_equal(ph_rule_description(rule), "");
	t = ph_rule_trunk(rule);
	assert_int_equal(t->kind, PH_TRUNK_DISPATCHER);
	assert_int_equal(t->ds_set, 17);
	assert_int_equal(ph_trunk_uri(t, uri, sizeof(uri)), -1);

	/* and translates with what it kept */
	assert_translate(r, "913125551234", 123456789012LL, "+13125551234");
	assert_translate(r, "8123", 2, "8123");
	free_rules(r, &a);
}

static void test_memory_grows(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	size_t empty = ph_rules_memory(r), last = empty, i;
	char match[32];

	(void)state;
	assert_true(empty > 0);
	for(i = 0; i < 200; i++) {
		snprintf(match, sizeof(match), "^%zu-([0-9]*)$", i);
		assert_int_equal(
				add(r, (long long)i, (int)(i % 7), match, "\\1", GW), 0);
		assert_true(ph_rules_memory(r) >= last);
		last = ph_rules_memory(r);
	}
	assert_true(last > empty);
	assert_int_equal(ph_rules_count(r), 200);
	assert_translate(r, "199-5551234", 199, "5551234");
	free_rules(r, &a);
}

/* ph_rules_memory is what the set holds from its allocator: all of it,
 * whatever the set did before. */
static void test_memory_accounting(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	ph_rule_row_t row;
	char match[32];
	size_t i;

	(void)state;
	assert_int_equal(ph_rules_memory(r), a.live_bytes);
	for(i = 0; i < 40; i++) {
		snprintf(match, sizeof(match), "^%zu-([0-9]*)$", i);
		assert_int_equal(add(r, (long long)i, 0, match, "\\1", GW), 0);
		assert_int_equal(ph_rules_memory(r), a.live_bytes);
		/* refusals */
		assert_int_equal(add(r, 100, 0, "^(12", "", GW), -1);
		assert_int_equal(add(r, 100, 0, "^(12)", "\\2", GW), -1);
		assert_int_equal(add(r, 100, 0, "^(12)", "\\1", "ds:x"), -1);
		assert_int_equal(ph_rules_memory(r), a.live_bytes);
		/* out of memory at the last allocation the add makes */
		row = unit_rule_row(100, 0, "^(12)", "\\1", GW, "d");
		a.remaining = 0;
		assert_true(add_row(r, &row) < 0);
		a.remaining = -1;
		assert_int_equal(ph_rules_memory(r), a.live_bytes);
	}
	assert_int_equal(ph_rules_count(r), 40);
	free_rules(r, &a);
}

/* Rule i of the out-of-memory test: each comes before those added earlier,
 * and its result says which it is. */
static ph_rule_row_t oom_rule(size_t i, char *repl, size_t size)
{
	snprintf(repl, size, "%zu\\1", i);
	return unit_rule_row((long long)i + 1, 100 - (int)i, "^1([0-9]*)$", repl,
			i % 2 ? "ds:3" : "sip:gw.example:5060;transport=tcp", "oom");
}

/* The number "1555" as rule i makes it, or NULL if i < 0. */
static void assert_oom_translate(const ph_rules_t *r, long i)
{
	char want[32], res[512];
	unsigned errors = 0;
	const ph_rule_t *rule = translate(r, "1555", res, &errors);

	assert_int_equal(errors, 0);
	if(i < 0) {
		assert_null(rule);
		return;
	}
	assert_non_null(rule);
	assert_int_equal(ph_rule_id(rule), i + 1);
	snprintf(want, sizeof(want), "%ld555", i);
	assert_string_equal(res, want);
}

static void test_add_no_memory_every_step(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	ph_rule_row_t row;
	char repl[32];
	size_t i, failures, failed = 0;
	long n;
	int rc;

	(void)state;
	for(i = 0; i < 20; i++) {
		row = oom_rule(i, repl, sizeof(repl));
		for(n = 0;; n++) {
			assert_true(n < 1000);
			failures = a.failures;
			a.remaining = n;
			rc = add_row(r, &row);
			a.remaining = -1;
			if(rc == 0)
				break;
			/* out of memory, and said so, whichever step failed */
			if(rc != -2)
				fail_msg("rule %zu, %ld allocations allowed: %d, '%s'", i, n,
						rc, rc == -1 ? err : "");
			assert_true(a.failures > failures);
			assert_unchanged(r, i);
			assert_oom_translate(r, (long)i - 1);
			failed++;
		}
		assert_int_equal(ph_rules_count(r), i + 1);
		assert_int_equal(ph_rules_memory(r), a.live_bytes);
		assert_oom_translate(r, (long)i);
	}
	/* every rule needed memory */
	assert_true(failed >= 20);
	free_rules(r, &a);
}

/* A refusal leaves no memory behind, either. */
static void test_refusals_leak_nothing(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	size_t i;

	(void)state;
	for(i = 0; i < 50; i++) {
		assert_int_equal(add(r, 1, 0, "^(12", "", GW), -1);
		assert_int_equal(add(r, 2, 0, "^(12)", "\\2", GW), -1);
		assert_int_equal(add(r, 3, 0, "^(12)", "\\1", "sip:1@h"), -1);
		assert_unchanged(r, 0);
	}
	free_rules(r, &a);
}

static void test_err_size(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	ph_rule_row_t row = unit_rule_row(1, 0, "^(12", "", GW, "");
	char full[512], small[16];
	size_t size;

	(void)state;
	memset(full, 'x', sizeof(full));
	assert_int_equal(ph_rules_add(r, &row, full, sizeof(full)), -1);
	assert_non_null(memchr(full, '\0', sizeof(full)));
	for(size = 0; size < sizeof(small) - 1; size++) {
		memset(small, 'x', sizeof(small));
		assert_int_equal(ph_rules_add(r, &row, small, size), -1);
		assert_int_equal(small[size], 'x');
		if(size == 0)
			continue;
		assert_non_null(memchr(small, '\0', size));
		assert_int_equal(
				strlen(small), strlen(full) < size ? strlen(full) : size - 1);
		assert_memory_equal(small, full, strlen(small));
	}
	assert_unchanged(r, 0);
	free_rules(r, &a);
}

static void test_matcher_limits(void **state)
{
	unit_alloc_t a;
	ph_rules_t *r = new_rules(&a);
	ph_matcher_t *m;
	char res[512];
	unsigned errors = 0;

	(void)state;
	assert_int_equal(add(r, 1, 0, NANP_MATCH, "\\1", GW), 0);
	m = ph_matcher_new(100000, 10000);
	assert_non_null(m);
	assert_ptr_equal(translate_len(r, m, "913125551234", 12, 256, res, &errors),
			ph_rules_at(r, 0));
	assert_string_equal(res, "13125551234");
	assert_int_equal(errors, 0);
	ph_matcher_free(m);
	free_rules(r, &a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_new_is_empty),
			cmocka_unit_test(test_new_no_memory),
			cmocka_unit_test(test_priority_order),
			cmocka_unit_test(test_first_match_wins),
			cmocka_unit_test(test_vicidial_carrier_pattern),
			cmocka_unit_test(test_back_references),
			cmocka_unit_test(test_more_than_nine_groups),
			cmocka_unit_test(test_partial_replacement),
			cmocka_unit_test(test_empty_replacement_keeps_number),
			cmocka_unit_test(test_backslash),
			cmocka_unit_test(test_result_characters),
			cmocka_unit_test(test_result_with_nul),
			cmocka_unit_test(test_missing_group_refused),
			cmocka_unit_test(test_bad_regex),
			cmocka_unit_test(test_null_and_bad_fields),
			cmocka_unit_test(test_field_limits),
			cmocka_unit_test(test_match_limit),
			cmocka_unit_test(test_errors_add_up),
			cmocka_unit_test(test_result_too_long),
			cmocka_unit_test(test_result_must_fit_out),
			cmocka_unit_test(test_accessors),
			cmocka_unit_test(test_memory_grows),
			cmocka_unit_test(test_memory_accounting),
			cmocka_unit_test(test_add_no_memory_every_step),
			cmocka_unit_test(test_refusals_leak_nothing),
			cmocka_unit_test(test_err_size),
			cmocka_unit_test(test_matcher_limits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
