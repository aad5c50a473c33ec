/*
 * kamailio-phones: the hash of the core's tables' keys.
 *
 * FNV-1a over short keys, unseeded. The phone table's keys are the
 * operator's. The lockout table's come from outside: keys aimed at one
 * bucket evict unlocked entries there first, and locked ones only when all
 * eight of the bucket are locked.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_HASH_H
#define PHONES_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t ph_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;

	for(i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

#endif
