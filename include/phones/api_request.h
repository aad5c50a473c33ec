/*
 * kamailio-phones: VICIdial's add_phone / update_phone API, decided.
 *
 * A request's query string is decoded and checked here, in VICIdial's
 * order, with VICIdial's answer lines (non_agent_api.php). What only the
 * database knows (the API user, servers, phones, logins, templates) is
 * asked through callbacks; what to write comes back as an action for the
 * caller to carry out: the database first, the live table second.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PHONES_API_REQUEST_H
#define PHONES_API_REQUEST_H

#include <stddef.h>

/* Longest query string accepted, and most parameters in it. */
#define PH_API_MAX_QUERY 4096
#define PH_API_MAX_PARAMS 64
#define PH_API_MAX_VALUE 255
#define PH_API_MAX_FIELDS 24
/* Longest answer line with its NUL: VICIdial prints the whole line, and
 * the longest (add_phone's REQUIRED FIELDS, eleven values echoed) is
 * under 3,000 characters. */
#define PH_API_MAX_LINE 4096

typedef struct ph_api_param
{
	char name[32];
	char value[PH_API_MAX_VALUE + 1];
} ph_api_param_t;

typedef struct ph_api_query
{
	ph_api_param_t params[PH_API_MAX_PARAMS];
	int count;
	/* system_settings' use_non_latin (0 from the parser; the caller sets
	 * it): the fields VICIdial sanitises with \p{L} keep the Unicode
	 * letters of a UTF-8 value (an invalid one is emptied, as PHP's
	 * preg_replace /u does), and values are cut to their columns in
	 * characters */
	int non_latin;
} ph_api_query_t;

/* Decodes "a=1&b=x%20y+z" (percent escapes, '+' for a blank). Returns 0,
 * or -1 with a reason in err for a query that is too long, has too many
 * parameters or too long a name or value, a bad or NUL escape, or a
 * control character. */
int ph_api_query_parse(const char *qs, size_t len, ph_api_query_t *q,
		char *err, size_t errsize);

/* The value of name (the last one, as PHP takes it), or NULL. */
const char *ph_api_query_get(const ph_api_query_t *q, const char *name);

/* The API user, as vicidial_users holds it. */
typedef struct ph_api_user
{
	int found; /* user and pass matched */
	int user_level;
	char active;			   /* 'Y' / 'N' */
	char ast_admin_access;	   /* '1' / '0' */
	char vdc_agent_api_access; /* '1' / '0' */
	char ast_delete_phones;	   /* '1' / '0' */
	/* api_allowed_functions (" add_phone update_phone ", ALL_FUNCTIONS),
	 * when the install's vicidial_users has the column */
	int has_allowed_functions;
	char allowed_functions[1024];
	/* admin_viewable_groups of the user's group (vicidial_user_groups),
	 * "" where the install has none: update_phone sees only phones of
	 * these groups (and ---ALL---) unless it holds --ALL--. Filled by
	 * user(), or only when update_phone asks (ops' viewable_groups). */
	char viewable_groups[1024];
	char user_group[64]; /* the user's user_group, for viewable_groups */
} ph_api_user_t;

/* VICIdial's check of api_allowed_functions: " <function> " or
 * ALL_FUNCTIONS in it. */
int ph_api_function_allowed(const char *allowed, const char *function);

/* What only the database knows. Each returns 1 (yes), 0 (no) or -1 (the
 * database failed); user() fills *out and returns 0, or -1. */
typedef struct ph_api_ops
{
	int (*user)(void *ctx, const char *user, const char *pass,
			ph_api_user_t *out);
	int (*server_exists)(void *ctx, const char *server_ip);
	/* with group non-NULL, the phone's user_group is written there (gsize
	 * bytes with the NUL), and 2 is returned for a phone whose user_group
	 * is NULL */
	int (*phone_exists)(void *ctx, const char *extension, const char *server_ip,
			char *group, size_t gsize);
	/* add_phone (extension NULL): a phone uses this login; update_phone:
	 * a phone on another extension and another server does (VICIdial's
	 * "extension != and server_ip !=") */
	int (*login_exists)(void *ctx, const char *login, const char *extension,
			const char *server_ip);
	int (*template_exists)(void *ctx, const char *template_id);
	/* VICIdial's failed-login lock-out, where vicidial_users has
	 * failed_login_count and last_login_date (NULL: no lock-out): the
	 * user's count and the seconds since its last_login_date; 1 found, 0
	 * no such user (or columns), -1 the database failed. */
	int (*login_state)(void *ctx, const char *user, int *failed, long *since);
	/* records a login: PH_LOGIN_* below; 0, or -1. */
	int (*login_record)(void *ctx, const char *user, int outcome, int failed);
	/* a phones_alias row with this alias_id (NULL: no alias functions) */
	int (*alias_exists)(void *ctx, const char *alias_id);
	/* fills u->viewable_groups (of u->user_group), for the one function
	 * that needs them (update_phone), so that the others do not read
	 * them; 0, or -1. NULL: user() filled them. */
	int (*viewable_groups)(void *ctx, ph_api_user_t *u);
	/* add_phone's three look-ups at once: found[0] server_exists(ip),
	 * found[1] phone_exists(extension, ip), found[2] login_exists(login)
	 * (each 1 or 0, answered in that order as when asked apart); 0, or
	 * -1 the database failed. It may answer 1 when it cannot (then they
	 * are asked apart). NULL: asked apart. */
	int (*add_checks)(void *ctx, const char *server_ip, const char *extension,
			const char *login, int found[3]);
} ph_api_ops_t;

/* What login_record writes (VICIdial's user_authorization): GOOD
 * failed_login_count 0, last_login_date now (and last_ip); BAD the count
 * `failed` + 1; BAD_RESTART count 1 and last_login_date now (a lock older
 * than 15 minutes); LOCKED nothing of the count (a login while locked).
 * Where the install has them, BAD and BAD_RESTART also count
 * failed_login_attempts_today and failed_login_count_today, LOCKED only
 * the attempts, each with failed_last_ip_today and failed_last_type_today
 * (aBAD, aLOCK). */
#define PH_LOGIN_GOOD 0
#define PH_LOGIN_BAD 1
#define PH_LOGIN_BAD_RESTART 2
#define PH_LOGIN_LOCKED 3
/* failed logins that lock a user, and for how long (VICIdial's) */
#define PH_LOGIN_LOCK_ATTEMPTS 10
#define PH_LOGIN_LOCK_SECONDS 900

typedef enum ph_api_action
{
	PH_API_NONE = 0, /* answer only */
	PH_API_INSERT,
	PH_API_UPDATE,
	PH_API_DELETE
} ph_api_action_t;

/* A column of VICIdial's phones table and the value to write to it. */
typedef struct ph_api_field
{
	const char *column;
	char value[PH_API_MAX_VALUE + 1];
} ph_api_field_t;

/* The table an action is on. */
typedef enum ph_api_target
{
	PH_API_PHONES = 0, /* phones: extension and server_ip are the key */
	PH_API_ALIASES	   /* phones_alias: extension holds the alias_id */
} ph_api_target_t;

typedef struct ph_api_result
{
	char line[PH_API_MAX_LINE]; /* the answer, without a line end */
	ph_api_action_t action;
	ph_api_target_t target;
	char extension[101];
	/* the extension as given (sanitised, uncut): the admin log's notes */
	char extension_given[PH_API_MAX_VALUE + 1];
	char server_ip[16];
	char user[PH_API_MAX_VALUE + 1]; /* the API user, as sanitised */
	ph_api_field_t fields[PH_API_MAX_FIELDS]; /* to insert or update */
	int nfields;
	int utf8; /* the query's non_latin: columns cut in characters */
} ph_api_result_t;

/* Decides a request (function=add_phone, update_phone, add_phone_alias
 * or update_phone_alias; anything else gets an error line, once the login
 * is checked and recorded, as VICIdial's does). Never writes anything
 * itself. */
void ph_api_handle(const ph_api_query_t *q, const ph_api_ops_t *ops,
		void *ctx, ph_api_result_t *res);

/* The request's secrets (the API user's pass, phone_pass,
 * registration_password), as VICIdial's answers may echo them. */
#define PH_API_SECRET_PARAMS {"pass", "phone_pass", "registration_password"}

/* A copy of an answer line fit for a log: every non-empty value of the
 * request's secrets replaced by "<secret>" (out is always terminated). */
void ph_api_redact(const ph_api_query_t *q, const char *line, char *out,
		size_t size);

/* May this API user choose the devices that ring for an extension
 * (function=devices, the agent screen's call): an active user with the
 * agent API or admin access. */
int ph_api_devices_allowed(const ph_api_user_t *u);

/* A vicidial_api_log row, as VICIdial's api_log() writes one for an
 * answer: each value cut to its column. */
typedef struct ph_api_log_row
{
	char user[21];
	char function[21];
	char result[11];
	char reason[256];
	char source[21];
	char data[PH_API_MAX_LINE];
} ph_api_log_row_t;

/* The vicidial_api_log row of an answer: 0 with row filled, or -1 where
 * VICIdial writes none (a login refused or locked out, and this API's own
 * database errors). data is the answer's echo of the request, as
 * VICIdial's, with the request's secrets replaced by "<secret>" (VICIdial
 * stores them as sent; a log table is no place for them). */
int ph_api_log_row(const ph_api_query_t *q, const ph_api_result_t *res,
		ph_api_log_row_t *row);

/* The line to send when the action could not be carried out. */
void ph_api_db_error(const ph_api_query_t *q, ph_api_result_t *res);

#endif
