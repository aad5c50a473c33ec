# Fuzzing: libFuzzer harnesses of the core's entry points that take outside
# input, built with ASan and UBSan, then sip_cfg_fuzz, a black-box fuzzer of
# cfg/kamailio.cfg's routing against a real kamailio with the built module
# (see tests/fuzz/README.md). Included by the top-level Makefile, which
# defines BUILD, MODULE, CORE_HDRS and CORE_LIBS, and mk/core.mk core_lib.
#
#   make fuzz                 each harness FUZZ_SECONDS (60) on a copy of its seeds
#   make fuzz FUZZ_SECONDS=600
#   make fuzz-short           10 seconds each, for the test suite
#   make fuzz-sip             sip_cfg_fuzz alone, FUZZ_SECONDS
#
# Each run ends with one line per harness ("fuzz_trunk: N runs ..., no
# crash"); any crash or sanitizer report fails the target (after all the
# harnesses ran) and names the input that reproduces it.

FUZZ_SECONDS ?= 60
FUZZ_SHORT_SECONDS ?= 10
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -Wall -Wextra -Werror \
	-Iinclude -DPCRE2_CODE_UNIT_WIDTH=8

# harness:-max_len; rows and rules are lines of text, a trunk is one
# (PH_MAX_TRUNK is 255: a little more, to reach the refusal); the store's
# operations are 2 bytes: 1024 is about 500 of them, enough for long
# chains of references without slowing each run; an API change is 4
# bytes: 512 is about 130 requests, long enough for reloads and changes
# to interleave
FUZZ_HARNESSES := fuzz_phone_row:4096 fuzz_rules:2048 fuzz_trunk:300 \
	fuzz_route_check:2048 fuzz_api_request:4200 fuzz_call_route:4096 \
	fuzz_lockout:1200 fuzz_devices:4096 fuzz_store:1024 \
	fuzz_change_apply:512 fuzz_cluster_msg:600 fuzz_challenges:1200
FUZZ_BINS := $(foreach h,$(FUZZ_HARNESSES),$(BUILD)/fuzz/$(firstword $(subst :, ,$(h))))

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(call core_lib,fuzz) \
		$(CORE_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(call core_lib,fuzz) $(CORE_LIBS)

# sip_cfg_fuzz: the known issues of the cfg that it counts in its summary
# line instead of failing (tests/fuzz/README.md, "Known issues"): take one
# out once it is fixed. SIP_CFG_FUZZ_FLAGS: more options (--seed=N ...).
# Under CI (CI set) one seed, so that a landing is not decided by the
# stream a random seed draws (seed 1199463426 once crashed the harness);
# make fuzz, and make test by hand, draw a new seed each run.
SIP_CFG_FUZZ_KNOWN ?=
SIP_CFG_FUZZ_FLAGS ?= $(if $(CI),--seed 1199463426)
SIP_CFG_FUZZ = tests/fuzz/sip_cfg_fuzz.sh $(1) --known=$(SIP_CFG_FUZZ_KNOWN) \
	$(SIP_CFG_FUZZ_FLAGS)

# $(1): seconds per harness
define fuzz_run
	@rc=0; for h in $(FUZZ_HARNESSES); do \
		tests/fuzz/run.sh $(BUILD)/fuzz/$${h%%:*} $(1) $${h#*:} || rc=1; \
	done; \
	$(call SIP_CFG_FUZZ,$(1)) || rc=1; \
	exit $$rc
endef

.PHONY: fuzz fuzz-short fuzz-sip
fuzz: $(FUZZ_BINS) $(MODULE)
	$(call fuzz_run,$(FUZZ_SECONDS))

fuzz-short: $(FUZZ_BINS) $(MODULE)
	$(call fuzz_run,$(FUZZ_SHORT_SECONDS))

fuzz-sip: $(MODULE)
	@$(call SIP_CFG_FUZZ,$(FUZZ_SECONDS))
