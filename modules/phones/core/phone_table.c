/*
 * kamailio-phones: the phone table, built once from rows, then read-only;
 * changes of single phones as a small table layered over it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <strings.h>

#include "phones/arena.h"
#include "phones/hash.h"
#include "phones/phone_table.h"

#define SEGMENT_SHIFT 10
#define SEGMENT_SIZE (1u << SEGMENT_SHIFT)
#define INDEX_MIN 64

/* An index slot: the key's hash and the entry's position plus one
 * (0 marks an empty slot). */
typedef struct ph_slot
{
	uint32_t hash;
	uint32_t ref;
} ph_slot_t;

typedef struct ph_index
{
	ph_slot_t *slots;
	uint32_t mask; /* capacity - 1; capacity is a power of two */
	uint32_t used;
} ph_index_t;

struct ph_table
{
	const ph_allocator_t *allocator;
	ph_arena_t strings;
	ph_entry_t **segments;
	size_t nsegments;
	size_t segments_cap;
	size_t size;
	ph_index_t by_extension;
	ph_index_t by_number;
	size_t memory; /* bytes held outside the arena */
	ph_table_counts_t counts;
	/* A change table: its entries (and removal marks) stand before the
	 * entries of base, which it holds a reference to. */
	ph_table_t *base;
	uint32_t refs; /* atomic: the holders of this table */
};

/* An entry of a change table marking its extension's entry of the base as
 * removed: found by extension only, never returned. */
#define PH_ENTRY_REMOVED (1u << 7)

static const char *const result_names[PH_ROW_RESULT_COUNT] = {"loaded",
		"no_extension", "bad_protocol", "too_long", "duplicate", "ambiguous",
		"home_server", "no_memory"};

const char *ph_row_result_name(ph_row_result_t r)
{
	return (r >= 0 && r < PH_ROW_RESULT_COUNT) ? result_names[r] : "?";
}

static void *table_alloc(ph_table_t *t, size_t size)
{
	void *p = t->allocator->alloc(t->allocator->ctx, size);
	if(p)
		t->memory += size;
	return p;
}

static void table_release(ph_table_t *t, void *p, size_t size)
{
	if(p == NULL)
		return;
	t->allocator->release(t->allocator->ctx, p);
	t->memory -= size;
}

/* A segment of entries starts on a cache line: the allocator's block, cut
 * to the next 64-byte boundary after a pointer to the block itself. */
#define LINE 64
#define SEGMENT_BYTES (SEGMENT_SIZE * sizeof(ph_entry_t) + LINE + sizeof(void *))

static ph_entry_t *segment_new(ph_table_t *t)
{
	char *block = table_alloc(t, SEGMENT_BYTES);
	uintptr_t start;

	if(block == NULL)
		return NULL;
	start = ((uintptr_t)block + sizeof(void *) + LINE - 1) & ~(uintptr_t)(LINE - 1);
	((void **)start)[-1] = block;
	return (ph_entry_t *)start;
}

static void segment_release(const ph_table_t *t, ph_entry_t *seg)
{
	t->allocator->release(t->allocator->ctx, ((void **)seg)[-1]);
}

static ph_entry_t *entry_at(const ph_table_t *t, size_t i)
{
	return &t->segments[i >> SEGMENT_SHIFT][i & (SEGMENT_SIZE - 1)];
}

ph_table_t *ph_table_new(const ph_allocator_t *allocator)
{
	ph_table_t *t = allocator->alloc(allocator->ctx, sizeof(*t));

	if(t == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->allocator = allocator;
	t->memory = sizeof(*t);
	t->refs = 1;
	ph_arena_init(&t->strings, allocator);
	return t;
}

/* Finds the slot holding key in idx, or the empty slot where it would go.
 * field selects which of the entry's strings the index is keyed on. */
static ph_slot_t *index_probe(const ph_table_t *t, const ph_index_t *idx,
		size_t field, const char *s, size_t len, uint32_t hash)
{
	uint32_t i;
	ph_slot_t *slot;
	const ph_sv_t *key;

	for(i = hash & idx->mask;; i = (i + 1) & idx->mask) {
		slot = &idx->slots[i];
		if(slot->ref == 0)
			return slot;
		if(slot->hash != hash)
			continue;
		key = (const ph_sv_t *)((const char *)entry_at(t, slot->ref - 1)
								+ field);
		if(key->len == len && memcmp(key->s, s, len) == 0)
			return slot;
	}
}

/* Makes room for one more key; the index is unchanged on failure. */
static int index_reserve(ph_table_t *t, ph_index_t *idx)
{
	ph_slot_t *slots, *old = idx->slots;
	uint32_t cap, i, j, oldcap = old ? idx->mask + 1 : 0;

	if(old && (uint64_t)(idx->used + 1) * 2 <= oldcap)
		return 0;
	cap = old ? oldcap * 2 : INDEX_MIN;
	if(cap == 0 || cap > (1u << 31))
		return -1;
	slots = table_alloc(t, (size_t)cap * sizeof(*slots));
	if(slots == NULL)
		return -1;
	memset(slots, 0, (size_t)cap * sizeof(*slots));
	for(i = 0; i < oldcap; i++) {
		if(old[i].ref == 0)
			continue;
		for(j = old[i].hash & (cap - 1); slots[j].ref; j = (j + 1) & (cap - 1))
			;
		slots[j] = old[i];
	}
	table_release(t, old, (size_t)oldcap * sizeof(*old));
	idx->slots = slots;
	idx->mask = cap - 1;
	return 0;
}

/* Makes room for one more entry; unchanged on failure. */
static int entries_reserve(ph_table_t *t)
{
	ph_entry_t **segs;
	size_t cap;

	if(t->size >= (size_t)UINT32_MAX - 1)
		return -1;
	if(t->size < t->nsegments * SEGMENT_SIZE)
		return 0;
	if(t->nsegments == t->segments_cap) {
		cap = t->segments_cap ? t->segments_cap * 2 : 16;
		segs = table_alloc(t, cap * sizeof(*segs));
		if(segs == NULL)
			return -1;
		if(t->nsegments)
			memcpy(segs, t->segments, t->nsegments * sizeof(*segs));
		table_release(t, t->segments, t->segments_cap * sizeof(*segs));
		t->segments = segs;
		t->segments_cap = cap;
	}
	t->segments[t->nsegments] = segment_new(t);
	if(t->segments[t->nsegments] == NULL)
		return -1;
	t->nsegments++;
	return 0;
}

static int field_fits(const ph_field_t *f, size_t max)
{
	return f->s == NULL || f->len <= max;
}

static int copy_field(ph_table_t *t, ph_sv_t *out, const ph_field_t *f)
{
	const char *s = f->s ? f->s : "";
	size_t len = f->s ? f->len : 0;

	out->s = ph_arena_strdup(&t->strings, s, len);
	out->len = (uint32_t)len;
	return out->s ? 0 : -1;
}

/* A lookup key: in the entry's own buffer (size bytes) when it fits, in
 * the arena when not. */
static int copy_key(ph_table_t *t, ph_sv_t *out, const ph_field_t *f,
		char *own, size_t size)
{
	size_t len = f->s ? f->len : 0;

	if(len >= size)
		return copy_field(t, out, f);
	if(len)
		memcpy(own, f->s, len);
	own[len] = '\0';
	out->s = own;
	out->len = (uint32_t)len;
	return 0;
}

int ph_entry_each_server(const ph_entry_t *e,
		int (*fn)(const char *ip, size_t len, void *arg), void *arg)
{
	const char *p = e->servers.s, *end = p + e->servers.len, *comma;
	int rc;

	while(p < end) {
		comma = memchr(p, ',', (size_t)(end - p));
		if(comma == NULL)
			comma = end;
		if(comma > p && (rc = fn(p, (size_t)(comma - p), arg)) != 0)
			return rc;
		p = comma + 1;
	}
	return 0;
}

typedef struct server_key
{
	const char *s;
	size_t len;
} server_key_t;

static int server_is(const char *ip, size_t len, void *arg)
{
	const server_key_t *k = arg;

	return len == k->len && memcmp(ip, k->s, len) == 0;
}

int ph_entry_has_server(const ph_entry_t *e, const char *ip, size_t len)
{
	server_key_t k = {ip, len};

	/* the first row's, as written (NULL and empty are the same: none) */
	if(e->server_ip.len == len
			&& (len == 0 || memcmp(e->server_ip.s, ip, len) == 0))
		return 1;
	return len > 0 && ph_entry_each_server(e, server_is, &k);
}

/* A server_ip that can stand in a list of home servers: not empty, no
 * comma. */
static int listable_server(const char *s, size_t len)
{
	return s && len > 0 && memchr(s, ',', len) == NULL;
}

static int same_field(const ph_sv_t *held, const ph_field_t *f)
{
	size_t len = f->s ? f->len : 0;

	return held->len == len && (len == 0 || memcmp(held->s, f->s, len) == 0);
}

/* A row of the same device on another server: the same password, protocol
 * and active flag, and both rows name a server that can be listed. */
static int same_device(
		const ph_entry_t *e, const ph_row_t *row, ph_protocol_t protocol)
{
	return e->protocol == (uint8_t)protocol
		   && e->active == ph_field_is_yes(&row->active)
		   && same_field(&e->secret, &row->conf_secret)
		   && listable_server(e->server_ip.s, e->server_ip.len)
		   && listable_server(row->server_ip.s, row->server_ip.len);
}

/* Appends server_ip to e's home servers. */
static ph_row_result_t add_home_server(
		ph_table_t *t, ph_entry_t *e, const ph_field_t *server_ip)
{
	char buf[PH_MAX_HOME_SERVERS_TEXT];
	size_t len = server_ip->len, n = e->servers.len;
	const char *s;

	/* same_device(): both servers are listable, so n > 0 and len > 0 */
	if(e->nservers == UINT16_MAX || n + 1 + len > sizeof(buf))
		return PH_ROW_TOO_LONG;
	memcpy(buf, e->servers.s, n);
	buf[n++] = ',';
	memcpy(buf + n, server_ip->s, len);
	n += len;
	if((s = ph_arena_strdup(&t->strings, buf, n)) == NULL)
		return PH_ROW_NO_MEMORY;
	e->servers.s = s;
	e->servers.len = (uint32_t)n;
	e->nservers++;
	return PH_ROW_HOME_SERVER;
}

static ph_row_result_t add_row(ph_table_t *t, const ph_row_t *row)
{
	ph_protocol_t protocol;
	ph_slot_t *ext_slot, *num_slot = NULL;
	ph_entry_t *e, *other;
	uint32_t ext_hash, num_hash = 0;
	int index_number;

	if(row->extension.s == NULL || row->extension.len == 0)
		return PH_ROW_NO_EXTENSION;
	if(!field_fits(&row->extension, PH_MAX_EXTENSION)
			|| !field_fits(&row->dialplan_number, PH_MAX_DIALPLAN_NUMBER)
			|| !field_fits(&row->conf_secret, PH_MAX_SECRET)
			|| !field_fits(&row->server_ip, PH_MAX_SERVER_IP)
			|| !field_fits(&row->outbound_cid, PH_MAX_OUTBOUND_CID))
		return PH_ROW_TOO_LONG;
	if(ph_protocol_parse(row->protocol.s, row->protocol.len, &protocol) < 0)
		return PH_ROW_BAD_PROTOCOL;

	/* Room first, so that nothing below can fail half-way. */
	if(entries_reserve(t) < 0 || index_reserve(t, &t->by_extension) < 0
			|| index_reserve(t, &t->by_number) < 0)
		return PH_ROW_NO_MEMORY;

	ext_hash = ph_hash(row->extension.s, row->extension.len);
	ext_slot = index_probe(t, &t->by_extension, offsetof(ph_entry_t, extension),
			row->extension.s, row->extension.len, ext_hash);
	if(ext_slot->ref) {
		other = entry_at(t, ext_slot->ref - 1);
		if(ph_entry_has_server(other, row->server_ip.s,
				   row->server_ip.s ? row->server_ip.len : 0))
			return PH_ROW_DUPLICATE;
		if(!(other->flags & PH_ENTRY_AMBIGUOUS_EXTENSION)
				&& same_device(other, row, protocol))
			return add_home_server(t, other, &row->server_ip);
		if(!(other->flags & PH_ENTRY_AMBIGUOUS_EXTENSION)) {
			other->flags |= PH_ENTRY_AMBIGUOUS_EXTENSION;
			t->counts.ambiguous_extensions++;
		}
		return PH_ROW_AMBIGUOUS;
	}

	e = entry_at(t, t->size);
	memset(e, 0, sizeof(*e));
	if(copy_key(t, &e->extension, &row->extension, e->short_extension,
			   sizeof(e->short_extension))
					< 0
			|| copy_key(t, &e->dialplan_number, &row->dialplan_number,
					   e->short_number, sizeof(e->short_number))
					   < 0
			|| copy_field(t, &e->secret, &row->conf_secret) < 0
			|| copy_field(t, &e->server_ip, &row->server_ip) < 0
			|| copy_field(t, &e->outbound_cid, &row->outbound_cid) < 0)
		return PH_ROW_NO_MEMORY; /* the copies stay in the arena, unused */
	/* a server_ip that cannot be listed is no home server to call */
	if(listable_server(e->server_ip.s, e->server_ip.len))
		e->servers = e->server_ip;
	else
		e->servers.s = "";
	e->nservers = 1;
	e->protocol = (uint8_t)protocol;
	e->active = ph_field_is_yes(&row->active);

	index_number = e->dialplan_number.len > 0;
	if(index_number) {
		num_hash = ph_hash(e->dialplan_number.s, e->dialplan_number.len);
		num_slot = index_probe(t, &t->by_number,
				offsetof(ph_entry_t, dialplan_number), e->dialplan_number.s,
				e->dialplan_number.len, num_hash);
		if(num_slot->ref) {
			other = entry_at(t, num_slot->ref - 1);
			if(!(other->flags & PH_ENTRY_AMBIGUOUS_NUMBER)) {
				other->flags |= PH_ENTRY_AMBIGUOUS_NUMBER;
				t->counts.ambiguous_numbers++;
			}
			e->flags |= PH_ENTRY_AMBIGUOUS_NUMBER;
			t->counts.ambiguous_numbers++;
			num_slot = NULL;
		}
	}

	t->size++;
	ext_slot->hash = ext_hash;
	ext_slot->ref = (uint32_t)t->size;
	t->by_extension.used++;
	if(num_slot) {
		num_slot->hash = num_hash;
		num_slot->ref = (uint32_t)t->size;
		t->by_number.used++;
	}
	return PH_ROW_LOADED;
}

ph_row_result_t ph_table_add_row(ph_table_t *t, const ph_row_t *row)
{
	ph_row_result_t r = add_row(t, row);

	t->counts.rows++;
	t->counts.by_result[r]++;
	if(r == PH_ROW_LOADED)
		t->counts.loaded++;
	else if(r != PH_ROW_HOME_SERVER)
		t->counts.skipped++;
	return r;
}

static const ph_entry_t *lookup_hash(const ph_table_t *t,
		const ph_index_t *idx, size_t field, const char *s, size_t len,
		uint32_t hash)
{
	ph_slot_t *slot;

	if(idx->slots == NULL)
		return NULL;
	slot = index_probe(t, idx, field, s, len, hash);
	return slot->ref ? entry_at(t, slot->ref - 1) : NULL;
}

#define BY_EXTENSION(t, s, len, hash) \
	lookup_hash(t, &(t)->by_extension, offsetof(ph_entry_t, extension), s, \
			len, hash)
#define BY_NUMBER(t, s, len, hash)                                       \
	lookup_hash(t, &(t)->by_number, offsetof(ph_entry_t, dialplan_number), \
			s, len, hash)

const ph_entry_t *ph_table_by_extension(
		const ph_table_t *t, const char *s, size_t len)
{
	const ph_entry_t *e;
	uint32_t hash;

	if(t == NULL || s == NULL)
		return NULL;
	hash = ph_hash(s, len);
	e = BY_EXTENSION(t, s, len, hash);
	if(e)
		return (e->flags & PH_ENTRY_REMOVED) ? NULL : e;
	return t->base ? BY_EXTENSION(t->base, s, len, hash) : NULL;
}

/* Whether the change table t holds (changes or removes) the base's e. */
static int overridden(const ph_table_t *t, const ph_entry_t *e)
{
	return t->size > 0
		   && BY_EXTENSION(t, e->extension.s, e->extension.len,
					  ph_hash(e->extension.s, e->extension.len))
					  != NULL;
}

const ph_entry_t *ph_table_by_number(
		const ph_table_t *t, const char *s, size_t len)
{
	const ph_entry_t *e;
	uint32_t hash;

	if(t == NULL || s == NULL)
		return NULL;
	hash = ph_hash(s, len);
	e = BY_NUMBER(t, s, len, hash);
	if(e || t->base == NULL)
		return e;
	e = BY_NUMBER(t->base, s, len, hash);
	return (e && overridden(t, e)) ? NULL : e;
}

static ph_field_t sv_field(const ph_sv_t *sv)
{
	ph_field_t f = {sv->s, sv->len};
	return f;
}

typedef struct copy_rows
{
	ph_table_t *t;
	ph_row_t *row;
	const ph_sv_t *first; /* added with the entry */
	int failed;
} copy_rows_t;

/* Adds the entry's row for one more home server. */
static int copy_server(const char *ip, size_t len, void *arg)
{
	copy_rows_t *c = arg;
	ph_row_result_t r;

	if(len == c->first->len && memcmp(ip, c->first->s, len) == 0)
		return 0;
	c->row->server_ip.s = ip;
	c->row->server_ip.len = len;
	r = add_row(c->t, c->row);
	if(r == PH_ROW_HOME_SERVER) {
		c->t->counts.by_result[r]++;
		return 0;
	}
	return r == PH_ROW_LOADED ? 0 : (c->failed = 1);
}

/* Adds e's rows (one per home server) to t, as a load would. */
static int copy_entry(ph_table_t *t, const ph_entry_t *e)
{
	copy_rows_t c = {t, NULL, &e->server_ip, 0};
	ph_entry_t *copy;
	ph_row_t r;

	r.extension = sv_field(&e->extension);
	r.dialplan_number = sv_field(&e->dialplan_number);
	r.conf_secret = sv_field(&e->secret);
	r.server_ip = sv_field(&e->server_ip);
	r.outbound_cid = sv_field(&e->outbound_cid);
	r.protocol.s = ph_protocol_name((ph_protocol_t)e->protocol);
	r.protocol.len = strlen(r.protocol.s);
	r.active.s = e->active ? "Y" : "N";
	r.active.len = 1;
	if(add_row(t, &r) != PH_ROW_LOADED)
		return -1;
	copy = entry_at(t, t->size - 1);
	if(e->nservers > 1) {
		/* the first server is in; the others follow */
		c.row = &r;
		ph_entry_each_server(e, copy_server, &c);
		if(c.failed)
			return -1;
		copy->nservers = e->nservers; /* rows without a server_ip too */
	}
	if(e->flags & PH_ENTRY_AMBIGUOUS_EXTENSION) {
		copy->flags |= PH_ENTRY_AMBIGUOUS_EXTENSION;
		t->counts.ambiguous_extensions++;
	}
	return 0;
}

ph_table_t *ph_table_copy_change(const ph_table_t *src,
		const ph_allocator_t *allocator, const char *remove, size_t len,
		const ph_row_t *row, int *needs_reload)
{
	const ph_entry_t *gone = NULL, *e;
	ph_table_counts_t counts;
	ph_row_result_t added = PH_ROW_LOADED;
	ph_table_t *t;
	size_t i;

	*needs_reload = 0;
	if(remove)
		gone = ph_table_by_extension(src, remove, len);
	if(row && row->extension.s)
		e = ph_table_by_extension(src, row->extension.s, row->extension.len);
	else
		e = NULL;
	if((gone
			   && ((gone->flags & PH_ENTRY_AMBIGUOUS_EXTENSION)
					   || gone->nservers > 1))
			|| (e && e != gone)) {
		/* the other servers' rows of that extension are not held */
		*needs_reload = 1;
		return NULL;
	}
	t = ph_table_new(allocator);
	if(t == NULL)
		return NULL;
	/* every entry src shows (a change table's base and changes merged) */
	for(i = 0; i < ph_table_size(src); i++) {
		e = ph_table_entry(src, i);
		if(e && e != gone && copy_entry(t, e) < 0)
			goto error;
	}
	if(row && (added = add_row(t, row)) == PH_ROW_NO_MEMORY)
		goto error;
	/* the load's figures, with this change */
	counts = src->counts;
	counts.rows = counts.rows - (gone ? 1 : 0) + (row ? 1 : 0);
	counts.loaded = t->size;
	counts.by_result[PH_ROW_LOADED] = t->size;
	counts.by_result[PH_ROW_HOME_SERVER] =
			t->counts.by_result[PH_ROW_HOME_SERVER];
	if(row && added != PH_ROW_LOADED)
		counts.by_result[added]++;
	counts.skipped =
			counts.rows - counts.loaded - counts.by_result[PH_ROW_HOME_SERVER];
	counts.ambiguous_extensions = t->counts.ambiguous_extensions;
	counts.ambiguous_numbers = t->counts.ambiguous_numbers;
	t->counts = counts;
	return t;

error:
	ph_table_free(t);
	return NULL;
}

/* Marks the base's entry with this extension as removed. */
static int add_removal(ph_table_t *t, const ph_sv_t *ext)
{
	ph_slot_t *slot;
	ph_entry_t *e;
	uint32_t hash;

	if(entries_reserve(t) < 0 || index_reserve(t, &t->by_extension) < 0)
		return -1;
	hash = ph_hash(ext->s, ext->len);
	slot = index_probe(t, &t->by_extension, offsetof(ph_entry_t, extension),
			ext->s, ext->len, hash);
	if(slot->ref)
		return 0; /* marked already */
	e = entry_at(t, t->size);
	memset(e, 0, sizeof(*e));
	e->extension.s = ph_arena_strdup(&t->strings, ext->s, ext->len);
	if(e->extension.s == NULL)
		return -1;
	e->extension.len = ext->len;
	e->dialplan_number.s = e->secret.s = e->server_ip.s = e->servers.s =
			e->outbound_cid.s = "";
	e->flags = PH_ENTRY_REMOVED;
	t->size++;
	slot->hash = hash;
	slot->ref = (uint32_t)t->size;
	t->by_extension.used++;
	return 0;
}

static int same_sv(const ph_sv_t *a, const char *s, size_t len)
{
	return s && a->len == len && memcmp(a->s, s, len) == 0;
}

ph_table_t *ph_table_change(ph_table_t *cur, const ph_allocator_t *allocator,
		const char *remove, size_t len, const ph_row_t *row,
		size_t max_changes, int *needs_reload)
{
	ph_table_t *base = cur->base ? cur->base : cur, *t;
	const ph_entry_t *gone = NULL, *e, *same;
	const ph_sv_t *ext;
	ph_sv_t row_ext;
	ph_row_result_t added;
	size_t i, held = cur->base ? cur->size : 0;

	*needs_reload = 0;
	if(remove)
		gone = ph_table_by_extension(cur, remove, len);
	same = (row && row->extension.s) ? ph_table_by_extension(cur,
											   row->extension.s,
											   row->extension.len)
									 : NULL;
	/* what only a merged copy (or a reload) settles: ambiguity, several
	 * home servers, a number another entry has, too many changes held */
	if((gone
			   && (gone->flags
						  & (PH_ENTRY_AMBIGUOUS_EXTENSION
								  | PH_ENTRY_AMBIGUOUS_NUMBER)
					   || gone->nservers > 1))
			|| (same && same != gone) || held + 2 > max_changes
			|| (row && row->dialplan_number.s && row->dialplan_number.len
					&& (e = ph_table_by_number(cur, row->dialplan_number.s,
								row->dialplan_number.len))
							   != NULL
					&& e != gone))
		return ph_table_copy_change(
				cur, allocator, remove, len, row, needs_reload);

	t = ph_table_new(allocator);
	if(t == NULL)
		return NULL;
	t->base = base;
	__atomic_add_fetch(&base->refs, 1, __ATOMIC_ACQ_REL);
	/* the changes held so far, but those of the extensions changed now */
	for(i = 0; i < held; i++) {
		e = entry_at(cur, i);
		if((gone && same_sv(&e->extension, gone->extension.s,
							gone->extension.len))
				|| (row
						&& same_sv(&e->extension, row->extension.s,
								row->extension.len)))
			continue;
		if((e->flags & PH_ENTRY_REMOVED) ? add_removal(t, &e->extension) < 0
										 : copy_entry(t, e) < 0)
			goto error;
	}
	added = row ? add_row(t, row) : PH_ROW_LOADED;
	if(added == PH_ROW_NO_MEMORY)
		goto error;
	/* the base's entry of the extension removed, unless the row holds it
	 * again */
	ext = gone ? &gone->extension : NULL;
	if(ext && BY_EXTENSION(base, ext->s, ext->len, ph_hash(ext->s, ext->len))
			&& !(added == PH_ROW_LOADED && row
					&& same_sv(ext, row->extension.s, row->extension.len))
			&& add_removal(t, ext) < 0)
		goto error;
	/* likewise the row's own extension when the row is refused: a removal
	 * of it held before was skipped above, and the base's entry would show
	 * through again (a deleted phone back with its old password) */
	if(row && added != PH_ROW_LOADED && row->extension.s && row->extension.len
			&& row->extension.len <= PH_MAX_EXTENSION
			&& BY_EXTENSION(base, row->extension.s, row->extension.len,
					ph_hash(row->extension.s, row->extension.len))) {
		row_ext.s = row->extension.s;
		row_ext.len = (uint32_t)row->extension.len;
		if(add_removal(t, &row_ext) < 0)
			goto error;
	}
	/* the figures, with this change */
	t->counts = cur->counts;
	t->counts.rows = t->counts.rows - (gone ? 1 : 0) + (row ? 1 : 0);
	if(gone) {
		t->counts.loaded--;
		t->counts.by_result[PH_ROW_LOADED]--;
	}
	if(row) {
		t->counts.by_result[added]++;
		if(added == PH_ROW_LOADED)
			t->counts.loaded++;
		else
			t->counts.skipped++;
	}
	return t;

error:
	ph_table_free(t);
	return NULL;
}

size_t ph_table_size(const ph_table_t *t)
{
	return (t->base ? t->base->size : 0) + t->size;
}

const ph_entry_t *ph_table_entry(const ph_table_t *t, size_t i)
{
	const ph_entry_t *e;

	if(t->base && i < t->base->size) {
		e = entry_at(t->base, i);
		return overridden(t, e) ? NULL : e;
	}
	if(t->base)
		i -= t->base->size;
	if(i >= t->size)
		return NULL;
	e = entry_at(t, i);
	return (e->flags & PH_ENTRY_REMOVED) ? NULL : e;
}

const ph_table_counts_t *ph_table_counts(const ph_table_t *t)
{
	return &t->counts;
}

size_t ph_table_memory(const ph_table_t *t)
{
	return t->memory + t->strings.total
		   + (t->base ? ph_table_memory(t->base) : 0);
}

size_t ph_table_max_changes(const ph_table_t *t)
{
	size_t n = t->counts.loaded, r = 1;

	while(r * r < n)
		r++;
	r *= 2;
	return r < 64 ? 64 : (r > 8192 ? 8192 : r);
}

size_t ph_table_changes(const ph_table_t *t)
{
	return t->base ? t->size : 0;
}

void ph_table_ref(ph_table_t *t)
{
	__atomic_add_fetch(&t->refs, 1, __ATOMIC_ACQ_REL);
}

void ph_table_free(ph_table_t *t)
{
	ph_table_t *base;
	size_t i;

	if(t == NULL
			|| __atomic_sub_fetch(&t->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	base = t->base;
	for(i = 0; i < t->nsegments; i++)
		segment_release(t, t->segments[i]);
	t->allocator->release(t->allocator->ctx, t->segments);
	t->allocator->release(t->allocator->ctx, t->by_extension.slots);
	t->allocator->release(t->allocator->ctx, t->by_number.slots);
	ph_arena_release(&t->strings);
	t->allocator->release(t->allocator->ctx, t);
	ph_table_free(base);
}
