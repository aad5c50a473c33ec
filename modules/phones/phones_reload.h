/*
 * kamailio-phones: replacing the live snapshot with a fresh one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_RELOAD_H
#define PHONES_RELOAD_H

#include <stddef.h>
#include <time.h>

#include "phones/reload_run.h"

/* Parameters. */
extern int phones_reload_interval;	 /* seconds; 0: no automatic reload */
extern int phones_reload_max_shrink; /* percent of entries a reload may drop */

/* The core's reload report (phones/reload_run.h), by the module's names. */
typedef ph_reload_outcome_t phones_reload_outcome_t;
#define PHONES_RELOAD_DONE PH_RELOAD_DONE
#define PHONES_RELOAD_BUSY PH_RELOAD_BUSY		/* another reload is running */
#define PHONES_RELOAD_FAILED PH_RELOAD_FAILED	/* the database, or memory */
#define PHONES_RELOAD_REFUSED PH_RELOAD_REFUSED /* empties or shrinks it */

typedef ph_reload_report_t phones_reload_report_t;

/* Told each reload's outcome (the statistics): set in mod_init, so that
 * reloading depends on nothing that counts it. */
typedef void (*phones_reload_observer_t)(phones_reload_outcome_t outcome);
void phones_reload_observe(phones_reload_observer_t fn);

/* Shared state; for mod_init, before the first load. */
int phones_reload_init(void);
void phones_reload_destroy(void);

/* The first load, from mod_init: the module fails without it. */
int phones_reload_startup(void);

/* Builds a complete new snapshot off the SIP path and swaps it in, unless
 * another reload is running, the database cannot be read (the old snapshot
 * stays), or, without force, the new table would be empty or smaller than
 * the old by more than reload_max_shrink percent. Counted in statistics. */
void phones_reload(int force, phones_reload_report_t *report);

/* Waits until no reload runs, then keeps others out until unhold: for a
 * change made through the API (database, then table) that a reload must
 * not overtake. Not for SIP workers. */
void phones_reload_hold(void);
void phones_reload_unhold(void);

/* phones_reload() for a caller that holds the reload. */
void phones_reload_held(int force, phones_reload_report_t *report);

/* When the last snapshot was published, and how long loading it took. */
time_t phones_reload_last(void);
unsigned int phones_reload_last_ms(void);

/* The reload timer process's work: reload when the database changed. */
void phones_reload_timer(unsigned int ticks, void *param);

#endif
