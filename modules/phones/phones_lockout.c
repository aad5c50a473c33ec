/*
 * kamailio-phones: password guessing locked out, per extension and
 * address, per address and per extension under attack (core/lockout.c
 * decides; its fixed-size table lives in shared memory here).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/mem.h"
#include "core/rand/kam_rand.h"

#include "phones/lockout.h"
#include "phones/phone_row.h"
#include "phones_dmq.h"
#include "phones_lockout.h"
#include "phones_stats.h"
#include "phones_store.h"

int phones_lockout_failures = 10;
int phones_lockout_address_extensions = 20;
int phones_lockout_extension_failures = 100;
int phones_lockout_window = 60;
int phones_lockout_time = 300;
int phones_lockout_first_time = 0;
int phones_lockout_trust_time = 3600;
int phones_lockout_slots = 16384;

/* Pages of phones.locks. */
#define PAGE_DEFAULT 1000
#define PAGE_MAX 10000

static ph_lockout_t *table = NULL;
/* One lock: every call touches up to three keys in as many buckets, and
 * holds it for a few slot comparisons. */
static gen_lock_t *lock = NULL;

int phones_lockout_init(void)
{
	ph_lockout_limits_t limits;

	phones_dmq_on_auth(phones_lockout_peer);
	if(phones_lockout_failures <= 0)
		return 0;
	/* the ranges: phones_params_check() */
	limits.failures = (unsigned)phones_lockout_failures;
	limits.address_extensions = (unsigned)phones_lockout_address_extensions;
	limits.extension_failures = (unsigned)phones_lockout_extension_failures;
	limits.window = (unsigned)phones_lockout_window;
	limits.lock = (unsigned)phones_lockout_time;
	limits.trust = (unsigned)phones_lockout_trust_time;
	limits.first_lock = (unsigned)phones_lockout_first_time;
	limits.seed = (uint32_t)kam_rand() ^ ((uint32_t)kam_rand() << 16);
	table = ph_lockout_new(
			&phones_shm_allocator, (size_t)phones_lockout_slots, &limits);
	lock = lock_alloc();
	if(table == NULL || lock == NULL || lock_init(lock) == NULL) {
		LM_ERR("out of shared memory for the lockout table\n");
		return -1;
	}
	LM_INFO("lockout: %d failures of an extension from an address, %d"
			" extensions from an address, %d failures of an extension, in %d"
			" s lock for %d s (a pair first for %u s, doubled each time);"
			" trust %d s; %zu slots, %zu bytes\n",
			phones_lockout_failures, phones_lockout_address_extensions,
			phones_lockout_extension_failures, phones_lockout_window,
			phones_lockout_time, ph_lockout_lock_time(&limits, 0),
			phones_lockout_trust_time,
			ph_lockout_slots(table), ph_lockout_memory(table));
	return 0;
}

void phones_lockout_destroy(void)
{
	if(lock) {
		lock_destroy(lock);
		lock_dealloc(lock);
		lock = NULL;
	}
	ph_lockout_free(table);
	table = NULL;
}

/* The address as text: into buf (IP6 at most). */
static size_t addr_text(char *buf, const ip_addr_t *src)
{
	int n = ip_addr2sbuf((ip_addr_t *)src, buf, IP_ADDR_MAX_STR_SIZE);

	return n < 0 ? 0 : (size_t)n;
}

int phones_lockout_locked(
		const str *user, const ip_addr_t *src, unsigned short port)
{
	char addr[IP_ADDR_MAX_STR_SIZE + 1];
	size_t alen;
	ph_lock_kind_t k;

	if(table == NULL)
		return 0;
	alen = addr_text(addr, src);
	lock_get(lock);
	k = ph_lockout_check(table, user->s, (size_t)user->len, addr, alen, port,
			(uint32_t)time(NULL));
	lock_release(lock);
	return (int)k;
}

static void log_lock(unsigned kind, const str *user, const char *addr,
		size_t alen, unsigned pair_time)
{
	int ulen = user->len > PH_MAX_EXTENSION ? PH_MAX_EXTENSION : user->len;

	phones_stats_lockout();
	if(kind == PH_LOCK_PAIR)
		LM_NOTICE("locked out for %u s after %d failed authentications:"
				  " extension '%.*s' from %.*s\n",
				pair_time, phones_lockout_failures, ulen, user->s,
				(int)alen, addr);
	else if(kind == PH_LOCK_ADDRESS)
		LM_NOTICE("locked out for %d s after failures for %d extensions:"
				  " address %.*s\n",
				phones_lockout_time, phones_lockout_address_extensions,
				(int)alen, addr);
	else
		LM_NOTICE("extension '%.*s' under attack for %d s after %d failed"
				  " authentications: addresses that failed for it are"
				  " refused\n",
				ulen, user->s, phones_lockout_time,
				phones_lockout_extension_failures);
}

/* A failure of ext from addr counted here; returns the locks it set. */
static unsigned count_failure(const char *ext, size_t elen, const char *addr,
		size_t alen, unsigned port, int known)
{
	str user;
	unsigned set, k, pair_time = 0;
	uint32_t now = (uint32_t)time(NULL), until;

	lock_get(lock);
	set = ph_lockout_failure(table, ext, elen, addr, alen, port, known, now);
	if(set & PH_LOCK_PAIR) {
		until = ph_lockout_pair_until(table, ext, elen, addr, alen);
		pair_time = until > now ? until - now : 0;
	}
	lock_release(lock);
	user.s = (char *)ext;
	user.len = (int)elen;
	for(k = PH_LOCK_PAIR; k <= PH_LOCK_EXTENSION; k <<= 1) {
		if(set & k)
			log_lock(k, &user, addr, alen, pair_time);
	}
	return set;
}

/* A success counted here; returns 1 when it forgave the pair failures. */
static int count_success(const char *ext, size_t elen, const char *addr,
		size_t alen, unsigned port)
{
	int forgave;

	lock_get(lock);
	forgave = ph_lockout_success(
			table, ext, elen, addr, alen, port, (uint32_t)time(NULL));
	lock_release(lock);
	return forgave;
}

void phones_lockout_failed(
		const str *user, const ip_addr_t *src, unsigned short port, int known)
{
	char addr[IP_ADDR_MAX_STR_SIZE + 1];
	size_t alen;

	if(table == NULL)
		return;
	alen = addr_text(addr, src);
	count_failure(user->s, (size_t)user->len, addr, alen, port, known);
	/* the other proxies count it too */
	phones_dmq_auth(1, known, user->s, (size_t)user->len, addr, alen);
}

void phones_lockout_succeeded(
		const str *user, const ip_addr_t *src, unsigned short port)
{
	char addr[IP_ADDR_MAX_STR_SIZE + 1];
	size_t alen;

	if(table == NULL)
		return;
	alen = addr_text(addr, src);
	/* told to the others only when there were failures to forgive: not
	 * every registration of every phone */
	if(count_success(user->s, (size_t)user->len, addr, alen, port))
		phones_dmq_auth(0, 0, user->s, (size_t)user->len, addr, alen);
}

void phones_lockout_peer(int failed, int known, const char *ext, size_t elen,
		const char *addr, size_t alen)
{
	if(table == NULL)
		return;
	/* a peer's report has no port: it trusts no port here */
	if(failed)
		count_failure(ext, elen, addr, alen, 0, known);
	else
		count_success(ext, elen, addr, alen, 0);
}

/* phones.locks: what the workers hold is copied out under the lock, and
 * handed to the RPC layer after it. */
typedef struct lock_copy
{
	char kind[10];
	char key[2 * PH_LOCKOUT_MAX_KEY + 2]; /* what phones.unlock takes */
	char ext[PH_LOCKOUT_MAX_KEY + 1];
	char addr[PH_LOCKOUT_MAX_KEY + 1];
	int seconds_left;
	int failures;
} lock_copy_t;

typedef struct page
{
	lock_copy_t *rows;
	size_t n;
	uint32_t now;
} page_t;

static void copy_lock(void *arg, const ph_lock_info_t *li)
{
	page_t *p = arg;
	lock_copy_t *c = &p->rows[p->n++];

	snprintf(c->kind, sizeof(c->kind), "%s", ph_lock_kind_name(li->kind));
	snprintf(c->ext, sizeof(c->ext), "%.*s", (int)li->elen, li->ext);
	snprintf(c->addr, sizeof(c->addr), "%.*s", (int)li->alen, li->addr);
	snprintf(c->key, sizeof(c->key), "%s%s%s", c->ext,
			li->elen && li->alen ? "@" : "", c->addr);
	c->seconds_left = (int)(li->until - p->now);
	c->failures = (int)li->failures;
}

void phones_lockout_rpc_list(rpc_t *rpc, void *ctx)
{
	int from = 0, max = PAGE_DEFAULT;
	size_t next, i;
	page_t page;
	void *th, *arr, *st;

	if(table == NULL) {
		rpc->fault(ctx, 500, "Lockout is off (lockout_failures 0)");
		return;
	}
	if(rpc->scan(ctx, "*dd", &from, &max) < 0)
		return;
	if(from < 0 || (size_t)from > ph_lockout_slots(table) || max <= 0
			|| max > PAGE_MAX) {
		rpc->fault(ctx, 400, "Give the page's start (a 'next' of an earlier"
							 " answer, 0 first) and its size (1 to %d)",
				PAGE_MAX);
		return;
	}
	page.rows = pkg_malloc(sizeof(lock_copy_t) * (size_t)max);
	if(page.rows == NULL) {
		rpc->fault(ctx, 500, "Out of private memory");
		return;
	}
	page.n = 0;
	page.now = (uint32_t)time(NULL);
	lock_get(lock);
	next = ph_lockout_list(
			table, (size_t)from, (size_t)max, page.now, copy_lock, &page);
	lock_release(lock);
	if(rpc->add(ctx, "{", &th) < 0
			|| rpc->struct_add(th, "[", "locks", &arr) < 0)
		goto done;
	for(i = 0; i < page.n; i++) {
		lock_copy_t *c = &page.rows[i];
		if(rpc->struct_add(arr, "{", "lock", &st) < 0)
			goto done;
		rpc->struct_add(st, "ssssdd", "key", c->key, "kind", c->kind,
				"extension", c->ext, "address", c->addr, "seconds_left",
				c->seconds_left, "failures", c->failures);
	}
	rpc->struct_add(th, "dd", "count", (int)page.n, "next",
			next >= ph_lockout_slots(table) ? -1 : (int)next);
done:
	pkg_free(page.rows);
}

static int is_address(const char *s, int len)
{
	char buf[IP_ADDR_MAX_STR_SIZE + 1];
	unsigned char bin[16];

	if(len <= 0 || len > IP_ADDR_MAX_STR_SIZE)
		return 0;
	memcpy(buf, s, (size_t)len);
	buf[len] = '\0';
	return inet_pton(AF_INET, buf, bin) == 1
		   || inet_pton(AF_INET6, buf, bin) == 1;
}

static char *last_at(const str *s)
{
	int i;

	for(i = s->len - 1; i >= 0; i--) {
		if(s->s[i] == '@')
			return s->s + i;
	}
	return NULL;
}

void phones_lockout_rpc_clear(rpc_t *rpc, void *ctx)
{
	str arg, ext = STR_NULL, addr = STR_NULL;
	size_t n;
	char *at;

	if(table == NULL) {
		rpc->fault(ctx, 500, "Lockout is off (lockout_failures 0)");
		return;
	}
	if(rpc->scan(ctx, ".S", &arg) < 1) {
		rpc->fault(ctx, 400, "Give an extension, an address,"
							 " extension@address, or all");
		return;
	}
	/* the prefixes of earlier versions */
	if(arg.len > 4 && strncmp(arg.s, "ext:", 4) == 0) {
		ext.s = arg.s + 4;
		ext.len = arg.len - 4;
	} else if(arg.len > 3 && strncmp(arg.s, "ip:", 3) == 0) {
		addr.s = arg.s + 3;
		addr.len = arg.len - 3;
	} else if(arg.len == 3 && strncmp(arg.s, "all", 3) == 0) {
		/* both empty: everything */
	} else if(is_address(arg.s, arg.len)) {
		addr = arg;
	} else if((at = last_at(&arg)) != NULL
			  && is_address(at + 1, (int)(arg.s + arg.len - at - 1))) {
		ext.s = arg.s;
		ext.len = (int)(at - arg.s);
		addr.s = at + 1;
		addr.len = (int)(arg.s + arg.len - at - 1);
	} else {
		ext = arg;
	}
	lock_get(lock);
	n = ph_lockout_clear(table, ext.s, (size_t)ext.len, addr.s,
			(size_t)addr.len);
	lock_release(lock);
	rpc->add(ctx, "d", (int)n);
}
