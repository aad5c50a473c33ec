/*
 * kamailio-phones: RPC commands, phones.<command>.
 *
 * All of them read the current snapshot, except phones.reload. None of
 * them ever shows a registration password.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include <string.h>
#include <strings.h>

#include "core/dprint.h"
#include "core/rpc.h"
#include "core/rpc_lookup.h"

#include "phones/api_request.h"
#include "phones/route_check.h"
#include "phones/sip_user.h"
#include "phones_dmq.h"
#include "phones_api.h"
#include "phones_devices_admin.h"
#include "phones_lockout.h"
#include "phones_reload.h"
#include "phones_route.h"
#include "phones_rpc.h"
#include "phones_store.h"

#define LIST_DEFAULT_LIMIT 1000

static phones_ref_t *acquire_or_fault(rpc_t *rpc, void *ctx)
{
	phones_ref_t *ref = phones_store_acquire();

	if(ref == NULL)
		rpc->fault(ctx, 500, "No phone table loaded");
	return ref;
}

static void add_entry(rpc_t *rpc, void *ctx, void *th, const ph_entry_t *e)
{
	void *st;

	if(rpc->struct_add(th, "{", "entry", &st) < 0)
		return;
	rpc->struct_add(st, "sssssss", "extension", e->extension.s,
			"dialplan_number", e->dialplan_number.s, "protocol",
			ph_protocol_name((ph_protocol_t)e->protocol), "active",
			e->active ? "Y" : "N", "server_ip", e->server_ip.s,
			"outbound_cid", e->outbound_cid.s, "secret",
			e->secret.len ? "set" : "empty");
	if(e->nservers > 1)
		rpc->struct_add(st, "sd", "home_servers", e->servers.s, "rows",
				(int)e->nservers);
	if(e->flags & PH_ENTRY_AMBIGUOUS_EXTENSION)
		rpc->struct_add(st, "s", "ambiguous", "extension on several servers");
	if(e->flags & PH_ENTRY_AMBIGUOUS_NUMBER)
		rpc->struct_add(st, "s", "ambiguous_number",
				"dialplan number shared by several entries");
}

static const char *reload_doc[] = {
		"Reload phones and routes from the database, then swap them in."
		" 'force' accepts a table that is empty or much smaller.",
		0};

static void rpc_reload(rpc_t *rpc, void *ctx)
{
	phones_reload_report_t rep;
	str opt = STR_NULL;
	int force = 0;
	void *th;

	if(rpc->scan(ctx, "*S", &opt) == 1) {
		if(opt.len != 5 || strncasecmp(opt.s, "force", 5) != 0) {
			rpc->fault(ctx, 400, "Unknown option: give 'force' or nothing");
			return;
		}
		force = 1;
	}
	phones_reload(force, &rep);
	/* every proxy reloads (each by its own policy and database view) */
	phones_dmq_reloaded(force);
	switch(rep.outcome) {
		case PHONES_RELOAD_DONE:
			break;
		case PHONES_RELOAD_BUSY:
			rpc->fault(ctx, 503, "Reload refused: %s", rep.why);
			return;
		case PHONES_RELOAD_REFUSED:
			rpc->fault(ctx, 409, "Reload refused: %s", rep.why);
			return;
		default:
			rpc->fault(ctx, 500, "Reload failed: %s", rep.why);
			return;
	}
	if(rpc->add(ctx, "{", &th) < 0)
		return;
	rpc->struct_add(th, "dddddd", "entries", (int)rep.entries, "skipped",
			(int)rep.skipped, "previous_entries", (int)rep.old_entries,
			"routes", (int)rep.rules, "duration_ms", (int)rep.ms, "forced",
			force);
}

static const char *get_doc[] = {
		"Show the phone entry with this extension, or else this dialplan"
		" number, and the devices a call to it rings (with what each would"
		" do now).",
		0};

static int has_devices(const str *ext)
{
	phones_devices_ref_t *d = phones_devices_acquire();
	const ph_device_t *first;
	int n = d ? (int)ph_devices_of(d->devices, ext->s, (size_t)ext->len, &first)
			  : 0;

	phones_devices_release(d);
	return n > 0;
}

/* A key as it may be shown: a SIP user, or "?". */
static const char *ext_text(const str *key, char *buf)
{
	if(key->len <= 0 || key->len > PH_MAX_EXTENSION
			|| !ph_sip_user_valid(key->s, (size_t)key->len))
		return "?";
	memcpy(buf, key->s, key->len);
	buf[key->len] = '\0';
	return buf;
}

static void rpc_get(rpc_t *rpc, void *ctx)
{
	char buf[PH_MAX_EXTENSION + 1];
	const ph_entry_t *e;
	phones_ref_t *ref;
	str key;
	void *th;

	if(rpc->scan(ctx, ".S", &key) < 1) {
		rpc->fault(ctx, 400, "Give an extension or a dialplan number");
		return;
	}
	if((ref = acquire_or_fault(rpc, ctx)) == NULL)
		return;
	e = ph_table_by_extension(ref->table, key.s, (size_t)key.len);
	if(e == NULL)
		e = ph_table_by_number(ref->table, key.s, (size_t)key.len);
	if(e == NULL && !has_devices(&key)) {
		rpc->fault(ctx, 404, "No entry with that extension or number");
	} else if(rpc->add(ctx, "{", &th) == 0) {
		if(e)
			add_entry(rpc, ctx, th, e);
		else
			rpc->struct_add(th, "s", "extension", ext_text(&key, buf));
		/* a call to it rings its devices: which, and what each does now */
		if(has_devices(&key))
			phones_devices_rpc_add(rpc, th, key.s, (size_t)key.len);
	}
	phones_store_release(ref);
}

/* A list filter: a protocol name, "active", "inactive", "ambiguous", or
 * text found in the extension, dialplan number or server IP. */
static int list_match(const ph_entry_t *e, const str *f)
{
	ph_protocol_t p;

	if(f->len == 0 || (f->len == 1 && f->s[0] == '*'))
		return 1;
	if(ph_protocol_parse(f->s, (size_t)f->len, &p) == 0)
		return e->protocol == p;
	if(f->len == 6 && strncasecmp(f->s, "active", 6) == 0)
		return e->active;
	if(f->len == 8 && strncasecmp(f->s, "inactive", 8) == 0)
		return !e->active;
	if(f->len == 9 && strncasecmp(f->s, "ambiguous", 9) == 0)
		return e->flags != 0;
	return memmem(e->extension.s, e->extension.len, f->s, (size_t)f->len)
		   || memmem(e->dialplan_number.s, e->dialplan_number.len, f->s,
				   (size_t)f->len)
		   || memmem(e->server_ip.s, e->server_ip.len, f->s, (size_t)f->len);
}

static const char *list_doc[] = {
		"List phone entries: [filter [limit]]. The filter is a protocol"
		" (SIP, EXTERNAL...), active, inactive, ambiguous, or text of an"
		" extension, number or server IP; '*' or nothing for all. At most"
		" limit entries (1000) are shown; 'matched' counts them all.",
		0};

static void rpc_list(rpc_t *rpc, void *ctx)
{
	str filter = STR_NULL;
	int limit = LIST_DEFAULT_LIMIT, shown = 0, matched = 0;
	const ph_entry_t *e;
	phones_ref_t *ref;
	void *th, *arr;
	size_t i;

	if(rpc->scan(ctx, "*.S", &filter) == 1)
		rpc->scan(ctx, "*d", &limit);
	if(limit < 0) {
		rpc->fault(ctx, 400, "The limit must be positive");
		return;
	}
	if((ref = acquire_or_fault(rpc, ctx)) == NULL)
		return;
	if(rpc->add(ctx, "{", &th) < 0 || rpc->struct_add(th, "[", "entries", &arr) < 0)
		goto done;
	for(i = 0; i < ph_table_size(ref->table); i++) {
		e = ph_table_entry(ref->table, i);
		if(e == NULL || !list_match(e, &filter)) /* changed or removed */
			continue;
		matched++;
		if(shown < limit) {
			add_entry(rpc, ctx, arr, e);
			shown++;
		}
	}
	rpc->struct_add(th, "dd", "matched", matched, "shown", shown);
done:
	phones_store_release(ref);
}

static void add_rule(rpc_t *rpc, void *th, const ph_rule_t *r)
{
	const ph_trunk_t *t = ph_rule_trunk(r);
	char trunk[PH_MAX_TRUNK + 16];
	void *st;

	if(t->kind == PH_TRUNK_DISPATCHER)
		snprintf(trunk, sizeof(trunk), "ds:%d", t->ds_set);
	else if(ph_trunk_uri(t, trunk, sizeof(trunk)) < 0)
		trunk[0] = '\0';
	if(rpc->struct_add(th, "{", "rule", &st) < 0)
		return;
	rpc->struct_add(st, "ddsssss", "id", (int)ph_rule_id(r), "priority",
			ph_rule_priority(r), "match_exp", ph_rule_match_exp(r),
			"repl_exp", ph_rule_repl_exp(r), "trunk", trunk, "description",
			ph_rule_description(r), "kind",
			t->kind == PH_TRUNK_DISPATCHER ? "dispatcher" : "uri");
}

static const char *routes_doc[] = {
		"List the routing rules in the order they are tried.", 0};

static void rpc_routes(rpc_t *rpc, void *ctx)
{
	phones_ref_t *ref;
	void *th, *arr;
	size_t i;

	if((ref = acquire_or_fault(rpc, ctx)) == NULL)
		return;
	if(rpc->add(ctx, "{", &th) == 0 && rpc->struct_add(th, "[", "routes", &arr) == 0) {
		for(i = 0; i < ph_rules_count(ref->rules); i++)
			add_rule(rpc, arr, ph_rules_at(ref->rules, i));
	}
	phones_store_release(ref);
}

static const char *translate_doc[] = {
		"Show which rule and trunk a number would take, and the number it"
		" becomes. An extension or dialplan number of an EXTERNAL entry is"
		" translated from the entry's dialplan number.",
		0};

static void rpc_translate(rpc_t *rpc, void *ctx)
{
	char out[PH_MAX_ROUTE_NUMBER + 1];
	const ph_entry_t *e = NULL;
	const ph_rule_t *rule;
	ph_route_verdict_t v;
	phones_ref_t *ref;
	ph_matcher_t *m;
	unsigned errors = 0;
	const char *number;
	size_t len = 0, nlen;
	str in;
	void *th;

	if(rpc->scan(ctx, ".S", &in) < 1) {
		rpc->fault(ctx, 400, "Give a number, an extension or a dialplan number");
		return;
	}
	if((m = phones_matcher()) == NULL) {
		rpc->fault(ctx, 500, "Out of memory");
		return;
	}
	if((ref = acquire_or_fault(rpc, ctx)) == NULL)
		return;
	v = ph_route_check(ref->table, in.s, (size_t)in.len, &e);
	number = in.s;
	nlen = (size_t)in.len;
	if(v == PH_ROUTE_EXTERNAL) {
		number = e->dialplan_number.s;
		nlen = e->dialplan_number.len;
	}
	rule = ph_rules_translate(
			ref->rules, m, number, nlen, out, sizeof(out), &len, &errors);
	if(rpc->add(ctx, "{", &th) < 0)
		goto done;
	rpc->struct_add(th, "sSd", "verdict", ph_route_verdict_name(v), "number",
			&(str){(char *)number, (int)nlen}, "rule_errors", (int)errors);
	if(e)
		add_entry(rpc, ctx, th, e);
	if(rule) {
		rpc->struct_add(th, "s", "result", out);
		add_rule(rpc, th, rule);
	} else {
		rpc->struct_add(th, "s", "result", "no rule matches");
	}
done:
	phones_store_release(ref);
}

static const char *stats_doc[] = {
		"Show what the current snapshot holds and how it was loaded.", 0};

static void rpc_stats(rpc_t *rpc, void *ctx)
{
	const ph_table_counts_t *c;
	phones_ref_t *ref;
	void *th, *sk;
	int i;

	if((ref = acquire_or_fault(rpc, ctx)) == NULL)
		return;
	c = ph_table_counts(ref->table);
	if(rpc->add(ctx, "{", &th) < 0)
		goto done;
	rpc->struct_add(th, "ddddddddd", "rows", (int)c->rows, "entries",
			(int)c->loaded, "skipped", (int)c->skipped,
			"ambiguous_extensions", (int)c->ambiguous_extensions,
			"ambiguous_numbers", (int)c->ambiguous_numbers, "routes",
			(int)ph_rules_count(ref->rules), "table_bytes",
			(int)ph_table_memory(ref->table), "routes_bytes",
			(int)ph_rules_memory(ref->rules), "last_reload_ms",
			(int)phones_reload_last_ms());
	rpc->struct_add(th, "d", "last_reload", (int)phones_reload_last());
	/* single-phone changes held beside the loaded table until a merge */
	rpc->struct_add(th, "d", "changes", (int)ph_table_changes(ref->table));
	if(rpc->struct_add(th, "{", "skipped_by_reason", &sk) == 0) {
		for(i = 1; i < PH_ROW_RESULT_COUNT; i++)
			rpc->struct_add(sk, "d", ph_row_result_name((ph_row_result_t)i),
					(int)c->by_result[i]);
	}
done:
	phones_store_release(ref);
}

/* Appends s to out, percent-encoding what would end a name or value. */
static int append_encoded(char *out, size_t size, size_t *n, const str *s)
{
	static const char hex[] = "0123456789ABCDEF";
	int i;
	unsigned char c;

	for(i = 0; i < s->len; i++) {
		c = (unsigned char)s->s[i];
		if(*n + 4 >= size)
			return -1;
		if(c == '%' || c == '&' || c == '+' || c < 0x20) {
			out[(*n)++] = '%';
			out[(*n)++] = hex[c >> 4];
			out[(*n)++] = hex[c & 15];
		} else {
			out[(*n)++] = (char)c;
		}
	}
	out[*n] = '\0';
	return 0;
}

static int append_char(char *out, size_t size, size_t *n, char c)
{
	if(*n + 1 >= size)
		return -1;
	out[(*n)++] = c;
	out[*n] = '\0';
	return 0;
}

/* The API's operations over RPC: each argument is name=value, as in the
 * HTTP query string, with the same checks and the same answer line. */
static void rpc_api(rpc_t *rpc, void *ctx, const char *prefix)
{
	char qs[PH_API_MAX_QUERY + 1], line[PH_API_MAX_LINE];
	size_t n;
	str arg, eq;
	char *mark;

	n = (size_t)snprintf(qs, sizeof(qs), "%s", prefix);
	while(rpc->scan(ctx, "*.S", &arg) == 1) {
		mark = memchr(arg.s, '=', arg.len);
		if(mark == NULL) {
			rpc->fault(ctx, 400, "Give each field as name=value");
			return;
		}
		eq.s = mark + 1;
		eq.len = (int)(arg.s + arg.len - eq.s);
		arg.len = (int)(mark - arg.s);
		if(append_char(qs, sizeof(qs), &n, '&') < 0
				|| append_encoded(qs, sizeof(qs), &n, &arg) < 0
				|| append_char(qs, sizeof(qs), &n, '=') < 0
				|| append_encoded(qs, sizeof(qs), &n, &eq) < 0) {
			rpc->fault(ctx, 400, "The request is too long");
			return;
		}
	}
	if(phones_api_answer(qs, n, "RPC", line, sizeof(line)) < 0) {
		rpc->fault(ctx, 400, "%s", line);
		return;
	}
	rpc->add(ctx, "s", line);
}

static const char *add_doc[] = {
		"add_phone as VICIdial's API: name=value arguments (source, user,"
		" pass, extension, ...); answers VICIdial's line.",
		0};

static void rpc_add(rpc_t *rpc, void *ctx)
{
	rpc_api(rpc, ctx, "function=add_phone");
}

static const char *update_doc[] = {
		"update_phone as VICIdial's API: name=value arguments.", 0};

static void rpc_update(rpc_t *rpc, void *ctx)
{
	rpc_api(rpc, ctx, "function=update_phone");
}

static const char *delete_doc[] = {
		"update_phone with delete_phone=Y: name=value arguments (source,"
		" user, pass, extension, server_ip).",
		0};

static void rpc_delete(rpc_t *rpc, void *ctx)
{
	rpc_api(rpc, ctx, "function=update_phone&delete_phone=Y");
}

static const char *locks_doc[] = {
		"List the locks (pairs extension@address, addresses, extensions"
		" under attack), a page at a time: [start [size]] (start: the"
		" 'next' of the page before, 0 first; size 1000 unless given);"
		" 'next' -1 on the last page.",
		0};
static const char *unlock_doc[] = {
		"Forget what is counted of an extension (and its pairs), an address"
		" (and its pairs), extension@address, or all. Answers how many"
		" counters were forgotten.",
		0};

static const char *devices_doc[] = {
		"phones.devices <extension>: its devices (position, ring time,"
		" active, what a call would do with each now); phones.devices"
		" <extension> <device>...: the devices named become the active ones,"
		" the others inactive (none: no device rings), written to the"
		" database and live at once.",
		0};

static const char *peers_doc[] = {
		"The other proxies DMQ knows (uri, status, self), and how many are"
		" active; a fault when the module's dmq parameter is off.",
		0};

static rpc_export_t rpc_cmds[] = {
		{"phones.peers", phones_dmq_rpc_peers, peers_doc, 0},
		{"phones.devices", phones_devices_rpc, devices_doc, RET_ARRAY},
		{"phones.locks", phones_lockout_rpc_list, locks_doc, 0},
		{"phones.unlock", phones_lockout_rpc_clear, unlock_doc, 0},
		{"phones.add", rpc_add, add_doc, 0},
		{"phones.update", rpc_update, update_doc, 0},
		{"phones.delete", rpc_delete, delete_doc, 0},
		{"phones.reload", rpc_reload, reload_doc, 0},
		{"phones.get", rpc_get, get_doc, 0},
		{"phones.list", rpc_list, list_doc, 0},
		{"phones.routes", rpc_routes, routes_doc, 0},
		{"phones.translate", rpc_translate, translate_doc, 0},
		{"phones.stats", rpc_stats, stats_doc, 0},
		{0, 0, 0, 0}};

int phones_rpc_register(void)
{
	if(rpc_register_array(rpc_cmds) != 0) {
		LM_ERR("cannot register the RPC commands\n");
		return -1;
	}
	return 0;
}
