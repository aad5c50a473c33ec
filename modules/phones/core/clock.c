/*
 * kamailio-phones: the C library's clock, for the host and for tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <time.h>

#include "phones/clock.h"

static time_t libc_now(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

static uint64_t libc_ms(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void libc_pause(void *ctx)
{
	const struct timespec ms = {0, 1000000};

	(void)ctx;
	nanosleep(&ms, NULL);
}

const ph_clock_t ph_clock_libc = {libc_now, libc_ms, libc_pause, NULL};
