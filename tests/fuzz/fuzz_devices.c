/*
 * kamailio-phones: fuzzing the devices of extensions and the plan of a call
 * (core/devices.c).
 *
 * Input (see README.md): an optional "!<hex>" line, the allocations to
 * fail; then lines, each one of
 *
 *   extension|device|position|ring_seconds|active
 *                     a row of phone_devices
 *   ?extension        the plan of a call to it
 *   =extension|list   a choice of its active devices (names, commas)
 *
 * The phone table holds a few fixed entries (SIP, PJSIP, EXTERNAL,
 * inactive, IAX2, ambiguous) the devices may name.
 *
 * Checked: rows held exactly as the results say (a model counts them), no
 * extension over PH_MAX_DEVICES, the rows of an extension in position
 * order; a plan holds only active devices of the extension, in position
 * order, each target what ph_device_target says (a phone's extension, an
 * EXTERNAL entry's number, a plain number made of digits); groups cover
 * the plan, each one position, with the longest ring time of the devices
 * asked about; the call plan's devices part (ph_call_plan_devices) holds
 * the same steps from every position asked, 480 past the end, 404 for an
 * extension without active devices; a choice found good names only
 * devices of the extension, each once; memory is all given back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz.h"

#include "phones/call_plan.h"
#include "phones/devices.h"
#include "phones/phone_table.h"

static const char *const fixed_rows[][7] = {
		{"t100", "7100", "pw", "SIP", "Y", "127.0.0.2", NULL},
		{"t101", "7101", "pw", "PJSIP", "Y", "127.0.0.2", NULL},
		{"x200", "913125550200", "pw", "EXTERNAL", "Y", "127.0.0.2", NULL},
		{"x201", "", "pw", "EXTERNAL", "Y", "127.0.0.2", NULL},
		{"t300", "7300", "pw", "SIP", "N", "127.0.0.2", NULL},
		{"i500", "7500", "pw", "IAX2", "Y", "127.0.0.2", NULL},
		{"amb", "7600", "a", "SIP", "Y", "127.0.0.2", NULL},
		{"amb", "7601", "b", "SIP", "Y", "127.0.0.3", NULL},
};

static FZ_NO_COVERAGE ph_field_t cfield(const char *s)
{
	ph_field_t f;

	f.s = s;
	f.len = s ? strlen(s) : 0;
	return f;
}

static FZ_NO_COVERAGE int digits(const char *s, size_t len)
{
	size_t i = (len > 1 && s[0] == '+') ? 1 : 0;

	if(len == 0)
		return 0;
	for(; i < len; i++) {
		if(s[i] < '0' || s[i] > '9')
			return 0;
	}
	return 1;
}

/* The call plan's devices part (ph_call_plan_devices) from each step on:
 * the same steps, the position asked; 480 past the end, 404 without
 * steps. */
static FZ_NO_COVERAGE void check_call_plan(const ph_devices_t *d,
		const ph_table_t *t, const fz_field_t *ext, const ph_plan_t *want)
{
	static ph_call_plan_t cp;
	ph_call_facts_t f;
	size_t from, i;

	memset(&f, 0, sizeof(f));
	f.user.s = ext->s;
	f.user.len = (uint32_t)ext->len;
	f.table = t;
	f.devices = d;
	f.registering = PH_PROTO_SET_DEFAULT_REGISTER;
	for(from = 0; from <= want->nsteps + 1; from++) {
		f.devices_from = from;
		ph_call_plan_devices(&f, &cp);
		if(want->nsteps == 0 || ext->len == 0) {
			fz_check(cp.kind == PH_PLAN_REFUSED && cp.code == 404,
					"no devices planned as %d %d", cp.kind, cp.code);
		} else if(from >= want->nsteps) {
			fz_check(cp.kind == PH_PLAN_REFUSED && cp.code == 480,
					"past the end planned as %d %d", cp.kind, cp.code);
		} else {
			fz_check(cp.kind == PH_PLAN_DEVICES && cp.position == from
							&& cp.devices.nsteps == want->nsteps,
					"call plan from %zu: kind %d position %zu steps %zu",
					from, cp.kind, cp.position, cp.devices.nsteps);
			for(i = 0; i < want->nsteps; i++)
				fz_check(cp.devices.steps[i].device == want->steps[i].device
								&& cp.devices.steps[i].kind
										   == want->steps[i].kind
								&& cp.devices.steps[i].target.s
										   == want->steps[i].target.s
								&& cp.devices.steps[i].target.len
										   == want->steps[i].target.len,
						"call plan's step %zu differs", i);
		}
	}
}

static FZ_NO_COVERAGE void check_plan(const ph_devices_t *d,
		const ph_table_t *t, const fz_field_t *ext)
{
	const ph_device_t *first;
	ph_plan_t plan;
	size_t n, steps, i, from, g;
	uint32_t ring, want;
	uint64_t mask;

	n = ph_devices_of(d, ext->s, ext->len, &first);
	steps = ph_devices_plan(d, t, PH_PROTO_SET_DEFAULT_REGISTER, ext->s,
			ext->len, &plan);
	fz_check(steps <= n && steps == plan.nsteps, "plan of %zu of %zu", steps,
			n);
	for(i = 0; i < n; i++) {
		fz_check(i == 0 || first[i - 1].position <= first[i].position,
				"rows out of position order");
		fz_check(first[i].extension.len == ext->len
						&& memcmp(first[i].extension.s, ext->s, ext->len) == 0,
				"a row of another extension");
	}
	for(i = 0; i < steps; i++) {
		const ph_plan_step_t *st = &plan.steps[i];
		ph_plan_step_t again;

		fz_check(st->device->active, "an inactive device in the plan");
		fz_check(i == 0 || plan.steps[i - 1].device->position
								   <= st->device->position,
				"plan out of position order");
		again = ph_device_target(st->device, t, PH_PROTO_SET_DEFAULT_REGISTER);
		fz_check(again.kind == st->kind, "target kind changed");
		if(st->kind == PH_TARGET_CONTACTS)
			fz_check(ph_table_by_extension(t, st->target.s, st->target.len)
							!= NULL,
					"contacts of no entry");
		if(st->kind == PH_TARGET_NUMBER)
			fz_check(digits(st->target.s, st->target.len),
					"a number that is not digits");
	}
	for(from = 0, mask = 0x5555555555555555ull; from < steps; from += g) {
		g = ph_plan_group(&plan, from, mask, &ring);
		fz_check(g > 0, "an empty group inside the plan");
		want = 0;
		for(i = 0; i < g; i++) {
			fz_check(plan.steps[from + i].device->position
							 == plan.steps[from].device->position,
					"two positions in one group");
			if(((mask >> i) & 1)
					&& plan.steps[from + i].device->ring_seconds > want)
				want = plan.steps[from + i].device->ring_seconds;
		}
		fz_check(ring == want, "ring %u, not %u", ring, want);
		fz_check(from + g == steps
						|| plan.steps[from + g].device->position
								   > plan.steps[from].device->position,
				"a group stops before its position does");
	}
	fz_check(ph_plan_group(&plan, steps, ~0ull, &ring) == 0 && ring == 0,
			"a group after the end");
	check_call_plan(d, t, ext, &plan);
}

static FZ_NO_COVERAGE void check_choice(const ph_devices_t *d,
		const fz_field_t *ext, const fz_field_t *list)
{
	const ph_device_t *first;
	const char *bad, *p, *end;
	size_t blen, names, n, i;
	ph_choice_result_t r;

	if(ext->s == NULL || list->s == NULL)
		return;
	r = ph_devices_check_choice(
			d, ext->s, ext->len, list->s, list->len, &bad, &blen, &names);
	n = ph_devices_of(d, ext->s, ext->len, &first);
	fz_check((n == 0) == (r == PH_CHOICE_NO_EXTENSION), "no extension: %d",
			(int)r);
	if(r == PH_CHOICE_NOT_A_DEVICE)
		fz_check(bad >= list->s && bad + blen <= list->s + list->len,
				"the bad name is not in the list");
	if(r != PH_CHOICE_OK || list->len == 0)
		return;
	/* every name a device of ext */
	for(p = list->s, end = list->s + list->len; p <= end;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t len = c ? (size_t)(c - p) : (size_t)(end - p);

		for(i = 0; i < n; i++) {
			if(first[i].device.len == len
					&& memcmp(first[i].device.s, p, len) == 0)
				break;
		}
		fz_check(i < n, "a good choice names no device");
		if(c == NULL)
			break;
		p = c + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_field_t f[5];
	fz_reader_t r;
	fz_alloc_t a;
	uint64_t mask;
	ph_table_t *t;
	ph_devices_t *d;
	size_t i, rows = 0, held = 0;

	fz_reader_init(&r, data, size, &mask);
	fz_alloc_init(&a, mask);
	t = ph_table_new(&ph_allocator_libc);
	fz_check(t != NULL, "no table");
	for(i = 0; i < sizeof(fixed_rows) / sizeof(fixed_rows[0]); i++) {
		ph_row_t row;

		row.extension = cfield(fixed_rows[i][0]);
		row.dialplan_number = cfield(fixed_rows[i][1]);
		row.conf_secret = cfield(fixed_rows[i][2]);
		row.protocol = cfield(fixed_rows[i][3]);
		row.active = cfield(fixed_rows[i][4]);
		row.server_ip = cfield(fixed_rows[i][5]);
		row.outbound_cid = cfield(fixed_rows[i][6]);
		ph_table_add_row(t, &row);
	}
	d = ph_devices_new(&a.allocator);
	if(d == NULL) {
		ph_table_free(t);
		fz_check(a.live == 0, "memory kept after a failed new");
		return 0;
	}
	while(!fz_reader_done(&r) && rows < 512) {
		int c = fz_reader_peek(&r);
		size_t n;

		memset(f, 0, sizeof(f));
		if(c == '?' || c == '=') {
			fz_reader_skip(&r, 1);
			n = fz_read_line(&r, f, 2);
			if(n && f[0].s && c == '?')
				check_plan(d, t, &f[0]);
			else if(n && c == '=')
				check_choice(d, &f[0], &f[1]);
		} else {
			ph_device_row_t row;
			ph_device_row_result_t res;

			n = fz_read_line(&r, f, 5);
			row.extension = f[0];
			row.device = f[1];
			row.position = f[2];
			row.ring_seconds = f[3];
			row.active = f[4];
			res = ph_devices_add_row(d, &row);
			fz_check((unsigned)res < PH_DEVICE_RESULT_COUNT, "result %d",
					(int)res);
			held += res == PH_DEVICE_LOADED || res == PH_DEVICE_INACTIVE;
			rows++;
			if(f[0].s && res != PH_DEVICE_NO_EXTENSION) {
				const ph_device_t *first;
				fz_check(ph_devices_of(d, f[0].s, f[0].len, &first)
								<= PH_MAX_DEVICES,
						"more than PH_MAX_DEVICES");
			}
		}
		for(i = 0; i < 5; i++)
			free((void *)f[i].s);
	}
	fz_check(ph_devices_count(d) == held, "%zu held, %zu counted",
			ph_devices_count(d), held);
	ph_devices_free(d);
	ph_table_free(t);
	fz_check(a.live == 0, "%zu blocks kept", a.live);
	return 0;
}
