/*
 * kamailio-phones: locking out password guessing, in bounded memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/hash.h"
#include "phones/lockout.h"

typedef struct slot
{
	uint32_t hash;
	uint32_t first;		/* start of the failure window */
	uint32_t until;		/* locked until; 0: not locked */
	uint16_t failures;
	uint8_t used;
	uint8_t len;
	char key[PH_LOCKOUT_MAX_KEY + 1];
} slot_t;

struct ph_lockout
{
	const ph_allocator_t *allocator;
	ph_lockout_limits_t limits;
	size_t nbuckets; /* a power of two */
	size_t memory;
	slot_t slots[];
};

ph_lockout_t *ph_lockout_new(const ph_allocator_t *allocator, size_t slots,
		const ph_lockout_limits_t *limits)
{
	size_t nb = 1, size;
	ph_lockout_t *lk;

	while(nb * PH_LOCKOUT_WAYS < slots && nb < ((size_t)1 << 24))
		nb <<= 1;
	size = sizeof(*lk) + nb * PH_LOCKOUT_WAYS * sizeof(slot_t);
	lk = allocator->alloc(allocator->ctx, size);
	if(lk == NULL)
		return NULL;
	memset(lk, 0, size);
	lk->allocator = allocator;
	lk->limits = *limits;
	lk->nbuckets = nb;
	lk->memory = size;
	return lk;
}

void ph_lockout_free(ph_lockout_t *lk)
{
	if(lk)
		lk->allocator->release(lk->allocator->ctx, lk);
}

size_t ph_lockout_buckets(const ph_lockout_t *lk)
{
	return lk->nbuckets;
}

size_t ph_lockout_bucket(const ph_lockout_t *lk, const char *key, size_t len)
{
	return ph_hash_seeded(lk->limits.seed, key, len) & (lk->nbuckets - 1);
}

size_t ph_lockout_memory(const ph_lockout_t *lk)
{
	return lk->memory;
}

/* Keys longer than a slot holds are remembered by their first bytes. */
static size_t key_len(size_t len)
{
	return len > PH_LOCKOUT_MAX_KEY ? PH_LOCKOUT_MAX_KEY : len;
}

static slot_t *find(ph_lockout_t *lk, const char *key, size_t len)
{
	uint32_t h;
	slot_t *s;
	size_t i;

	len = key_len(len);
	h = ph_hash_seeded(lk->limits.seed, key, len);
	s = &lk->slots[(h & (lk->nbuckets - 1)) * PH_LOCKOUT_WAYS];
	for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
		if(s[i].used && s[i].hash == h && s[i].len == len
				&& memcmp(s[i].key, key, len) == 0)
			return &s[i];
	}
	return NULL;
}

/* A slot for a new key: a free one, else the least worth keeping. */
static slot_t *take(ph_lockout_t *lk, const char *key, size_t len,
		uint32_t now)
{
	uint32_t h;
	slot_t *s, *victim = NULL;
	size_t i;

	len = key_len(len);
	h = ph_hash_seeded(lk->limits.seed, key, len);
	s = &lk->slots[(h & (lk->nbuckets - 1)) * PH_LOCKOUT_WAYS];
	for(i = 0; i < PH_LOCKOUT_WAYS && victim == NULL; i++) {
		if(!s[i].used)
			victim = &s[i];
	}
	/* else the unlocked key whose window is oldest */
	if(victim == NULL) {
		for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
			if(s[i].until <= now
					&& (victim == NULL || s[i].first < victim->first))
				victim = &s[i];
		}
	}
	/* else, all locked, the lock that ends first */
	if(victim == NULL) {
		victim = &s[0];
		for(i = 1; i < PH_LOCKOUT_WAYS; i++) {
			if(s[i].until < victim->until)
				victim = &s[i];
		}
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = 1;
	victim->hash = h;
	victim->len = (uint8_t)len;
	memcpy(victim->key, key, len);
	victim->first = now;
	return victim;
}

int ph_lockout_locked(ph_lockout_t *lk, const char *key, size_t len,
		uint32_t now)
{
	slot_t *s = find(lk, key, len);

	return s != NULL && s->until > now;
}

int ph_lockout_fail(ph_lockout_t *lk, const char *key, size_t len,
		uint32_t now)
{
	slot_t *s;

	if(lk->limits.failures == 0)
		return 0;
	s = find(lk, key, len);
	if(s == NULL)
		s = take(lk, key, len, now);
	if(s->until > now)
		return 0; /* already locked */
	if(s->until != 0 || now - s->first >= lk->limits.window) {
		/* a lock that ran out, or a window that closed: start again */
		s->until = 0;
		s->failures = 0;
		s->first = now;
	}
	if(s->failures < UINT16_MAX)
		s->failures++;
	if(s->failures >= lk->limits.failures) {
		s->until = now + lk->limits.lock;
		if(s->until == 0)
			s->until = 1;
		return 1;
	}
	return 0;
}

int ph_lockout_forget(ph_lockout_t *lk, const char *key, size_t len)
{
	slot_t *s = find(lk, key, len);

	if(s == NULL)
		return 0;
	memset(s, 0, sizeof(*s));
	return 1;
}

void ph_lockout_each_locked(ph_lockout_t *lk, size_t b, uint32_t now,
		void (*cb)(void *arg, const char *key, uint32_t until,
				unsigned failures),
		void *arg)
{
	slot_t *s = &lk->slots[b * PH_LOCKOUT_WAYS];
	size_t i;

	for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
		if(s[i].used && s[i].until > now)
			cb(arg, s[i].key, s[i].until, s[i].failures);
	}
}

size_t ph_lockout_clear_bucket(ph_lockout_t *lk, size_t b)
{
	slot_t *s = &lk->slots[b * PH_LOCKOUT_WAYS];
	size_t i, n = 0;

	for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
		n += s[i].used;
		memset(&s[i], 0, sizeof(s[i]));
	}
	return n;
}
