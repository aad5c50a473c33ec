/*
 * Prints the version and compile-flags strings a module built with the same
 * defines would carry, in the form `kamailio -v` prints the core's. The build
 * compares the two: Kamailio loads a module only when both match exactly
 * (ksr_version_control() in src/core/sr_module.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "core/ver_defs.h"

int main(void)
{
	printf("version: %s\nflags: %s\n", SER_FULL_VERSION, SER_COMPILE_FLAGS);
	return 0;
}
