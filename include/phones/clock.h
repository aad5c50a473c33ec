/*
 * kamailio-phones: the clock interface of the host-independent core.
 *
 * What time it is, how much has passed, and how to let time pass while
 * waiting for another process: the host's (time(), a monotonic clock,
 * usleep) in the proxy, a test's own in unit tests and fuzzers, so that
 * they decide what "later" means.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CLOCK_H
#define PHONES_CLOCK_H

#include <stdint.h>
#include <time.h>

typedef struct ph_clock
{
	/* The wall clock, in seconds since the epoch (for display). */
	time_t (*now)(void *ctx);
	/* Milliseconds from an arbitrary start that never goes back (for
	 * durations). */
	uint64_t (*ms)(void *ctx);
	/* Lets a little time pass (a millisecond or so) before a waiter looks
	 * again; called with no lock held. */
	void (*pause)(void *ctx);
	void *ctx;
} ph_clock_t;

/* time(), CLOCK_MONOTONIC and a 1 ms nanosleep(): what the proxy's
 * processes and the tests' threads use. */
extern const ph_clock_t ph_clock_libc;

#endif
