/*
 * kamailio-phones: the lock interface of the host-independent core.
 *
 * The core never makes a lock of its own: the host hands it one, so that
 * the same code serialises Kamailio's processes with a gen_lock_t in
 * shared memory, and a unit test's threads with a pthread mutex. Whatever
 * holds a ph_lock_t copies it; ctx must outlive that copy, and the
 * functions must be callable from every process or thread that uses it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_LOCK_H
#define PHONES_LOCK_H

typedef struct ph_lock
{
	/* Waits until the lock is free and takes it. Never fails. Not
	 * recursive: the core never takes a lock it holds. */
	void (*lock)(void *ctx);
	/* Releases what lock took. */
	void (*unlock)(void *ctx);
	void *ctx;
} ph_lock_t;

#endif
