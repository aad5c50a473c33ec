/*
 * kamailio-phones: unit tests of the devices of an extension and the plan
 * of a call to it (core/devices.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "unit.h"

#include "phones/devices.h"

static ph_device_row_t drow(const char *ext, const char *device,
		const char *position, const char *ring, const char *active)
{
	ph_device_row_t r;

	r.extension = unit_field(ext);
	r.device = unit_field(device);
	r.position = unit_field(position);
	r.ring_seconds = unit_field(ring);
	r.active = unit_field(active);
	return r;
}

static ph_device_row_result_t add(ph_devices_t *d, const char *ext,
		const char *device, const char *position, const char *ring,
		const char *active)
{
	ph_device_row_t r = drow(ext, device, position, ring, active);

	return ph_devices_add_row(d, &r);
}

static ph_table_t *phones(void)
{
	ph_table_t *t = ph_table_new(&ph_allocator_libc);
	ph_row_t rows[] = {
			unit_row("t100", "7100", "pw", "SIP", "Y", "127.0.0.2", "1"),
			unit_row("t101", "7101", "pw", "PJSIP", "Y", "127.0.0.2", "1"),
			unit_row("x200", "913125550200", "pw", "EXTERNAL", "Y",
					"127.0.0.2", "1"),
			unit_row("t300", "7300", "pw", "SIP", "N", "127.0.0.2", "1"),
			unit_row("i500", "7500", "pw", "IAX2", "Y", "127.0.0.2", "1"),
			unit_row("amb", "7600", "a", "SIP", "Y", "127.0.0.2", "1"),
			unit_row("amb", "7601", "b", "SIP", "Y", "127.0.0.3", "1"),
	};
	size_t i;

	assert_non_null(t);
	for(i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		ph_table_add_row(t, &rows[i]);
	return t;
}

static void test_rows(void **state)
{
	ph_devices_t *d = ph_devices_new(&ph_allocator_libc);
	char ext[120];

	(void)state;
	assert_int_equal(add(d, "8001", "t100", "1", "20", "Y"), PH_DEVICE_LOADED);
	assert_int_equal(add(d, "8001", "t101", "1", "20", "N"), PH_DEVICE_INACTIVE);
	assert_int_equal(add(d, NULL, "t100", "1", "20", "Y"), PH_DEVICE_NO_EXTENSION);
	assert_int_equal(add(d, "", "t100", "1", "20", "Y"), PH_DEVICE_NO_EXTENSION);
	assert_int_equal(add(d, "80 01", "t100", "1", "20", "Y"), PH_DEVICE_NO_EXTENSION);
	memset(ext, '8', 101);
	ext[101] = '\0';
	assert_int_equal(add(d, ext, "t100", "1", "20", "Y"), PH_DEVICE_NO_EXTENSION);
	assert_int_equal(add(d, "8001", NULL, "1", "20", "Y"), PH_DEVICE_NO_DEVICE);
	assert_int_equal(add(d, "8001", "a<b", "1", "20", "Y"), PH_DEVICE_NO_DEVICE);
	assert_int_equal(add(d, "8001", "t102", "0", "20", "Y"), PH_DEVICE_BAD_POSITION);
	assert_int_equal(add(d, "8001", "t102", "-1", "20", "Y"), PH_DEVICE_BAD_POSITION);
	assert_int_equal(add(d, "8001", "t102", "1x", "20", "Y"), PH_DEVICE_BAD_POSITION);
	assert_int_equal(add(d, "8001", "t102", NULL, "20", "Y"), PH_DEVICE_BAD_POSITION);
	assert_int_equal(add(d, "8001", "t102", "1001", "20", "Y"), PH_DEVICE_BAD_POSITION);
	assert_int_equal(add(d, "8001", "t102", "1", "0", "Y"), PH_DEVICE_BAD_RING);
	assert_int_equal(add(d, "8001", "t102", "1", "601", "Y"), PH_DEVICE_BAD_RING);
	assert_int_equal(add(d, "8001", "t102", "1", "", "Y"), PH_DEVICE_BAD_RING);
	assert_int_equal(add(d, "8001", "t100", "2", "10", "Y"), PH_DEVICE_DUPLICATE);
	assert_int_equal(ph_devices_count(d), 2);
	assert_string_equal(ph_device_row_result_name(PH_DEVICE_BAD_RING), "bad_ring");
	ph_devices_free(d);
}

/* Rows of one extension in position order, load order within one. */
static void test_order(void **state)
{
	ph_devices_t *d = ph_devices_new(&ph_allocator_libc);
	const ph_device_t *first;
	char dev[16];
	int i;

	(void)state;
	add(d, "8001", "c", "3", "5", "Y");
	add(d, "8002", "z", "1", "5", "Y");
	add(d, "8001", "a", "1", "5", "Y");
	add(d, "8000", "y", "1", "5", "Y");
	add(d, "8001", "b", "1", "5", "Y");
	add(d, "8001", "d", "2", "5", "Y");
	assert_int_equal(ph_devices_of(d, "8001", 4, &first), 4);
	assert_memory_equal(first[0].device.s, "a", 1);
	assert_memory_equal(first[1].device.s, "b", 1);
	assert_memory_equal(first[2].device.s, "d", 1);
	assert_memory_equal(first[3].device.s, "c", 1);
	assert_int_equal(ph_devices_of(d, "800", 3, &first), 0);
	assert_null(first);
	assert_int_equal(ph_devices_of(d, "80011", 5, &first), 0);
	assert_int_equal(ph_devices_of(d, "8002", 4, &first), 1);
	/* at most PH_MAX_DEVICES of one extension */
	for(i = 0; i < PH_MAX_DEVICES; i++) {
		snprintf(dev, sizeof(dev), "d%d", i);
		assert_int_equal(add(d, "9000", dev, "1", "5", "Y"), PH_DEVICE_LOADED);
	}
	assert_int_equal(add(d, "9000", "one-more", "1", "5", "Y"), PH_DEVICE_TOO_MANY);
	assert_int_equal(ph_devices_count(d), 6 + PH_MAX_DEVICES);
	assert_non_null(ph_devices_at(d, 0));
	assert_null(ph_devices_at(d, 6 + PH_MAX_DEVICES));
	ph_devices_free(d);
}

/* What each kind of device rings. */
static void test_targets(void **state)
{
	ph_table_t *t = phones();
	ph_devices_t *d = ph_devices_new(&ph_allocator_libc);
	ph_plan_t plan;
	const char *devs[] = {"t100", "t101", "x200", "t300", "i500", "amb",
			"+4420794600", "0049301234", "nobody", "off"};
	ph_target_kind_t kinds[] = {PH_TARGET_CONTACTS, PH_TARGET_CONTACTS,
			PH_TARGET_NUMBER, PH_TARGET_SKIP, PH_TARGET_SKIP, PH_TARGET_SKIP,
			PH_TARGET_NUMBER, PH_TARGET_NUMBER, PH_TARGET_SKIP};
	size_t i;

	(void)state;
	for(i = 0; i < 9; i++)
		add(d, "8001", devs[i], "1", "10", "Y");
	add(d, "8001", devs[9], "1", "10", "N");
	assert_int_equal(ph_devices_plan(d, t, PH_PROTO_SET_DEFAULT_REGISTER,
							 "8001", 4, &plan),
			9);
	for(i = 0; i < 9; i++) {
		assert_int_equal(plan.steps[i].kind, kinds[i]);
		assert_memory_equal(plan.steps[i].device->device.s, devs[i],
				strlen(devs[i]));
	}
	assert_memory_equal(plan.steps[0].target.s, "t100", 4);
	assert_memory_equal(plan.steps[2].target.s, "913125550200", 12);
	assert_memory_equal(plan.steps[6].target.s, "+4420794600", 11);
	/* PJSIP does not register when only SIP does */
	assert_int_equal(ph_devices_plan(d, t, PH_PROTO_BIT(PH_PROTO_SIP), "8001",
							 4, &plan),
			9);
	assert_int_equal(plan.steps[1].kind, PH_TARGET_SKIP);
	assert_int_equal(ph_devices_plan(d, t, PH_PROTO_SET_DEFAULT_REGISTER,
							 "none", 4, &plan),
			0);
	ph_devices_free(d);
	ph_table_free(t);
}

/* Groups: one position at a time, rung for the longest ring time of the
 * devices that can ring. */
static void test_groups(void **state)
{
	ph_table_t *t = phones();
	ph_devices_t *d = ph_devices_new(&ph_allocator_libc);
	ph_plan_t plan;
	uint32_t ring;

	(void)state;
	add(d, "8001", "t100", "1", "20", "Y");
	add(d, "8001", "t101", "1", "30", "Y");
	add(d, "8001", "x200", "2", "15", "Y");
	add(d, "8001", "t300", "3", "40", "N");
	add(d, "8001", "0049301234", "4", "25", "Y");
	assert_int_equal(ph_devices_plan(d, t, PH_PROTO_SET_DEFAULT_REGISTER,
							 "8001", 4, &plan),
			4);
	assert_int_equal(ph_plan_group(&plan, 0, 3, &ring), 2);
	assert_int_equal(ring, 30);
	/* t101 not registered: t100's time only */
	assert_int_equal(ph_plan_group(&plan, 0, 1, &ring), 2);
	assert_int_equal(ring, 20);
	assert_int_equal(ph_plan_group(&plan, 0, 0, &ring), 2);
	assert_int_equal(ring, 0);
	assert_int_equal(ph_plan_group(&plan, 2, 1, &ring), 1);
	assert_int_equal(ring, 15);
	/* the inactive position 3 is not in the plan */
	assert_int_equal(ph_plan_group(&plan, 3, 1, &ring), 1);
	assert_int_equal(ring, 25);
	assert_int_equal(plan.steps[3].device->position, 4);
	assert_int_equal(ph_plan_group(&plan, 4, 1, &ring), 0);
	ph_devices_free(d);
	ph_table_free(t);
}

static ph_choice_result_t choose(ph_devices_t *d, const char *ext,
		const char *list, const char **bad, size_t *blen, size_t *n)
{
	return ph_devices_check_choice(
			d, ext, strlen(ext), list, strlen(list), bad, blen, n);
}

static void test_choice(void **state)
{
	ph_devices_t *d = ph_devices_new(&ph_allocator_libc);
	const char *bad;
	size_t blen, n;

	(void)state;
	add(d, "8001", "t100", "1", "20", "Y");
	add(d, "8001", "t101", "1", "20", "N");
	add(d, "8001", "0049301234", "2", "20", "Y");
	add(d, "8002", "t102", "1", "20", "Y");
	assert_int_equal(choose(d, "8001", "t101", &bad, &blen, &n), PH_CHOICE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(choose(d, "8001", "t101,0049301234,t100", &bad, &blen, &n),
			PH_CHOICE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(choose(d, "8001", "", &bad, &blen, &n), PH_CHOICE_OK);
	assert_int_equal(n, 0);
	assert_int_equal(choose(d, "8003", "t100", &bad, &blen, &n),
			PH_CHOICE_NO_EXTENSION);
	/* a device of another extension is not one of this one's */
	assert_int_equal(choose(d, "8001", "t100,t102", &bad, &blen, &n),
			PH_CHOICE_NOT_A_DEVICE);
	assert_int_equal(blen, 4);
	assert_memory_equal(bad, "t102", 4);
	assert_int_equal(choose(d, "8001", "t10", &bad, &blen, &n),
			PH_CHOICE_NOT_A_DEVICE);
	assert_int_equal(choose(d, "8001", "t100,", &bad, &blen, &n),
			PH_CHOICE_MALFORMED);
	assert_int_equal(choose(d, "8001", ",t100", &bad, &blen, &n),
			PH_CHOICE_MALFORMED);
	assert_int_equal(choose(d, "8001", "t100,,t101", &bad, &blen, &n),
			PH_CHOICE_MALFORMED);
	assert_int_equal(choose(d, "8001", "t100,t100", &bad, &blen, &n),
			PH_CHOICE_MALFORMED);
	ph_devices_free(d);
}

static void test_no_memory(void **state)
{
	unit_alloc_t a;
	ph_devices_t *d;
	long budget;
	char dev[16];
	int i, failed = 0;

	(void)state;
	for(budget = 0; budget < 8; budget++) {
		unit_alloc_init(&a, budget);
		d = ph_devices_new(&a.allocator);
		if(d == NULL) {
			assert_int_equal(a.live, 0);
			continue;
		}
		for(i = 0; i < 100; i++) {
			snprintf(dev, sizeof(dev), "d%d", i);
			if(add(d, i < 50 ? "8001" : "8002", dev, "1", "5", "Y")
					== PH_DEVICE_NO_MEMORY)
				failed++;
		}
		ph_devices_free(d);
		assert_int_equal(a.live, 0);
	}
	assert_true(failed > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_rows),
			cmocka_unit_test(test_order),
			cmocka_unit_test(test_targets),
			cmocka_unit_test(test_groups),
			cmocka_unit_test(test_choice),
			cmocka_unit_test(test_no_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
