/*
 * kamailio-phones: the plan of a call carried out (phones_call(),
 * phones_call_next()), and the lower-level phones_route().
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_ROUTE_H
#define PHONES_ROUTE_H

#include "core/parser/msg_parser.h"
#include "core/pvar.h"

#include "phones/route_rules.h"
#include "phones_store.h"

/* phones_route() return codes. */
#define PHONES_ROUTE_REWRITTEN 1	 /* out a trunk, by a rule */
#define PHONES_ROUTE_SERVER 2		 /* to an Asterisk server */
#define PHONES_ROUTE_UNKNOWN -1		 /* nothing to send it to */
#define PHONES_ROUTE_DEVICE -2 /* a device: lookup("location") */
#define PHONES_ROUTE_NO_RULE -3		 /* no rule matched the number */
#define PHONES_ROUTE_NO_SERVER -4	 /* no Asterisk server to send it to */
#define PHONES_ROUTE_ERROR -5		 /* the request could not be rewritten */

/* Parameters. */
extern int phones_pai_outbound_cid;
extern int phones_server_timeout; /* ms to a server's first reply; 0 tm's */
extern int phones_trunk_timeout;  /* ms to a trunk's first reply; 0 tm's */
extern int phones_phone_any_from; /* 1: a phone's From is not checked */

/* mod_init / mod_destroy: shared state. */
int phones_route_init(void);
void phones_route_destroy(void);

int phones_route(sip_msg_t *msg);

/* phones_call(): the call's plan carried out. 1: something to relay
 * (t_relay()); -1: refused, the answer in $phones(code) and
 * $phones(reason), nothing sent. */
int phones_call(sip_msg_t *msg);
/* phones_call_next() in a failure_route: 1 when the call goes on (the
 * next position of devices, server, dispatcher destination: relay it);
 * -1 when nothing is left, $phones(code) then set when the module has an
 * answer of its own (486, 480 of devices), else tm's best reply stands. */
int phones_call_next(sip_msg_t *msg);


/* $phones(ds_set|rule|extension|number|trunk|caller|call|server|code|
 * reason) */
int pv_parse_phones_name(pv_spec_p sp, str *in);
int pv_get_phones(sip_msg_t *msg, pv_param_t *param, pv_value_t *res);

#endif
