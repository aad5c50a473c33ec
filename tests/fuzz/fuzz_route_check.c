/*
 * kamailio-phones: fuzzing the routing verdict (ph_route_check).
 *
 * Input (see README.md): an optional "!<hex>" line, the allocations to
 * fail; then lines, each either a row of the phones table, the 7 columns
 * of ph_row_t separated by '|' (\N is SQL NULL), or, when it starts with
 * '>', a Request-URI user to check. The table holds a few fixed rows
 * (VICIdial-like: devices, EXTERNAL entries, an extension on two servers,
 * a shared number) and then the input's rows.
 *
 * Every user of the input, and every extension and number of the table
 * (with near misses), is checked: the verdict and the entry must agree
 * with each other and with the table's lookups, as route_check.h and the
 * module's documentation say (an extension on several servers and a
 * number of several entries are refused, never resolved to one of them).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "phones/phone_table.h"
#include "phones/route_check.h"

#define MAX_ROWS 256
#define MAX_USERS 256

static const char *const fixed[][7] = {
		/* extension, dialplan_number, conf_secret, protocol, active,
		 * server_ip, outbound_cid */
		{"cc100", "3125550100", "cc100-secret", "SIP", "Y", "127.0.0.2",
				"3125550100"},
		{"cc101", "3125550101", "x", "PJSIP", "Y", "127.0.0.2", NULL},
		{"cc102", NULL, "x", "IAX2", "N", "127.0.0.2", NULL},
		{"cc103", "", "", "Zap", "Y", "127.0.0.2", NULL},
		{"homeagent1", "13125551234", "", "EXTERNAL", "Y", "127.0.0.2", NULL},
		{"homeagent2", "913125551235", NULL, "EXTERNAL", "N", "127.0.0.2",
				NULL},
		/* a number that is another entry's extension */
		{"8010", "cc100", "", "EXTERNAL", "Y", "127.0.0.2", NULL},
		/* an extension on two servers: the second is refused */
		{"8500", "5558500", "", "EXTERNAL", "Y", "127.0.0.2", NULL},
		{"8500", "5558501", "", "EXTERNAL", "Y", "127.0.0.3", NULL},
		/* a number shared by two entries */
		{"8101", "5559999", "", "EXTERNAL", "Y", "127.0.0.2", NULL},
		{"8102", "5559999", "", "SIP", "Y", "127.0.0.2", NULL},
};

/* Something that is no entry, to see that *entry is always set. */
static const ph_entry_t not_an_entry;

static FZ_NO_COVERAGE int sv_is(ph_sv_t sv, const char *s, size_t len)
{
	return sv.len == len && (len == 0 || memcmp(sv.s, s, len) == 0);
}

static FZ_NO_COVERAGE void check_user(
		const ph_table_t *t, const char *u, size_t len)
{
	const ph_entry_t *e = &not_an_entry, *ex, *nu, *found;
	ph_route_verdict_t v = ph_route_check(t, u, len, &e);
	const char *name = ph_route_verdict_name(v);
	int by_number;

	fz_check(v >= 0 && v < PH_ROUTE_VERDICT_COUNT, "verdict %d", (int)v);
	fz_check(name != NULL && strcmp(name, "?") != 0, "no name for %d", (int)v);
	fz_check(e != &not_an_entry, "'%.*s': *entry not set", (int)len, u);
	ex = ph_table_by_extension(t, u, len);
	nu = ph_table_by_number(t, u, len);
	/* the extension first, then the number */
	found = ex ? ex : nu;
	by_number = ex == NULL;

	if(found == NULL) {
		fz_check(v == PH_ROUTE_UNKNOWN, "'%.*s' in no index: %s", (int)len, u,
				name);
		fz_check(e == NULL, "'%.*s': unknown with an entry", (int)len, u);
		return;
	}
	fz_check(v != PH_ROUTE_UNKNOWN, "'%.*s' is in the table: unknown", (int)len,
			u);
	fz_check(by_number ? sv_is(found->dialplan_number, u, len)
					   : sv_is(found->extension, u, len),
			"'%.*s': the table's lookup gave another key", (int)len, u);
	/* refused, never resolved: an extension on several servers, a number
	 * of several entries */
	if((found->flags & PH_ENTRY_AMBIGUOUS_EXTENSION)
			|| (by_number && (found->flags & PH_ENTRY_AMBIGUOUS_NUMBER))) {
		fz_check(v == PH_ROUTE_AMBIGUOUS,
				"'%.*s' (%s '%.*s', flags %#x) is ambiguous, verdict %s",
				(int)len, u, by_number ? "number of" : "extension",
				(int)found->extension.len, found->extension.s,
				(unsigned)found->flags, name);
		fz_check(e == NULL, "'%.*s': ambiguous with an entry", (int)len, u);
		return;
	}
	fz_check(v != PH_ROUTE_AMBIGUOUS, "'%.*s': ambiguous, flags %#x", (int)len,
			u, (unsigned)found->flags);
	fz_check(e == found, "'%.*s': %s with another entry than the lookup's",
			(int)len, u, name);
	if(!e->active)
		fz_check(v == PH_ROUTE_INACTIVE, "'%.*s' inactive: %s", (int)len, u,
				name);
	else if(e->protocol == PH_PROTO_EXTERNAL)
		fz_check(v == PH_ROUTE_EXTERNAL, "'%.*s' active EXTERNAL: %s", (int)len,
				u, name);
	else
		fz_check(v == PH_ROUTE_DEVICE, "'%.*s' an active %s: %s",
				(int)len, u, ph_protocol_name((ph_protocol_t)e->protocol),
				name);
}

/* u, and u one byte shorter and one byte longer. */
static void check_key(const ph_table_t *t, const char *u, size_t len)
{
	char *p;

	check_user(t, u, len);
	if(len)
		check_user(t, u, len - 1);
	p = malloc(len + 1);
	if(p == NULL)
		abort();
	if(len)
		memcpy(p, u, len);
	p[len] = '0';
	check_user(t, p, len + 1);
	free(p);
}

static ph_field_t cfield(const char *s)
{
	ph_field_t f;

	f.s = s;
	f.len = s ? strlen(s) : 0;
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_reader_t in;
	fz_alloc_t a;
	uint64_t mask;
	fz_field_t *rows, users[MAX_USERS];
	size_t nrows = 0, nusers = 0, i;
	ph_table_t *t;
	ph_row_t row;
	const ph_entry_t *e;

	rows = calloc(MAX_ROWS * 7, sizeof(*rows));
	if(rows == NULL)
		abort();
	fz_reader_init(&in, data, size, &mask);
	while(!fz_reader_done(&in)) {
		if(fz_reader_peek(&in) == '>') {
			fz_reader_skip(&in, 1);
			if(nusers < MAX_USERS)
				fz_read_line(&in, &users[nusers++], 1);
			else
				fz_read_line(&in, NULL, 0);
			continue;
		}
		if(nrows < MAX_ROWS)
			fz_read_line(&in, &rows[7 * nrows++], 7);
		else
			fz_read_line(&in, NULL, 0);
	}

	fz_alloc_init(&a, mask);
	t = ph_table_new(&a.allocator);
	if(t == NULL)
		goto out;
	for(i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		row.extension = cfield(fixed[i][0]);
		row.dialplan_number = cfield(fixed[i][1]);
		row.conf_secret = cfield(fixed[i][2]);
		row.protocol = cfield(fixed[i][3]);
		row.active = cfield(fixed[i][4]);
		row.server_ip = cfield(fixed[i][5]);
		row.outbound_cid = cfield(fixed[i][6]);
		ph_table_add_row(t, &row);
	}
	for(i = 0; i < nrows; i++) {
		memcpy(&row, &rows[7 * i], sizeof(row));
		ph_table_add_row(t, &row);
	}

	for(i = 0; i < nusers; i++) {
		if(users[i].s)
			check_key(t, users[i].s, users[i].len);
		else
			check_user(t, NULL, 0);
	}
	for(i = 0; i < ph_table_size(t); i++) {
		e = ph_table_entry(t, i);
		check_key(t, e->extension.s, e->extension.len);
		check_key(t, e->dialplan_number.s, e->dialplan_number.len);
	}
	for(i = 0; i < nrows; i++) {
		if(rows[7 * i].s)
			check_key(t, rows[7 * i].s, rows[7 * i].len);
		if(rows[7 * i + 1].s)
			check_key(t, rows[7 * i + 1].s, rows[7 * i + 1].len);
	}
	for(i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		check_key(t, fixed[i][0], strlen(fixed[i][0]));
		if(fixed[i][1])
			check_key(t, fixed[i][1], strlen(fixed[i][1]));
	}
	check_user(t, NULL, 0);
	check_user(t, "", 0);
	ph_table_free(t);
	fz_check(a.live == 0, "ph_table_free left %zu blocks", a.live);
	e = &not_an_entry;
	fz_check(ph_route_check(NULL, "8500", 4, &e) == PH_ROUTE_UNKNOWN
					 && e == NULL,
			"a NULL table");

out:
	fz_free_fields(rows, 7 * nrows);
	free(rows);
	fz_free_fields(users, nusers);
	return 0;
}
