/*
 * kamailio-phones: one reload at a time, and when the last one published.
 *
 * A reload (or a change made through the API, database first and table
 * second, that a reload must not overtake) runs inside the guard. A
 * reload that finds the guard taken is turned away (ph_reload_try_begin),
 * never run alongside; a change waits for it (ph_reload_hold). The flag
 * lives under the host's lock, with the time the current snapshot was
 * published and how long loading it took.
 *
 * The guard is allocated with the host's allocator (shared memory in the
 * proxy); every call but ph_reload_guard_new and _free may come from any
 * process or thread.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_RELOAD_GUARD_H
#define PHONES_RELOAD_GUARD_H

#include <time.h>

#include "phones/allocator.h"
#include "phones/clock.h"
#include "phones/lock.h"

typedef struct ph_reload_guard ph_reload_guard_t;

/* A free guard, nothing published yet, or NULL when out of memory. lock
 * and clock are copied. */
ph_reload_guard_t *ph_reload_guard_new(const ph_allocator_t *allocator,
		const ph_lock_t *lock, const ph_clock_t *clock);
void ph_reload_guard_free(ph_reload_guard_t *g);

/* Takes the guard if it is free: 1, the caller runs and ends with
 * ph_reload_end(); 0 when it is taken (another reload is running). */
int ph_reload_try_begin(ph_reload_guard_t *g);

/* Waits until the guard is free (pausing with the clock between looks),
 * then takes it. Not for SIP workers: it may wait as long as a reload. */
void ph_reload_hold(ph_reload_guard_t *g);

/* Lets the guard go, after ph_reload_try_begin() or ph_reload_hold(). */
void ph_reload_end(ph_reload_guard_t *g);

/* Records that a snapshot was published now, after ms of loading. */
void ph_reload_published(ph_reload_guard_t *g, unsigned int ms);

/* When the current snapshot was published (0: never), and how long loading
 * it took. */
time_t ph_reload_last(ph_reload_guard_t *g);
unsigned int ph_reload_last_ms(ph_reload_guard_t *g);

#endif
