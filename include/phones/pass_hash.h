/*
 * kamailio-phones: VICIdial's hashed API passwords (system_settings
 * pass_hash_enabled): bcrypt ($2a$) with cost pass_cost and, as salt,
 * the 16 characters of pass_key in bcrypt's base64; vicidial_users.pass_hash
 * holds the 31 characters that follow the 29-character "$2a$NN$<salt>".
 * VICIdial hashes with Perl's Crypt::Eksblowfish (agc/bp.pl), at any cost
 * from 0 to 31; libcrypt's bcrypt (crypt_r) refuses costs below 4, among
 * them VICIdial's default 2: those costs are hashed by our own bcrypt,
 * which the unit tests hold to libcrypt's at costs 4 and up and to
 * Crypt::Eksblowfish's at costs 0 to 3.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_PASS_HASH_H
#define PHONES_PASS_HASH_H

#include <stddef.h>

#define PH_PASS_HASH_LEN 31
/* what VICIdial compares pass_hash with for an empty password: bp.pl's
 * notice with its blanks taken out */
#define PH_PASS_HASH_NO_INPUT "NOPASSWORDINPUT,NOTHINGTODO,EXITING..."
/* the longest pass_hash ph_pass_hash() writes */
#define PH_PASS_HASH_MAX 40

/* bcrypt's base64 of len bytes (no padding) into out; returns its length,
 * or 0 when out (size bytes with the NUL) is too small. */
size_t ph_bcrypt_base64(const unsigned char *in, size_t len, char *out,
		size_t size);

/* "$2a$NN$<salt>" for a cost (bp.pl's: left-padded with 0 to two digits,
 * "" as 00, at most 31) and a pass_key of exactly 16 characters; -1 for
 * another key or cost. */
int ph_pass_hash_setting(const char *cost, const char *key, char *out,
		size_t size);

/* bcrypt's 31 characters for pass ($2a$: its NUL counts, 72 bytes at
 * most) at a cost of 0 to 31 with a 16-byte salt; 0, or -1. */
int ph_bcrypt(const char *pass, unsigned int cost, const unsigned char *salt,
		char *out, size_t size);

/* What VICIdial compares vicidial_users.pass_hash with for pass, into out
 * (at least PH_PASS_HASH_MAX + 1 bytes): 0 with the hash (for an empty
 * pass, PH_PASS_HASH_NO_INPUT); 1 with "" when pass_key is not 16
 * characters or pass_cost not one bp.pl can use (bp.pl dies, and VICIdial
 * compares with an empty hash: a misconfiguration to warn of); -1 when out
 * is too small or libcrypt fails. */
int ph_pass_hash(const char *pass, const char *cost, const char *key,
		char *out, size_t size);

#endif
