/*
 * kamailio-phones: a bump allocator for strings that live as long as a table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/arena.h"

#define PH_ARENA_BLOCK 65536

struct ph_arena_block
{
	ph_arena_block_t *next;
	/* the bytes follow */
};

void ph_arena_init(ph_arena_t *arena, const ph_allocator_t *allocator)
{
	memset(arena, 0, sizeof(*arena));
	arena->allocator = allocator;
}

char *ph_arena_strdup(ph_arena_t *arena, const char *s, size_t len)
{
	ph_arena_block_t *block;
	size_t want = len + 1;
	size_t size;
	char *p;

	if(want < len) /* overflow */
		return NULL;
	if(arena->blocks == NULL || arena->size - arena->used < want) {
		size = want > PH_ARENA_BLOCK ? want : PH_ARENA_BLOCK;
		if(size + sizeof(*block) < size)
			return NULL;
		block = arena->allocator->alloc(
				arena->allocator->ctx, sizeof(*block) + size);
		if(block == NULL)
			return NULL;
		block->next = arena->blocks;
		arena->blocks = block;
		arena->used = 0;
		arena->size = size;
		arena->total += sizeof(*block) + size;
	}
	p = (char *)(arena->blocks + 1) + arena->used;
	if(len)
		memcpy(p, s, len);
	p[len] = '\0';
	arena->used += want;
	return p;
}

void ph_arena_release(ph_arena_t *arena)
{
	ph_arena_block_t *block, *next;

	for(block = arena->blocks; block; block = next) {
		next = block->next;
		arena->allocator->release(arena->allocator->ctx, block);
	}
	ph_arena_init(arena, arena->allocator);
}
