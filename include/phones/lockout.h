/*
 * kamailio-phones: locking out password guessing, in bounded memory.
 *
 * Failed authentications are counted per key (an extension, or a source
 * address) within a window; a key that reaches the limit is locked for a
 * while. The table is a fixed number of slots, 8 to a bucket: a new key
 * takes a free slot of its bucket, else the one least worth keeping (not
 * locked, oldest), so a scan of millions of random usernames changes which
 * keys are remembered, never how much memory is used.
 *
 * Not thread-safe: the caller serialises access to a bucket
 * (ph_lockout_bucket tells which).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_LOCKOUT_H
#define PHONES_LOCKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"

#define PH_LOCKOUT_WAYS 8
#define PH_LOCKOUT_MAX_KEY 47

typedef struct ph_lockout ph_lockout_t;

typedef struct ph_lockout_limits
{
	unsigned int failures; /* failures within window that lock a key */
	unsigned int window;   /* seconds */
	unsigned int lock;	   /* seconds a key stays locked */
	uint32_t seed;		   /* of the keys' hash: random, kept secret */
} ph_lockout_limits_t;

/* A table of at least slots slots (rounded up to whole buckets of a power
 * of two), or NULL. */
ph_lockout_t *ph_lockout_new(const ph_allocator_t *allocator, size_t slots,
		const ph_lockout_limits_t *limits);
void ph_lockout_free(ph_lockout_t *lk);

size_t ph_lockout_buckets(const ph_lockout_t *lk);
size_t ph_lockout_bucket(const ph_lockout_t *lk, const char *key, size_t len);

/* 1 when key is locked at time now. */
int ph_lockout_locked(ph_lockout_t *lk, const char *key, size_t len,
		uint32_t now);

/* Records a failure of key at now. Returns 1 when this failure locked it. */
int ph_lockout_fail(ph_lockout_t *lk, const char *key, size_t len,
		uint32_t now);

/* Forgets key (a success, or an administrator's unlock). 1 if it was
 * remembered. */
int ph_lockout_forget(ph_lockout_t *lk, const char *key, size_t len);

/* Calls cb for every key of bucket b locked at now. */
void ph_lockout_each_locked(ph_lockout_t *lk, size_t b, uint32_t now,
		void (*cb)(void *arg, const char *key, uint32_t until,
				unsigned failures),
		void *arg);

/* Forgets every key of bucket b; returns how many. */
size_t ph_lockout_clear_bucket(ph_lockout_t *lk, size_t b);

/* Bytes the table holds: fixed from creation. */
size_t ph_lockout_memory(const ph_lockout_t *lk);

#endif
