/*
 * kamailio-phones benchmarks: the core's lookups and rule matching, timed
 * outside Kamailio with the C library's malloc as allocator.
 *
 *   microbench [-q]
 *   microbench -c ENTRIES LOOKUPS DO
 *
 * Builds phone tables of 1,000, 100,000 and 1,000,000 entries shaped as
 * the SIP benchmarks' (bench/gen-phones.awk: every fourth an EXTERNAL
 * entry e<i> with number 913122<i>, the others SIP phones p<i>), then
 * times, each as a median of RUNS runs of OPS operations:
 *
 *  - lookup      ph_table_by_extension() of keys drawn uniformly at random
 *                from all the table's extensions (so a big table's lookups
 *                miss the CPU caches as a proxy's would);
 *  - lookup_hot  the same, with keys drawn from 1,000 of them only (a
 *                working set that stays in cache), to tell the algorithm
 *                from the memory;
 *  - auth_check  ph_auth_check() of SIP phones (the REGISTER path, before
 *                the digest);
 *  - route_check ph_route_check() of EXTERNAL entries (the INVITE path);
 *  - rule_match  ph_rules_translate() of EXTERNAL numbers with the one rule
 *                of the benchmarks, and with 10 rules of which only the last
 *                matches.
 *  - call_decide_rule  an Asterisk server's call to an EXTERNAL entry as
 *                phones_route() decided it before the plan: ph_call_decide()
 *                then ph_rules_translate() of its number (one rule);
 *  - call_plan   the same call planned by ph_call_plan() (what
 *                phones_call() and phones_route() do now).
 *
 *  - change      ph_table_change() adding CHANGES new phones one by one,
 *                with ph_table_max_changes() held before a merge (what
 *                add_phone does), per change including the merges; then
 *                lookup_changed, the lookup above on the table as the
 *                last change left it (changes held before the base);
 *  - copy_change ph_table_copy_change() of one added phone, the whole
 *                table copied (what add_phone did before change tables).
 *
 * Keys are copies held outside the table, as a SIP message's user part is.
 * Also reports the time to build the 1,000,000-entry table from rows in
 * memory and what the table says it holds (ph_table_memory()).
 *
 * Output: one tab-separated line per figure: name, entries, value, unit.
 *
 * With -c, only builds a table of ENTRIES, draws LOOKUPS keys as `lookup`
 * does (uniformly over all entries) and, when DO is 1, looks each up once: for a cache simulator
 * (bench/cache-misses.sh runs it under cachegrind with DO 0 and 1, and
 * the difference divided by LOOKUPS is the misses of one lookup).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "phones/allocator.h"
#include "phones/auth_check.h"
#include "phones/call_plan.h"
#include "phones/phone_table.h"
#include "phones/route_check.h"
#include "phones/route_rules.h"

#define KEY_SIZE 16
#define HOT_KEYS 1000

static int runs = 7;
static size_t ops = 2000000;
static volatile uintptr_t sink;

typedef struct key
{
	char s[KEY_SIZE];
	size_t len;
} key_t_;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static ph_field_t field(const char *s)
{
	ph_field_t f = {s, strlen(s)};

	return f;
}

/* Row i of bench/gen-phones.awk. */
static void make_row(size_t i, char buf[6][24], ph_row_t *row)
{
	int external = i % 4 == 0;

	snprintf(buf[0], 24, "%c%07zu", external ? 'e' : 'p', i);
	if(external)
		/* (past 1,000,000, the phones the change figure adds: numbers
		 * of their own, as a new phone's would be) */
		snprintf(buf[1], 24, i <= 1000000 ? "913122%06zu" : "8%011zu",
				i <= 1000000 ? i % 1000000 : i);
	else
		snprintf(buf[1], 24, "7%07zu", i);
	if(external)
		snprintf(buf[2], 24, "test");
	else
		snprintf(buf[2], 24, "pw%07zu", i);
	memset(row, 0, sizeof(*row));
	row->extension = field(buf[0]);
	row->dialplan_number = field(buf[1]);
	row->conf_secret = field(buf[2]);
	row->protocol = field(external ? "EXTERNAL" : "SIP");
	row->active = field("Y");
	row->server_ip = field("127.0.0.2");
	row->outbound_cid = field("3125550100");
}

static ph_table_t *build(size_t n, double *ns)
{
	char buf[6][24];
	ph_table_t *t = ph_table_new(&ph_allocator_libc);
	ph_row_t row;
	double t0;
	size_t i;

	if(t == NULL)
		abort();
	t0 = now_ns();
	for(i = 1; i <= n; i++) {
		make_row(i, buf, &row);
		if(ph_table_add_row(t, &row) != PH_ROW_LOADED) {
			fprintf(stderr, "row %zu not loaded\n", i);
			exit(1);
		}
	}
	if(ns)
		*ns = now_ns() - t0;
	return t;
}

/* count keys: extensions of entries drawn at random from 1..n, only those
 * with i % 4 == want4 when want4 >= 0 (0: EXTERNAL, 1: SIP), from the
 * first `pool` of them when pool > 0. */
static key_t_ *make_keys(size_t count, size_t n, int want, size_t pool)
{
	key_t_ *k = malloc(count * sizeof(*k));
	size_t j, i, range = pool ? pool : n;

	if(k == NULL)
		abort();
	for(j = 0; j < count; j++) {
		do {
			i = 1 + rng() % range;
			if(pool)
				i = 1 + (i * 2654435761u) % n; /* spread over the table */
		} while(want == 0 ? i % 4 != 0 : want == 1 ? i % 4 == 0 : 0);
		k[j].len = (size_t)snprintf(
				k[j].s, KEY_SIZE, "%c%07zu", i % 4 == 0 ? 'e' : 'p', i);
	}
	return k;
}

typedef enum
{
	OP_LOOKUP,
	OP_AUTH,
	OP_ROUTE
} op_t;

static double time_op(const ph_table_t *t, op_t op, const key_t_ *keys,
		size_t count)
{
	double v[32];
	int r;

	for(r = 0; r < runs; r++) {
		const ph_entry_t *e = NULL;
		uintptr_t acc = 0;
		double t0 = now_ns();
		size_t j;

		for(j = 0; j < count; j++) {
			switch(op) {
				case OP_LOOKUP:
					e = ph_table_by_extension(t, keys[j].s, keys[j].len);
					break;
				case OP_AUTH:
					acc += (uintptr_t)ph_auth_check(t, keys[j].s, keys[j].len,
							PH_PROTO_SET_DEFAULT_REGISTER, &e);
					break;
				case OP_ROUTE:
					acc += (uintptr_t)ph_route_check(
							t, keys[j].s, keys[j].len, &e);
					break;
			}
			if(e == NULL) {
				fprintf(stderr, "key %.*s not found\n", (int)keys[j].len,
						keys[j].s);
				exit(1);
			}
			acc ^= (uintptr_t)e;
		}
		v[r] = (now_ns() - t0) / (double)count;
		sink = acc;
	}
	return median(v, runs);
}

static ph_rules_t *make_rules(int nrules)
{
	ph_rules_t *rules = ph_rules_new(&ph_allocator_libc);
	char match[64], err[256];
	ph_rule_row_t row;
	int i;

	if(rules == NULL)
		abort();
	for(i = 1; i <= nrules; i++) {
		memset(&row, 0, sizeof(row));
		row.id = i;
		row.priority = i;
		if(i < nrules) /* other carriers' prefixes: none matches */
			snprintf(match, sizeof(match), "^9011%d([0-9]{6,15})$", 30 + i);
		else
			snprintf(match, sizeof(match), "%s",
					"^9(1[2-9][0-9]{2}[2-9][0-9]{6})$");
		row.match_exp = field(match);
		row.repl_exp = field("\\1");
		row.trunk = field("sip:127.0.0.1:26080");
		row.description = field("bench");
		if(ph_rules_add(rules, &row, err, sizeof(err)) != 0) {
			fprintf(stderr, "rule %d: %s\n", i, err);
			exit(1);
		}
	}
	return rules;
}

static double time_rules(int nrules, size_t count)
{
	ph_rules_t *rules = make_rules(nrules);
	ph_matcher_t *m = ph_matcher_new(100000, 1000);
	key_t_ *nums = malloc(count * sizeof(*nums));
	char out[PH_MAX_ROUTE_NUMBER + 1];
	double v[32];
	size_t j, len;
	int r;

	if(m == NULL || nums == NULL)
		abort();
	for(j = 0; j < count; j++)
		nums[j].len = (size_t)snprintf(nums[j].s, KEY_SIZE, "913122%06zu",
				(size_t)(4 * (1 + rng() % 250000)) % 1000000);
	for(r = 0; r < runs; r++) {
		uintptr_t acc = 0;
		double t0 = now_ns();

		for(j = 0; j < count; j++) {
			const ph_rule_t *rule = ph_rules_translate(rules, m, nums[j].s,
					nums[j].len, out, sizeof(out), &len, NULL);
			if(rule == NULL || len != 11) {
				fprintf(stderr, "number %s not translated\n", nums[j].s);
				exit(1);
			}
			acc += (uintptr_t)rule + (unsigned char)out[10];
		}
		v[r] = (now_ns() - t0) / (double)count;
		sink = acc;
	}
	free(nums);
	ph_matcher_free(m);
	ph_rules_free(rules);
	return median(v, runs);
}

/* A server's call to EXTERNAL entries of t: decided and translated as
 * before the plan (plan 0), or planned (plan 1). ns per call. */
static double time_plan(const ph_table_t *t, size_t n, int plan, size_t count)
{
	static ph_call_plan_t p;
	ph_rules_t *rules = make_rules(1);
	ph_matcher_t *m = ph_matcher_new(100000, 1000);
	key_t_ *k = make_keys(count, n, 0, 0);
	char out[PH_MAX_ROUTE_NUMBER + 1];
	ph_call_facts_t f;
	double v[32];
	size_t j, len;
	int r;

	if(m == NULL)
		abort();
	memset(&f, 0, sizeof(f));
	f.caller = PH_CALLER_SERVER;
	f.table = t;
	f.rules = rules;
	f.matcher = m;
	for(r = 0; r < runs; r++) {
		uintptr_t acc = 0;
		double t0 = now_ns();

		for(j = 0; j < count; j++) {
			if(plan) {
				f.user.s = k[j].s;
				f.user.len = (uint32_t)k[j].len;
				ph_call_plan(&f, &p);
				if(p.kind != PH_PLAN_TRUNK) {
					fprintf(stderr, "%s not planned out a trunk\n", k[j].s);
					exit(1);
				}
				acc += (uintptr_t)p.rule + (unsigned char)p.number[10];
			} else {
				const ph_entry_t *e;
				ph_route_verdict_t rv;
				const ph_rule_t *rule;

				if(ph_call_decide(t, PH_CALLER_SERVER, k[j].s, k[j].len, &e,
						   &rv)
						!= PH_CALL_EXTERNAL)
					abort();
				rule = ph_rules_translate(rules, m, e->dialplan_number.s,
						e->dialplan_number.len, out, sizeof(out), &len, NULL);
				if(rule == NULL)
					abort();
				acc += (uintptr_t)rule + (unsigned char)out[10];
			}
		}
		v[r] = (now_ns() - t0) / (double)count;
		sink = acc;
	}
	free(k);
	ph_matcher_free(m);
	ph_rules_free(rules);
	return median(v, runs);
}

/* The change and copy_change figures; *tp becomes the changed table. */
static void time_change(ph_table_t **tp, size_t n)
{
	size_t changes = runs > 3 ? 20000 : 4000, i, max = ph_table_max_changes(*tp);
	char buf[6][24];
	ph_table_t *t = *tp, *next;
	ph_row_t row;
	double t0, copy_ns = 0;
	key_t_ *k;
	int reload;

	for(i = 0; i < 3; i++) {
		make_row(n + 1 + i, buf, &row);
		t0 = now_ns();
		next = ph_table_copy_change(
				t, &ph_allocator_libc, NULL, 0, &row, &reload);
		copy_ns += now_ns() - t0;
		if(next == NULL)
			abort();
		ph_table_free(next);
	}
	printf("copy_change\t%zu\t%.1f\tus\n", n, copy_ns / 3 / 1e3);
	t0 = now_ns();
	for(i = 0; i < changes; i++) {
		make_row(n + 1 + i, buf, &row);
		next = ph_table_change(
				t, &ph_allocator_libc, NULL, 0, &row, max, &reload);
		if(next == NULL)
			abort();
		ph_table_free(t);
		t = next;
	}
	printf("change\t%zu\t%.1f\tus\n", n, (now_ns() - t0) / changes / 1e3);
	printf("changes_held\t%zu\t%zu\tof %zu\n", n, ph_table_changes(t), max);
	k = make_keys(ops, n, -1, 0);
	printf("lookup_changed\t%zu\t%.1f\tns\n", n,
			time_op(t, OP_LOOKUP, k, ops));
	free(k);
	*tp = t;
}

/* -c: the lookups alone, for a cache simulator. Each key is made where it
 * is used (as make_keys() would), with or without its lookup, so that the
 * difference between the two runs is the lookups' alone, not the keys'. */
static int lookups_only(size_t n, size_t count, int look)
{
	ph_table_t *t = build(n, NULL);
	uintptr_t acc = 0;
	char key[KEY_SIZE];
	size_t j, i, len;

	for(j = 0; j < count; j++) {
		const ph_entry_t *e;

		i = 1 + rng() % n;
		len = (size_t)snprintf(key, KEY_SIZE, "%c%07zu", i % 4 == 0 ? 'e' : 'p', i);
		acc += len;
		if(!look)
			continue;
		e = ph_table_by_extension(t, key, len);
		if(e == NULL) {
			fprintf(stderr, "key %s not found\n", key);
			return 1;
		}
		acc ^= (uintptr_t)e;
	}
	sink = acc;
	ph_table_free(t);
	return 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = {1000, 100000, 1000000};
	size_t s, n;

	if(argc == 5 && strcmp(argv[1], "-c") == 0)
		return lookups_only(strtoul(argv[2], NULL, 10),
				strtoul(argv[3], NULL, 10), atoi(argv[4]) == 1);

	if(argc > 1 && strcmp(argv[1], "-q") == 0) {
		runs = 3;
		ops = 300000;
	}
	printf("# runs=%d ops=%zu (medians of runs)\n", runs, ops);
	for(s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		double build_ns;
		ph_table_t *t;
		key_t_ *k;

		n = sizes[s];
		t = build(n, &build_ns);
		k = make_keys(ops, n, -1, 0);
		printf("lookup\t%zu\t%.1f\tns\n", n, time_op(t, OP_LOOKUP, k, ops));
		free(k);
		k = make_keys(ops, n, -1, HOT_KEYS);
		printf("lookup_hot\t%zu\t%.1f\tns\n", n,
				time_op(t, OP_LOOKUP, k, ops));
		free(k);
		k = make_keys(ops, n, 1, 0);
		printf("auth_check\t%zu\t%.1f\tns\n", n, time_op(t, OP_AUTH, k, ops));
		free(k);
		k = make_keys(ops, n, 0, 0);
		printf("route_check\t%zu\t%.1f\tns\n", n,
				time_op(t, OP_ROUTE, k, ops));
		free(k);
		printf("call_decide_rule\t%zu\t%.1f\tns\n", n,
				time_plan(t, n, 0, ops / 4));
		printf("call_plan\t%zu\t%.1f\tns\n", n, time_plan(t, n, 1, ops / 4));
		time_change(&t, n);
		printf("build\t%zu\t%.1f\tms\n", n, build_ns / 1e6);
		printf("table_bytes\t%zu\t%zu\tbytes\n", n, ph_table_memory(t));
		printf("table_bytes_per_entry\t%zu\t%.1f\tbytes\n", n,
				(double)ph_table_memory(t) / (double)n);
		ph_table_free(t);
		fflush(stdout);
	}
	printf("rule_match\t1\t%.1f\tns\n", time_rules(1, ops / 2));
	printf("rule_match\t10\t%.1f\tns\n", time_rules(10, ops / 2));
	return 0;
}
