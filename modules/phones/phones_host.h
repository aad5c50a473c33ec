/*
 * kamailio-phones: Kamailio's side of the core's host interfaces: locks
 * in shared memory and the clock. (The allocator, phones_shm_allocator,
 * is phones_store.h's.)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_HOST_H
#define PHONES_HOST_H

#include "phones/clock.h"
#include "phones/lock.h"

/* Makes *lock a gen_lock_t in shared memory, for mod_init: every process
 * forked after it shares the lock. Returns -1 (logged) when it cannot. */
int phones_lock_new(ph_lock_t *lock);
/* Frees what phones_lock_new made; nothing when it made nothing. */
void phones_lock_free(ph_lock_t *lock);

#endif
