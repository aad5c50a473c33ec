/*
 * kamailio-phones: fuzzing the lockout (core/lockout.c).
 *
 * Input (binary): 7 bytes of limits (failures 0..7, address_extensions
 * 0..7, extension_failures 0..15, window 1..64, lock 1..128, trust 0..255,
 * slots 8..1024), then operations of 4 bytes: what (check, failure of a
 * phone, failure of a name that is no phone, success, list in pages,
 * clear), which extension (15 short ones, or a 150-byte one), which
 * address (IPv4 and long IPv6 texts), how many seconds pass first and
 * the source port (none, or one of 7).
 *
 * Checked: memory is allocated once and never grows; a success leaves its
 * pair free to try at once; a failure that locks its pair (or address)
 * is seen locked right away; every listed lock is in force, of one kind,
 * with key parts within their bounds; listing page by page finds what one
 * listing finds; after a clear of everything nothing is listed; with
 * failures 0 nothing ever locks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "phones/lockout.h"

static const char *const exts[] = {"100", "101", "102", "t100", "7100",
		"agent-1", "x", "load001", "999999", "a@b", "1", "10", "1000",
		"sip", "cc100"};
static const char *const addrs[] = {"127.0.0.1", "127.0.0.4", "127.0.0.5",
		"127.0.1.1", "::1", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
		"fe80::1", "127.255.255.254"};

typedef struct seen
{
	size_t n;
	uint32_t now;
	unsigned max_failures;
} seen_t;

static void FZ_NO_COVERAGE seen_lock(void *arg, const ph_lock_info_t *l)
{
	seen_t *s = arg;

	s->n++;
	fz_check(l->kind == PH_LOCK_PAIR || l->kind == PH_LOCK_ADDRESS
					|| l->kind == PH_LOCK_EXTENSION,
			"kind %d", (int)l->kind);
	fz_check(l->until > s->now, "a listed lock ran out");
	fz_check(l->elen + l->alen <= PH_LOCKOUT_MAX_KEY, "key of %zu bytes",
			l->elen + l->alen);
	fz_check((l->kind == PH_LOCK_PAIR) == (l->elen > 0 && l->alen > 0),
			"a pair has both parts, nothing else has");
	fz_check(l->kind != PH_LOCK_ADDRESS || l->elen == 0,
			"an address lock with an extension");
	fz_check(l->kind != PH_LOCK_EXTENSION || l->alen == 0,
			"an extension lock with an address");
}

static size_t FZ_NO_COVERAGE list_all(ph_lockout_t *lk, uint32_t now,
		size_t page)
{
	seen_t s = {0, now, 0};
	size_t from = 0, rounds = 0;

	while(from < ph_lockout_slots(lk)) {
		size_t before = s.n, next;

		next = ph_lockout_list(lk, from, page, now, seen_lock, &s);
		fz_check(next > from, "a page that does not move on");
		fz_check(s.n - before <= page, "a page longer than asked");
		from = next;
		fz_check(++rounds <= ph_lockout_slots(lk) + 1, "endless pages");
	}
	return s.n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ph_lockout_limits_t limits;
	char longext[150];
	fz_alloc_t a;
	ph_lockout_t *lk;
	size_t i, bytes;
	uint32_t now = 1000;

	if(size < 7)
		return 0;
	limits.failures = data[0] & 7;
	limits.address_extensions = data[1] & 7;
	limits.extension_failures = data[2] & 15;
	limits.window = 1 + (data[3] & 63);
	limits.lock = 1 + (data[4] & 127);
	limits.trust = data[5];
	limits.seed = 0x5eed;
	/* a pair's first lock: none shorter (0), or shorter than lock */
	limits.first_lock = data[5] & 0x80 ? 0 : 1 + (data[3] >> 6);
	memset(longext, 'e', sizeof(longext));
	fz_alloc_init(&a, 0);
	lk = ph_lockout_new(&a.allocator, 8 + (size_t)data[6] * 4, &limits);
	fz_check(lk != NULL, "no table");
	bytes = a.live_bytes;

	for(i = 7; i + 4 <= size; i += 4) {
		unsigned op = data[i] % 6, e = data[i + 1] % 16,
				 ad = data[i + 2] % 8;
		const char *ext = e < 15 ? exts[e] : longext;
		size_t elen = e < 15 ? strlen(exts[e]) : sizeof(longext);
		const char *addr = addrs[ad];
		size_t alen = strlen(addr);
		/* the source port: 0 (not known) or one of 7 */
		unsigned set, port = (data[i + 3] >> 5) * 1000u;

		now += data[i + 3] & 31;
		switch(op) {
			case 0:
				ph_lockout_check(lk, ext, elen, addr, alen, port, now);
				break;
			case 1:
			case 2:
				if(ph_lockout_check(lk, ext, elen, addr, alen, port, now)
						!= PH_LOCK_NONE)
					break; /* a locked request is not counted */
				set = ph_lockout_failure(
						lk, ext, elen, addr, alen, port, op == 1, now);
				fz_check(set <= 7, "bits %u", set);
				fz_check(limits.failures || set == 0, "a lock with failures 0");
				fz_check(op == 1 || !(set & PH_LOCK_EXTENSION),
						"a name that is no phone put under attack");
				if(set & PH_LOCK_PAIR)
					fz_check(ph_lockout_check(lk, ext, elen, addr, alen, port, now)
									 == PH_LOCK_PAIR,
							"a pair just locked is not");
				if(set & PH_LOCK_ADDRESS)
					fz_check(ph_lockout_check(lk, ext, elen, addr, alen, port, now)
									 != PH_LOCK_NONE,
							"an address just locked is not");
				break;
			case 3:
				ph_lockout_success(lk, ext, elen, addr, alen, port, now);
				fz_check(ph_lockout_check(lk, ext, elen, addr, alen, port, now)
								 == PH_LOCK_NONE,
						"refused right after a success");
				break;
			case 4:
				fz_check(list_all(lk, now, 1 + (data[i + 1] & 7))
								 == list_all(lk, now, ph_lockout_slots(lk)),
						"pages list other locks than one listing");
				break;
			default:
				if(e == 0 && ad == 0) {
					ph_lockout_clear(lk, NULL, 0, NULL, 0);
					fz_check(list_all(lk, now, 1000) == 0,
							"locks after clearing everything");
				} else if(ad == 0) {
					ph_lockout_clear(lk, ext, elen, NULL, 0);
				} else if(e == 0) {
					ph_lockout_clear(lk, NULL, 0, addr, alen);
				} else {
					ph_lockout_clear(lk, ext, elen, addr, alen);
					fz_check(ph_lockout_check(lk, ext, elen, addr, alen, port, now)
									 != PH_LOCK_PAIR,
							"a pair cleared is still locked");
				}
				break;
		}
		fz_check(a.live_bytes == bytes && a.calls == 1,
				"memory changed: %zu bytes in %zu calls", a.live_bytes,
				a.calls);
	}
	ph_lockout_free(lk);
	fz_check(a.live == 0, "the table was not freed");
	return 0;
}
