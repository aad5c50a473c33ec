/*
 * kamailio-phones: which JSON-RPC methods the HTTP interface may run.
 *
 * The request's method is read with the JSON parser jsonrpcs itself uses
 * (srjson, the first "method" member of the top object), so that what is
 * checked is what would run; core/rpc_allow.c decides.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "core/dprint.h"
#include "core/msg_translator.h"
#include "core/parser/msg_parser.h"
#include "core/utils/srjson.h"

#include "phones/rpc_allow.h"
#include "phones_rpc_acl.h"

str phones_rpc_allow = str_init("phones.,stats.get_statistics,stats.fetch,"
								"core.uptime,core.version,core.shmmem,"
								"core.psx,ul.dump,ul.lookup,dispatcher.list,"
								"dlg.list,dlg.stats_active,tm.stats,sl.stats,"
								"htable.dump,pike.top,system.listMethods,"
								"system.methodHelp");

int phones_rpc_allowed(sip_msg_t *msg)
{
	srjson_doc_t *doc;
	srjson_t *m;
	char *body;
	int ok = 0;

	body = get_body(msg);
	if(body == NULL)
		return -1;
	doc = srjson_NewDoc(NULL);
	if(doc == NULL)
		return -1;
	doc->buf.s = body;
	doc->buf.len = (int)strlen(body);
	doc->root = srjson_Parse(doc, doc->buf.s);
	if(doc->root != NULL && doc->root->type == srjson_Object) {
		m = srjson_GetObjectItem(doc, doc->root, "method");
		if(m != NULL && m->type == srjson_String && m->valuestring != NULL) {
			ok = ph_rpc_allowed(phones_rpc_allow.s, m->valuestring,
					strlen(m->valuestring));
			if(!ok)
				LM_NOTICE("JSON-RPC method not allowed over HTTP (rpc_allow)"
						  " from %s\n",
						ip_addr2a(&msg->rcv.src_ip));
		}
	}
	srjson_DeleteDoc(doc);
	return ok ? 1 : -1;
}
