/*
 * kamailio-phones: the C library allocator, for tests and tools.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "phones/allocator.h"

static void *libc_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

static void libc_release(void *ctx, void *p)
{
	(void)ctx;
	free(p);
}

const ph_allocator_t ph_allocator_libc = {libc_alloc, libc_release, NULL};
