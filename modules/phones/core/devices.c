/*
 * kamailio-phones: one extension, several devices, and the plan of a call.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "phones/arena.h"
#include "phones/devices.h"
#include "phones/sip_user.h"

struct ph_devices
{
	const ph_allocator_t *allocator;
	ph_arena_t arena;
	ph_device_t *rows; /* sorted by extension, position, load order */
	size_t count;
	size_t capacity;
	size_t memory; /* of rows */
};

static const char *const result_names[PH_DEVICE_RESULT_COUNT] = {
		"loaded", "inactive", "no_extension", "no_device", "bad_position",
		"bad_ring", "duplicate", "too_many", "no_memory"};

const char *ph_device_row_result_name(ph_device_row_result_t r)
{
	return (unsigned)r < PH_DEVICE_RESULT_COUNT ? result_names[r] : "?";
}

ph_devices_t *ph_devices_new(const ph_allocator_t *allocator)
{
	ph_devices_t *d = allocator->alloc(allocator->ctx, sizeof(*d));

	if(d == NULL)
		return NULL;
	memset(d, 0, sizeof(*d));
	d->allocator = allocator;
	ph_arena_init(&d->arena, allocator);
	return d;
}

void ph_devices_free(ph_devices_t *d)
{
	if(d == NULL)
		return;
	ph_arena_release(&d->arena);
	if(d->rows)
		d->allocator->release(d->allocator->ctx, d->rows);
	d->allocator->release(d->allocator->ctx, d);
}

size_t ph_devices_count(const ph_devices_t *d)
{
	return d ? d->count : 0;
}

size_t ph_devices_memory(const ph_devices_t *d)
{
	return d ? sizeof(*d) + d->memory + d->arena.total : 0;
}

const ph_device_t *ph_devices_at(const ph_devices_t *d, size_t i)
{
	return d && i < d->count ? &d->rows[i] : NULL;
}

/* A whole number from lo to hi, or -1. */
static long number(const ph_field_t *f, long lo, long hi)
{
	long v = 0;
	size_t i;

	if(f->s == NULL || f->len == 0 || f->len > 6)
		return -1;
	for(i = 0; i < f->len; i++) {
		if(f->s[i] < '0' || f->s[i] > '9')
			return -1;
		v = v * 10 + (f->s[i] - '0');
	}
	return v < lo || v > hi ? -1 : v;
}

static int valid_name(const ph_field_t *f, size_t max)
{
	return f->s && f->len > 0 && f->len <= max
		   && ph_sip_user_valid(f->s, f->len);
}

static int sv_cmp(const ph_sv_t *a, const char *s, size_t len)
{
	size_t n = a->len < len ? a->len : len;
	int c = memcmp(a->s, s, n);

	if(c)
		return c;
	return a->len < len ? -1 : (a->len > len ? 1 : 0);
}

/* Where a row of (ext, position) goes: after every row of ext with a
 * position not greater, before the rest. */
static size_t insert_at(const ph_devices_t *d, const char *ext, size_t len,
		uint32_t position)
{
	size_t lo = 0, hi = d->count;

	while(lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = sv_cmp(&d->rows[mid].extension, ext, len);

		if(c < 0 || (c == 0 && d->rows[mid].position <= position))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t first_of(const ph_devices_t *d, const char *ext, size_t len)
{
	size_t lo = 0, hi = d->count;

	while(lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if(sv_cmp(&d->rows[mid].extension, ext, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t ph_devices_of(const ph_devices_t *d, const char *ext, size_t len,
		const ph_device_t **first)
{
	size_t i, n = 0;

	*first = NULL;
	if(d == NULL || ext == NULL)
		return 0;
	i = first_of(d, ext, len);
	while(i + n < d->count && sv_cmp(&d->rows[i + n].extension, ext, len) == 0)
		n++;
	if(n)
		*first = &d->rows[i];
	return n;
}

static int grow(ph_devices_t *d)
{
	size_t cap = d->capacity ? d->capacity * 2 : 64;
	ph_device_t *rows;

	rows = d->allocator->alloc(d->allocator->ctx, cap * sizeof(*rows));
	if(rows == NULL)
		return -1;
	if(d->count)
		memcpy(rows, d->rows, d->count * sizeof(*rows));
	if(d->rows)
		d->allocator->release(d->allocator->ctx, d->rows);
	d->rows = rows;
	d->capacity = cap;
	d->memory = cap * sizeof(*rows);
	return 0;
}

ph_device_row_result_t ph_devices_add_row(
		ph_devices_t *d, const ph_device_row_t *row)
{
	const ph_device_t *same;
	ph_device_t dev;
	long position, ring;
	size_t n, i, at;
	char *ext, *device;

	if(!valid_name(&row->extension, PH_MAX_EXTENSION))
		return PH_DEVICE_NO_EXTENSION;
	if(!valid_name(&row->device, PH_MAX_DEVICE))
		return PH_DEVICE_NO_DEVICE;
	if((position = number(&row->position, 1, 1000)) < 0)
		return PH_DEVICE_BAD_POSITION;
	if((ring = number(&row->ring_seconds, 1, PH_MAX_RING_SECONDS)) < 0)
		return PH_DEVICE_BAD_RING;
	n = ph_devices_of(d, row->extension.s, row->extension.len, &same);
	if(n >= PH_MAX_DEVICES)
		return PH_DEVICE_TOO_MANY;
	for(i = 0; i < n; i++) {
		if(same[i].device.len == row->device.len
				&& memcmp(same[i].device.s, row->device.s, row->device.len)
						   == 0)
			return PH_DEVICE_DUPLICATE;
	}
	/* one copy of the extension for all its rows (in the arena: it stays
	 * where it is when the rows grow) */
	ext = n ? (char *)same[0].extension.s
			: ph_arena_strdup(&d->arena, row->extension.s, row->extension.len);
	if(ext == NULL || (d->count == d->capacity && grow(d) < 0))
		return PH_DEVICE_NO_MEMORY;
	device = ph_arena_strdup(&d->arena, row->device.s, row->device.len);
	if(ext == NULL || device == NULL)
		return PH_DEVICE_NO_MEMORY;
	dev.extension.s = ext;
	dev.extension.len = (uint32_t)row->extension.len;
	dev.device.s = device;
	dev.device.len = (uint32_t)row->device.len;
	dev.position = (uint32_t)position;
	dev.ring_seconds = (uint32_t)ring;
	dev.active = (uint8_t)ph_field_is_yes(&row->active);
	at = insert_at(d, row->extension.s, row->extension.len, dev.position);
	memmove(&d->rows[at + 1], &d->rows[at], (d->count - at) * sizeof(dev));
	d->rows[at] = dev;
	d->count++;
	return dev.active ? PH_DEVICE_LOADED : PH_DEVICE_INACTIVE;
}

static int is_number(const char *s, size_t len)
{
	size_t i = (len > 1 && s[0] == '+') ? 1 : 0;

	if(len == 0 || len > PH_MAX_DIALPLAN_NUMBER + 1)
		return 0;
	for(; i < len; i++) {
		if(s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

ph_plan_step_t ph_device_target(const ph_device_t *dev,
		const ph_table_t *phones, ph_protocol_set_t registering)
{
	ph_plan_step_t step;
	const ph_entry_t *e;

	step.device = dev;
	step.kind = PH_TARGET_SKIP;
	step.target.s = NULL;
	step.target.len = 0;
	e = ph_table_by_extension(phones, dev->device.s, dev->device.len);
	if(e == NULL) {
		if(is_number(dev->device.s, dev->device.len)) {
			step.kind = PH_TARGET_NUMBER;
			step.target = dev->device;
		}
		return step;
	}
	if(!e->active || (e->flags & PH_ENTRY_AMBIGUOUS_EXTENSION))
		return step;
	if(e->protocol == PH_PROTO_EXTERNAL) {
		if(e->dialplan_number.len) {
			step.kind = PH_TARGET_NUMBER;
			step.target = e->dialplan_number;
		}
	} else if(registering & PH_PROTO_BIT(e->protocol)) {
		step.kind = PH_TARGET_CONTACTS;
		step.target = e->extension;
	}
	return step;
}

size_t ph_devices_plan(const ph_devices_t *d, const ph_table_t *phones,
		ph_protocol_set_t registering, const char *ext, size_t len,
		ph_plan_t *plan)
{
	const ph_device_t *first;
	size_t n, i;

	plan->nsteps = 0;
	n = ph_devices_of(d, ext, len, &first);
	for(i = 0; i < n; i++) {
		if(first[i].active)
			plan->steps[plan->nsteps++] =
					ph_device_target(&first[i], phones, registering);
	}
	return plan->nsteps;
}

size_t ph_plan_group(const ph_plan_t *plan, size_t from, uint64_t can_ring,
		uint32_t *ring_seconds)
{
	size_t n = 0;

	*ring_seconds = 0;
	if(from >= plan->nsteps)
		return 0;
	while(from + n < plan->nsteps
			&& plan->steps[from + n].device->position
					   == plan->steps[from].device->position) {
		if(n < 64 && ((can_ring >> n) & 1)
				&& plan->steps[from + n].device->ring_seconds > *ring_seconds)
			*ring_seconds = plan->steps[from + n].device->ring_seconds;
		n++;
	}
	return n;
}

ph_choice_result_t ph_devices_check_choice(const ph_devices_t *d,
		const char *ext, size_t elen, const char *list, size_t llen,
		const char **bad, size_t *blen, size_t *nnames)
{
	const ph_device_t *first;
	const char *names[PH_MAX_DEVICES];
	size_t lens[PH_MAX_DEVICES];
	size_t n, count = 0, i, j, start = 0;

	*bad = NULL;
	*blen = 0;
	*nnames = 0;
	n = ph_devices_of(d, ext, elen, &first);
	if(n == 0)
		return PH_CHOICE_NO_EXTENSION;
	if(llen == 0)
		return PH_CHOICE_OK;
	for(i = 0; i <= llen; i++) {
		if(i < llen && list[i] != ',')
			continue;
		if(i == start || count == PH_MAX_DEVICES)
			return PH_CHOICE_MALFORMED;
		names[count] = list + start;
		lens[count] = i - start;
		for(j = 0; j < count; j++) {
			if(lens[j] == lens[count]
					&& memcmp(names[j], names[count], lens[j]) == 0)
				return PH_CHOICE_MALFORMED;
		}
		for(j = 0; j < n; j++) {
			if(first[j].device.len == lens[count]
					&& memcmp(first[j].device.s, names[count], lens[count])
							   == 0)
				break;
		}
		if(j == n) {
			*bad = names[count];
			*blen = lens[count];
			return PH_CHOICE_NOT_A_DEVICE;
		}
		count++;
		start = i + 1;
	}
	*nnames = count;
	return PH_CHOICE_OK;
}
