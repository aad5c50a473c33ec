/*
 * kamailio-phones: Kamailio's side of the core's host interfaces: locks
 * in shared memory and the clock.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <time.h>
#include <unistd.h>

#include "core/dprint.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"

#include "phones_host.h"

static void gen_lock_take(void *ctx)
{
	lock_get((gen_lock_t *)ctx);
}

static void gen_lock_let_go(void *ctx)
{
	lock_release((gen_lock_t *)ctx);
}

int phones_lock_new(ph_lock_t *lock)
{
	gen_lock_t *l = lock_alloc();

	lock->lock = gen_lock_take;
	lock->unlock = gen_lock_let_go;
	lock->ctx = NULL;
	if(l == NULL) {
		SHM_MEM_ERROR;
		return -1;
	}
	if(lock_init(l) == NULL) {
		LM_ERR("cannot initialise a lock\n");
		lock_dealloc(l);
		return -1;
	}
	lock->ctx = l;
	return 0;
}

void phones_lock_free(ph_lock_t *lock)
{
	if(lock->ctx == NULL)
		return;
	lock_destroy((gen_lock_t *)lock->ctx);
	lock_dealloc(lock->ctx);
	lock->ctx = NULL;
}

static time_t clock_now(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

static uint64_t clock_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void clock_pause(void *ctx)
{
	(void)ctx;
	usleep(1000);
}

const ph_clock_t phones_clock = {clock_now, clock_ms, clock_pause, NULL};
