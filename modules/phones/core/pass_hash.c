/*
 * kamailio-phones: VICIdial's hashed API passwords: libcrypt's bcrypt for
 * costs 4 to 31, our own below 4 (libcrypt refuses them, VICIdial's
 * default pass_cost is 2).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <crypt.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "phones/pass_hash.h"
#include "blowfish_pi.h"

static const char b64[] =
		"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

size_t ph_bcrypt_base64(const unsigned char *in, size_t len, char *out,
		size_t size)
{
	size_t i, n = 0, need = (len * 8 + 5) / 6;
	unsigned int acc = 0;
	int bits = 0;

	if(need + 1 > size)
		return 0;
	for(i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while(bits >= 6) {
			bits -= 6;
			out[n++] = b64[(acc >> bits) & 63];
		}
	}
	if(bits > 0)
		out[n++] = b64[(acc << (6 - bits)) & 63];
	out[n] = '\0';
	return n;
}

/* ---- bcrypt (Provos and Mazieres, 1999): Eksblowfish ---- */

typedef struct bf
{
	uint32_t p[18];
	uint32_t s[4][256];
} bf_t;

static uint32_t bf_f(const bf_t *c, uint32_t x)
{
	return ((c->s[0][x >> 24] + c->s[1][(x >> 16) & 0xff])
				   ^ c->s[2][(x >> 8) & 0xff])
		   + c->s[3][x & 0xff];
}

static void bf_encipher(const bf_t *c, uint32_t *xl, uint32_t *xr)
{
	uint32_t l = *xl, r = *xr;
	int i;

	for(i = 0; i < 16; i += 2) {
		l ^= c->p[i];
		r ^= bf_f(c, l);
		r ^= c->p[i + 1];
		l ^= bf_f(c, r);
	}
	l ^= c->p[16];
	r ^= c->p[17];
	*xl = r;
	*xr = l;
}

/* The next 32 bits of data, taken cyclically (Blowfish's key schedule). */
static uint32_t bf_word(const unsigned char *data, size_t len, size_t *j)
{
	uint32_t w = 0;
	int i;

	for(i = 0; i < 4; i++) {
		w = (w << 8) | data[*j];
		*j = (*j + 1) % len;
	}
	return w;
}

/* Blowfish's key schedule, with the salt mixed in (salt NULL: none). */
static void bf_expand(bf_t *c, const unsigned char *salt,
		const unsigned char *key, size_t klen)
{
	uint32_t l = 0, r = 0, *all = &c->p[0];
	size_t i, j = 0, sj = 0;

	for(i = 0; i < 18; i++)
		c->p[i] ^= bf_word(key, klen, &j);
	/* p and s as one array of 18 + 1024 words, filled in pairs */
	for(i = 0; i < 18 + 4 * 256; i += 2) {
		if(salt) {
			l ^= bf_word(salt, 16, &sj);
			r ^= bf_word(salt, 16, &sj);
		}
		bf_encipher(c, &l, &r);
		if(i < 18) {
			all[i] = l;
			all[i + 1] = r;
		} else {
			c->s[(i - 18) / 256][(i - 18) % 256] = l;
			c->s[(i - 18) / 256][(i - 18) % 256 + 1] = r;
		}
	}
}

int ph_bcrypt(const char *pass, unsigned int cost, const unsigned char *salt,
		char *out, size_t size)
{
	static const char magic[] = "OrpheanBeholderScryDoubt";
	unsigned char key[72], raw[24];
	uint32_t text[6];
	size_t klen = strlen(pass) + 1, i;
	unsigned long rounds, k;
	bf_t c;
	int n;

	if(cost > 31 || size < PH_PASS_HASH_LEN + 1)
		return -1;
	/* $2a$: the password with its NUL, at most 72 bytes */
	if(klen > sizeof(key))
		klen = sizeof(key);
	memcpy(key, pass, klen); /* the NUL too, when it fits */
	memcpy(c.p, blowfish_pi_p, sizeof(c.p));
	memcpy(c.s, blowfish_pi_s, sizeof(c.s));
	bf_expand(&c, salt, key, klen);
	rounds = 1UL << cost;
	for(k = 0; k < rounds; k++) {
		bf_expand(&c, NULL, key, klen);
		bf_expand(&c, NULL, salt, 16);
	}
	for(i = 0; i < 6; i++)
		text[i] = ((uint32_t)(unsigned char)magic[4 * i] << 24)
				  | ((uint32_t)(unsigned char)magic[4 * i + 1] << 16)
				  | ((uint32_t)(unsigned char)magic[4 * i + 2] << 8)
				  | (uint32_t)(unsigned char)magic[4 * i + 3];
	for(k = 0; k < 64; k++) {
		for(i = 0; i < 6; i += 2)
			bf_encipher(&c, &text[i], &text[i + 1]);
	}
	for(i = 0; i < 6; i++) {
		raw[4 * i] = (unsigned char)(text[i] >> 24);
		raw[4 * i + 1] = (unsigned char)(text[i] >> 16);
		raw[4 * i + 2] = (unsigned char)(text[i] >> 8);
		raw[4 * i + 3] = (unsigned char)text[i];
	}
	/* 23 of the 24 bytes, as every bcrypt */
	n = ph_bcrypt_base64(raw, 23, out, size) == PH_PASS_HASH_LEN ? 0 : -1;
	memset(key, 0, sizeof(key));
	memset(&c, 0, sizeof(c));
	memset(raw, 0, sizeof(raw));
	return n;
}

/* The cost bp.pl puts in its setting: pass_cost left-padded with 0 to
 * two characters; 0 to 31, or -1 where Crypt::Eksblowfish refuses it. */
static int setting_cost(const char *cost)
{
	char two[3] = "00";
	size_t clen = strlen(cost);
	int v;

	if(clen > 2)
		return -1;
	memcpy(two + 2 - clen, cost, clen);
	if(two[0] < '0' || two[0] > '9' || two[1] < '0' || two[1] > '9')
		return -1;
	v = (two[0] - '0') * 10 + (two[1] - '0');
	return v > 31 ? -1 : v;
}

int ph_pass_hash_setting(const char *cost, const char *key, char *out,
		size_t size)
{
	char salt[32];
	int c = setting_cost(cost), n;

	if(strlen(key) != 16 || c < 0)
		return -1;
	if(ph_bcrypt_base64((const unsigned char *)key, 16, salt, sizeof(salt))
			!= 22)
		return -1;
	n = snprintf(out, size, "$2a$%02d$%s", c, salt);
	return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int ph_pass_hash(const char *pass, const char *cost, const char *key,
		char *out, size_t size)
{
	struct crypt_data data;
	char setting[64];
	const char *h;
	int c;

	if(size < PH_PASS_HASH_MAX + 1)
		return -1;
	if(pass[0] == '\0') {
		/* bp.pl prints a notice instead of a hash, and VICIdial compares
		 * pass_hash with it, its blanks taken out */
		snprintf(out, size, "%s", PH_PASS_HASH_NO_INPUT);
		return 0;
	}
	if(ph_pass_hash_setting(cost, key, setting, sizeof(setting)) < 0) {
		/* bp.pl dies: VICIdial's hash is empty */
		out[0] = '\0';
		return 1;
	}
	c = setting_cost(cost);
	if(c < 4)
		return ph_bcrypt(pass, (unsigned int)c, (const unsigned char *)key,
				out, size);
	memset(&data, 0, sizeof(data));
	h = crypt_r(pass, setting, &data);
	if(h == NULL || h[0] == '*' || strlen(h) != 29 + PH_PASS_HASH_LEN) {
		memset(&data, 0, sizeof(data));
		return -1;
	}
	memcpy(out, h + 29, PH_PASS_HASH_LEN);
	out[PH_PASS_HASH_LEN] = '\0';
	memset(&data, 0, sizeof(data));
	return 0;
}
