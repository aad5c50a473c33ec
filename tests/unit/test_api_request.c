/*
 * kamailio-phones: unit tests of VICIdial's add_phone / update_phone API.
 *
 * The database is an in-memory fake VICIdial: a few users, servers, phones
 * and templates. It records every callback in a log, so that the tests can
 * check the order VICIdial checks things in, and it can be told to fail any
 * one callback as a broken database would.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/api_request.h"

/* ---- the fake VICIdial ---- */

typedef enum fake_op
{
	FAKE_USER = 0,
	FAKE_SERVER,
	FAKE_PHONE,
	FAKE_LOGIN,
	FAKE_TEMPLATE,
	FAKE_OPS
} fake_op_t;

typedef struct fake_user
{
	const char *user;
	const char *pass;
	int level;
	char active;
	char ast_admin_access;
	char vdc_agent_api_access;
	char ast_delete_phones;
	const char *allowed; /* api_allowed_functions; NULL: no such column */
	const char *viewable; /* its group's admin_viewable_groups; NULL: "" */
} fake_user_t;

typedef struct fake_phone
{
	const char *extension;
	const char *server_ip;
	const char *login;
	const char *user_group;
} fake_phone_t;

typedef struct fake
{
	const fake_user_t *users;
	size_t nusers;
	const char *const *servers;
	size_t nservers;
	const fake_phone_t *phones;
	size_t nphones;
	const char *const *templates;
	size_t ntemplates;
	int fail[FAKE_OPS];	 /* this callback answers -1 */
	int calls[FAKE_OPS]; /* calls per callback */
	char log[2048];		 /* "user(u,p) server(ip) ..." in call order */
	/* the lock-out columns (lock_columns 1): per user, by index */
	int lock_columns;
	int lock_fail;		 /* login_state answers -1 */
	int failed[16];
	long since[16];
	int records[4];		 /* login_record calls per outcome */
	int alias_fail;		 /* alias_exists answers -1 */
	int groups_calls;	 /* viewable_groups calls */
	int groups_fail;	 /* viewable_groups answers -1 */
	/* add_checks: 0 none (asked apart), 1 the three at once, 2 it
	 * declines (answers 1: asked apart) */
	int together;
	int together_calls;
} fake_t;

static const fake_user_t fake_users[] = {
		{"6666", "1234", 9, 'Y', '1', '1', '1', NULL, NULL},
		{"admin8", "pw8", 8, 'Y', '1', '1', '0', NULL, NULL},	 /* may not delete */
		{"lvl7", "pw7", 7, 'Y', '1', '1', '1', NULL, NULL},		 /* level too low */
		{"noadmin", "pw", 9, 'Y', '0', '1', '1', NULL, NULL},	 /* no ast_admin_access */
		{"noapi", "pw", 9, 'Y', '1', '0', '1', NULL, NULL},		 /* no api access */
		{"inactive", "pw", 9, 'N', '1', '1', '1', NULL, NULL},	 /* active N */
		{"nulladmin", "pw", 9, 'Y', '\0', '1', '1', NULL, NULL}, /* NULL in the database */
		/* api_allowed_functions: only update_phone; every function */
		{"onlyupd", "pw", 9, 'Y', '1', '1', '1', " update_phone ", NULL},
		{"allfn", "pw", 9, 'Y', '1', '1', '1', "ALL_FUNCTIONS", NULL},
		{"nofn", "pw", 9, 'Y', '1', '1', '1', "", NULL},
		/* a group that sees only the groups SALES and Support */
		{"sales", "pw", 9, 'Y', '1', '1', '1', NULL, " SALES Support -"},
		/* groups that see every group */
		{"seeall", "pw", 9, 'Y', '1', '1', '1', NULL, " --ALL-- -"},
		{"short", "pw", 9, 'Y', '1', '1', '1', NULL, " A "},
};

static const char *const fake_servers[] = {
		"127.0.0.2", "127.0.0.3", "127.0.0.4", "1.2.3.4", "100.100.100.100"};

static const fake_phone_t fake_phones[] = {
		{"test101", "127.0.0.2", "l101", "---ALL---"},
		{"test102", "127.0.0.2", "l102", "sales"},
		{"test101", "127.0.0.3", "l201", "OTHER"},
		{"test103", "127.0.0.2", "l103", "OTHER"},
		{"test104", "127.0.0.2", "l104", NULL}, /* user_group NULL */
};

static const char *const fake_templates[] = {"tmpl1", "SIP_generic"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static void fake_init(fake_t *f)
{
	memset(f, 0, sizeof(*f));
	f->users = fake_users;
	f->nusers = COUNT(fake_users);
	f->servers = fake_servers;
	f->nservers = COUNT(fake_servers);
	f->phones = fake_phones;
	f->nphones = COUNT(fake_phones);
	f->templates = fake_templates;
	f->ntemplates = COUNT(fake_templates);
}

static void fake_log(fake_t *f, fake_op_t op, const char *fmt, ...)
{
	size_t n = strlen(f->log);
	va_list ap;

	f->calls[op]++;
	if(n) {
		assert_true(n + 1 < sizeof(f->log));
		f->log[n++] = ' ';
		f->log[n] = '\0';
	}
	va_start(ap, fmt);
	vsnprintf(f->log + n, sizeof(f->log) - n, fmt, ap);
	va_end(ap);
}

static const char *or_dash(const char *s)
{
	return s ? s : "-";
}

static int fake_user(
		void *ctx, const char *user, const char *pass, ph_api_user_t *out)
{
	fake_t *f = ctx;
	size_t i;

	assert_non_null(user);
	assert_non_null(pass);
	assert_non_null(out);
	fake_log(f, FAKE_USER, "user(%s,%s)", user, pass);
	if(f->fail[FAKE_USER])
		return -1;
	memset(out, 0, sizeof(*out));
	for(i = 0; i < f->nusers; i++) {
		if(strcmp(f->users[i].user, user) == 0
				&& strcmp(f->users[i].pass, pass) == 0) {
			out->found = 1;
			out->user_level = f->users[i].level;
			out->active = f->users[i].active;
			out->ast_admin_access = f->users[i].ast_admin_access;
			out->vdc_agent_api_access = f->users[i].vdc_agent_api_access;
			out->ast_delete_phones = f->users[i].ast_delete_phones;
			/* the group is the user's name: viewable_groups finds it */
			snprintf(out->user_group, sizeof(out->user_group), "%s",
					f->users[i].user);
			if(f->users[i].allowed) {
				out->has_allowed_functions = 1;
				snprintf(out->allowed_functions,
						sizeof(out->allowed_functions), "%s",
						f->users[i].allowed);
			}
			break;
		}
	}
	return 0;
}

static int fake_server_exists(void *ctx, const char *server_ip)
{
	fake_t *f = ctx;
	size_t i;

	assert_non_null(server_ip);
	fake_log(f, FAKE_SERVER, "server(%s)", server_ip);
	if(f->fail[FAKE_SERVER])
		return -1;
	for(i = 0; i < f->nservers; i++) {
		if(strcmp(f->servers[i], server_ip) == 0)
			return 1;
	}
	return 0;
}

static int fake_phone_exists(void *ctx, const char *extension,
		const char *server_ip, char *group, size_t gsize)
{
	fake_t *f = ctx;
	size_t i;

	assert_non_null(extension);
	assert_non_null(server_ip);
	fake_log(f, FAKE_PHONE, "phone(%s,%s)", extension, server_ip);
	if(f->fail[FAKE_PHONE])
		return -1;
	for(i = 0; i < f->nphones; i++) {
		if(strcmp(f->phones[i].extension, extension) == 0
				&& strcmp(f->phones[i].server_ip, server_ip) == 0) {
			if(group && f->phones[i].user_group == NULL)
				return 2; /* user_group NULL */
			if(group)
				snprintf(group, gsize, "%s", f->phones[i].user_group);
			return 1;
		}
	}
	return 0;
}

/* A phone uses login (extension NULL); or, as VICIdial's update_phone asks,
 * a phone on another extension and another server does. */
static int fake_login_exists(void *ctx, const char *login,
		const char *extension, const char *server_ip)
{
	fake_t *f = ctx;
	size_t i;

	assert_non_null(login);
	fake_log(f, FAKE_LOGIN, "login(%s,%s,%s)", login, or_dash(extension),
			or_dash(server_ip));
	if(f->fail[FAKE_LOGIN])
		return -1;
	for(i = 0; i < f->nphones; i++) {
		if(strcmp(f->phones[i].login, login) != 0)
			continue;
		if(extension && server_ip
				&& (strcmp(f->phones[i].extension, extension) == 0
						|| strcmp(f->phones[i].server_ip, server_ip) == 0))
			continue;
		return 1;
	}
	return 0;
}

static int fake_template_exists(void *ctx, const char *template_id)
{
	fake_t *f = ctx;
	size_t i;

	assert_non_null(template_id);
	fake_log(f, FAKE_TEMPLATE, "template(%s)", template_id);
	if(f->fail[FAKE_TEMPLATE])
		return -1;
	for(i = 0; i < f->ntemplates; i++) {
		if(strcmp(f->templates[i], template_id) == 0)
			return 1;
	}
	return 0;
}

static int fake_user_index(const fake_t *f, const char *user)
{
	size_t i;

	for(i = 0; i < f->nusers && i < 16; i++) {
		if(strcmp(f->users[i].user, user) == 0)
			return (int)i;
	}
	return -1;
}

static int fake_login_state(void *ctx, const char *user, int *failed, long *since)
{
	fake_t *f = ctx;
	int i = fake_user_index(f, user);

	if(f->lock_fail)
		return -1;
	if(!f->lock_columns || i < 0)
		return 0;
	*failed = f->failed[i];
	*since = f->since[i];
	return 1;
}

static int fake_login_record(void *ctx, const char *user, int outcome, int failed)
{
	fake_t *f = ctx;
	int i = fake_user_index(f, user);

	assert_true(i >= 0);
	assert_true(outcome >= 0 && outcome <= 3);
	assert_int_equal(failed, f->failed[i]);
	f->records[outcome]++;
	if(outcome == PH_LOGIN_GOOD) {
		f->failed[i] = 0;
		f->since[i] = 0;
	} else if(outcome == PH_LOGIN_BAD) {
		f->failed[i]++;
	} else if(outcome == PH_LOGIN_LOCKED) {
		/* the count stays; only the *_today attempts count */
	} else {
		f->failed[i] = 1;
		f->since[i] = 0;
	}
	return 0;
}

static int fake_alias_exists(void *ctx, const char *alias_id)
{
	fake_t *f = ctx;

	fake_log(f, FAKE_USER, "alias(%s)", alias_id);
	f->calls[FAKE_USER]--; /* not a user lookup */
	if(f->alias_fail)
		return -1;
	return strcmp(alias_id, "al1") == 0;
}

/* asked by update_phone alone (counted, not logged) */
static int fake_viewable_groups(void *ctx, ph_api_user_t *u)
{
	fake_t *f = ctx;
	size_t i;

	f->groups_calls++;
	if(f->groups_fail)
		return -1;
	u->viewable_groups[0] = '\0';
	for(i = 0; i < f->nusers; i++) {
		if(strcmp(f->users[i].user, u->user_group) == 0 && f->users[i].viewable)
			snprintf(u->viewable_groups, sizeof(u->viewable_groups), "%s",
					f->users[i].viewable);
	}
	return 0;
}

/* add_phone's three look-ups at once, from the three above (each
 * logged): -1 when one fails */
static int fake_add_checks(void *ctx, const char *server_ip,
		const char *extension, const char *login, int found[3])
{
	fake_t *f = ctx;

	f->together_calls++;
	if(f->together == 2)
		return 1;
	found[0] = fake_server_exists(ctx, server_ip);
	found[1] = fake_phone_exists(ctx, extension, server_ip, NULL, 0);
	found[2] = fake_login_exists(ctx, login, NULL, NULL);
	return found[0] < 0 || found[1] < 0 || found[2] < 0 ? -1 : 0;
}

static const ph_api_ops_t fake_ops = {fake_user, fake_server_exists,
		fake_phone_exists, fake_login_exists, fake_template_exists,
		fake_login_state, fake_login_record, fake_alias_exists,
		fake_viewable_groups, NULL};

static const ph_api_ops_t fake_ops_together = {fake_user, fake_server_exists,
		fake_phone_exists, fake_login_exists, fake_template_exists,
		fake_login_state, fake_login_record, fake_alias_exists,
		fake_viewable_groups, fake_add_checks};

/* ---- helpers ---- */

/* Large: kept off the stack. */
static ph_api_query_t query;
static ph_api_result_t result;

/* A string of n times c, from a small ring of buffers. */
static const char *rep(char c, size_t n)
{
	static char bufs[8][1024];
	static int next;
	char *b = bufs[next++ % 8];

	assert_true(n < sizeof(bufs[0]));
	memset(b, c, n);
	b[n] = '\0';
	return b;
}

static void parse_ok(const char *qs)
{
	char err[128] = "";
	int rc = ph_api_query_parse(qs, strlen(qs), &query, err, sizeof(err));

	if(rc != 0)
		fail_msg("parsing \"%s\": %d %s", qs, rc, err);
}

/* Parses qs (which must parse) and decides it against f, with a fresh log. */
static const ph_api_result_t *run(fake_t *f, const char *qs)
{
	f->log[0] = '\0';
	memset(f->calls, 0, sizeof(f->calls));
	parse_ok(qs);
	/* the result starts dirty: ph_api_handle must clear it */
	memset(&result, 0x5a, sizeof(result));
	ph_api_handle(
			&query, f->together ? &fake_ops_together : &fake_ops, f, &result);
	return &result;
}

#define assert_line(res, want)                                         \
	do {                                                               \
		if(strcmp((res)->line, (want)) != 0)                           \
			fail_msg("line\n got: %s\nwant: %s", (res)->line, (want)); \
	} while(0)

#define assert_log(f, want)                                          \
	do {                                                             \
		if(strcmp((f)->log, (want)) != 0)                            \
			fail_msg("calls\n got: %s\nwant: %s", (f)->log, (want)); \
	} while(0)

/* A refusal: the line, nothing to write. */
#define assert_refused(res, want)                     \
	do {                                              \
		assert_line(res, want);                       \
		assert_int_equal((res)->action, PH_API_NONE); \
		assert_int_equal((res)->nfields, 0);          \
	} while(0)

/* The value of column in res (failing if it is there twice), or NULL. */
static const char *field_of(const ph_api_result_t *res, const char *column)
{
	const char *v = NULL;
	int i;

	for(i = 0; i < res->nfields; i++) {
		assert_non_null(res->fields[i].column);
		if(strcmp(res->fields[i].column, column) != 0)
			continue;
		if(v)
			fail_msg("column %s returned twice", column);
		v = res->fields[i].value;
	}
	return v;
}

#define assert_field(res, column, want)                                       \
	do {                                                                      \
		const char *v_ = field_of((res), (column));                           \
		if(v_ == NULL)                                                        \
			fail_msg("column %s not returned", (column));                     \
		if(strcmp(v_, (want)) != 0)                                           \
			fail_msg("column %s: \"%s\", want \"%s\"", (column), v_, (want)); \
	} while(0)

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define ADD_REQUIRED_LINE \
	"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|"

/* The eleven required fields of add_phone, in the order the answer lines
 * echo them, with the values of a valid request and their echo. */
#define ADD_REQUIRED 11
static const char *const add_names[ADD_REQUIRED] = {"extension",
		"dialplan_number", "voicemail_id", "phone_login", "phone_pass",
		"server_ip", "protocol", "registration_password", "phone_full_name",
		"local_gmt", "outbound_cid"};
static const char *const add_values[ADD_REQUIRED] = {"cc100", "9100", "100",
		"l100", "pp100", "127.0.0.2", "SIP", "rp100", "Test+Phone", "-5.00",
		"3125551000"};
static const char *const add_echo[ADD_REQUIRED] = {"cc100", "9100", "100",
		"l100", "pp100", "127.0.0.2", "SIP", "rp100", "Test Phone", "-5.00",
		"3125551000"};

#define ADD_LOG_OK \
	"user(6666,1234) server(127.0.0.2) phone(cc100,127.0.0.2) login(l100,-,-)"
#define ADD_SUCCESS \
	"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|cc100|127.0.0.2|SIP|9100"

/* A valid add_phone request by 6666, without required field skip (-1:
 * none), then "&extra" when extra is not NULL. */
static const char *add_query(int skip, const char *extra)
{
	static char qs[PH_API_MAX_QUERY + 1];
	int i, n;

	n = snprintf(qs, sizeof(qs),
			"source=test&user=6666&pass=1234"
			"&function=add_phone");
	for(i = 0; i < ADD_REQUIRED; i++) {
		if(i != skip)
			n += snprintf(qs + n, sizeof(qs) - n, "&%s=%s", add_names[i],
					add_values[i]);
	}
	if(extra)
		n += snprintf(qs + n, sizeof(qs) - n, "&%s", extra);
	assert_true((size_t)n < sizeof(qs));
	return qs;
}

static const char *add_with(const char *extra)
{
	return add_query(-1, extra);
}

#define UPD_BASE                                            \
	"source=test&user=6666&pass=1234&function=update_phone" \
	"&extension=test101&server_ip=127.0.0.2"
#define UPD_LOG "user(6666,1234) server(127.0.0.2) phone(test101,127.0.0.2)"
#define UPD_SUCCESS \
	"SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|test101|127.0.0.2|"
/* Nothing to update: VICIdial's code answers SUCCESS (its NO UPDATES
 * DEFINED line needs an update text under 3 characters, and the text it
 * builds always holds four spaces) and writes install_directory=''. */
#define UPD_NO_UPDATES UPD_SUCCESS

/* An update_phone request by 6666 for test101 on 127.0.0.2 with extra. */
static const char *upd_with(const char *extra)
{
	static char qs[PH_API_MAX_QUERY + 1];
	int n;

	n = snprintf(qs, sizeof(qs), "%s%s%s", UPD_BASE, extra ? "&" : "",
			extra ? extra : "");
	assert_true((size_t)n < sizeof(qs));
	return qs;
}

/* ---- ph_api_query_parse ---- */

/* Parses len bytes of s from a copy of exactly that size, without a NUL.
 * Returns the result; err gets the reason. */
static int parse_len(const char *s, size_t len, char *err, size_t errsize)
{
	char *buf = unit_dup_exact(s, len);
	int rc;

	if(err && errsize)
		memset(err, 'x', errsize);
	rc = ph_api_query_parse(buf, len, &query, err, errsize);
	free(buf);
	if(rc != 0) {
		assert_int_equal(rc, -1);
		if(err && errsize)
			assert_non_null(memchr(err, '\0', errsize));
	}
	return rc;
}

static int parse_str(const char *s, char *err, size_t errsize)
{
	return parse_len(s, strlen(s), err, errsize);
}

static void assert_parse_fails(const char *s, size_t len, const char *reason)
{
	char err[128];

	if(parse_len(s, len, err, sizeof(err)) != -1)
		fail_msg("\"%.*s\" parsed", (int)len, s);
	if(strcmp(err, reason) != 0)
		fail_msg("\"%.*s\": \"%s\", want \"%s\"", (int)len, s, err, reason);
}

#define BAD_ESCAPE "bad percent escape"
#define CONTROL "control character in the request"
#define TOO_LONG "a name or value is too long"

static void test_parse_plain(void **state)
{
	char err[64];

	(void)state;
	assert_int_equal(parse_str("a=1&bb=two&c=x.y-z_w", err, sizeof(err)), 0);
	assert_int_equal(query.count, 3);
	assert_string_equal(query.params[0].name, "a");
	assert_string_equal(query.params[0].value, "1");
	assert_string_equal(query.params[1].name, "bb");
	assert_string_equal(query.params[1].value, "two");
	assert_string_equal(query.params[2].name, "c");
	assert_string_equal(query.params[2].value, "x.y-z_w");
	assert_string_equal(ph_api_query_get(&query, "a"), "1");
	assert_string_equal(ph_api_query_get(&query, "bb"), "two");
	assert_string_equal(ph_api_query_get(&query, "c"), "x.y-z_w");
	assert_null(ph_api_query_get(&query, "b"));
	assert_null(ph_api_query_get(&query, "A"));
	assert_null(ph_api_query_get(&query, ""));

	/* an '=' in a value is part of it */
	assert_int_equal(parse_str("a=b=c", err, sizeof(err)), 0);
	assert_int_equal(query.count, 1);
	assert_string_equal(ph_api_query_get(&query, "a"), "b=c");
}

static void test_parse_empty(void **state)
{
	char err[64];

	(void)state;
	query.count = 99;
	assert_int_equal(parse_len("", 0, err, sizeof(err)), 0);
	assert_int_equal(query.count, 0);
	assert_null(ph_api_query_get(&query, "a"));

	/* only the first len bytes count */
	assert_int_equal(parse_len("a=1&b=2", 3, err, sizeof(err)), 0);
	assert_int_equal(query.count, 1);
	assert_string_equal(ph_api_query_get(&query, "a"), "1");
	assert_null(ph_api_query_get(&query, "b"));
}

static void test_parse_plus_and_escapes(void **state)
{
	char err[64];

	(void)state;
	assert_int_equal(
			parse_str("n=Test+Phone+1&e=a%40b.com&p=%2B1&x=%41%4a%4A%7e"
					  "&u=%c3%A9&sp=%20&f%5Fo+o=1",
					err, sizeof(err)),
			0);
	assert_int_equal(query.count, 7);
	assert_string_equal(ph_api_query_get(&query, "n"), "Test Phone 1");
	assert_string_equal(ph_api_query_get(&query, "e"), "a@b.com");
	/* an escaped '+' is a plus, not a blank */
	assert_string_equal(ph_api_query_get(&query, "p"), "+1");
	assert_string_equal(ph_api_query_get(&query, "x"), "AJJ~");
	/* bytes above 0x7f are kept as they are */
	assert_string_equal(ph_api_query_get(&query, "u"), "\xc3\xa9");
	assert_string_equal(ph_api_query_get(&query, "sp"), " ");
	/* names are decoded too */
	assert_string_equal(ph_api_query_get(&query, "f_o o"), "1");
	assert_string_equal(query.params[6].name, "f_o o");
}

static void test_parse_last_value_wins(void **state)
{
	char err[64];

	(void)state;
	assert_int_equal(parse_str("a=1&b=x&a=2&a=3&b=", err, sizeof(err)), 0);
	assert_int_equal(query.count, 5);
	assert_string_equal(ph_api_query_get(&query, "a"), "3");
	/* an empty value is a value: it wins too */
	assert_non_null(ph_api_query_get(&query, "b"));
	assert_string_equal(ph_api_query_get(&query, "b"), "");
	assert_string_equal(query.params[0].value, "1");
	assert_string_equal(query.params[2].value, "2");
}

static void test_parse_empty_values_and_no_equals(void **state)
{
	char err[64];

	(void)state;
	assert_int_equal(parse_str("a=&flag&b=1&=v&c=", err, sizeof(err)), 0);
	assert_int_equal(query.count, 5);
	assert_string_equal(ph_api_query_get(&query, "a"), "");
	assert_string_equal(query.params[1].name, "flag");
	assert_string_equal(ph_api_query_get(&query, "flag"), "");
	assert_string_equal(ph_api_query_get(&query, "b"), "1");
	/* a parameter without a name */
	assert_string_equal(query.params[3].name, "");
	assert_string_equal(ph_api_query_get(&query, ""), "v");
	assert_string_equal(ph_api_query_get(&query, "c"), "");

	/* the last parameter without '=' */
	assert_int_equal(parse_str("a=1&last", err, sizeof(err)), 0);
	assert_int_equal(query.count, 2);
	assert_string_equal(ph_api_query_get(&query, "last"), "");
}

static void test_parse_empty_parameters_skipped(void **state)
{
	char err[64];

	(void)state;
	assert_int_equal(parse_str("a=1&&b=2", err, sizeof(err)), 0);
	assert_int_equal(query.count, 2);
	assert_string_equal(ph_api_query_get(&query, "a"), "1");
	assert_string_equal(ph_api_query_get(&query, "b"), "2");

	assert_int_equal(parse_str("&&a=1&&&b=2&", err, sizeof(err)), 0);
	assert_int_equal(query.count, 2);
	assert_string_equal(query.params[0].name, "a");
	assert_string_equal(query.params[1].name, "b");

	assert_int_equal(parse_str("&&&", err, sizeof(err)), 0);
	assert_int_equal(query.count, 0);
	assert_int_equal(parse_str("&", err, sizeof(err)), 0);
	assert_int_equal(query.count, 0);
}

static void test_parse_too_long_query(void **state)
{
	static char qs[PH_API_MAX_QUERY + 2];
	char err[64];

	(void)state;
	/* "a=1" and '&'s up to exactly the limit: accepted */
	memset(qs, '&', sizeof(qs));
	memcpy(qs, "a=1", 3);
	assert_int_equal(parse_len(qs, PH_API_MAX_QUERY, err, sizeof(err)), 0);
	assert_int_equal(query.count, 1);
	assert_string_equal(ph_api_query_get(&query, "a"), "1");
	/* one byte more: refused */
	assert_parse_fails(qs, PH_API_MAX_QUERY + 1, "the request is too long");
	assert_parse_fails(qs, PH_API_MAX_QUERY + 2, "the request is too long");
}

static void test_parse_too_many_params(void **state)
{
	static char qs[PH_API_MAX_QUERY];
	char err[64];
	int i, n = 0;

	(void)state;
	for(i = 0; i < PH_API_MAX_PARAMS; i++)
		n += snprintf(qs + n, sizeof(qs) - n, "%sp%d=%d", i ? "&" : "", i, i);
	assert_int_equal(parse_str(qs, err, sizeof(err)), 0);
	assert_int_equal(query.count, PH_API_MAX_PARAMS);
	assert_string_equal(ph_api_query_get(&query, "p0"), "0");
	assert_string_equal(ph_api_query_get(&query, "p63"), "63");

	/* empty parameters do not count */
	snprintf(qs + n, sizeof(qs) - n, "&&&");
	assert_int_equal(parse_str(qs, err, sizeof(err)), 0);
	assert_int_equal(query.count, PH_API_MAX_PARAMS);

	/* one more does, even with the same name or without a value */
	snprintf(qs + n, sizeof(qs) - n, "&p0=again");
	assert_parse_fails(qs, strlen(qs), "too many parameters");
	snprintf(qs + n, sizeof(qs) - n, "&x");
	assert_parse_fails(qs, strlen(qs), "too many parameters");
}

static void test_parse_too_long_name_or_value(void **state)
{
	char qs[1024], err[64];
	char name[64];
	int i;

	(void)state;
	/* 31 bytes of name fit, 32 do not */
	snprintf(name, sizeof(name), "%s", rep('n', 31));
	snprintf(qs, sizeof(qs), "%s=1", name);
	assert_int_equal(parse_str(qs, err, sizeof(err)), 0);
	assert_string_equal(ph_api_query_get(&query, name), "1");
	snprintf(qs, sizeof(qs), "%s=1", rep('n', 32));
	assert_parse_fails(qs, strlen(qs), TOO_LONG);
	/* the name is measured decoded: 31 escapes fit */
	qs[0] = '\0';
	for(i = 0; i < 31; i++)
		strcat(qs, "%41");
	strcat(qs, "=1");
	assert_int_equal(parse_str(qs, err, sizeof(err)), 0);
	assert_string_equal(ph_api_query_get(&query, rep('A', 31)), "1");

	/* PH_API_MAX_VALUE bytes of value fit, one more does not */
	snprintf(qs, sizeof(qs), "v=%s", rep('x', PH_API_MAX_VALUE));
	assert_int_equal(parse_str(qs, err, sizeof(err)), 0);
	assert_string_equal(
			ph_api_query_get(&query, "v"), rep('x', PH_API_MAX_VALUE));
	snprintf(qs, sizeof(qs), "v=%s", rep('x', PH_API_MAX_VALUE + 1));
	assert_parse_fails(qs, strlen(qs), TOO_LONG);
	/* a value without a name, too long */
	snprintf(qs, sizeof(qs), "=%s", rep('x', PH_API_MAX_VALUE + 1));
	assert_parse_fails(qs, strlen(qs), TOO_LONG);
	/* '+'s decode to blanks, one byte each */
	snprintf(qs, sizeof(qs), "v=%s", rep('+', PH_API_MAX_VALUE));
	assert_int_equal(parse_str(qs, err, sizeof(err)), 0);
	assert_string_equal(
			ph_api_query_get(&query, "v"), rep(' ', PH_API_MAX_VALUE));
}

static void test_parse_bad_escapes(void **state)
{
	static const char *const bad[] = {"a=%zz", "a=%4", "a=%", "a=%4g", "a=%g4",
			"a=%%41", "a=%4&b=1", "a=%&b=1", "a=x%", "%zz=1", "%4=1",
			"b=1&a=%-1", "a=% 1"};
	size_t i;

	(void)state;
	for(i = 0; i < COUNT(bad); i++)
		assert_parse_fails(bad[i], strlen(bad[i]), BAD_ESCAPE);
	/* "%4" at the end of the bytes given, though a digit follows them */
	assert_parse_fails("a=%41", 4, BAD_ESCAPE);
	assert_parse_fails("a=%41", 3, BAD_ESCAPE);
}

static void test_parse_control_characters(void **state)
{
	static const char *const bad[] = {"a=%00", "a=x%00y", "%00=1", "a=%01",
			"a=%09", "a=%0A", "a=%0d", "a=%1F", "a=%1f", "a=%7F", "a=%7f",
			"a=\t", "a=x\ny", "a\r=1", "a=\x01", "a=\x1f", "a=\x7f"};
	size_t i;

	(void)state;
	for(i = 0; i < COUNT(bad); i++)
		assert_parse_fails(bad[i], strlen(bad[i]), CONTROL);
	/* a NUL byte inside the bytes given */
	assert_parse_fails("a=x\0y", 5, CONTROL);
	assert_parse_fails("a\0=1", 4, CONTROL);
}

static void test_parse_edges_accepted(void **state)
{
	char err[64];

	(void)state;
	/* the neighbours of the refused ranges */
	assert_int_equal(parse_str("a=%20%7E%80%FF&b=%21", err, sizeof(err)), 0);
	assert_string_equal(ph_api_query_get(&query, "a"), " ~\x80\xff");
	assert_string_equal(ph_api_query_get(&query, "b"), "!");
	/* an escape that ends exactly at the end */
	assert_int_equal(parse_str("a=%41", err, sizeof(err)), 0);
	assert_string_equal(ph_api_query_get(&query, "a"), "A");
}

static void test_parse_err_message(void **state)
{
	char err[8];

	(void)state;
	/* a short err buffer gets a truncated, terminated reason */
	assert_int_equal(parse_str("a=%zz", err, sizeof(err)), -1);
	assert_string_equal(err, "bad per");
	/* and no err at all is fine */
	assert_int_equal(parse_str("a=%zz", NULL, 0), -1);
	assert_int_equal(parse_str("a=%00", NULL, 0), -1);
	/* success leaves err alone */
	memset(err, 'q', sizeof(err));
	assert_int_equal(ph_api_query_parse("a=1", 3, &query, err, sizeof(err)), 0);
	assert_int_equal(err[0], 'q');
}

/* ---- the function ---- */

static void test_no_function(void **state)
{
	static const char *const qs[] = {"source=test&user=6666&pass=1234",
			"source=test&user=6666&pass=1234&function=",
			"source=test&user=6666&pass=1234&function=add_user",
			"source=test&user=6666&pass=1234&function=ADD_PHONE",
			"source=test&user=6666&pass=1234&function=update_phones",
			"source=test&user=6666&pass=1234&function=%27%22"};
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(qs); i++) {
		res = run(&f, qs[i]);
		assert_refused(res, "ERROR: NO FUNCTION SPECIFIED");
		/* VICIdial checks the login first, whatever the function */
		assert_log(&f, "user(6666,1234)");
	}
}

/* The login comes before the function: a bad one answers BAD (and is
 * counted), a locked user LOCK, and a good one is recorded, with the
 * function missing or unknown. */
static void test_no_function_login_first(void **state)
{
	static const char *const qs[] = {"source=test&user=6666&pass=bad",
			"source=test&user=6666&pass=bad&function=add_user",
			"user=6666&pass=bad&function=", "user=6666&pass=bad&function=x"};
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	for(i = 0; i < COUNT(qs); i++) {
		fake_init(&f);
		f.lock_columns = 1;
		res = run(&f, qs[i]);
		assert_refused(
				res, "ERROR: Login incorrect, please try again: |6666|bad|BAD|");
		assert_int_equal(f.records[PH_LOGIN_BAD], 1);
	}
	fake_init(&f);
	res = run(&f, "");
	assert_refused(res, "ERROR: Login incorrect, please try again: |||BAD|");
	fake_init(&f);
	f.lock_columns = 1;
	f.failed[0] = 10;
	f.since[0] = 60;
	res = run(&f, "user=6666&pass=1234&function=nothing");
	assert_refused(res, "ERROR: Too many login attempts, try again in 15"
						" minutes: |6666|LOCK|");
	assert_int_equal(f.records[PH_LOGIN_LOCKED], 1);
	fake_init(&f);
	f.lock_columns = 1;
	f.failed[0] = 3;
	f.since[0] = 60;
	res = run(&f, "user=6666&pass=1234");
	assert_refused(res, "ERROR: NO FUNCTION SPECIFIED");
	assert_int_equal(f.records[PH_LOGIN_GOOD], 1);
	/* the function is sanitised as VICIdial's: add_phone' is add_phone */
	fake_init(&f);
	res = run(&f, "source=test&user=6666&pass=1234&function=add_phone%27");
	assert_true(starts_with(res->line,
			"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS"));
	fake_init(&f);
	res = run(&f, "source=test&user=6666&pass=1234&function=add_phone+");
	assert_true(starts_with(res->line,
			"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS"));
}

/* ---- add_phone: authorisation ---- */

static void test_add_invalid_source(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	/* the login comes first (VICIdial's comes before any function); then
	 * the source, in two lines as VICIdial's code prints it */
	res = run(&f, add_with("source=x"));
	assert_refused(res, "ERROR: Invalid Source - x\nERROR: Invalid Source: |x|");
	assert_log(&f, "user(6666,1234)");
	res = run(&f, add_with("source="));
	assert_refused(res, "ERROR: Invalid Source - \nERROR: Invalid Source: ||");
	/* sanitised before it is measured */
	res = run(&f, add_with("source=x%27%3B"));
	assert_refused(res, "ERROR: Invalid Source - x\nERROR: Invalid Source: |x|");
	res = run(&f, add_query(-1, NULL) + strlen("source=test&"));
	assert_refused(res, "ERROR: Invalid Source - \nERROR: Invalid Source: ||");
	/* a wrong login with a short source: the login's answer */
	res = run(&f, add_with("source=x&pass=wrong"));
	assert_refused(
			res, "ERROR: Login incorrect, please try again: |6666|wrong|BAD|");
	/* a broken database: its error, nothing else asked */
	fake_init(&f);
	f.fail[FAKE_USER] = 1;
	res = run(&f, add_with("source=x"));
	assert_refused(res, "ERROR: add_phone DATABASE ERROR: |6666|");
	assert_int_equal(f.calls[FAKE_SERVER], 0);

	/* two letters or digits are enough; anything else is not counted */
	fake_init(&f);
	res = run(&f, add_with("source=ab"));
	assert_line(res, ADD_SUCCESS);
	res = run(&f, add_with("source=a+-_"));
	assert_refused(res, "ERROR: Invalid Source - a\nERROR: Invalid Source: |a|");
}

static void test_add_login_incorrect(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with("pass=wrong"));
	assert_refused(
			res, "ERROR: Login incorrect, please try again: |6666|wrong|BAD|");
	assert_log(&f, "user(6666,wrong)");

	res = run(&f, add_with("user=nobody"));
	assert_refused(
			res, "ERROR: Login incorrect, please try again: |nobody|1234|BAD|");
	assert_log(&f, "user(nobody,1234)");

	res = run(&f, add_with("user=&pass="));
	assert_refused(res, "ERROR: Login incorrect, please try again: |||BAD|");
	assert_log(&f, "user(,)");

	/* quotes, backslashes, semicolons and blanks are stripped from both */
	res = run(&f, add_with("user=no%27bo%22dy&pass=a+b%3B%5Cc"));
	assert_refused(
			res, "ERROR: Login incorrect, please try again: |nobody|abc|BAD|");
	assert_log(&f, "user(nobody,abc)");
	res = run(&f, add_with("user=66%2766&pass=1+2%3B34"));
	assert_line(res, ADD_SUCCESS);
	assert_log(&f, "user(6666,1234) server(127.0.0.2) phone(cc100,127.0.0.2)"
				   " login(l100,-,-)");
}

static void test_add_permission(void **state)
{
	static const struct
	{
		const char *creds;
		const char *line;
		const char *log;
	} cases[] = {
			{"user=lvl7&pass=pw7",
					"ERROR: add_phone USER DOES NOT HAVE PERMISSION TO ADD"
					" PHONES: |lvl7|0",
					"user(lvl7,pw7)"},
			{"user=noadmin&pass=pw",
					"ERROR: add_phone USER DOES NOT HAVE PERMISSION TO ADD"
					" PHONES: |noadmin|0",
					"user(noadmin,pw)"},
			{"user=noapi&pass=pw",
					"ERROR: add_phone USER DOES NOT HAVE PERMISSION TO ADD"
					" PHONES: |noapi|0",
					"user(noapi,pw)"},
			/* an inactive user does not log in (user_authorization) */
			{"user=inactive&pass=pw",
					"ERROR: Login incorrect, please try again:"
					" |inactive|pw|BAD|",
					"user(inactive,pw)"},
			{"user=nulladmin&pass=pw",
					"ERROR: add_phone USER DOES NOT HAVE PERMISSION TO ADD"
					" PHONES: |nulladmin|0",
					"user(nulladmin,pw)"},
	};
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(cases); i++) {
		res = run(&f, add_with(cases[i].creds));
		assert_refused(res, cases[i].line);
		/* no server, phone, login or template is asked for */
		assert_log(&f, cases[i].log);
		assert_int_equal(f.calls[FAKE_USER], 1);
		assert_int_equal(f.calls[FAKE_SERVER], 0);
	}
	/* the permission check comes before the required fields */
	res = run(&f, add_query(0, "user=lvl7&pass=pw7"));
	assert_refused(res, cases[0].line);
	assert_log(&f, "user(lvl7,pw7)");

	/* level 8 is enough */
	res = run(&f, add_with("user=admin8&pass=pw8"));
	assert_line(res, "SUCCESS: add_phone PHONE HAS BEEN ADDED -"
					 " admin8|cc100|127.0.0.2|SIP|9100");
	assert_int_equal(res->action, PH_API_INSERT);
}

/* ---- add_phone: required fields ---- */

/* Field i of add_phone set to value (NULL: left out) is refused, with the
 * eleven fields echoed and field i echoed as echo. */
static void check_required(
		fake_t *f, int i, const char *value, const char *echo)
{
	const ph_api_result_t *res;
	char extra[512], want[1024];
	int j, n;

	if(value)
		snprintf(extra, sizeof(extra), "%s=%s", add_names[i], value);
	res = run(f, add_query(i, value ? extra : NULL));
	n = snprintf(want, sizeof(want),
			"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666");
	for(j = 0; j < ADD_REQUIRED; j++)
		n += snprintf(
				want + n, sizeof(want) - n, "|%s", j == i ? echo : add_echo[j]);
	if(strcmp(res->line, want) != 0)
		fail_msg("%s=%s\n got: %s\nwant: %s", add_names[i],
				value ? value : "(none)", res->line, want);
	assert_int_equal(res->action, PH_API_NONE);
	assert_int_equal(res->nfields, 0);
	/* the server is not asked for */
	assert_log(f, "user(6666,1234)");
}

static void test_add_required_missing(void **state)
{
	int i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < ADD_REQUIRED; i++) {
		check_required(&f, i, NULL, "");
		check_required(&f, i, "", "");
	}
	/* nothing at all */
	run(&f, "source=test&user=6666&pass=1234&function=add_phone");
	assert_refused(&result, "ERROR: add_phone YOU MUST USE ALL REQUIRED"
							" FIELDS: |6666|||||||||||");
	assert_log(&f, "user(6666,1234)");
}

static void test_add_required_lengths(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	/* VICIdial measures from below only: extension and dialplan_number
	 * at least 2, the others at least 1, once sanitised */
	check_required(&f, 0, "a", "a");
	check_required(&f, 0, "%27%3B%22", "");
	check_required(&f, 0, "a%27", "a");
	check_required(&f, 1, "1", "1");
	check_required(&f, 1, "1%27", "1");
	check_required(&f, 1, "%2B-", "");
	check_required(&f, 2, "%27-", "");
	check_required(&f, 3, "%27%3B", "");
	check_required(&f, 4, "%27", "");
	check_required(&f, 5, "%27%3B", "");
	check_required(&f, 7, "%22", "");
	check_required(&f, 8, "%27%3B", "");
	check_required(&f, 9, "UTC", "");
	/* outbound_cid: digits only, unless it is ---ALL--- */
	check_required(&f, 10, "cid", "");
}

static void test_add_required_protocol(void **state)
{
	static const char *const bad[] = {"PJSIP", "sip", "Sip", "SIP2", "IAX",
			"iax2", "ZAP", "zap", "external", "External", "DAHDI", "SIPX"};
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(bad); i++)
		check_required(&f, 6, bad[i], bad[i]);
	/* characters outside letters and digits go, then it is measured */
	check_required(&f, 6, "P-J_SIP", "PJSIP");
	check_required(&f, 6, "%27%3B", "");
}

static void test_add_required_limits_accepted(void **state)
{
	static const char *const shortest[] = {"extension=ab",
			"dialplan_number=12", "voicemail_id=1", "phone_login=l",
			"phone_pass=p", "registration_password=r", "phone_full_name=N",
			"outbound_cid=3", "voicemail_id=vm", "dialplan_number=*97%23",
			"outbound_cid=---ALL---"};
	static const struct
	{
		const char *param, *column;
		char c;
		size_t width;
	} cut[] = {{"extension", "extension", 'e', 100},
			{"dialplan_number", "dialplan_number", '9', 20},
			{"voicemail_id", "voicemail_id", '1', 10},
			{"phone_login", "login", 'l', 15}, {"phone_pass", "pass", 'p', 100},
			{"registration_password", "conf_secret", 'r', 100},
			{"phone_full_name", "fullname", 'N', 50},
			{"outbound_cid", "outbound_cid", '3', 20},
			{"phone_context", "phone_context", 'c', 20},
			{"email", "email", 'm', 100},
			{"admin_user_group", "user_group", 'g', 20}};
	char extra[512];
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(shortest); i++) {
		res = run(&f, add_with(shortest[i]));
		if(!starts_with(res->line, "SUCCESS: add_phone PHONE HAS BEEN ADDED"))
			fail_msg("%s: %s", shortest[i], res->line);
		assert_int_equal(res->action, PH_API_INSERT);
	}
	res = run(&f, add_with("dialplan_number=*97%23&outbound_cid=---ALL---"));
	assert_field(res, "dialplan_number", "*97#");
	assert_field(res, "outbound_cid", "---ALL---");
	/* a longer value than its column: SUCCESS echoing it whole, the value
	 * cut to the column's width, as VICIdial's MariaDB stores it */
	for(i = 0; i < COUNT(cut); i++) {
		snprintf(extra, sizeof(extra), "%s=%s", cut[i].param,
				rep(cut[i].c, cut[i].width + 30));
		res = run(&f, add_with(extra));
		if(!starts_with(res->line, "SUCCESS: add_phone PHONE HAS BEEN ADDED"))
			fail_msg("%s: %s", extra, res->line);
		assert_field(res, cut[i].column, rep(cut[i].c, cut[i].width));
	}
	snprintf(extra, sizeof(extra), "extension=%s", rep('e', 130));
	res = run(&f, add_with(extra));
	assert_string_equal(res->extension, rep('e', 100));
	/* server_ip: VICIdial's set, letters and ':' included; the server
	 * must exist */
	res = run(&f, add_with("server_ip=1.2.3.4"));
	assert_int_equal(res->action, PH_API_INSERT);
	assert_string_equal(res->server_ip, "1.2.3.4");
	res = run(&f, add_with("server_ip=100.100.100.100"));
	assert_int_equal(res->action, PH_API_INSERT);
	assert_string_equal(res->server_ip, "100.100.100.100");
	res = run(&f, add_with("server_ip=host.example"));
	assert_refused(res, "ERROR: add_phone SERVER DOES NOT EXIST:"
						" |6666|host.example");
}

static void test_add_protocols_accepted(void **state)
{
	static const char *const good[] = {"SIP", "IAX2", "Zap", "EXTERNAL"};
	const ph_api_result_t *res;
	char extra[64], want[128];
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(good); i++) {
		snprintf(extra, sizeof(extra), "protocol=%s", good[i]);
		res = run(&f, add_with(extra));
		snprintf(want, sizeof(want),
				"SUCCESS: add_phone PHONE HAS BEEN ADDED -"
				" 6666|cc100|127.0.0.2|%s|9100",
				good[i]);
		assert_line(res, want);
		assert_field(res, "protocol", good[i]);
	}
}

/* ---- add_phone: the database checks, in order ---- */

static void test_add_server_missing(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with("server_ip=127.9.9.9"));
	assert_refused(
			res, "ERROR: add_phone SERVER DOES NOT EXIST: |6666|127.9.9.9");
	/* no phone is asked for */
	assert_log(&f, "user(6666,1234) server(127.9.9.9)");
	assert_int_equal(f.calls[FAKE_PHONE], 0);
	assert_int_equal(f.calls[FAKE_LOGIN], 0);
}

static void test_add_phone_exists(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with("extension=test101"));
	assert_refused(res, "ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER"
						": |6666|127.0.0.2|test101");
	/* the login is not asked for */
	assert_log(&f, "user(6666,1234) server(127.0.0.2) phone(test101,127.0.0.2)");
	res = run(&f, add_with("extension=test101&server_ip=127.0.0.3"));
	assert_refused(res, "ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER"
						": |6666|127.0.0.3|test101");

	/* the same extension on a server that does not have it yet */
	res = run(&f, add_with("extension=test101&server_ip=127.0.0.4"));
	assert_line(res, "SUCCESS: add_phone PHONE HAS BEEN ADDED -"
					 " 6666|test101|127.0.0.4|SIP|9100");
	assert_int_equal(res->action, PH_API_INSERT);
	assert_string_equal(res->extension, "test101");
	assert_string_equal(res->server_ip, "127.0.0.4");
}

static void test_add_login_exists(void **state)
{
	static const char *const used[] = {"l101", "l102", "l201"};
	const ph_api_result_t *res;
	char extra[64], want[128];
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(used); i++) {
		snprintf(extra, sizeof(extra), "phone_login=%s", used[i]);
		res = run(&f, add_with(extra));
		snprintf(want, sizeof(want),
				"ERROR: add_phone PHONE LOGIN ALREADY EXISTS: |6666|%s",
				used[i]);
		assert_refused(res, want);
		/* any phone's login counts: no phone is excluded */
		snprintf(want, sizeof(want),
				"user(6666,1234) server(127.0.0.2) phone(cc100,127.0.0.2)"
				" login(%s,-,-)",
				used[i]);
		assert_log(&f, want);
	}
	/* the timezone is not looked at before the login */
	res = run(&f, add_with("phone_login=l101&local_gmt=-5"));
	assert_refused(
			res, "ERROR: add_phone PHONE LOGIN ALREADY EXISTS: |6666|l101");
}

static void test_add_timezones_invalid(void **state)
{
	static const struct
	{
		const char *given;
		const char *echo;
	} bad[] = {{"13.00", "13.00"}, {"-13.00", "-13.00"},
			{"12.50", "12.50"}, {"EST", ""}, {"1.00.0", "1.00.0"},
			{"-9.50", "-9.50"}, {"--5", "--5"}, {"5-", "5-"}, {".", "."},
			{"-", "-"}, {"-.", "-."}, {"12.76", "12.76"}, {"1e3", "13"}};
	const ph_api_result_t *res;
	char extra[64], want[128];
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(bad); i++) {
		snprintf(extra, sizeof(extra), "local_gmt=%s&template_id=nope",
				bad[i].given);
		res = run(&f, add_with(extra));
		if(bad[i].echo[0] == '\0') {
			/* nothing left: a required field missing */
			assert_true(starts_with(res->line, ADD_REQUIRED_LINE));
			assert_int_equal(res->action, PH_API_NONE);
			continue;
		}
		snprintf(want, sizeof(want),
				"ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |6666|%s",
				bad[i].echo);
		assert_refused(res, want);
		/* after the login, before the template */
		assert_log(&f, ADD_LOG_OK);
		assert_int_equal(f.calls[FAKE_TEMPLATE], 0);
	}
}

static void test_add_timezones_valid(void **state)
{
	static const char *const zones[] = {"12.75", "12.00", "11.00", "10.00",
			"9.50", "9.00", "8.00", "7.00", "6.50", "6.00", "5.75", "5.50",
			"5.00", "4.50", "4.00", "3.50", "3.00", "2.00", "1.00", "0.00",
			"-1.00", "-2.00", "-3.00", "-3.50", "-4.00", "-5.00", "-6.00",
			"-7.00", "-8.00", "-9.00", "-10.00", "-11.00", "-12.00"};
	const ph_api_result_t *res;
	char extra[64];
	size_t i;
	fake_t f;

	(void)state;
	assert_int_equal(COUNT(zones), 33);
	fake_init(&f);
	for(i = 0; i < COUNT(zones); i++) {
		snprintf(extra, sizeof(extra), "local_gmt=%s", zones[i]);
		res = run(&f, add_with(extra));
		if(strcmp(res->line, ADD_SUCCESS) != 0)
			fail_msg("%s: %s", zones[i], res->line);
		assert_int_equal(res->action, PH_API_INSERT);
		assert_field(res, "local_gmt", zones[i]);
	}
}

/* VICIdial's $local_gmt != '-5.00' and ... is PHP's, which compares
 * numeric strings as numbers: these are zones, written as given (cut to
 * the column's 6 characters). */
static void test_add_timezones_numeric(void **state)
{
	static const struct
	{
		const char *given, *stored;
	} zones[] = {{"-5", "-5"}, {"5", "5"}, {"-5.0", "-5.0"}, {"0", "0"},
			{"-0", "-0"}, {"9.5", "9.5"}, {"-05.000", "-05.00"},
			{"12.750", "12.750"}, {"%2B3", "3"}, {"-3.5", "-3.5"},
			{"5.", "5."}, {".0", ".0"}, {"1e0", "10"}, {"0x1A", "01"},
			{"-12.0000000", "-12.00"}, {"0005.75", "0005.7"}};
	const ph_api_result_t *res;
	char extra[64];
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(zones); i++) {
		snprintf(extra, sizeof(extra), "local_gmt=%s", zones[i].given);
		res = run(&f, add_with(extra));
		if(strcmp(res->line, ADD_SUCCESS) != 0)
			fail_msg("%s: %s", zones[i].given, res->line);
		assert_field(res, "local_gmt", zones[i].stored);
	}
}

static void test_add_template(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with("template_id=nope"));
	assert_refused(res, "ERROR: add_phone TEMPLATE ID DOES NOT EXIST, THIS IS"
						" AN OPTIONAL FIELD: |6666|l100|nope");
	assert_log(&f, ADD_LOG_OK " template(nope)");

	/* sanitised before it is looked up */
	res = run(&f, add_with("template_id=no%27pe%3B"));
	assert_refused(res, "ERROR: add_phone TEMPLATE ID DOES NOT EXIST, THIS IS"
						" AN OPTIONAL FIELD: |6666|l100|nope");
	assert_log(&f, ADD_LOG_OK " template(nope)");

	res = run(&f, add_with("template_id=tmpl1"));
	assert_line(res, ADD_SUCCESS);
	assert_int_equal(res->action, PH_API_INSERT);
	assert_field(res, "template_id", "tmpl1");
	assert_log(&f, ADD_LOG_OK " template(tmpl1)");

	/* none given, an empty one or one of one character: not asked for,
	 * not written */
	res = run(&f, add_with(NULL));
	assert_line(res, ADD_SUCCESS);
	assert_int_equal(f.calls[FAKE_TEMPLATE], 0);
	assert_null(field_of(res, "template_id"));
	res = run(&f, add_with("template_id="));
	assert_line(res, ADD_SUCCESS);
	assert_null(field_of(res, "template_id"));
	res = run(&f, add_with("template_id=t"));
	assert_line(res, ADD_SUCCESS);
	assert_int_equal(f.calls[FAKE_TEMPLATE], 0);
	assert_null(field_of(res, "template_id"));
	/* --BLANK-- empties it, without asking */
	res = run(&f, add_with("template_id=--blank--"));
	assert_line(res, ADD_SUCCESS);
	assert_int_equal(f.calls[FAKE_TEMPLATE], 0);
	assert_field(res, "template_id", "");
}

/* Each check wins over every later one. */
static void test_add_check_order(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	/* everything wrong at once: the login */
	res = run(&f, "source=x&user=nobody&pass=x&function=add_phone"
				  "&server_ip=127.9.9.9&local_gmt=-5&template_id=nope");
	assert_refused(res, "ERROR: Login incorrect, please try again: |nobody|x|BAD|");
	assert_log(&f, "user(nobody,x)");
	/* then the source */
	res = run(&f, "source=x&user=6666&pass=1234&function=add_phone"
				  "&server_ip=127.9.9.9&local_gmt=-5&template_id=nope");
	assert_refused(res, "ERROR: Invalid Source - x\nERROR: Invalid Source: |x|");
	assert_log(&f, "user(6666,1234)");
	/* then the permission, then the fields (above) */
	res = run(&f, "source=test&user=noapi&pass=pw&function=add_phone");
	assert_refused(res, "ERROR: add_phone USER DOES NOT HAVE PERMISSION TO ADD"
						" PHONES: |noapi|0");
	assert_log(&f, "user(noapi,pw)");
	/* fields over an unknown server */
	res = run(&f, add_query(1, "server_ip=127.9.9.9"));
	assert_true(starts_with(res->line, ADD_REQUIRED_LINE));
	assert_log(&f, "user(6666,1234)");
	/* an unknown server over an existing phone, login, timezone, template */
	res = run(&f, add_with("server_ip=127.9.9.9&extension=test101"
						   "&phone_login=l101&local_gmt=-5&template_id=nope"));
	assert_refused(
			res, "ERROR: add_phone SERVER DOES NOT EXIST: |6666|127.9.9.9");
	assert_log(&f, "user(6666,1234) server(127.9.9.9)");
	/* an existing phone over a used login */
	res = run(&f, add_with("extension=test102&phone_login=l101&local_gmt=-5"
						   "&template_id=nope"));
	assert_refused(res, "ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER"
						": |6666|127.0.0.2|test102");
	assert_log(&f, "user(6666,1234) server(127.0.0.2) phone(test102,127.0.0.2)");
	/* a bad timezone over an unknown template */
	res = run(&f, add_with("local_gmt=-5.5&template_id=nope"));
	assert_refused(
			res, "ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |6666|-5.5");
	assert_log(&f, ADD_LOG_OK);
}

/* ---- add_phone: success ---- */

static void test_add_success(void **state)
{
	static const char *const columns[] = {"extension", "dialplan_number",
			"voicemail_id", "server_ip", "login", "pass", "conf_secret",
			"protocol", "fullname", "local_gmt", "outbound_cid",
			"phone_context", "email", "user_group", "active", "status"};
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with(NULL));
	assert_line(res, ADD_SUCCESS);
	assert_log(&f, ADD_LOG_OK);
	assert_int_equal(res->action, PH_API_INSERT);
	assert_string_equal(res->extension, "cc100");
	assert_string_equal(res->server_ip, "127.0.0.2");
	/* the columns of VICIdial's phones table, each once */
	assert_int_equal(res->nfields, (int)COUNT(columns));
	for(i = 0; i < COUNT(columns); i++) {
		if(field_of(res, columns[i]) == NULL)
			fail_msg("column %s not returned", columns[i]);
	}
	assert_field(res, "extension", "cc100");
	assert_field(res, "dialplan_number", "9100");
	assert_field(res, "voicemail_id", "100");
	assert_field(res, "server_ip", "127.0.0.2");
	assert_field(res, "login", "l100");
	assert_field(res, "pass", "pp100");
	assert_field(res, "conf_secret", "rp100");
	assert_field(res, "protocol", "SIP");
	assert_field(res, "fullname", "Test Phone");
	assert_field(res, "local_gmt", "-5.00");
	assert_field(res, "outbound_cid", "3125551000");
	assert_field(res, "active", "Y");
	assert_field(res, "status", "ACTIVE");
	/* the defaults of the optional fields */
	assert_field(res, "phone_context", "default");
	assert_field(res, "email", "");
	assert_field(res, "user_group", "---ALL---");
	/* the optional columns only when given: an older phones table
	 * without them takes the add */
	assert_null(field_of(res, "is_webphone"));
	assert_null(field_of(res, "webphone_auto_answer"));
	assert_null(field_of(res, "use_external_server_ip"));
	assert_null(field_of(res, "on_hook_agent"));
	assert_null(field_of(res, "template_id"));
	/* the parameter names are not columns */
	assert_null(field_of(res, "phone_login"));
	assert_null(field_of(res, "phone_pass"));
	assert_null(field_of(res, "registration_password"));
	assert_null(field_of(res, "phone_full_name"));
	assert_null(field_of(res, "admin_user_group"));
}

static void test_add_optional_fields(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with("phone_context=outbound-ctx&email=a.b%2Bc@x.org"
						   "&admin_user_group=AGENTS&is_webphone=Y"
						   "&webphone_auto_answer=Y&use_external_server_ip=Y"
						   "&on_hook_agent=Y"));
	assert_line(res, ADD_SUCCESS);
	assert_field(res, "phone_context", "outbound-ctx");
	/* a '+' of the email is a blank, as VICIdial's code makes it */
	assert_field(res, "email", "a.b c@x.org");
	assert_field(res, "user_group", "AGENTS");
	assert_field(res, "is_webphone", "Y");
	assert_field(res, "webphone_auto_answer", "Y");
	assert_field(res, "use_external_server_ip", "Y");
	assert_field(res, "on_hook_agent", "Y");

	res = run(&f, add_with("is_webphone=Y_API_LAUNCH&webphone_auto_answer=N"));
	assert_field(res, "is_webphone", "Y_API_LAUNCH");
	assert_field(res, "webphone_auto_answer", "N");
	/* Y, N or Y_API_LAUNCH in either case, written as given
	 * (VICIdial's /^Y$|^N$|^Y_API_LAUNCH$/i); anything else: not written */
	res = run(&f, add_with("is_webphone=y"));
	assert_field(res, "is_webphone", "y");
	res = run(&f, add_with("is_webphone=y_api_launch"));
	assert_field(res, "is_webphone", "y_api_launch");
	res = run(&f, add_with("is_webphone=X"));
	assert_null(field_of(res, "is_webphone"));
	res = run(&f, add_with("is_webphone=Y_API"));
	assert_null(field_of(res, "is_webphone"));
	res = run(&f, add_with("is_webphone="));
	assert_null(field_of(res, "is_webphone"));
	res = run(&f, add_with("is_webphone=YES"));
	assert_null(field_of(res, "is_webphone"));
	/* sanitised first: "Y;" is Y */
	res = run(&f, add_with("is_webphone=Y%3B"));
	assert_field(res, "is_webphone", "Y");
	/* Y/N fields likewise */
	res = run(&f, add_with("webphone_auto_answer=n&use_external_server_ip=YY"
						   "&on_hook_agent=1"));
	assert_field(res, "webphone_auto_answer", "n");
	assert_null(field_of(res, "use_external_server_ip"));
	assert_null(field_of(res, "on_hook_agent"));
	/* empty optional values take the defaults */
	res = run(&f, add_with("phone_context=&admin_user_group="));
	assert_field(res, "phone_context", "default");
	assert_field(res, "user_group", "---ALL---");
}

static void test_add_sanitising(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with("extension=ab%27c%3Bd&dialplan_number=91-312"
						   "&voicemail_id=1+0+0&phone_login=lo%22gin"
						   "&phone_pass=p%5Cp&server_ip=127.0.0.2%3B"
						   "&protocol=EXT%27ERNAL"
						   "&registration_password=se+cr%27et"
						   "&phone_full_name=O%27Brien,+Pat+Jr.%3B"
						   "&local_gmt=-5.00%27&outbound_cid=(312)+555-1000"
						   "&phone_context=de%27fault!&email=a%27b@c.d%3B"
						   "&admin_user_group=AG+ENTS"));
	assert_line(res, "SUCCESS: add_phone PHONE HAS BEEN ADDED -"
					 " 6666|abcd|127.0.0.2|EXTERNAL|91312");
	assert_log(&f, "user(6666,1234) server(127.0.0.2) phone(abcd,127.0.0.2)"
				   " login(login,-,-)");
	assert_string_equal(res->extension, "abcd");
	assert_string_equal(res->server_ip, "127.0.0.2");
	assert_field(res, "extension", "abcd");
	assert_field(res, "dialplan_number", "91312");
	assert_field(res, "voicemail_id", "100");
	assert_field(res, "login", "login");
	assert_field(res, "pass", "pp");
	assert_field(res, "server_ip", "127.0.0.2");
	assert_field(res, "protocol", "EXTERNAL");
	assert_field(res, "conf_secret", "secret");
	/* the name keeps blanks, '+', dots, '-' and '_', not commas */
	assert_field(res, "fullname", "OBrien Pat Jr.");
	assert_field(res, "local_gmt", "-5.00");
	assert_field(res, "outbound_cid", "3125551000");
	assert_field(res, "phone_context", "default");
	/* the email keeps VICIdial's quote and the like */
	assert_field(res, "email", "a'b@c.d");
	assert_field(res, "user_group", "AGENTS");

	/* the echo of a refusal is sanitised too */
	res = run(&f, add_with("extension=test%27101"));
	assert_refused(res, "ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER"
						": |6666|127.0.0.2|test101");
}

static void test_add_database_errors(void **state)
{
	static const struct
	{
		fake_op_t op;
		const char *extra;
		const char *log;
	} cases[] = {
			{FAKE_USER, NULL, "user(6666,1234)"},
			{FAKE_SERVER, NULL, "user(6666,1234) server(127.0.0.2)"},
			{FAKE_PHONE, NULL,
					"user(6666,1234) server(127.0.0.2)"
					" phone(cc100,127.0.0.2)"},
			{FAKE_LOGIN, NULL, ADD_LOG_OK},
			{FAKE_TEMPLATE, "template_id=tmpl1", ADD_LOG_OK " template(tmpl1)"},
	};
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	for(i = 0; i < COUNT(cases); i++) {
		fake_init(&f);
		f.fail[cases[i].op] = 1;
		res = run(&f, add_with(cases[i].extra));
		assert_refused(res, "ERROR: add_phone DATABASE ERROR: |6666|");
		/* nothing is asked after the failure */
		assert_log(&f, cases[i].log);
	}
	/* a failure not reached changes nothing */
	fake_init(&f);
	f.fail[FAKE_TEMPLATE] = 1;
	assert_line(run(&f, add_with(NULL)), ADD_SUCCESS);
	assert_int_equal(result.action, PH_API_INSERT);
	/* the user echoed is the sanitised one */
	fake_init(&f);
	f.fail[FAKE_USER] = 1;
	res = run(&f, add_with("user=66+66"));
	assert_refused(res, "ERROR: add_phone DATABASE ERROR: |6666|");
}

/* ---- update_phone ---- */

static void test_upd_authorisation(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, upd_with("source=a"));
	assert_refused(res, "ERROR: Invalid Source - a\nERROR: Invalid Source: |a|");
	assert_log(&f, "user(6666,1234)");
	res = run(&f, upd_with("pass=bad"));
	assert_refused(res, "ERROR: Login incorrect, please try again: |6666|bad|BAD|");
	assert_log(&f, "user(6666,bad)");
	res = run(&f, upd_with("user=lvl7&pass=pw7&delete_phone=Y"));
	assert_refused(res, "ERROR: update_phone USER DOES NOT HAVE PERMISSION TO"
						" UPDATE PHONES: |lvl7|0");
	assert_log(&f, "user(lvl7,pw7)");
	res = run(&f, upd_with("user=noadmin&pass=pw"));
	assert_refused(res, "ERROR: update_phone USER DOES NOT HAVE PERMISSION TO"
						" UPDATE PHONES: |noadmin|0");
	assert_log(&f, "user(noadmin,pw)");
	res = run(&f, upd_with("user=noapi&pass=pw"));
	assert_refused(res, "ERROR: update_phone USER DOES NOT HAVE PERMISSION TO"
						" UPDATE PHONES: |noapi|0");
	res = run(&f, upd_with("user=inactive&pass=pw"));
	assert_refused(
			res, "ERROR: Login incorrect, please try again: |inactive|pw|BAD|");
	assert_log(&f, "user(inactive,pw)");
	/* level 8 is enough */
	res = run(&f, upd_with("user=admin8&pass=pw8&active=N"));
	assert_line(res, "SUCCESS: update_phone PHONE HAS BEEN UPDATED -"
					 " admin8|test101|127.0.0.2|");
	assert_int_equal(res->action, PH_API_UPDATE);
}

static void test_upd_required_keys(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, "source=test&user=6666&pass=1234&function=update_phone"
				  "&server_ip=127.0.0.2&active=N");
	assert_refused(res, "ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS"
						": |6666||127.0.0.2");
	assert_log(&f, "user(6666,1234)");
	res = run(&f, "source=test&user=6666&pass=1234&function=update_phone"
				  "&extension=test101&active=N");
	assert_refused(res, "ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS"
						": |6666|test101|");
	assert_log(&f, "user(6666,1234)");
	res = run(&f, "source=test&user=6666&pass=1234&function=update_phone");
	assert_refused(res, "ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS"
						": |6666||");
	res = run(&f, upd_with("extension=t"));
	assert_refused(res, "ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS"
						": |6666|t|127.0.0.2");
	res = run(&f, upd_with("server_ip=%27%3B"));
	assert_refused(res, "ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS"
						": |6666|test101|");
	assert_log(&f, "user(6666,1234)");
	/* one character of server_ip is enough for VICIdial's check: the
	 * servers table decides */
	res = run(&f, upd_with("server_ip=1.2.3"));
	assert_refused(res, "ERROR: update_phone SERVER DOES NOT EXIST: |6666|1.2.3");
	/* sanitised: "te st'101" is test101 */
	res = run(&f, upd_with("extension=te+st%27101&active=N"));
	assert_line(res, UPD_SUCCESS);
}

static void test_upd_server_and_phone(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, upd_with("server_ip=127.9.9.9&active=N"));
	assert_refused(
			res, "ERROR: update_phone SERVER DOES NOT EXIST: |6666|127.9.9.9");
	assert_log(&f, "user(6666,1234) server(127.9.9.9)");
	/* test102 is on 127.0.0.2 only */
	res = run(&f, upd_with("extension=test102&server_ip=127.0.0.3&active=N"));
	assert_refused(res, "ERROR: update_phone PHONE DOES NOT EXIST ON THIS"
						" SERVER: |6666|127.0.0.3|test102");
	assert_log(&f, "user(6666,1234) server(127.0.0.3) phone(test102,127.0.0.3)");
	/* the phone is checked before its fields and before a delete */
	res = run(&f, upd_with("extension=nope&local_gmt=-5&phone_login=l102"));
	assert_refused(res, "ERROR: update_phone PHONE DOES NOT EXIST ON THIS"
						" SERVER: |6666|127.0.0.2|nope");
	assert_int_equal(f.calls[FAKE_LOGIN], 0);
	res = run(&f, upd_with("extension=nope&delete_phone=Y"));
	assert_refused(res, "ERROR: update_phone PHONE DOES NOT EXIST ON THIS"
						" SERVER: |6666|127.0.0.2|nope");
	/* test101 on the second server */
	res = run(&f, upd_with("server_ip=127.0.0.3&active=N"));
	assert_line(res, "SUCCESS: update_phone PHONE HAS BEEN UPDATED -"
					 " 6666|test101|127.0.0.3|");
	assert_string_equal(res->server_ip, "127.0.0.3");
}

static void check_update_none(fake_t *f, const char *extra);

static void test_upd_delete(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, upd_with("delete_phone=Y"));
	assert_line(res, "SUCCESS: update_phone PHONE HAS BEEN DELETED -"
					 " 6666|test101|127.0.0.2|");
	assert_int_equal(res->action, PH_API_DELETE);
	assert_int_equal(res->nfields, 0);
	assert_string_equal(res->extension, "test101");
	assert_string_equal(res->server_ip, "127.0.0.2");
	assert_log(&f, UPD_LOG);

	/* a delete ignores the fields given with it */
	res = run(&f, upd_with("delete_phone=Y&active=N&phone_login=l102"));
	assert_int_equal(res->action, PH_API_DELETE);
	assert_int_equal(res->nfields, 0);
	assert_log(&f, UPD_LOG);

	/* without ast_delete_phones */
	res = run(&f, upd_with("user=admin8&pass=pw8&delete_phone=Y&active=N"));
	assert_refused(res, "NOTICE: update_phone USER DOES NOT HAVE PERMISSION TO"
						" DELETE PHONES: |admin8|0");
	assert_log(&f, "user(admin8,pw8) server(127.0.0.2)"
				   " phone(test101,127.0.0.2)");

	/* only Y deletes (y is sanitised away: upper case only) */
	check_update_none(&f, "delete_phone=N");
	check_update_none(&f, "delete_phone=y");
	res = run(&f, upd_with("delete_phone=N&active=N"));
	assert_line(res, UPD_SUCCESS);
	assert_int_equal(res->action, PH_API_UPDATE);
}

static void test_upd_no_updates(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	/* nothing to change: SUCCESS, and install_directory='' written, as
	 * VICIdial's code does */
	check_update_none(&f, NULL);
	assert_log(&f, UPD_LOG);
	/* empty values are not updates */
	check_update_none(&f, "local_gmt=&protocol=&phone_login="
						  "&registration_password=&phone_pass="
						  "&voicemail_id=&dialplan_number=&outbound_cid="
						  "&phone_full_name=&phone_context="
						  "&phone_ring_timeout=&email=&admin_user_group="
						  "&outbound_alt_cid=&delete_vm_after_email="
						  "&is_webphone=&webphone_auto_answer="
						  "&use_external_server_ip=&template_id="
						  "&on_hook_agent=&active=");
	assert_log(&f, UPD_LOG);
	/* nor are parameters update_phone does not edit */
	check_update_none(&f, "foo=bar&status=ACTIVE&template_id=x");
}

/* update_phone with extra gives exactly column = value. */
static void check_update(
		fake_t *f, const char *extra, const char *column, const char *value)
{
	const ph_api_result_t *res = run(f, upd_with(extra));

	if(strcmp(res->line, UPD_SUCCESS) != 0)
		fail_msg("%s: %s", extra, res->line);
	assert_int_equal(res->action, PH_API_UPDATE);
	assert_string_equal(res->extension, "test101");
	assert_string_equal(res->server_ip, "127.0.0.2");
	/* install_directory='' first, as every update of VICIdial's */
	if(res->nfields != 2)
		fail_msg("%s: %d fields", extra, res->nfields);
	assert_string_equal(res->fields[0].column, "install_directory");
	assert_string_equal(res->fields[0].value, "");
	assert_string_equal(res->fields[1].column, column);
	if(strcmp(res->fields[1].value, value) != 0)
		fail_msg("%s: %s=\"%s\", want \"%s\"", extra, column,
				res->fields[1].value, value);
}

/* update_phone with extra is refused with "ERROR: update_phone <reason> -
 * 6666|<echo>". */
static void check_update_refused(
		fake_t *f, const char *extra, const char *reason, const char *echo)
{
	const ph_api_result_t *res = run(f, upd_with(extra));
	char want[512];

	snprintf(want, sizeof(want), "ERROR: update_phone %s: |6666|%s", reason,
			echo);
	if(strcmp(res->line, want) != 0)
		fail_msg("%s\n got: %s\nwant: %s", extra, res->line, want);
	assert_int_equal(res->action, PH_API_NONE);
	assert_int_equal(res->nfields, 0);
}

/* update_phone with extra, a value with nothing left once its field's
 * characters are applied: not given, as VICIdial validates only what is
 * left; the update writes only install_directory='' (VICIdial's update of
 * nothing). */
static void check_update_none(fake_t *f, const char *extra)
{
	const ph_api_result_t *res = run(f, upd_with(extra));

	if(strcmp(res->line, UPD_NO_UPDATES) != 0)
		fail_msg("%s\n got: %s\nwant: %s", extra, res->line, UPD_NO_UPDATES);
	assert_int_equal(res->action, PH_API_UPDATE);
	assert_int_equal(res->nfields, 1);
	assert_string_equal(res->fields[0].column, "install_directory");
}

#define R_TZ "YOU MUST USE A VALID TIMEZONE"
#define R_PROTO "YOU MUST USE A VALID PROTOCOL"
#define R_EMAIL "YOU MUST USE A VALID EMAIL"
#define R_GROUP \
	"USER GROUP MUST BE FROM 2 TO 20 CHARACTERS, THIS IS AN OPTIONAL FIELD"
#define R_ALT                                                             \
	"OUTBOUND ALT CID MUST BE FROM 6 TO 18 DIGITS, THIS IS AN OPTIONAL" \
	" FIELD"
#define R_DELVM                                                            \
	"DELETE VOICEMAIL AFTER EMAIL MUST BE Y OR N, THIS IS AN OPTIONAL" \
	" FIELD"
#define R_REG "YOU MUST USE A VALID REGISTRATION PASSWORD"
#define R_PASS "YOU MUST USE A VALID PHONE PASSWORD"
#define R_VM "YOU MUST USE A VALID VOICEMAIL NUMBER"
#define R_DP "YOU MUST USE A VALID DIALPLAN NUMBER"
#define R_CID \
	"OUTBOUND CID MUST BE FROM 6 TO 18 DIGITS, THIS IS AN OPTIONAL FIELD"
#define R_NAME "YOU MUST USE A VALID PHONE NAME"
#define R_CONTEXT "YOU MUST USE A VALID PHONE CONTEXT"
#define R_ACTIVE "ACTIVE MUST BE Y OR N, THIS IS AN OPTIONAL FIELD"
#define R_RING                                                              \
	"PHONE RING TIMEOUT MUST BE FROM 2 TO 180 SECONDS, THIS IS AN OPTIONAL" \
	" FIELD"

static void test_upd_local_gmt(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "local_gmt=-6.00", "local_gmt", "-6.00");
	check_update(&f, "local_gmt=12.75", "local_gmt", "12.75");
	check_update(&f, "local_gmt=-12.00", "local_gmt", "-12.00");
	check_update(&f, "local_gmt=0.00", "local_gmt", "0.00");
	/* compared as PHP compares numeric strings, and written as given */
	check_update(&f, "local_gmt=-5", "local_gmt", "-5");
	check_update(&f, "local_gmt=-5.0", "local_gmt", "-5.0");
	check_update(&f, "local_gmt=-05.000", "local_gmt", "-05.00");
	check_update_refused(&f, "local_gmt=-5.5", R_TZ, "-5.5");
	check_update_refused(&f, "local_gmt=13.00", R_TZ, "13.00");
	check_update_refused(&f, "local_gmt=-99", R_TZ, "-99");
	/* sanitised, then checked */
	check_update(&f, "local_gmt=-5.00%27", "local_gmt", "-5.00");
	check_update_none(&f, "local_gmt=UTC");
}

static void test_upd_protocol(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "protocol=SIP", "protocol", "SIP");
	check_update(&f, "protocol=IAX2", "protocol", "IAX2");
	check_update(&f, "protocol=Zap", "protocol", "Zap");
	check_update(&f, "protocol=EXTERNAL", "protocol", "EXTERNAL");
	check_update_refused(&f, "protocol=PJSIP", R_PROTO, "PJSIP");
	check_update_refused(&f, "protocol=sip", R_PROTO, "sip");
	check_update_refused(&f, "protocol=external", R_PROTO, "external");
	check_update_none(&f, "protocol=%3B");
}

static void test_upd_phone_login(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "phone_login=newlogin", "login", "newlogin");
	assert_log(&f, UPD_LOG " login(newlogin,test101,127.0.0.2)");
	/* VICIdial checks no length: one character will do, a long one is
	 * cut to the column (15) */
	check_update(&f, "phone_login=x", "login", "x");
	check_update(&f, "phone_login=abcdefghijklmnopqrstuvwxyz1234", "login",
			"abcdefghijklmno");
	/* the phone's own login is no clash */
	check_update(&f, "phone_login=l101", "login", "l101");
	assert_log(&f, UPD_LOG " login(l101,test101,127.0.0.2)");
	/* VICIdial's "extension != and server_ip !=": a phone on another
	 * extension of the same server (l102), or the same extension on
	 * another server (l201), is no clash; one on both others is */
	check_update(&f, "phone_login=l102", "login", "l102");
	check_update(&f, "phone_login=l201", "login", "l201");
	res = run(&f, upd_with("server_ip=127.0.0.3&phone_login=l102"));
	assert_refused(res, "ERROR: update_phone LOGIN ALREADY EXISTS: |6666|l102");
	assert_log(&f, "user(6666,1234) server(127.0.0.3) phone(test101,127.0.0.3)"
				   " login(l102,test101,127.0.0.3)");
	res = run(&f, upd_with("server_ip=127.0.0.3&phone_login=l103"));
	assert_refused(res, "ERROR: update_phone LOGIN ALREADY EXISTS: |6666|l103");
	check_update_none(&f, "phone_login=%27%3B");
	assert_int_equal(f.calls[FAKE_LOGIN], 0);
	/* sanitised before it is looked up */
	check_update(&f, "phone_login=new%27log", "login", "newlog");
	assert_log(&f, UPD_LOG " login(newlog,test101,127.0.0.2)");
}

#define A30 "abcdefghijklmnopqrstuvwxyz1234"
#define A31 "abcdefghijklmnopqrstuvwxyz12345"

static void test_upd_registration_password(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "registration_password=ab", "conf_secret", "ab");
	check_update(&f, "registration_password=" A30, "conf_secret", A30);
	check_update(&f, "registration_password=--BLANK--", "conf_secret", "");
	check_update(
			&f, "registration_password=se%27cret", "conf_secret", "secret");
	check_update_refused(&f, "registration_password=a", R_REG, "a");
	check_update_refused(&f, "registration_password=" A31, R_REG, A31);
	check_update_none(&f, "registration_password=%27");
}

static void test_upd_phone_pass(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "phone_pass=pw", "pass", "pw");
	check_update(&f, "phone_pass=" A30, "pass", A30);
	check_update(&f, "phone_pass=p+w%22d", "pass", "pwd");
	check_update_refused(&f, "phone_pass=p", R_PASS, "p");
	check_update_refused(&f, "phone_pass=" A31, R_PASS, A31);
	/* not clearable */
	check_update(&f, "phone_pass=--BLANK--", "pass", "--BLANK--");
}

static void test_upd_voicemail_id(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "voicemail_id=12", "voicemail_id", "12");
	/* VICIdial allows 30, the column holds 10 */
	check_update(&f, "voicemail_id=123456789012345678901234567890",
			"voicemail_id", "1234567890");
	/* letters and digits: --BLANK-- is sanitised to BLANK before VICIdial's
	 * test for it, so BLANK is what it writes */
	check_update(&f, "voicemail_id=--BLANK--", "voicemail_id", "BLANK");
	check_update(&f, "voicemail_id=1-2", "voicemail_id", "12");
	check_update(&f, "voicemail_id=vm", "voicemail_id", "vm");
	check_update_refused(&f, "voicemail_id=1", R_VM, "1");
	check_update_refused(&f, "voicemail_id=1%27", R_VM, "1");
	check_update_refused(&f, "voicemail_id=1234567890123456789012345678901",
			R_VM, "1234567890123456789012345678901");
	check_update_none(&f, "voicemail_id=%27-");
}

static void test_upd_dialplan_number(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "dialplan_number=123", "dialplan_number", "123");
	check_update(&f, "dialplan_number=123456789012345678901234567890",
			"dialplan_number", "12345678901234567890");
	check_update(&f, "dialplan_number=91-312", "dialplan_number", "91312");
	check_update(&f, "dialplan_number=*97%23", "dialplan_number", "*97#");
	check_update_refused(&f, "dialplan_number=12", R_DP, "12");
	check_update_refused(&f, "dialplan_number=1234567890123456789012345678901",
			R_DP, "1234567890123456789012345678901");
	/* not clearable: --BLANK-- is BLANK */
	check_update(&f, "dialplan_number=--BLANK--", "dialplan_number", "BLANK");
}

static void test_upd_outbound_cid(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "outbound_cid=123456", "outbound_cid", "123456");
	check_update(&f, "outbound_cid=123456789012345678", "outbound_cid",
			"123456789012345678");
	check_update(
			&f, "outbound_cid=(312)+555-1000", "outbound_cid", "3125551000");
	check_update_refused(&f, "outbound_cid=12345", R_CID, "12345");
	check_update_refused(&f, "outbound_cid=1234567890123456789", R_CID,
			"1234567890123456789");
	/* ---ALL--- is kept as it is (9 characters) */
	check_update(&f, "outbound_cid=---ALL---", "outbound_cid", "---ALL---");
	check_update_none(&f, "outbound_cid=--BLANK--");
}

static void test_upd_phone_full_name(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "phone_full_name=Jo", "fullname", "Jo");
	check_update(&f, "phone_full_name=O%27Brien,+Pat+Jr.", "fullname",
			"OBrien Pat Jr.");
	check_update(&f, "phone_full_name=A%2BB", "fullname", "A+B");
	check_update(&f, "phone_full_name=" A30, "fullname", A30);
	check_update(&f, "phone_full_name=--BLANK--", "fullname", "");
	check_update_refused(&f, "phone_full_name=J", R_NAME, "J");
	check_update_refused(&f, "phone_full_name=" A31, R_NAME, A31);
	check_update_refused(&f, "phone_full_name=J%27", R_NAME, "J");
}

static void test_upd_phone_context(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "phone_context=default", "phone_context", "default");
	check_update(&f, "phone_context=ab", "phone_context", "ab");
	/* VICIdial allows 30, the column holds 20 */
	check_update(&f, "phone_context=" A30, "phone_context",
			"abcdefghijklmnopqrst");
	check_update(&f, "phone_context=--BLANK--", "phone_context", "");
	check_update(&f, "phone_context=my+ctx!", "phone_context", "myctx");
	check_update_refused(&f, "phone_context=x", R_CONTEXT, "x");
	check_update_refused(&f, "phone_context=" A31, R_CONTEXT, A31);
}

static void test_upd_active(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "active=Y", "active", "Y");
	check_update(&f, "active=N", "active", "N");
	check_update_refused(&f, "active=X", R_ACTIVE, "X");
	check_update_refused(&f, "active=YES", R_ACTIVE, "YES");
	check_update_refused(&f, "active=NY", R_ACTIVE, "NY");
	/* upper case letters only: y is nothing, Yes is Y */
	check_update_none(&f, "active=y");
	check_update(&f, "active=Yes", "active", "Y");
}

static void test_upd_phone_ring_timeout(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "phone_ring_timeout=2", "phone_ring_timeout", "2");
	check_update(&f, "phone_ring_timeout=60", "phone_ring_timeout", "60");
	check_update(&f, "phone_ring_timeout=180", "phone_ring_timeout", "180");
	/* compared as a number, as PHP does */
	check_update(&f, "phone_ring_timeout=0060", "phone_ring_timeout", "0060");
	/* VICIdial's refusal echoes outbound_alt_cid, not the timeout */
	check_update_refused(&f, "phone_ring_timeout=1", R_RING, "");
	check_update_refused(&f,
			"phone_ring_timeout=0&outbound_alt_cid=312-555-0000", R_RING,
			"3125550000");
	check_update_refused(&f, "phone_ring_timeout=181", R_RING, "");
	check_update_refused(&f, "phone_ring_timeout=99999999999999999999999",
			R_RING, "");
	check_update_none(&f, "phone_ring_timeout=abc");
	/* sanitised, then checked */
	check_update(&f, "phone_ring_timeout=-50", "phone_ring_timeout", "50");
}

static void test_upd_email(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "email=a@b.c", "email", "a@b.c");
	check_update(&f, "email=a%2Bb@c.d", "email", "a b@c.d");
	check_update(&f, "email=--BLANK--", "email", "");
	check_update(&f, "email=o%27b@c.d", "email", "o'b@c.d");
	check_update_refused(&f, "email=a@b.", R_EMAIL, "a@b.");
	check_update_refused(&f, "email=a%3B%22b", R_EMAIL, "ab");
	check_update_none(&f, "email=%3B%22");
}

static void test_upd_admin_user_group(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "admin_user_group=AGENTS", "user_group", "AGENTS");
	check_update(&f, "admin_user_group=---ALL---", "user_group", "---ALL---");
	check_update(&f, "admin_user_group=ab", "user_group", "ab");
	check_update_refused(&f, "admin_user_group=a", R_GROUP, "a");
	check_update_refused(&f, "admin_user_group=abcdefghijklmnopqrstu",
			R_GROUP, "abcdefghijklmnopqrstu");
}

static void test_upd_outbound_alt_cid(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "outbound_alt_cid=3125551000", "outbound_alt_cid",
			"3125551000");
	check_update(&f, "outbound_alt_cid=CID123", "outbound_alt_cid", "CID123");
	check_update_refused(&f, "outbound_alt_cid=12345", R_ALT, "12345");
	check_update_refused(&f, "outbound_alt_cid=1234567890123456789", R_ALT,
			"1234567890123456789");
	/* --BLANK-- is sanitised to BLANK first, too short for the check */
	check_update_refused(&f, "outbound_alt_cid=--BLANK--", R_ALT, "BLANK");
}

static void test_upd_delete_vm_after_email(void **state)
{
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "delete_vm_after_email=Y", "delete_vm_after_email", "Y");
	check_update(&f, "delete_vm_after_email=N", "delete_vm_after_email", "N");
	check_update_refused(&f, "delete_vm_after_email=y", R_DELVM, "y");
	check_update_refused(&f, "delete_vm_after_email=YES", R_DELVM, "YES");
	check_update_none(&f, "delete_vm_after_email=1");
}

static void test_upd_webphone_fields(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	check_update(&f, "is_webphone=Y_API_LAUNCH", "is_webphone", "Y_API_LAUNCH");
	check_update(&f, "is_webphone=n", "is_webphone", "n");
	check_update(&f, "webphone_auto_answer=N", "webphone_auto_answer", "N");
	check_update(&f, "use_external_server_ip=y", "use_external_server_ip", "y");
	check_update(&f, "on_hook_agent=Y", "on_hook_agent", "Y");
	/* anything else is left out, without an error */
	check_update_none(&f, "is_webphone=YES&webphone_auto_answer=1"
						  "&use_external_server_ip=Y_API_LAUNCH&on_hook_agent=x");
	/* template_id: longer than 1, --BLANK-- (any case) empties it, else
	 * it must exist */
	check_update(&f, "template_id=tmpl1", "template_id", "tmpl1");
	assert_log(&f, UPD_LOG " template(tmpl1)");
	check_update(&f, "template_id=--blank--", "template_id", "");
	check_update_none(&f, "template_id=t");
	res = run(&f, upd_with("template_id=nope&phone_login=lx"));
	assert_refused(res, "ERROR: update_phone TEMPLATE ID DOES NOT EXIST, THIS"
						" IS AN OPTIONAL FIELD: |6666|lx|nope");
}

/* A user whose group sees only some groups (admin_viewable_groups) updates
 * only phones of those groups and of ---ALL---. */
static void test_upd_viewable_groups(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	/* test101 is ---ALL---, test102 sales (SALES, any case), test103
	 * OTHER */
	res = run(&f, upd_with("user=sales&pass=pw&active=N"));
	assert_line(res, "SUCCESS: update_phone PHONE HAS BEEN UPDATED -"
					 " sales|test101|127.0.0.2|");
	res = run(&f, upd_with("user=sales&pass=pw&extension=test102&active=N"));
	assert_line(res, "SUCCESS: update_phone PHONE HAS BEEN UPDATED -"
					 " sales|test102|127.0.0.2|");
	res = run(&f, upd_with("user=sales&pass=pw&extension=test103&active=N"));
	assert_refused(res, "ERROR: update_phone PHONE DOES NOT EXIST ON THIS"
						" SERVER: |sales|127.0.0.2|test103");
	res = run(&f, upd_with("user=sales&pass=pw&extension=test103"
						   "&delete_phone=Y"));
	assert_refused(res, "ERROR: update_phone PHONE DOES NOT EXIST ON THIS"
						" SERVER: |sales|127.0.0.2|test103");
	/* --ALL-- and a list of 3 characters or fewer: every group */
	res = run(&f, upd_with("user=seeall&pass=pw&extension=test103&active=N"));
	assert_int_equal(res->action, PH_API_UPDATE);
	res = run(&f, upd_with("user=short&pass=pw&extension=test103&active=N"));
	assert_int_equal(res->action, PH_API_UPDATE);
	/* add_phone is not limited by it, and does not read it */
	f.groups_calls = 0;
	res = run(&f, add_with("user=sales&pass=pw"));
	assert_int_equal(res->action, PH_API_INSERT);
	assert_int_equal(f.groups_calls, 0);
	res = run(&f, upd_with("user=sales&pass=pw&active=N"));
	assert_int_equal(f.groups_calls, 1);
	/* update_phone reads it after the server, before the phone */
	f.groups_calls = 0;
	res = run(&f, upd_with("user=sales&pass=pw&server_ip=127.0.9.9"));
	assert_refused(res, "ERROR: update_phone SERVER DOES NOT EXIST:"
						" |sales|127.0.9.9");
	assert_int_equal(f.groups_calls, 0);
	/* the database failing there is a database error, nothing written */
	f.groups_fail = 1;
	res = run(&f, upd_with("user=sales&pass=pw&active=N"));
	assert_refused(res, "ERROR: update_phone DATABASE ERROR: |sales|");
	res = run(&f, add_with("user=sales&pass=pw"));
	assert_int_equal(res->action, PH_API_INSERT);
}

static void test_upd_many_fields(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, upd_with("local_gmt=-6.00&protocol=EXTERNAL"
						   "&phone_login=newlogin&registration_password=rp"
						   "&phone_pass=pp&voicemail_id=55&dialplan_number=555"
						   "&outbound_cid=3125551212&phone_full_name=A+B"
						   "&phone_context=ctx&active=N&phone_ring_timeout=30"
						   "&email=a@b.cd&admin_user_group=AGENTS"
						   "&outbound_alt_cid=3125550000"
						   "&delete_vm_after_email=Y&is_webphone=Y"
						   "&webphone_auto_answer=N&use_external_server_ip=N"
						   "&template_id=tmpl1&on_hook_agent=Y"));
	assert_line(res, UPD_SUCCESS);
	assert_int_equal(res->action, PH_API_UPDATE);
	assert_string_equal(res->extension, "test101");
	assert_string_equal(res->server_ip, "127.0.0.2");
	assert_int_equal(res->nfields, 22);
	assert_field(res, "install_directory", "");
	assert_field(res, "local_gmt", "-6.00");
	assert_field(res, "protocol", "EXTERNAL");
	assert_field(res, "login", "newlogin");
	assert_field(res, "conf_secret", "rp");
	assert_field(res, "pass", "pp");
	assert_field(res, "voicemail_id", "55");
	assert_field(res, "dialplan_number", "555");
	assert_field(res, "outbound_cid", "3125551212");
	assert_field(res, "fullname", "A B");
	assert_field(res, "phone_context", "ctx");
	assert_field(res, "active", "N");
	assert_field(res, "phone_ring_timeout", "30");
	assert_field(res, "email", "a@b.cd");
	assert_field(res, "user_group", "AGENTS");
	assert_field(res, "outbound_alt_cid", "3125550000");
	assert_field(res, "delete_vm_after_email", "Y");
	assert_field(res, "is_webphone", "Y");
	assert_field(res, "webphone_auto_answer", "N");
	assert_field(res, "use_external_server_ip", "N");
	assert_field(res, "template_id", "tmpl1");
	assert_field(res, "on_hook_agent", "Y");
	/* the keys are not updated */
	assert_null(field_of(res, "extension"));
	assert_null(field_of(res, "server_ip"));
	assert_log(&f, UPD_LOG " login(newlogin,test101,127.0.0.2) template(tmpl1)");
}

/* One bad field refuses the whole update, whatever came before it. */
static void test_upd_refusal_returns_nothing(void **state)
{
	static const char *const bad[] = {"local_gmt=-5.5", "email=a@b",
			"phone_context=a", "phone_full_name=a", "registration_password=a",
			"protocol=PJSIP", "phone_pass=a", "phone_login=l103",
			"voicemail_id=1", "dialplan_number=1", "active=X",
			"outbound_cid=1", "admin_user_group=a", "outbound_alt_cid=1",
			"phone_ring_timeout=1", "delete_vm_after_email=X",
			"template_id=nope"};
	const ph_api_result_t *res;
	char extra[1024];
	size_t i;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(bad); i++) {
		/* every other field valid, before and after the bad one */
		snprintf(extra, sizeof(extra),
				"server_ip=127.0.0.3&local_gmt=-6.00&protocol=SIP"
				"&registration_password=rp&phone_pass=pp&voicemail_id=55"
				"&dialplan_number=555&outbound_cid=3125551212"
				"&phone_full_name=AB&phone_context=ctx&active=N"
				"&phone_ring_timeout=30&email=a@b.cd&is_webphone=Y&%s",
				bad[i]);
		res = run(&f, upd_with(extra));
		if(!starts_with(res->line, "ERROR: update_phone "))
			fail_msg("%s: %s", bad[i], res->line);
		assert_int_equal(res->action, PH_API_NONE);
		if(res->nfields != 0)
			fail_msg("%s: %d fields", bad[i], res->nfields);
	}
}

/* VICIdial checks update_phone's fields in its code's order: with two bad
 * fields, the first of that order answers, whatever the order of the
 * request. */
static void test_upd_check_order(void **state)
{
	static const char *const order[] = {"local_gmt=-5.5", "email=a@b",
			"phone_context=a", "phone_full_name=a", "registration_password=a",
			"protocol=PJSIP", "phone_pass=a", "phone_login=l103",
			"voicemail_id=1", "dialplan_number=1", "active=X",
			"outbound_cid=1", "admin_user_group=a", "outbound_alt_cid=1",
			"phone_ring_timeout=1", "delete_vm_after_email=X",
			"template_id=nope"};
	static const char *const reasons[] = {R_TZ, R_EMAIL, R_CONTEXT, R_NAME,
			R_REG, R_PROTO, R_PASS, "LOGIN ALREADY EXISTS", R_VM, R_DP,
			R_ACTIVE, R_CID, R_GROUP, R_ALT, R_RING, R_DELVM,
			"TEMPLATE ID DOES NOT EXIST"};
	const ph_api_result_t *res;
	char extra[256];
	size_t i, j;
	fake_t f;

	(void)state;
	fake_init(&f);
	for(i = 0; i < COUNT(order); i++) {
		for(j = i + 1; j < COUNT(order); j++) {
			/* the later one first in the request */
			snprintf(extra, sizeof(extra), "server_ip=127.0.0.3&%s&%s",
					order[j], order[i]);
			res = run(&f, upd_with(extra));
			if(strstr(res->line, reasons[i]) == NULL)
				fail_msg("%s before %s: %s", order[i], order[j], res->line);
			assert_int_equal(res->action, PH_API_NONE);
		}
	}
}

static void test_upd_database_errors(void **state)
{
	static const struct
	{
		fake_op_t op;
		const char *extra;
		const char *log;
	} cases[] = {
			{FAKE_USER, "active=N", "user(6666,1234)"},
			{FAKE_SERVER, "active=N", "user(6666,1234) server(127.0.0.2)"},
			{FAKE_PHONE, "active=N", UPD_LOG},
			{FAKE_LOGIN, "local_gmt=-6.00&phone_login=newlogin&active=N",
					UPD_LOG " login(newlogin,test101,127.0.0.2)"},
			{FAKE_TEMPLATE, "template_id=tmpl1&active=N",
					UPD_LOG " template(tmpl1)"},
			{FAKE_PHONE, "delete_phone=Y", UPD_LOG},
	};
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	for(i = 0; i < COUNT(cases); i++) {
		fake_init(&f);
		f.fail[cases[i].op] = 1;
		res = run(&f, upd_with(cases[i].extra));
		assert_refused(res, "ERROR: update_phone DATABASE ERROR: |6666|");
		assert_log(&f, cases[i].log);
	}
	/* a delete asks for neither templates nor logins */
	fake_init(&f);
	f.fail[FAKE_TEMPLATE] = 1;
	f.fail[FAKE_LOGIN] = 1;
	assert_line(run(&f, upd_with("delete_phone=Y&phone_login=x1"
								 "&template_id=tmpl1")),
			"SUCCESS: update_phone PHONE HAS BEEN DELETED -"
			" 6666|test101|127.0.0.2|");
}

/* ---- conformance: each request and the line VICIdial's code prints ---- */

/* The lines are those of non_agent_api.php's echo statements (user
 * "6666", data as each branch builds it), for every check of the four
 * functions and every field of update_phone, against the fake above. */
#define C_AUTH "source=test&user=6666&pass=1234"
#define C_ADD                                                          \
	C_AUTH "&function=add_phone&extension=cc100&dialplan_number=9100" \
		   "&voicemail_id=100&phone_login=l100&phone_pass=pp100"      \
		   "&server_ip=127.0.0.2&protocol=SIP&registration_password=rp100" \
		   "&phone_full_name=Test+Phone&local_gmt=-5.00"              \
		   "&outbound_cid=3125551000"
#define C_UPD \
	C_AUTH "&function=update_phone&extension=test101&server_ip=127.0.0.2"
#define C_UPD_OK "SUCCESS: update_phone PHONE HAS BEEN UPDATED - 6666|test101|127.0.0.2|"
#define C_AA C_AUTH "&function=add_phone_alias"
#define C_UA C_AUTH "&function=update_phone_alias"

static const struct
{
	const char *qs;
	const char *line;
	ph_api_action_t action;
} conformance[] = {
		/* before any function: the login */
		{"source=test&user=6666&pass=bad&function=add_phone",
				"ERROR: Login incorrect, please try again: |6666|bad|BAD|",
				PH_API_NONE},
		{"source=test&user=inactive&pass=pw&function=update_phone",
				"ERROR: Login incorrect, please try again: |inactive|pw|BAD|",
				PH_API_NONE},
		/* level 7 logs in (user_authorization's REPORTS: above 6), then
		 * lacks the function's level 8 */
		{"source=test&user=lvl7&pass=pw7&function=update_phone",
				"ERROR: update_phone USER DOES NOT HAVE PERMISSION TO UPDATE"
				" PHONES: |lvl7|0",
				PH_API_NONE},
		{"user=6666&pass=1234&function=foo", "ERROR: NO FUNCTION SPECIFIED",
				PH_API_NONE},
		/* add_phone */
		{C_ADD "&source=a",
				"ERROR: Invalid Source - a\nERROR: Invalid Source: |a|",
				PH_API_NONE},
		{"source=test&user=onlyupd&pass=pw&function=add_phone",
				"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS"
				" FUNCTION: |onlyupd|add_phone|",
				PH_API_NONE},
		{"source=test&user=noapi&pass=pw&function=add_phone",
				"ERROR: add_phone USER DOES NOT HAVE PERMISSION TO ADD PHONES:"
				" |noapi|0",
				PH_API_NONE},
		{C_ADD "&protocol=PJSIP",
				"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|cc100"
				"|9100|100|l100|pp100|127.0.0.2|PJSIP|rp100|Test Phone|-5.00"
				"|3125551000",
				PH_API_NONE},
		{C_ADD "&server_ip=127.9.9.9",
				"ERROR: add_phone SERVER DOES NOT EXIST: |6666|127.9.9.9",
				PH_API_NONE},
		{C_ADD "&extension=test101",
				"ERROR: add_phone PHONE ALREADY EXISTS ON THIS SERVER:"
				" |6666|127.0.0.2|test101",
				PH_API_NONE},
		{C_ADD "&phone_login=l102",
				"ERROR: add_phone PHONE LOGIN ALREADY EXISTS: |6666|l102",
				PH_API_NONE},
		/* a phone whose user_group is NULL: in no IN() list */
		{C_AUTH "&function=update_phone&user=sales&pass=pw&extension=test104"
				"&server_ip=127.0.0.2&active=N",
				"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER:"
				" |sales|127.0.0.2|test104",
				PH_API_NONE},
		{C_AUTH "&function=update_phone&user=sales&pass=pw&extension=test104"
				"&server_ip=127.0.0.2&delete_phone=Y",
				"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER:"
				" |sales|127.0.0.2|test104",
				PH_API_NONE},
		{C_AUTH "&function=update_phone&user=seeall&pass=pw&extension=test104"
				"&server_ip=127.0.0.2&active=N",
				"SUCCESS: update_phone PHONE HAS BEEN UPDATED -"
				" seeall|test104|127.0.0.2|",
				PH_API_UPDATE},
		{C_ADD "&local_gmt=-5.5",
				"ERROR: add_phone YOU MUST USE A VALID TIMEZONE: |6666|-5.5",
				PH_API_NONE},
		{C_ADD "&local_gmt=-5",
				"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|cc100|127.0.0.2"
				"|SIP|9100",
				PH_API_INSERT},
		{C_ADD "&local_gmt=-05.000",
				"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|cc100|127.0.0.2"
				"|SIP|9100",
				PH_API_INSERT},
		/* the function is sanitised; the login before the function */
		{"source=test&user=6666&pass=bad",
				"ERROR: Login incorrect, please try again: |6666|bad|BAD|",
				PH_API_NONE},
		{"source=test&user=6666&pass=bad&function=add_user",
				"ERROR: Login incorrect, please try again: |6666|bad|BAD|",
				PH_API_NONE},
		{"source=test&user=6666&pass=1234&function=add_user",
				"ERROR: NO FUNCTION SPECIFIED", PH_API_NONE},
		{C_ADD "&function=add_phone%27",
				"SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|cc100|127.0.0.2"
				"|SIP|9100",
				PH_API_INSERT},
		{C_ADD "&template_id=nope",
				"ERROR: add_phone TEMPLATE ID DOES NOT EXIST, THIS IS AN"
				" OPTIONAL FIELD: |6666|l100|nope",
				PH_API_NONE},
		{C_ADD,
				"SUCCESS: add_phone PHONE HAS BEEN ADDED -"
				" 6666|cc100|127.0.0.2|SIP|9100",
				PH_API_INSERT},
		/* update_phone */
		{C_UPD "&source=a",
				"ERROR: Invalid Source - a\nERROR: Invalid Source: |a|",
				PH_API_NONE},
		{"source=test&user=nofn&pass=pw&function=update_phone",
				"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS"
				" FUNCTION: |nofn|update_phone|",
				PH_API_NONE},
		{"source=test&user=noadmin&pass=pw&function=update_phone",
				"ERROR: update_phone USER DOES NOT HAVE PERMISSION TO UPDATE"
				" PHONES: |noadmin|0",
				PH_API_NONE},
		{C_AUTH "&function=update_phone&server_ip=127.0.0.2",
				"ERROR: update_phone YOU MUST USE ALL REQUIRED FIELDS:"
				" |6666||127.0.0.2",
				PH_API_NONE},
		{C_UPD "&server_ip=127.9.9.9",
				"ERROR: update_phone SERVER DOES NOT EXIST: |6666|127.9.9.9",
				PH_API_NONE},
		{C_UPD "&extension=nope",
				"ERROR: update_phone PHONE DOES NOT EXIST ON THIS SERVER:"
				" |6666|127.0.0.2|nope",
				PH_API_NONE},
		{C_UPD "&user=admin8&pass=pw8&delete_phone=Y",
				"NOTICE: update_phone USER DOES NOT HAVE PERMISSION TO DELETE"
				" PHONES: |admin8|0",
				PH_API_NONE},
		{C_UPD "&delete_phone=Y",
				"SUCCESS: update_phone PHONE HAS BEEN DELETED -"
				" 6666|test101|127.0.0.2|",
				PH_API_DELETE},
		{C_UPD "&local_gmt=13.00",
				"ERROR: update_phone YOU MUST USE A VALID TIMEZONE: |6666|13.00",
				PH_API_NONE},
		{C_UPD "&email=a@b",
				"ERROR: update_phone YOU MUST USE A VALID EMAIL: |6666|a@b",
				PH_API_NONE},
		{C_UPD "&phone_context=x",
				"ERROR: update_phone YOU MUST USE A VALID PHONE CONTEXT: |6666|x",
				PH_API_NONE},
		{C_UPD "&phone_full_name=x",
				"ERROR: update_phone YOU MUST USE A VALID PHONE NAME: |6666|x",
				PH_API_NONE},
		{C_UPD "&registration_password=x",
				"ERROR: update_phone YOU MUST USE A VALID REGISTRATION PASSWORD:"
				" |6666|x",
				PH_API_NONE},
		{C_UPD "&protocol=PJSIP",
				"ERROR: update_phone YOU MUST USE A VALID PROTOCOL: |6666|PJSIP",
				PH_API_NONE},
		{C_UPD "&phone_pass=x",
				"ERROR: update_phone YOU MUST USE A VALID PHONE PASSWORD:"
				" |6666|x",
				PH_API_NONE},
		{C_UPD "&server_ip=127.0.0.3&phone_login=l102",
				"ERROR: update_phone LOGIN ALREADY EXISTS: |6666|l102",
				PH_API_NONE},
		{C_UPD "&voicemail_id=1",
				"ERROR: update_phone YOU MUST USE A VALID VOICEMAIL NUMBER:"
				" |6666|1",
				PH_API_NONE},
		{C_UPD "&dialplan_number=12",
				"ERROR: update_phone YOU MUST USE A VALID DIALPLAN NUMBER:"
				" |6666|12",
				PH_API_NONE},
		{C_UPD "&active=X",
				"ERROR: update_phone ACTIVE MUST BE Y OR N, THIS IS AN OPTIONAL"
				" FIELD: |6666|X",
				PH_API_NONE},
		{C_UPD "&outbound_cid=12345",
				"ERROR: update_phone OUTBOUND CID MUST BE FROM 6 TO 18 DIGITS,"
				" THIS IS AN OPTIONAL FIELD: |6666|12345",
				PH_API_NONE},
		{C_UPD "&admin_user_group=x",
				"ERROR: update_phone USER GROUP MUST BE FROM 2 TO 20 CHARACTERS,"
				" THIS IS AN OPTIONAL FIELD: |6666|x",
				PH_API_NONE},
		{C_UPD "&outbound_alt_cid=12345",
				"ERROR: update_phone OUTBOUND ALT CID MUST BE FROM 6 TO 18"
				" DIGITS, THIS IS AN OPTIONAL FIELD: |6666|12345",
				PH_API_NONE},
		{C_UPD "&phone_ring_timeout=200&outbound_alt_cid=3125550000",
				"ERROR: update_phone PHONE RING TIMEOUT MUST BE FROM 2 TO 180"
				" SECONDS, THIS IS AN OPTIONAL FIELD: |6666|3125550000",
				PH_API_NONE},
		{C_UPD "&delete_vm_after_email=X",
				"ERROR: update_phone DELETE VOICEMAIL AFTER EMAIL MUST BE Y OR"
				" N, THIS IS AN OPTIONAL FIELD: |6666|X",
				PH_API_NONE},
		{C_UPD "&template_id=nope&phone_login=lx",
				"ERROR: update_phone TEMPLATE ID DOES NOT EXIST, THIS IS AN"
				" OPTIONAL FIELD: |6666|lx|nope",
				PH_API_NONE},
		{C_UPD "&is_webphone=Y&webphone_auto_answer=N"
			   "&use_external_server_ip=N&on_hook_agent=Y",
				C_UPD_OK, PH_API_UPDATE},
		{C_UPD, C_UPD_OK, PH_API_UPDATE},
		/* add_phone_alias */
		{C_AA "&source=a&alias_id=al2",
				"ERROR: Invalid Source - a\nERROR: Invalid Source: |a|",
				PH_API_NONE},
		{"source=test&user=onlyupd&pass=pw&function=add_phone_alias",
				"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS"
				" FUNCTION: |onlyupd|add_phone_alias|",
				PH_API_NONE},
		{"source=test&user=noadmin&pass=pw&function=add_phone_alias",
				"ERROR: add_phone_alias USER DOES NOT HAVE PERMISSION TO ADD"
				" PHONE ALIASES: |noadmin|0",
				PH_API_NONE},
		{C_AA "&alias_id=al2&alias_name=Two",
				"ERROR: add_phone_alias YOU MUST USE ALL REQUIRED FIELDS:"
				" |6666|al2|Two|",
				PH_API_NONE},
		{C_AA "&alias_id=al1&alias_name=One&phone_logins=l101",
				"ERROR: add_phone_alias PHONE ALIAS ALREADY EXISTS: |6666|al1",
				PH_API_NONE},
		{C_AA "&alias_id=al2&alias_name=Two&phone_logins=l101,lx",
				"ERROR: add_phone_alias PHONE DOES NOT EXIST: |6666|lx",
				PH_API_NONE},
		{C_AA "&alias_id=al2&alias_name=Two&phone_logins=l101,l102",
				"SUCCESS: add_phone_alias PHONE ALIAS HAS BEEN ADDED -"
				" 6666|al2|Two|l101,l102",
				PH_API_INSERT},
		/* update_phone_alias */
		{C_UA "&source=a&alias_id=al1",
				"ERROR: Invalid Source - a\nERROR: Invalid Source: |a|",
				PH_API_NONE},
		{"source=test&user=onlyupd&pass=pw&function=update_phone_alias",
				"ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS"
				" FUNCTION: |onlyupd|update_phone_alias|",
				PH_API_NONE},
		{"source=test&user=noapi&pass=pw&function=update_phone_alias",
				"ERROR: update_phone_alias USER DOES NOT HAVE PERMISSION TO"
				" UPDATE PHONE ALIASES: |noapi|0",
				PH_API_NONE},
		{C_UA "&alias_id=al1",
				"ERROR: update_phone_alias YOU MUST USE ALL REQUIRED FIELDS:"
				" |6666|al1||",
				PH_API_NONE},
		{C_UA "&alias_id=al9&alias_name=Nine",
				"ERROR: update_phone_alias PHONE ALIAS DOES NOT EXIST:"
				" |6666|al9",
				PH_API_NONE},
		{C_UA "&user=admin8&pass=pw8&alias_id=al1&delete_alias=Y",
				"NOTICE: update_phone_alias USER DOES NOT HAVE PERMISSION TO"
				" DELETE PHONE ALIASES: |admin8|0",
				PH_API_NONE},
		{C_UA "&alias_id=al1&delete_alias=Y",
				"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN DELETED -"
				" 6666|al1",
				PH_API_DELETE},
		{C_UA "&alias_id=al1&alias_name=x",
				"ERROR: update_phone_alias YOU MUST USE A VALID ALIAS NAME:"
				" |6666|x",
				PH_API_NONE},
		{C_UA "&alias_id=al1&phone_logins=l101,lx",
				"ERROR: update_phone_alias PHONE DOES NOT EXIST: |6666|lx",
				PH_API_NONE},
		{C_UA "&alias_id=al1&delete_alias=N",
				"NOTICE: update_phone_alias NO UPDATES DEFINED: |6666|",
				PH_API_NONE},
		{C_UA "&alias_id=al1&alias_name=One+Two",
				"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN UPDATED -"
				" 6666|al1|",
				PH_API_UPDATE},
};

static void test_conformance(void **state)
{
	const ph_api_result_t *res;
	static ph_api_result_t apart;
	size_t i;
	int together;
	fake_t f;

	(void)state;
	for(i = 0; i < COUNT(conformance); i++) {
		fake_init(&f);
		res = run(&f, conformance[i].qs);
		if(strcmp(res->line, conformance[i].line) != 0)
			fail_msg("%s\n got: %s\nwant: %s", conformance[i].qs, res->line,
					conformance[i].line);
		if(res->action != conformance[i].action)
			fail_msg("%s: action %d, want %d", conformance[i].qs,
					(int)res->action, (int)conformance[i].action);
		if(res->action == PH_API_NONE && res->nfields != 0)
			fail_msg("%s: %d fields of a refusal", conformance[i].qs,
					res->nfields);
		/* add_phone's look-ups at once (ops' add_checks), and declined by
		 * it: the same answer and the same row as asked apart */
		apart = *res;
		for(together = 1; together <= 2; together++) {
			fake_init(&f);
			f.together = together;
			res = run(&f, conformance[i].qs);
			if(memcmp(&apart, res, sizeof(apart)) != 0)
				fail_msg("%s: add_checks %d answers %s", conformance[i].qs,
						together, res->line);
		}
	}
}

/* add_checks: one call instead of the three, whatever their answers; a
 * failure is a database error; declined, the three are asked apart. */
static void test_add_checks(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	f.together = 1;
	res = run(&f, C_ADD);
	assert_int_equal(res->action, PH_API_INSERT);
	assert_int_equal(f.together_calls, 1);
	assert_log(&f, "user(6666,1234) server(127.0.0.2)"
				   " phone(cc100,127.0.0.2) login(l100,-,-)");
	/* an unknown server: still one look-up, the server's answer */
	res = run(&f, C_AUTH "&function=add_phone&extension=cc100"
						 "&dialplan_number=9100&voicemail_id=100"
						 "&phone_login=l100&phone_pass=pp100"
						 "&server_ip=127.0.9.9&protocol=SIP"
						 "&registration_password=rp100"
						 "&phone_full_name=Test+Phone&local_gmt=-5.00"
						 "&outbound_cid=3125551000");
	assert_refused(res, "ERROR: add_phone SERVER DOES NOT EXIST:"
						" |6666|127.0.9.9");
	assert_int_equal(f.together_calls, 2);
	/* the database failing in it */
	f.fail[FAKE_LOGIN] = 1;
	res = run(&f, C_ADD);
	assert_refused(res, "ERROR: add_phone DATABASE ERROR: |6666|");
	/* declined: asked apart, in VICIdial's order */
	fake_init(&f);
	f.together = 2;
	res = run(&f, C_ADD);
	assert_int_equal(res->action, PH_API_INSERT);
	assert_int_equal(f.together_calls, 1);
	assert_int_equal(f.calls[FAKE_SERVER], 1);
	assert_int_equal(f.calls[FAKE_PHONE], 1);
	assert_int_equal(f.calls[FAKE_LOGIN], 1);
}

/* ---- use_non_latin: VICIdial's \p{L} ---- */

static const ph_api_result_t *run_non_latin(fake_t *f, const char *qs)
{
	f->log[0] = '\0';
	memset(f->calls, 0, sizeof(f->calls));
	parse_ok(qs);
	query.non_latin = 1;
	memset(&result, 0x5a, sizeof(result));
	ph_api_handle(&query, &fake_ops, f, &result);
	return &result;
}

static void test_non_latin(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	/* off: the letters go */
	res = run(&f, C_ADD "&extension=%C3%A9x781&phone_full_name=J%C3%B6rg+M%C3%BCller");
	assert_line(res, "SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|x781"
					 "|127.0.0.2|SIP|9100");
	assert_field(res, "fullname", "Jrg Mller");
	/* on: kept, digits and signs as before, other scripts' letters too */
	res = run_non_latin(&f, C_ADD "&extension=%C3%A9x781"
								  "&phone_full_name=J%C3%B6rg+M%C3%BCller%E2%82%AC");
	assert_line(res, "SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|\xc3\xa9x781"
					 "|127.0.0.2|SIP|9100");
	assert_field(res, "extension", "\xc3\xa9x781");
	assert_field(res, "fullname", "J\xc3\xb6rg M\xc3\xbcller");
	res = run_non_latin(&f, C_ADD "&phone_full_name=%D0%98%D0%B2%D0%B0%D0%BD"
								  "+%D9%A3");
	assert_field(res, "fullname", "\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd ");
	/* invalid UTF-8: PHP's preg_replace /u gives nothing */
	res = run_non_latin(&f, C_ADD "&phone_full_name=Ab%C3");
	assert_true(starts_with(res->line,
			"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS"));
	/* not for the function, server_ip or protocol */
	res = run_non_latin(&f, C_ADD "&function=add_phone%C3%A9");
	assert_line(res, "SUCCESS: add_phone PHONE HAS BEEN ADDED - 6666|cc100"
					 "|127.0.0.2|SIP|9100");
	/* columns cut in characters: 50 of fullname, each two bytes */
	{
		char qs[2048], want[256];
		size_t n = 0, i;

		n = (size_t)snprintf(qs, sizeof(qs), "%s&phone_full_name=", C_ADD);
		for(i = 0; i < 60; i++)
			n += (size_t)snprintf(qs + n, sizeof(qs) - n, "%%C3%%A9");
		for(i = 0; i < 50; i++)
			memcpy(want + 2 * i, "\xc3\xa9", 2);
		want[100] = '\0';
		res = run_non_latin(&f, qs);
		assert_field(res, "fullname", want);
	}
}

/* ---- vicidial_api_log: the row VICIdial's api_log() writes ---- */

static void test_api_log_row(void **state)
{
	static const struct
	{
		const char *qs;
		int written;
		const char *result, *reason, *data;
	} cases[] = {
			{C_ADD, 1, "SUCCESS", "add_phone PHONE HAS BEEN ADDED",
					"cc100|127.0.0.2|SIP|9100"},
			{C_ADD "&local_gmt=-5.5", 1, "ERROR",
					"add_phone YOU MUST USE A VALID TIMEZONE", "-5.5"},
			/* the echoed passwords are not kept */
			{C_ADD "&outbound_cid=", 1, "ERROR",
					"add_phone YOU MUST USE ALL REQUIRED FIELDS",
					"cc100|9100|100|l100|<secret>|127.0.0.2|SIP|<secret>|Test"
					" Phone|-5.00|"},
			{C_UPD "&active=N", 1, "SUCCESS",
					"update_phone PHONE HAS BEEN UPDATED", "test101|127.0.0.2|"},
			{"source=x&user=6666&pass=1234&function=add_phone", 1, "ERROR",
					"Invalid Source", ""},
			{"source=test&user=onlyupd&pass=pw&function=add_phone", 1,
					"ERROR",
					"auth USER DOES NOT HAVE PERMISSION TO USE THIS FUNCTION",
					""},
			{"source=test&user=noapi&pass=pw&function=add_phone", 1, "ERROR",
					"add_phone USER DOES NOT HAVE PERMISSION TO ADD PHONES",
					"0"},
			{C_AUTH "&function=add_user", 1, "ERROR", "NO FUNCTION SPECIFIED",
					""},
			{C_UPD "&user=admin8&pass=pw8&delete_phone=Y", 1, "NOTICE",
					"update_phone USER DOES NOT HAVE PERMISSION TO DELETE PHONES",
					"0"},
			/* no row for a refused login, as VICIdial's */
			{"source=test&user=6666&pass=bad&function=add_phone", 0, NULL,
					NULL, NULL},
	};
	ph_api_log_row_t row;
	const ph_api_result_t *res;
	ph_api_query_t q;
	char err[128];
	size_t i;
	fake_t f;

	(void)state;
	for(i = 0; i < COUNT(cases); i++) {
		fake_init(&f);
		res = run(&f, cases[i].qs);
		assert_int_equal(ph_api_query_parse(cases[i].qs,
								 strlen(cases[i].qs), &q, err, sizeof(err)),
				0);
		if(!cases[i].written) {
			assert_int_equal(ph_api_log_row(&q, res, &row), -1);
			continue;
		}
		assert_int_equal(ph_api_log_row(&q, res, &row), 0);
		if(strcmp(row.result, cases[i].result) != 0
				|| strcmp(row.reason, cases[i].reason) != 0
				|| strcmp(row.data, cases[i].data) != 0)
			fail_msg("%s\n got: %s|%s|%s\nwant: %s|%s|%s", cases[i].qs,
					row.result, row.reason, row.data, cases[i].result,
					cases[i].reason, cases[i].data);
	}
	/* user, function and source as sanitised, cut to their columns */
	fake_init(&f);
	res = run(&f, C_ADD "&source=abcdefghijklmnopqrstuvwxyz");
	assert_int_equal(ph_api_query_parse(C_ADD "&source=abcdefghijklmnopqrstuvwxyz",
							 strlen(C_ADD "&source=abcdefghijklmnopqrstuvwxyz"),
							 &q, err, sizeof(err)),
			0);
	assert_int_equal(ph_api_log_row(&q, res, &row), 0);
	assert_string_equal(row.source, "abcdefghijklmnopqrst");
	assert_string_equal(row.user, "6666");
	assert_string_equal(row.function, "add_phone");
}

/* ---- ph_api_db_error ---- */

static void test_db_error(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with(NULL));
	assert_int_equal(res->action, PH_API_INSERT);
	assert_true(res->nfields > 0);
	ph_api_db_error(&query, &result);
	assert_refused(&result, "ERROR: add_phone DATABASE ERROR: |6666|");

	res = run(&f, upd_with("active=N"));
	assert_int_equal(res->action, PH_API_UPDATE);
	ph_api_db_error(&query, &result);
	assert_refused(&result, "ERROR: update_phone DATABASE ERROR: |6666|");

	res = run(&f, upd_with("delete_phone=Y"));
	assert_int_equal(res->action, PH_API_DELETE);
	ph_api_db_error(&query, &result);
	assert_refused(&result, "ERROR: update_phone DATABASE ERROR: |6666|");

	/* without a function or a user it still answers an error, no action */
	parse_ok("source=test");
	memset(&result, 0, sizeof(result));
	result.action = PH_API_INSERT;
	result.nfields = 3;
	ph_api_db_error(&query, &result);
	assert_true(starts_with(result.line, "ERROR: "));
	assert_non_null(strstr(result.line, "DATABASE ERROR"));
	assert_int_equal(result.action, PH_API_NONE);
	assert_int_equal(result.nfields, 0);
}

/* A line for the log: no secret of the request in it, whatever the line
 * echoes. */
static void test_redact(void **state)
{
	ph_api_query_t q;
	char err[64], out[256];
	const char *qs = "user=6666&pass=1234&function=add_phone&phone_pass=ph0ne"
					 "&registration_password=reg-secret&registration_password=r2";

	(void)state;
	assert_int_equal(ph_api_query_parse(qs, strlen(qs), &q, err, sizeof(err)), 0);
	ph_api_redact(&q,
			"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|cc1|1|1|l1"
			"|ph0ne|127.0.0.2|SIP|r2|Name|-5|1234",
			out, sizeof(out));
	assert_string_equal(out,
			"ERROR: add_phone YOU MUST USE ALL REQUIRED FIELDS: |6666|cc1|1|1|l1"
			"|<secret>|127.0.0.2|SIP|<secret>|Name|-5|<secret>");
	/* an earlier value of a secret, and one inside other text */
	ph_api_redact(&q, "x reg-secret y a1234b", out, sizeof(out));
	assert_string_equal(out, "x <secret> y a<secret>b");
	/* the secrets as sanitised too: the answers echo those */
	assert_int_equal(ph_api_query_parse("pass=se%27cr%3Bet&phone_pass=a-b",
							 32, &q, err, sizeof(err)),
			0);
	ph_api_redact(&q, "ERROR: |u|secret|BAD| a-b", out, sizeof(out));
	assert_string_equal(out, "ERROR: |u|<secret>|BAD| <secret>");
	assert_int_equal(ph_api_query_parse("pass=1234", 9, &q, err, sizeof(err)), 0);
	/* cut to the buffer, always terminated */
	ph_api_redact(&q, "1234567890", out, 6);
	assert_string_equal(out, "<secr");
	/* no secrets: the line as it is */
	assert_int_equal(ph_api_query_parse("user=a", 6, &q, err, sizeof(err)), 0);
	ph_api_redact(&q, "SUCCESS: x", out, sizeof(out));
	assert_string_equal(out, "SUCCESS: x");
}

/* add_phone_alias and update_phone_alias, line by line as VICIdial's code
 * prints them (the fake knows alias al1 and the logins of fake_phones). */
static void test_aliases(void **state)
{
	static const struct
	{
		const char *qs;
		const char *line;
		ph_api_action_t action;
	} cases[] = {
			{"function=add_phone_alias&alias_id=al2&alias_name=Agent+2"
			 "&phone_logins=l101,l102",
					"SUCCESS: add_phone_alias PHONE ALIAS HAS BEEN ADDED -"
					" 6666|al2|Agent 2|l101,l102",
					PH_API_INSERT},
			{"function=add_phone_alias&alias_id=a&alias_name=x"
			 "&phone_logins=l101",
					"ERROR: add_phone_alias YOU MUST USE ALL REQUIRED FIELDS:"
					" |6666|a|x|l101",
					PH_API_NONE},
			{"function=add_phone_alias&alias_id=al2&phone_logins=l101",
					"ERROR: add_phone_alias YOU MUST USE ALL REQUIRED FIELDS:"
					" |6666|al2||l101",
					PH_API_NONE},
			{"function=add_phone_alias&alias_id=al1&alias_name=x"
			 "&phone_logins=l101",
					"ERROR: add_phone_alias PHONE ALIAS ALREADY EXISTS:"
					" |6666|al1",
					PH_API_NONE},
			{"function=add_phone_alias&alias_id=al2&alias_name=x"
			 "&phone_logins=l101,nope",
					"ERROR: add_phone_alias PHONE DOES NOT EXIST: |6666|nope",
					PH_API_NONE},
			{"function=add_phone_alias&alias_id=al2&alias_name=x"
			 "&phone_logins=l101,",
					"ERROR: add_phone_alias PHONE DOES NOT EXIST: |6666|",
					PH_API_NONE},
			{"function=update_phone_alias&alias_id=al1&alias_name=New+name",
					"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN UPDATED -"
					" 6666|al1|",
					PH_API_UPDATE},
			{"function=update_phone_alias&alias_id=al1&phone_logins=l101",
					"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN UPDATED -"
					" 6666|al1|",
					PH_API_UPDATE},
			{"function=update_phone_alias&alias_id=al9&alias_name=xx",
					"ERROR: update_phone_alias PHONE ALIAS DOES NOT EXIST:"
					" |6666|al9",
					PH_API_NONE},
			{"function=update_phone_alias&alias_id=al1",
					"ERROR: update_phone_alias YOU MUST USE ALL REQUIRED"
					" FIELDS: |6666|al1||",
					PH_API_NONE},
			{"function=update_phone_alias&alias_id=al1&alias_name=x",
					"ERROR: update_phone_alias YOU MUST USE A VALID ALIAS"
					" NAME: |6666|x",
					PH_API_NONE},
			{"function=update_phone_alias&alias_id=al1&phone_logins=nope",
					"ERROR: update_phone_alias PHONE DOES NOT EXIST:"
					" |6666|nope",
					PH_API_NONE},
			/* a one-character login list is no update */
			{"function=update_phone_alias&alias_id=al1&phone_logins=l"
			 "&delete_alias=N",
					"NOTICE: update_phone_alias NO UPDATES DEFINED: |6666|",
					PH_API_NONE},
			{"function=update_phone_alias&alias_id=al1&delete_alias=Y",
					"SUCCESS: update_phone_alias PHONE ALIAS HAS BEEN"
					" DELETED - 6666|al1",
					PH_API_DELETE},
			{"user=admin8&pass=pw8&function=update_phone_alias&alias_id=al1"
			 "&delete_alias=Y",
					"NOTICE: update_phone_alias USER DOES NOT HAVE PERMISSION"
					" TO DELETE PHONE ALIASES: |admin8|0",
					PH_API_NONE},
			{"user=noadmin&pass=pw&function=add_phone_alias&alias_id=al2"
			 "&alias_name=x&phone_logins=l101",
					"ERROR: add_phone_alias USER DOES NOT HAVE PERMISSION TO"
					" ADD PHONE ALIASES: |noadmin|0",
					PH_API_NONE},
	};
	char qs[512];
	const ph_api_result_t *res;
	size_t i;
	fake_t f;

	(void)state;
	for(i = 0; i < COUNT(cases); i++) {
		fake_init(&f);
		snprintf(qs, sizeof(qs), "source=test%s%s",
				strncmp(cases[i].qs, "user=", 5) == 0 ? "&" : "&user=6666&pass=1234&",
				cases[i].qs);
		res = run(&f, qs);
		if(strcmp(res->line, cases[i].line) != 0)
			fail_msg("%s\n got: %s\nwant: %s", cases[i].qs, res->line,
					cases[i].line);
		assert_int_equal(res->action, cases[i].action);
		if(res->action != PH_API_NONE) {
			assert_int_equal(res->target, PH_API_ALIASES);
			assert_string_equal(res->extension, strstr(cases[i].qs, "al2")
																? "al2"
																: "al1");
		}
	}
	/* the fields written */
	fake_init(&f);
	res = run(&f, "source=test&user=6666&pass=1234&function=add_phone_alias"
				  "&alias_id=al2&alias_name=Agent+2&phone_logins=l101,l102");
	assert_field(res, "alias_id", "al2");
	assert_field(res, "alias_name", "Agent 2");
	assert_field(res, "logins_list", "l101,l102");
	/* a broken database */
	fake_init(&f);
	f.alias_fail = 1;
	res = run(&f, "source=test&user=6666&pass=1234&function=add_phone_alias"
				  "&alias_id=al2&alias_name=x&phone_logins=l101");
	assert_refused(res, "ERROR: add_phone_alias DATABASE ERROR: |6666|");
}

/* VICIdial's failed-login lock-out: ten failures within 15 minutes lock a
 * user, even its right password; a success resets the count; an older
 * lock starts counting again at 1. */
static void test_login_lockout(void **state)
{
	const ph_api_result_t *res;
	fake_t f;
	int i;

	(void)state;
	fake_init(&f);
	f.lock_columns = 1;
	for(i = 0; i < 10; i++) {
		res = run(&f, add_with("pass=wrong"));
		assert_refused(
				res, "ERROR: Login incorrect, please try again: |6666|wrong|BAD|");
	}
	assert_int_equal(f.failed[0], 10);
	assert_int_equal(f.records[PH_LOGIN_BAD], 10);
	/* locked: the right password too, and nothing counted but the
	 * attempt (VICIdial's aLOCK) */
	res = run(&f, add_with(NULL));
	assert_refused(res, "ERROR: Too many login attempts, try again in 15"
						" minutes: |6666|LOCK|");
	assert_int_equal(f.failed[0], 10);
	assert_int_equal(f.records[PH_LOGIN_LOCKED], 1);
	assert_int_equal(f.calls[FAKE_SERVER], 0);
	/* 15 minutes on: a wrong password counts 1 again, a right one passes */
	f.since[0] = 900;
	res = run(&f, add_with("pass=wrong"));
	assert_refused(
			res, "ERROR: Login incorrect, please try again: |6666|wrong|BAD|");
	assert_int_equal(f.failed[0], 1);
	assert_int_equal(f.records[PH_LOGIN_BAD_RESTART], 1);
	res = run(&f, add_with(NULL));
	assert_line(res, ADD_SUCCESS);
	assert_int_equal(f.failed[0], 0);
	assert_int_equal(f.records[PH_LOGIN_GOOD], 1);
	/* nine failures do not lock */
	for(i = 0; i < 9; i++)
		run(&f, add_with("pass=wrong"));
	res = run(&f, add_with(NULL));
	assert_line(res, ADD_SUCCESS);
	/* an install without the columns: no lock-out, nothing recorded */
	fake_init(&f);
	for(i = 0; i < 12; i++)
		run(&f, add_with("pass=wrong"));
	res = run(&f, add_with(NULL));
	assert_line(res, ADD_SUCCESS);
	assert_int_equal(
			f.records[0] + f.records[1] + f.records[2] + f.records[3], 0);
	/* a database failure reading the count */
	fake_init(&f);
	f.lock_fail = 1;
	res = run(&f, add_with(NULL));
	assert_refused(res, "ERROR: add_phone DATABASE ERROR: |6666|");
}

/* api_allowed_functions: a user allowed other functions gets VICIdial's
 * auth line; ALL_FUNCTIONS, the function itself, or an install without
 * the column pass. */
static void test_allowed_functions(void **state)
{
	const ph_api_result_t *res;
	fake_t f;

	(void)state;
	fake_init(&f);
	res = run(&f, add_with("user=onlyupd&pass=pw"));
	assert_refused(res, "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS"
						" FUNCTION: |onlyupd|add_phone|");
	assert_int_equal(f.calls[FAKE_SERVER], 0);
	res = run(&f, upd_with("user=onlyupd&pass=pw&active=N"));
	assert_line(res, "SUCCESS: update_phone PHONE HAS BEEN UPDATED -"
					 " onlyupd|test101|127.0.0.2|");
	res = run(&f, add_with("user=nofn&pass=pw"));
	assert_refused(res, "ERROR: auth USER DOES NOT HAVE PERMISSION TO USE THIS"
						" FUNCTION: |nofn|add_phone|");
	res = run(&f, add_with("user=allfn&pass=pw"));
	assert_true(strncmp(res->line, "SUCCESS: add_phone", 18) == 0);
	/* the source comes before it */
	res = run(&f, add_with("user=onlyupd&pass=pw&source=x"));
	assert_refused(res, "ERROR: Invalid Source - x\nERROR: Invalid Source: |x|");
	assert_true(ph_api_function_allowed(" add_phone update_phone ", "add_phone"));
	assert_false(ph_api_function_allowed(" add_phone_alias ", "add_phone"));
	assert_false(ph_api_function_allowed("add_phone", "add_phone"));
}

/* Who may choose the devices that ring: active users with the agent API
 * or admin access. */
static void test_devices_allowed(void **state)
{
	ph_api_user_t u;

	(void)state;
	memset(&u, 0, sizeof(u));
	u.found = 1;
	u.active = 'Y';
	u.vdc_agent_api_access = '1';
	u.ast_admin_access = '0';
	assert_true(ph_api_devices_allowed(&u));
	u.vdc_agent_api_access = '0';
	assert_false(ph_api_devices_allowed(&u));
	u.ast_admin_access = '1';
	assert_true(ph_api_devices_allowed(&u));
	u.active = 'N';
	assert_false(ph_api_devices_allowed(&u));
	u.active = 'Y';
	u.found = 0;
	assert_false(ph_api_devices_allowed(&u));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_parse_plain),
			cmocka_unit_test(test_parse_empty),
			cmocka_unit_test(test_parse_plus_and_escapes),
			cmocka_unit_test(test_parse_last_value_wins),
			cmocka_unit_test(test_parse_empty_values_and_no_equals),
			cmocka_unit_test(test_parse_empty_parameters_skipped),
			cmocka_unit_test(test_parse_too_long_query),
			cmocka_unit_test(test_parse_too_many_params),
			cmocka_unit_test(test_parse_too_long_name_or_value),
			cmocka_unit_test(test_parse_bad_escapes),
			cmocka_unit_test(test_parse_control_characters),
			cmocka_unit_test(test_parse_edges_accepted),
			cmocka_unit_test(test_parse_err_message),
			cmocka_unit_test(test_no_function),
			cmocka_unit_test(test_add_invalid_source),
			cmocka_unit_test(test_add_login_incorrect),
			cmocka_unit_test(test_add_permission),
			cmocka_unit_test(test_add_required_missing),
			cmocka_unit_test(test_add_required_lengths),
			cmocka_unit_test(test_add_required_protocol),
			cmocka_unit_test(test_add_required_limits_accepted),
			cmocka_unit_test(test_add_protocols_accepted),
			cmocka_unit_test(test_add_server_missing),
			cmocka_unit_test(test_add_phone_exists),
			cmocka_unit_test(test_add_login_exists),
			cmocka_unit_test(test_add_timezones_invalid),
			cmocka_unit_test(test_add_timezones_valid),
			cmocka_unit_test(test_add_template),
			cmocka_unit_test(test_add_check_order),
			cmocka_unit_test(test_add_success),
			cmocka_unit_test(test_add_optional_fields),
			cmocka_unit_test(test_add_sanitising),
			cmocka_unit_test(test_add_database_errors),
			cmocka_unit_test(test_upd_authorisation),
			cmocka_unit_test(test_upd_required_keys),
			cmocka_unit_test(test_upd_server_and_phone),
			cmocka_unit_test(test_upd_delete),
			cmocka_unit_test(test_upd_no_updates),
			cmocka_unit_test(test_upd_local_gmt),
			cmocka_unit_test(test_upd_protocol),
			cmocka_unit_test(test_upd_phone_login),
			cmocka_unit_test(test_upd_registration_password),
			cmocka_unit_test(test_upd_phone_pass),
			cmocka_unit_test(test_upd_voicemail_id),
			cmocka_unit_test(test_upd_dialplan_number),
			cmocka_unit_test(test_upd_outbound_cid),
			cmocka_unit_test(test_upd_phone_full_name),
			cmocka_unit_test(test_upd_phone_context),
			cmocka_unit_test(test_upd_active),
			cmocka_unit_test(test_upd_phone_ring_timeout),
			cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_add_checks),
			cmocka_unit_test(test_non_latin),
			cmocka_unit_test(test_api_log_row),
			cmocka_unit_test(test_add_timezones_numeric),
			cmocka_unit_test(test_no_function_login_first),
		cmocka_unit_test(test_upd_email),
		cmocka_unit_test(test_upd_admin_user_group),
		cmocka_unit_test(test_upd_outbound_alt_cid),
		cmocka_unit_test(test_upd_delete_vm_after_email),
		cmocka_unit_test(test_upd_webphone_fields),
		cmocka_unit_test(test_upd_viewable_groups),
		cmocka_unit_test(test_upd_check_order),
		cmocka_unit_test(test_upd_many_fields),
			cmocka_unit_test(test_upd_refusal_returns_nothing),
			cmocka_unit_test(test_upd_database_errors),
			cmocka_unit_test(test_db_error),
			cmocka_unit_test(test_devices_allowed),
			cmocka_unit_test(test_redact),
			cmocka_unit_test(test_allowed_functions),
			cmocka_unit_test(test_login_lockout),
			cmocka_unit_test(test_aliases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
