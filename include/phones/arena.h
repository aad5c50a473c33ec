/*
 * kamailio-phones: a bump allocator for strings that live as long as a table.
 *
 * A table's strings are never freed one by one: they are carved from large
 * blocks and released together, which keeps per-entry overhead to the bytes
 * themselves and makes freeing a table of a million entries cheap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_ARENA_H
#define PHONES_ARENA_H

#include <stddef.h>

#include "phones/allocator.h"

typedef struct ph_arena_block ph_arena_block_t;

typedef struct ph_arena
{
	const ph_allocator_t *allocator;
	ph_arena_block_t *blocks; /* newest first */
	size_t used;			  /* bytes used in the newest block */
	size_t size;			  /* usable bytes of the newest block */
	size_t total;			  /* bytes obtained from the allocator */
} ph_arena_t;

void ph_arena_init(ph_arena_t *arena, const ph_allocator_t *allocator);

/* Copies len bytes of s and a terminating NUL into the arena.
 * Returns the copy, or NULL when the allocator fails. */
char *ph_arena_strdup(ph_arena_t *arena, const char *s, size_t len);

/* Releases every block; the arena may be used again afterwards. */
void ph_arena_release(ph_arena_t *arena);

#endif
