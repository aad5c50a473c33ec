/*
 * kamailio-phones benchmarks: SIPp's clock made precise, by LD_PRELOAD.
 *
 * Debian's SIPp 3.6.1 reads its clock with CLOCK_MONOTONIC_COARSE, which
 * advances once per kernel tick (4 ms here): every response time that
 * -trace_rtt writes is then a multiple of 4 ms, most of them 0. This
 * library hands SIPp the precise clocks instead, so that -trace_rtt has
 * microseconds. It changes nothing else; SIPp's pacing only gets finer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <time.h>

int clock_gettime(clockid_t id, struct timespec *ts)
{
	static int (*real)(clockid_t, struct timespec *);

	if(real == NULL)
		real = (int (*)(clockid_t, struct timespec *))dlsym(
				RTLD_NEXT, "clock_gettime");
	if(id == CLOCK_MONOTONIC_COARSE)
		id = CLOCK_MONOTONIC;
	else if(id == CLOCK_REALTIME_COARSE)
		id = CLOCK_REALTIME;
	return real(id, ts);
}
