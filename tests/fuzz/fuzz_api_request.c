/*
 * kamailio-phones: fuzzing VICIdial API requests (ph_api_query_parse and
 * ph_api_handle), the core's entry point for outside HTTP and RPC input.
 *
 * The input is a query string as a client would send it. The first byte,
 * if it is a digit, makes one of the database callbacks fail ('1'..'5');
 * the database is a fixed fake VICIdial: users 6666/1234 (every right) and
 * 7777/pw (no delete right); servers 127.0.0.2 and 127.0.0.3; phones whose
 * extension starts with 'e'; logins starting with 'l'; templates with 't'.
 *
 * Checked on every input: a query that does not parse says why and is
 * answered nothing else; with no callback failing, the answer and the
 * row are the same, byte for byte, when add_phone's three look-ups come
 * from one call (ops' add_checks) and the user's viewable groups only
 * when update_phone asks (ops' viewable_groups); an answer is one line of VICIdial's kinds; an
 * action comes only with a SUCCESS line of its function; what would be
 * written holds only characters its field allows, no control character,
 * quote or semicolon, and fits its column.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "fuzz.h"

#include "phones/api_request.h"

static int fail_op;
/* a callback that failed was asked */
static int failed;
/* the ops with add_checks and viewable_groups are in use */
static int fz_together;

static int fake_user(
		void *ctx, const char *user, const char *pass, ph_api_user_t *out)
{
	(void)ctx;
	memset(out, 0, sizeof(*out));
	if(fail_op == 1) {
		failed = 1;
		return -1;
	}
	if((strcmp(user, "6666") == 0 && strcmp(pass, "1234") == 0)
			|| (strcmp(user, "7777") == 0 && strcmp(pass, "pw") == 0)) {
		out->found = 1;
		out->user_level = 9;
		out->active = 'Y';
		out->ast_admin_access = '1';
		out->vdc_agent_api_access = '1';
		out->ast_delete_phones = user[0] == '6' ? '1' : '0';
		/* 7777's group sees only groups A and B (asked for by
		 * update_phone alone where ops have viewable_groups) */
		if(user[0] == '7')
			snprintf(out->user_group, sizeof(out->user_group), "G7");
		if(user[0] == '7' && !fz_together)
			snprintf(out->viewable_groups, sizeof(out->viewable_groups),
					" A B -");
	}
	return 0;
}

static int fake_server(void *ctx, const char *ip)
{
	(void)ctx;
	if(fail_op == 2) {
		failed = 1;
		return -1;
	}
	return strcmp(ip, "127.0.0.2") == 0 || strcmp(ip, "127.0.0.3") == 0;
}

static int fake_phone(
		void *ctx, const char *ext, const char *ip, char *group, size_t gsize)
{
	(void)ctx;
	(void)ip;
	if(fail_op == 3) {
		failed = 1;
		return -1;
	}
	/* the group from the extension's second character */
	if(group && gsize > 2) {
		group[0] = ext[0] ? ext[1] : '\0';
		group[1] = '\0';
	}
	return ext[0] == 'e';
}

static int fake_login(void *ctx, const char *login, const char *ext,
		const char *ip)
{
	(void)ctx;
	(void)ext;
	(void)ip;
	if(fail_op == 4) {
		failed = 1;
		return -1;
	}
	return login[0] == 'l';
}

static int fake_template(void *ctx, const char *id)
{
	(void)ctx;
	if(fail_op == 5) {
		failed = 1;
		return -1;
	}
	return id[0] == 't';
}

/* the failed-login lock-out: a count from the user name's length, so that
 * inputs reach both sides of the lock */
static int fake_login_state(void *ctx, const char *user, int *failed, long *since)
{
	(void)ctx;
	*failed = (int)(strlen(user) % 12);
	*since = (long)(strlen(user) * 100);
	return user[0] == 'x' ? -1 : 1;
}

static int fake_login_record(void *ctx, const char *user, int outcome, int failed)
{
	(void)ctx;
	(void)user;
	fz_check(outcome >= PH_LOGIN_GOOD && outcome <= PH_LOGIN_LOCKED,
			"outcome %d", outcome);
	fz_check(outcome != PH_LOGIN_BAD || failed < PH_LOGIN_LOCK_ATTEMPTS,
			"counted past the lock");
	return 0;
}

static int fake_alias(void *ctx, const char *alias_id)
{
	(void)ctx;
	if(fail_op == 6) {
		failed = 1;
		return -1;
	}
	return alias_id[0] == 'a';
}

static int fake_viewable(void *ctx, ph_api_user_t *u)
{
	(void)ctx;
	snprintf(u->viewable_groups, sizeof(u->viewable_groups), "%s",
			strcmp(u->user_group, "G7") == 0 ? " A B -" : "");
	return 0;
}

static int fake_add_checks(void *ctx, const char *ip, const char *ext,
		const char *login, int found[3])
{
	found[0] = fake_server(ctx, ip);
	found[1] = fake_phone(ctx, ext, ip, NULL, 0);
	found[2] = fake_login(ctx, login, NULL, NULL);
	return found[0] < 0 || found[1] < 0 || found[2] < 0 ? -1 : 0;
}

static const ph_api_ops_t ops = {fake_user, fake_server, fake_phone,
		fake_login, fake_template, fake_login_state, fake_login_record,
		fake_alias, NULL, NULL};

static const ph_api_ops_t ops_together = {fake_user, fake_server, fake_phone,
		fake_login, fake_template, fake_login_state, fake_login_record,
		fake_alias, fake_viewable, fake_add_checks};

#define ALNUM                                                            \
	"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

FZ_NO_COVERAGE static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* use_non_latin on for this input: values may hold Unicode letters */
static int fz_non_latin;

FZ_NO_COVERAGE static void check_field(const ph_api_field_t *f)
{
	char ascii[sizeof(f->value)];
	const char *p, *v = f->value;
	size_t n = 0, len = 0;

	fz_check(f->column != NULL, "a field without a column");
	fz_check(memchr(f->value, '\0', sizeof(f->value)) != NULL,
			"%s not terminated", f->column);
	/* VICIdial's email keeps a quote (the database API escapes it) */
	for(p = f->value; *p; p++) {
		fz_check((unsigned char)*p >= 0x20 && *p != 0x7f
						 && (*p != '\'' || strcmp(f->column, "email") == 0)
						 && *p != '"' && *p != ';' && *p != '\\',
				"%s holds byte 0x%02x", f->column, (unsigned char)*p);
	}
	/* the sets are checked on the ASCII part, lengths in characters */
	for(p = f->value; *p; p++) {
		if((unsigned char)*p < 0x80)
			ascii[n++] = *p;
		if(((unsigned char)*p & 0xc0) != 0x80)
			len++;
	}
	ascii[n] = '\0';
	if(fz_non_latin && strcmp(f->column, "protocol") != 0)
		v = ascii;
	else
		fz_check(n == len && len == strlen(f->value), "%s holds non-ASCII",
				f->column);
	if(strcmp(f->column, "extension") == 0)
		fz_check(len <= 100
						 && strspn(v, "-_" ALNUM) == strlen(v),
				"extension '%s'", f->value);
	if(strcmp(f->column, "dialplan_number") == 0)
		fz_check(strspn(v, "*#" ALNUM) == strlen(v) && len <= 20,
				"%s '%s'", f->column, f->value);
	if(strcmp(f->column, "voicemail_id") == 0)
		fz_check(strspn(v, ALNUM) == strlen(v) && len <= 10,
				"%s '%s'", f->column, f->value);
	if(strcmp(f->column, "outbound_cid") == 0)
		fz_check((strspn(f->value, "0123456789") == strlen(f->value)
						 || strcmp(f->value, "---ALL---") == 0)
						 && strlen(f->value) <= 20,
				"%s '%s'", f->column, f->value);
	if(strcmp(f->column, "protocol") == 0)
		fz_check(strcmp(f->value, "SIP") == 0 || strcmp(f->value, "IAX2") == 0
						 || strcmp(f->value, "Zap") == 0
						 || strcmp(f->value, "EXTERNAL") == 0,
				"protocol '%s'", f->value);
}

/* Whether s is valid UTF-8 (no sequence cut, none overlong). */
static int utf8_valid(const unsigned char *s)
{
	size_t n, i;

	while(*s) {
		if(*s < 0x80)
			n = 1;
		else if(*s >= 0xc2 && *s <= 0xdf)
			n = 2;
		else if(*s >= 0xe0 && *s <= 0xef)
			n = 3;
		else if(*s >= 0xf0 && *s <= 0xf4)
			n = 4;
		else
			return 0;
		for(i = 1; i < n; i++) {
			if((s[i] & 0xc0) != 0x80)
				return 0;
		}
		s += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ph_api_query_t q;
	static ph_api_result_t res;
	static ph_api_log_row_t row;
	char err[64];
	int i, non_latin = 0;

	fail_op = 0;
	failed = 0;
	if(size > 0 && data[0] >= '1' && data[0] <= '5') {
		fail_op = data[0] - '0';
		data++;
		size--;
	}
	/* 'u': system_settings' use_non_latin on */
	if(size > 0 && data[0] == 'u') {
		non_latin = 1;
		data++;
		size--;
	}
	if(ph_api_query_parse((const char *)data, size, &q, err, sizeof(err))
			< 0) {
		fz_check(err[0] != '\0' && memchr(err, '\0', sizeof(err)) != NULL,
				"a refused query without a reason");
		return 0;
	}
	fz_check(q.count >= 0 && q.count <= PH_API_MAX_PARAMS, "%d params",
			q.count);
	q.non_latin = non_latin;
	fz_non_latin = non_latin;
	ph_api_handle(&q, &ops, NULL, &res);
	fz_check(memchr(res.line, '\0', sizeof(res.line)) != NULL,
			"answer not terminated");
	/* its vicidial_api_log row: terminated, no quote in data */
	if(ph_api_log_row(&q, &res, &row) == 0)
		fz_check(memchr(row.data, '\0', sizeof(row.data)) != NULL
						&& strchr(row.data, '"') == NULL
						&& memchr(row.reason, '\0', sizeof(row.reason)) != NULL,
				"api log row of '%s'", res.line);
	fz_check(starts(res.line, "SUCCESS: ") || starts(res.line, "ERROR: ")
					|| starts(res.line, "NOTICE: "),
			"answer '%s'", res.line);
	/* one line, but for VICIdial's two lines of a short source */
	fz_check(strchr(res.line, '\r') == NULL
					&& (strchr(res.line, '\n') == NULL
							|| (starts(res.line, "ERROR: Invalid Source - ")
									&& strchr(res.line, '\n')
											   == strrchr(res.line, '\n')
									&& starts(strchr(res.line, '\n') + 1,
											"ERROR: Invalid Source: |"))),
			"a line break in '%s'", res.line);
	switch(res.action) {
		case PH_API_NONE:
			/* no success without a write (an update of nothing writes
			 * install_directory, as VICIdial's does) */
			fz_check(!starts(res.line, "SUCCESS: "),
					"success, no action: '%s'", res.line);
			fz_check(res.nfields == 0, "fields without an action");
			break;
		case PH_API_INSERT:
			fz_check(starts(res.line,
							 res.target == PH_API_ALIASES
									 ? "SUCCESS: add_phone_alias PHONE ALIAS"
									   " HAS BEEN ADDED"
									 : "SUCCESS: add_phone PHONE HAS BEEN ADDED"),
					"insert with '%s'", res.line);
			break;
		case PH_API_UPDATE:
			fz_check(starts(res.line,
							 res.target == PH_API_ALIASES
									 ? "SUCCESS: update_phone_alias PHONE"
									   " ALIAS HAS BEEN UPDATED"
									 : "SUCCESS: update_phone PHONE HAS BEEN"
									   " UPDATED"),
					"update with '%s'", res.line);
			fz_check(res.nfields > 0, "an update of nothing");
			fz_check(res.target == PH_API_ALIASES
							|| strcmp(res.fields[0].column, "install_directory")
									   == 0,
					"an update without install_directory first");
			break;
		case PH_API_DELETE:
			fz_check(starts(res.line,
							 res.target == PH_API_ALIASES
									 ? "SUCCESS: update_phone_alias PHONE"
									   " ALIAS HAS BEEN DELETED"
									 : "SUCCESS: update_phone PHONE HAS BEEN"
									   " DELETED"),
					"delete with '%s'", res.line);
			break;
	}
	if(res.action != PH_API_NONE && res.target == PH_API_ALIASES) {
		fz_check(!failed, "written after op %d failed", fail_op);
		fz_check(strlen(res.extension) >= 2, "alias '%s'", res.extension);
	} else if(res.action != PH_API_NONE) {
		fz_check(!failed, "written after op %d failed", fail_op);
		fz_check(strlen(res.extension) >= 2 && strlen(res.server_ip) >= 7,
				"keys '%s' '%s'", res.extension, res.server_ip);
		/* 7777 sees the phones of groups A and B only */
		fz_check(res.action == PH_API_INSERT || strcmp(res.user, "7777") != 0
						|| strchr("AaBb", res.extension[1]) != NULL,
				"7777 changed %s of another group", res.extension);
	}
	fz_check(res.nfields >= 0 && res.nfields <= PH_API_MAX_FIELDS,
			"%d fields", res.nfields);
	for(i = 0; i < res.nfields; i++) {
		check_field(&res.fields[i]);
		/* a column cut in characters never splits one */
		if(non_latin)
			fz_check(utf8_valid((const unsigned char *)res.fields[i].value),
					"%s not UTF-8", res.fields[i].column);
	}
	/* the same answer and row with the look-ups together (where no
	 * callback fails: then only which error comes first may differ) */
	if(fail_op == 0) {
		static ph_api_result_t together;

		fz_together = 1;
		ph_api_handle(&q, &ops_together, NULL, &together);
		fz_together = 0;
		fz_check(memcmp(&res, &together, sizeof(res)) == 0,
				"'%s' apart, '%s' together", res.line, together.line);
	}
	return 0;
}
