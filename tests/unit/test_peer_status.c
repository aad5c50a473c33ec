/*
 * kamailio-phones: unit tests of peer_status (core/peer_status.c): the
 * state a phone shows from its contacts, and the book whose differences
 * are what a round writes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/peer_status.h"

static const ph_peer_policy_t policy = {2000, 60};
#define NOW 1000000

static ph_peer_contact_t contact(
		int64_t expires, int64_t last_keepalive, uint32_t roundtrip_us)
{
	ph_peer_contact_t c;

	c.expires = expires;
	c.last_keepalive = last_keepalive;
	c.roundtrip_us = roundtrip_us;
	return c;
}

static ph_peer_view_t view(ph_peer_state_t s, int ping)
{
	ph_peer_view_t v;

	v.state = s;
	v.ping_ms = ping;
	return v;
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(ph_peer_state_name(PH_PEER_UNKNOWN), "UNKNOWN");
	assert_string_equal(ph_peer_state_name(PH_PEER_REGISTERED), "REGISTERED");
	assert_string_equal(
			ph_peer_state_name(PH_PEER_UNREGISTERED), "UNREGISTERED");
	assert_string_equal(ph_peer_state_name(PH_PEER_REACHABLE), "REACHABLE");
	assert_string_equal(ph_peer_state_name(PH_PEER_LAGGED), "LAGGED");
	assert_string_equal(ph_peer_state_name(PH_PEER_UNREACHABLE), "UNREACHABLE");
	assert_string_equal(ph_peer_state_name(PH_PEER_STATE_COUNT), "UNKNOWN");
	assert_string_equal(ph_peer_state_name((ph_peer_state_t)-1), "UNKNOWN");
}

/* What a column holds, back to a state: every name, any case; anything
 * else (NULL, a prefix, a longer word, an empty value) is UNKNOWN. */
static void test_state_of(void **state)
{
	int i;
	const char *name;

	(void)state;
	for(i = 0; i < PH_PEER_STATE_COUNT; i++) {
		name = ph_peer_state_name((ph_peer_state_t)i);
		assert_int_equal(ph_peer_state_of(name, strlen(name)), i);
	}
	assert_int_equal(ph_peer_state_of("reachable", 9), PH_PEER_REACHABLE);
	assert_int_equal(ph_peer_state_of("LAGGEDX", 7), PH_PEER_UNKNOWN);
	assert_int_equal(ph_peer_state_of("LAGGED", 3), PH_PEER_UNKNOWN);
	assert_int_equal(ph_peer_state_of("", 0), PH_PEER_UNKNOWN);
	assert_int_equal(ph_peer_state_of(NULL, 0), PH_PEER_UNKNOWN);
	/* "REGISTERED" inside "UNREGISTERED" is not it */
	assert_int_equal(
			ph_peer_state_of("UNREGISTERED", 12), PH_PEER_UNREGISTERED);
}

static void test_no_contact(void **state)
{
	ph_peer_contact_t c = contact(NOW - 1, NOW - 10, 0);
	ph_peer_view_t v;

	(void)state;
	v = ph_peer_decide(NULL, 0, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_UNREGISTERED);
	assert_int_equal(v.ping_ms, PH_PEER_NO_PING);
	/* an expired contact is no contact, even one expiring now */
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_UNREGISTERED);
	c.expires = NOW;
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_UNREGISTERED);
}

static void test_registered(void **state)
{
	ph_peer_contact_t c = contact(NOW + 60, NOW - 5, 0);
	ph_peer_view_t v;

	(void)state;
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_REGISTERED);
	assert_int_equal(v.ping_ms, PH_PEER_NO_PING);
	/* a permanent contact (expires 0) counts */
	c.expires = 0;
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_REGISTERED);
}

static void test_reachable_lagged(void **state)
{
	ph_peer_contact_t c = contact(NOW + 60, NOW - 5, 12400);
	ph_peer_view_t v;

	(void)state;
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_REACHABLE);
	assert_int_equal(v.ping_ms, 12);
	c.roundtrip_us = 12500; /* rounded to the nearest ms */
	assert_int_equal(ph_peer_decide(&c, 1, NOW, &policy).ping_ms, 13);
	c.roundtrip_us = 200; /* under 1 ms: reachable, 0 ms */
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_REACHABLE);
	assert_int_equal(v.ping_ms, 0);
	c.roundtrip_us = 2000000; /* at the threshold: reachable */
	assert_int_equal(
			ph_peer_decide(&c, 1, NOW, &policy).state, PH_PEER_REACHABLE);
	c.roundtrip_us = 2001000;
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_LAGGED);
	assert_int_equal(v.ping_ms, 2001);
	c.roundtrip_us = 4000000000u; /* clamped to a SMALLINT */
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_LAGGED);
	assert_int_equal(v.ping_ms, PH_PEER_MAX_PING);
}

static void test_unreachable(void **state)
{
	ph_peer_contact_t c = contact(NOW + 60, NOW - 60, 12000);
	ph_peer_policy_t never = {2000, 0};
	ph_peer_view_t v;

	(void)state;
	/* exactly unreachable_after: still reachable */
	assert_int_equal(
			ph_peer_decide(&c, 1, NOW, &policy).state, PH_PEER_REACHABLE);
	c.last_keepalive = NOW - 61;
	v = ph_peer_decide(&c, 1, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_UNREACHABLE);
	assert_int_equal(v.ping_ms, PH_PEER_NO_PING);
	/* one that never answered, registered long ago */
	c.roundtrip_us = 0;
	assert_int_equal(
			ph_peer_decide(&c, 1, NOW, &policy).state, PH_PEER_UNREACHABLE);
	/* keepalives not watched: never unreachable */
	assert_int_equal(
			ph_peer_decide(&c, 1, NOW, &never).state, PH_PEER_REGISTERED);
}

static void test_best_contact(void **state)
{
	ph_peer_contact_t c[4];
	ph_peer_view_t v;

	(void)state;
	c[0] = contact(NOW + 60, NOW - 100, 0);		/* unreachable */
	c[1] = contact(NOW + 60, NOW - 1, 3000000); /* lagged 3000 */
	c[2] = contact(NOW + 60, NOW - 1, 0);		/* registered */
	c[3] = contact(NOW - 5, NOW - 1, 1000);		/* expired */
	v = ph_peer_decide(c, 4, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_LAGGED);
	assert_int_equal(v.ping_ms, 3000);
	c[2].roundtrip_us = 40000;				  /* reachable 40 */
	c[0] = contact(NOW + 60, NOW - 1, 25000); /* reachable 25 */
	v = ph_peer_decide(c, 4, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_REACHABLE);
	assert_int_equal(v.ping_ms, 25);
	/* the expired one's 1 ms does not count */
	assert_int_not_equal(v.ping_ms, 1);
	v = ph_peer_decide(c, 1, NOW, &policy);
	assert_int_equal(v.ping_ms, 25);
	c[0] = contact(NOW + 60, NOW - 100, 0);
	c[1] = contact(NOW + 60, NOW - 1, 0);
	v = ph_peer_decide(c, 2, NOW, &policy);
	assert_int_equal(v.state, PH_PEER_REGISTERED);
}

static void test_differs(void **state)
{
	ph_peer_view_t a = view(PH_PEER_REACHABLE, 100);
	ph_peer_view_t b = view(PH_PEER_REACHABLE, 124);

	(void)state;
	assert_false(ph_peer_view_differs(&a, &a, 1));
	assert_false(ph_peer_view_differs(&a, &b, 1)); /* 24 < 25 */
	b.ping_ms = 125;
	assert_true(ph_peer_view_differs(&a, &b, 1));
	b.ping_ms = 75;
	assert_true(ph_peer_view_differs(&a, &b, 1));
	assert_false(ph_peer_view_differs(&a, &b, 0)); /* no ping_time column */
	a.ping_ms = 4;
	b.ping_ms = 13; /* 9 < PH_PEER_PING_STEP_MS */
	assert_false(ph_peer_view_differs(&a, &b, 1));
	b.ping_ms = 14;
	assert_true(ph_peer_view_differs(&a, &b, 1));
	b = view(PH_PEER_REGISTERED, PH_PEER_NO_PING);
	assert_true(ph_peer_view_differs(&a, &b, 1));
	assert_true(ph_peer_view_differs(&a, &b, 0));
	a = view(PH_PEER_LAGGED, PH_PEER_NO_PING);
	b = view(PH_PEER_LAGGED, 3000);
	assert_true(ph_peer_view_differs(&a, &b, 1));
	assert_true(ph_peer_view_differs(&b, &a, 1));
}

static int set(ph_peer_book_t *b, const char *ext, const char *ip,
		ph_peer_state_t s, int ping)
{
	return ph_peer_book_set(b, ext, strlen(ext), ip, strlen(ip), view(s, ping));
}

static int written_state(ph_peer_book_t *b, const char *ext, const char *ip)
{
	ph_peer_view_t v;

	if(!ph_peer_book_get(b, ext, strlen(ext), ip, strlen(ip), &v))
		return -1;
	return (int)v.state;
}

/* Writes everything pending, batch by batch; returns the batches. */
static size_t write_all(ph_peer_book_t *b, size_t max)
{
	ph_peer_change_t ch[16];
	size_t n, batches = 0;

	assert_true(max <= 16);
	while((n = ph_peer_book_batch(b, ch, max)) > 0) {
		ph_peer_book_written(b, ch, n);
		batches++;
		assert_true(batches < 10000);
	}
	return batches;
}

/* The first round writes every row, the next ones only what changed. */
static void test_book_rounds(void **state)
{
	unit_alloc_t a;
	ph_peer_book_t *b;
	ph_peer_change_t ch[4];
	size_t n;

	(void)state;
	unit_alloc_init(&a, -1);
	b = ph_peer_book_new(&a.allocator, 1);
	assert_non_null(b);

	ph_peer_book_begin(b);
	assert_int_equal(set(b, "100", "127.0.0.2", PH_PEER_UNREGISTERED, -1), 0);
	assert_int_equal(set(b, "100", "127.0.0.3", PH_PEER_UNREGISTERED, -1), 0);
	assert_int_equal(set(b, "101", "127.0.0.2", PH_PEER_REGISTERED, -1), 0);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_size(b), 3);
	assert_int_equal(ph_peer_book_pending(b), 3);
	assert_int_equal(written_state(b, "100", "127.0.0.2"), -1);
	assert_int_equal(write_all(b, 2), 2);
	assert_int_equal(ph_peer_book_pending(b), 0);
	assert_int_equal(
			written_state(b, "100", "127.0.0.3"), PH_PEER_UNREGISTERED);
	assert_int_equal(written_state(b, "101", "127.0.0.2"), PH_PEER_REGISTERED);

	/* nothing changed: nothing to write */
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_UNREGISTERED, -1);
	set(b, "100", "127.0.0.3", PH_PEER_UNREGISTERED, -1);
	set(b, "101", "127.0.0.2", PH_PEER_REGISTERED, -1);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_batch(b, ch, 4), 0);

	/* one phone reachable: its row alone */
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_UNREGISTERED, -1);
	set(b, "100", "127.0.0.3", PH_PEER_UNREGISTERED, -1);
	set(b, "101", "127.0.0.2", PH_PEER_REACHABLE, 12);
	ph_peer_book_end(b);
	n = ph_peer_book_batch(b, ch, 4);
	assert_int_equal(n, 1);
	assert_int_equal(ch[0].extension_len, 3);
	assert_memory_equal(ch[0].extension, "101", 4); /* NUL-terminated */
	assert_string_equal(ch[0].server_ip, "127.0.0.2");
	assert_int_equal(ch[0].server_ip_len, 9);
	assert_int_equal(ch[0].view.state, PH_PEER_REACHABLE);
	assert_int_equal(ch[0].view.ping_ms, 12);
	ph_peer_book_written(b, ch, n);
	assert_int_equal(written_state(b, "101", "127.0.0.2"), PH_PEER_REACHABLE);

	ph_peer_book_free(b);
	assert_int_equal(a.live, 0);
}

/* A batch the database did not take comes out again. */
static void test_book_failed_batch(void **state)
{
	unit_alloc_t a;
	ph_peer_book_t *b;
	ph_peer_change_t ch[4];

	(void)state;
	unit_alloc_init(&a, -1);
	b = ph_peer_book_new(&a.allocator, 1);
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REGISTERED, -1);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_batch(b, ch, 4), 1);
	/* not written: the next round gives it again */
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REGISTERED, -1);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_batch(b, ch, 4), 1);
	assert_int_equal(ch[0].view.state, PH_PEER_REGISTERED);
	ph_peer_book_written(b, ch, 1);
	/* a change that failed, then changed back to what was written: none */
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_UNREGISTERED, -1);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_batch(b, ch, 4), 1);
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REGISTERED, -1);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_batch(b, ch, 4), 0);
	ph_peer_book_free(b);
	assert_int_equal(a.live, 0);
}

/* Rows not set in a round are forgotten; keys are checked. */
static void test_book_forget_and_keys(void **state)
{
	unit_alloc_t a;
	ph_peer_book_t *b;
	char long_key[PH_PEER_MAX_KEY + 2];

	(void)state;
	unit_alloc_init(&a, -1);
	b = ph_peer_book_new(&a.allocator, 1);
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REGISTERED, -1);
	set(b, "101", "127.0.0.2", PH_PEER_REGISTERED, -1);
	assert_int_equal(set(b, "101", "127.0.0.2", PH_PEER_UNREGISTERED, -1), -3);
	ph_peer_book_end(b);
	write_all(b, 4);
	assert_int_equal(written_state(b, "101", "127.0.0.2"), PH_PEER_REGISTERED);

	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REGISTERED, -1);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_size(b), 1);
	assert_int_equal(written_state(b, "101", "127.0.0.2"), -1);
	assert_int_equal(ph_peer_book_pending(b), 0);

	/* the same extension on another server is another row; an empty
	 * server_ip is a key too, an empty extension is not */
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REGISTERED, -1);
	assert_int_equal(set(b, "100", "", PH_PEER_REGISTERED, -1), 0);
	assert_int_equal(set(b, "", "127.0.0.2", PH_PEER_REGISTERED, -1), -2);
	memset(long_key, '7', sizeof(long_key) - 1);
	long_key[sizeof(long_key) - 1] = '\0';
	assert_int_equal(set(b, long_key, "127.0.0.2", PH_PEER_REGISTERED, -1), -2);
	assert_int_equal(set(b, "100", long_key, PH_PEER_REGISTERED, -1), -2);
	long_key[PH_PEER_MAX_KEY] = '\0';
	assert_int_equal(set(b, long_key, "127.0.0.2", PH_PEER_REGISTERED, -1), 0);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_size(b), 3);
	assert_int_equal(ph_peer_book_pending(b), 2);
	ph_peer_book_free(b);
	assert_int_equal(a.live, 0);
}

/* Without a ping_time column, round trips alone change nothing. */
static void test_book_no_ping(void **state)
{
	unit_alloc_t a;
	ph_peer_book_t *b;
	ph_peer_change_t ch[2];

	(void)state;
	unit_alloc_init(&a, -1);
	b = ph_peer_book_new(&a.allocator, 0);
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REACHABLE, 10);
	ph_peer_book_end(b);
	write_all(b, 2);
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REACHABLE, 900);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_batch(b, ch, 2), 0);
	ph_peer_book_free(b);

	b = ph_peer_book_new(&a.allocator, 1);
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REACHABLE, 10);
	ph_peer_book_end(b);
	write_all(b, 2);
	ph_peer_book_begin(b);
	set(b, "100", "127.0.0.2", PH_PEER_REACHABLE, 900);
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_batch(b, ch, 2), 1);
	ph_peer_book_free(b);
	assert_int_equal(a.live, 0);
}

/* Many rows: the book grows, every row comes out once, in batches. */
static void test_book_many(void **state)
{
	unit_alloc_t a;
	ph_peer_book_t *b;
	char ext[16];
	size_t i, batches;
	ph_peer_view_t v;

	(void)state;
	unit_alloc_init(&a, -1);
	b = ph_peer_book_new(&a.allocator, 1);
	ph_peer_book_begin(b);
	for(i = 0; i < 5000; i++) {
		snprintf(ext, sizeof(ext), "%zu", 10000 + i);
		assert_int_equal(
				set(b, ext, "127.0.0.2",
						i % 3 ? PH_PEER_UNREGISTERED : PH_PEER_REGISTERED, -1),
				0);
	}
	ph_peer_book_end(b);
	assert_int_equal(ph_peer_book_size(b), 5000);
	batches = write_all(b, 16);
	assert_int_equal(batches, (5000 + 15) / 16);
	for(i = 0; i < 5000; i++) {
		snprintf(ext, sizeof(ext), "%zu", 10000 + i);
		assert_true(ph_peer_book_get(b, ext, strlen(ext), "127.0.0.2", 9, &v));
		assert_int_equal(
				v.state, i % 3 ? PH_PEER_UNREGISTERED : PH_PEER_REGISTERED);
	}
	ph_peer_book_free(b);
	assert_int_equal(a.live, 0);
}

/* Out of memory: a failed set leaves the book as it was. */
static void test_book_no_memory(void **state)
{
	unit_alloc_t a;
	ph_peer_book_t *b;
	long k;
	int rc;

	(void)state;
	unit_alloc_init(&a, 0);
	assert_null(ph_peer_book_new(&a.allocator, 1));
	assert_int_equal(a.live, 0);
	unit_alloc_init(&a, 1);
	assert_null(ph_peer_book_new(&a.allocator, 1));
	assert_int_equal(a.live, 0);
	for(k = 2; k < 200; k += 7) {
		char ext[16];
		int i;

		unit_alloc_init(&a, k);
		b = ph_peer_book_new(&a.allocator, 1);
		assert_non_null(b);
		ph_peer_book_begin(b);
		for(i = 0; i < 300; i++) {
			snprintf(ext, sizeof(ext), "%d", i);
			rc = set(b, ext, "127.0.0.2", PH_PEER_REGISTERED, -1);
			assert_true(rc == 0 || rc == -1);
		}
		ph_peer_book_end(b);
		assert_true(ph_peer_book_size(b) <= 300);
		write_all(b, 16);
		assert_int_equal(ph_peer_book_pending(b), 0);
		ph_peer_book_free(b);
		assert_int_equal(a.live, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_names),
			cmocka_unit_test(test_state_of),
			cmocka_unit_test(test_no_contact),
			cmocka_unit_test(test_registered),
			cmocka_unit_test(test_reachable_lagged),
			cmocka_unit_test(test_unreachable),
			cmocka_unit_test(test_best_contact),
			cmocka_unit_test(test_differs),
			cmocka_unit_test(test_book_rounds),
			cmocka_unit_test(test_book_failed_batch),
			cmocka_unit_test(test_book_forget_and_keys),
			cmocka_unit_test(test_book_no_ping),
			cmocka_unit_test(test_book_many),
			cmocka_unit_test(test_book_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
