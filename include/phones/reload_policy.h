/*
 * kamailio-phones: when a freshly loaded table must not replace the live
 * one.
 *
 * A reload that would empty the table, or drop more than max_shrink
 * percent of its entries, is more likely a database gone wrong (a
 * truncated table, a wrong server) than a cluster that lost its phones:
 * the live table is kept unless the reload is forced.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_RELOAD_POLICY_H
#define PHONES_RELOAD_POLICY_H

#include <stddef.h>

/* Why a table of entries entries must not replace one of old_entries, or
 * NULL when it may: always with force, and when the old table is empty (a
 * first load, or one that had nothing). Refused: an empty new table, and
 * one that drops more than max_shrink percent of the old entries (exactly
 * max_shrink percent is allowed; max_shrink 100 or more refuses only the
 * empty table). The reason is a constant sentence for the log and the
 * RPC's answer. */
const char *ph_reload_refusal(
		size_t old_entries, size_t entries, unsigned int max_shrink, int force);

#endif
