/*
 * kamailio-phones: what every fuzz harness includes.
 *
 * - fz_check(): an invariant; a violation prints why and aborts, which
 *   libFuzzer reports as a crash and saves the input.
 * - fz_alloc_t: an allocator over malloc() that counts what is live and
 *   fails the allocations an input asks it to, so that out-of-memory paths
 *   are fuzzed too.
 * - fz_reader_t: the inputs' text format, lines of '|'-separated fields
 *   (see tests/fuzz/README.md). Every field is decoded into a malloc()ed
 *   buffer of exactly its length, without a NUL after it, so that the
 *   sanitizer catches the core reading past a field's length.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_TESTS_FUZZ_H
#define PHONES_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phones/allocator.h"
#include "phones/phone_row.h"

/* For the harnesses' own models and checks: libFuzzer should learn from
 * the core's branches and the input format, not from these (and they run
 * faster without its tracing). Not inlined, so that the attribute holds. */
#define FZ_NO_COVERAGE __attribute__((no_sanitize("coverage"), noinline))

/* An invariant of the core; a violation is a crash. */
#define fz_check(cond, ...)                                              \
	do {                                                                 \
		if(!(cond)) {                                                    \
			fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__, \
					__LINE__, #cond);                                    \
			fprintf(stderr, "  " __VA_ARGS__);                           \
			fprintf(stderr, "\n");                                       \
			abort();                                                     \
		}                                                                \
	} while(0)

/* A malloc()ed copy of len bytes, exactly len bytes long (malloc(0) when
 * len is 0: a valid pointer the sanitizer lets nobody read). */
static inline char *fz_dup(const void *s, size_t len)
{
	char *p = malloc(len);

	if(p == NULL && len) /* out of memory in the harness, not the core */
		abort();
	if(p == NULL)
		p = malloc(1);
	if(len)
		memcpy(p, s, len);
	return p;
}

/* Byte-wise equality of a field and a C string. */
static inline int fz_field_is(const ph_field_t *f, const char *s)
{
	return f->s && f->len == strlen(s) && memcmp(f->s, s, f->len) == 0;
}

/* ---- the allocator ---- */

typedef struct fz_alloc
{
	ph_allocator_t allocator; /* ctx points to this fz_alloc_t */
	uint64_t fail_mask;		  /* call i (i < 64) fails when bit i is set */
	size_t calls;			  /* alloc calls, failed ones included */
	size_t failures;		  /* alloc calls refused */
	size_t live;			  /* blocks handed out and not released */
	size_t live_bytes;		  /* their sizes as requested */
} fz_alloc_t;

/* Each block carries its size in front, for live_bytes. */
typedef union fz_alloc_header
{
	max_align_t align;
	size_t size;
} fz_alloc_header_t;

/* More than any harness needs at once: a size gone wrong. */
#define FZ_ALLOC_MAX ((size_t)1 << 28)

static inline void *fz_alloc_alloc(void *ctx, size_t size)
{
	fz_alloc_t *a = ctx;
	fz_alloc_header_t *h;
	size_t i = a->calls++;

	fz_check(size <= FZ_ALLOC_MAX, "the core asked for %zu bytes", size);
	if(i < 64 && (a->fail_mask >> i) & 1) {
		a->failures++;
		return NULL;
	}
	h = malloc(sizeof(*h) + size);
	if(h == NULL)
		abort();
	h->size = size;
	a->live++;
	a->live_bytes += size;
	return h + 1;
}

static inline void fz_alloc_release(void *ctx, void *p)
{
	fz_alloc_t *a = ctx;
	fz_alloc_header_t *h;

	if(p == NULL)
		return;
	h = (fz_alloc_header_t *)p - 1;
	fz_check(a->live > 0, "release of a block never allocated");
	fz_check(a->live_bytes >= h->size, "release of %zu bytes, %zu live",
			h->size, a->live_bytes);
	a->live--;
	a->live_bytes -= h->size;
	free(h);
}

static inline void fz_alloc_init(fz_alloc_t *a, uint64_t fail_mask)
{
	memset(a, 0, sizeof(*a));
	a->allocator.alloc = fz_alloc_alloc;
	a->allocator.release = fz_alloc_release;
	a->allocator.ctx = a;
	a->fail_mask = fail_mask;
}

/* ---- the input format ---- */

typedef struct fz_reader
{
	const uint8_t *data;
	size_t size;
	size_t pos;
} fz_reader_t;

/* A decoded field: s is NULL for SQL NULL, else a malloc()ed buffer of
 * exactly len bytes. */
typedef ph_field_t fz_field_t;

/* Starts reading data. An optional first line "!<hex>" sets *fail_mask
 * (allocation call i fails when bit i is set; other characters are
 * ignored); without it *fail_mask is 0. */
static inline void fz_reader_init(
		fz_reader_t *r, const uint8_t *data, size_t size, uint64_t *fail_mask)
{
	uint64_t mask = 0;
	uint8_t c;

	r->data = data;
	r->size = size;
	r->pos = 0;
	if(size == 0 || data[0] != '!') {
		if(fail_mask)
			*fail_mask = 0;
		return;
	}
	for(r->pos = 1; r->pos < size && data[r->pos] != '\n'; r->pos++) {
		c = data[r->pos];
		if(c >= '0' && c <= '9')
			mask = mask << 4 | (uint64_t)(c - '0');
		else if(c >= 'a' && c <= 'f')
			mask = mask << 4 | (uint64_t)(c - 'a' + 10);
		else if(c >= 'A' && c <= 'F')
			mask = mask << 4 | (uint64_t)(c - 'A' + 10);
	}
	if(r->pos < size)
		r->pos++;
	if(fail_mask)
		*fail_mask = mask;
}

static inline int fz_reader_done(const fz_reader_t *r)
{
	return r->pos >= r->size;
}

/* The first byte of the next line, or -1 at the end. */
static inline int fz_reader_peek(const fz_reader_t *r)
{
	return r->pos < r->size ? r->data[r->pos] : -1;
}

static inline void fz_reader_skip(fz_reader_t *r, size_t n)
{
	r->pos = r->pos + n < r->size ? r->pos + n : r->size;
}

/* Reads one line into at most max fields. Fields are separated by '|',
 * lines by '\n'; a backslash before '|' or '\n' makes it part of the
 * field, any other backslash is itself (so that regular expressions read
 * as they are written). A field that is exactly "\N" is SQL NULL, and so
 * is every field the line does not have. Fields beyond max are dropped.
 * Returns how many fields the line had (at most max). */
static inline size_t fz_read_line(
		fz_reader_t *r, fz_field_t *fields, size_t max)
{
	char buf[4096];
	size_t n = 0, len = 0, raw_start = r->pos, sep, i;
	int end_line = 0, end_field;
	uint8_t c;

	for(i = 0; i < max; i++) {
		fields[i].s = NULL;
		fields[i].len = 0;
	}
	if(fz_reader_done(r))
		return 0;
	while(!end_line) {
		end_field = 0;
		sep = r->pos;
		if(r->pos >= r->size) {
			end_line = end_field = 1;
		} else {
			c = r->data[r->pos++];
			if(c == '\n') {
				end_line = end_field = 1;
			} else if(c == '|') {
				end_field = 1;
			} else {
				if(c == '\\' && r->pos < r->size
						&& (r->data[r->pos] == '|' || r->data[r->pos] == '\n'))
					c = r->data[r->pos++];
				if(len < sizeof(buf))
					buf[len++] = (char)c;
			}
		}
		if(!end_field)
			continue;
		if(n < max) {
			if(sep - raw_start == 2 && r->data[raw_start] == '\\'
					&& r->data[raw_start + 1] == 'N') {
				fields[n].s = NULL; /* exactly \N */
				fields[n].len = 0;
			} else {
				fields[n].s = fz_dup(buf, len);
				fields[n].len = len;
			}
			n++;
		}
		len = 0;
		raw_start = r->pos;
	}
	return n;
}

static inline void fz_free_fields(fz_field_t *fields, size_t n)
{
	size_t i;

	for(i = 0; i < n; i++) {
		free((void *)fields[i].s);
		fields[i].s = NULL;
		fields[i].len = 0;
	}
}

/* A decimal integer from a field, clamped to [min, max]; def for NULL or
 * an empty field. Bytes other than digits and a leading '-' are ignored,
 * and so are digits after the 18th. */
static inline long long fz_number(
		const fz_field_t *f, long long min, long long max, long long def)
{
	long long v = 0;
	size_t i = 0;
	int neg = 0, digits = 0;

	if(f->s == NULL || f->len == 0)
		return def;
	if(f->s[0] == '-') {
		neg = 1;
		i = 1;
	}
	for(; i < f->len && digits < 18; i++) {
		if(f->s[i] < '0' || f->s[i] > '9')
			continue;
		v = v * 10 + (f->s[i] - '0');
		digits++;
	}
	if(neg)
		v = -v;
	return v < min ? min : v > max ? max : v;
}

/* An error buffer of size bytes for the core to write a reason into,
 * followed by FZ_ERR_GUARD bytes it must never touch (fz_err_check). */
#define FZ_ERR_GUARD 16
#define FZ_ERR_FILL 0xa5

static inline char *fz_err_new(size_t size)
{
	char *err = malloc(size + FZ_ERR_GUARD);

	if(err == NULL)
		abort();
	memset(err, FZ_ERR_FILL, size + FZ_ERR_GUARD);
	return err;
}

/* The core kept to the size bytes of err; where it was given err
 * (written), it ended the text there, and gave a reason for a refusal
 * (refused) when there was room for one. */
static inline void fz_err_check(
		const char *err, size_t size, int written, int refused)
{
	size_t i;

	for(i = size; i < size + FZ_ERR_GUARD; i++)
		fz_check((unsigned char)err[i] == FZ_ERR_FILL,
				"err written past its %zu bytes", size);
	if(!written || size == 0)
		return;
	fz_check(memchr(err, '\0', size) != NULL,
			"err not NUL-terminated in %zu bytes", size);
	if(refused && size >= 2)
		fz_check(err[0] != '\0', "refused without a reason");
}

#endif
