/*
 * kamailio-phones: fuzzing the challenges table (core/challenges.c).
 *
 * Input (binary): 1 byte of table size (8..2048 slots), then operations
 * of 4 bytes: what (a challenge sent, or an answer), which of 32 nonces
 * (one of 200 bytes, one empty), which of 8 peers (one over the longest
 * kept, one empty), and how many seconds pass first.
 *
 * Checked against a model of what was sent where and until when: an
 * answer is SAME or ELSEWHERE only as the model says (or UNKNOWN when a
 * full bucket pushed it out), never for a nonce not sent or run out; a
 * challenge refused (empty nonce or peer, a peer too long) changes
 * nothing; memory is allocated once and never grows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "phones/challenges.h"

#define NONCES 32
#define PEERS 8

typedef struct model
{
	int peer; /* -1: never sent; -2: sent to several */
	int last; /* the peer it was sent to last */
	uint32_t until;
} model_t;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const peers[PEERS] = {"\x11\x02\x7f\x00\x00\x14\x13\xc4",
			"\x11\x02\x7f\x00\x00\x14\x13\xc6", "\x11\x02\x7f\x00\x00\x15\x13\xc4",
			"\x06\x02\x7f\x00\x00\x14\x13\xc4", "127.0.0.20:5062",
			"\x11\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13\xc4",
			"a peer longer than any the table keeps", ""};
	char nonces[NONCES][201];
	size_t nlens[NONCES];
	model_t model[NONCES];
	fz_alloc_t a;
	ph_challenges_t *c;
	size_t i, bytes, distinct = 0;
	uint32_t now = 1000;

	fz_check(strlen(peers[4]) == 15 && strlen(peers[6]) == 38,
			"the peers' lengths");
	if(size < 1)
		return 0;
	for(i = 0; i < NONCES; i++) {
		nlens[i] = (size_t)snprintf(nonces[i], sizeof(nonces[i]),
				"Zm9v%02zuYmFyYmF6%zx", i, i * 2654435761u);
		model[i].peer = -1;
		model[i].last = -1;
		model[i].until = 0;
	}
	memset(nonces[NONCES - 2], 'n', 200);
	nlens[NONCES - 2] = 200;
	nlens[NONCES - 1] = 0;
	fz_alloc_init(&a, 0);
	c = ph_challenges_new(&a.allocator, 8 + (size_t)data[0] * 8, 0x5eed);
	fz_check(c != NULL, "no table");
	bytes = a.live_bytes;

	for(i = 1; i + 4 <= size; i += 4) {
		unsigned n = data[i + 1] % NONCES, p = data[i + 2] % PEERS;
		/* the binary peers hold zero bytes: their lengths */
		static const size_t plens[PEERS] = {8, 8, 8, 8, 15, 20, 38, 0};
		size_t plen = plens[p];
		now += data[i + 3] & 63;
		if(data[i] & 1) {
			uint32_t life = 1 + (data[i] >> 1);
			int rc = ph_challenges_sent(c, nonces[n], nlens[n], peers[p],
					plen, now, now + life);

			if(nlens[n] == 0 || plen == 0 || plen > PH_CHALLENGE_MAX_PEER) {
				fz_check(rc == -1, "kept what cannot be kept");
			} else {
				fz_check(rc == 0, "refused a challenge");
				if(model[n].last == -1)
					distinct++;
				if(model[n].peer != -1 && now < model[n].until
						&& model[n].peer != (int)p) {
					model[n].peer = -2; /* shared: binds none */
					if(now + life > model[n].until)
						model[n].until = now + life;
				} else {
					model[n].peer = (int)p;
					model[n].until = now + life;
				}
				model[n].last = (int)p;
			}
		} else {
			ph_challenge_from_t got = ph_challenges_answered(
					c, nonces[n], nlens[n], peers[p], plen, now);
			int live = model[n].peer != -1 && now < model[n].until;

			/* a shared nonce binds none, unless its slot was pushed
			 * out and it was sent again, to its last peer only */
			if(!live)
				fz_check(got == PH_CHALLENGE_UNKNOWN,
						"an answer to a challenge not in force: %d", (int)got);
			else if(model[n].peer == -2 && distinct <= PH_CHALLENGE_WAYS)
				fz_check(got == PH_CHALLENGE_UNKNOWN,
						"a nonce sent to two peers (never pushed out) binds"
						" one: %d",
						(int)got);
			else if(got != PH_CHALLENGE_UNKNOWN)
				fz_check(got == (model[n].last == (int)p
										  ? PH_CHALLENGE_SAME
										  : PH_CHALLENGE_ELSEWHERE),
						"nonce %u from peer %u: %d, sent to %d", n, p,
						(int)got, model[n].last);
		}
		fz_check(a.live_bytes == bytes && a.calls == 1,
				"memory changed: %zu bytes in %zu calls", a.live_bytes,
				a.calls);
	}
	fz_check(ph_challenges_count(c, now) <= ph_challenges_slots(c),
			"more in force than slots");
	ph_challenges_free(c);
	return 0;
}
