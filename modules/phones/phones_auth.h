/*
 * kamailio-phones: digest authentication against the phone table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_AUTH_H
#define PHONES_AUTH_H

#include "core/parser/msg_parser.h"
#include "core/str.h"
#include "modules/auth/api.h"

#include "phones/protocol.h"

/* Protocols allowed to register (parameter register_protocols, as given
 * and as parsed). */
extern ph_protocol_set_t phones_register_protocols;
extern str phones_register_protocols_text;

/* Binds the auth module's API; for mod_init. */
int phones_auth_init(void);

/* Authenticates msg's credentials for realm against the table. Returns
 * AUTH_OK (1), or one of Kamailio's negative auth codes: AUTH_INVALID_PASSWORD
 * (-2) for every refusal the table decides, so that they all look alike. */
int phones_authenticate(sip_msg_t *msg, str *realm);

#endif
