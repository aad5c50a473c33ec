/*
 * kamailio-phones: the hash of the core's tables' keys.
 *
 * FNV-1a over short keys. The phone table's keys are the operator's. The
 * lockout table's come from outside, so it starts from a seed of its own,
 * chosen at start-up: keys cannot be aimed at one of its buckets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_HASH_H
#define PHONES_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint32_t ph_hash_seeded(uint32_t seed, const char *s, size_t len)
{
	uint32_t h = 2166136261u ^ seed;
	size_t i;

	for(i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

static inline uint32_t ph_hash(const char *s, size_t len)
{
	return ph_hash_seeded(0, s, len);
}

#endif
