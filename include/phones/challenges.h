/*
 * kamailio-phones: where each digest challenge went, so that its answer
 * is taken only from there.
 *
 * A challenge's nonce is remembered with the peer it was sent to (an
 * address and port, as opaque bytes) until it expires. An answer naming
 * that nonce from another peer is refused: over UDP a neighbour behind the
 * same office address who sees a phone's answer cannot send it first from
 * its own port with its own Contact. A nonce not remembered (expired,
 * pushed out, another proxy's, or a challenge this table never saw) is
 * left to the auth module's own checks. So is a nonce sent to two peers:
 * without one-time nonces (or the source address among its checks) the
 * auth module gives everyone challenged within the same second the same
 * nonce, and it tells nothing of who may answer.
 *
 * The table is a fixed number of slots, 8 to a bucket, found by a secret
 * seeded hash of the nonce (kept as a 64-bit fingerprint). A new nonce
 * takes a free or expired slot of its bucket, else the one that expires
 * first: memory never grows, and a flood of challenges pushes out only
 * challenges older than it, long answered.
 *
 * Not thread-safe: the caller serialises every call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CHALLENGES_H
#define PHONES_CHALLENGES_H

#include <stddef.h>
#include <stdint.h>

#include "phones/allocator.h"

#define PH_CHALLENGE_WAYS 8
/* A peer longer than this (an IPv6 address, port and transport are 19
 * bytes) is refused. */
#define PH_CHALLENGE_MAX_PEER 24

typedef struct ph_challenges ph_challenges_t;

typedef enum ph_challenge_from
{
	PH_CHALLENGE_UNKNOWN = 0, /* not remembered: the auth module decides */
	PH_CHALLENGE_SAME = 1,	  /* answered from where it was sent */
	PH_CHALLENGE_ELSEWHERE = 2 /* answered from another peer: refuse */
} ph_challenge_from_t;

/* A table of at least slots slots (rounded up to whole buckets of a power
 * of two), or NULL. seed: random, kept secret. */
ph_challenges_t *ph_challenges_new(
		const ph_allocator_t *allocator, size_t slots, uint32_t seed);
void ph_challenges_free(ph_challenges_t *c);

/* Slots the table has; bytes it holds (both fixed from creation). */
size_t ph_challenges_slots(const ph_challenges_t *c);
size_t ph_challenges_memory(const ph_challenges_t *c);

/* The challenge with this nonce went to peer at now; remembered until
 * `until` (sent to another peer too while in force: bound to none). Returns 0, or -1 for a nonce or peer it cannot keep (empty, a
 * peer over PH_CHALLENGE_MAX_PEER bytes, until not after now). */
int ph_challenges_sent(ph_challenges_t *c, const char *nonce, size_t nlen,
		const void *peer, size_t plen, uint32_t now, uint32_t until);

/* Where the answer naming nonce, from peer at now, stands. */
ph_challenge_from_t ph_challenges_answered(ph_challenges_t *c,
		const char *nonce, size_t nlen, const void *peer, size_t plen,
		uint32_t now);

/* How many remembered challenges are still in force at now. */
size_t ph_challenges_count(const ph_challenges_t *c, uint32_t now);

#endif
