/*
 * kamailio-phones: locking out password guessing without locking out
 * phones, in bounded memory.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/hash.h"
#include "phones/lockout.h"

/* An address longer than this (no text address is) is cut. */
#define MAX_ADDR 47

typedef struct slot
{
	uint32_t hash;
	uint32_t first;	  /* start of the failure window */
	uint32_t until;	  /* locked (an extension: under attack) until */
	/* an address: trusted until; a pair: its port trusted until */
	uint32_t trusted;
	uint32_t taken;	  /* when the key came in, in slots taken so far */
	uint16_t failures;
	uint16_t port;	 /* a pair: the port its phone last succeeded from */
	uint8_t strikes; /* a pair: its locks since its last success */
	uint8_t kind;	 /* 0: free; else a ph_lock_kind_t */
	uint8_t elen;
	uint8_t alen;
	char key[PH_LOCKOUT_MAX_KEY + 1]; /* extension, then address */
} slot_t;

/* A key as it is stored: cut to fit. */
typedef struct key
{
	uint8_t kind;
	const char *ext;
	size_t elen;
	const char *addr;
	size_t alen;
	uint32_t hash;
} key_t;

struct ph_lockout
{
	const ph_allocator_t *allocator;
	ph_lockout_limits_t limits;
	size_t nbuckets; /* a power of two */
	size_t memory;
	uint32_t taken; /* slots taken so far */
	slot_t slots[];
};

const char *ph_lock_kind_name(ph_lock_kind_t kind)
{
	switch(kind) {
		case PH_LOCK_PAIR:
			return "pair";
		case PH_LOCK_ADDRESS:
			return "address";
		case PH_LOCK_EXTENSION:
			return "extension";
		default:
			return "none";
	}
}

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

size_t ph_lockout_slots(const ph_lockout_t *lk)
{
	return lk->nbuckets * PH_LOCKOUT_WAYS;
}

size_t ph_lockout_memory(const ph_lockout_t *lk)
{
	return lk->memory;
}

static key_t make_key(const ph_lockout_t *lk, uint8_t kind, const char *ext,
		size_t elen, const char *addr, size_t alen)
{
	key_t k;
	char buf[PH_LOCKOUT_MAX_KEY + 1];

	k.kind = kind;
	k.addr = addr;
	k.alen = kind == PH_LOCK_EXTENSION ? 0 : (alen > MAX_ADDR ? MAX_ADDR : alen);
	k.ext = ext;
	k.elen = kind == PH_LOCK_ADDRESS ? 0 : elen;
	if(k.elen > PH_LOCKOUT_MAX_KEY - k.alen)
		k.elen = PH_LOCKOUT_MAX_KEY - k.alen;
	if(k.elen)
		memcpy(buf, k.ext, k.elen);
	if(k.alen)
		memcpy(buf + k.elen, k.addr, k.alen);
	k.hash = ph_hash_seeded(lk->limits.seed
									^ ((uint32_t)kind << 8 | (uint32_t)k.elen)
											  * 0x9e3779b1u,
			buf, k.elen + k.alen);
	return k;
}

static slot_t *bucket_of(ph_lockout_t *lk, const key_t *k)
{
	return &lk->slots[(k->hash & (lk->nbuckets - 1)) * PH_LOCKOUT_WAYS];
}

static int same(const slot_t *s, const key_t *k)
{
	return s->kind == k->kind && s->hash == k->hash && s->elen == k->elen
		   && s->alen == k->alen && memcmp(s->key, k->ext, k->elen) == 0
		   && memcmp(s->key + k->elen, k->addr, k->alen) == 0;
}

static slot_t *find(ph_lockout_t *lk, const key_t *k)
{
	slot_t *s = bucket_of(lk, k);
	size_t i;

	for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
		if(same(&s[i], k))
			return &s[i];
	}
	return NULL;
}

static int window_open(const ph_lockout_t *lk, const slot_t *s, uint32_t now)
{
	return now - s->first < lk->limits.window;
}

static int locked(const slot_t *s, uint32_t now)
{
	return s->until > now;
}

/* The port a pair's phone succeeded from within `trust`: its own lock and
 * its extension's being under attack do not refuse it (a colleague at the
 * same address cannot lock the phone out; only what failed is refused). */
static int trusted_port(const slot_t *pair, unsigned port, uint32_t now)
{
	return port != 0 && pair->port == port && pair->trusted > now;
}

/* A pair locked before remembers its locks for `lock` seconds after the
 * last one ended, so that its next lock is longer. */
static int remembers(const ph_lockout_t *lk, const slot_t *s, uint32_t now)
{
	return s->strikes > 0 && now - s->until < lk->limits.lock;
}

/* Nothing worth keeping: no lock, no open window, no trust, no history. */
static int expired(const ph_lockout_t *lk, const slot_t *s, uint32_t now)
{
	return !locked(s, now) && !window_open(lk, s, now) && s->trusted <= now
		   && !remembers(lk, s, now);
}

static unsigned worth(const ph_lockout_t *lk, const slot_t *s, uint32_t now)
{
	unsigned w = window_open(lk, s, now) ? s->failures : 0;

	if(s->trusted > now)
		w += lk->limits.failures;
	if(remembers(lk, s, now))
		w += s->strikes * lk->limits.failures;
	return w;
}

unsigned ph_lockout_lock_time(const ph_lockout_limits_t *limits,
		unsigned strikes)
{
	unsigned t = limits->first_lock;

	if(t == 0 || t >= limits->lock)
		return limits->lock;
	while(strikes-- > 0 && t < limits->lock)
		t = t > limits->lock / 2 ? limits->lock : t * 2;
	return t < limits->lock ? t : limits->lock;
}

/* Slot s (cleared) holds key k from now on. */
static void restore(slot_t *s, const key_t *k, uint32_t now, uint32_t taken)
{
	s->kind = k->kind;
	s->hash = k->hash;
	s->elen = (uint8_t)k->elen;
	s->alen = (uint8_t)k->alen;
	if(k->elen)
		memcpy(s->key, k->ext, k->elen);
	if(k->alen)
		memcpy(s->key + k->elen, k->addr, k->alen);
	s->first = now;
	s->taken = taken;
}

/* A slot for a new key (never `keep`, the slot the caller still uses). */
static slot_t *take(ph_lockout_t *lk, const key_t *k, uint32_t now,
		const slot_t *keep)
{
	slot_t *s = bucket_of(lk, k), *victim = NULL;
	size_t i;

	for(i = 0; i < PH_LOCKOUT_WAYS && victim == NULL; i++) {
		if(s[i].kind == 0)
			victim = &s[i];
	}
	for(i = 0; i < PH_LOCKOUT_WAYS && victim == NULL; i++) {
		if(&s[i] != keep && expired(lk, &s[i], now))
			victim = &s[i];
	}
	/* the live unlocked key worth least; among equals the newest in */
	for(i = 0; i < PH_LOCKOUT_WAYS && victim == NULL; i++) {
		slot_t *c = &s[i];
		size_t j;

		if(c == keep || locked(c, now))
			continue;
		for(j = 0; j < PH_LOCKOUT_WAYS; j++) {
			slot_t *o = &s[j];
			if(o == c || o == keep || locked(o, now))
				continue;
			if(worth(lk, o, now) < worth(lk, c, now)
					|| (worth(lk, o, now) == worth(lk, c, now)
							&& o->taken - c->taken < UINT32_MAX / 2))
				break;
		}
		if(j == PH_LOCKOUT_WAYS)
			victim = c;
	}
	/* else, all locked, the lock that ends first */
	for(i = 0; i < PH_LOCKOUT_WAYS; i++) {
		if(&s[i] != keep
				&& (victim == NULL || (locked(victim, now)
											  && s[i].until < victim->until)))
			victim = &s[i];
	}
	memset(victim, 0, sizeof(*victim));
	restore(victim, k, now, ++lk->taken);
	return victim;
}

/* Counts one failure in s; returns 1 when it locks s. new_window tells
 * whether a new window began with it. */
static int count(ph_lockout_t *lk, slot_t *s, unsigned limit, uint32_t now,
		int *new_window)
{
	int fresh = s->failures == 0;

	if((s->until != 0 && !locked(s, now)) || !window_open(lk, s, now)) {
		/* a lock that ran out, or a window that closed: start again,
		 * with the pair's earlier locks if they are still remembered */
		if(!remembers(lk, s, now))
			s->strikes = 0;
		s->until = 0;
		s->failures = 0;
		s->first = now;
		fresh = 1;
	}
	if(new_window)
		*new_window = fresh;
	if(s->failures < UINT16_MAX)
		s->failures++;
	if(limit == 0 || s->failures < limit)
		return 0;
	if(s->kind == PH_LOCK_PAIR) {
		/* first_lock, then twice as long each time, up to lock */
		s->until = now + ph_lockout_lock_time(&lk->limits, s->strikes);
		if(s->strikes < UINT8_MAX)
			s->strikes++;
	} else {
		s->until = now + lk->limits.lock;
	}
	if(s->until == 0)
		s->until = 1;
	return 1;
}

ph_lock_kind_t ph_lockout_check(ph_lockout_t *lk, const char *ext,
		size_t elen, const char *addr, size_t alen, unsigned port,
		uint32_t now)
{
	key_t k;
	slot_t *pair, *s;

	if(lk->limits.failures == 0)
		return PH_LOCK_NONE;
	k = make_key(lk, PH_LOCK_PAIR, ext, elen, addr, alen);
	pair = find(lk, &k);
	if(pair != NULL && trusted_port(pair, port, now))
		pair = NULL; /* the phone itself: only the address may refuse */
	if(pair != NULL && locked(pair, now))
		return PH_LOCK_PAIR;
	k = make_key(lk, PH_LOCK_ADDRESS, ext, elen, addr, alen);
	s = find(lk, &k);
	if(s != NULL && locked(s, now) && s->trusted <= now)
		return PH_LOCK_ADDRESS;
	if(pair != NULL && pair->failures > 0 && window_open(lk, pair, now)) {
		k = make_key(lk, PH_LOCK_EXTENSION, ext, elen, addr, alen);
		s = find(lk, &k);
		if(s != NULL && locked(s, now))
			return PH_LOCK_EXTENSION;
	}
	return PH_LOCK_NONE;
}

unsigned ph_lockout_failure(ph_lockout_t *lk, const char *ext, size_t elen,
		const char *addr, size_t alen, unsigned port, int known,
		uint32_t now)
{
	unsigned set = 0;
	int new_pair = 0;
	key_t k;
	slot_t *pair, *s;

	if(lk->limits.failures == 0)
		return 0;
	k = make_key(lk, PH_LOCK_PAIR, ext, elen, addr, alen);
	pair = find(lk, &k);
	if(pair == NULL)
		pair = take(lk, &k, now, NULL);
	if(port != 0 && pair->port == port)
		pair->trusted = 0; /* the phone's own port failed: trusted no more */
	if(locked(pair, now))
		return 0;
	if(count(lk, pair, lk->limits.failures, now, &new_pair))
		set |= PH_LOCK_PAIR;

	/* the address counts the extensions that failed from it */
	if(new_pair && lk->limits.address_extensions) {
		k = make_key(lk, PH_LOCK_ADDRESS, ext, elen, addr, alen);
		s = find(lk, &k);
		if(s == NULL)
			s = take(lk, &k, now, pair);
		if(!locked(s, now)
				&& count(lk, s,
						s->trusted > now ? 0 : lk->limits.address_extensions,
						now, NULL))
			set |= PH_LOCK_ADDRESS;
	}

	if(known && lk->limits.extension_failures) {
		k = make_key(lk, PH_LOCK_EXTENSION, ext, elen, addr, alen);
		s = find(lk, &k);
		if(s == NULL)
			s = take(lk, &k, now, pair);
		if(!locked(s, now)
				&& count(lk, s, lk->limits.extension_failures, now, NULL))
			set |= PH_LOCK_EXTENSION;
	}
	return set;
}

uint32_t ph_lockout_pair_until(ph_lockout_t *lk, const char *ext,
		size_t elen, const char *addr, size_t alen)
{
	key_t k = make_key(lk, PH_LOCK_PAIR, ext, elen, addr, alen);
	slot_t *s = find(lk, &k);

	return s != NULL ? s->until : 0;
}

int ph_lockout_success(ph_lockout_t *lk, const char *ext, size_t elen,
		const char *addr, size_t alen, unsigned port, uint32_t now)
{
	key_t k;
	slot_t *s, *pair;
	int forgave = 0;

	if(lk->limits.failures == 0)
		return 0;
	k = make_key(lk, PH_LOCK_PAIR, ext, elen, addr, alen);
	pair = find(lk, &k);
	if(pair != NULL && locked(pair, now) && trusted_port(pair, port, now)) {
		/* the phone, let in at its own port while others at its address
		 * are locked out: their lock stands */
		pair->trusted = now + lk->limits.trust;
	} else {
		if(pair != NULL) {
			forgave = pair->failures > 0 || pair->until > now;
			memset(pair, 0, sizeof(*pair));
		}
		if(port != 0 && lk->limits.trust) {
			/* the pair remembers its phone's port: what fails from
			 * elsewhere at that address never locks the phone out */
			if(pair == NULL)
				pair = take(lk, &k, now, NULL);
			else
				restore(pair, &k, now, ++lk->taken);
			pair->port = (uint16_t)port;
			pair->trusted = now + lk->limits.trust;
		} else {
			pair = NULL; /* forgotten */
		}
	}
	k = make_key(lk, PH_LOCK_ADDRESS, ext, elen, addr, alen);
	s = find(lk, &k);
	if(s == NULL && lk->limits.trust == 0)
		return forgave;
	if(s == NULL)
		s = take(lk, &k, now, pair);
	s->failures = 0;
	s->until = 0;
	s->first = now;
	if(lk->limits.trust)
		s->trusted = now + lk->limits.trust;
	return forgave;
}

/* What refuses in slot s at now, if anything. */
static ph_lock_kind_t refuses(const slot_t *s, uint32_t now)
{
	if(s->kind == 0 || !locked(s, now))
		return PH_LOCK_NONE;
	if(s->kind == PH_LOCK_ADDRESS && s->trusted > now)
		return PH_LOCK_NONE;
	return (ph_lock_kind_t)s->kind;
}

size_t ph_lockout_list(ph_lockout_t *lk, size_t from, size_t max,
		uint32_t now, void (*cb)(void *arg, const ph_lock_info_t *lock),
		void *arg)
{
	size_t i, n = 0, total = ph_lockout_slots(lk);
	ph_lock_info_t info;

	for(i = from; i < total && n < max; i++) {
		slot_t *s = &lk->slots[i];

		info.kind = refuses(s, now);
		if(info.kind == PH_LOCK_NONE)
			continue;
		info.ext = s->key;
		info.elen = s->elen;
		info.addr = s->key + s->elen;
		info.alen = s->alen;
		info.until = s->until;
		info.failures = s->failures;
		cb(arg, &info);
		n++;
	}
	return i;
}

static int part_is(const char *have, size_t hlen, const char *want,
		size_t wlen, size_t cut)
{
	if(wlen > cut)
		wlen = cut;
	return hlen == wlen && memcmp(have, want, wlen) == 0;
}

size_t ph_lockout_clear(ph_lockout_t *lk, const char *ext, size_t elen,
		const char *addr, size_t alen)
{
	size_t i, n = 0, total = ph_lockout_slots(lk);

	for(i = 0; i < total; i++) {
		slot_t *s = &lk->slots[i];
		int hit;

		if(s->kind == 0)
			continue;
		if(elen && !part_is(s->key, s->elen, ext, elen,
						   PH_LOCKOUT_MAX_KEY - s->alen))
			continue;
		if(alen && !part_is(s->key + s->elen, s->alen, addr, alen, MAX_ADDR))
			continue;
		/* an extension's own counter has no address, an address's none
		 * of an extension; a pair's both */
		if(elen && alen)
			hit = s->kind == PH_LOCK_PAIR;
		else if(elen)
			hit = s->kind != PH_LOCK_ADDRESS;
		else if(alen)
			hit = s->kind != PH_LOCK_EXTENSION;
		else
			hit = 1;
		if(hit) {
			memset(s, 0, sizeof(*s));
			n++;
		}
	}
	return n;
}
