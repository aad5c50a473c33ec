/*
 * kamailio-phones: VICIdial's add_phone / update_phone API, decided.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "phones/api_request.h"
#include "phones/error.h"

/* ---- the query string ---- */

static int hexval(char c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decodes s[0..len) into out (size bytes with the NUL). */
static int decode(const char *s, size_t len, char *out, size_t size,
		char *err, size_t errsize)
{
	size_t i, n = 0;
	int hi, lo;
	unsigned char c;

	for(i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if(c == '+') {
			c = ' ';
		} else if(c == '%') {
			if(i + 2 >= len)
				return ph_error(err, errsize, "bad percent escape");
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if(hi < 0 || lo < 0)
				return ph_error(err, errsize, "bad percent escape");
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		}
		if(c < 0x20 || c == 0x7f)
			return ph_error(err, errsize, "control character in the request");
		if(n + 1 >= size)
			return ph_error(err, errsize, "a name or value is too long");
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

int ph_api_query_parse(const char *qs, size_t len, ph_api_query_t *q,
		char *err, size_t errsize)
{
	const char *p = qs, *end = qs + len, *amp, *eq;
	ph_api_param_t *param;

	q->count = 0;
	if(len > PH_API_MAX_QUERY)
		return ph_error(err, errsize, "the request is too long");
	while(p < end) {
		amp = memchr(p, '&', (size_t)(end - p));
		if(amp == NULL)
			amp = end;
		if(amp > p) {
			if(q->count >= PH_API_MAX_PARAMS)
				return ph_error(err, errsize, "too many parameters");
			param = &q->params[q->count];
			eq = memchr(p, '=', (size_t)(amp - p));
			if(eq == NULL)
				eq = amp;
			if(decode(p, (size_t)(eq - p), param->name, sizeof(param->name),
					   err, errsize)
							< 0
					|| decode(eq < amp ? eq + 1 : amp,
							   eq < amp ? (size_t)(amp - eq - 1) : 0,
							   param->value, sizeof(param->value), err,
							   errsize)
							   < 0)
				return -1;
			q->count++;
		}
		p = amp + 1;
	}
	return 0;
}

const char *ph_api_query_get(const ph_api_query_t *q, const char *name)
{
	int i;

	for(i = q->count - 1; i >= 0; i--) {
		if(strcmp(q->params[i].name, name) == 0)
			return q->params[i].value;
	}
	return NULL;
}

/* ---- VICIdial's sanitising: characters outside a field's set go ---- */

#define ALNUM "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define SET_WORD "-_" ALNUM
#define SET_DIGITS "0123456789"
#define SET_IP ".0123456789"
#define SET_GMT "-.0123456789"
#define SET_NAME "- .,_" ALNUM
#define SET_EMAIL "-.@_+" ALNUM
#define SET_YN "YNyn"
#define SET_WEBPHONE "_YNAPILUNCHynapiluch"

/* The sanitised value of name ("" when absent), and whether it was given. */
typedef struct field
{
	char v[PH_API_MAX_VALUE + 1];
	int given;
} field_t;

static void get(const ph_api_query_t *q, const char *name, const char *set,
		field_t *f)
{
	const char *s = ph_api_query_get(q, name);
	size_t n = 0;

	f->v[0] = '\0';
	f->given = 0;
	if(s == NULL)
		return;
	for(; *s && n < sizeof(f->v) - 1; s++) {
		if(set ? strchr(set, *s) != NULL
			   : (*s != '\'' && *s != '"' && *s != '\\' && *s != ';'
					   && *s != ' '))
			f->v[n++] = *s;
	}
	f->v[n] = '\0';
	/* given: something is left once the field's set is applied */
	f->given = n > 0;
}

/* Copies s into out (size bytes with the NUL), cut to fit. */
static void copy_str(char *out, size_t size, const char *s)
{
	size_t n = strlen(s);

	if(n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

static int len_in(const field_t *f, size_t lo, size_t hi)
{
	size_t n = strlen(f->v);
	return n >= lo && n <= hi;
}

static int all_digits(const char *s)
{
	for(; *s; s++) {
		if(*s < '0' || *s > '9')
			return 0;
	}
	return 1;
}

static const char *const timezones[] = {"12.75", "12.00", "11.00", "10.00",
		"9.50", "9.00", "8.00", "7.00", "6.50", "6.00", "5.75", "5.50", "5.00",
		"4.50", "4.00", "3.50", "3.00", "2.00", "1.00", "0.00", "-1.00",
		"-2.00", "-3.00", "-3.50", "-4.00", "-5.00", "-6.00", "-7.00", "-8.00",
		"-9.00", "-10.00", "-11.00", "-12.00"};

static int valid_timezone(const char *s)
{
	size_t i;

	for(i = 0; i < sizeof(timezones) / sizeof(timezones[0]); i++) {
		if(strcmp(s, timezones[i]) == 0)
			return 1;
	}
	return 0;
}

/* Y or N, either case (VICIdial's /^Y$|^N$/i). */
static int yes_no(const char *s)
{
	return strcasecmp(s, "Y") == 0 || strcasecmp(s, "N") == 0;
}

/* The API accepts these four, as VICIdial's does: not PJSIP. */
static int valid_protocol(const char *s)
{
	return strcmp(s, "IAX2") == 0 || strcmp(s, "SIP") == 0
		   || strcmp(s, "Zap") == 0 || strcmp(s, "EXTERNAL") == 0;
}

static void answer(ph_api_result_t *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->line, sizeof(res->line), fmt, ap);
	va_end(ap);
}

static void add_field(ph_api_result_t *res, const char *column, const char *v)
{
	if(res->nfields >= PH_API_MAX_FIELDS)
		return;
	res->fields[res->nfields].column = column;
	copy_str(res->fields[res->nfields].value,
			sizeof(res->fields[res->nfields].value), v);
	res->nfields++;
}

/* ---- the checks every function starts with ---- */

typedef struct common
{
	field_t source, user, pass;
	ph_api_user_t u;
} common_t;

/* Source, login and permission. Returns 0 to go on, 1 when answered. */
static int authorise(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, const char *function, const char *what, common_t *c,
		ph_api_result_t *res)
{
	int state, failed = 0, locked;
	long since = 0;

	get(q, "source", SET_WORD " ", &c->source);
	get(q, "user", NULL, &c->user);
	get(q, "pass", NULL, &c->pass);
	copy_str(res->user, sizeof(res->user), c->user.v);
	memset(&c->u, 0, sizeof(c->u));
	if(ops->user(ctx, c->user.v, c->pass.v, &c->u) < 0) {
		answer(res, "ERROR: %s DATABASE ERROR: |%s|", function, c->user.v);
		return 1;
	}
	/* VICIdial's user_authorization(): the user and password, a level
	 * above 6, active, and not locked by 10 failed logins within 15
	 * minutes; before anything else */
	state = 0;
	if(ops->login_state && c->user.v[0] != '\0')
		state = ops->login_state(ctx, c->user.v, &failed, &since);
	if(state < 0) {
		answer(res, "ERROR: %s DATABASE ERROR: |%s|", function, c->user.v);
		return 1;
	}
	locked = state == 1 && failed >= PH_LOGIN_LOCK_ATTEMPTS
			 && since < PH_LOGIN_LOCK_SECONDS;
	if(!c->u.found || c->u.user_level <= 6 || c->u.active != 'Y' || locked) {
		if(state == 1 && failed >= PH_LOGIN_LOCK_ATTEMPTS
				&& since < PH_LOGIN_LOCK_SECONDS) {
			answer(res,
					"ERROR: Too many login attempts, try again in 15 minutes:"
					" |%s|LOCK|",
					c->user.v);
			return 1;
		}
		if(state == 1 && ops->login_record)
			ops->login_record(ctx, c->user.v,
					failed < PH_LOGIN_LOCK_ATTEMPTS ? PH_LOGIN_BAD
													: PH_LOGIN_BAD_RESTART,
					failed);
		answer(res, "ERROR: Login incorrect, please try again: |%s|%s|BAD|",
				c->user.v, c->pass.v);
		return 1;
	}
	if(state == 1 && ops->login_record)
		ops->login_record(ctx, c->user.v, PH_LOGIN_GOOD, failed);
	if(strlen(c->source.v) < 2) {
		answer(res, "ERROR: Invalid Source - %s\nERROR: Invalid Source: |%s|",
				c->source.v, c->source.v);
		return 1;
	}
	if(c->u.has_allowed_functions
			&& !ph_api_function_allowed(c->u.allowed_functions, function)) {
		answer(res,
				"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS"
				" FUNCTION: |%s|%s|",
				c->user.v, function);
		return 1;
	}
	if(!(c->u.user_level >= 8 && c->u.ast_admin_access == '1'
			   && c->u.vdc_agent_api_access == '1')) {
		/* the 0 is VICIdial's count of users allowed: none */
		answer(res, "ERROR: %s USER DOES NOT HAVE PERMISSION TO %s: |%s|0",
				function, what, c->user.v);
		return 1;
	}
	return 0;
}

int ph_api_function_allowed(const char *allowed, const char *function)
{
	char word[64];
	int n = snprintf(word, sizeof(word), " %s ", function);

	return strstr(allowed, "ALL_FUNCTIONS") != NULL
		   || (n > 0 && (size_t)n < sizeof(word) && strstr(allowed, word));
}

/* A database answer of -1 becomes an error line. */
static int db_failed(int rc, const char *function, const common_t *c,
		ph_api_result_t *res)
{
	if(rc >= 0)
		return 0;
	answer(res, "ERROR: %s DATABASE ERROR: |%s|", function, c->user.v);
	return 1;
}

/* 1, with the answer written, when the server is unknown or the database
 * failed; 0 to go on. */
static int no_server(const ph_api_ops_t *ops, void *ctx, const char *fn,
		const common_t *c, const char *ip, ph_api_result_t *res)
{
	int rc = ops->server_exists(ctx, ip);

	if(db_failed(rc, fn, c, res))
		return 1;
	if(rc == 0) {
		answer(res, "ERROR: %s SERVER DOES NOT EXIST: |%s|%s", fn, c->user.v,
				ip);
		return 1;
	}
	return 0;
}

/* ---- add_phone ---- */

static void add_phone(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, ph_api_result_t *res)
{
	static const char *const fn = "add_phone";
	field_t ext, dp, vm, login, ppass, ip, proto, reg, name, gmt, cid;
	field_t context, email, group, webphone, autoanswer, extip, tmpl, onhook;
	common_t c;
	int rc;

	if(authorise(q, ops, ctx, fn, "ADD PHONES", &c, res))
		return;
	get(q, "extension", SET_WORD, &ext);
	get(q, "dialplan_number", SET_DIGITS, &dp);
	get(q, "voicemail_id", SET_DIGITS, &vm);
	get(q, "phone_login", SET_WORD, &login);
	get(q, "phone_pass", SET_WORD, &ppass);
	get(q, "server_ip", SET_IP, &ip);
	get(q, "protocol", ALNUM, &proto);
	get(q, "registration_password", SET_WORD, &reg);
	get(q, "phone_full_name", SET_NAME, &name);
	get(q, "local_gmt", SET_GMT, &gmt);
	get(q, "outbound_cid", SET_DIGITS, &cid);
	if(!len_in(&ext, 2, 100) || !len_in(&dp, 1, 20) || !len_in(&vm, 1, 10)
			|| !len_in(&login, 1, 20) || !len_in(&ppass, 1, 20)
			|| !len_in(&ip, 7, 15) || !valid_protocol(proto.v)
			|| !len_in(&reg, 1, 20) || !len_in(&name, 1, 50)
			|| !len_in(&gmt, 1, 6) || !len_in(&cid, 1, 20)) {
		answer(res,
				"ERROR: %s YOU MUST USE ALL REQUIRED FIELDS:"
				" |%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s",
				fn, c.user.v, ext.v, dp.v, vm.v, login.v, ppass.v, ip.v,
				proto.v, reg.v, name.v, gmt.v, cid.v);
		return;
	}
	if(no_server(ops, ctx, fn, &c, ip.v, res))
		return;
	rc = ops->phone_exists(ctx, ext.v, ip.v);
	if(db_failed(rc, fn, &c, res))
		return;
	if(rc == 1) {
		answer(res, "ERROR: %s PHONE ALREADY EXISTS ON THIS SERVER: |%s|%s|%s",
				fn, c.user.v, ip.v, ext.v);
		return;
	}
	rc = ops->login_exists(ctx, login.v, NULL, NULL);
	if(db_failed(rc, fn, &c, res))
		return;
	if(rc == 1) {
		answer(res, "ERROR: %s PHONE LOGIN ALREADY EXISTS: |%s|%s", fn,
				c.user.v, login.v);
		return;
	}
	if(!valid_timezone(gmt.v)) {
		answer(res, "ERROR: %s YOU MUST USE A VALID TIMEZONE: |%s|%s", fn,
				c.user.v, gmt.v);
		return;
	}
	get(q, "template_id", SET_WORD, &tmpl);
	/* VICIdial: longer than 1; --BLANK-- empties it */
	tmpl.given = strlen(tmpl.v) > 1;
	if(tmpl.given && strcasecmp(tmpl.v, "--BLANK--") == 0)
		tmpl.v[0] = '\0';
	else if(tmpl.given) {
		rc = ops->template_exists(ctx, tmpl.v);
		if(db_failed(rc, fn, &c, res))
			return;
		if(rc == 0) {
			answer(res,
					"ERROR: %s TEMPLATE ID DOES NOT EXIST, THIS IS AN OPTIONAL"
					" FIELD: |%s|%s|%s",
					fn, c.user.v, login.v, tmpl.v);
			return;
		}
	}
	get(q, "phone_context", SET_WORD, &context);
	get(q, "email", SET_EMAIL, &email);
	get(q, "admin_user_group", SET_WORD, &group);
	get(q, "is_webphone", SET_WORD, &webphone);
	get(q, "webphone_auto_answer", SET_WORD, &autoanswer);
	get(q, "use_external_server_ip", SET_WORD, &extip);
	get(q, "on_hook_agent", SET_WORD, &onhook);

	res->action = PH_API_INSERT;
	copy_str(res->extension, sizeof(res->extension), ext.v);
	copy_str(res->server_ip, sizeof(res->server_ip), ip.v);
	add_field(res, "extension", ext.v);
	add_field(res, "dialplan_number", dp.v);
	add_field(res, "voicemail_id", vm.v);
	add_field(res, "server_ip", ip.v);
	add_field(res, "login", login.v);
	add_field(res, "pass", ppass.v);
	add_field(res, "conf_secret", reg.v);
	add_field(res, "protocol", proto.v);
	add_field(res, "fullname", name.v);
	add_field(res, "local_gmt", gmt.v);
	add_field(res, "outbound_cid", cid.v);
	add_field(res, "phone_context", context.given ? context.v : "default");
	add_field(res, "email", email.v);
	add_field(res, "user_group", group.given ? group.v : "---ALL---");
	/* optional columns only when given and valid, as VICIdial writes
	 * them: an older phones table without them takes every other add */
	if(yes_no(webphone.v) || strcasecmp(webphone.v, "Y_API_LAUNCH") == 0)
		add_field(res, "is_webphone", webphone.v);
	if(yes_no(autoanswer.v))
		add_field(res, "webphone_auto_answer", autoanswer.v);
	if(yes_no(extip.v))
		add_field(res, "use_external_server_ip", extip.v);
	if(tmpl.given)
		add_field(res, "template_id", tmpl.v);
	if(yes_no(onhook.v))
		add_field(res, "on_hook_agent", onhook.v);
	add_field(res, "active", "Y");
	add_field(res, "status", "ACTIVE");
	answer(res, "SUCCESS: %s PHONE HAS BEEN ADDED - %s|%s|%s|%s|%s", fn,
			c.user.v, ext.v, ip.v, proto.v, dp.v);
}

/* ---- update_phone ---- */

/* An editable field: its parameter, character set, column, length range,
 * whether --BLANK-- clears it, and the reason a bad value gets. */
typedef struct editable
{
	const char *param;
	const char *set;
	const char *column;
	size_t lo, hi;
	int blank;
	int digits; /* digits only */
	const char *reason;
} editable_t;

static const editable_t editables[] = {
		{"registration_password", SET_WORD, "conf_secret", 2, 30, 1, 0,
				"YOU MUST USE A VALID REGISTRATION PASSWORD"},
		{"phone_pass", SET_WORD, "pass", 2, 30, 0, 0,
				"YOU MUST USE A VALID PHONE PASSWORD"},
		{"voicemail_id", SET_DIGITS, "voicemail_id", 2, 30, 1, 1,
				"YOU MUST USE A VALID VOICEMAIL NUMBER"},
		{"dialplan_number", SET_DIGITS, "dialplan_number", 3, 30, 0, 1,
				"YOU MUST USE A VALID DIALPLAN NUMBER"},
		{"outbound_cid", SET_DIGITS, "outbound_cid", 6, 18, 0, 1,
				"OUTBOUND CID MUST BE FROM 6 TO 18 DIGITS, THIS IS AN"
				" OPTIONAL FIELD"},
		{"phone_full_name", SET_NAME, "fullname", 2, 30, 1, 0,
				"YOU MUST USE A VALID PHONE NAME"},
		{"phone_context", SET_WORD, "phone_context", 2, 30, 1, 0,
				"YOU MUST USE A VALID PHONE CONTEXT"},
};

static void update_phone(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, ph_api_result_t *res)
{
	static const char *const fn = "update_phone";
	field_t ext, ip, del, f, login, proto, gmt, active, ring;
	const char *raw;
	common_t c;
	size_t i;
	long n;
	int rc;

	if(authorise(q, ops, ctx, fn, "UPDATE PHONES", &c, res))
		return;
	get(q, "extension", SET_WORD, &ext);
	get(q, "server_ip", SET_IP, &ip);
	if(!len_in(&ext, 2, 100) || !len_in(&ip, 7, 15)) {
		answer(res, "ERROR: %s YOU MUST USE ALL REQUIRED FIELDS: |%s|%s|%s", fn,
				c.user.v, ext.v, ip.v);
		return;
	}
	if(no_server(ops, ctx, fn, &c, ip.v, res))
		return;
	rc = ops->phone_exists(ctx, ext.v, ip.v);
	if(db_failed(rc, fn, &c, res))
		return;
	if(rc == 0) {
		answer(res, "ERROR: %s PHONE DOES NOT EXIST ON THIS SERVER: |%s|%s|%s",
				fn, c.user.v, ip.v, ext.v);
		return;
	}
	copy_str(res->extension, sizeof(res->extension), ext.v);
	copy_str(res->server_ip, sizeof(res->server_ip), ip.v);

	get(q, "delete_phone", SET_YN, &del);
	if(strcmp(del.v, "Y") == 0) {
		if(c.u.ast_delete_phones != '1') {
			/* the 0 is VICIdial's count of users allowed: none */
			answer(res,
					"NOTICE: %s USER DOES NOT HAVE PERMISSION TO DELETE PHONES"
					": |%s|0",
					fn, c.user.v);
			return;
		}
		res->action = PH_API_DELETE;
		answer(res, "SUCCESS: %s PHONE HAS BEEN DELETED - %s|%s|%s|", fn,
				c.user.v, ext.v, ip.v);
		return;
	}

	get(q, "local_gmt", SET_GMT, &gmt);
	if(gmt.given) {
		if(!valid_timezone(gmt.v)) {
			answer(res, "ERROR: %s YOU MUST USE A VALID TIMEZONE: |%s|%s", fn,
					c.user.v, gmt.v);
			res->nfields = 0;
			return;
		}
		add_field(res, "local_gmt", gmt.v);
	}
	get(q, "protocol", ALNUM, &proto);
	if(proto.given) {
		if(!valid_protocol(proto.v)) {
			answer(res, "ERROR: %s YOU MUST USE A VALID PROTOCOL: |%s|%s", fn,
					c.user.v, proto.v);
			res->nfields = 0;
			return;
		}
		add_field(res, "protocol", proto.v);
	}
	get(q, "phone_login", SET_WORD, &login);
	if(login.given) {
		if(!len_in(&login, 2, 30)) {
			answer(res, "ERROR: %s YOU MUST USE A VALID PHONE LOGIN: |%s|%s", fn,
					c.user.v, login.v);
			res->nfields = 0;
			return;
		}
		rc = ops->login_exists(ctx, login.v, ext.v, ip.v);
		if(db_failed(rc, fn, &c, res)) {
			res->nfields = 0;
			return;
		}
		if(rc == 1) {
			answer(res, "ERROR: %s LOGIN ALREADY EXISTS: |%s|%s", fn, c.user.v,
					login.v);
			res->nfields = 0;
			return;
		}
		add_field(res, "login", login.v);
	}
	for(i = 0; i < sizeof(editables) / sizeof(editables[0]); i++) {
		raw = ph_api_query_get(q, editables[i].param);
		if(editables[i].blank && raw && strcmp(raw, "--BLANK--") == 0) {
			add_field(res, editables[i].column, "");
			continue;
		}
		get(q, editables[i].param, editables[i].set, &f);
		if(!f.given)
			continue;
		if(!len_in(&f, editables[i].lo, editables[i].hi)
				|| (editables[i].digits && !all_digits(f.v))) {
			answer(res, "ERROR: %s %s: |%s|%s", fn, editables[i].reason,
					c.user.v, f.v);
			res->nfields = 0;
			return;
		}
		add_field(res, editables[i].column, f.v);
	}
	get(q, "active", ALNUM, &active);
	if(active.given) {
		if(strcmp(active.v, "Y") != 0 && strcmp(active.v, "N") != 0) {
			answer(res,
					"ERROR: %s ACTIVE MUST BE Y OR N, THIS IS AN OPTIONAL FIELD"
					": |%s|%s",
					fn, c.user.v, active.v);
			res->nfields = 0;
			return;
		}
		add_field(res, "active", active.v);
	}
	get(q, "phone_ring_timeout", SET_DIGITS, &ring);
	if(ring.given) {
		n = strtol(ring.v, NULL, 10);
		if(strlen(ring.v) > 3 || n < 2 || n > 180) {
			answer(res,
					"ERROR: %s PHONE RING TIMEOUT MUST BE FROM 2 TO 180"
					" SECONDS, THIS IS AN OPTIONAL FIELD: |%s|%s",
					fn, c.user.v, ring.v);
			res->nfields = 0;
			return;
		}
		add_field(res, "phone_ring_timeout", ring.v);
	}
	/* Nothing to change: VICIdial's code answers that it updated the
	 * phone (its NO UPDATES DEFINED line needs an update text under 3
	 * characters, and its text always holds four spaces); nothing is
	 * written here. */
	res->action = res->nfields ? PH_API_UPDATE : PH_API_NONE;
	answer(res, "SUCCESS: %s PHONE HAS BEEN UPDATED - %s|%s|%s|", fn,
			c.user.v, ext.v, ip.v);
}

/* ---- add_phone_alias, update_phone_alias ---- */

#define SET_LOGINS "-,_" ALNUM
#define SET_ALIAS_NAME "- +.:/@_" ALNUM

/* 1, with the answer written, when a login of the comma list is no phone's
 * (or the database failed); 0 when every one is. */
static int missing_login(const ph_api_ops_t *ops, void *ctx, const char *fn,
		const common_t *c, const char *logins, ph_api_result_t *res)
{
	char one[PH_API_MAX_VALUE + 1];
	const char *p = logins, *end;
	size_t n;
	int rc;

	for(;;) {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		memcpy(one, p, n);
		one[n] = '\0';
		/* VICIdial asks for every piece, an empty one too */
		rc = ops->login_exists(ctx, one, NULL, NULL);
		if(db_failed(rc, fn, c, res))
			return 1;
		if(rc == 0) {
			answer(res, "ERROR: %s PHONE DOES NOT EXIST: |%s|%s", fn,
					c->user.v, one);
			return 1;
		}
		if(end == NULL)
			return 0;
		p = end + 1;
	}
}

/* The fields both alias functions read, and their REQUIRED FIELDS line. */
typedef struct alias_fields
{
	field_t id, name, logins;
} alias_fields_t;

static void get_alias(const ph_api_query_t *q, alias_fields_t *a)
{
	get(q, "alias_id", SET_WORD, &a->id);
	get(q, "alias_name", SET_ALIAS_NAME, &a->name);
	get(q, "phone_logins", SET_LOGINS, &a->logins);
}

static void alias_required(ph_api_result_t *res, const char *fn,
		const common_t *c, const alias_fields_t *a)
{
	answer(res, "ERROR: %s YOU MUST USE ALL REQUIRED FIELDS: |%s|%s|%s|%s", fn,
			c->user.v, a->id.v, a->name.v, a->logins.v);
}

static void add_phone_alias(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, ph_api_result_t *res)
{
	static const char *const fn = "add_phone_alias";
	alias_fields_t a;
	common_t c;
	int rc;

	if(authorise(q, ops, ctx, fn, "ADD PHONE ALIASES", &c, res))
		return;
	get_alias(q, &a);
	if(strlen(a.id.v) < 2 || strlen(a.logins.v) < 2 || strlen(a.name.v) < 1) {
		alias_required(res, fn, &c, &a);
		return;
	}
	rc = ops->alias_exists(ctx, a.id.v);
	if(db_failed(rc, fn, &c, res))
		return;
	if(rc == 1) {
		answer(res, "ERROR: %s PHONE ALIAS ALREADY EXISTS: |%s|%s", fn,
				c.user.v, a.id.v);
		return;
	}
	if(missing_login(ops, ctx, fn, &c, a.logins.v, res))
		return;
	res->action = PH_API_INSERT;
	res->target = PH_API_ALIASES;
	copy_str(res->extension, sizeof(res->extension), a.id.v);
	add_field(res, "alias_id", a.id.v);
	add_field(res, "alias_name", a.name.v);
	add_field(res, "logins_list", a.logins.v);
	answer(res, "SUCCESS: %s PHONE ALIAS HAS BEEN ADDED - %s|%s|%s|%s", fn,
			c.user.v, a.id.v, a.name.v, a.logins.v);
}

static void update_phone_alias(const ph_api_query_t *q,
		const ph_api_ops_t *ops, void *ctx, ph_api_result_t *res)
{
	static const char *const fn = "update_phone_alias";
	alias_fields_t a;
	field_t del;
	common_t c;
	int rc;

	if(authorise(q, ops, ctx, fn, "UPDATE PHONE ALIASES", &c, res))
		return;
	get_alias(q, &a);
	get(q, "delete_alias", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", &del);
	if(strlen(a.id.v) < 2
			|| (strlen(a.logins.v) < 2 && strlen(a.name.v) < 1
					&& strlen(del.v) < 1)) {
		alias_required(res, fn, &c, &a);
		return;
	}
	rc = ops->alias_exists(ctx, a.id.v);
	if(db_failed(rc, fn, &c, res))
		return;
	if(rc == 0) {
		answer(res, "ERROR: %s PHONE ALIAS DOES NOT EXIST: |%s|%s", fn,
				c.user.v, a.id.v);
		return;
	}
	res->target = PH_API_ALIASES;
	copy_str(res->extension, sizeof(res->extension), a.id.v);
	if(strcmp(del.v, "Y") == 0) {
		/* VICIdial's delete right: ast_delete_phones, not ast_admin_access */
		if(!(c.u.vdc_agent_api_access == '1' && c.u.ast_delete_phones == '1'
				   && c.u.user_level >= 8)) {
			answer(res,
					"NOTICE: %s USER DOES NOT HAVE PERMISSION TO DELETE PHONE"
					" ALIASES: |%s|0",
					fn, c.user.v);
			return;
		}
		res->action = PH_API_DELETE;
		answer(res, "SUCCESS: %s PHONE ALIAS HAS BEEN DELETED - %s|%s", fn,
				c.user.v, a.id.v);
		return;
	}
	if(a.name.given) {
		if(strlen(a.name.v) < 2 || strlen(a.name.v) > 50) {
			answer(res, "ERROR: %s YOU MUST USE A VALID ALIAS NAME: |%s|%s", fn,
					c.user.v, a.name.v);
			return;
		}
	}
	if(strlen(a.logins.v) > 1 && missing_login(ops, ctx, fn, &c, a.logins.v, res))
		return;
	if(strlen(a.logins.v) > 1)
		add_field(res, "logins_list", a.logins.v);
	if(a.name.given)
		add_field(res, "alias_name", a.name.v);
	if(res->nfields == 0) {
		answer(res, "NOTICE: %s NO UPDATES DEFINED: |%s|", fn, c.user.v);
		return;
	}
	res->action = PH_API_UPDATE;
	answer(res, "SUCCESS: %s PHONE ALIAS HAS BEEN UPDATED - %s|%s|", fn,
			c.user.v, a.id.v);
}

void ph_api_handle(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, ph_api_result_t *res)
{
	const char *function = ph_api_query_get(q, "function");

	memset(res, 0, sizeof(*res));
	if(function && strcmp(function, "add_phone") == 0)
		add_phone(q, ops, ctx, res);
	else if(function && strcmp(function, "update_phone") == 0)
		update_phone(q, ops, ctx, res);
	else if(function && strcmp(function, "add_phone_alias") == 0
			&& ops->alias_exists)
		add_phone_alias(q, ops, ctx, res);
	else if(function && strcmp(function, "update_phone_alias") == 0
			&& ops->alias_exists)
		update_phone_alias(q, ops, ctx, res);
	else
		answer(res, "ERROR: NO FUNCTION SPECIFIED");
}

void ph_api_db_error(const ph_api_query_t *q, ph_api_result_t *res)
{
	const char *function = ph_api_query_get(q, "function");
	field_t user;

	get(q, "user", NULL, &user);
	answer(res, "ERROR: %s DATABASE ERROR: |%s|", function ? function : "",
			user.v);
	res->action = PH_API_NONE;
	res->nfields = 0;
}

int ph_api_devices_allowed(const ph_api_user_t *u)
{
	return u->found && (u->active == 'Y' || u->active == 'y')
		   && (u->vdc_agent_api_access == '1' || u->ast_admin_access == '1');
}

void ph_api_redact(const ph_api_query_t *q, const char *line, char *out,
		size_t size)
{
	static const char *const names[] = PH_API_SECRET_PARAMS;
	const char *secrets[PH_API_MAX_PARAMS];
	size_t lens[PH_API_MAX_PARAMS];
	size_t ns = 0, n = 0, i, j, best;
	const char *mark = "<secret>";

	if(size == 0)
		return;
	/* every value of every secret parameter (PHP takes the last, a log
	 * must hide them all) */
	for(i = 0; i < (size_t)q->count && ns < PH_API_MAX_PARAMS; i++) {
		for(j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			if(strcmp(q->params[i].name, names[j]) == 0
					&& q->params[i].value[0] != '\0') {
				secrets[ns] = q->params[i].value;
				lens[ns++] = strlen(q->params[i].value);
			}
		}
	}
	for(i = 0; line[i] != '\0' && n + 1 < size;) {
		/* the longest secret that starts here */
		best = 0;
		for(j = 0; j < ns; j++) {
			if(lens[j] > best && strncmp(line + i, secrets[j], lens[j]) == 0)
				best = lens[j];
		}
		if(best) {
			for(j = 0; mark[j] && n + 1 < size; j++)
				out[n++] = mark[j];
			i += best;
		} else {
			out[n++] = line[i++];
		}
	}
	out[n] = '\0';
}
