/*
 * kamailio-phones: which Asterisk servers are in service.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/server_health.h"

typedef struct health_slot
{
	char ip[PH_HEALTH_MAX_IP + 1];
	uint8_t len;
	uint64_t down_until; /* clock ms; 0: in service */
} health_slot_t;

struct ph_server_health
{
	ph_allocator_t allocator;
	ph_lock_t lock;
	ph_clock_t clock;
	ph_health_policy_t policy;
	size_t slots, used;
	health_slot_t s[];
};

ph_server_health_t *ph_server_health_new(const ph_allocator_t *allocator,
		size_t slots, const ph_health_policy_t *policy, const ph_lock_t *lock,
		const ph_clock_t *clock)
{
	ph_server_health_t *h;

	if(allocator == NULL || policy == NULL || lock == NULL || clock == NULL
			|| slots == 0 || slots > 65536)
		return NULL;
	h = allocator->alloc(
			allocator->ctx, sizeof(*h) + slots * sizeof(health_slot_t));
	if(h == NULL)
		return NULL;
	memset(h, 0, sizeof(*h) + slots * sizeof(health_slot_t));
	h->allocator = *allocator;
	h->lock = *lock;
	h->clock = *clock;
	h->policy = *policy;
	h->slots = slots;
	return h;
}

void ph_server_health_free(ph_server_health_t *h)
{
	if(h)
		h->allocator.release(h->allocator.ctx, h);
}

/* Under the lock. */
static health_slot_t *find(ph_server_health_t *h, const char *ip, size_t len)
{
	size_t i;

	for(i = 0; i < h->used; i++)
		if(h->s[i].len == len && memcmp(h->s[i].ip, ip, len) == 0)
			return &h->s[i];
	return NULL;
}

/* Whether a slot is out at now; without probes a server whose time is up
 * comes back here. Under the lock. */
static int slot_down(ph_server_health_t *h, health_slot_t *s, uint64_t now)
{
	if(s->down_until == 0)
		return 0;
	if(s->down_until > now || h->policy.probing)
		return 1;
	s->down_until = 0;
	return 0;
}

static uint64_t until(ph_server_health_t *h, uint64_t now)
{
	uint64_t u = now + (uint64_t)h->policy.down_seconds * 1000;

	return u ? u : 1;
}

int ph_server_health_is_down(ph_server_health_t *h, const char *ip, size_t len)
{
	health_slot_t *s;
	int down = 0;

	if(h == NULL || ip == NULL || len == 0 || len > PH_HEALTH_MAX_IP)
		return 0;
	if(__atomic_load_n(&h->used, __ATOMIC_ACQUIRE) == 0)
		return 0; /* nothing ever failed: no lock */
	h->lock.lock(h->lock.ctx);
	s = find(h, ip, len);
	if(s)
		down = slot_down(h, s, h->clock.ms(h->clock.ctx));
	h->lock.unlock(h->lock.ctx);
	return down;
}

int ph_server_health_failed(ph_server_health_t *h, const char *ip, size_t len)
{
	health_slot_t *s;
	uint64_t now;
	int was;

	if(h == NULL || ip == NULL || len == 0 || len > PH_HEALTH_MAX_IP)
		return -1;
	h->lock.lock(h->lock.ctx);
	now = h->clock.ms(h->clock.ctx);
	s = find(h, ip, len);
	if(s == NULL) {
		if(h->used == h->slots) {
			h->lock.unlock(h->lock.ctx);
			return -1;
		}
		s = &h->s[h->used];
		memcpy(s->ip, ip, len);
		s->ip[len] = '\0';
		s->len = (uint8_t)len;
		s->down_until = 0;
		__atomic_store_n(&h->used, h->used + 1, __ATOMIC_RELEASE);
	}
	was = slot_down(h, s, now);
	s->down_until = until(h, now);
	h->lock.unlock(h->lock.ctx);
	return was ? 0 : 1;
}

int ph_server_health_probed(
		ph_server_health_t *h, size_t index, int ok, char *ip)
{
	health_slot_t *s;
	int back = 0;

	if(h == NULL)
		return -1;
	h->lock.lock(h->lock.ctx);
	if(index >= h->used) {
		h->lock.unlock(h->lock.ctx);
		return -1;
	}
	s = &h->s[index];
	if(ip)
		memcpy(ip, s->ip, (size_t)s->len + 1);
	if(ok) {
		back = s->down_until != 0;
		s->down_until = 0;
	} else {
		s->down_until = until(h, h->clock.ms(h->clock.ctx));
	}
	h->lock.unlock(h->lock.ctx);
	return back;
}

size_t ph_server_health_to_probe(
		ph_server_health_t *h, ph_health_probe_t *out, size_t max)
{
	size_t i, n = 0;

	if(h == NULL || out == NULL)
		return 0;
	h->lock.lock(h->lock.ctx);
	for(i = 0; i < h->used && n < max; i++) {
		if(h->s[i].down_until == 0)
			continue;
		out[n].index = i;
		memcpy(out[n].ip, h->s[i].ip, (size_t)h->s[i].len + 1);
		n++;
	}
	h->lock.unlock(h->lock.ctx);
	return n;
}

size_t ph_server_health_down_count(ph_server_health_t *h)
{
	uint64_t now;
	size_t i, n = 0;

	if(h == NULL)
		return 0;
	h->lock.lock(h->lock.ctx);
	now = h->clock.ms(h->clock.ctx);
	for(i = 0; i < h->used; i++)
		n += (size_t)slot_down(h, &h->s[i], now);
	h->lock.unlock(h->lock.ctx);
	return n;
}
