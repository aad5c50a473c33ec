/*
 * kamailio-phones: fuzzing the phone table with rows as a database gives
 * them (ph_table_add_row, ph_table_by_extension, ph_table_by_number).
 *
 * Input (see README.md): an optional "!<hex>" line, the allocations to
 * fail; then one row per line, the 7 columns of ph_row_t separated by '|'
 * (\N is SQL NULL), and an optional 8th field "<count>[n]" that adds the
 * row count times, with 1..count appended to the extension (and to the
 * dialplan number unless 'n' is given), to grow the table past its
 * segment and index sizes.
 *
 * Each row's result is checked against a model of the table kept here
 * (with a hash of its own), then every entry is looked up again.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

#include "phones/phone_table.h"

#define MAX_ROWS 4096
#define MAX_REPEAT 1500
#define NFIELDS 8

/* One row offered to the table; owned says which fields to free. */
typedef struct rec
{
	ph_row_t row;
	unsigned owned;
} rec_t;

#define OWN_EXTENSION 1u
#define OWN_NUMBER 2u

/* ---- a hash map of its own: (bytes) -> index ---- */

typedef struct slot
{
	const char *s;
	size_t len;
	size_t val;
	int used;
} slot_t;

typedef struct map
{
	slot_t *slots;
	size_t cap; /* a power of two */
	size_t used;
} map_t;

static FZ_NO_COVERAGE uint64_t map_hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
	size_t i;

	for(i = 0; i < len; i++) {
		h = (h ^ (unsigned char)s[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return h;
}

static FZ_NO_COVERAGE slot_t *map_slot(
		const map_t *m, const char *s, size_t len)
{
	size_t i = (size_t)map_hash(s, len) & (m->cap - 1);

	for(;; i = (i + 1) & (m->cap - 1)) {
		if(!m->slots[i].used
				|| (m->slots[i].len == len
						&& (len == 0 || memcmp(m->slots[i].s, s, len) == 0)))
			return &m->slots[i];
	}
}

static void map_init(map_t *m)
{
	m->cap = 64;
	m->used = 0;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if(m->slots == NULL)
		abort();
}

/* The value for s, or -1. */
static FZ_NO_COVERAGE long map_get(const map_t *m, const char *s, size_t len)
{
	const slot_t *sl = map_slot(m, s, len);

	return sl->used ? (long)sl->val : -1;
}

static FZ_NO_COVERAGE void map_put(
		map_t *m, const char *s, size_t len, size_t val)
{
	slot_t *old = m->slots, *sl;
	size_t oldcap = m->cap, i;

	if((m->used + 1) * 2 > m->cap) {
		m->cap *= 2;
		m->slots = calloc(m->cap, sizeof(*m->slots));
		if(m->slots == NULL)
			abort();
		for(i = 0; i < oldcap; i++) {
			if(old[i].used)
				*map_slot(m, old[i].s, old[i].len) = old[i];
		}
		free(old);
	}
	sl = map_slot(m, s, len);
	if(!sl->used)
		m->used++;
	sl->s = s;
	sl->len = len;
	sl->val = val;
	sl->used = 1;
}

/* ---- the model of the table ---- */

typedef struct model
{
	const ph_row_t **entries; /* rows loaded, in load order */
	uint8_t *flags;
	size_t *nservers;	  /* rows held per entry */
	size_t *servers_len;  /* length of its list of home servers */
	const ph_row_t **homes; /* rows held as another home server */
	size_t *home_of;		/* ... of this entry */
	size_t nhomes;
	size_t size;
	map_t by_extension; /* -> entry index */
	map_t by_number;	/* -> first entry loaded with that number */
	ph_table_counts_t counts;
} model_t;

static FZ_NO_COVERAGE int ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* VICIdial's protocol ENUM, compared as MySQL does: without case. */
static FZ_NO_COVERAGE int model_protocol(const ph_field_t *f)
{
	static const char *const names[PH_PROTO_COUNT] = {
			"SIP", "PJSIP", "IAX2", "Zap", "EXTERNAL"};
	size_t i;
	int p;

	if(f->s == NULL)
		return -1;
	for(p = 0; p < PH_PROTO_COUNT; p++) {
		if(strlen(names[p]) != f->len)
			continue;
		for(i = 0; i < f->len; i++) {
			if(ascii_lower((unsigned char)f->s[i])
					!= ascii_lower((unsigned char)names[p][i]))
				break;
		}
		if(i == f->len)
			return p;
	}
	return -1;
}

static FZ_NO_COVERAGE int too_long(const ph_field_t *f, size_t max)
{
	return f->s != NULL && f->len > max;
}

static FZ_NO_COVERAGE size_t field_len(const ph_field_t *f)
{
	return f->s ? f->len : 0;
}

static FZ_NO_COVERAGE int same_server(const ph_field_t *a, const ph_field_t *b)
{
	return field_len(a) == field_len(b)
		   && (field_len(a) == 0 || memcmp(a->s, b->s, a->len) == 0);
}

/* A server_ip that can stand in a list of home servers. */
static FZ_NO_COVERAGE int listable(const ph_field_t *f)
{
	return f->s && f->len > 0 && memchr(f->s, ',', f->len) == NULL;
}

static FZ_NO_COVERAGE int is_yes(const ph_field_t *f)
{
	return f->s && f->len == 1 && (f->s[0] == 'Y' || f->s[0] == 'y');
}

/* The entry's first row, or one of its home server rows, has server. */
static FZ_NO_COVERAGE int model_has_server(
		const model_t *m, size_t entry, const ph_field_t *server)
{
	size_t k;

	if(same_server(&m->entries[entry]->server_ip, server))
		return 1;
	for(k = 0; k < m->nhomes; k++)
		if(m->home_of[k] == entry && field_len(server) > 0
				&& same_server(&m->homes[k]->server_ip, server))
			return 1;
	return 0;
}

/* The same device on another server: password, protocol, active, and two
 * listable servers. */
static FZ_NO_COVERAGE int model_same_device(
		const ph_row_t *first, const ph_row_t *row)
{
	return model_protocol(&first->protocol) == model_protocol(&row->protocol)
		   && is_yes(&first->active) == is_yes(&row->active)
		   && same_server(&first->conf_secret, &row->conf_secret)
		   && listable(&first->server_ip) && listable(&row->server_ip);
}

/* The results the row may have (a bit per ph_row_result_t), out of memory
 * aside: each defect it has, else duplicate/home server/ambiguous/loaded. */
static FZ_NO_COVERAGE unsigned model_expect(
		const model_t *m, const ph_row_t *row)
{
	unsigned defects = 0;
	long other;

	if(row->extension.s == NULL || row->extension.len == 0)
		defects |= 1u << PH_ROW_NO_EXTENSION;
	if(too_long(&row->extension, PH_MAX_EXTENSION)
			|| too_long(&row->dialplan_number, PH_MAX_DIALPLAN_NUMBER)
			|| too_long(&row->conf_secret, PH_MAX_SECRET)
			|| too_long(&row->server_ip, PH_MAX_SERVER_IP)
			|| too_long(&row->outbound_cid, PH_MAX_OUTBOUND_CID))
		defects |= 1u << PH_ROW_TOO_LONG;
	if(model_protocol(&row->protocol) < 0)
		defects |= 1u << PH_ROW_BAD_PROTOCOL;
	if(defects)
		return defects;
	other = map_get(&m->by_extension, row->extension.s, row->extension.len);
	if(other < 0)
		return 1u << PH_ROW_LOADED;
	if(model_has_server(m, (size_t)other, &row->server_ip))
		return 1u << PH_ROW_DUPLICATE;
	if(!(m->flags[other] & PH_ENTRY_AMBIGUOUS_EXTENSION)
			&& model_same_device(m->entries[other], row)) {
		if(m->servers_len[other] + 1 + row->server_ip.len
						> PH_MAX_HOME_SERVERS_TEXT
				|| m->nservers[other] >= UINT16_MAX)
			return 1u << PH_ROW_TOO_LONG;
		return 1u << PH_ROW_HOME_SERVER;
	}
	return 1u << PH_ROW_AMBIGUOUS;
}

static FZ_NO_COVERAGE void model_apply(
		model_t *m, const ph_row_t *row, ph_row_result_t r)
{
	long other;
	size_t i = m->size;

	m->counts.rows++;
	m->counts.by_result[r]++;
	if(r == PH_ROW_HOME_SERVER) {
		other = map_get(&m->by_extension, row->extension.s, row->extension.len);
		m->homes[m->nhomes] = row;
		m->home_of[m->nhomes++] = (size_t)other;
		m->nservers[other]++;
		m->servers_len[other] += 1 + row->server_ip.len;
		return;
	}
	if(r != PH_ROW_LOADED) {
		m->counts.skipped++;
		if(r == PH_ROW_AMBIGUOUS) {
			other = map_get(
					&m->by_extension, row->extension.s, row->extension.len);
			if(!(m->flags[other] & PH_ENTRY_AMBIGUOUS_EXTENSION)) {
				m->flags[other] |= PH_ENTRY_AMBIGUOUS_EXTENSION;
				m->counts.ambiguous_extensions++;
			}
		}
		return;
	}
	m->counts.loaded++;
	m->entries[i] = row;
	m->flags[i] = 0;
	m->nservers[i] = 1;
	m->servers_len[i] = listable(&row->server_ip) ? row->server_ip.len : 0;
	m->size++;
	map_put(&m->by_extension, row->extension.s, row->extension.len, i);
	if(field_len(&row->dialplan_number) == 0)
		return;
	other = map_get(
			&m->by_number, row->dialplan_number.s, row->dialplan_number.len);
	if(other < 0) {
		map_put(&m->by_number, row->dialplan_number.s, row->dialplan_number.len,
				i);
		return;
	}
	if(!(m->flags[other] & PH_ENTRY_AMBIGUOUS_NUMBER)) {
		m->flags[other] |= PH_ENTRY_AMBIGUOUS_NUMBER;
		m->counts.ambiguous_numbers++;
	}
	m->flags[i] |= PH_ENTRY_AMBIGUOUS_NUMBER;
	m->counts.ambiguous_numbers++;
}

/* ---- checks of the table against the model ---- */

/* sv is a NUL-terminated copy of f (NULL: empty). */
static FZ_NO_COVERAGE void check_sv(
		ph_sv_t sv, const ph_field_t *f, const char *what)
{
	size_t len = field_len(f);

	fz_check(sv.s != NULL, "%s: no string", what);
	fz_check(sv.len == len, "%s: length %u, row has %zu", what,
			(unsigned)sv.len, len);
	fz_check(len == 0 || memcmp(sv.s, f->s, len) == 0,
			"%s: bytes differ from the row's", what);
	fz_check(sv.s[len] == '\0', "%s: no NUL after the value", what);
}

static FZ_NO_COVERAGE void check_entry(
		const ph_table_t *t, const model_t *m, size_t i)
{
	const ph_row_t *row = m->entries[i];
	const ph_entry_t *e = ph_table_entry(t, i);
	const ph_field_t *num = &row->dialplan_number;
	int active;
	long owner;

	fz_check(e != NULL, "entry %zu of %zu missing", i, m->size);
	check_sv(e->extension, &row->extension, "extension");
	check_sv(e->dialplan_number, num, "dialplan_number");
	check_sv(e->secret, &row->conf_secret, "secret");
	check_sv(e->server_ip, &row->server_ip, "server_ip");
	check_sv(e->outbound_cid, &row->outbound_cid, "outbound_cid");
	fz_check(e->protocol == model_protocol(&row->protocol),
			"entry %zu: protocol %u", i, (unsigned)e->protocol);
	active = row->active.s && row->active.len == 1
			 && (row->active.s[0] == 'Y' || row->active.s[0] == 'y');
	fz_check(e->active == active, "entry %zu: active %u, want %d", i,
			(unsigned)e->active, active);
	fz_check(e->flags == m->flags[i], "entry %zu: flags %#x, want %#x", i,
			(unsigned)e->flags, (unsigned)m->flags[i]);
	fz_check(e->nservers == m->nservers[i], "entry %zu: %u rows, want %zu", i,
			(unsigned)e->nservers, m->nservers[i]);
	fz_check(e->servers.len == m->servers_len[i],
			"entry %zu: home servers %u long, want %zu", i,
			(unsigned)e->servers.len, m->servers_len[i]);
	fz_check(ph_entry_has_server(e, row->server_ip.s, field_len(&row->server_ip)),
			"entry %zu: its own server not found", i);
	fz_check(
			ph_table_by_extension(t, row->extension.s, row->extension.len) == e,
			"entry %zu not found by its extension", i);
	if(field_len(num)) {
		owner = map_get(&m->by_number, num->s, num->len);
		fz_check(ph_table_by_number(t, num->s, num->len)
						 == ph_table_entry(t, (size_t)owner),
				"entry %zu: by_number does not give the first entry"
				" loaded with its number (%ld)",
				i, owner);
	}
}

static FZ_NO_COVERAGE void check_counts(const ph_table_t *t, const model_t *m)
{
	const ph_table_counts_t *c = ph_table_counts(t);
	size_t i, sum = 0;

	fz_check(c != NULL, "no counts");
	fz_check(ph_table_size(t) == m->size, "size %zu, model %zu",
			ph_table_size(t), m->size);
	fz_check(c->rows == m->counts.rows, "rows %zu, offered %zu", c->rows,
			m->counts.rows);
	fz_check(c->rows == c->loaded + c->skipped + c->by_result[PH_ROW_HOME_SERVER],
			"rows %zu != %zu + %zu + %zu home servers", c->rows, c->loaded,
			c->skipped, c->by_result[PH_ROW_HOME_SERVER]);
	fz_check(c->loaded == ph_table_size(t), "loaded %zu, size %zu", c->loaded,
			ph_table_size(t));
	for(i = 0; i < PH_ROW_RESULT_COUNT; i++) {
		sum += c->by_result[i];
		fz_check(c->by_result[i] == m->counts.by_result[i],
				"by_result[%s] %zu, model %zu",
				ph_row_result_name((ph_row_result_t)i), c->by_result[i],
				m->counts.by_result[i]);
	}
	fz_check(sum == c->rows, "sum of by_result %zu, rows %zu", sum, c->rows);
	fz_check(c->by_result[PH_ROW_LOADED] == c->loaded,
			"by_result[loaded] %zu, loaded %zu", c->by_result[PH_ROW_LOADED],
			c->loaded);
	fz_check(c->ambiguous_extensions == m->counts.ambiguous_extensions,
			"ambiguous_extensions %zu, model %zu", c->ambiguous_extensions,
			m->counts.ambiguous_extensions);
	fz_check(c->ambiguous_numbers == m->counts.ambiguous_numbers,
			"ambiguous_numbers %zu, model %zu", c->ambiguous_numbers,
			m->counts.ambiguous_numbers);
}

/* s is found by extension exactly when the model has it. */
static FZ_NO_COVERAGE void check_lookup(
		const ph_table_t *t, const model_t *m, const char *s, size_t len)
{
	long i = map_get(&m->by_extension, s, len);
	const ph_entry_t *e = ph_table_by_extension(t, s, len);

	if(i < 0)
		fz_check(e == NULL, "'%.*s' found, never loaded", (int)len, s);
	else
		fz_check(e == ph_table_entry(t, (size_t)i),
				"'%.*s' not found as entry %ld", (int)len, s, i);
	i = map_get(&m->by_number, s, len);
	e = ph_table_by_number(t, s, len);
	if(i < 0 || len == 0)
		fz_check(e == NULL, "number '%.*s' found, never loaded", (int)len, s);
	else
		fz_check(e == ph_table_entry(t, (size_t)i),
				"number '%.*s' not found as entry %ld", (int)len, s, i);
}

/* ---- the rows of the input ---- */

static char *suffixed(const ph_field_t *f, unsigned k, size_t *len)
{
	char num[16];
	size_t n = (size_t)snprintf(num, sizeof(num), "%u", k);
	char *p = malloc(f->len + n);

	if(p == NULL)
		abort();
	memcpy(p, f->s, f->len);
	memcpy(p + f->len, num, n);
	*len = f->len + n;
	return p;
}

static void rec_free(rec_t *r)
{
	if(r->owned & OWN_EXTENSION)
		free((void *)r->row.extension.s);
	if(r->owned & OWN_NUMBER)
		free((void *)r->row.dialplan_number.s);
}

/* Adds the line's fields to recs as one row, or as count suffixed copies;
 * recs point to the fields' buffers, which live until the end. */
static size_t add_line(
		rec_t *recs, size_t nrecs, const fz_field_t *f, size_t nf)
{
	ph_row_t row;
	long long count;
	size_t k;
	int same_number;

	row.extension = f[0];
	row.dialplan_number = f[1];
	row.conf_secret = f[2];
	row.protocol = f[3];
	row.active = f[4];
	row.server_ip = f[5];
	row.outbound_cid = f[6];
	if(nf < NFIELDS || f[7].s == NULL) {
		if(nrecs < MAX_ROWS) {
			recs[nrecs].row = row;
			recs[nrecs].owned = 0;
			nrecs++;
		}
		return nrecs;
	}
	count = fz_number(&f[7], 0, MAX_REPEAT, 1);
	same_number = memchr(f[7].s, 'n', f[7].len) != NULL;
	for(k = 1; k <= (size_t)count && nrecs < MAX_ROWS; k++) {
		recs[nrecs].row = row;
		recs[nrecs].owned = 0;
		if(row.extension.s) {
			recs[nrecs].row.extension.s = suffixed(&row.extension, (unsigned)k,
					&recs[nrecs].row.extension.len);
			recs[nrecs].owned |= OWN_EXTENSION;
		}
		if(row.dialplan_number.s && !same_number) {
			recs[nrecs].row.dialplan_number.s = suffixed(&row.dialplan_number,
					(unsigned)k, &recs[nrecs].row.dialplan_number.len);
			recs[nrecs].owned |= OWN_NUMBER;
		}
		nrecs++;
	}
	return nrecs;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_reader_t in;
	fz_alloc_t a;
	uint64_t mask;
	fz_field_t *fields;
	size_t nfields = 0, fields_cap = 64, nrecs = 0, i, j, failures;
	rec_t *recs;
	model_t m;
	ph_table_t *t;
	ph_row_result_t r;
	unsigned allowed;
	const ph_row_t *row;
	char probe[PH_MAX_EXTENSION + 2];

	/* the rows first, so that the table sees them one after another */
	fz_reader_init(&in, data, size, &mask);
	fields = malloc(fields_cap * sizeof(*fields));
	recs = malloc(MAX_ROWS * sizeof(*recs));
	if(fields == NULL || recs == NULL)
		abort();
	while(!fz_reader_done(&in) && nrecs < MAX_ROWS) {
		if(nfields + NFIELDS > fields_cap) {
			fields_cap *= 2;
			fields = realloc(fields, fields_cap * sizeof(*fields));
			if(fields == NULL)
				abort();
		}
		i = fz_read_line(&in, fields + nfields, NFIELDS);
		nrecs = add_line(recs, nrecs, fields + nfields, i);
		nfields += NFIELDS;
	}

	fz_alloc_init(&a, mask);
	memset(&m, 0, sizeof(m));
	m.entries = malloc((nrecs + 1) * sizeof(*m.entries));
	m.flags = malloc(nrecs + 1);
	m.nservers = malloc((nrecs + 1) * sizeof(*m.nservers));
	m.servers_len = malloc((nrecs + 1) * sizeof(*m.servers_len));
	m.homes = malloc((nrecs + 1) * sizeof(*m.homes));
	m.home_of = malloc((nrecs + 1) * sizeof(*m.home_of));
	if(m.entries == NULL || m.flags == NULL || m.nservers == NULL
			|| m.servers_len == NULL || m.homes == NULL || m.home_of == NULL)
		abort();
	map_init(&m.by_extension);
	map_init(&m.by_number);

	t = ph_table_new(&a.allocator);
	if(t == NULL) {
		fz_check(a.failures > 0, "ph_table_new failed with memory to spare");
		fz_check(
				a.live == 0, "ph_table_new failed and kept %zu blocks", a.live);
		goto out;
	}
	fz_check(ph_table_size(t) == 0, "a new table is not empty");
	fz_check(ph_table_by_extension(t, "", 0) == NULL, "'' in a new table");

	for(i = 0; i < nrecs; i++) {
		row = &recs[i].row;
		allowed = model_expect(&m, row);
		failures = a.failures;
		r = ph_table_add_row(t, row);
		fz_check(r >= 0 && r < PH_ROW_RESULT_COUNT, "row %zu: result %d", i,
				(int)r);
		fz_check(ph_row_result_name(r) != NULL
						 && strcmp(ph_row_result_name(r), "?") != 0,
				"row %zu: no name for %d", i, (int)r);
		if(r == PH_ROW_NO_MEMORY)
			fz_check(a.failures > failures,
					"row %zu: no_memory, but no allocation failed", i);
		else
			fz_check(allowed & (1u << r), "row %zu: %s, model allows %#x", i,
					ph_row_result_name(r), allowed);
		model_apply(&m, row, r);
		check_counts(t, &m);
		fz_check(ph_table_memory(t) > 0, "no memory counted");
		fz_check(ph_table_memory(t) == a.live_bytes,
				"row %zu: ph_table_memory %zu, allocator has %zu live", i,
				ph_table_memory(t), a.live_bytes);
		if(r == PH_ROW_LOADED)
			check_entry(t, &m, m.size - 1);
		/* nothing lost when memory ran out */
		if(r == PH_ROW_NO_MEMORY) {
			for(j = 0; j < m.size; j++)
				check_entry(t, &m, j);
			if(row->extension.s)
				check_lookup(t, &m, row->extension.s, row->extension.len);
		}
	}

	/* every entry again, now that the table is complete */
	for(i = 0; i < m.size; i++)
		check_entry(t, &m, i);
	fz_check(ph_table_entry(t, m.size) == NULL, "an entry past the end");
	for(i = 0; i < nrecs; i++) {
		row = &recs[i].row;
		if(row->extension.s == NULL)
			continue;
		check_lookup(t, &m, row->extension.s, row->extension.len);
		if(row->dialplan_number.s)
			check_lookup(
					t, &m, row->dialplan_number.s, row->dialplan_number.len);
		/* near misses, one byte shorter and one longer, of the first rows
		 * (all of them would make big inputs slow) */
		if(i < 256 && row->extension.len <= PH_MAX_EXTENSION) {
			memcpy(probe, row->extension.s, row->extension.len);
			probe[row->extension.len] = 'x';
			check_lookup(t, &m, probe, row->extension.len + 1);
			if(row->extension.len)
				check_lookup(t, &m, probe, row->extension.len - 1);
		}
	}
	fz_check(ph_table_by_extension(t, NULL, 0) == NULL, "a NULL extension");
	fz_check(ph_table_by_number(t, NULL, 0) == NULL, "a NULL number");
	fz_check(ph_table_by_number(t, "", 0) == NULL, "an empty number");
	fz_check(ph_table_memory(t) == a.live_bytes,
			"ph_table_memory %zu, allocator has %zu live", ph_table_memory(t),
			a.live_bytes);
	ph_table_free(t);
	fz_check(a.live == 0 && a.live_bytes == 0,
			"ph_table_free left %zu blocks, %zu bytes", a.live, a.live_bytes);
	fz_check(ph_table_by_extension(NULL, "1", 1) == NULL, "a NULL table");

out:
	free(m.by_extension.slots);
	free(m.by_number.slots);
	free(m.entries);
	free(m.flags);
	free(m.nservers);
	free(m.servers_len);
	free(m.homes);
	free(m.home_of);
	for(i = 0; i < nrecs; i++)
		rec_free(&recs[i]);
	free(recs);
	for(i = 0; i < nfields; i++)
		free((void *)fields[i].s);
	free(fields);
	return 0;
}
