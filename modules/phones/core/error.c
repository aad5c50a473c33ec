/*
 * kamailio-phones: the core's error messages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>

#include "phones/error.h"

int ph_error(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if(err && errsize) {
		va_start(ap, fmt);
		vsnprintf(err, errsize, fmt, ap);
		va_end(ap);
	}
	return -1;
}
