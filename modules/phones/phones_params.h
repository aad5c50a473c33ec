/*
 * kamailio-phones: every module parameter checked in one place, before
 * anything is set up with them (core/param_check.c decides).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PARAMS_H
#define PHONES_PARAMS_H

/* 0 when every parameter is good; else -1, having logged which one is not
 * and what it may be. For mod_init, first. */
int phones_params_check(void);

#endif
