/*
 * kamailio-phones: digest authentication against the phone table.
 *
 * The flow is auth_db's (pre_auth, HA1, check_response, post_auth through
 * the auth module's API, so nonces, qop and replay protection are
 * Kamailio's), with the secret taken from shared memory instead of a query.
 *
 * Every refusal decided by the table (unknown, inactive, EXTERNAL, other
 * protocol, ambiguous, empty secret) and a wrong password give the script
 * the same code, after the same work: a digest is checked in every case,
 * against a random secret when there is no real one, so that neither the
 * answer nor its timing tells a known extension from an unknown one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/rand/kam_rand.h"
#include "core/parser/parse_from.h"
#include "core/parser/parse_to.h"
#include "core/parser/parse_uri.h"
#include "modules/auth/api.h"

#include "phones/auth_check.h"
#include "phones/lockout.h"
#include "phones_auth.h"
#include "phones_caller.h"
#include "phones_challenge.h"
#include "phones_lockout.h"
#include "phones_stats.h"
#include "phones_store.h"

ph_protocol_set_t phones_register_protocols = PH_PROTO_SET_DEFAULT_REGISTER;
str phones_register_protocols_text = str_init("SIP,PJSIP");

static auth_api_s_t auth_api;
/* The stand-in secret for refused users, chosen at start-up. */
static char decoy_secret[33];

int phones_auth_init(void)
{
	int i;

	if(auth_load_api(&auth_api) < 0) {
		LM_ERR("the auth module is needed: loadmodule \"auth.so\" before"
			   " phones.so\n");
		return -1;
	}
	for(i = 0; i < (int)sizeof(decoy_secret) - 1; i++)
		decoy_secret[i] = "0123456789abcdef"[kam_rand() & 15];
	decoy_secret[sizeof(decoy_secret) - 1] = '\0';
	return 0;
}

/* Copies the secret of the user's entry, if the table lets it register. */
static ph_auth_verdict_t secret_for(
		str *user, char *secret, size_t size, size_t *len)
{
	phones_ref_t *ref = phones_store_acquire();
	const ph_entry_t *e;
	ph_auth_verdict_t v;

	if(ref == NULL)
		return PH_AUTH_UNKNOWN;
	v = ph_auth_check(ref->table, user->s, (size_t)user->len,
			phones_register_protocols, &e);
	if(v == PH_AUTH_OK) {
		if(e->secret.len < size) {
			memcpy(secret, e->secret.s, e->secret.len);
			*len = e->secret.len;
		} else {
			v = PH_AUTH_NO_SECRET; /* cannot happen: rows are bounded */
		}
	}
	phones_store_release(ref);
	return v;
}

/* For REGISTER the digest user must own the binding: the To user. */
static int to_user_matches(sip_msg_t *msg, str *user)
{
	struct to_body *to;
	struct sip_uri *uri;

	if(msg->REQ_METHOD != METHOD_REGISTER)
		return 1;
	if(parse_to_header(msg) < 0 || (to = get_to(msg)) == NULL)
		return 0;
	if((uri = parse_to_uri(msg)) == NULL)
		return 0;
	return uri->user.len == user->len
		   && memcmp(uri->user.s, user->s, user->len) == 0;
}

static void log_refusal(sip_msg_t *msg, str *user, const char *why)
{
	LM_INFO("authentication refused (%s): user '%.*s' from %s:%d\n", why,
			user->len > PH_MAX_EXTENSION ? PH_MAX_EXTENSION : user->len,
			user->s, ip_addr2a(&msg->rcv.src_ip), msg->rcv.src_port);
}

int phones_authenticate(sip_msg_t *msg, str *realm)
{
	char ha1[256];
	char secret[PH_MAX_SECRET + 1];
	size_t secret_len = 0;
	str password, *method;
	hdr_types_t hftype;
	struct hdr_field *h;
	auth_body_t *cred;
	auth_result_t rauth;
	ph_auth_verdict_t v;
	int is_locked;
	str *user;

	if(msg->first_line.type != SIP_REQUEST) {
		LM_ERR("phones_auth() is for requests\n");
		return AUTH_ERROR;
	}
	/* The auth module takes these for authenticated (they cannot be
	 * challenged); they prove nobody is a phone. */
	if(msg->REQ_METHOD & (METHOD_ACK | METHOD_CANCEL | METHOD_PRACK)) {
		phones_stats_auth(PHONES_AUTH_STAT_ERROR);
		return AUTH_ERROR;
	}
	method = &msg->first_line.u.request.method;
	hftype = (msg->REQ_METHOD == METHOD_REGISTER) ? HDR_AUTHORIZATION_T
												  : HDR_PROXYAUTH_T;

	rauth = auth_api.pre_auth(msg, realm, hftype, &h, NULL);
	switch(rauth) {
		case DO_AUTHENTICATION:
			break;
		case AUTHENTICATED:
			return AUTH_OK;
		case NO_CREDENTIALS:
			phones_stats_auth(PHONES_AUTH_STAT_NO_CREDENTIALS);
			return AUTH_NO_CREDENTIALS;
		case STALE_NONCE:
			phones_stats_auth(PHONES_AUTH_STAT_STALE_NONCE);
			return AUTH_STALE_NONCE;
		case NONCE_REUSED:
			phones_stats_auth(PHONES_AUTH_STAT_ERROR);
			return AUTH_NONCE_REUSED;
		default: /* malformed credentials and the like */
			phones_stats_auth(PHONES_AUTH_STAT_ERROR);
			return AUTH_ERROR;
	}

	cred = (auth_body_t *)h->parsed;
	user = &cred->digest.username.user;
	/* An answer to a challenge that went to another address or port (a
	 * neighbour behind the same NAT sending a phone's answer first): the
	 * password is not checked, and the nonce (used now) is the phone's no
	 * more, so the phone is challenged again and its next answer counts. */
	if(!phones_challenge_from_ok(msg, &cred->digest.nonce)) {
		phones_stats_auth(PHONES_AUTH_STAT_ELSEWHERE);
		log_refusal(msg, user, "answer to a challenge sent elsewhere");
		return AUTH_STALE_NONCE;
	}
	/* A locked pair, address or attacked extension is refused without the
	 * password being checked, after the same work as any refusal. */
	is_locked = phones_lockout_locked(
			user, &msg->rcv.src_ip, msg->rcv.src_port);
	v = is_locked ? PH_AUTH_UNKNOWN
				  : secret_for(user, secret, sizeof(secret), &secret_len);
	if(v == PH_AUTH_OK) {
		password.s = secret;
		password.len = (int)secret_len;
	} else {
		password.s = decoy_secret;
		password.len = (int)sizeof(decoy_secret) - 1;
	}

	auth_api.calc_HA1(HA_MD5, &cred->digest.username.whole, realm, &password,
			0, 0, ha1);
	rauth = auth_api.check_response(&cred->digest, method, ha1);
	memset(secret, 0, sizeof(secret));

	/* A malformed response is an error for every user alike. */
	if(rauth != AUTHENTICATED && rauth != NOT_AUTHENTICATED) {
		phones_stats_auth(PHONES_AUTH_STAT_ERROR);
		return AUTH_ERROR;
	}
	if(is_locked) {
		phones_stats_locked();
		log_refusal(msg, user,
				is_locked == PH_LOCK_PAIR
						? "locked"
						: (is_locked == PH_LOCK_ADDRESS
										? "locked: address"
										: "locked: extension under attack"));
		return AUTH_INVALID_PASSWORD;
	}
	if(v != PH_AUTH_OK) {
		phones_stats_verdict(v);
		log_refusal(msg, user, ph_auth_verdict_name(v));
		phones_lockout_failed(user, &msg->rcv.src_ip, msg->rcv.src_port, 0);
		return AUTH_INVALID_PASSWORD;
	}
	if(rauth == NOT_AUTHENTICATED) {
		phones_stats_auth(PHONES_AUTH_STAT_PASSWORD);
		log_refusal(msg, user, "password");
		phones_lockout_failed(user, &msg->rcv.src_ip, msg->rcv.src_port, 1);
		return AUTH_INVALID_PASSWORD;
	}
	if(auth_api.post_auth(msg, h, ha1) != AUTHENTICATED) {
		phones_stats_auth(PHONES_AUTH_STAT_ERROR);
		return AUTH_ERROR;
	}
	if(!to_user_matches(msg, user)) {
		phones_stats_auth(PHONES_AUTH_STAT_MISMATCH);
		log_refusal(msg, user, "To user is not the digest user");
		return AUTH_USER_MISMATCH;
	}
	phones_lockout_succeeded(user, &msg->rcv.src_ip, msg->rcv.src_port);
	phones_stats_verdict(PH_AUTH_OK);
	if(msg->REQ_METHOD != METHOD_REGISTER)
		phones_caller_set_phone(msg, user);
	return AUTH_OK;
}
