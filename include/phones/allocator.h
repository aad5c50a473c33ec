/*
 * kamailio-phones: the allocator interface of the host-independent core.
 *
 * Every allocation the core makes goes through one of these, so that the
 * same code builds its tables in Kamailio's shared memory inside the proxy
 * and in plain malloc() memory in unit tests and fuzzers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_ALLOCATOR_H
#define PHONES_ALLOCATOR_H

#include <stddef.h>

typedef struct ph_allocator
{
	/* Returns size bytes, suitably aligned for any type, or NULL. */
	void *(*alloc)(void *ctx, size_t size);
	/* Releases what alloc returned; p may be NULL. */
	void (*release)(void *ctx, void *p);
	void *ctx;
} ph_allocator_t;

/* The C library's malloc/free, for tests and tools. */
extern const ph_allocator_t ph_allocator_libc;

#endif
