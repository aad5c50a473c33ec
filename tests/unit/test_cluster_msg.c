/*
 * kamailio-phones: unit tests of the peers' messages (cluster_msg.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "unit.h"

#include "phones/cluster_msg.h"

static int parse(const char *s, ph_cmsg_t *m)
{
	char err[64];

	return ph_cmsg_parse(s, strlen(s), m, err, sizeof(err));
}

/* m formatted, then parsed again: the same message. */
static void round_trip(const ph_cmsg_t *m, const char *want)
{
	char line[PH_CMSG_MAX_LINE + 2];
	ph_cmsg_t back;
	int n;

	n = ph_cmsg_format(m, line, sizeof(line));
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(line, want);
	assert_int_equal(ph_cmsg_parse(line, (size_t)n, &back, NULL, 0), 0);
	assert_int_equal(back.kind, m->kind);
	assert_int_equal(back.flag, m->flag);
	assert_string_equal(back.address, m->address);
	assert_int_equal(back.elen, m->elen);
	assert_memory_equal(back.extension, m->extension, m->elen);
}

static void test_change(void **state)
{
	ph_cmsg_t m;

	(void)state;
	assert_int_equal(ph_cmsg_change(&m, "127.0.0.2", "t100", 4), 0);
	round_trip(&m, "phones/1 change 127.0.0.2 t100\n");
	assert_int_equal(parse("phones/1 change ::1 a.b-c_d", &m), 0);
	assert_int_equal(m.kind, PH_CMSG_CHANGE);
	assert_string_equal(m.address, "::1");
	assert_string_equal(m.extension, "a.b-c_d");
}

static void test_reload(void **state)
{
	ph_cmsg_t m;

	(void)state;
	ph_cmsg_reload(&m, 0);
	round_trip(&m, "phones/1 reload\n");
	ph_cmsg_reload(&m, 7);
	round_trip(&m, "phones/1 reload force\n");
	assert_int_equal(parse("phones/1 reload", &m), 0);
	assert_int_equal(m.kind, PH_CMSG_RELOAD);
	assert_int_equal(m.flag, 0);
}

static void test_auth(void **state)
{
	ph_cmsg_t m;

	(void)state;
	assert_int_equal(ph_cmsg_auth(&m, 1, 1, "127.0.0.9", 9, "t100", 4), 0);
	round_trip(&m, "phones/1 fail 1 127.0.0.9 t100\n");
	assert_int_equal(ph_cmsg_auth(&m, 1, 0, "127.0.0.9", 9, "nobody", 6), 0);
	round_trip(&m, "phones/1 fail 0 127.0.0.9 nobody\n");
	/* known means nothing for a success */
	assert_int_equal(ph_cmsg_auth(&m, 0, 1, "2001:db8::1", 11, "t100", 4), 0);
	round_trip(&m, "phones/1 ok 2001:db8::1 t100\n");
}

/* A guesser's user name may hold anything: escaped, and back. */
static void test_escaped_extension(void **state)
{
	static const char odd[] = {'a', ' ', '%', '\n', '\0', '@', (char)0xff};
	ph_cmsg_t m;

	(void)state;
	assert_int_equal(
			ph_cmsg_auth(&m, 1, 0, "127.0.0.9", 9, odd, sizeof(odd)), 0);
	round_trip(&m, "phones/1 fail 0 127.0.0.9 a%20%25%0A%00%40%FF\n");
	/* lower-case hex is taken, an escaped plain character is not */
	assert_int_equal(parse("phones/1 ok 127.0.0.9 a%0a", &m), 0);
	assert_int_equal(m.elen, 2);
	assert_int_equal(parse("phones/1 ok 127.0.0.9 %61", &m), -1);
	assert_int_equal(parse("phones/1 ok 127.0.0.9 a%", &m), -1);
	assert_int_equal(parse("phones/1 ok 127.0.0.9 a%4", &m), -1);
	assert_int_equal(parse("phones/1 ok 127.0.0.9 a%4g", &m), -1);
}

static void test_refused(void **state)
{
	static const char *bad[] = {"", "phones/1", "phones/1 ", "phones/2 reload",
			"phones/1 reload now", "phones/1 reload  force",
			"phones/1 reload force ", "phones/1 reloadforce",
			"phones/1 change 127.0.0.2", "phones/1 change 127.0.0.2 ",
			"phones/1 change  127.0.0.2 t100", "phones/1 change 127.0.0.2 t100 x",
			"phones/1 change 127.0.0.256 t100", "phones/1 change host t100",
			"phones/1 change 127.0.0.2 t 100", "phones/1 fail 2 127.0.0.2 t100",
			"phones/1 fail 127.0.0.2 t100", "phones/1 ok 1 127.0.0.2 t100",
			"phones/1 drop 127.0.0.2 t100", "phones/1 change 127.0.0.2 t100\n\n",
			"phones/1 change 127.0.0.2 t<100>", "PHONES/1 reload"};
	char err[64];
	ph_cmsg_t m;
	size_t i;

	(void)state;
	for(i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&m, 0x5a, sizeof(m));
		err[0] = '\0';
		assert_int_equal(
				ph_cmsg_parse(bad[i], strlen(bad[i]), &m, err, sizeof(err)),
				-1);
		assert_true(err[0] != '\0');
		assert_int_equal(m.kind, 0); /* zeroed */
		assert_int_equal(m.elen, 0);
	}
	/* a NUL byte inside the address */
	assert_int_equal(
			ph_cmsg_parse("phones/1 ok 127.0\0.0.1 x", 24, &m, NULL, 0), -1);
	assert_int_equal(ph_cmsg_parse(NULL, 0, &m, err, sizeof(err)), -1);
}

static void test_limits(void **state)
{
	char ext[PH_CMSG_MAX_EXTENSION + 2];
	char line[PH_CMSG_MAX_LINE + 64];
	ph_cmsg_t m;
	int n;

	(void)state;
	memset(ext, '%', sizeof(ext));
	/* the longest extension, every byte escaped, fits a line */
	assert_int_equal(ph_cmsg_auth(&m, 1, 0, "1111:2222:3333:4444:5555:6666:"
											"7777:8888",
								 39, ext, PH_CMSG_MAX_EXTENSION),
			0);
	n = ph_cmsg_format(&m, line, sizeof(line));
	assert_true(n > 0 && n <= PH_CMSG_MAX_LINE);
	assert_int_equal(ph_cmsg_parse(line, (size_t)n, &m, NULL, 0), 0);
	assert_int_equal(m.elen, PH_CMSG_MAX_EXTENSION);
	/* one byte longer: refused */
	assert_int_equal(ph_cmsg_auth(&m, 1, 0, "127.0.0.1", 9, ext,
							 PH_CMSG_MAX_EXTENSION + 1),
			-1);
	assert_int_equal(ph_cmsg_change(&m, "127.0.0.1", "", 0), -1);
	assert_int_equal(ph_cmsg_change(&m, "not an address", "x", 1), -1);
	assert_int_equal(ph_cmsg_change(&m, NULL, "x", 1), -1);
	/* too small a buffer: -1, an empty string */
	assert_int_equal(ph_cmsg_change(&m, "127.0.0.2", "t100", 4), 0);
	n = ph_cmsg_format(&m, line, sizeof(line));
	assert_int_equal(ph_cmsg_format(&m, line, (size_t)n), -1);
	assert_string_equal(line, "");
	assert_int_equal(ph_cmsg_format(&m, line, (size_t)n + 1), n);
	/* a message that is no kind is not formatted */
	memset(&m, 0, sizeof(m));
	assert_int_equal(ph_cmsg_format(&m, line, sizeof(line)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_change),
			cmocka_unit_test(test_reload),
			cmocka_unit_test(test_auth),
			cmocka_unit_test(test_escaped_extension),
			cmocka_unit_test(test_refused),
			cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
