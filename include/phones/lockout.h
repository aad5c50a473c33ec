/*
 * kamailio-phones: locking out password guessing without locking out
 * phones, in bounded memory.
 *
 * Three counters, each within a window:
 *  - a pair (extension, address): wrong passwords of that extension from
 *    that address; at `failures` the pair is locked (a guesser, or one
 *    misconfigured phone: only that phone at that address is refused),
 *    first for `first_lock` seconds, then twice as long at each further
 *    lock up to `lock` (a typo costs seconds, a guesser ever more); the
 *    pair's locks are remembered `lock` seconds after the last ends, and
 *    forgotten at its success. A success also makes the pair remember the
 *    port it came from for `trust` seconds: that port (the phone's own
 *    NAT mapping or connection) is refused neither by the pair's lock nor
 *    by its extension being under attack, so a colleague behind the same
 *    office address cannot keep the phone locked out; a failure from that
 *    port ends it;
 *  - an address: how many extensions failed from it; at
 *    `address_extensions` the address is locked, unless a phone
 *    authenticated from it within `trust` seconds (an office NAT where
 *    phones work is never locked by one of them);
 *  - an extension: wrong passwords from everywhere; at
 *    `extension_failures` the extension is under attack for `lock`
 *    seconds: every address that failed for it in its window is refused,
 *    and an address that has not failed for it is not.
 * A right password from an address that has not failed for the extension is
 * refused only when that address is locked (it failed for many extensions
 * and no phone at it succeeded).
 *
 * The table is a fixed number of slots, 8 to a bucket, found by a secret
 * seeded hash. A new key takes a free or expired slot of its bucket, else
 * the live one worth least (fewest failures; a trusted address counts as
 * `failures`; among equals the newest); a locked key is replaced only when
 * the whole bucket is locked. So a flood of new names churns its own
 * newest entries and leaves older counters alone, and never changes how
 * much memory is used.
 *
 * Not thread-safe: the caller serialises every call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_LOCKOUT_H
#define PHONES_LOCKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"

#define PH_LOCKOUT_WAYS 8
/* An extension and an address together; a longer extension is remembered
 * by its first bytes. */
#define PH_LOCKOUT_MAX_KEY 95

typedef struct ph_lockout ph_lockout_t;

typedef struct ph_lockout_limits
{
	unsigned int failures; /* per pair; 0: no lockout at all */
	unsigned int address_extensions; /* per address; 0: addresses never */
	unsigned int extension_failures; /* per extension; 0: never */
	unsigned int window; /* seconds within which failures add up */
	unsigned int lock;	 /* seconds a lock lasts (a pair's: at most) */
	unsigned int trust;	 /* seconds an address is trusted after a success */
	uint32_t seed;		 /* of the keys' hash: random, kept secret */
	/* seconds a pair's first lock lasts; each further one (no success
	 * between) twice the one before, up to lock; 0: always lock */
	unsigned int first_lock;
} ph_lockout_limits_t;

/* What refuses, or what a failure locked (bits). */
typedef enum ph_lock_kind
{
	PH_LOCK_NONE = 0,
	PH_LOCK_PAIR = 1,
	PH_LOCK_ADDRESS = 2,
	PH_LOCK_EXTENSION = 4
} ph_lock_kind_t;

const char *ph_lock_kind_name(ph_lock_kind_t kind);

/* A table of at least slots slots (rounded up to whole buckets of a power
 * of two), or NULL. */
ph_lockout_t *ph_lockout_new(const ph_allocator_t *allocator, size_t slots,
		const ph_lockout_limits_t *limits);
void ph_lockout_free(ph_lockout_t *lk);

/* Slots the table has; bytes it holds (both fixed from creation). */
size_t ph_lockout_slots(const ph_lockout_t *lk);
size_t ph_lockout_memory(const ph_lockout_t *lk);

/* How long a pair's lock lasts after `strikes` earlier locks of it:
 * first_lock doubled strikes times, at most lock (lock when first_lock is
 * 0). */
unsigned ph_lockout_lock_time(const ph_lockout_limits_t *limits,
		unsigned strikes);

/* What refuses extension ext from address addr, port port (0: not known,
 * e.g. a peer proxy's report), at now (PH_LOCK_NONE: nothing; check its
 * password). */
ph_lock_kind_t ph_lockout_check(ph_lockout_t *lk, const char *ext,
		size_t elen, const char *addr, size_t alen, unsigned port,
		uint32_t now);

/* A wrong password (or an extension that is no phone: known 0) of ext from
 * addr (port: as for ph_lockout_check) at now. Returns the locks this
 * failure set (PH_LOCK_* bits). An unknown extension is counted for its
 * pair and its address, never as an extension under attack. */
unsigned ph_lockout_failure(ph_lockout_t *lk, const char *ext, size_t elen,
		const char *addr, size_t alen, unsigned port, int known,
		uint32_t now);

/* A right password of ext from addr at now: the pair's failures are
 * forgotten, its port (not 0) remembered, and the address is trusted (and
 * unlocked). Returns 1 when the pair had failures counted (or was locked),
 * 0 otherwise. */
int ph_lockout_success(ph_lockout_t *lk, const char *ext, size_t elen,
		const char *addr, size_t alen, unsigned port, uint32_t now);

/* When the pair ext@addr's lock ends (0: no such pair). */
uint32_t ph_lockout_pair_until(ph_lockout_t *lk, const char *ext,
		size_t elen, const char *addr, size_t alen);

typedef struct ph_lock_info
{
	ph_lock_kind_t kind;
	const char *ext; /* not NUL-terminated; elen 0 for an address */
	size_t elen;
	const char *addr; /* alen 0 for an extension */
	size_t alen;
	uint32_t until;
	unsigned failures;
} ph_lock_info_t;

/* Calls cb for the locks at now from slot `from` on, at most max of them;
 * returns the slot to go on from (ph_lockout_slots() at the end). */
size_t ph_lockout_list(ph_lockout_t *lk, size_t from, size_t max,
		uint32_t now, void (*cb)(void *arg, const ph_lock_info_t *lock),
		void *arg);

/* Forgets what is remembered of an extension (ext, alen 0), an address
 * (addr, elen 0), a pair (both) or everything (both 0): its own counter
 * and every pair it is part of. Returns how many slots were freed. */
size_t ph_lockout_clear(ph_lockout_t *lk, const char *ext, size_t elen,
		const char *addr, size_t alen);

#endif
