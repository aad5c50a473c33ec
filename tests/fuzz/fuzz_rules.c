/*
 * kamailio-phones: fuzzing the routing rules (ph_rules_add,
 * ph_rules_translate).
 *
 * Input (see README.md): an optional "!<hex>" line, the allocations to
 * fail; then lines, each either a rule
 *
 *     match_exp|repl_exp|trunk|priority|id|description
 *
 * (\N is SQL NULL; priority defaults to 0, id to the line's number) or,
 * when it starts with '>', a number to translate with the rules so far,
 * with an optional size of the output buffer: ">number|outsize".
 *
 * Every translation is checked against a reference of the documented
 * semantics computed here, with pcre2 directly and the same limits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "fuzz.h"

#include "phones/route_rules.h"
#include "phones/sip_user.h"
#include "phones/trunk.h"

#define MAX_RULES 64
#define MAX_NUMBERS 64
#define MATCH_LIMIT 5000
#define DEPTH_LIMIT 250
#define GROUPS 10 /* \0 .. \9 */

/* What the harness knows of a rule it added. */
typedef struct known
{
	const ph_rule_t *rule;
	size_t seq; /* order of addition */
	pcre2_code *code;
	char *repl; /* NUL-terminated; "" for NULL */
} known_t;

typedef struct state
{
	fz_alloc_t a;
	ph_rules_t *rules;
	ph_matcher_t *matcher;
	pcre2_match_data *data;
	pcre2_match_context *context;
	known_t known[MAX_RULES];
	size_t nknown;
	size_t seq;
} state_t;

static FZ_NO_COVERAGE const known_t *find_known(
		const state_t *s, const ph_rule_t *rule)
{
	size_t i;

	for(i = 0; i < s->nknown; i++) {
		if(s->known[i].rule == rule)
			return &s->known[i];
	}
	return NULL;
}

/* got, a C string, is the field's bytes ("" for NULL) up to the first NUL
 * (expressions may hold none; a description may, and is cut there). */
static FZ_NO_COVERAGE int same_text(const char *got, const ph_field_t *f)
{
	const char *nul = f->s ? memchr(f->s, '\0', f->len) : NULL;
	size_t len = f->s ? (nul ? (size_t)(nul - f->s) : f->len) : 0;

	return got && strlen(got) == len
		   && (len == 0 || memcmp(got, f->s, len) == 0);
}

static FZ_NO_COVERAGE int same_piece(
		const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

static FZ_NO_COVERAGE void check_trunk(
		const ph_trunk_t *got, const ph_field_t *text)
{
	ph_trunk_t want;

	fz_check(ph_trunk_parse(text->s, text->len, &want, NULL, 0) == 0,
			"a rule was added with a trunk that does not parse");
	fz_check(got->kind == want.kind, "trunk kind %d, want %d", got->kind,
			want.kind);
	if(want.kind == PH_TRUNK_DISPATCHER) {
		fz_check(got->ds_set == want.ds_set, "ds_set %d, want %d", got->ds_set,
				want.ds_set);
		return;
	}
	fz_check(same_piece(got->scheme, got->scheme_len, want.scheme,
					 want.scheme_len),
			"trunk scheme differs");
	fz_check(same_piece(got->host, got->host_len, want.host, want.host_len),
			"trunk host differs");
	fz_check(got->port == want.port, "trunk port %u, want %u",
			(unsigned)got->port, (unsigned)want.port);
	fz_check(same_piece(got->transport, got->transport_len, want.transport,
					 want.transport_len),
			"trunk transport differs");
}

/* The rules are in priority, then id order, equal ones in the order they
 * were added; every one is known. */
static FZ_NO_COVERAGE void check_order(const state_t *s)
{
	size_t i, n = ph_rules_count(s->rules);
	const ph_rule_t *prev = NULL, *rule;
	const known_t *kp = NULL, *k;

	fz_check(n == s->nknown, "%zu rules, %zu added", n, s->nknown);
	for(i = 0; i < n; i++) {
		rule = ph_rules_at(s->rules, i);
		fz_check(rule != NULL, "no rule at %zu of %zu", i, n);
		k = find_known(s, rule);
		fz_check(k != NULL, "rule at %zu was never added", i);
		if(prev) {
			fz_check(
					ph_rule_priority(prev) < ph_rule_priority(rule)
							|| (ph_rule_priority(prev) == ph_rule_priority(rule)
									&& ph_rule_id(prev) <= ph_rule_id(rule)),
					"rule %zu (priority %d, id %lld) before rule %zu"
					" (priority %d, id %lld)",
					i - 1, ph_rule_priority(prev), ph_rule_id(prev), i,
					ph_rule_priority(rule), ph_rule_id(rule));
			if(ph_rule_priority(prev) == ph_rule_priority(rule)
					&& ph_rule_id(prev) == ph_rule_id(rule))
				fz_check(kp->seq < k->seq,
						"equal rules %zu and %zu not in the order added", i - 1,
						i);
		}
		prev = rule;
		kp = k;
	}
	fz_check(ph_rules_at(s->rules, n) == NULL, "a rule past the end");
}

static void add_rule(state_t *s, const fz_field_t *f, size_t line)
{
	static const size_t err_sizes[] = {256, 0, 1, 2, 17, 200};
	size_t errsize =
			err_sizes[line % (sizeof(err_sizes) / sizeof(err_sizes[0]))];
	int use_null_err = errsize == 0 && line % 2;
	char *err = fz_err_new(errsize);
	ph_rule_row_t row;
	size_t count = ph_rules_count(s->rules), failures = s->a.failures, i;
	const ph_rule_t *rule = NULL;
	known_t *k;
	PCRE2_SIZE offset;
	int rc, code;

	memset(&row, 0, sizeof(row));
	row.match_exp = f[0];
	row.repl_exp = f[1];
	row.trunk = f[2];
	row.priority = (int)fz_number(&f[3], -2147483647 - 1, 2147483647, 0);
	row.id = fz_number(&f[4], -999999999999999999ll, 999999999999999999ll,
			(long long)line);
	row.description = f[5];

	rc = ph_rules_add(s->rules, &row, use_null_err ? NULL : err, errsize);
	fz_check(rc == 0 || rc == -1 || rc == -2, "ph_rules_add returned %d", rc);
	fz_err_check(err, errsize, errsize > 0, rc == -1);
	if(rc == -2)
		fz_check(s->a.failures > failures, "-2 but no allocation failed");
	if(s->a.failures > failures)
		fz_check(rc == -2, "an allocation failed, but %d (%s)", rc,
				rc == -1 && errsize ? err : "");
	fz_check(ph_rules_memory(s->rules) == s->a.live_bytes,
			"ph_rules_memory %zu, allocator has %zu live",
			ph_rules_memory(s->rules), s->a.live_bytes);
	free(err);
	if(rc != 0) {
		fz_check(ph_rules_count(s->rules) == count,
				"a refused rule changed the count");
		check_order(s);
		return;
	}

	fz_check(ph_rules_count(s->rules) == count + 1, "count %zu after %zu",
			ph_rules_count(s->rules), count);
	fz_check(row.match_exp.s && row.match_exp.len
					 && row.match_exp.len <= PH_MAX_MATCH_EXP,
			"a rule added with match_exp of %zu bytes", row.match_exp.len);
	fz_check(!row.repl_exp.s || row.repl_exp.len <= PH_MAX_REPL_EXP,
			"a rule added with repl_exp of %zu bytes", row.repl_exp.len);
	/* the new rule: the one no known rule is */
	for(i = 0; i <= count; i++) {
		if(find_known(s, ph_rules_at(s->rules, i)) == NULL) {
			rule = ph_rules_at(s->rules, i);
			break;
		}
	}
	fz_check(rule != NULL, "the added rule is not in the set");
	fz_check(ph_rule_id(rule) == row.id, "id %lld, want %lld", ph_rule_id(rule),
			row.id);
	fz_check(ph_rule_priority(rule) == row.priority, "priority %d, want %d",
			ph_rule_priority(rule), row.priority);
	fz_check(same_text(ph_rule_match_exp(rule), &row.match_exp),
			"match_exp differs");
	fz_check(same_text(ph_rule_repl_exp(rule), &row.repl_exp),
			"repl_exp differs");
	fz_check(same_text(ph_rule_description(rule), &row.description),
			"description differs");
	check_trunk(ph_rule_trunk(rule), &row.trunk);

	k = &s->known[s->nknown++];
	k->rule = rule;
	k->seq = s->seq++;
	i = row.repl_exp.s ? row.repl_exp.len : 0;
	k->repl = malloc(i + 1);
	if(k->repl == NULL)
		abort();
	if(i)
		memcpy(k->repl, row.repl_exp.s, i);
	k->repl[i] = '\0';
	k->code = pcre2_compile((PCRE2_SPTR)row.match_exp.s, row.match_exp.len, 0,
			&code, &offset, NULL);
	fz_check(k->code != NULL, "match_exp compiles in the core only (%d)", code);
	check_order(s);
}

/* Appends n bytes to a reference result; the length goes on counting
 * past the buffer, which then no longer matters. */
static FZ_NO_COVERAGE void ref_append(
		char *buf, size_t cap, size_t *len, const char *s, size_t n)
{
	if(*len < cap)
		memcpy(buf + *len, s, *len + n <= cap ? n : cap - *len);
	*len += n;
}

/* The reference: the first rule whose match works and gives a result
 * that is at most PH_MAX_ROUTE_NUMBER long, fits outsize with its NUL and
 * holds only SIP user characters; the others tried are errors. */
static FZ_NO_COVERAGE const ph_rule_t *reference(state_t *s, const char *number,
		size_t len, size_t outsize, char *res, size_t *reslen, unsigned *errors)
{
	char buf[1024];
	size_t i, n, g, pairs, ok;
	const known_t *k;
	const ph_rule_t *rule;
	PCRE2_SIZE *ov;
	const char *p;
	int rc;

	*errors = 0;
	for(i = 0; i < ph_rules_count(s->rules); i++) {
		rule = ph_rules_at(s->rules, i);
		k = find_known(s, rule);
		rc = pcre2_match(
				k->code, (PCRE2_SPTR)number, len, 0, 0, s->data, s->context);
		if(rc == PCRE2_ERROR_NOMATCH)
			continue;
		if(rc < 0) {
			(*errors)++;
			continue;
		}
		ov = pcre2_get_ovector_pointer(s->data);
		pairs = rc == 0 ? GROUPS : (size_t)rc;
		n = 0;
		if(k->repl[0] == '\0') {
			ref_append(buf, sizeof(buf), &n, number, len);
		} else {
			ref_append(buf, sizeof(buf), &n, number, ov[0]);
			for(p = k->repl; *p; p++) {
				if(p[0] == '\\' && p[1] >= '0' && p[1] <= '9') {
					g = (size_t)(*++p - '0');
					if(g < pairs && ov[2 * g] != PCRE2_UNSET)
						ref_append(buf, sizeof(buf), &n, number + ov[2 * g],
								ov[2 * g + 1] - ov[2 * g]);
					continue;
				}
				if(p[0] == '\\' && p[1] == '\\')
					p++;
				ref_append(buf, sizeof(buf), &n, p, 1);
			}
			ref_append(buf, sizeof(buf), &n, number + ov[1], len - ov[1]);
		}
		ok = n <= PH_MAX_ROUTE_NUMBER && n < outsize;
		for(g = 0; ok && g < n; g++)
			ok = ph_sip_user_char((unsigned char)buf[g]);
		if(!ok) {
			(*errors)++;
			continue;
		}
		memcpy(res, buf, n);
		res[n] = '\0';
		*reslen = n;
		return rule;
	}
	return NULL;
}

static void translate(
		state_t *s, const fz_field_t *number, size_t outsize, int count_errors)
{
	char *out = malloc(outsize);
	char want[PH_MAX_ROUTE_NUMBER + 1];
	size_t outlen = (size_t)-1, wantlen = 0, i;
	/* errors are added to what the caller has */
	unsigned errors = 7, want_errors;
	const ph_rule_t *got, *exp;

	if(out == NULL && outsize)
		abort();
	got = ph_rules_translate(s->rules, s->matcher, number->s, number->len, out,
			outsize, &outlen, count_errors ? &errors : NULL);
	if(number->s == NULL) {
		fz_check(got == NULL, "a rule for a NULL number");
		free(out);
		return;
	}
	exp = reference(
			s, number->s, number->len, outsize, want, &wantlen, &want_errors);
	fz_check(got == exp, "translate gave rule %lld, the reference %lld",
			got ? ph_rule_id(got) : -1LL, exp ? ph_rule_id(exp) : -1LL);
	if(count_errors)
		fz_check(errors == 7 + want_errors, "%u errors counted, reference %u",
				errors - 7, want_errors);
	if(got) {
		fz_check(outlen <= PH_MAX_ROUTE_NUMBER && outlen < outsize,
				"result of %zu bytes (outsize %zu)", outlen, outsize);
		fz_check(out[outlen] == '\0', "result not NUL-terminated");
		fz_check(strlen(out) == outlen, "result length %zu, strlen %zu", outlen,
				strlen(out));
		for(i = 0; i < outlen; i++)
			fz_check(ph_sip_user_char((unsigned char)out[i]),
					"result byte %zu (0x%02x) not a SIP user character", i,
					(unsigned char)out[i]);
		fz_check(outlen == wantlen && memcmp(out, want, outlen) == 0,
				"result '%s', reference '%s'", out, want);
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const fz_field_t null_field;
	state_t *s = calloc(1, sizeof(*s));
	fz_reader_t in;
	uint64_t mask;
	fz_field_t f[6], numbers[MAX_NUMBERS];
	size_t nnumbers = 0, line = 0, outsize, i;
	char err[64];

	if(s == NULL)
		abort();
	fz_reader_init(&in, data, size, &mask);
	fz_alloc_init(&s->a, mask);
	s->rules = ph_rules_new(&s->a.allocator);
	if(s->rules == NULL) {
		fz_check(s->a.failures > 0, "ph_rules_new failed with memory to spare");
		fz_check(s->a.live == 0, "ph_rules_new failed and kept %zu blocks",
				s->a.live);
		free(s);
		return 0;
	}
	fz_check(ph_rules_memory(s->rules) == s->a.live_bytes,
			"a new set: ph_rules_memory %zu, allocator has %zu live",
			ph_rules_memory(s->rules), s->a.live_bytes);
	s->matcher = ph_matcher_new(MATCH_LIMIT, DEPTH_LIMIT);
	s->data = pcre2_match_data_create(GROUPS, NULL);
	s->context = pcre2_match_context_create(NULL);
	if(s->matcher == NULL || s->data == NULL || s->context == NULL)
		abort();
	pcre2_set_match_limit(s->context, MATCH_LIMIT);
	pcre2_set_depth_limit(s->context, DEPTH_LIMIT);

	fz_check(ph_rules_translate(
					 s->rules, s->matcher, "1", 1, err, sizeof(err), NULL, NULL)
					 == NULL,
			"a rule in an empty set");
	fz_check(ph_rules_translate(
					 NULL, s->matcher, "1", 1, err, sizeof(err), NULL, NULL)
					 == NULL,
			"a rule in a NULL set");

	while(!fz_reader_done(&in)) {
		line++;
		if(fz_reader_peek(&in) == '>') {
			fz_reader_skip(&in, 1);
			fz_read_line(&in, f, 2);
			outsize = (size_t)fz_number(&f[1], 0, 256, 128);
			translate(s, &f[0], outsize, line % 2);
			if(nnumbers < MAX_NUMBERS) {
				numbers[nnumbers++] = f[0];
				fz_free_fields(&f[1], 1);
			} else {
				fz_free_fields(f, 2);
			}
			continue;
		}
		fz_read_line(&in, f, 6);
		if(s->nknown < MAX_RULES)
			add_rule(s, f, line);
		fz_free_fields(f, 6);
	}

	/* the final set on every number, with a tight and a roomy buffer */
	for(i = 0; i < nnumbers; i++) {
		translate(s, &numbers[i], PH_MAX_ROUTE_NUMBER + 1, 1);
		translate(s, &numbers[i], 8, 1);
	}
	translate(s, &null_field, 128, 1);
	check_order(s);

	ph_matcher_free(s->matcher);
	ph_rules_free(s->rules);
	fz_check(s->a.live == 0 && s->a.live_bytes == 0,
			"ph_rules_free left %zu blocks, %zu bytes", s->a.live,
			s->a.live_bytes);
	for(i = 0; i < s->nknown; i++) {
		pcre2_code_free(s->known[i].code);
		free(s->known[i].repl);
	}
	pcre2_match_data_free(s->data);
	pcre2_match_context_free(s->context);
	fz_free_fields(numbers, nnumbers);
	free(s);
	return 0;
}
