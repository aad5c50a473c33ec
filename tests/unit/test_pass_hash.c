/*
 * kamailio-phones: unit tests of VICIdial's hashed passwords
 * (core/pass_hash.c). The expected hashes were made with Python's crypt
 * module (the same libcrypt), the salt in bcrypt's base64 made from the
 * standard base64 of the key by translating its alphabet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
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
	assert_int_equal(ph_pass_hash_setting("", "ABCDEFGHIJKLMNOP", out,
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
	char out[PH_PASS_HASH_LEN + 1];

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
	assert_int_equal(ph_pass_hash("1234", "04", "short", out, sizeof(out)),
			-1);
	assert_int_equal(ph_pass_hash("1234", "04", "ABCDEFGHIJKLMNOP", out, 31),
			-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_base64),
			cmocka_unit_test(test_setting),
			cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
