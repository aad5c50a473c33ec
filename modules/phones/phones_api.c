/*
 * kamailio-phones: VICIdial's add_phone / update_phone over HTTP.
 *
 * phones_api() answers GET /vicidial/non_agent_api.php?function=... from
 * event_route[xhttp:request] as VICIdial's non_agent_api.php does. The
 * decision is the core's (core/api_request.c); this file asks the
 * database what the decision needs, and carries it out with the core's
 * change_apply.c: the new table is prepared (not published), the database
 * written with typed values (here), then the table published, so that a
 * failure at any step leaves both as they were. The reload guard is held throughout, so that no reload (and no
 * other API change) interleaves: two adds of one login leave one row.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/dprint.h"
#include "modules/xhttp/api.h"

#include "phones/api_request.h"
#include "phones/change_apply.h"
#include "phones/pass_hash.h"
#include "phones/sip_user.h"
#include "phones_dmq.h"
#include "phones_api.h"
#include "phones_devices_admin.h"
#include "phones_db.h"
#include "phones_reload.h"
#include "phones_sql.h"
#include "phones_store.h"

str phones_users_table = str_init("vicidial_users");
str phones_servers_table = str_init("servers");
str phones_templates_table = str_init("vicidial_conf_templates");
str phones_aliases_table = str_init("phones_alias");

static xhttp_api_t xhttp;

static int have_xhttp = 0;

int phones_api_init(void)
{
	/* phones_api() needs xhttp; the RPC commands do not */
	if(find_export("bind_xhttp", 0, 0) != NULL) {
		if(xhttp_load_api(&xhttp) < 0)
			return -1;
		have_xhttp = 1;
	}
	return 0;
}

int phones_api_login_index(void)
{
	/* an index whose first column is login */
	static const char mysql[] = "SHOW INDEX FROM %.*s WHERE Seq_in_index = 1"
								" AND Column_name = 'login'";
	static const char sqlite[] =
			"SELECT l.name FROM pragma_index_list('%.*s') AS l,"
			" pragma_index_info(l.name) AS i WHERE i.seqno = 0"
			" AND i.name = 'login'";
	char sql[512];
	db1_res_t *res;
	int n, found;

	if(!phones_sql_has_raw()
			|| (!phones_sql_is_mysql() && !phones_sql_is_sqlite())
			|| !phones_sql_plain_name(&phones_table_name))
		return 0;
	n = snprintf(sql, sizeof(sql), phones_sql_is_mysql() ? mysql : sqlite,
			phones_table_name.len, phones_table_name.s);
	if(n < 0 || (size_t)n >= sizeof(sql) || phones_sql_connect() < 0
			|| phones_sql_raw_query(sql, n, &res) < 0 || res == NULL)
		return 0;
	found = RES_ROW_N(res) > 0;
	phones_sql_free(res);
	if(!found)
		LM_WARN("table '%.*s' has no index on login (VICIdial's own has"
				" none): add_phone's PHONE LOGIN ALREADY EXISTS check reads"
				" every row (at 200,000 phones about 17 add_phone/s on"
				" MariaDB, 48 on SQLite, against over 600 with it); add"
				" one with db/upgrade-mysql.sql (MariaDB) or"
				" db/upgrade-sqlite.sh (SQLite), harmless to VICIdial\n",
				phones_table_name.len, phones_table_name.s);
	return found;
}

/* -1 not known yet, 0 the install's vicidial_users lacks
 * api_allowed_functions (an older VICIdial), 1 it has it. */
static int has_allowed_column = -1;

/* What a request reads of system_settings (VICIdial's API reads them on
 * every call, as this does): read once per request, in one query, by
 * settings_read(); nothing of it outlives the request. */
static struct
{
	int read;	   /* this request's row is below */
	int hashing;   /* pass_hash_enabled > 0 */
	int non_latin; /* use_non_latin > 0 */
	char key[64];
	char cost[16];
} settings;

/* -1 not known yet; 1 the four columns read together; 0 they cannot be
 * (an install without system_settings or without one of them: each read
 * apart, as below) */
static int settings_together = -1;

/* A new request: nothing read yet. */
static void settings_forget(void)
{
	memset(&settings, 0, sizeof(settings));
}

/* Reads pass_hash_enabled, pass_key, pass_cost and use_non_latin in one
 * query: 0; -1 when they cannot be read together (each is then read
 * apart); -2 when the database failed where they were read before. */
static int settings_read(void)
{
	str table = str_init("system_settings");
	str c_on = str_init("pass_hash_enabled"), c_key = str_init("pass_key");
	str c_cost = str_init("pass_cost"), c_nl = str_init("use_non_latin");
	db_key_t cols[4] = {&c_on, &c_key, &c_cost, &c_nl};
	db1_res_t *res;
	db_val_t *row;
	char b[4][64];

	if(settings.read)
		return 0;
	if(settings_together == 0)
		return -1;
	if(phones_sql_select(&table, NULL, NULL, 0, cols, 4, &res) < 0) {
		if(settings_together == 1)
			return -2;
		settings_together = 0;
		return -1;
	}
	settings_together = 1;
	if(RES_ROW_N(res) > 0) {
		row = ROW_VALUES(RES_ROWS(res));
		settings.hashing =
				atoi(phones_sql_text(&row[0], b[0], sizeof(b[0]))) > 0;
		snprintf(settings.key, sizeof(settings.key), "%s",
				phones_sql_text(&row[1], b[1], sizeof(b[1])));
		snprintf(settings.cost, sizeof(settings.cost), "%s",
				phones_sql_text(&row[2], b[2], sizeof(b[2])));
		settings.non_latin =
				atoi(phones_sql_text(&row[3], b[3], sizeof(b[3]))) > 0;
	}
	phones_sql_free(res);
	settings.read = 1;
	return 0;
}

/* VICIdial's password hashing: 1 with system_settings' pass_key and
 * pass_cost when pass_hash_enabled; 0 when off, or when the install has no
 * system_settings (the check does not apply); -1 the database failed. */
static int pass_hashing(char *key, size_t ksize, char *cost, size_t csize)
{
	str table = str_init("system_settings");
	str c_on = str_init("pass_hash_enabled"), c_key = str_init("pass_key");
	str c_cost = str_init("pass_cost");
	db_key_t cols[3] = {&c_on, &c_key, &c_cost};
	db1_res_t *res;
	db_val_t *row;
	char b[3][64];
	int on = 0, rc;

	static int absent = 0; /* an install without system_settings */

	rc = settings_read();
	if(rc == -2)
		return -1;
	if(rc == 0) {
		snprintf(key, ksize, "%s", settings.key);
		snprintf(cost, csize, "%s", settings.cost);
		return settings.hashing;
	}
	if(absent)
		return 0;
	if(phones_sql_select(&table, NULL, NULL, 0, cols, 3, &res) < 0) {
		LM_NOTICE("no table system_settings: API passwords are compared as"
				  " stored (no pass_hash)\n");
		absent = 1;
		return 0;
	}
	if(RES_ROW_N(res) > 0) {
		row = ROW_VALUES(RES_ROWS(res));
		on = atoi(phones_sql_text(&row[0], b[0], sizeof(b[0]))) > 0;
		snprintf(
				key, ksize, "%s", phones_sql_text(&row[1], b[1], sizeof(b[1])));
		snprintf(cost, csize, "%s",
				phones_sql_text(&row[2], b[2], sizeof(b[2])));
	}
	phones_sql_free(res);
	return on;
}

/* system_settings' use_non_latin: 1 when on; 0 when off, or where the
 * install has no such column or table. */
static int use_non_latin(void)
{
	static int absent = 0;
	str table = str_init("system_settings");
	str c_nl = str_init("use_non_latin");
	db_key_t cols[1] = {&c_nl};
	db1_res_t *res;
	char b[16];
	int on = 0;

	if(phones_sql_connect() < 0)
		return 0;
	if(settings_read() == 0)
		return settings.non_latin;
	if(settings_together == 1)
		return 0; /* the database failed: the login will say so */
	if(absent)
		return 0;
	if(phones_sql_select(&table, NULL, NULL, 0, cols, 1, &res) < 0) {
		LM_NOTICE("no system_settings.use_non_latin: the API keeps only"
				  " ASCII letters, as VICIdial does with it off\n");
		absent = 1;
		return 0;
	}
	if(RES_ROW_N(res) > 0)
		on = atoi(phones_sql_text(ROW_VALUES(RES_ROWS(res)), b, sizeof(b)))
			 > 0;
	phones_sql_free(res);
	return on;
}

/* admin_viewable_groups of the user's group (VICIdial's
 * vicidial_user_groups), where the install has that table: asked by
 * update_phone alone. */
static int op_viewable_groups(void *ctx, ph_api_user_t *u)
{
	static int absent = 0;
	str c_group = str_init("user_group");
	str c_viewable = str_init("admin_viewable_groups");
	str groups_table = str_init("vicidial_user_groups");
	db_key_t keys[1] = {&c_group};
	db_key_t cols[1] = {&c_viewable};
	db_val_t vals[1];
	db1_res_t *res;

	(void)ctx;
	u->viewable_groups[0] = '\0';
	if(absent)
		return 0;
	phones_sql_cstr(&vals[0], u->user_group);
	if(phones_sql_select(&groups_table, keys, vals, 1, cols, 1, &res) < 0) {
		LM_NOTICE("no table vicidial_user_groups: update_phone is not"
				  " limited to the API user's admin_viewable_groups\n");
		absent = 1;
		return 0;
	}
	if(RES_ROW_N(res) > 0)
		phones_sql_copy_text(ROW_VALUES(RES_ROWS(res)), u->viewable_groups,
				sizeof(u->viewable_groups));
	phones_sql_free(res);
	return 0;
}

/* -1 not known yet; 0 vicidial_users has no failed_login_count or
 * last_login_date (an older install: no lock-out); 1 it has both. */
static int has_lock_columns = -1;
static str c_failed = str_init("failed_login_count");
static str c_last = str_init("last_login_date");
static str c_username = str_init("user");

/* The lock-out state op_user read with the user's row (where the columns
 * are known to be there), for op_login_state of the same request: the
 * row is read once. Forgotten by the next op_user. */
static struct
{
	int valid;
	char user[64];
	int failed;
	long since;
} seen;

/* The seconds since a last_login_date (long ago when NULL). */
static long since_of(db_val_t *v)
{
	return (!VAL_NULL(v) && VAL_TYPE(v) == DB1_DATETIME)
				   ? (long)(time(NULL) - VAL_TIME(v))
				   : 1000000000L;
}

static int op_user(
		void *ctx, const char *user, const char *pass, ph_api_user_t *out)
{
	str c_user = str_init("user"), c_pass = str_init("pass");
	str c_level = str_init("user_level"), c_active = str_init("active");
	str c_admin = str_init("ast_admin_access");
	str c_api = str_init("vdc_agent_api_access");
	str c_delete = str_init("ast_delete_phones");
	str c_group = str_init("user_group");
	str c_allowed = str_init("api_allowed_functions");
	str c_hash = str_init("pass_hash");
	char key[64], cost[16], hash[PH_PASS_HASH_MAX + 1];
	db_key_t keys[2] = {&c_user, &c_pass};
	/* api_allowed_functions after the six every install has; then the
	 * lock-out's two, once op_login_state has found them */
	db_key_t cols[9] = {&c_level, &c_active, &c_admin, &c_api, &c_delete,
			&c_group, &c_allowed, &c_failed, &c_last};
	db_val_t vals[2];
	db_val_t *row;
	db1_res_t *res;
	char b[6][32];
	int ncols, rc, lock;
	static int warned_empty_hash = 0;

	(void)ctx;
	memset(out, 0, sizeof(*out));
	seen.valid = 0;
	/* an empty pass is compared too, as VICIdial's user_authorization
	 * does: a user whose pass is empty logs in with pass= empty */
	if(user[0] == '\0')
		return 0;
	phones_sql_cstr(&vals[0], user);
	phones_sql_cstr(&vals[1], pass);
	/* a hashed install: the password's hash against pass_hash */
	if(phones_sql_connect() < 0)
		return -1;
	rc = pass_hashing(key, sizeof(key), cost, sizeof(cost));
	if(rc < 0)
		return -1;
	if(rc) {
		rc = ph_pass_hash(pass, cost, key, hash, sizeof(hash));
		if(rc < 0) {
			LM_ERR("cannot hash an API password: no API login\n");
			return 0;
		}
		if(rc == 1 && !warned_empty_hash++)
			/* VICIdial's bp.pl dies and its hash is empty: a user whose
			 * pass_hash is empty logs in with any password (said once per
			 * process) */
			LM_WARN("system_settings' pass_key is not 16 characters or"
					" pass_cost (%s) is not 0 to 31: VICIdial compares an"
					" empty pass_hash, and so does this API (any password"
					" logs in a user whose pass_hash is empty): fix"
					" system_settings\n",
					cost);
		keys[1] = &c_hash;
		phones_sql_cstr(&vals[1], hash);
	}
	/* the lock-out columns only with api_allowed_functions (both known):
	 * they follow it */
	lock = has_allowed_column == 1 && has_lock_columns == 1;
	ncols = has_allowed_column == 0 ? 6 : (lock ? 9 : 7);
	rc = phones_sql_select(
			&phones_users_table, keys, vals, 2, cols, ncols, &res);
	if(rc < 0 && lock) {
		/* the lock-out's columns gone since: op_login_state learns again
		 * whether they are there */
		has_lock_columns = -1;
		ncols = 7;
		rc = phones_sql_select(
				&phones_users_table, keys, vals, 2, cols, ncols, &res);
	}
	if(rc < 0) {
		if(has_allowed_column != -1)
			return -1;
		/* an older install: the check does not apply */
		ncols = 6;
		if(phones_sql_select(
				   &phones_users_table, keys, vals, 2, cols, ncols, &res)
				< 0)
			return -1;
		LM_NOTICE("table '%.*s' has no api_allowed_functions column: every"
				  " API user may use every function\n",
				phones_users_table.len, phones_users_table.s);
	}
	has_allowed_column = ncols >= 7;
	if(RES_ROW_N(res) > 0) {
		row = ROW_VALUES(RES_ROWS(res));
		out->found = 1;
		out->user_level = atoi(phones_sql_text(&row[0], b[0], sizeof(b[0])));
		out->active = phones_sql_text(&row[1], b[1], sizeof(b[1]))[0];
		out->ast_admin_access = phones_sql_text(&row[2], b[2], sizeof(b[2]))[0];
		out->vdc_agent_api_access =
				phones_sql_text(&row[3], b[3], sizeof(b[3]))[0];
		out->ast_delete_phones =
				phones_sql_text(&row[4], b[4], sizeof(b[4]))[0];
		phones_sql_copy_text(&row[5], out->user_group, sizeof(out->user_group));
		if(ncols >= 7) {
			out->has_allowed_functions = 1;
			phones_sql_copy_text(&row[6], out->allowed_functions,
					sizeof(out->allowed_functions));
		}
		if(ncols == 9 && strlen(user) < sizeof(seen.user)) {
			seen.valid = 1;
			snprintf(seen.user, sizeof(seen.user), "%s", user);
			seen.failed = atoi(phones_sql_text(&row[7], b[5], sizeof(b[5])));
			seen.since = since_of(&row[8]);
		}
	}
	phones_sql_free(res);
	memset(hash, 0, sizeof(hash));
	return 0;
}

static int op_server_exists(void *ctx, const char *server_ip)
{
	db_key_t keys[1] = {&phones_servers_ip_column};
	db_val_t vals[1];

	(void)ctx;
	phones_sql_cstr(&vals[0], server_ip);
	return phones_sql_exists(
			&phones_servers_table, keys, vals, 1, &phones_servers_ip_column);
}

static int op_phone_exists(void *ctx, const char *extension, const char *ip,
		char *group, size_t gsize)
{
	db_key_t keys[2] = {&phones_extension_column, &phones_server_ip_column};
	str c_group = str_init("user_group");
	db_key_t cols[1] = {&c_group};
	db_val_t vals[2];
	db1_res_t *res;
	int found;

	(void)ctx;
	phones_sql_cstr(&vals[0], extension);
	phones_sql_cstr(&vals[1], ip);
	if(group == NULL)
		return phones_sql_exists(
				&phones_table_name, keys, vals, 2, &phones_extension_column);
	if(phones_sql_select(&phones_table_name, keys, vals, 2, cols, 1, &res) < 0)
		return -1;
	found = RES_ROW_N(res) > 0;
	group[0] = '\0';
	if(found && VAL_NULL(ROW_VALUES(RES_ROWS(res))))
		found = 2; /* a NULL user_group */
	else if(found)
		phones_sql_copy_text(ROW_VALUES(RES_ROWS(res)), group, gsize);
	phones_sql_free(res);
	return found;
}

static int op_login_exists(
		void *ctx, const char *login, const char *extension, const char *ip)
{
	str c_login = str_init("login");
	db_key_t keys[1] = {&c_login};
	db_key_t cols[2] = {&phones_extension_column, &phones_server_ip_column};
	db_val_t vals[1];
	db1_res_t *res;
	char b1[128], b2[32];
	int i, found = 0;
	db_val_t *row;

	(void)ctx;
	phones_sql_cstr(&vals[0], login);
	if(phones_sql_select(&phones_table_name, keys, vals, 1, cols, 2, &res) < 0)
		return -1;
	/* VICIdial's update_phone: extension != ... AND server_ip != ... */
	for(i = 0; i < RES_ROW_N(res) && !found; i++) {
		row = ROW_VALUES(RES_ROWS(res) + i);
		/* compared without case, as VICIdial's MariaDB collation does */
		found = extension == NULL
				|| (strcasecmp(phones_sql_text(&row[0], b1, sizeof(b1)),
							extension)
								!= 0
						&& strcasecmp(phones_sql_text(&row[1], b2, sizeof(b2)),
								   ip) != 0);
	}
	phones_sql_free(res);
	return found;
}

/* Appends s to sql as a quoted SQL literal; -1 when it does not fit or
 * holds a quote, a backslash or a control character (never so after the
 * core's sanitising: the caller then asks with typed queries). */
static int quoted(char *sql, size_t size, size_t *n, const char *s)
{
	const char *p;
	int w;

	for(p = s; *p; p++) {
		if(*p == '\'' || *p == '\\' || (unsigned char)*p < 0x20)
			return -1;
	}
	w = snprintf(sql + *n, size - *n, "'%s'", s);
	if(w < 0 || (size_t)w >= size - *n)
		return -1;
	*n += (size_t)w;
	return 0;
}

/* Appends the text of fmt (names only, no values); -1 when it does not
 * fit. */
static int sql_text(char *sql, size_t size, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int w;

	va_start(ap, fmt);
	w = vsnprintf(sql + *n, size - *n, fmt, ap);
	va_end(ap);
	if(w < 0 || (size_t)w >= size - *n)
		return -1;
	*n += (size_t)w;
	return 0;
}

/* add_phone's three look-ups (the server, the phone on it, a phone with
 * the login) in one query, where the database takes SQL text (MariaDB,
 * SQLite): one round trip instead of three. 1 (asked apart) where it
 * cannot be made or run. */
static int op_add_checks(void *ctx, const char *server_ip,
		const char *extension, const char *login, int found[3])
{
	str *names[] = {&phones_servers_table, &phones_servers_ip_column,
			&phones_table_name, &phones_extension_column,
			&phones_server_ip_column};
	char sql[1024];
	size_t n = 0, i;
	db1_res_t *res = NULL;
	long long v;

	(void)ctx;
	if(!phones_sql_has_raw()
			|| (!phones_sql_is_mysql() && !phones_sql_is_sqlite()))
		return 1;
	for(i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if(!phones_sql_plain_name(names[i]))
			return 1;
	}
	if(sql_text(sql, sizeof(sql), &n,
			   "SELECT EXISTS(SELECT 1 FROM %.*s WHERE %.*s = ",
			   STR_FMT(names[0]), STR_FMT(names[1]))
					< 0
			|| quoted(sql, sizeof(sql), &n, server_ip) < 0
			|| sql_text(sql, sizeof(sql), &n,
					   "), EXISTS(SELECT 1 FROM %.*s WHERE %.*s = ",
					   STR_FMT(names[2]), STR_FMT(names[3]))
					   < 0
			|| quoted(sql, sizeof(sql), &n, extension) < 0
			|| sql_text(sql, sizeof(sql), &n, " AND %.*s = ", STR_FMT(names[4]))
					   < 0
			|| quoted(sql, sizeof(sql), &n, server_ip) < 0
			|| sql_text(sql, sizeof(sql), &n,
					   "), EXISTS(SELECT 1 FROM %.*s WHERE login = ",
					   STR_FMT(names[2]))
					   < 0
			|| quoted(sql, sizeof(sql), &n, login) < 0
			|| sql_text(sql, sizeof(sql), &n, ")") < 0)
		return 1;
	if(phones_sql_raw_query(sql, (int)n, &res) < 0 || res == NULL
			|| RES_ROW_N(res) != 1 || RES_COL_N(res) != 3)
		goto apart; /* they say whether the database failed */
	for(i = 0; i < 3; i++) {
		if(phones_sql_int(&ROW_VALUES(RES_ROWS(res))[i], &v) < 0)
			goto apart;
		found[i] = v > 0;
	}
	phones_sql_free(res);
	return 0;

apart:
	LM_DBG("add_phone's look-ups asked apart: one query gave no answer\n");
	phones_sql_free(res);
	return 1;
}

static int op_template_exists(void *ctx, const char *template_id)
{
	str c_id = str_init("template_id");
	db_key_t keys[1] = {&c_id};
	db_val_t vals[1];

	(void)ctx;
	phones_sql_cstr(&vals[0], template_id);
	return phones_sql_exists(&phones_templates_table, keys, vals, 1, &c_id);
}

static int op_alias_exists(void *ctx, const char *alias_id)
{
	str c_id = str_init("alias_id");
	db_key_t keys[1] = {&c_id};
	db_val_t vals[1];

	(void)ctx;
	phones_sql_cstr(&vals[0], alias_id);
	return phones_sql_exists(&phones_aliases_table, keys, vals, 1, &c_id);
}

static int op_login_state(void *ctx, const char *user, int *failed, long *since)
{
	db_key_t keys[1] = {&c_username};
	db_key_t cols[2] = {&c_failed, &c_last};
	db_val_t vals[1];
	db_val_t *row;
	db1_res_t *res;
	char b[32];
	int found = 0;

	(void)ctx;
	if(has_lock_columns == 0)
		return 0;
	/* read with the row op_user found (user and password matched) */
	if(seen.valid && strcmp(seen.user, user) == 0) {
		seen.valid = 0;
		*failed = seen.failed;
		*since = seen.since;
		return 1;
	}
	phones_sql_cstr(&vals[0], user);
	if(phones_sql_select(&phones_users_table, keys, vals, 1, cols, 2, &res)
			< 0) {
		if(has_lock_columns == 1)
			return -1;
		LM_NOTICE("table '%.*s' has no failed_login_count or last_login_date:"
				  " no lock-out of API logins\n",
				phones_users_table.len, phones_users_table.s);
		has_lock_columns = 0;
		return 0;
	}
	has_lock_columns = 1;
	if(RES_ROW_N(res) > 0) {
		row = ROW_VALUES(RES_ROWS(res));
		found = 1;
		*failed = atoi(phones_sql_text(&row[0], b, sizeof(b)));
		*since = since_of(&row[1]);
	}
	phones_sql_free(res);
	return found;
}

/* -1 not known yet; 0 vicidial_users has no failed_login_attempts_today
 * and the like; 1 it has them. */
static int has_today_columns = -1;

/* The *_today counters of a user (VICIdial's user_authorization counts
 * them where the install has the columns); 0, or -1. */
static int today_counts(const char *user, int *attempts, int *count)
{
	str c_attempts = str_init("failed_login_attempts_today");
	str c_count = str_init("failed_login_count_today");
	db_key_t keys[1] = {&c_username};
	db_key_t cols[2] = {&c_attempts, &c_count};
	db_val_t vals[1];
	db1_res_t *res;
	char b[32];

	*attempts = *count = 0;
	if(has_today_columns == 0)
		return -1;
	phones_sql_cstr(&vals[0], user);
	if(phones_sql_select(&phones_users_table, keys, vals, 1, cols, 2, &res)
			< 0) {
		if(has_today_columns == -1)
			LM_NOTICE("table '%.*s' has no failed_login_attempts_today:"
					  " failed API logins are counted in"
					  " failed_login_count only\n",
					phones_users_table.len, phones_users_table.s);
		has_today_columns = 0;
		return -1;
	}
	has_today_columns = 1;
	if(RES_ROW_N(res) > 0) {
		*attempts = atoi(
				phones_sql_text(&ROW_VALUES(RES_ROWS(res))[0], b, sizeof(b)));
		*count = atoi(
				phones_sql_text(&ROW_VALUES(RES_ROWS(res))[1], b, sizeof(b)));
	}
	phones_sql_free(res);
	return 0;
}

/* UPDATE vicidial_users SET cols = vals WHERE user = ...; 0, or -1 with
 * the connection dropped. */
static int update_user(
		db_key_t *keys, db_val_t *kvals, db_key_t *cols, db_val_t *vals, int n)
{
	if(phones_sql_update(&phones_users_table, keys, kvals, 1, cols, vals, n)
			< 0) {
		phones_sql_disconnect();
		return -1;
	}
	return 0;
}

/* ctx: the client's address, for last_ip and failed_last_ip_today. */
static int op_login_record(void *ctx, const char *user, int outcome, int failed)
{
	str c_last_ip = str_init("last_ip");
	str c_attempts = str_init("failed_login_attempts_today");
	str c_count = str_init("failed_login_count_today");
	str c_fail_ip = str_init("failed_last_ip_today");
	str c_fail_type = str_init("failed_last_type_today");
	static int has_last_ip = -1;
	const char *ip = ctx ? (const char *)ctx : "";
	db_key_t keys[1] = {&c_username};
	db_key_t cols[6];
	db_val_t kvals[1], vals[6];
	int n = 0, base, attempts, count, today, with_ip;

	phones_sql_cstr(&kvals[0], user);
	memset(vals, 0, sizeof(vals));
	if(outcome != PH_LOGIN_LOCKED) {
		cols[n] = &c_failed;
		VAL_TYPE(&vals[n]) = DB1_INT;
		VAL_INT(&vals[n++]) = outcome == PH_LOGIN_GOOD
									  ? 0
									  : (outcome == PH_LOGIN_BAD ? failed + 1 : 1);
	}
	if(outcome == PH_LOGIN_GOOD || outcome == PH_LOGIN_BAD_RESTART) {
		cols[n] = &c_last;
		VAL_TYPE(&vals[n]) = DB1_DATETIME;
		VAL_TIME(&vals[n++]) = time(NULL);
	}
	/* VICIdial's GOOD writes last_ip in the same UPDATE: so does this,
	 * once the column is known to be there (the first time apart) */
	with_ip = outcome == PH_LOGIN_GOOD && has_last_ip == 1;
	if(with_ip) {
		cols[n] = &c_last_ip;
		phones_sql_cstr(&vals[n++], ip);
	}
	base = n;
	today = outcome != PH_LOGIN_GOOD
			&& today_counts(user, &attempts, &count) == 0;
	if(today) {
		cols[n] = &c_attempts;
		VAL_TYPE(&vals[n]) = DB1_INT;
		VAL_INT(&vals[n++]) = attempts + 1;
		if(outcome != PH_LOGIN_LOCKED) {
			cols[n] = &c_count;
			VAL_TYPE(&vals[n]) = DB1_INT;
			VAL_INT(&vals[n++]) = count + 1;
			cols[n] = &c_fail_ip;
			phones_sql_cstr(&vals[n++], ip);
		}
		cols[n] = &c_fail_type;
		phones_sql_cstr(
				&vals[n++], outcome == PH_LOGIN_LOCKED ? "aLOCK" : "aBAD");
	}
	if(today) {
		if(update_user(keys, kvals, cols, vals, n) == 0)
			return 0;
		/* the *_today columns went: the count without them */
		LM_NOTICE("cannot write failed_login_attempts_today and the like in"
				  " '%.*s': counting failed_login_count only\n",
				phones_users_table.len, phones_users_table.s);
		has_today_columns = 0;
		n = base;
	}
	if(with_ip) {
		if(update_user(keys, kvals, cols, vals, n) == 0)
			return 0;
		/* last_ip gone since: the login recorded without it */
		LM_NOTICE("cannot write last_ip in '%.*s': not written\n",
				phones_users_table.len, phones_users_table.s);
		has_last_ip = 0;
		n--;
	}
	if(n > 0 && update_user(keys, kvals, cols, vals, n) < 0) {
		LM_ERR("cannot record an API login in '%.*s'\n",
				phones_users_table.len, phones_users_table.s);
		return -1;
	}
	/* VICIdial's GOOD also writes last_ip, where the install has it */
	if(outcome == PH_LOGIN_GOOD && has_last_ip == -1) {
		cols[0] = &c_last_ip;
		phones_sql_cstr(&vals[0], ip);
		has_last_ip = update_user(keys, kvals, cols, vals, 1) == 0;
		if(!has_last_ip)
			LM_NOTICE("table '%.*s' has no last_ip column: not written\n",
					phones_users_table.len, phones_users_table.s);
	}
	return 0;
}

static const ph_api_ops_t ops = {op_user, op_server_exists, op_phone_exists,
		op_login_exists, op_template_exists, op_login_state, op_login_record,
		op_alias_exists, op_viewable_groups, op_add_checks};

/* The configured column for one of VICIdial's. */
static str *column(const char *name, str *own)
{
	static const struct
	{
		const char *name;
		str *param;
	} mapped[] = {{"extension", &phones_extension_column},
			{"dialplan_number", &phones_dialplan_number_column},
			{"conf_secret", &phones_conf_secret_column},
			{"protocol", &phones_protocol_column},
			{"active", &phones_active_column},
			{"server_ip", &phones_server_ip_column},
			{"outbound_cid", &phones_outbound_cid_column}};
	size_t i;

	for(i = 0; i < sizeof(mapped) / sizeof(mapped[0]); i++) {
		if(strcmp(mapped[i].name, name) == 0)
			return mapped[i].param;
	}
	own->s = (char *)name;
	own->len = (int)strlen(name);
	return own;
}

/* The columns whose values VICIdial's admin log must not show. */
static int secret_column(const char *c)
{
	return strcmp(c, "pass") == 0 || strcmp(c, "conf_secret") == 0;
}

/* A vicidial_admin_log row, as VICIdial's API writes one, where the
 * install has the table; its event_sql a description of the change with
 * the passwords left out. */
static void admin_log(const ph_api_result_t *res, const char *ip)
{
	static int absent = 0;
	static const char *const types[] = {"", "ADD", "MODIFY", "DELETE"};
	static const char *const codes[] = {"", "ADMIN API ADD PHONE",
			"ADMIN API UPDATE PHONE", "ADMIN API DELETE PHONE"};
	str table = str_init("vicidial_admin_log");
	str c[8] = {str_init("event_date"), str_init("user"),
			str_init("ip_address"), str_init("event_section"),
			str_init("event_type"), str_init("record_id"),
			str_init("event_code"), str_init("event_notes")};
	str c_sql = str_init("event_sql");
	db_key_t cols[9];
	db_val_t vals[9];
	char notes[PH_API_MAX_VALUE + 64], sql[2048], record[51];
	const str *table_name;
	str own;
	const str *name;
	size_t n = 0;
	int i, w;

	static const char *const alias_codes[] = {"", "ADMIN API ADD PHONE ALIAS",
			"ADMIN API UPDATE PHONE", "ADMIN API DELETE PHONE ALIAS"};
	const char *logins;
	int alias = res->target == PH_API_ALIASES;

	if(absent || res->action <= PH_API_NONE || res->action > PH_API_DELETE)
		return;
	/* the tables and columns written, as configured */
	table_name = alias ? &phones_aliases_table : &phones_table_name;
	if(res->action == PH_API_DELETE && alias)
		n = (size_t)snprintf(sql, sizeof(sql),
				"DELETE FROM %.*s where alias_id='%s'", table_name->len,
				table_name->s, res->extension);
	else if(res->action == PH_API_DELETE)
		n = (size_t)snprintf(sql, sizeof(sql),
				"DELETE FROM %.*s WHERE %.*s='%s' and %.*s='%s'",
				table_name->len, table_name->s, phones_extension_column.len,
				phones_extension_column.s, res->extension,
				phones_server_ip_column.len, phones_server_ip_column.s,
				res->server_ip);
	else
		n = (size_t)snprintf(sql, sizeof(sql), "%s %.*s SET",
				res->action == PH_API_INSERT ? "INSERT INTO" : "UPDATE",
				table_name->len, table_name->s);
	for(i = 0; res->action != PH_API_DELETE && i < res->nfields
			   && n < sizeof(sql);
			i++) {
		name = alias ? NULL : column(res->fields[i].column, &own);
		w = snprintf(sql + n, sizeof(sql) - n, "%s %.*s='%s'", i ? "," : "",
				name ? name->len : (int)strlen(res->fields[i].column),
				name ? name->s : res->fields[i].column,
				secret_column(res->fields[i].column) ? "<secret>"
													 : res->fields[i].value);
		if(w > 0)
			n += (size_t)w;
	}
	if(alias) {
		logins = "";
		for(i = 0; i < res->nfields; i++) {
			if(strcmp(res->fields[i].column, "logins_list") == 0)
				logins = res->fields[i].value;
		}
		/* VICIdial's notes: the logins, none for a delete */
		snprintf(notes, sizeof(notes), "%s%s",
				res->action == PH_API_DELETE ? "" : "phones: ", logins);
	} else {
		/* the extension as given: VICIdial's notes do not cut it */
		snprintf(notes, sizeof(notes), "phone: %s|%s", res->extension_given,
				res->server_ip);
	}
	for(i = 0; i < 9; i++) {
		cols[i] = i < 8 ? &c[i] : &c_sql;
		memset(&vals[i], 0, sizeof(vals[i]));
	}
	VAL_TYPE(&vals[0]) = DB1_DATETIME;
	VAL_TIME(&vals[0]) = time(NULL);
	phones_sql_cstr(&vals[1], res->user);
	phones_sql_cstr(&vals[2], ip);
	phones_sql_cstr(&vals[3], alias ? "PHONEALIASES" : "PHONES");
	phones_sql_cstr(&vals[4], types[res->action]);
	/* record_id is VARCHAR(50): cut as VICIdial's (non-strict) MariaDB
	 * cuts it, so that a strict one takes the row too */
	snprintf(record, sizeof(record), "%.50s", res->extension);
	phones_sql_cstr(&vals[5], record);
	phones_sql_cstr(
			&vals[6], alias ? alias_codes[res->action] : codes[res->action]);
	phones_sql_cstr(&vals[7], notes);
	phones_sql_cstr(&vals[8], sql);
	if(phones_sql_insert(&table, cols, vals, 9) < 0) {
		LM_NOTICE("no vicidial_admin_log row written (no such table?): not"
				  " tried again\n");
		absent = 1;
	}
}

/* An alias written (phones_alias, keyed by alias_id), and its admin log
 * row. The live table does not hold aliases. */
static int write_alias(const ph_api_result_t *res, const char *ip)
{
	str names[PH_API_MAX_FIELDS], c_id = str_init("alias_id");
	db_key_t keys[1] = {&c_id};
	db_key_t cols[PH_API_MAX_FIELDS];
	db_val_t kvals[1], vals[PH_API_MAX_FIELDS];
	int i, rc = -1;

	if(phones_sql_connect() < 0)
		return -1;
	for(i = 0; i < res->nfields; i++) {
		names[i].s = (char *)res->fields[i].column;
		names[i].len = (int)strlen(res->fields[i].column);
		cols[i] = &names[i];
		phones_sql_cstr(&vals[i], res->fields[i].value);
	}
	phones_sql_cstr(&kvals[0], res->extension);
	if(res->action == PH_API_INSERT)
		rc = phones_sql_insert(&phones_aliases_table, cols, vals, res->nfields);
	else if(res->action == PH_API_UPDATE)
		rc = phones_sql_update(&phones_aliases_table, keys, kvals, 1, cols,
				vals, res->nfields);
	else if(res->action == PH_API_DELETE)
		rc = phones_sql_delete(&phones_aliases_table, keys, kvals, 1);
	if(rc < 0) {
		LM_ERR("writing phone alias %s failed\n", res->extension);
		phones_sql_disconnect();
		return -1;
	}
	admin_log(res, ip);
	return 0;
}

/* As VICIdial does: the server rebuilds its Asterisk configuration, where
 * it generates it and is an active Asterisk server (with an empty
 * servers_asterisk_column every server is one, as for the loader). */
static void rebuild_conf(const char *server_ip)
{
	str c_rebuild = str_init("rebuild_conf_files");
	str c_generate = str_init("generate_vicidial_conf");
	db_key_t keys[3] = {&phones_servers_ip_column, &c_generate,
			&phones_servers_asterisk_column};
	db_key_t cols[1] = {&c_rebuild};
	db_val_t kvals[3], vals[1];

	phones_sql_cstr(&kvals[0], server_ip);
	phones_sql_cstr(&kvals[1], "Y");
	phones_sql_cstr(&kvals[2], "Y");
	phones_sql_cstr(&vals[0], "Y");
	if(phones_sql_update(&phones_servers_table, keys, kvals,
			   phones_servers_asterisk_column.len > 0 ? 3 : 2, cols, vals, 1)
			< 0)
		LM_WARN("phone written, but %.*s.rebuild_conf_files not set for %s\n",
				phones_servers_table.len, phones_servers_table.s, server_ip);
}

static int write_db(const ph_api_result_t *res, const char *ip)
{
	str names[PH_API_MAX_FIELDS];
	db_key_t keys[2] = {&phones_extension_column, &phones_server_ip_column};
	db_key_t cols[PH_API_MAX_FIELDS];
	db_val_t kvals[2], vals[PH_API_MAX_FIELDS];
	int i, rc = -1;

	if(phones_sql_connect() < 0)
		return -1;
	for(i = 0; i < res->nfields; i++) {
		cols[i] = column(res->fields[i].column, &names[i]);
		phones_sql_cstr(&vals[i], res->fields[i].value);
	}
	phones_sql_cstr(&kvals[0], res->extension);
	phones_sql_cstr(&kvals[1], res->server_ip);
	switch(res->action) {
		case PH_API_INSERT:
			rc = phones_sql_insert(
					&phones_table_name, cols, vals, res->nfields);
			break;
		case PH_API_UPDATE:
			rc = phones_sql_update(&phones_table_name, keys, kvals, 2, cols,
					vals, res->nfields);
			break;
		case PH_API_DELETE:
			rc = phones_sql_delete(&phones_table_name, keys, kvals, 2);
			break;
		default:
			rc = 0;
	}
	if(rc < 0)
		goto done;
	admin_log(res, ip);
	rebuild_conf(res->server_ip);
done:
	if(rc < 0) {
		LM_ERR("writing phone %s on %s failed\n", res->extension,
				res->server_ip);
		phones_sql_disconnect();
	}
	return rc;
}

/* The core's database write: the phone (with its admin log and the
 * server's rebuild flag) or the alias; ctx is the client's address. */
static int db_write(void *ctx, const ph_api_result_t *res)
{
	const char *ip = ctx;

	return res->target == PH_API_ALIASES ? write_alias(res, ip)
										 : write_db(res, ip);
}

static void db_commit(void *ctx)
{
	(void)ctx;
	phones_sql_commit();
}

/* The core's full reload: the guard is held (phones_api_answer). */
static void reload_held(void *ctx, ph_reload_report_t *rep)
{
	(void)ctx;
	phones_reload_held(0, rep);
}

/* Carries the decision out (core/change_apply.c: the table prepared, the
 * database written and committed, then the table published or
 * reloaded); on failure rewrites res->line. */
/* The phone an API request changed, told to the other proxies once its
 * writes are committed (phones_api_answer). */
static struct
{
	int pending;
	char server_ip[PH_MAX_SERVER_IP + 1];
	char extension[PH_MAX_EXTENSION + 1];
} announce;

static void apply(const ph_api_query_t *q, ph_api_result_t *res, const char *ip)
{
	phones_reload_report_t rep;
	ph_change_outcome_t outcome;
	ph_changer_t c;

	c.store = phones_store();
	c.allocator = &phones_shm_allocator;
	c.db.write = db_write;
	c.db.commit = db_commit;
	c.db.ctx = (void *)ip;
	c.reload.reload = reload_held;
	c.reload.ctx = NULL;
	c.server_ip = phones_server_ip.s;
	c.server_ip_len = (size_t)phones_server_ip.len;
	outcome = ph_change_apply(&c, res, &rep);
	if(outcome != PH_CHANGE_NO_MEMORY && outcome != PH_CHANGE_DB_FAILED
			&& outcome != PH_CHANGE_DB_ONLY) {
		announce.pending = 1;
		snprintf(announce.server_ip, sizeof(announce.server_ip), "%s",
				res->server_ip);
		snprintf(announce.extension, sizeof(announce.extension), "%s",
				res->extension);
	}
	switch(outcome) {
		case PH_CHANGE_NO_MEMORY:
			LM_ERR("out of shared memory for the changed table\n");
			ph_api_db_error(q, res);
			break;
		case PH_CHANGE_DB_FAILED:
			ph_api_db_error(q, res);
			break;
		case PH_CHANGE_NOT_RELOADED:
			LM_ERR("phone %s on %s written, but the table could not be"
				   " reloaded: %s\n",
					res->extension, res->server_ip, rep.why);
			break;
		default:
			break;
	}
}

static void reply(sip_msg_t *msg, int code, const char *body)
{
	/* VICIdial's Content-Type */
	str reason = str_init("OK"), ctype = str_init("text/html; charset=utf-8");
	static char buf[PH_API_MAX_LINE + 2];
	str b;

	if(code != 200) {
		reason.s = "Bad Request";
		reason.len = 11;
	}
	snprintf(buf, sizeof(buf), "%s\n", body);
	b.s = buf;
	b.len = (int)strlen(buf);
	xhttp.reply(msg, code, &reason, &ctype, &b);
}

/* The query string of the request line and the form of a POST, merged as
 * PHP's $_GET-else-$_POST reading of each parameter merges them: the form
 * first, the query string after it (the last value of a name wins, so a
 * name in both is the query string's). */
static int request_query(sip_msg_t *msg, str *qs)
{
	static char merged[PH_API_MAX_QUERY + 2];
	str *uri = &msg->first_line.u.request.uri;
	char *mark = memchr(uri->s, '?', uri->len);
	str body = STR_NULL;

	qs->s = NULL;
	qs->len = 0;
	if(mark) {
		qs->s = mark + 1;
		qs->len = (int)(uri->s + uri->len - qs->s);
	}
	if(msg->first_line.u.request.method.len == 4
			&& strncmp(msg->first_line.u.request.method.s, "POST", 4) == 0) {
		body.s = get_body(msg);
		body.len = body.s ? (int)(msg->buf + msg->len - body.s) : 0;
	}
	if(body.len == 0)
		return 0;
	if(qs->len == 0) {
		*qs = body;
		return 0;
	}
	if((size_t)body.len + 1 + (size_t)qs->len > PH_API_MAX_QUERY) {
		/* too long together: the parser refuses it by its length */
		qs->s = body.s;
		qs->len = body.len + 1 + qs->len;
		return 0;
	}
	memcpy(merged, body.s, body.len);
	merged[body.len] = '&';
	memcpy(merged + body.len + 1, qs->s, qs->len);
	qs->s = merged;
	qs->len = body.len + 1 + qs->len;
	return 0;
}

/* function=devices: show or choose the devices of an extension. */
static int devices_request(
		const ph_api_query_t *q, char *line, size_t size)
{
	const char *user = ph_api_query_get(q, "user");
	const char *pass = ph_api_query_get(q, "pass");
	const char *ext = ph_api_query_get(q, "extension");
	const char *list = ph_api_query_get(q, "devices");
	ph_api_user_t u;

	memset(&u, 0, sizeof(u));
	if(user && pass && op_user(NULL, user, pass, &u) < 0) {
		snprintf(line, size, "ERROR: devices DATABASE ERROR");
		return -1;
	}
	if(!ph_api_devices_allowed(&u)) {
		snprintf(line, size, "ERROR: devices USER DOES NOT HAVE PERMISSION TO"
							 " USE THIS FUNCTION - %s",
				user && ph_sip_user_valid(user, strlen(user)) ? user : "?");
		return -1;
	}
	if(ext == NULL || ext[0] == '\0') {
		snprintf(line, size, "ERROR: devices NO EXTENSION GIVEN");
		return -1;
	}
	if(list == NULL)
		return phones_devices_show(ext, strlen(ext), line, size);
	return phones_devices_choose(ext, strlen(ext), list, strlen(list), line,
				   size)
				   == 0
				   ? 0
				   : -1;
}

/* A vicidial_api_log row for an answer, as VICIdial's api_log() writes
 * one, where the install has the table (core/api_request.c decides the
 * row; its data has the request's secrets replaced). started: when the
 * request came, for run_time. */
static void api_log(const ph_api_query_t *q, const ph_api_result_t *res,
		const struct timespec *started)
{
	static int absent = 0;
	static ph_api_log_row_t row; /* large: not on the stack */
	str table = str_init("vicidial_api_log");
	str c[10] = {str_init("user"), str_init("api_date"),
			str_init("api_script"), str_init("function"),
			str_init("agent_user"), str_init("value"), str_init("result"),
			str_init("result_reason"), str_init("source"), str_init("data")};
	str c_run = str_init("run_time");
	db_key_t cols[11];
	db_val_t vals[11];
	struct timespec now;
	char run[32];
	int i;

	if(absent || ph_api_log_row(q, res, &row) < 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	snprintf(run, sizeof(run), "%.6f",
			(double)(now.tv_sec - started->tv_sec)
					+ (double)(now.tv_nsec - started->tv_nsec) / 1e9);
	for(i = 0; i < 11; i++) {
		cols[i] = i < 10 ? &c[i] : &c_run;
		memset(&vals[i], 0, sizeof(vals[i]));
	}
	phones_sql_cstr(&vals[0], row.user);
	VAL_TYPE(&vals[1]) = DB1_DATETIME;
	VAL_TIME(&vals[1]) = time(NULL);
	phones_sql_cstr(&vals[2], "non-agent");
	phones_sql_cstr(&vals[3], row.function);
	phones_sql_cstr(&vals[4], "");
	phones_sql_cstr(&vals[5], "");
	phones_sql_cstr(&vals[6], row.result);
	phones_sql_cstr(&vals[7], row.reason);
	phones_sql_cstr(&vals[8], row.source);
	phones_sql_cstr(&vals[9], row.data);
	phones_sql_cstr(&vals[10], run);
	if(phones_sql_connect() < 0)
		return;
	if(phones_sql_insert(&table, cols, vals, 11) < 0) {
		LM_NOTICE("no vicidial_api_log row written (no such table?): not"
				  " tried again\n");
		absent = 1;
	}
}

int phones_api_answer(const char *qs, size_t len, const char *ip, char *line,
		size_t size)
{
	struct timespec started;
	static ph_api_query_t q; /* large: not on the stack */
	static ph_api_result_t res;
	static char logged[sizeof(res.line)];
	const char *fn;
	char err[128];

	clock_gettime(CLOCK_MONOTONIC, &started);
	settings_forget();
	if(ph_api_query_parse(qs, len, &q, err, sizeof(err)) < 0) {
		snprintf(line, size, "ERROR: INVALID REQUEST - %s", err);
		return -1;
	}
	fn = ph_api_query_get(&q, "function");
	if(fn && strcmp(fn, "devices") == 0) {
		/* answered like VICIdial's functions: ERROR lines too with 200 */
		devices_request(&q, line, size);
		LM_INFO("%s\n", line);
		return 0;
	}
	phones_reload_hold();
	/* SQLite: the request's writes (the login's record, the phone, the
	 * admin log, the server's rebuild flag) in one transaction, written to
	 * disk together, once, and all or none */
	phones_sql_begin();
	q.non_latin = use_non_latin();
	ph_api_handle(&q, &ops, (void *)ip, &res);
	if(res.action != PH_API_NONE)
		apply(&q, &res, ip);
	/* VICIdial's API log is of its HTTP API: not of the RPC commands */
	if(strcmp(ip, "RPC") != 0)
		api_log(&q, &res, &started);
	phones_sql_commit();
	phones_reload_unhold();
	if(announce.pending) {
		/* written and committed: the peers take it from the database */
		announce.pending = 0;
		phones_dmq_changed(announce.server_ip, announce.extension,
				strlen(announce.extension));
	}
	/* VICIdial's answers may echo the request's passwords: never the log */
	ph_api_redact(&q, res.line, logged, sizeof(logged));
	LM_INFO("%s\n", logged);
	snprintf(line, size, "%s", res.line);
	return 0;
}

int phones_api(sip_msg_t *msg)
{
	static char line[PH_API_MAX_LINE];
	str qs;

	if(!have_xhttp) {
		LM_ERR("phones_api() needs the xhttp module loaded\n");
		return -1;
	}
	if(msg->first_line.type != SIP_REQUEST)
		return -1;
	request_query(msg, &qs);
	if(phones_api_answer(qs.s ? qs.s : "", (size_t)qs.len,
			   ip_addr2a(&msg->rcv.src_ip), line, sizeof(line))
			< 0)
		reply(msg, 400, line);
	else
		reply(msg, 200, line);
	return 1;
}
