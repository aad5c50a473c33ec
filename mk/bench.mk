# Benchmarks (included by the top Makefile).
#
#   make bench                 SIPp against the ceiling, the usual auth_db +
#                              sqlops + dialplan configuration and the phones
#                              module (SQLite and MariaDB), the core's
#                              microbenchmark, and 1M entries loaded from
#                              MariaDB; writes docs/benchmarks.md and .png
#   make bench BENCH_QUICK=1   the same, coarser: bench/run.sh in about 10
#                              minutes instead of about 30
#   make bench-micro           the microbenchmark alone
#   make bench-invite-cost     instructions per INVITE call, ceiling and
#                              module, q_malloc and TLSF (callgrind; part
#                              of make bench)
#   make bench-register-cost   instructions per REGISTER (challenge and
#                              answer) on bench/cfg/minimal.cfg, the cfg of
#                              bench-max-rate: ceiling and module, q_malloc
#                              and TLSF, and where the module's extra
#                              instructions go (callgrind; REGISTER_CALLS,
#                              default 500)
#   make bench-startup         start-up at -M 8 with 10k, 100k, 1M phones,
#                              SQLite and MariaDB (part of make bench)
#   make bench-max-rate        calls/s as fast as they complete, module
#                              and ceiling (part of make bench)
#   make bench-cache           cache misses of one lookup at 1k and 1M
#                              entries (cachegrind; part of make bench)
#   make bench-devices         a call ringing three devices: phones_devices()
#                              against the same fork in the cfg alone
#   make bench-provision       add_phone over one HTTP connection at 10k,
#                              200k and 1M phones, and SQLite start-up at -M 8
#   make bench-api-cost        instructions per add_phone in the proxy and
#                              statements per add (callgrind, SQLite and
#                              MariaDB)
#   make bench-persist         what surviving a restart costs: REGISTER and
#                              INVITE rates with usrloc in memory only
#                              (db_mode 0) against the shipped write-back to
#                              SQLite (db_mode 2), and kill -9 of a proxy
#                              holding 100,000 registrations: seconds until
#                              every phone is reachable (part of make bench)
#   make bench-cfg-cost        instructions per call of the dialer's flow
#                              through cfg/kamailio.cfg itself, and through it
#                              without the debugger module (callgrind)
#
# Everything runs on 127.0.0.1 and is started and stopped by bench/run.sh.

BENCH_DIR := $(BUILD)/bench
BENCH_MICRO := $(BENCH_DIR)/microbench
BENCH_CLOCK := $(BENCH_DIR)/sipp-clock.so

.PHONY: bench-cfg-cost
bench-cfg-cost: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	@mkdir -p $(BENCH_DIR)
	grep -v debugger cfg/kamailio.cfg >$(BENCH_DIR)/kamailio-no-debugger.cfg
	bench/cfg-cost.sh 200 cfg/kamailio.cfg $(BENCH_DIR)/kamailio-no-debugger.cfg

.PHONY: bench-api-cost
bench-api-cost: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	bench/api-cost.sh

.PHONY: bench bench-deps bench-micro bench-invite-cost bench-register-cost bench-startup bench-max-rate bench-cache bench-devices bench-provision bench-persist

bench-deps: deps
	@bench/install-deps.sh

$(BENCH_MICRO): bench/microbench.c $(call core_lib,plain) $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -O2 -o $@ bench/microbench.c $(call core_lib,plain) $(CORE_LIBS)

$(BENCH_CLOCK): bench/sipp-clock.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -shared -fPIC -o $@ $< -ldl

bench-micro: $(BENCH_MICRO)
	$(BENCH_MICRO) $(if $(BENCH_QUICK),-q)

bench-invite-cost: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	bench/invite-cost.sh

bench-register-cost: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	bench/register-cost.sh $(REGISTER_CALLS)

bench-startup: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	bench/startup.sh

bench-max-rate: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	bench/max-rate.sh

bench-cache: bench-deps $(BENCH_MICRO)
	bench/cache-misses.sh $(BENCH_MICRO)

bench: bench-deps
	@$(MAKE) --no-print-directory $(MODULE) $(BENCH_MICRO) $(BENCH_CLOCK)
	BENCH_QUICK=$(BENCH_QUICK) bench/run.sh
	BENCH_QUICK=$(BENCH_QUICK) bench/devices.sh
	BENCH_QUICK=$(BENCH_QUICK) bench/provision.sh
	BENCH_QUICK=$(BENCH_QUICK) bench/persist.sh

bench-devices: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	BENCH_QUICK=$(BENCH_QUICK) bench/devices.sh

bench-provision: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	BENCH_QUICK=$(BENCH_QUICK) bench/provision.sh

bench-persist: bench-deps
	@$(MAKE) --no-print-directory $(MODULE)
	BENCH_QUICK=$(BENCH_QUICK) bench/persist.sh
