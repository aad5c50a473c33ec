/*
 * kamailio-phones: where each digest challenge went (see
 * include/phones/challenges.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/challenges.h"
#include "phones/hash.h"

typedef struct slot
{
	uint64_t print; /* the nonce's fingerprint; 0: free */
	uint32_t until; /* in force while now < until */
	uint8_t plen; /* 0: sent to several peers, binds none */
	unsigned char peer[PH_CHALLENGE_MAX_PEER];
} slot_t;

struct ph_challenges
{
	const ph_allocator_t *allocator;
	uint32_t seed;
	size_t nbuckets; /* a power of two */
	size_t memory;
	slot_t slots[];
};

ph_challenges_t *ph_challenges_new(
		const ph_allocator_t *allocator, size_t slots, uint32_t seed)
{
	size_t nb = 1, size;
	ph_challenges_t *c;

	while(nb * PH_CHALLENGE_WAYS < slots && nb < ((size_t)1 << 24))
		nb <<= 1;
	size = sizeof(*c) + nb * PH_CHALLENGE_WAYS * sizeof(slot_t);
	c = allocator->alloc(allocator->ctx, size);
	if(c == NULL)
		return NULL;
	memset(c, 0, size);
	c->allocator = allocator;
	c->seed = seed;
	c->nbuckets = nb;
	c->memory = size;
	return c;
}

void ph_challenges_free(ph_challenges_t *c)
{
	if(c)
		c->allocator->release(c->allocator->ctx, c);
}

size_t ph_challenges_slots(const ph_challenges_t *c)
{
	return c->nbuckets * PH_CHALLENGE_WAYS;
}

size_t ph_challenges_memory(const ph_challenges_t *c)
{
	return c->memory;
}

/* Two seeded hashes of the nonce: one picks the bucket, both the slot.
 * Never 0 (a free slot). */
static uint64_t fingerprint(const ph_challenges_t *c, const char *nonce,
		size_t nlen)
{
	uint64_t hi = ph_hash_seeded(c->seed, nonce, nlen);
	uint64_t lo = ph_hash_seeded(c->seed * 0x9e3779b1u + 0x7f4a7c15u, nonce,
			nlen);
	uint64_t p = hi << 32 | lo;

	return p ? p : 1;
}

static slot_t *bucket_of(ph_challenges_t *c, uint64_t print)
{
	return &c->slots[((size_t)(print >> 32) & (c->nbuckets - 1))
					 * PH_CHALLENGE_WAYS];
}

static int in_force(const slot_t *s, uint32_t now)
{
	return s->print != 0 && now < s->until;
}

int ph_challenges_sent(ph_challenges_t *c, const char *nonce, size_t nlen,
		const void *peer, size_t plen, uint32_t now, uint32_t until)
{
	uint64_t print;
	slot_t *b, *victim = NULL;
	size_t i;

	if(nlen == 0 || plen == 0 || plen > PH_CHALLENGE_MAX_PEER
			|| until <= now)
		return -1;
	print = fingerprint(c, nonce, nlen);
	b = bucket_of(c, print);
	/* the same nonce again, else a free or run-out slot, else the one
	 * that runs out first */
	for(i = 0; i < PH_CHALLENGE_WAYS && victim == NULL; i++) {
		if(b[i].print == print)
			victim = &b[i];
	}
	if(victim != NULL && in_force(victim, now)
			&& (victim->plen != plen
					|| memcmp(victim->peer, peer, plen) != 0)) {
		/* one nonce for two peers (the auth module without one-time
		 * nonces gives everyone challenged within a second the same):
		 * it says nothing of who may answer */
		victim->plen = 0;
		if(until > victim->until)
			victim->until = until;
		return 0;
	}
	for(i = 0; i < PH_CHALLENGE_WAYS && victim == NULL; i++) {
		if(!in_force(&b[i], now))
			victim = &b[i];
	}
	if(victim == NULL) {
		victim = &b[0];
		for(i = 1; i < PH_CHALLENGE_WAYS; i++) {
			if(b[i].until < victim->until)
				victim = &b[i];
		}
	}
	memset(victim, 0, sizeof(*victim));
	victim->print = print;
	victim->until = until;
	victim->plen = (uint8_t)plen;
	memcpy(victim->peer, peer, plen);
	return 0;
}

ph_challenge_from_t ph_challenges_answered(ph_challenges_t *c,
		const char *nonce, size_t nlen, const void *peer, size_t plen,
		uint32_t now)
{
	uint64_t print;
	slot_t *b;
	size_t i;

	if(nlen == 0)
		return PH_CHALLENGE_UNKNOWN;
	print = fingerprint(c, nonce, nlen);
	b = bucket_of(c, print);
	for(i = 0; i < PH_CHALLENGE_WAYS; i++) {
		if(b[i].print != print || !in_force(&b[i], now))
			continue;
		if(b[i].plen == 0)
			return PH_CHALLENGE_UNKNOWN;
		if(b[i].plen == plen && memcmp(b[i].peer, peer, plen) == 0)
			return PH_CHALLENGE_SAME;
		return PH_CHALLENGE_ELSEWHERE;
	}
	return PH_CHALLENGE_UNKNOWN;
}

size_t ph_challenges_count(const ph_challenges_t *c, uint32_t now)
{
	size_t i, n = 0, total = ph_challenges_slots(c);

	for(i = 0; i < total; i++)
		n += in_force(&c->slots[i], now) ? 1 : 0;
	return n;
}
