/*
 * kamailio-phones: what every unit test includes, and shared helpers.
 *
 * cmocka wants stdarg.h, stddef.h, stdint.h and setjmp.h before cmocka.h.
 * The helpers build rows from C strings and provide an allocator that
 * counts what it hands out and fails on demand, for out-of-memory tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_TESTS_UNIT_H
#define PHONES_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "phones/allocator.h"
#include "phones/phone_row.h"
#include "phones/phone_table.h"
#include "phones/route_rules.h"

/* A column value from a C string; NULL is SQL NULL. */
static inline ph_field_t unit_field(const char *s)
{
	ph_field_t f;

	f.s = s;
	f.len = s ? strlen(s) : 0;
	return f;
}

/* A column value of len bytes, which may include NUL bytes. */
static inline ph_field_t unit_field_len(const char *s, size_t len)
{
	ph_field_t f;

	f.s = s;
	f.len = len;
	return f;
}

/* A row from C strings, in the order of ph_row_t; NULL is SQL NULL. */
static inline ph_row_t unit_row(const char *extension,
		const char *dialplan_number, const char *conf_secret,
		const char *protocol, const char *active, const char *server_ip,
		const char *outbound_cid)
{
	ph_row_t row;

	row.extension = unit_field(extension);
	row.dialplan_number = unit_field(dialplan_number);
	row.conf_secret = unit_field(conf_secret);
	row.protocol = unit_field(protocol);
	row.active = unit_field(active);
	row.server_ip = unit_field(server_ip);
	row.outbound_cid = unit_field(outbound_cid);
	return row;
}

/* A routes table row from C strings; NULL is SQL NULL. */
static inline ph_rule_row_t unit_rule_row(long long id, int priority,
		const char *match_exp, const char *repl_exp, const char *trunk,
		const char *description)
{
	ph_rule_row_t row;

	row.id = id;
	row.priority = priority;
	row.match_exp = unit_field(match_exp);
	row.repl_exp = unit_field(repl_exp);
	row.trunk = unit_field(trunk);
	row.description = unit_field(description);
	return row;
}

/* A malloc()ed copy of len bytes without a NUL after them (at least one
 * byte is allocated), so that the sanitizer catches a read past len. */
static inline char *unit_dup_exact(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	if(len)
		memcpy(p, s, len);
	return p;
}

/* An allocator over malloc() that counts what is live and fails every
 * allocation once remaining reaches 0 (remaining < 0: never fails). It also
 * refuses more than UNIT_ALLOC_MAX bytes at once, which no test needs, so
 * that a size gone wrong fails the test instead of the sanitizer. */
#define UNIT_ALLOC_MAX ((size_t)1 << 30)

typedef struct unit_alloc
{
	ph_allocator_t allocator; /* ctx points to this unit_alloc_t */
	long remaining;			  /* allocations that may still succeed */
	size_t calls;			  /* alloc calls, failed ones included */
	size_t failures;		  /* alloc calls refused */
	size_t live;			  /* blocks handed out and not released */
	size_t live_bytes;		  /* their sizes as requested */
	size_t last_size;		  /* size of the latest alloc call */
} unit_alloc_t;

/* Each block carries its size in front, for live_bytes. */
typedef union unit_alloc_header
{
	max_align_t align;
	size_t size;
} unit_alloc_header_t;

static inline void *unit_alloc_alloc(void *ctx, size_t size)
{
	unit_alloc_t *a = ctx;
	unit_alloc_header_t *h;

	a->calls++;
	a->last_size = size;
	if(a->remaining == 0 || size > UNIT_ALLOC_MAX) {
		a->failures++;
		return NULL;
	}
	h = malloc(sizeof(*h) + size);
	if(h == NULL) {
		a->failures++;
		return NULL;
	}
	if(a->remaining > 0)
		a->remaining--;
	h->size = size;
	a->live++;
	a->live_bytes += size;
	return h + 1;
}

static inline void unit_alloc_release(void *ctx, void *p)
{
	unit_alloc_t *a = ctx;
	unit_alloc_header_t *h;

	if(p == NULL)
		return;
	h = (unit_alloc_header_t *)p - 1;
	assert_true(a->live > 0);
	assert_true(a->live_bytes >= h->size);
	a->live--;
	a->live_bytes -= h->size;
	free(h);
}

/* Sets a up to let remaining allocations succeed (< 0: all of them). */
static inline void unit_alloc_init(unit_alloc_t *a, long remaining)
{
	memset(a, 0, sizeof(*a));
	a->allocator.alloc = unit_alloc_alloc;
	a->allocator.release = unit_alloc_release;
	a->allocator.ctx = a;
	a->remaining = remaining;
}

/* An empty table over a counting allocator that never fails. */
static inline ph_table_t *unit_table_new(unit_alloc_t *a)
{
	ph_table_t *t;

	unit_alloc_init(a, -1);
	t = ph_table_new(&a->allocator);
	assert_non_null(t);
	return t;
}

/* Frees t, checking that it accounted for and gave back all it held. */
static inline void unit_table_free(ph_table_t *t, unit_alloc_t *a)
{
	assert_int_equal(ph_table_memory(t), a->live_bytes);
	ph_table_free(t);
	assert_int_equal(a->live, 0);
	assert_int_equal(a->live_bytes, 0);
}

/* Adds the row these C strings make (NULL: SQL NULL). */
static inline ph_row_result_t unit_table_add(ph_table_t *t,
		const char *extension, const char *dialplan_number,
		const char *conf_secret, const char *protocol, const char *active,
		const char *server_ip, const char *outbound_cid)
{
	ph_row_t row = unit_row(extension, dialplan_number, conf_secret, protocol,
			active, server_ip, outbound_cid);

	return ph_table_add_row(t, &row);
}

/* Lookups by a C string. */
static inline const ph_entry_t *unit_by_ext(const ph_table_t *t, const char *s)
{
	return ph_table_by_extension(t, s, strlen(s));
}

static inline const ph_entry_t *unit_by_num(const ph_table_t *t, const char *s)
{
	return ph_table_by_number(t, s, strlen(s));
}

/* Checks that the table string sv is a NUL-terminated copy of the len
 * bytes at want. A macro, so that failures name the caller's line. */
#define unit_assert_sv(sv, want, want_len)            \
	do {                                              \
		ph_sv_t sv_ = (sv);                           \
		size_t len_ = (want_len);                     \
		assert_non_null(sv_.s);                       \
		assert_int_equal(sv_.len, len_);              \
		if(len_)                                      \
			assert_memory_equal(sv_.s, (want), len_); \
		assert_int_equal(sv_.s[len_], '\0');          \
	} while(0)

/* The same for a C string. */
#define unit_assert_sv_str(sv, want) unit_assert_sv(sv, want, strlen(want))

#endif
