/*
 * kamailio-phones: digest challenges sent through the auth module, and
 * where each went.
 *
 * The challenge itself is the auth module's (auth_challenge: its nonces,
 * qop, algorithm and reply). Once it is sent, the nonce is read back from
 * the reply's header (the message keeps the lumps of its local reply) and
 * remembered with the address, port and transport the REGISTER or INVITE
 * came from, when that was UDP: a stream cannot be written into by a
 * neighbour, a datagram's answer can be sent first by anyone who sees it.
 * The table is core/challenges.c's, fixed in shared memory at start-up.
 *
 * The nonce is known only once the auth module has sent its reply: an
 * answer naming a nonce not (yet) remembered while challenges are being
 * sent waits for them a little (at most WAIT_ROUNDS * WAIT_US), so that
 * the few microseconds between the two cannot be raced. A phone's own
 * answer comes a round trip later and never waits.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/atomic_ops.h"
#include "core/data_lump_rpl.h"
#include "core/dprint.h"
#include "core/ip_addr.h"
#include "core/locking.h"
#include "core/mem/shm_mem.h"
#include "core/rand/kam_rand.h"

#include "modules/auth/api.h"

#include "phones/challenges.h"
#include "phones_challenge.h"
#include "phones_store.h"

int phones_challenge_slots = 65536;
int phones_challenge_time = 300;

#define WAIT_ROUNDS 50
#define WAIT_US 100

static auth_api_s_t auth_api;
static ph_challenges_t *table = NULL;
static gen_lock_t *lock = NULL;
/* challenges being sent now, by every process */
static atomic_t *sending = NULL;

int phones_challenge_init(void)
{
	uint32_t seed;

	if(auth_load_api(&auth_api) < 0) {
		LM_ERR("the auth module is needed: loadmodule \"auth.so\" before"
			   " phones.so\n");
		return -1;
	}
	if(phones_challenge_slots <= 0)
		return 0;
	seed = (uint32_t)kam_rand() ^ ((uint32_t)kam_rand() << 16);
	table = ph_challenges_new(
			&phones_shm_allocator, (size_t)phones_challenge_slots, seed);
	lock = lock_alloc();
	sending = shm_malloc(sizeof(*sending));
	if(table == NULL || lock == NULL || lock_init(lock) == NULL
			|| sending == NULL) {
		LM_ERR("out of shared memory for the challenges table\n");
		return -1;
	}
	atomic_set(sending, 0);
	LM_INFO("challenges: an answer over UDP counts only from where its"
			" challenge went, for %d s; %zu slots, %zu bytes\n",
			phones_challenge_time, ph_challenges_slots(table),
			ph_challenges_memory(table));
	return 0;
}

void phones_challenge_destroy(void)
{
	if(lock) {
		lock_destroy(lock);
		lock_dealloc(lock);
		lock = NULL;
	}
	ph_challenges_free(table);
	table = NULL;
	if(sending) {
		shm_free(sending);
		sending = NULL;
	}
}

/* The peer a message came from, as bytes: transport, family, address,
 * port. */
static size_t peer_of(sip_msg_t *msg, unsigned char *buf)
{
	size_t n = 0;

	buf[n++] = (unsigned char)msg->rcv.proto;
	buf[n++] = (unsigned char)msg->rcv.src_ip.af;
	memcpy(buf + n, msg->rcv.src_ip.u.addr, msg->rcv.src_ip.len);
	n += msg->rcv.src_ip.len;
	buf[n++] = (unsigned char)(msg->rcv.src_port >> 8);
	buf[n++] = (unsigned char)(msg->rcv.src_port & 0xff);
	return n;
}

/* The nonce="..." of a challenge header in text, if any. */
static int nonce_in(const str *text, str *nonce)
{
	const char *p = text->s, *end = text->s + text->len, *q;
	static const char key[] = "nonce=\"";
	size_t klen = sizeof(key) - 1;

	for(; p + klen <= end; p++) {
		/* the first letter before the call: most bytes are not an n */
		if((*p | 0x20) != 'n' || strncasecmp(p, key, klen) != 0)
			continue;
		/* not cnonce= or a longer name */
		if(p > text->s && p[-1] != ' ' && p[-1] != ',' && p[-1] != '\t')
			continue;
		p += klen;
		for(q = p; q < end && *q != '"'; q++)
			;
		if(q == end || q == p)
			return 0;
		nonce->s = (char *)p;
		nonce->len = (int)(q - p);
		return 1;
	}
	return 0;
}

static void remember(sip_msg_t *msg)
{
	unsigned char peer[PH_CHALLENGE_MAX_PEER];
	size_t plen = peer_of(msg, peer);
	uint32_t now = (uint32_t)time(NULL);
	struct lump_rpl *l;
	str nonce;

	for(l = msg->reply_lump; l != NULL; l = l->next) {
		if(!(l->flags & LUMP_RPL_HDR) || !nonce_in(&l->text, &nonce))
			continue;
		lock_get(lock);
		ph_challenges_sent(table, nonce.s, (size_t)nonce.len, peer, plen,
				now, now + (uint32_t)phones_challenge_time);
		lock_release(lock);
	}
}

int phones_challenge(sip_msg_t *msg, str *realm, int flags)
{
	int hftype, rc;

	if(msg->first_line.type != SIP_REQUEST) {
		LM_ERR("phones_challenge() is for requests\n");
		return -1;
	}
	hftype = msg->REQ_METHOD == METHOD_REGISTER ? HDR_AUTHORIZATION_T
												: HDR_PROXYAUTH_T;
	if(table == NULL || msg->rcv.proto != PROTO_UDP)
		return auth_api.auth_challenge_hftype(
				msg, realm, flags, hftype);
	atomic_inc(sending);
	rc = auth_api.auth_challenge_hftype(msg, realm, flags, hftype);
	if(rc > 0)
		remember(msg);
	atomic_dec(sending);
	return rc;
}

int phones_challenge_from_ok(sip_msg_t *msg, const str *nonce)
{
	unsigned char peer[PH_CHALLENGE_MAX_PEER];
	size_t plen;
	ph_challenge_from_t from;
	int round;

	if(table == NULL || nonce->len <= 0)
		return 1;
	plen = peer_of(msg, peer);
	for(round = 0;; round++) {
		lock_get(lock);
		from = ph_challenges_answered(table, nonce->s, (size_t)nonce->len,
				peer, plen, (uint32_t)time(NULL));
		lock_release(lock);
		if(from != PH_CHALLENGE_UNKNOWN || round == WAIT_ROUNDS
				|| atomic_get(sending) == 0)
			break;
		usleep(WAIT_US); /* a challenge sent, its nonce not yet kept */
	}
	return from != PH_CHALLENGE_ELSEWHERE;
}
