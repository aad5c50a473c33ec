/*
 * kamailio-phones: VICIdial's hashed API passwords, through libcrypt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <crypt.h>
#include <stdio.h>
#include <string.h>

#include "phones/pass_hash.h"

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

int ph_pass_hash_setting(const char *cost, const char *key, char *out,
		size_t size)
{
	char salt[32];
	size_t i, clen = strlen(cost);
	int n;

	if(strlen(key) != 16 || clen == 0 || clen > 2)
		return -1;
	for(i = 0; i < clen; i++) {
		if(cost[i] < '0' || cost[i] > '9')
			return -1;
	}
	if(ph_bcrypt_base64((const unsigned char *)key, 16, salt, sizeof(salt))
			!= 22)
		return -1;
	n = snprintf(out, size, "$2a$%s%s$%s", clen < 2 ? "0" : "", cost, salt);
	return (n < 0 || (size_t)n >= size) ? -1 : 0;
}

int ph_pass_hash(const char *pass, const char *cost, const char *key,
		char *out, size_t size)
{
	struct crypt_data data;
	char setting[64];
	const char *h;

	if(size < PH_PASS_HASH_LEN + 1
			|| ph_pass_hash_setting(cost, key, setting, sizeof(setting)) < 0)
		return -1;
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
