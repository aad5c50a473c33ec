/*
 * kamailio-phones: unit tests of VICIdial's hashed passwords
 * (core/pass_hash.c). The expected hashes were made with Python's crypt
 * module (the same libcrypt), the salt in bcrypt's base64 made from the
 * standard base64 of the key by translating its alphabet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/pass_hash.h"

static void test_base64(void **state)
{
	char out[32];

	(void)state;
	/* "ABCDEFGHIJKLMNOP": standard QUJDREVGR0hJSktMTU5PUA, translated */
	assert_int_equal(ph_bcrypt_base64((const unsigned char *)"ABCDEFGHIJKLMNOP",
							 16, out, sizeof(out)),
			22);
	assert_string_equal(out, "OSHBPCTEPyfHQirKRS3NS.");
	assert_int_equal(
			ph_bcrypt_base64((const unsigned char *)"\xff\x00", 2, out, 8), 3);
	assert_string_equal(out, "9u.");
	/* too small a buffer */
	assert_int_equal(ph_bcrypt_base64((const unsigned char *)"ABCDEFGHIJKLMNOP",
							 16, out, 22),
			0);
}

static void test_setting(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(ph_pass_hash_setting("4", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			0);
	assert_string_equal(out, "$2a$04$OSHBPCTEPyfHQirKRS3NS.");
	assert_int_equal(ph_pass_hash_setting("10", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			0);
	assert_string_equal(out, "$2a$10$OSHBPCTEPyfHQirKRS3NS.");
	/* the key must be 16 characters, the cost one or two digits */
	assert_int_equal(ph_pass_hash_setting("4", "short", out, sizeof(out)), -1);
	assert_int_equal(ph_pass_hash_setting("4", "ABCDEFGHIJKLMNOPQ", out,
							 sizeof(out)),
			-1);
	/* bp.pl pads an empty cost to 00, and Crypt::Eksblowfish stops at 31 */
	assert_int_equal(ph_pass_hash_setting("", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			0);
	assert_string_equal(out, "$2a$00$OSHBPCTEPyfHQirKRS3NS.");
	assert_int_equal(ph_pass_hash_setting("2", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			0);
	assert_string_equal(out, "$2a$02$OSHBPCTEPyfHQirKRS3NS.");
	assert_int_equal(ph_pass_hash_setting("32", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			-1);
	assert_int_equal(ph_pass_hash_setting("1x", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			-1);
	assert_int_equal(ph_pass_hash_setting("100", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			-1);
}

static void test_hash(void **state)
{
	char out[PH_PASS_HASH_MAX + 1];

	(void)state;
	assert_int_equal(ph_pass_hash("1234", "04", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			0);
	assert_string_equal(out, "NTYVxIhyjqdQEO3iWTO3nZ1Vh2joJbW");
	assert_int_equal(ph_pass_hash("s3cret", "4", "Zy9-xW_12345abcd", out,
							 sizeof(out)),
			0);
	assert_string_equal(out, "WEG4R2WEIiAnpamCBBIMjUoX44tz8lC");
	assert_int_equal(ph_pass_hash("1234", "10", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			0);
	assert_string_equal(out, "vmmk17INJfg.E0VKjL7eBIVro6wJWKm");
	/* another password, another hash */
	assert_int_equal(ph_pass_hash("1235", "04", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			0);
	assert_string_not_equal(out, "NTYVxIhyjqdQEO3iWTO3nZ1Vh2joJbW");
	/* unusable settings, a small buffer */
	/* a pass_key that is not 16 characters: bp.pl dies, VICIdial's hash
	 * is empty */
	strcpy(out, "x");
	assert_int_equal(ph_pass_hash("1234", "04", "short", out, sizeof(out)),
			1);
	assert_string_equal(out, "");
	assert_int_equal(ph_pass_hash("1234", "x4", "ABCDEFGHIJKLMNOP", out,
							 sizeof(out)),
			1);
	assert_string_equal(out, "");
	/* an empty password: bp.pl's notice, its blanks taken out */
	assert_int_equal(
			ph_pass_hash("", "02", "ABCDEFGHIJKLMNOP", out, sizeof(out)), 0);
	assert_string_equal(out, "NOPASSWORDINPUT,NOTHINGTODO,EXITING...");
	/* a small buffer */
	assert_int_equal(ph_pass_hash("1234", "04", "ABCDEFGHIJKLMNOP", out, 31),
			-1);
}

/* VICIdial's default cost, 2, and the others libcrypt refuses: the hashes
 * of Perl's Crypt::Eksblowfish::Bcrypt, as agc/bp.pl makes them
 * (substr(bcrypt($pass, '$2a$' . $cost . '$' . en_base64($pass_key)), 29,
 * 31)), made with Debian's libcrypt-eksblowfish-perl 0.009. */
static void test_hash_low_cost(void **state)
{
	static const struct
	{
		const char *pass, *cost, *key, *hash;
	} vectors[] = {
			{"1234", "2", "ABCDEFGHIJKLMNOP",
					"jkdWqtG6VyXnALXOuUxNNvCoVsXyAZK"},
			{"s3cret", "02", "Zy9-xW_12345abcd",
					"PlCm9IglQ3Iw3k01NVEzpSni6I87uNG"},
			{"pw1234", "", "abcdefghijklmnop",
					"pI7VKH5BxxLWxjJwKpcph1bRBLxrl6C"},
			{"x", "1", "0123456789abcdef", "/wz9rPXtZ2baJDXRedeU4SJgwVVCp.q"},
			/* 74 characters: bcrypt takes 72 */
			{"a-very_long-password-0123456789-0123456789-0123456789-"
			 "0123456789-012345678",
					"3", "ABCDEFGHIJKLMNOP",
					"i61Ml9Hh6F9uLf49I4MH6kG3MacUHiK"},
	};
	char out[PH_PASS_HASH_MAX + 1];
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		assert_int_equal(ph_pass_hash(vectors[i].pass, vectors[i].cost,
								 vectors[i].key, out, sizeof(out)),
				0);
		assert_string_equal(out, vectors[i].hash);
	}
}

/* Our bcrypt against libcrypt's where libcrypt hashes: costs 4 and 5. */
static void test_own_bcrypt_is_libcrypt(void **state)
{
	static const char *const passes[] = {"1234", "", "s3cret",
			"0123456789012345678901234567890123456789012345678901234567890123456789xy",
			"pass-with_chars"};
	static const char *const keys[] = {"ABCDEFGHIJKLMNOP", "Zy9-xW_12345abcd"};
	char own[PH_PASS_HASH_MAX + 1], lib[PH_PASS_HASH_MAX + 1];
	size_t i, j;
	int cost;

	(void)state;
	for(cost = 4; cost <= 5; cost++) {
		for(i = 0; i < sizeof(passes) / sizeof(passes[0]); i++) {
			for(j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
				char c[16];

				snprintf(c, sizeof(c), "%d", cost);
				assert_int_equal(ph_bcrypt(passes[i], (unsigned int)cost,
										 (const unsigned char *)keys[j], own,
										 sizeof(own)),
						0);
				if(passes[i][0] == '\0')
					continue; /* ph_pass_hash's empty password is bp.pl's */
				assert_int_equal(
						ph_pass_hash(passes[i], c, keys[j], lib, sizeof(lib)),
						0);
				assert_string_equal(own, lib);
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_base64),
			cmocka_unit_test(test_setting),
			cmocka_unit_test(test_hash),
			cmocka_unit_test(test_hash_low_cost),
			cmocka_unit_test(test_own_bcrypt_is_libcrypt),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
