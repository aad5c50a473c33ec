/*
 * kamailio-phones: when a freshly loaded table must not replace the live
 * one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "phones/reload_policy.h"

/* Products of a count and a percentage, wide enough never to overflow
 * (a size_t times at most 100). */
#if defined(__SIZEOF_INT128__)
typedef unsigned __int128 wide_t;
#else
typedef unsigned long long wide_t; /* size_t is 32 bits there */
#endif

const char *ph_reload_refusal(
		size_t old_entries, size_t entries, unsigned int max_shrink, int force)
{
	size_t dropped;

	if(force || old_entries == 0)
		return NULL;
	if(entries == 0)
		return "it would empty the phone table";
	if(max_shrink > 100)
		max_shrink = 100;
	dropped = entries < old_entries ? old_entries - entries : 0;
	if((wide_t)dropped * 100 > (wide_t)old_entries * max_shrink)
		return "it would shrink the phone table by more than"
			   " reload_max_shrink percent";
	return NULL;
}
