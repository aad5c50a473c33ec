/*
 * kamailio-phones: loading VICIdial's phones, routing rules, servers and
 * devices, and the cheap check for their change, through the database
 * layer (phones_sql.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/dprint.h"

#include "phones/sip_user.h"
#include "phones_db.h"
#include "phones_sql.h"
#include "phones_store.h"

/* How many broken rows are logged one by one before only counting. */
#define PHONES_LOG_ROWS 20

str phones_table_name = str_init("phones");
str phones_extension_column = str_init("extension");
str phones_dialplan_number_column = str_init("dialplan_number");
str phones_conf_secret_column = str_init("conf_secret");
str phones_protocol_column = str_init("protocol");
str phones_active_column = str_init("active");
str phones_server_ip_column = str_init("server_ip");
str phones_outbound_cid_column = str_init("outbound_cid");
str phones_server_ip = STR_NULL;
int phones_fetch_rows = 1000;
str phones_routes_table = str_init("phone_routes");
str phones_route_id_column = str_init("id");
str phones_route_priority_column = str_init("priority");
str phones_route_match_column = str_init("match_exp");
str phones_route_repl_column = str_init("repl_exp");
str phones_route_trunk_column = str_init("trunk");
str phones_route_description_column = str_init("description");

str phones_devices_table = str_init("phone_devices");
str phones_devices_extension_column = str_init("extension");
str phones_devices_device_column = str_init("device");
str phones_devices_position_column = str_init("position");
str phones_devices_ring_column = str_init("ring_seconds");
str phones_devices_active_column = str_init("active");

str phones_servers_ip_column = str_init("server_ip");
str phones_servers_active_column = str_init("active");
str phones_servers_asterisk_column = str_init("active_asterisk_server");
int phones_server_port = 5060;

enum
{
	RCOL_ID,
	RCOL_PRIORITY,
	RCOL_MATCH,
	RCOL_REPL,
	RCOL_TRUNK,
	RCOL_DESCRIPTION,
	RCOL_COUNT
};

enum
{
	COL_EXTENSION,
	COL_DIALPLAN_NUMBER,
	COL_CONF_SECRET,
	COL_PROTOCOL,
	COL_ACTIVE,
	COL_SERVER_IP,
	COL_OUTBOUND_CID,
	COL_COUNT
};

/* A phones row (the COL_* columns) as the core takes it; numbers holds
 * the text of numeric values, f the fields, both the caller's. */
static void row_of(db_val_t *values, ph_field_t f[COL_COUNT],
		char numbers[COL_COUNT][24], ph_row_t *row)
{
	int c;

	for(c = 0; c < COL_COUNT; c++)
		phones_sql_field(&values[c], &f[c], numbers[c], sizeof(numbers[c]));
	row->extension = f[COL_EXTENSION];
	row->dialplan_number = f[COL_DIALPLAN_NUMBER];
	row->conf_secret = f[COL_CONF_SECRET];
	row->protocol = f[COL_PROTOCOL];
	row->active = f[COL_ACTIVE];
	row->server_ip = f[COL_SERVER_IP];
	row->outbound_cid = f[COL_OUTBOUND_CID];
}

static void add_rows(ph_table_t *t, db1_res_t *res)
{
	char numbers[COL_COUNT][24];
	ph_field_t f[COL_COUNT];
	ph_row_result_t r;
	db_val_t *values;
	ph_row_t row;
	int i;

	for(i = 0; i < RES_ROW_N(res); i++) {
		values = ROW_VALUES(RES_ROWS(res) + i);
		if(ROW_N(RES_ROWS(res) + i) < COL_COUNT)
			continue;
		row_of(values, f, numbers, &row);
		r = ph_table_add_row(t, &row);
		if(r == PH_ROW_LOADED || r == PH_ROW_HOME_SERVER
				|| ph_table_counts(t)->skipped > PHONES_LOG_ROWS)
			continue;
		LM_WARN("row %zu skipped (%s): extension '%.*s' server_ip '%.*s'\n",
				ph_table_counts(t)->rows, ph_row_result_name(r),
				(int)(f[COL_EXTENSION].len > PH_MAX_EXTENSION
								? PH_MAX_EXTENSION
								: f[COL_EXTENSION].len),
				f[COL_EXTENSION].s ? f[COL_EXTENSION].s : "",
				(int)(f[COL_SERVER_IP].len > PH_MAX_SERVER_IP
								? PH_MAX_SERVER_IP
								: f[COL_SERVER_IP].len),
				f[COL_SERVER_IP].s ? f[COL_SERVER_IP].s : "");
	}
}

static int phone_rows(db1_res_t *res, void *arg)
{
	ph_table_t *t = arg;

	add_rows(t, res);
	if(ph_table_counts(t)->by_result[PH_ROW_NO_MEMORY]) {
		LM_ERR("out of shared memory after %zu entries: raise -m\n",
				ph_table_counts(t)->loaded);
		return -1;
	}
	return 0;
}

typedef struct rules_load
{
	ph_rules_t *rules;
	size_t rows;
	size_t skipped;
} rules_load_t;

static int rule_rows(db1_res_t *res, void *arg)
{
	rules_load_t *load = arg;
	char nums[RCOL_COUNT][24];
	char err[300];
	ph_rule_row_t row;
	db_val_t *values;
	long long prio;
	int i, rc;

	for(i = 0; i < RES_ROW_N(res); i++) {
		values = ROW_VALUES(RES_ROWS(res) + i);
		load->rows++;
		memset(&row, 0, sizeof(row));
		if(phones_sql_int(&values[RCOL_ID], &row.id) < 0
				|| phones_sql_int(&values[RCOL_PRIORITY], &prio) < 0
				|| prio < -2147483647LL || prio > 2147483647LL) {
			LM_ERR("route row %zu skipped: id and priority must be"
				   " integers\n",
					load->rows);
			load->skipped++;
			continue;
		}
		row.priority = (int)prio;
		phones_sql_field(&values[RCOL_MATCH], &row.match_exp, nums[RCOL_MATCH],
				sizeof(nums[0]));
		phones_sql_field(&values[RCOL_REPL], &row.repl_exp, nums[RCOL_REPL],
				sizeof(nums[0]));
		phones_sql_field(&values[RCOL_TRUNK], &row.trunk, nums[RCOL_TRUNK],
				sizeof(nums[0]));
		phones_sql_field(&values[RCOL_DESCRIPTION], &row.description,
				nums[RCOL_DESCRIPTION], sizeof(nums[0]));
		rc = ph_rules_add(load->rules, &row, err, sizeof(err));
		if(rc == -2) {
			LM_ERR("out of shared memory for routing rules: raise -m\n");
			return -1;
		}
		if(rc < 0) {
			LM_ERR("route skipped: %s\n", err);
			load->skipped++;
		}
	}
	return 0;
}


/* Milliseconds since start (CLOCK_MONOTONIC). */
static long elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (long)(now.tv_sec - start->tv_sec) * 1000
		   + (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void log_summary(const ph_table_t *t, long ms)
{
	const ph_table_counts_t *c = ph_table_counts(t);
	char why[256];
	int i, n = 0, w;

	why[0] = '\0';
	for(i = 1; i < PH_ROW_RESULT_COUNT; i++) {
		if(c->by_result[i] == 0 || i == PH_ROW_HOME_SERVER)
			continue;
		w = snprintf(why + n, sizeof(why) - n, "%s%s=%zu", n ? " " : "",
				ph_row_result_name((ph_row_result_t)i), c->by_result[i]);
		if(w < 0 || (size_t)w >= sizeof(why) - n)
			break;
		n += w;
	}
	LM_NOTICE("loaded %zu phone entries from table '%.*s'%s%.*s: %zu rows,"
			  " %zu skipped%s%s%s, %zu rows of another home server, %zu"
			  " ambiguous extensions, %zu bytes of shared memory, in %ld ms"
			  " (%d rows a page)\n",
			c->loaded, phones_table_name.len, phones_table_name.s,
			phones_server_ip.len ? " for server_ip " : "",
			phones_server_ip.len, phones_server_ip.s ? phones_server_ip.s : "",
			c->rows, c->skipped, n ? " (" : "", why, n ? ")" : "",
			c->by_result[PH_ROW_HOME_SERVER], c->ambiguous_extensions,
			ph_table_memory(t), ms, phones_fetch_rows);
}

static ph_table_t *load_phones(void)
{
	struct timespec start;
	db_key_t cols[COL_COUNT] = {&phones_extension_column,
			&phones_dialplan_number_column, &phones_conf_secret_column,
			&phones_protocol_column, &phones_active_column,
			&phones_server_ip_column, &phones_outbound_cid_column};
	db_key_t keys[1] = {&phones_server_ip_column};
	db_val_t vals[1];
	int nkeys = 0;
	ph_table_t *t;

	if(phones_server_ip.s && phones_server_ip.len > 0) {
		memset(vals, 0, sizeof(vals));
		VAL_TYPE(&vals[0]) = DB1_STR;
		VAL_NULL(&vals[0]) = 0;
		VAL_STR(&vals[0]) = phones_server_ip;
		nkeys = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	t = ph_table_new(&phones_shm_allocator);
	if(t == NULL) {
		LM_ERR("out of shared memory for the phone table\n");
		return NULL;
	}
	if(phones_sql_read(&phones_table_name, cols, COL_COUNT, keys, vals, nkeys,
			   phones_fetch_rows, phone_rows, t)
			< 0) {
		ph_table_free(t);
		return NULL;
	}
	log_summary(t, elapsed_ms(&start));
	return t;
}

static ph_rules_t *load_rules(void)
{
	db_key_t cols[RCOL_COUNT] = {&phones_route_id_column,
			&phones_route_priority_column, &phones_route_match_column,
			&phones_route_repl_column, &phones_route_trunk_column,
			&phones_route_description_column};
	rules_load_t load = {NULL, 0, 0};

	load.rules = ph_rules_new(&phones_shm_allocator);
	if(load.rules == NULL) {
		LM_ERR("out of shared memory for routing rules\n");
		return NULL;
	}
	if(phones_routes_table.s && phones_routes_table.len > 0
			&& phones_sql_read(&phones_routes_table, cols, RCOL_COUNT, NULL,
					   NULL, 0, phones_fetch_rows, rule_rows, &load)
					   < 0) {
		ph_rules_free(load.rules);
		return NULL;
	}
	LM_NOTICE("loaded %zu routing rules from table '%.*s': %zu rows, %zu"
			  " skipped\n",
			ph_rules_count(load.rules), phones_routes_table.len,
			phones_routes_table.s ? phones_routes_table.s : "", load.rows,
			load.skipped);
	return load.rules;
}

typedef struct devices_load
{
	ph_devices_t *devices;
	size_t rows;
	size_t by_result[PH_DEVICE_RESULT_COUNT];
} devices_load_t;

static int device_rows(db1_res_t *res, void *arg)
{
	devices_load_t *load = arg;
	char nums[5][24];
	ph_device_row_t row;
	ph_device_row_result_t r;
	db_val_t *values;
	int i;

	for(i = 0; i < RES_ROW_N(res); i++) {
		values = ROW_VALUES(RES_ROWS(res) + i);
		load->rows++;
		phones_sql_field(&values[0], &row.extension, nums[0], sizeof(nums[0]));
		phones_sql_field(&values[1], &row.device, nums[1], sizeof(nums[1]));
		phones_sql_field(&values[2], &row.position, nums[2], sizeof(nums[2]));
		phones_sql_field(
				&values[3], &row.ring_seconds, nums[3], sizeof(nums[3]));
		phones_sql_field(&values[4], &row.active, nums[4], sizeof(nums[4]));
		r = ph_devices_add_row(load->devices, &row);
		load->by_result[r]++;
		if(r == PH_DEVICE_NO_MEMORY) {
			LM_ERR("out of shared memory for the devices: raise -m\n");
			return -1;
		}
		if(r != PH_DEVICE_LOADED && r != PH_DEVICE_INACTIVE
				&& load->by_result[r] <= PHONES_LOG_ROWS) {
			/* the extension only when it is one: a row may hold anything */
			int ok = row.extension.s && row.extension.len <= PH_MAX_EXTENSION
					 && ph_sip_user_valid(row.extension.s, row.extension.len);
			LM_ERR("device row %zu skipped (%s): extension '%.*s'\n",
					load->rows, ph_device_row_result_name(r),
					ok ? (int)row.extension.len : 1,
					ok ? row.extension.s : "?");
		}
	}
	return 0;
}

/* The devices of extensions, or NULL when the table cannot be read (the
 * current devices are then kept). An empty devices_table: none. */
static ph_devices_t *load_devices(void)
{
	db_key_t cols[5] = {&phones_devices_extension_column,
			&phones_devices_device_column, &phones_devices_position_column,
			&phones_devices_ring_column, &phones_devices_active_column};
	devices_load_t load;
	char why[256] = "";
	size_t skipped, n = 0;
	int r;

	memset(&load, 0, sizeof(load));
	load.devices = ph_devices_new(&phones_shm_allocator);
	if(load.devices == NULL) {
		LM_ERR("out of shared memory for the devices\n");
		return NULL;
	}
	if(phones_devices_table.len == 0)
		return load.devices;
	if(phones_sql_read(&phones_devices_table, cols, 5, NULL, NULL, 0,
			   phones_fetch_rows, device_rows, &load)
			< 0) {
		LM_WARN("devices not read from table '%.*s' (see above): calls to"
				" extensions ring the devices they rang before (none at"
				" start); create it from db/ or set devices_table to ''\n",
				phones_devices_table.len, phones_devices_table.s);
		ph_devices_free(load.devices);
		return NULL;
	}
	skipped = load.rows - load.by_result[PH_DEVICE_LOADED]
			  - load.by_result[PH_DEVICE_INACTIVE];
	for(r = PH_DEVICE_NO_EXTENSION; r < PH_DEVICE_RESULT_COUNT; r++) {
		if(load.by_result[r] && n < sizeof(why))
			n += (size_t)snprintf(why + n, sizeof(why) - n, " %s=%zu",
					ph_device_row_result_name(r), load.by_result[r]);
	}
	LM_NOTICE("loaded %zu devices from table '%.*s': %zu rows, %zu"
			  " inactive, %zu skipped%s; %zu bytes\n",
			ph_devices_count(load.devices), phones_devices_table.len,
			phones_devices_table.s, load.rows,
			load.by_result[PH_DEVICE_INACTIVE], skipped, why,
			ph_devices_memory(load.devices));
	return load.devices;
}

int phones_db_load_devices(ph_devices_t **devices)
{
	*devices = NULL;
	if(phones_sql_reconnect() < 0)
		return -1;
	*devices = load_devices();
	phones_sql_disconnect();
	return *devices ? 0 : -1;
}

int phones_db_choose_devices(const char *ext, size_t elen, const char *list,
		size_t llen, ph_devices_t **devices)
{
	db_key_t keys[2] = {&phones_devices_extension_column,
			&phones_devices_device_column};
	db_key_t cols[1] = {&phones_devices_active_column};
	db_val_t kvals[2], vals[1];
	size_t i, start = 0;

	*devices = NULL;
	if(phones_devices_table.len == 0)
		return -1;
	phones_sql_str(&kvals[0], ext, elen);
	phones_sql_str(&vals[0], "N", 1);
	if(phones_sql_update(&phones_devices_table, keys, kvals, 1, cols, vals, 1)
			< 0)
		goto failed;
	phones_sql_str(&vals[0], "Y", 1);
	for(i = 0; llen > 0 && i <= llen; i++) {
		if(i < llen && list[i] != ',')
			continue;
		phones_sql_str(&kvals[1], list + start, i - start);
		if(phones_sql_update(
				   &phones_devices_table, keys, kvals, 2, cols, vals, 1)
				< 0)
			goto failed;
		start = i + 1;
	}
	/* the devices as written, read on the same connection */
	*devices = load_devices();
	if(*devices == NULL)
		phones_sql_disconnect();
	return *devices ? 0 : -1;

failed:
	LM_ERR("cannot update table '%.*s'\n", phones_devices_table.len,
			phones_devices_table.s);
	phones_sql_disconnect(); /* the next use connects afresh */
	return -1;
}

typedef struct servers_load
{
	ph_peers_t *peers;
	size_t rows;
	size_t by_result[PH_SERVER_NO_MEMORY + 1];
} servers_load_t;

static const char *server_result_name(ph_server_result_t r)
{
	static const char *const names[] = {"added", "inactive", "bad_address",
			"duplicate", "too_many", "no_memory"};
	return (r >= 0 && r <= PH_SERVER_NO_MEMORY) ? names[r] : "?";
}

static int server_rows(db1_res_t *res, void *arg)
{
	servers_load_t *load = arg;
	char nums[3][24];
	ph_server_row_t row;
	ph_server_result_t r;
	db_val_t *values;
	int i, ncols = phones_servers_asterisk_column.len > 0 ? 3 : 2;

	for(i = 0; i < RES_ROW_N(res); i++) {
		values = ROW_VALUES(RES_ROWS(res) + i);
		load->rows++;
		phones_sql_field(&values[0], &row.server_ip, nums[0], sizeof(nums[0]));
		phones_sql_field(&values[1], &row.active, nums[1], sizeof(nums[1]));
		row.active_asterisk_server.s = NULL;
		row.active_asterisk_server.len = 0;
		if(ncols == 3) {
			phones_sql_field(&values[2], &row.active_asterisk_server, nums[2],
					sizeof(nums[2]));
			if(row.active_asterisk_server.s == NULL) /* NULL: not one */
				row.active_asterisk_server.s = "";
		}
		r = ph_peers_add_server(load->peers, &row);
		load->by_result[r]++;
		if(r == PH_SERVER_NO_MEMORY) {
			LM_ERR("out of shared memory for the servers: raise -m\n");
			return -1;
		}
		if(r == PH_SERVER_BAD_ADDRESS || r == PH_SERVER_TOO_MANY)
			LM_WARN("servers row %zu skipped (%s): server_ip '%.*s'\n",
					load->rows, server_result_name(r),
					(int)(row.server_ip.len > 64 ? 64 : row.server_ip.len),
					row.server_ip.s ? row.server_ip.s : "");
	}
	return 0;
}

/* The cluster's Asterisk servers (VICIdial's servers table) and carriers
 * (the rules' trunks). */
static ph_peers_t *load_peers(const ph_rules_t *rules)
{
	db_key_t cols[3] = {&phones_servers_ip_column,
			&phones_servers_active_column, &phones_servers_asterisk_column};
	servers_load_t load;
	size_t names = 0;

	memset(&load, 0, sizeof(load));
	load.peers = ph_peers_new(&phones_shm_allocator, (uint16_t)phones_server_port);
	if(load.peers == NULL) {
		LM_ERR("out of shared memory for the servers\n");
		return NULL;
	}
	if(phones_servers_table.s && phones_servers_table.len > 0
			&& phones_sql_read(&phones_servers_table, cols,
					   phones_servers_asterisk_column.len > 0 ? 3 : 2, NULL,
					   NULL, 0, phones_fetch_rows, server_rows, &load)
					   < 0) {
		ph_peers_free(load.peers);
		return NULL;
	}
	if(ph_peers_add_carriers(load.peers, rules, &names) < 0) {
		LM_ERR("out of shared memory for the carriers\n");
		ph_peers_free(load.peers);
		return NULL;
	}
	LM_NOTICE("loaded %zu Asterisk servers from table '%.*s' (%zu rows: %zu"
			  " inactive, %zu bad addresses, %zu duplicates) and %zu carriers"
			  " from the routing rules' trunks%s\n",
			ph_peers_servers(load.peers), phones_servers_table.len,
			phones_servers_table.s ? phones_servers_table.s : "", load.rows,
			load.by_result[PH_SERVER_INACTIVE],
			load.by_result[PH_SERVER_BAD_ADDRESS],
			load.by_result[PH_SERVER_DUPLICATE],
			ph_peers_carriers(load.peers),
			names ? " (trunks named by host name are not matched by"
					" address)"
				  : "");
	return load.peers;
}

void phones_load_free(phones_load_t *load)
{
	ph_load_free(load);
}

int phones_db_load(phones_load_t *load)
{
	memset(load, 0, sizeof(*load));
	/* a connection opened for the load, closed after it: the database as
	 * it is now (a moved SQLite file is not read), and no connection left
	 * for the processes forked after the load at start-up */
	if(phones_sql_reconnect() < 0)
		return -1;
	load->table = load_phones();
	if(load->table)
		load->rules = load_rules();
	if(load->rules)
		load->peers = load_peers(load->rules);
	/* devices that cannot be read are not a failed load: NULL keeps the
	 * current ones */
	if(load->peers)
		load->devices = load_devices();
	phones_sql_disconnect();
	if(load->peers == NULL) {
		phones_load_free(load);
		return -1;
	}
	return 0;
}

/* SQLite: the database file's and its journals' modification times and
 * sizes, from the file system alone. */
static int sqlite_fingerprint(char *out, size_t size)
{
	static const char *const suffixes[] = {"", "-wal", "-journal"};
	char path[1024];
	struct stat st;
	const char *file;
	size_t n = 0, i;
	int w;

	/* sqlite:////abs/path (see sqlite_url_absolute()) */
	file = phones_db_url.s + sizeof("sqlite://") - 1;
	for(i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		w = snprintf(path, sizeof(path), "%.*s%s",
				phones_db_url.len - (int)(file - phones_db_url.s), file,
				suffixes[i]);
		if(w < 0 || (size_t)w >= sizeof(path))
			return -1;
		if(stat(path, &st) < 0) {
			if(i == 0)
				return -1;
			continue;
		}
		w = snprintf(out + n, size - n, "%s%lld.%09ld:%lld", n ? "," : "",
				(long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
				(long long)st.st_size);
		if(w < 0 || (size_t)w >= size - n)
			return -1;
		n += (size_t)w;
	}
	return 0;
}

/* MySQL/MariaDB: the tables' update times and sizes from the server's
 * information_schema, which it keeps without reading the tables. The
 * update time counts seconds: while the last change is under 2 s old the
 * fingerprint changes at every check, so that a change made in the same
 * second as the last reload is not missed. */
static int mysql_fingerprint(char *out, size_t size)
{
	char sql[1024];
	db1_res_t *res = NULL;
	ph_field_t f;
	char buf[24];
	int w, rc = -1;

	if(!phones_sql_plain_name(&phones_table_name)
			|| (phones_routes_table.len > 0
					&& !phones_sql_plain_name(&phones_routes_table))
			|| (phones_servers_table.len > 0
					&& !phones_sql_plain_name(&phones_servers_table))
			|| (phones_devices_table.len > 0
					&& !phones_sql_plain_name(&phones_devices_table))
			|| !phones_sql_has_raw())
		return -1;
	w = snprintf(sql, sizeof(sql),
			"SELECT CONCAT(IFNULL(GROUP_CONCAT(CONCAT_WS(':', TABLE_NAME,"
			" UNIX_TIMESTAMP(UPDATE_TIME), TABLE_ROWS, DATA_LENGTH)"
			" ORDER BY TABLE_NAME), ''),"
			" IF(MAX(UPDATE_TIME) >= NOW() - INTERVAL 2 SECOND,"
			" CONCAT(':recent:', UUID()), ''))"
			" FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
			" AND TABLE_NAME IN ('%.*s', '%.*s', '%.*s', '%.*s')",
			phones_table_name.len, phones_table_name.s,
			phones_routes_table.len, phones_routes_table.s,
			phones_servers_table.len, phones_servers_table.s,
			phones_devices_table.len, phones_devices_table.s);
	if(w < 0 || (size_t)w >= sizeof(sql))
		return -1;
	/* the process's connection, kept: the check runs every interval */
	if(phones_sql_raw_query(sql, w, &res) < 0 || res == NULL) {
		phones_sql_free(res);
		phones_sql_disconnect(); /* connect afresh next time */
		return -1;
	}
	if(RES_ROW_N(res) == 1 && RES_COL_N(res) >= 1) {
		phones_sql_field(ROW_VALUES(RES_ROWS(res)), &f, buf, sizeof(buf));
		if(f.s && f.len < size) {
			memcpy(out, f.s, f.len);
			out[f.len] = '\0';
			rc = 0;
		}
	}
	phones_sql_free(res);
	return rc;
}

int phones_db_fingerprint(char *out, size_t size)
{
	if(size == 0)
		return -1;
	out[0] = '\0';
	if(phones_sql_is_sqlite())
		return sqlite_fingerprint(out, size);
	if(phones_sql_is_mysql())
		return mysql_fingerprint(out, size);
	return -1;
}

int phones_db_phone_rows(const char *ext, size_t elen,
		int (*fn)(const ph_row_t *first, int n, void *arg), void *arg)
{
	db_key_t cols[COL_COUNT] = {&phones_extension_column,
			&phones_dialplan_number_column, &phones_conf_secret_column,
			&phones_protocol_column, &phones_active_column,
			&phones_server_ip_column, &phones_outbound_cid_column};
	db_key_t keys[2] = {&phones_extension_column, &phones_server_ip_column};
	db_val_t vals[2];
	char numbers[COL_COUNT][24];
	ph_field_t f[COL_COUNT];
	db1_res_t *res = NULL;
	ph_row_t row;
	int nkeys = 1, n, rc;

	if(phones_sql_connect() < 0)
		return -1;
	phones_sql_str(&vals[0], ext, elen);
	if(phones_server_ip.s && phones_server_ip.len > 0) {
		phones_sql_str(&vals[1], phones_server_ip.s,
				(size_t)phones_server_ip.len);
		nkeys = 2;
	}
	if(phones_sql_select(&phones_table_name, keys, vals, nkeys, cols,
			   COL_COUNT, &res)
			< 0)
		return -1;
	n = RES_ROW_N(res);
	memset(&row, 0, sizeof(row));
	if(n > 0 && ROW_N(RES_ROWS(res)) >= COL_COUNT) {
		row_of(ROW_VALUES(RES_ROWS(res)), f, numbers, &row);
	} else if(n > 0) {
		n = 2; /* a row we cannot read: let a reload decide */
	}
	rc = fn(n > 0 ? &row : NULL, n, arg);
	phones_sql_free(res);
	return rc;
}
