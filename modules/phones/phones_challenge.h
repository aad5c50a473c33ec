/*
 * kamailio-phones: digest challenges sent through the auth module, and
 * where each went (core/challenges.c), so that over UDP an answer counts
 * only from the address and port its challenge was sent to.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_CHALLENGE_H
#define PHONES_CHALLENGE_H

#include "core/parser/msg_parser.h"
#include "core/str.h"

extern int phones_challenge_slots; /* 0: challenges are not remembered */
extern int phones_challenge_time;  /* seconds one is remembered */

int phones_challenge_init(void);
void phones_challenge_destroy(void);

/* auth_challenge(realm, flags) of the auth module (401 for REGISTER, 407
 * otherwise), remembering where a challenge over UDP went. Returns what
 * the auth module returns. */
int phones_challenge(sip_msg_t *msg, str *realm, int flags);

/* 0 when msg answers with nonce a challenge that went elsewhere; 1
 * otherwise (the same peer, or a challenge not remembered). */
int phones_challenge_from_ok(sip_msg_t *msg, const str *nonce);

#endif
