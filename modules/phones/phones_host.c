/*
 * kamailio-phones: Kamailio's side of the core's lock interface: locks in
 * shared memory (the clock is the core's ph_clock_libc).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
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

