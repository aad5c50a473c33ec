/*
 * kamailio-phones: a phone's peer_status from its contacts, and the book
 * of what was written, whose differences are the writes of a round.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <strings.h>

#include "phones/hash.h"
#include "phones/peer_status.h"

static const char *const names[PH_PEER_STATE_COUNT] = {"UNKNOWN", "REGISTERED",
		"UNREGISTERED", "REACHABLE", "LAGGED", "UNREACHABLE"};

const char *ph_peer_state_name(ph_peer_state_t s)
{
	if((int)s < 0 || s >= PH_PEER_STATE_COUNT)
		return names[PH_PEER_UNKNOWN];
	return names[s];
}

ph_peer_state_t ph_peer_state_of(const char *s, size_t len)
{
	int i;

	if(s == NULL)
		return PH_PEER_UNKNOWN;
	for(i = 0; i < PH_PEER_STATE_COUNT; i++)
		if(strlen(names[i]) == len && strncasecmp(names[i], s, len) == 0)
			return (ph_peer_state_t)i;
	return PH_PEER_UNKNOWN;
}

/* How good a contact's state is: the phone shows its best contact. */
static int rank(ph_peer_state_t s)
{
	switch(s) {
		case PH_PEER_REACHABLE:
			return 4;
		case PH_PEER_LAGGED:
			return 3;
		case PH_PEER_REGISTERED:
			return 2;
		case PH_PEER_UNREACHABLE:
			return 1;
		default:
			return 0;
	}
}

static int ping_ms(uint32_t us)
{
	uint32_t ms = us / 1000u + (us % 1000u >= 500u ? 1u : 0u);

	return ms > PH_PEER_MAX_PING ? PH_PEER_MAX_PING : (int)ms;
}

ph_peer_view_t ph_peer_decide(const ph_peer_contact_t *contacts, size_t n,
		int64_t now, const ph_peer_policy_t *policy)
{
	ph_peer_view_t best = {PH_PEER_UNREGISTERED, PH_PEER_NO_PING};
	ph_peer_view_t v;
	size_t i;

	for(i = 0; i < n; i++) {
		const ph_peer_contact_t *c = &contacts[i];

		if(c->expires != 0 && c->expires <= now)
			continue;
		v.ping_ms = PH_PEER_NO_PING;
		if(policy->unreachable_after > 0
				&& now - c->last_keepalive > (int64_t)policy->unreachable_after)
			v.state = PH_PEER_UNREACHABLE;
		else if(c->roundtrip_us == 0)
			v.state = PH_PEER_REGISTERED;
		else {
			v.ping_ms = ping_ms(c->roundtrip_us);
			v.state = (uint32_t)v.ping_ms > policy->lagged_ms
							  ? PH_PEER_LAGGED
							  : PH_PEER_REACHABLE;
		}
		if(rank(v.state) > rank(best.state)
				|| (v.state == best.state && v.ping_ms >= 0
						&& v.ping_ms < best.ping_ms))
			best = v;
	}
	return best;
}

int ph_peer_view_differs(const ph_peer_view_t *written,
		const ph_peer_view_t *want, int track_ping)
{
	int d, step;

	if(written->state != want->state)
		return 1;
	if(!track_ping || written->ping_ms == want->ping_ms)
		return 0;
	if(written->ping_ms < 0 || want->ping_ms < 0)
		return 1;
	d = want->ping_ms - written->ping_ms;
	if(d < 0)
		d = -d;
	step = written->ping_ms / 4;
	if(step < PH_PEER_PING_STEP_MS)
		step = PH_PEER_PING_STEP_MS;
	return d >= step;
}

typedef struct item
{
	struct item *next;
	uint32_t hash;
	uint32_t round;		 /* the round that last set it */
	uint8_t has_written; /* written holds what the database has */
	uint8_t elen;
	uint8_t ilen;
	ph_peer_view_t want;
	ph_peer_view_t written;
	char key[]; /* extension, NUL, server_ip, NUL */
} item_t;

struct ph_peer_book
{
	const ph_allocator_t *allocator;
	int track_ping;
	uint32_t round;
	size_t size;
	size_t nbuckets; /* a power of two */
	item_t **buckets;
};

#define FIRST_BUCKETS 64

static uint32_t key_hash(
		const char *ext, size_t elen, const char *ip, size_t ilen)
{
	return ph_hash_seeded(ph_hash(ext, elen), ip, ilen);
}

ph_peer_book_t *ph_peer_book_new(
		const ph_allocator_t *allocator, int track_ping)
{
	ph_peer_book_t *b = allocator->alloc(allocator->ctx, sizeof(*b));

	if(b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->allocator = allocator;
	b->track_ping = track_ping ? 1 : 0;
	b->nbuckets = FIRST_BUCKETS;
	b->buckets =
			allocator->alloc(allocator->ctx, FIRST_BUCKETS * sizeof(item_t *));
	if(b->buckets == NULL) {
		allocator->release(allocator->ctx, b);
		return NULL;
	}
	memset(b->buckets, 0, FIRST_BUCKETS * sizeof(item_t *));
	return b;
}

void ph_peer_book_free(ph_peer_book_t *b)
{
	item_t *it, *next;
	size_t i;

	if(b == NULL)
		return;
	for(i = 0; i < b->nbuckets; i++) {
		for(it = b->buckets[i]; it; it = next) {
			next = it->next;
			b->allocator->release(b->allocator->ctx, it);
		}
	}
	b->allocator->release(b->allocator->ctx, b->buckets);
	b->allocator->release(b->allocator->ctx, b);
}

/* Twice the buckets, when there are more rows than buckets; a failed
 * allocation leaves the book as it is (longer chains, still right). */
static void grow(ph_peer_book_t *b)
{
	size_t n = b->nbuckets * 2, i;
	item_t **nb, *it, *next;

	if(b->size <= b->nbuckets || n > ((size_t)1 << 26))
		return;
	nb = b->allocator->alloc(b->allocator->ctx, n * sizeof(item_t *));
	if(nb == NULL)
		return;
	memset(nb, 0, n * sizeof(item_t *));
	for(i = 0; i < b->nbuckets; i++) {
		for(it = b->buckets[i]; it; it = next) {
			next = it->next;
			it->next = nb[it->hash & (n - 1)];
			nb[it->hash & (n - 1)] = it;
		}
	}
	b->allocator->release(b->allocator->ctx, b->buckets);
	b->buckets = nb;
	b->nbuckets = n;
}

static item_t *find(const ph_peer_book_t *b, uint32_t h, const char *ext,
		size_t elen, const char *ip, size_t ilen)
{
	item_t *it;

	for(it = b->buckets[h & (b->nbuckets - 1)]; it; it = it->next) {
		if(it->hash == h && it->elen == elen && it->ilen == ilen
				&& memcmp(it->key, ext, elen) == 0
				&& memcmp(it->key + elen + 1, ip, ilen) == 0)
			return it;
	}
	return NULL;
}

void ph_peer_book_begin(ph_peer_book_t *b)
{
	b->round++;
	if(b->round == 0) /* never 0, which no item is set in */
		b->round = 1;
}

int ph_peer_book_set(ph_peer_book_t *b, const char *extension, size_t ext_len,
		const char *server_ip, size_t ip_len, ph_peer_view_t view)
{
	uint32_t h;
	item_t *it;

	if(ext_len == 0 || ext_len > PH_PEER_MAX_KEY || ip_len > PH_PEER_MAX_KEY)
		return -2;
	h = key_hash(extension, ext_len, server_ip, ip_len);
	it = find(b, h, extension, ext_len, server_ip, ip_len);
	if(it != NULL) {
		if(it->round == b->round)
			return -3;
		it->round = b->round;
		it->want = view;
		return 0;
	}
	it = b->allocator->alloc(
			b->allocator->ctx, sizeof(*it) + ext_len + ip_len + 2);
	if(it == NULL)
		return -1;
	memset(it, 0, sizeof(*it));
	it->hash = h;
	it->round = b->round;
	it->elen = (uint8_t)ext_len;
	it->ilen = (uint8_t)ip_len;
	it->want = view;
	memcpy(it->key, extension, ext_len);
	it->key[ext_len] = '\0';
	if(ip_len)
		memcpy(it->key + ext_len + 1, server_ip, ip_len);
	it->key[ext_len + 1 + ip_len] = '\0';
	it->next = b->buckets[h & (b->nbuckets - 1)];
	b->buckets[h & (b->nbuckets - 1)] = it;
	b->size++;
	grow(b);
	return 0;
}

void ph_peer_book_end(ph_peer_book_t *b)
{
	item_t **pp, *it;
	size_t i;

	for(i = 0; i < b->nbuckets; i++) {
		pp = &b->buckets[i];
		while((it = *pp) != NULL) {
			if(it->round != b->round) {
				*pp = it->next;
				b->allocator->release(b->allocator->ctx, it);
				b->size--;
			} else
				pp = &it->next;
		}
	}
}

size_t ph_peer_book_size(const ph_peer_book_t *b)
{
	return b->size;
}

static int pending(const ph_peer_book_t *b, const item_t *it)
{
	return !it->has_written
		   || ph_peer_view_differs(&it->written, &it->want, b->track_ping);
}

size_t ph_peer_book_pending(const ph_peer_book_t *b)
{
	const item_t *it;
	size_t i, n = 0;

	for(i = 0; i < b->nbuckets; i++)
		for(it = b->buckets[i]; it; it = it->next)
			n += pending(b, it) ? 1 : 0;
	return n;
}

size_t ph_peer_book_batch(ph_peer_book_t *b, ph_peer_change_t *out, size_t max)
{
	item_t *it;
	size_t i, n = 0;

	for(i = 0; i < b->nbuckets && n < max; i++) {
		for(it = b->buckets[i]; it && n < max; it = it->next) {
			if(!pending(b, it))
				continue;
			out[n].extension = it->key;
			out[n].extension_len = it->elen;
			out[n].server_ip = it->key + it->elen + 1;
			out[n].server_ip_len = it->ilen;
			out[n].view = it->want;
			out[n].item = it;
			n++;
		}
	}
	return n;
}

void ph_peer_book_written(
		ph_peer_book_t *b, const ph_peer_change_t *changes, size_t n)
{
	item_t *it;
	size_t i;

	(void)b;
	for(i = 0; i < n; i++) {
		it = changes[i].item;
		it->written = changes[i].view;
		it->has_written = 1;
	}
}

int ph_peer_book_get(const ph_peer_book_t *b, const char *extension,
		size_t ext_len, const char *server_ip, size_t ip_len,
		ph_peer_view_t *view)
{
	const item_t *it;

	if(ext_len == 0 || ext_len > PH_PEER_MAX_KEY || ip_len > PH_PEER_MAX_KEY)
		return 0;
	it = find(b, key_hash(extension, ext_len, server_ip, ip_len), extension,
			ext_len, server_ip, ip_len);
	if(it == NULL || !it->has_written)
		return 0;
	*view = it->written;
	return 1;
}
