/*
 * kamailio-phones: the core's error messages.
 *
 * Core functions that can refuse their input take a caller's buffer (err,
 * errsize) for a one-line reason, which the Kamailio layer logs or answers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_ERROR_H
#define PHONES_ERROR_H

#include <stddef.h>

/* Writes the formatted reason into err (when err and errsize are given,
 * cut to fit) and returns -1, so that `return ph_error(...)` refuses. */
int ph_error(char *err, size_t errsize, const char *fmt, ...)
		__attribute__((format(printf, 3, 4)));

#endif
