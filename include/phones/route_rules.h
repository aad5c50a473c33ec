/*
 * kamailio-phones: routing rules for EXTERNAL entries, compiled with pcre2.
 *
 * Each rule has a priority (lower first), a pcre2 match expression tried on
 * an EXTERNAL entry's dialplan number, a replacement and a trunk. The first
 * rule that matches gives the new number: the part of the number that
 * match_exp matched is replaced by repl_exp, where \0 .. \9 stand for the
 * match and its groups (as in Kamailio's dialplan module) and \\ for a
 * backslash. An empty or NULL repl_exp leaves the number as it is.
 *
 * Rules are compiled once, when they are loaded, into memory from the
 * rule set's allocator (shared memory in the proxy), and matched by each
 * process with a matcher of its own that carries pcre2's match and depth
 * limits, so that no expression can stall a worker.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_ROUTE_RULES_H
#define PHONES_ROUTE_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"
#include "phones/phone_row.h"
#include "phones/trunk.h"

/* Longest match_exp, repl_exp and description accepted. */
#define PH_MAX_MATCH_EXP 255
#define PH_MAX_REPL_EXP 64
#define PH_MAX_DESCRIPTION 255
/* Longest number a rule may produce. */
#define PH_MAX_ROUTE_NUMBER 64

/* One row of the routes table, as the database gave it. */
typedef struct ph_rule_row
{
	long long id;
	int priority;
	ph_field_t match_exp;
	ph_field_t repl_exp;
	ph_field_t trunk;
	ph_field_t description;
} ph_rule_row_t;

typedef struct ph_rule ph_rule_t;
typedef struct ph_rules ph_rules_t;
typedef struct ph_matcher ph_matcher_t;

/* An empty rule set, or NULL when the allocator fails. */
ph_rules_t *ph_rules_new(const ph_allocator_t *allocator);

/* Compiles and adds one rule. Returns 0; -1 when the row cannot be used
 * (bad regex, with pcre2's message and offset; a replacement that names a
 * group the expression does not have; a bad trunk; a NULL or over-long
 * field), the reason written to err; -2 when out of memory. The set is
 * unchanged unless 0 is returned. */
int ph_rules_add(
		ph_rules_t *r, const ph_rule_row_t *row, char *err, size_t errsize);

/* Rules in the order they are tried: priority, then id. */
size_t ph_rules_count(const ph_rules_t *r);
const ph_rule_t *ph_rules_at(const ph_rules_t *r, size_t i);

long long ph_rule_id(const ph_rule_t *rule);
int ph_rule_priority(const ph_rule_t *rule);
const char *ph_rule_match_exp(const ph_rule_t *rule);
const char *ph_rule_repl_exp(const ph_rule_t *rule);
const char *ph_rule_description(const ph_rule_t *rule);
const ph_trunk_t *ph_rule_trunk(const ph_rule_t *rule);

/* Bytes the rule set holds from its allocator. */
size_t ph_rules_memory(const ph_rules_t *r);

void ph_rules_free(ph_rules_t *r);

/* A process's match data and limits (pcre2's match and depth limits; 0
 * keeps pcre2's default). Allocated with malloc: one per process. */
ph_matcher_t *ph_matcher_new(uint32_t match_limit, uint32_t depth_limit);
void ph_matcher_free(ph_matcher_t *m);

/* Tries the rules in order on number. On the first match writes the new
 * number (NUL-terminated) to out and returns the rule; returns NULL when
 * no rule matches. A rule whose match hits a limit or fails, or whose
 * result is longer than PH_MAX_ROUTE_NUMBER, does not fit out, or holds a
 * character a SIP user part may not, is skipped and counted in *errors
 * (which may be NULL). */
const ph_rule_t *ph_rules_translate(const ph_rules_t *r, ph_matcher_t *m,
		const char *number, size_t len, char *out, size_t outsize,
		size_t *outlen, unsigned *errors);

#endif
