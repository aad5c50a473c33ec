/*
 * kamailio-phones: unit tests of the challenges table
 * (core/challenges.c): a challenge's answer counts only from where the
 * challenge went.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/challenges.h"

static ph_challenges_t *new_table(unit_alloc_t *a, size_t slots)
{
	ph_challenges_t *c;

	unit_alloc_init(a, -1);
	c = ph_challenges_new(&a->allocator, slots, 4242);
	assert_non_null(c);
	return c;
}

static int sent(ph_challenges_t *c, const char *nonce, const char *peer,
		uint32_t now)
{
	return ph_challenges_sent(
			c, nonce, strlen(nonce), peer, strlen(peer), now, now + 300);
}

static ph_challenge_from_t answered(ph_challenges_t *c, const char *nonce,
		const char *peer, uint32_t now)
{
	return ph_challenges_answered(
			c, nonce, strlen(nonce), peer, strlen(peer), now);
}

/* The phone's answer from its own port counts; the same answer from a
 * neighbour's port at the same address does not. */
static void test_answer_from_elsewhere(void **state)
{
	unit_alloc_t a;
	ph_challenges_t *c = new_table(&a, 64);

	(void)state;
	assert_int_equal(sent(c, "Zy1nb25jZQ", "127.0.0.20:5062/udp", 10), 0);
	assert_int_equal(answered(c, "Zy1nb25jZQ", "127.0.0.20:5062/udp", 10),
			PH_CHALLENGE_SAME);
	assert_int_equal(answered(c, "Zy1nb25jZQ", "127.0.0.20:5064/udp", 10),
			PH_CHALLENGE_ELSEWHERE);
	assert_int_equal(answered(c, "Zy1nb25jZQ", "127.0.0.21:5062/udp", 10),
			PH_CHALLENGE_ELSEWHERE);
	/* a peer that is a prefix of the right one is another */
	assert_int_equal(answered(c, "Zy1nb25jZQ", "127.0.0.20:506", 10),
			PH_CHALLENGE_ELSEWHERE);
	/* a nonce never sent from here: the auth module decides */
	assert_int_equal(answered(c, "b3RoZXI", "127.0.0.20:5064/udp", 10),
			PH_CHALLENGE_UNKNOWN);
	assert_int_equal(answered(c, "", "127.0.0.20:5064/udp", 10),
			PH_CHALLENGE_UNKNOWN);
	assert_int_equal(ph_challenges_count(c, 10), 1);
	ph_challenges_free(c);
	assert_int_equal(a.live, 0);
}

/* A challenge is remembered until it expires; the same nonce sent again
 * is where it went last. */
static void test_expiry_and_resend(void **state)
{
	unit_alloc_t a;
	ph_challenges_t *c = new_table(&a, 64);

	(void)state;
	assert_int_equal(sent(c, "n1", "127.0.0.20:5062/udp", 100), 0);
	assert_int_equal(
			answered(c, "n1", "127.0.0.20:5064/udp", 399), PH_CHALLENGE_ELSEWHERE);
	assert_int_equal(
			answered(c, "n1", "127.0.0.20:5064/udp", 400), PH_CHALLENGE_UNKNOWN);
	assert_int_equal(ph_challenges_count(c, 400), 0);
	/* sent again to the same peer: still that peer's */
	assert_int_equal(sent(c, "n2", "127.0.0.20:5062/udp", 500), 0);
	assert_int_equal(sent(c, "n2", "127.0.0.20:5062/udp", 501), 0);
	assert_int_equal(
			answered(c, "n2", "127.0.0.20:5064/udp", 502), PH_CHALLENGE_ELSEWHERE);
	/* one nonce for two peers (the auth module without one-time nonces):
	 * it binds neither, until it runs out */
	assert_int_equal(sent(c, "n2", "127.0.0.21:5062/udp", 600), 0);
	assert_int_equal(
			answered(c, "n2", "127.0.0.20:5062/udp", 601), PH_CHALLENGE_UNKNOWN);
	assert_int_equal(
			answered(c, "n2", "127.0.0.21:5062/udp", 601), PH_CHALLENGE_UNKNOWN);
	assert_int_equal(
			answered(c, "n2", "127.0.0.22:5062/udp", 899), PH_CHALLENGE_UNKNOWN);
	assert_int_equal(ph_challenges_count(c, 899), 1);
	/* once run out, the nonce is anyone's to be sent to again */
	assert_int_equal(sent(c, "n2", "127.0.0.21:5062/udp", 900), 0);
	assert_int_equal(
			answered(c, "n2", "127.0.0.20:5062/udp", 901), PH_CHALLENGE_ELSEWHERE);
	ph_challenges_free(c);
}

/* What cannot be kept is refused, and changes nothing. */
static void test_bad_input(void **state)
{
	unit_alloc_t a;
	ph_challenges_t *c = new_table(&a, 8);
	char longpeer[PH_CHALLENGE_MAX_PEER + 2];

	(void)state;
	memset(longpeer, 'x', sizeof(longpeer) - 1);
	longpeer[sizeof(longpeer) - 1] = '\0';
	assert_int_equal(sent(c, "", "127.0.0.20:5062/udp", 1), -1);
	assert_int_equal(sent(c, "n", "", 1), -1);
	assert_int_equal(sent(c, "n", longpeer, 1), -1);
	assert_int_equal(ph_challenges_sent(c, "n", 1, "p", 1, 10, 10), -1);
	assert_int_equal(ph_challenges_count(c, 1), 0);
	ph_challenges_free(c);
}

/* A full table pushes out the challenge that runs out first, never grows,
 * and the newest challenges stay. */
static void test_full_table(void **state)
{
	unit_alloc_t a;
	ph_challenges_t *c = new_table(&a, 8); /* one bucket */
	size_t bytes = a.live_bytes;
	char nonce[32];
	int i;

	(void)state;
	assert_int_equal(ph_challenges_slots(c), 8);
	for(i = 0; i < 100; i++) {
		snprintf(nonce, sizeof(nonce), "nonce-%d", i);
		assert_int_equal(sent(c, nonce, "127.0.0.20:5062/udp", 10 + i), 0);
	}
	assert_int_equal(a.live_bytes, bytes);
	assert_int_equal(a.calls, 1);
	assert_int_equal(ph_challenges_count(c, 110), 8);
	for(i = 92; i < 100; i++) {
		snprintf(nonce, sizeof(nonce), "nonce-%d", i);
		assert_int_equal(answered(c, nonce, "127.0.0.20:5064/udp", 110),
				PH_CHALLENGE_ELSEWHERE);
	}
	for(i = 0; i < 92; i++) {
		snprintf(nonce, sizeof(nonce), "nonce-%d", i);
		assert_int_equal(answered(c, nonce, "127.0.0.20:5064/udp", 110),
				PH_CHALLENGE_UNKNOWN);
	}
	ph_challenges_free(c);
}

/* Many buckets: rounding, memory, and no memory at all. */
static void test_sizes(void **state)
{
	unit_alloc_t a;
	ph_challenges_t *c = new_table(&a, 65536);
	char nonce[32];
	int i, kept = 0;

	(void)state;
	assert_int_equal(ph_challenges_slots(c), 65536);
	assert_true(ph_challenges_memory(c) >= 65536 * 32);
	for(i = 0; i < 20000; i++) {
		snprintf(nonce, sizeof(nonce), "%08x", (unsigned)i * 2654435761u);
		sent(c, nonce, "127.0.0.20:5062/udp", 1);
	}
	for(i = 0; i < 20000; i++) {
		snprintf(nonce, sizeof(nonce), "%08x", (unsigned)i * 2654435761u);
		kept += answered(c, nonce, "127.0.0.20:5062/udp", 2)
				== PH_CHALLENGE_SAME;
	}
	/* 20,000 in 65,536 slots: a bucket of 8 overflows only by chance
	 * (about 1 in 1,000 of 8,192 buckets hold more than 8) */
	assert_true(kept >= 19900);
	assert_true(kept < 20000 || ph_challenges_count(c, 2) == 20000);
	ph_challenges_free(c);
	unit_alloc_init(&a, 0);
	assert_null(ph_challenges_new(&a.allocator, 64, 1));
	assert_int_equal(a.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_answer_from_elsewhere),
			cmocka_unit_test(test_expiry_and_resend),
			cmocka_unit_test(test_bad_input),
			cmocka_unit_test(test_full_table),
			cmocka_unit_test(test_sizes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
