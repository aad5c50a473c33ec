/*
 * kamailio-phones: password guessing locked out, per extension and per
 * source address.
 *
 * The table (core/lockout.c) is fixed in size and lives in shared memory;
 * a set of locks, one per group of buckets, lets workers use different
 * buckets at once. Keys are "ext:<extension>" and "ip:<address>".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/dprint.h"
#include "core/locking.h"
#include "core/rand/kam_rand.h"

#include "phones/lockout.h"
#include "phones_lockout.h"
#include "phones_stats.h"
#include "phones_store.h"

#define LOCKS 64

int phones_lockout_failures = 10;
int phones_lockout_window = 60;
int phones_lockout_time = 300;
int phones_lockout_slots = 16384;

static ph_lockout_t *table = NULL;
static gen_lock_set_t *locks = NULL;

int phones_lockout_init(void)
{
	ph_lockout_limits_t limits;

	if(phones_lockout_failures <= 0)
		return 0;
	if(phones_lockout_window <= 0 || phones_lockout_time <= 0
			|| phones_lockout_slots <= 0) {
		LM_ERR("lockout_window, lockout_time and lockout_slots must be"
			   " positive\n");
		return -1;
	}
	limits.failures = (unsigned)phones_lockout_failures;
	limits.window = (unsigned)phones_lockout_window;
	limits.lock = (unsigned)phones_lockout_time;
	limits.seed = (uint32_t)kam_rand() ^ ((uint32_t)kam_rand() << 16);
	table = ph_lockout_new(
			&phones_shm_allocator, (size_t)phones_lockout_slots, &limits);
	locks = lock_set_alloc(LOCKS);
	if(table == NULL || locks == NULL || lock_set_init(locks) == NULL) {
		LM_ERR("out of shared memory for the lockout table\n");
		return -1;
	}
	LM_INFO("lockout: %d failures in %d s lock for %d s; %zu bytes\n",
			phones_lockout_failures, phones_lockout_window,
			phones_lockout_time, ph_lockout_memory(table));
	return 0;
}

void phones_lockout_destroy(void)
{
	if(locks) {
		lock_set_destroy(locks);
		lock_set_dealloc(locks);
		locks = NULL;
	}
	ph_lockout_free(table);
	table = NULL;
}

static size_t make_key(char *out, size_t size, const char *prefix,
		const char *s, size_t len)
{
	int n = snprintf(out, size, "%s%.*s", prefix, (int)len, s);
	return n < 0 ? 0 : ((size_t)n >= size ? size - 1 : (size_t)n);
}

static size_t ip_key(char *out, size_t size, const ip_addr_t *src)
{
	const char *a = ip_addr2a((ip_addr_t *)src);
	return make_key(out, size, "ip:", a, strlen(a));
}

static int locked(const char *key, size_t len, uint32_t now)
{
	size_t b = ph_lockout_bucket(table, key, len);
	int r;

	lock_set_get(locks, (int)(b % LOCKS));
	r = ph_lockout_locked(table, key, len, now);
	lock_set_release(locks, (int)(b % LOCKS));
	return r;
}

static void fail(const char *key, size_t len, uint32_t now)
{
	size_t b = ph_lockout_bucket(table, key, len);
	int r;

	lock_set_get(locks, (int)(b % LOCKS));
	r = ph_lockout_fail(table, key, len, now);
	lock_set_release(locks, (int)(b % LOCKS));
	if(r) {
		phones_stats_lockout();
		LM_NOTICE("locked out for %d s after %d failed authentications: %.*s\n",
				phones_lockout_time, phones_lockout_failures, (int)len, key);
	}
}

int phones_lockout_locked(const str *user, const ip_addr_t *src)
{
	char key[PH_LOCKOUT_MAX_KEY + 1];
	uint32_t now = (uint32_t)time(NULL);
	size_t n;

	if(table == NULL)
		return 0;
	n = make_key(key, sizeof(key), "ext:", user->s, (size_t)user->len);
	if(locked(key, n, now))
		return 1;
	n = ip_key(key, sizeof(key), src);
	return locked(key, n, now);
}

void phones_lockout_failed(const str *user, const ip_addr_t *src)
{
	char key[PH_LOCKOUT_MAX_KEY + 1];
	uint32_t now = (uint32_t)time(NULL);
	size_t n;

	if(table == NULL)
		return;
	n = make_key(key, sizeof(key), "ext:", user->s, (size_t)user->len);
	fail(key, n, now);
	n = ip_key(key, sizeof(key), src);
	fail(key, n, now);
}

void phones_lockout_succeeded(const str *user)
{
	char key[PH_LOCKOUT_MAX_KEY + 1];
	size_t n, b;

	if(table == NULL)
		return;
	n = make_key(key, sizeof(key), "ext:", user->s, (size_t)user->len);
	b = ph_lockout_bucket(table, key, n);
	lock_set_get(locks, (int)(b % LOCKS));
	ph_lockout_forget(table, key, n);
	lock_set_release(locks, (int)(b % LOCKS));
}

typedef struct list_ctx
{
	rpc_t *rpc;
	void *arr;
	uint32_t now;
	int count;
} list_ctx_t;

static void add_locked(void *arg, const char *key, uint32_t until,
		unsigned failures)
{
	list_ctx_t *lc = arg;
	void *st;

	if(lc->rpc->struct_add(lc->arr, "{", "lock", &st) < 0)
		return;
	lc->rpc->struct_add(st, "sdd", "key", key, "seconds_left",
			(int)(until - lc->now), "failures", (int)failures);
	lc->count++;
}

void phones_lockout_rpc_list(rpc_t *rpc, void *ctx)
{
	list_ctx_t lc;
	void *th;
	size_t b;

	if(table == NULL) {
		rpc->fault(ctx, 500, "Lockout is off (lockout_failures 0)");
		return;
	}
	if(rpc->add(ctx, "{", &th) < 0 || rpc->struct_add(th, "[", "locks", &lc.arr) < 0)
		return;
	lc.rpc = rpc;
	lc.now = (uint32_t)time(NULL);
	lc.count = 0;
	for(b = 0; b < ph_lockout_buckets(table); b++) {
		lock_set_get(locks, (int)(b % LOCKS));
		ph_lockout_each_locked(table, b, lc.now, add_locked, &lc);
		lock_set_release(locks, (int)(b % LOCKS));
	}
	rpc->struct_add(th, "d", "count", lc.count);
}

static int forget(const char *key, size_t len)
{
	size_t b = ph_lockout_bucket(table, key, len);
	int r;

	lock_set_get(locks, (int)(b % LOCKS));
	r = ph_lockout_forget(table, key, len);
	lock_set_release(locks, (int)(b % LOCKS));
	return r;
}

void phones_lockout_rpc_clear(rpc_t *rpc, void *ctx)
{
	char key[PH_LOCKOUT_MAX_KEY + 1];
	size_t b, n = 0, len;
	str arg;

	if(table == NULL) {
		rpc->fault(ctx, 500, "Lockout is off (lockout_failures 0)");
		return;
	}
	if(rpc->scan(ctx, ".S", &arg) < 1) {
		rpc->fault(ctx, 400, "Give a key (ext:..., ip:..., an extension or"
							 " an address) or all");
		return;
	}
	if(arg.len == 3 && strncmp(arg.s, "all", 3) == 0) {
		for(b = 0; b < ph_lockout_buckets(table); b++) {
			lock_set_get(locks, (int)(b % LOCKS));
			n += ph_lockout_clear_bucket(table, b);
			lock_set_release(locks, (int)(b % LOCKS));
		}
	} else if((arg.len > 4 && strncmp(arg.s, "ext:", 4) == 0)
			  || (arg.len > 3 && strncmp(arg.s, "ip:", 3) == 0)) {
		n = forget(arg.s, (size_t)arg.len);
	} else {
		len = make_key(key, sizeof(key), "ext:", arg.s, (size_t)arg.len);
		n = forget(key, len);
		len = make_key(key, sizeof(key), "ip:", arg.s, (size_t)arg.len);
		n += forget(key, len);
	}
	rpc->add(ctx, "d", (int)n);
}
