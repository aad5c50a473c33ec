/*
 * kamailio-phones: VICIdial's hashed API passwords (system_settings
 * pass_hash_enabled): bcrypt ($2a$) with cost pass_cost and, as salt,
 * the 16 characters of pass_key in bcrypt's base64; vicidial_users.pass_hash
 * holds the 31 characters that follow the 29-character "$2a$NN$<salt>".
 * The hashing is libcrypt's (crypt_r), never our own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PASS_HASH_H
#define PHONES_PASS_HASH_H

#include <stddef.h>

#define PH_PASS_HASH_LEN 31

/* bcrypt's base64 of len bytes (no padding) into out; returns its length,
 * or 0 when out (size bytes with the NUL) is too small. */
size_t ph_bcrypt_base64(const unsigned char *in, size_t len, char *out,
		size_t size);

/* "$2a$NN$<salt>" for a cost (digits, left-padded to two) and a pass_key
 * of exactly 16 characters; -1 for another key or cost. */
int ph_pass_hash_setting(const char *cost, const char *key, char *out,
		size_t size);

/* The pass_hash VICIdial stores for pass: 0 and out (at least 32 bytes);
 * -1 when the settings are not usable or libcrypt refuses. */
int ph_pass_hash(const char *pass, const char *cost, const char *key,
		char *out, size_t size);

#endif
