# Tests: cmocka unit tests of the core (plain, and under ASan+UBSan) and
# integration tests that run the real kamailio, SQLite, MariaDB and SIPp.
# Included by the top-level Makefile.

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_PLAIN := $(patsubst tests/unit/%.c,$(BUILD)/unit/plain/%,$(UNIT_SRCS))
UNIT_SAN := $(patsubst tests/unit/%.c,$(BUILD)/unit/san/%,$(UNIT_SRCS))

$(BUILD)/unit/plain/%: tests/unit/%.c $(call core_lib,plain) $(CORE_HDRS) tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -Itests/unit -o $@ $< $(call core_lib,plain) -lcmocka $(CORE_LIBS)

$(BUILD)/unit/san/%: tests/unit/%.c $(call core_lib,san) $(CORE_HDRS) tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(SAN_FLAGS) -Itests/unit -o $@ $< $(call core_lib,san) -lcmocka $(CORE_LIBS)

# The tests that run threads, also under ThreadSanitizer.
UNIT_THREADS := $(BUILD)/unit/tsan/test_table_layers \
	$(BUILD)/unit/tsan/test_reload_guard $(BUILD)/unit/tsan/test_store_stress

$(BUILD)/unit/tsan/%: tests/unit/%.c $(call core_lib,tsan) $(CORE_HDRS) tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(TSAN_FLAGS) -Itests/unit -o $@ $< $(call core_lib,tsan) -lcmocka $(CORE_LIBS)

.PHONY: unit unit-san unit-tsan integration integration-sqlite integration-mariadb \
	package-test test-trixie
unit: $(UNIT_PLAIN)
	@set -e; for t in $^; do echo "== $$t"; $$t; done

unit-san: $(UNIT_SAN)
	@set -e; for t in $^; do echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $$t; done

unit-tsan: $(UNIT_THREADS)
	@set -e; for t in $^; do echo "== $$t"; TSAN_OPTIONS=halt_on_error=1 $$t; done

integration-sqlite: $(MODULE)
	tests/integration/run.sh sqlite

integration-mariadb: $(MODULE)
	tests/integration/run.sh mariadb

integration: integration-sqlite integration-mariadb

# The Debian package (make deb, lintian, dpkg -x, a phone registering
# through it), then the container image built from it (skipped, saying
# why, where podman cannot build or run it).
package-test:
	tests/package/run.sh
	tests/package/container.sh

# On Debian 12: the unit tests, both integration suites and the package test
# again, against Debian 13's kamailio 6.0, in a Debian 13 root of their own
# network namespace (tests/trixie/run.sh says how; "trixie STEP: N passed,
# M failed"). TRIXIE_STEPS: some of unit sqlite mariadb package.
TRIXIE_STEPS ?=
test-trixie:
	tests/trixie/run.sh $(TRIXIE_STEPS)

test: deps
	@$(MAKE) --no-print-directory unit unit-san unit-tsan fuzz-short integration package-test \
		test-trixie
