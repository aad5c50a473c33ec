/*
 * kamailio-phones: routing rules for EXTERNAL entries, compiled with pcre2.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "phones/error.h"
#include "phones/route_rules.h"
#include "phones/sip_user.h"

/* \0 .. \9 */
#define MAX_GROUPS 10

struct ph_rule
{
	long long id;
	int priority;
	pcre2_code *code;
	char *match_exp;
	char *repl_exp;
	char *description;
	char *trunk_text; /* the trunk's pieces point into it */
	ph_trunk_t trunk;
	size_t memory;
};

struct ph_rules
{
	const ph_allocator_t *allocator;
	pcre2_general_context *gcontext;
	pcre2_compile_context *ccontext;
	ph_rule_t **rules; /* sorted by priority, then id */
	size_t count;
	size_t cap;
	size_t memory;
};

struct ph_matcher
{
	pcre2_match_data *data;
	pcre2_match_context *context;
};

/* pcre2 allocates its contexts and compiled expressions through the set's
 * allocator, so that they live where the set does (shared memory in the
 * proxy). Each block carries its size in front, so that the set can count
 * what it holds: pcre2's free callback is not told the size. */
typedef union pcre_block
{
	size_t size;
	max_align_t align;
} pcre_block_t;

static void *pcre_alloc(PCRE2_SIZE size, void *data)
{
	ph_rules_t *r = data;
	pcre_block_t *b;

	if(size > (size_t)-1 - sizeof(*b))
		return NULL;
	b = r->allocator->alloc(r->allocator->ctx, sizeof(*b) + size);
	if(b == NULL)
		return NULL;
	b->size = sizeof(*b) + size;
	r->memory += b->size;
	return b + 1;
}

static void pcre_release(void *p, void *data)
{
	ph_rules_t *r = data;
	pcre_block_t *b;

	if(p == NULL)
		return;
	b = (pcre_block_t *)p - 1;
	r->memory -= b->size;
	r->allocator->release(r->allocator->ctx, b);
}

ph_rules_t *ph_rules_new(const ph_allocator_t *allocator)
{
	ph_rules_t *r = allocator->alloc(allocator->ctx, sizeof(*r));

	if(r == NULL)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->allocator = allocator;
	r->memory = sizeof(*r);
	r->gcontext = pcre2_general_context_create(pcre_alloc, pcre_release, r);
	if(r->gcontext)
		r->ccontext = pcre2_compile_context_create(r->gcontext);
	if(r->ccontext == NULL) {
		ph_rules_free(r);
		return NULL;
	}
	return r;
}

static char *copy_text(ph_rules_t *r, ph_rule_t *rule, const ph_field_t *f)
{
	size_t len = f->s ? f->len : 0;
	char *p = r->allocator->alloc(r->allocator->ctx, len + 1);

	if(p == NULL)
		return NULL;
	if(len)
		memcpy(p, f->s, len);
	p[len] = '\0';
	rule->memory += len + 1;
	return p;
}

static void rule_free(ph_rules_t *r, ph_rule_t *rule)
{
	const ph_allocator_t *a = r->allocator;

	if(rule == NULL)
		return;
	pcre2_code_free(rule->code);
	a->release(a->ctx, rule->match_exp);
	a->release(a->ctx, rule->repl_exp);
	a->release(a->ctx, rule->description);
	a->release(a->ctx, rule->trunk_text);
	a->release(a->ctx, rule);
}

/* The highest group repl names (\N), or -1 for none. */
static int highest_group(const char *repl)
{
	int highest = -1;
	const char *p;

	for(p = repl; *p; p++) {
		if(*p != '\\')
			continue;
		if(p[1] >= '0' && p[1] <= '9') {
			if(p[1] - '0' > highest)
				highest = p[1] - '0';
			p++;
		} else if(p[1] == '\\') {
			p++;
		}
	}
	return highest;
}

static int compile(ph_rules_t *r, ph_rule_t *rule, const ph_rule_row_t *row,
		char *err, size_t errsize)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE offset;
	uint32_t groups;
	int code, highest;

	rule->code = pcre2_compile((PCRE2_SPTR)rule->match_exp,
			PCRE2_ZERO_TERMINATED, 0, &code, &offset, r->ccontext);
	if(rule->code == NULL) {
		if(code == PCRE2_ERROR_HEAP_FAILED)
			return -2;
		pcre2_get_error_message(code, msg, sizeof(msg));
		return ph_error(err, errsize,
				"rule %lld: match_exp '%s': %s at offset %zu", row->id,
				rule->match_exp, (char *)msg, (size_t)offset);
	}
	if(pcre2_pattern_info(rule->code, PCRE2_INFO_CAPTURECOUNT, &groups) != 0)
		groups = 0;
	highest = highest_group(rule->repl_exp);
	if(highest > (int)groups)
		return ph_error(err, errsize,
				"rule %lld: repl_exp '%s' uses \\%d but match_exp has %u"
				" group(s)",
				row->id, rule->repl_exp, highest, (unsigned)groups);
	return 0;
}

/* Where a rule goes so the set stays sorted: after every rule that comes
 * before it (lower priority, or same priority and lower or equal id). */
static size_t insert_position(const ph_rules_t *r, const ph_rule_t *rule)
{
	size_t i = r->count;

	while(i > 0
			&& (r->rules[i - 1]->priority > rule->priority
					|| (r->rules[i - 1]->priority == rule->priority
							&& r->rules[i - 1]->id > rule->id)))
		i--;
	return i;
}

static int reserve(ph_rules_t *r)
{
	ph_rule_t **rules;
	size_t cap;

	if(r->count < r->cap)
		return 0;
	cap = r->cap ? r->cap * 2 : 16;
	rules = r->allocator->alloc(r->allocator->ctx, cap * sizeof(*rules));
	if(rules == NULL)
		return -1;
	if(r->count)
		memcpy(rules, r->rules, r->count * sizeof(*rules));
	r->allocator->release(r->allocator->ctx, r->rules);
	r->memory += (cap - r->cap) * sizeof(*rules);
	r->rules = rules;
	r->cap = cap;
	return 0;
}

static int check_row(const ph_rule_row_t *row, char *err, size_t errsize)
{
	if(row->match_exp.s == NULL || row->match_exp.len == 0)
		return ph_error(err, errsize, "rule %lld: no match_exp", row->id);
	if(row->match_exp.len > PH_MAX_MATCH_EXP)
		return ph_error(err, errsize, "rule %lld: match_exp longer than %d",
				row->id, PH_MAX_MATCH_EXP);
	if(row->repl_exp.s && row->repl_exp.len > PH_MAX_REPL_EXP)
		return ph_error(err, errsize, "rule %lld: repl_exp longer than %d",
				row->id, PH_MAX_REPL_EXP);
	if(row->description.s && row->description.len > PH_MAX_DESCRIPTION)
		return ph_error(err, errsize, "rule %lld: description longer than %d",
				row->id, PH_MAX_DESCRIPTION);
	if(row->trunk.s == NULL || row->trunk.len == 0)
		return ph_error(err, errsize, "rule %lld: no trunk", row->id);
	if(memchr(row->match_exp.s, '\0', row->match_exp.len)
			|| (row->repl_exp.s
					&& memchr(row->repl_exp.s, '\0', row->repl_exp.len)))
		return ph_error(err, errsize, "rule %lld: NUL byte in an expression",
				row->id);
	return 0;
}

int ph_rules_add(
		ph_rules_t *r, const ph_rule_row_t *row, char *err, size_t errsize)
{
	const ph_allocator_t *a = r->allocator;
	char why[200];
	ph_rule_t *rule;
	size_t pos;
	int rc;

	if(err && errsize)
		err[0] = '\0';
	if(check_row(row, err, errsize) < 0)
		return -1;
	if(reserve(r) < 0)
		return -2;
	rule = a->alloc(a->ctx, sizeof(*rule));
	if(rule == NULL)
		return -2;
	memset(rule, 0, sizeof(*rule));
	rule->id = row->id;
	rule->priority = row->priority;
	rule->memory = sizeof(*rule);
	rule->match_exp = copy_text(r, rule, &row->match_exp);
	rule->repl_exp = copy_text(r, rule, &row->repl_exp);
	rule->description = copy_text(r, rule, &row->description);
	rule->trunk_text = copy_text(r, rule, &row->trunk);
	if(!rule->match_exp || !rule->repl_exp || !rule->description
			|| !rule->trunk_text) {
		rule_free(r, rule);
		return -2;
	}
	if(ph_trunk_parse(rule->trunk_text, row->trunk.len, &rule->trunk, why,
			   sizeof(why))
			< 0) {
		rule_free(r, rule);
		return ph_error(err, errsize, "rule %lld: %s", row->id, why);
	}
	rc = compile(r, rule, row, err, errsize);
	if(rc < 0) {
		rule_free(r, rule);
		return rc;
	}
	pos = insert_position(r, rule);
	memmove(&r->rules[pos + 1], &r->rules[pos],
			(r->count - pos) * sizeof(*r->rules));
	r->rules[pos] = rule;
	r->count++;
	r->memory += rule->memory;
	return 0;
}

size_t ph_rules_count(const ph_rules_t *r)
{
	return r->count;
}

const ph_rule_t *ph_rules_at(const ph_rules_t *r, size_t i)
{
	return i < r->count ? r->rules[i] : NULL;
}

long long ph_rule_id(const ph_rule_t *rule)
{
	return rule->id;
}

int ph_rule_priority(const ph_rule_t *rule)
{
	return rule->priority;
}

const char *ph_rule_match_exp(const ph_rule_t *rule)
{
	return rule->match_exp;
}

const char *ph_rule_repl_exp(const ph_rule_t *rule)
{
	return rule->repl_exp;
}

const char *ph_rule_description(const ph_rule_t *rule)
{
	return rule->description;
}

const ph_trunk_t *ph_rule_trunk(const ph_rule_t *rule)
{
	return &rule->trunk;
}

size_t ph_rules_memory(const ph_rules_t *r)
{
	return r->memory;
}

void ph_rules_free(ph_rules_t *r)
{
	size_t i;

	if(r == NULL)
		return;
	for(i = 0; i < r->count; i++)
		rule_free(r, r->rules[i]);
	r->allocator->release(r->allocator->ctx, r->rules);
	pcre2_compile_context_free(r->ccontext);
	pcre2_general_context_free(r->gcontext);
	r->allocator->release(r->allocator->ctx, r);
}

ph_matcher_t *ph_matcher_new(uint32_t match_limit, uint32_t depth_limit)
{
	ph_matcher_t *m = calloc(1, sizeof(*m));

	if(m == NULL)
		return NULL;
	m->data = pcre2_match_data_create(MAX_GROUPS, NULL);
	m->context = pcre2_match_context_create(NULL);
	if(m->data == NULL || m->context == NULL) {
		ph_matcher_free(m);
		return NULL;
	}
	if(match_limit)
		pcre2_set_match_limit(m->context, match_limit);
	if(depth_limit)
		pcre2_set_depth_limit(m->context, depth_limit);
	return m;
}

void ph_matcher_free(ph_matcher_t *m)
{
	if(m == NULL)
		return;
	pcre2_match_data_free(m->data);
	pcre2_match_context_free(m->context);
	free(m);
}

/* Appends n bytes to out; -1 when they do not fit (with the NUL). */
static int append(char *out, size_t size, size_t *len, const char *s, size_t n)
{
	size_t i;

	if(*len + n >= size || *len + n > PH_MAX_ROUTE_NUMBER)
		return -1;
	for(i = 0; i < n; i++) {
		if(!ph_sip_user_char((unsigned char)s[i]))
			return -1;
	}
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
	return 0;
}

/* number with its matched part replaced by the expansion of repl. */
static int substitute(const ph_rule_t *rule, const char *number,
		size_t len, const PCRE2_SIZE *ov, int pairs, char *out, size_t size,
		size_t *outlen)
{
	const char *p;
	size_t n = 0;
	int g;

	if(size == 0)
		return -1;
	out[0] = '\0';
	if(rule->repl_exp[0] == '\0') { /* the number as it is */
		if(append(out, size, &n, number, len) < 0)
			return -1;
		*outlen = n;
		return 0;
	}
	if(append(out, size, &n, number, ov[0]) < 0)
		return -1;
	for(p = rule->repl_exp; *p; p++) {
		if(p[0] == '\\' && p[1] >= '0' && p[1] <= '9') {
			g = p[1] - '0';
			p++;
			if(g >= pairs || ov[2 * g] == PCRE2_UNSET)
				continue; /* an unset group is empty */
			if(append(out, size, &n, number + ov[2 * g],
					   ov[2 * g + 1] - ov[2 * g])
					< 0)
				return -1;
			continue;
		}
		if(p[0] == '\\' && p[1] == '\\')
			p++;
		if(append(out, size, &n, p, 1) < 0)
			return -1;
	}
	if(append(out, size, &n, number + ov[1], len - ov[1]) < 0)
		return -1;
	*outlen = n;
	return 0;
}

const ph_rule_t *ph_rules_translate(const ph_rules_t *r, ph_matcher_t *m,
		const char *number, size_t len, char *out, size_t outsize,
		size_t *outlen, unsigned *errors)
{
	const ph_rule_t *rule;
	PCRE2_SIZE *ov;
	size_t i, n;
	int rc;

	if(r == NULL || m == NULL || number == NULL)
		return NULL;
	for(i = 0; i < r->count; i++) {
		rule = r->rules[i];
		rc = pcre2_match(rule->code, (PCRE2_SPTR)number, len, 0, 0, m->data,
				m->context);
		if(rc == PCRE2_ERROR_NOMATCH)
			continue;
		if(rc < 0) { /* a limit, or a subject pcre2 will not take */
			if(errors)
				(*errors)++;
			continue;
		}
		ov = pcre2_get_ovector_pointer(m->data);
		/* rc == 0: more groups than the data holds; all MAX_GROUPS are set */
		if(substitute(rule, number, len, ov, rc == 0 ? MAX_GROUPS : rc, out,
				   outsize, &n)
				< 0) {
			if(errors)
				(*errors)++;
			continue;
		}
		if(outlen)
			*outlen = n;
		return rule;
	}
	return NULL;
}
