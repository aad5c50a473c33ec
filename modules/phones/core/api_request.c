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
#include "unicode_letters.h"

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
	q->non_latin = 0;
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

#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define ALPHA "abcdefghijklmnopqrstuvwxyz" UPPER
#define ALNUM "0123456789" ALPHA
#define SET_WORD "-_" ALNUM
#define SET_DIGITS "0123456789"
#define SET_SERVER_IP "-.:_" ALNUM
#define SET_DIALPLAN "*#" ALNUM
#define SET_GMT "-.0123456789"
#define SET_NAME "- +._" ALNUM
#define SET_EMAIL "- '+.:/@%_" ALNUM

/* The sanitised value of name ("" when absent), and whether it was given. */
typedef struct field
{
	char v[PH_API_MAX_VALUE + 1];
	int given;
} field_t;

/* The code point of the UTF-8 sequence at s (its length in *len), or -1
 * for an invalid one (overlong, a surrogate, above U+10FFFF, cut). */
static long utf8_next(const unsigned char *s, size_t *len)
{
	long cp;
	size_t n, i;

	if(s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if(s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if(s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if(s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return -1;
	for(i = 1; i < n; i++) {
		if((s[i] & 0xc0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
			|| (cp >= 0xd800 && cp <= 0xdfff))
		return -1;
	*len = n;
	return cp;
}

static int unicode_letter(long cp)
{
	size_t lo = 0, hi = sizeof(unicode_letters) / sizeof(unicode_letters[0]);

	while(lo < hi) {
		size_t mid = (lo + hi) / 2;
		if((uint32_t)cp < unicode_letters[mid][0])
			hi = mid;
		else if((uint32_t)cp > unicode_letters[mid][1])
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Whether VICIdial sanitises the field with \p{L} for its letters when
 * use_non_latin is on: every field with letters in its set but these. */
static int non_latin_field(const char *name, const char *set)
{
	return strchr(set, 'a') != NULL && strcmp(name, "function") != 0
		   && strcmp(name, "server_ip") != 0 && strcmp(name, "protocol") != 0
		   && strcmp(name, "delete_vm_after_email") != 0;
}

static void get(const ph_api_query_t *q, const char *name, const char *set,
		field_t *f)
{
	const char *s = ph_api_query_get(q, name);
	size_t n = 0, len;
	long cp;

	f->v[0] = '\0';
	f->given = 0;
	if(s == NULL)
		return;
	if(q->non_latin && non_latin_field(name, set)) {
		/* PHP's preg_replace('/[^...\p{L}]/u'): an invalid UTF-8 value
		 * gives NULL, an empty string */
		const char *t;
		for(t = s; *t; t += len) {
			if(utf8_next((const unsigned char *)t, &len) < 0)
				return;
		}
		for(; *s; s += len) {
			cp = utf8_next((const unsigned char *)s, &len);
			if(cp < 0x80 ? strchr(set, (int)cp) == NULL : !unicode_letter(cp))
				continue;
			if(n + len > sizeof(f->v) - 1)
				break;
			memcpy(f->v + n, s, len);
			n += len;
		}
		f->v[n] = '\0';
		f->given = n > 0;
		return;
	}
	for(; *s && n < sizeof(f->v) - 1; s++) {
		if(strchr(set, *s) != NULL)
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

static const char *const timezones[] = {"12.75", "12.00", "11.00", "10.00",
		"9.50", "9.00", "8.00", "7.00", "6.50", "6.00", "5.75", "5.50", "5.00",
		"4.50", "4.00", "3.50", "3.00", "2.00", "1.00", "0.00", "-1.00",
		"-2.00", "-3.00", "-3.50", "-4.00", "-5.00", "-6.00", "-7.00", "-8.00",
		"-9.00", "-10.00", "-11.00", "-12.00"};

/* PHP's numeric string, as its != sees one (after VICIdial's sanitising
 * to "-.0123456789" no blanks or exponents are left): a sign, digits and
 * at most one point, with a digit on either side of it. */
static int php_numeric(const char *s)
{
	size_t digits = 0;
	int point = 0;

	if(*s == '-' || *s == '+')
		s++;
	for(; *s; s++) {
		if(*s >= '0' && *s <= '9')
			digits++;
		else if(*s == '.' && !point)
			point = 1;
		else
			return 0;
	}
	return digits > 0;
}

/* VICIdial's test is $local_gmt != '12.75' and ... for each zone, which
 * PHP 8 does numerically when both sides are numeric strings: "-5",
 * "-05.000", "-0" and "12.750" are zones (and are written as given). */
static int valid_timezone(const char *s)
{
	double v;
	size_t i;

	if(!php_numeric(s))
		return 0; /* compared as strings: no zone is spelled so */
	v = strtod(s, NULL);
	for(i = 0; i < sizeof(timezones) / sizeof(timezones[0]); i++) {
		if(v == strtod(timezones[i], NULL))
			return 1;
	}
	return 0;
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

/* The width of VICIdial's phones columns the API writes: a longer value
 * is cut to it, as VICIdial's MariaDB (not in strict mode, as VICIdial's
 * install sets it) stores it. */
static size_t column_width(const char *column)
{
	static const struct
	{
		const char *column;
		size_t width;
	} widths[] = {{"extension", 100}, {"dialplan_number", 20},
			{"voicemail_id", 10}, {"server_ip", 15}, {"login", 15},
			{"pass", 100}, {"conf_secret", 100}, {"fullname", 50},
			{"local_gmt", 6}, {"outbound_cid", 20}, {"phone_context", 20},
			{"email", 100}, {"user_group", 20}, {"template_id", 15},
			{"outbound_alt_cid", 20}, {"alias_id", 20}, {"alias_name", 50},
			{"logins_list", 255}};
	size_t i;

	for(i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		if(strcmp(widths[i].column, column) == 0)
			return widths[i].width;
	}
	return PH_API_MAX_VALUE;
}

static void add_field(ph_api_result_t *res, const char *column, const char *v)
{
	ph_api_field_t *f;
	size_t n = strlen(v), w = column_width(column);

	if(res->nfields >= PH_API_MAX_FIELDS)
		return;
	f = &res->fields[res->nfields++];
	f->column = column;
	if(res->utf8) {
		/* w characters (the value is valid UTF-8 or ASCII) */
		size_t chars = 0, i = 0;
		while(i < n && chars < w) {
			i++;
			while(i < n && ((unsigned char)v[i] & 0xc0) == 0x80)
				i++;
			chars++;
		}
		n = i;
	} else if(n > w)
		n = w;
	memcpy(f->value, v, n);
	f->value[n] = '\0';
}

/* ---- the checks every function starts with ---- */

typedef struct common
{
	field_t source, user, pass;
	ph_api_user_t u;
} common_t;

/* VICIdial's user_authorization(), before it looks at the function:
 * the user and password, a level above 6, active, and not locked by 10
 * failed logins within 15 minutes. Returns 0 to go on, 1 when answered. */
static int login(const ph_api_query_t *q, const ph_api_ops_t *ops, void *ctx,
		const char *function, common_t *c, ph_api_result_t *res)
{
	int state, failed = 0, locked;
	long since = 0;

	get(q, "source", ALNUM, &c->source);
	get(q, "user", SET_WORD, &c->user);
	get(q, "pass", SET_WORD, &c->pass);
	copy_str(res->user, sizeof(res->user), c->user.v);
	memset(&c->u, 0, sizeof(c->u));
	if(ops->user(ctx, c->user.v, c->pass.v, &c->u) < 0) {
		answer(res, "ERROR: %s DATABASE ERROR: |%s|", function, c->user.v);
		return 1;
	}
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
		if(locked) {
			if(ops->login_record)
				ops->login_record(ctx, c->user.v, PH_LOGIN_LOCKED, failed);
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
	return 0;
}

/* Source and permission, once logged in. Returns 0 to go on, 1 when
 * answered. */
static int authorise(const char *function, const char *what, common_t *c,
		ph_api_result_t *res)
{
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

/* 1, with the answer written, when server_exists' answer rc says the
 * server is unknown or the database failed; 0 to go on. */
static int server_missing(int rc, const char *fn, const common_t *c,
		const char *ip, ph_api_result_t *res)
{
	if(db_failed(rc, fn, c, res))
		return 1;
	if(rc == 0) {
		answer(res, "ERROR: %s SERVER DOES NOT EXIST: |%s|%s", fn, c->user.v,
				ip);
		return 1;
	}
	return 0;
}

/* 1, with the answer written, when the server is unknown or the database
 * failed; 0 to go on. */
static int no_server(const ph_api_ops_t *ops, void *ctx, const char *fn,
		const common_t *c, const char *ip, ph_api_result_t *res)
{
	return server_missing(ops->server_exists(ctx, ip), fn, c, ip, res);
}

/* outbound_cid as VICIdial sanitises it: digits, unless it is ---ALL---. */
static void get_cid(const ph_api_query_t *q, field_t *f)
{
	get(q, "outbound_cid", SET_WORD, f);
	if(strcmp(f->v, "---ALL---") != 0)
		get(q, "outbound_cid", SET_DIGITS, f);
}

/* email as VICIdial sanitises it: its set, then '+' as a blank. */
static void get_email(const ph_api_query_t *q, field_t *f)
{
	char *p;

	get(q, "email", SET_EMAIL, f);
	for(p = f->v; *p; p++) {
		if(*p == '+')
			*p = ' ';
	}
}

/* VICIdial's /^Y$|^N$/i and /^Y$|^N$|^Y_API_LAUNCH$/i. */
static int yes_no_any_case(const char *s)
{
	return strcasecmp(s, "Y") == 0 || strcasecmp(s, "N") == 0;
}

/* The optional columns both add_phone and update_phone write only when
 * given a value VICIdial takes: an older phones table without them takes
 * every other change. Returns 1 when answered (a template that does not
 * exist, or the database failed). */
static int optional_columns(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, const char *fn, const common_t *c, const field_t *login,
		ph_api_result_t *res)
{
	field_t webphone, autoanswer, extip, tmpl, onhook;
	int rc;

	get(q, "is_webphone", SET_WORD, &webphone);
	get(q, "webphone_auto_answer", SET_WORD, &autoanswer);
	get(q, "use_external_server_ip", SET_WORD, &extip);
	get(q, "template_id", SET_WORD, &tmpl);
	get(q, "on_hook_agent", SET_WORD, &onhook);
	if(yes_no_any_case(webphone.v)
			|| strcasecmp(webphone.v, "Y_API_LAUNCH") == 0)
		add_field(res, "is_webphone", webphone.v);
	if(yes_no_any_case(autoanswer.v))
		add_field(res, "webphone_auto_answer", autoanswer.v);
	if(yes_no_any_case(extip.v))
		add_field(res, "use_external_server_ip", extip.v);
	if(yes_no_any_case(onhook.v))
		add_field(res, "on_hook_agent", onhook.v);
	/* longer than 1; --BLANK-- (any case) empties it */
	if(strlen(tmpl.v) > 1) {
		if(strcasecmp(tmpl.v, "--BLANK--") == 0) {
			add_field(res, "template_id", "");
		} else {
			rc = ops->template_exists(ctx, tmpl.v);
			if(db_failed(rc, fn, c, res))
				return 1;
			if(rc == 0) {
				answer(res,
						"ERROR: %s TEMPLATE ID DOES NOT EXIST, THIS IS AN"
						" OPTIONAL FIELD: |%s|%s|%s",
						fn, c->user.v, login->v, tmpl.v);
				return 1;
			}
			add_field(res, "template_id", tmpl.v);
		}
	}
	return 0;
}

/* ---- add_phone ---- */

static void add_phone(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, common_t *cp, ph_api_result_t *res)
{
	static const char *const fn = "add_phone";
	field_t ext, dp, vm, login, ppass, ip, proto, reg, name, gmt, cid;
	field_t context, email, group;
	common_t c = *cp;
	int rc, together, found[3];

	if(authorise(fn, "ADD PHONES", &c, res))
		return;
	get(q, "extension", SET_WORD, &ext);
	get(q, "dialplan_number", SET_DIALPLAN, &dp);
	get(q, "voicemail_id", ALNUM, &vm);
	get(q, "phone_login", SET_WORD, &login);
	get(q, "phone_pass", SET_WORD, &ppass);
	get(q, "server_ip", SET_SERVER_IP, &ip);
	get(q, "protocol", ALNUM, &proto);
	get(q, "registration_password", SET_WORD, &reg);
	get(q, "phone_full_name", SET_NAME, &name);
	get(q, "local_gmt", SET_GMT, &gmt);
	get_cid(q, &cid);
	/* VICIdial's checks: lengths from below only (a longer value is cut
	 * to its column when written) */
	if(strlen(ext.v) < 2 || strlen(dp.v) < 2 || !vm.given || !login.given
			|| !ppass.given || !ip.given || !proto.given || !reg.given
			|| !name.given || !gmt.given || !cid.given
			|| !valid_protocol(proto.v)) {
		answer(res,
				"ERROR: %s YOU MUST USE ALL REQUIRED FIELDS:"
				" |%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s",
				fn, c.user.v, ext.v, dp.v, vm.v, login.v, ppass.v, ip.v,
				proto.v, reg.v, name.v, gmt.v, cid.v);
		return;
	}
	/* the server, the phone and the login: in one look-up where the
	 * database can, each answered in VICIdial's order */
	together = ops->add_checks != NULL;
	if(together) {
		rc = ops->add_checks(ctx, ip.v, ext.v, login.v, found);
		if(db_failed(rc, fn, &c, res))
			return;
		together = rc == 0;
	}
	rc = together ? found[0] : ops->server_exists(ctx, ip.v);
	if(server_missing(rc, fn, &c, ip.v, res))
		return;
	rc = together ? found[1] : ops->phone_exists(ctx, ext.v, ip.v, NULL, 0);
	if(db_failed(rc, fn, &c, res))
		return;
	if(rc == 1) {
		answer(res, "ERROR: %s PHONE ALREADY EXISTS ON THIS SERVER: |%s|%s|%s",
				fn, c.user.v, ip.v, ext.v);
		return;
	}
	rc = together ? found[2] : ops->login_exists(ctx, login.v, NULL, NULL);
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
	get(q, "phone_context", SET_WORD, &context);
	get_email(q, &email);
	get(q, "admin_user_group", SET_WORD, &group);

	res->action = PH_API_INSERT;
	copy_str(res->extension, sizeof(res->extension), ext.v);
	copy_str(res->extension_given, sizeof(res->extension_given), ext.v);
	copy_str(res->server_ip, sizeof(res->server_ip), ip.v);
	add_field(res, "extension", ext.v);
	add_field(res, "dialplan_number", dp.v);
	add_field(res, "voicemail_id", vm.v);
	add_field(res, "login", login.v);
	add_field(res, "pass", ppass.v);
	add_field(res, "server_ip", ip.v);
	add_field(res, "protocol", proto.v);
	add_field(res, "conf_secret", reg.v);
	add_field(res, "fullname", name.v);
	add_field(res, "local_gmt", gmt.v);
	add_field(res, "outbound_cid", cid.v);
	add_field(res, "phone_context", context.given ? context.v : "default");
	add_field(res, "email", email.v);
	add_field(res, "active", "Y");
	add_field(res, "status", "ACTIVE");
	add_field(res, "user_group", group.given ? group.v : "---ALL---");
	if(optional_columns(q, ops, ctx, fn, &c, &login, res)) {
		res->action = PH_API_NONE;
		res->nfields = 0;
		return;
	}
	answer(res, "SUCCESS: %s PHONE HAS BEEN ADDED - %s|%s|%s|%s|%s", fn,
			c.user.v, ext.v, ip.v, proto.v, dp.v);
}

/* ---- update_phone ---- */

/* VICIdial's admin_viewable_groups: restricted unless it holds --ALL--
 * (any case) or is 3 characters or shorter. */
static int groups_restricted(const char *groups)
{
	const char *p;

	for(p = groups; *p; p++) {
		if(strncasecmp(p, "--ALL--", 7) == 0)
			return 0;
	}
	return strlen(groups) > 3;
}

/* Whether a phone of user_group may be seen through groups (restricted):
 * VICIdial's IN('---ALL---', <groups without " -", split at blanks>),
 * compared as MySQL compares, without regard to case. */
static int group_viewable(const char *groups, const char *group)
{
	char list[sizeof(((ph_api_user_t *)0)->viewable_groups)];
	const char *p, *end;
	size_t n = 0, len;

	if(strcasecmp(group, "---ALL---") == 0)
		return 1;
	for(p = groups; *p && n + 1 < sizeof(list);) {
		if(p[0] == ' ' && p[1] == '-') {
			p += 2;
			continue;
		}
		list[n++] = *p++;
	}
	list[n] = '\0';
	for(p = list;; p = end + 1) {
		end = strchr(p, ' ');
		len = end ? (size_t)(end - p) : strlen(p);
		if(strlen(group) == len && strncasecmp(p, group, len) == 0)
			return 1;
		if(end == NULL)
			return 0;
	}
}

/* A field of update_phone: "--BLANK--" (as sanitised) clears it where
 * VICIdial allows that; otherwise its length must be within lo..hi. */
typedef struct editable
{
	const char *param;
	const char *set;
	const char *column;
	size_t lo, hi;
	int blank;
	const char *reason;
} editable_t;

/* Checks and adds one editable field. Returns 1 when answered. */
static int edit(const ph_api_query_t *q, const editable_t *e, const char *fn,
		const common_t *c, ph_api_result_t *res)
{
	field_t f;

	get(q, e->param, e->set, &f);
	if(!f.given)
		return 0;
	if(e->blank && strcmp(f.v, "--BLANK--") == 0) {
		add_field(res, e->column, "");
		return 0;
	}
	if(!len_in(&f, e->lo, e->hi)) {
		answer(res, "ERROR: %s %s: |%s|%s", fn, e->reason, c->user.v, f.v);
		return 1;
	}
	add_field(res, e->column, f.v);
	return 0;
}

static const editable_t edit_email = {"email", NULL, "email", 5, 300, 1,
		"YOU MUST USE A VALID EMAIL"};
static const editable_t edit_context = {"phone_context", SET_WORD,
		"phone_context", 2, 30, 1, "YOU MUST USE A VALID PHONE CONTEXT"};
static const editable_t edit_name = {"phone_full_name", SET_NAME, "fullname",
		2, 30, 1, "YOU MUST USE A VALID PHONE NAME"};
static const editable_t edit_reg = {"registration_password", SET_WORD,
		"conf_secret", 2, 30, 1, "YOU MUST USE A VALID REGISTRATION PASSWORD"};
static const editable_t edit_pass = {"phone_pass", SET_WORD, "pass", 2, 30, 0,
		"YOU MUST USE A VALID PHONE PASSWORD"};
/* voicemail_id is sanitised to letters and digits first: VICIdial's
 * --BLANK-- test can never match it (BLANK is written instead) */
static const editable_t edit_vm = {"voicemail_id", ALNUM, "voicemail_id", 2,
		30, 1, "YOU MUST USE A VALID VOICEMAIL NUMBER"};
static const editable_t edit_dp = {"dialplan_number", SET_DIALPLAN,
		"dialplan_number", 3, 30, 0, "YOU MUST USE A VALID DIALPLAN NUMBER"};
static const editable_t edit_group = {"admin_user_group", SET_WORD,
		"user_group", 2, 20, 0,
		"USER GROUP MUST BE FROM 2 TO 20 CHARACTERS, THIS IS AN OPTIONAL"
		" FIELD"};
/* as voicemail_id: --BLANK-- becomes BLANK, too short for the check */
static const editable_t edit_alt_cid = {"outbound_alt_cid", ALNUM,
		"outbound_alt_cid", 6, 18, 1,
		"OUTBOUND ALT CID MUST BE FROM 6 TO 18 DIGITS, THIS IS AN OPTIONAL"
		" FIELD"};

/* A field that must be exactly Y or N once sanitised with set. Returns 1
 * when answered. */
static int edit_yes_no(const ph_api_query_t *q, const char *param,
		const char *set, const char *column, const char *reason,
		const char *fn, const common_t *c, ph_api_result_t *res)
{
	field_t f;

	get(q, param, set, &f);
	if(!f.given)
		return 0;
	if(strcmp(f.v, "Y") != 0 && strcmp(f.v, "N") != 0) {
		answer(res, "ERROR: %s %s: |%s|%s", fn, reason, c->user.v, f.v);
		return 1;
	}
	add_field(res, column, f.v);
	return 0;
}

/* A string of digits as PHP compares it with a number: its value, large
 * ones saturated. */
static long digits_value(const char *s)
{
	long v = 0;

	for(; *s; s++) {
		v = v * 10 + (*s - '0');
		if(v > 1000000L)
			return 1000000L;
	}
	return v;
}

/* Each optional field of update_phone, in the order VICIdial's code checks
 * them; the first bad one answers. Returns 1 when answered. */
static int update_fields(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, const char *fn, const common_t *c, const field_t *ext,
		const field_t *ip, ph_api_result_t *res)
{
	field_t f, login, cid, alt;
	int rc;

	get(q, "local_gmt", SET_GMT, &f);
	if(f.given) {
		if(!valid_timezone(f.v)) {
			answer(res, "ERROR: %s YOU MUST USE A VALID TIMEZONE: |%s|%s", fn,
					c->user.v, f.v);
			return 1;
		}
		add_field(res, "local_gmt", f.v);
	}
	get_email(q, &f);
	if(f.given) {
		if(strcmp(f.v, "--BLANK--") == 0)
			add_field(res, "email", "");
		else if(!len_in(&f, edit_email.lo, edit_email.hi)) {
			answer(res, "ERROR: %s %s: |%s|%s", fn, edit_email.reason,
					c->user.v, f.v);
			return 1;
		} else
			add_field(res, "email", f.v);
	}
	if(edit(q, &edit_context, fn, c, res) || edit(q, &edit_name, fn, c, res)
			|| edit(q, &edit_reg, fn, c, res))
		return 1;
	get(q, "protocol", ALNUM, &f);
	if(f.given) {
		if(!valid_protocol(f.v)) {
			answer(res, "ERROR: %s YOU MUST USE A VALID PROTOCOL: |%s|%s", fn,
					c->user.v, f.v);
			return 1;
		}
		add_field(res, "protocol", f.v);
	}
	if(edit(q, &edit_pass, fn, c, res))
		return 1;
	get(q, "phone_login", SET_WORD, &login);
	if(login.given) {
		/* VICIdial's: another phone's login, on another extension AND
		 * another server */
		rc = ops->login_exists(ctx, login.v, ext->v, ip->v);
		if(db_failed(rc, fn, c, res))
			return 1;
		if(rc == 1) {
			answer(res, "ERROR: %s LOGIN ALREADY EXISTS: |%s|%s", fn,
					c->user.v, login.v);
			return 1;
		}
		add_field(res, "login", login.v);
	}
	if(edit(q, &edit_vm, fn, c, res) || edit(q, &edit_dp, fn, c, res))
		return 1;
	if(edit_yes_no(q, "active", UPPER, "active",
			   "ACTIVE MUST BE Y OR N, THIS IS AN OPTIONAL FIELD", fn, c, res))
		return 1;
	get_cid(q, &cid);
	if(cid.given) {
		if(!len_in(&cid, 6, 18)) {
			answer(res,
					"ERROR: %s OUTBOUND CID MUST BE FROM 6 TO 18 DIGITS, THIS"
					" IS AN OPTIONAL FIELD: |%s|%s",
					fn, c->user.v, cid.v);
			return 1;
		}
		add_field(res, "outbound_cid", cid.v);
	}
	if(edit(q, &edit_group, fn, c, res) || edit(q, &edit_alt_cid, fn, c, res))
		return 1;
	get(q, "outbound_alt_cid", ALNUM, &alt);
	get(q, "phone_ring_timeout", SET_DIGITS, &f);
	if(f.given) {
		if(digits_value(f.v) > 180 || digits_value(f.v) < 2) {
			/* VICIdial's line shows outbound_alt_cid here */
			answer(res,
					"ERROR: %s PHONE RING TIMEOUT MUST BE FROM 2 TO 180"
					" SECONDS, THIS IS AN OPTIONAL FIELD: |%s|%s",
					fn, c->user.v, alt.v);
			return 1;
		}
		add_field(res, "phone_ring_timeout", f.v);
	}
	if(edit_yes_no(q, "delete_vm_after_email", ALPHA, "delete_vm_after_email",
			   "DELETE VOICEMAIL AFTER EMAIL MUST BE Y OR N, THIS IS AN OPTIONAL"
			   " FIELD",
			   fn, c, res))
		return 1;
	return optional_columns(q, ops, ctx, fn, c, &login, res);
}

static void update_phone(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, common_t *cp, ph_api_result_t *res)
{
	static const char *const fn = "update_phone";
	char group[64];
	field_t ext, ip, del;
	common_t c = *cp;
	int rc, restricted;

	if(authorise(fn, "UPDATE PHONES", &c, res))
		return;
	get(q, "extension", SET_WORD, &ext);
	get(q, "server_ip", SET_SERVER_IP, &ip);
	if(strlen(ext.v) < 2 || !ip.given) {
		answer(res, "ERROR: %s YOU MUST USE ALL REQUIRED FIELDS: |%s|%s|%s", fn,
				c.user.v, ext.v, ip.v);
		return;
	}
	if(no_server(ops, ctx, fn, &c, ip.v, res))
		return;
	/* a user whose group sees only some groups sees only their phones */
	if(ops->viewable_groups
			&& db_failed(ops->viewable_groups(ctx, &c.u), fn, &c, res))
		return;
	restricted = groups_restricted(c.u.viewable_groups);
	group[0] = '\0';
	rc = ops->phone_exists(
			ctx, ext.v, ip.v, restricted ? group : NULL, sizeof(group));
	if(db_failed(rc, fn, &c, res))
		return;
	/* a NULL user_group is in no IN() list: restricted users do not see
	 * the phone */
	if(rc == 0
			|| (restricted
					&& (rc == 2
							|| !group_viewable(c.u.viewable_groups, group)))) {
		answer(res, "ERROR: %s PHONE DOES NOT EXIST ON THIS SERVER: |%s|%s|%s",
				fn, c.user.v, ip.v, ext.v);
		return;
	}
	copy_str(res->extension, sizeof(res->extension), ext.v);
	copy_str(res->extension_given, sizeof(res->extension_given), ext.v);
	copy_str(res->server_ip, sizeof(res->server_ip), ip.v);

	get(q, "delete_phone", UPPER, &del);
	if(strcmp(del.v, "Y") == 0) {
		/* VICIdial's count of such users, 0, ends the line */
		if(!(c.u.vdc_agent_api_access == '1' && c.u.ast_delete_phones == '1'
				   && c.u.user_level >= 8 && c.u.active == 'Y')) {
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
	/* every update empties install_directory, as VICIdial's does; its
	 * NO UPDATES DEFINED line cannot be reached (the update text it builds
	 * always holds four blanks) */
	add_field(res, "install_directory", "");
	if(update_fields(q, ops, ctx, fn, &c, &ext, &ip, res)) {
		res->nfields = 0;
		return;
	}
	res->action = PH_API_UPDATE;
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
		void *ctx, common_t *cp, ph_api_result_t *res)
{
	static const char *const fn = "add_phone_alias";
	alias_fields_t a;
	common_t c = *cp;
	int rc;

	if(authorise(fn, "ADD PHONE ALIASES", &c, res))
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

static void update_phone_alias(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, common_t *cp, ph_api_result_t *res)
{
	static const char *const fn = "update_phone_alias";
	alias_fields_t a;
	field_t del;
	common_t c = *cp;
	int rc;

	if(authorise(fn, "UPDATE PHONE ALIASES", &c, res))
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
	common_t c;
	field_t function;

	memset(res, 0, sizeof(*res));
	res->utf8 = q->non_latin;
	/* VICIdial's order: the function sanitised ("add_phone'" is
	 * add_phone), the login checked and recorded whatever the function,
	 * then the function */
	get(q, "function", SET_WORD, &function);
	if(login(q, ops, ctx, function.v, &c, res))
		return;
	if(strcmp(function.v, "add_phone") == 0)
		add_phone(q, ops, ctx, &c, res);
	else if(strcmp(function.v, "update_phone") == 0)
		update_phone(q, ops, ctx, &c, res);
	else if(strcmp(function.v, "add_phone_alias") == 0 && ops->alias_exists)
		add_phone_alias(q, ops, ctx, &c, res);
	else if(strcmp(function.v, "update_phone_alias") == 0
			&& ops->alias_exists)
		update_phone_alias(q, ops, ctx, &c, res);
	else
		answer(res, "ERROR: NO FUNCTION SPECIFIED");
}

void ph_api_db_error(const ph_api_query_t *q, ph_api_result_t *res)
{
	field_t function, user;

	get(q, "function", SET_WORD, &function);
	get(q, "user", SET_WORD, &user);
	answer(res, "ERROR: %s DATABASE ERROR: |%s|", function.v, user.v);
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
	const char *secrets[PH_API_MAX_PARAMS + 3];
	size_t lens[PH_API_MAX_PARAMS + 3];
	size_t ns = 0, n = 0, i, j, best;
	const char *mark = "<secret>";
	field_t clean[3];

	if(size == 0)
		return;
	/* the values as sanitised (what an answer echoes) */
	for(j = 0; j < sizeof(names) / sizeof(names[0]) && j < 3; j++) {
		get(q, names[j], SET_WORD, &clean[j]);
		if(clean[j].given) {
			secrets[ns] = clean[j].v;
			lens[ns++] = strlen(clean[j].v);
		}
	}
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

int ph_api_log_row(const ph_api_query_t *q, const ph_api_result_t *res,
		ph_api_log_row_t *row)
{
	const char *line = res->line, *colon, *rest, *mark, *data = "";
	char user_mark[PH_API_MAX_VALUE + 8], clean[PH_API_MAX_LINE];
	field_t f;
	size_t n;
	char *p;

	memset(row, 0, sizeof(*row));
	/* user_authorization() refusals are answered before any api_log();
	 * a DATABASE ERROR is this API's own */
	if(strncmp(line, "ERROR: Login incorrect", 22) == 0
			|| strncmp(line, "ERROR: Too many login attempts", 30) == 0
			|| strstr(line, " DATABASE ERROR: ") != NULL)
		return -1;
	colon = strstr(line, ": ");
	if(colon == NULL)
		return -1;
	get(q, "user", SET_WORD, &f);
	copy_str(row->user, sizeof(row->user), f.v);
	get(q, "function", SET_WORD, &f);
	copy_str(row->function, sizeof(row->function), f.v);
	get(q, "source", ALNUM, &f);
	copy_str(row->source, sizeof(row->source), f.v);
	n = (size_t)(colon - line);
	if(n >= sizeof(row->result))
		n = sizeof(row->result) - 1;
	memcpy(row->result, line, n);
	row->result[n] = '\0';
	rest = colon + 2;
	if(strncmp(rest, "Invalid Source - ", 17) == 0) {
		copy_str(row->reason, sizeof(row->reason), "Invalid Source");
		return 0;
	}
	if(strcmp(row->result, "SUCCESS") == 0) {
		/* "<reason> - <user>|<data>" */
		snprintf(user_mark, sizeof(user_mark), " - %s|", res->user);
		mark = strstr(rest, user_mark);
		if(mark)
			data = mark + strlen(user_mark);
	} else {
		/* "<reason>: |<user>|<data>" */
		snprintf(user_mark, sizeof(user_mark), ": |%s|", res->user);
		mark = strstr(rest, user_mark);
		if(mark)
			data = mark + strlen(user_mark);
	}
	n = mark ? (size_t)(mark - rest) : strlen(rest);
	if(n >= sizeof(row->reason))
		n = sizeof(row->reason) - 1;
	memcpy(row->reason, rest, n);
	row->reason[n] = '\0';
	/* api_allowed_functions' refusal echoes the function, but its data is
	 * VICIdial's $allowed_user, not yet set: empty */
	if(strncmp(row->reason, "auth ", 5) == 0)
		data = "";
	ph_api_redact(q, data, clean, sizeof(clean));
	/* api_log() turns double quotes into single ones */
	for(p = clean; *p; p++) {
		if(*p == '"')
			*p = '\'';
	}
	copy_str(row->data, sizeof(row->data), clean);
	return 0;
}
