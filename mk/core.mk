# The host-independent core (modules/phones/core/), compiled once per kind
# of build into a static library that the module, the unit tests, the
# fuzzers and the microbenchmark link. Included by the top Makefile, which
# defines BUILD, CC, CORE_SRCS, CORE_HDRS and CORE_CFLAGS.
#
#   $(call core_lib,plain)   -fPIC, as the module needs: the module, the
#                            plain unit tests and the microbenchmark
#   $(call core_lib,san)     AddressSanitizer + UndefinedBehaviorSanitizer
#   $(call core_lib,tsan)    ThreadSanitizer
#   $(call core_lib,fuzz)    clang, libFuzzer's coverage, ASan + UBSan

core_lib = $(BUILD)/core/$(1)/libphones-core.a
core_objs = $(patsubst modules/phones/core/%.c,$(BUILD)/core/$(1)/%.o,$(CORE_SRCS))

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
TSAN_FLAGS := -O1 -g -fsanitize=thread
FUZZ_CC ?= clang
FUZZ_SAN_FLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

$(BUILD)/core/plain/%.o: modules/phones/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/core/san/%.o: modules/phones/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

$(BUILD)/core/tsan/%.o: modules/phones/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CORE_CFLAGS) $(TSAN_FLAGS) -c -o $@ $<

$(BUILD)/core/fuzz/%.o: modules/phones/core/%.c $(CORE_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CORE_CFLAGS) $(FUZZ_SAN_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

# A source taken out of the core leaves no object behind in the archive.
define core_archive
$(call core_lib,$(1)): $(call core_objs,$(1))
	@rm -f $$@
	ar rcs $$@ $$^
endef
$(foreach k,plain san tsan fuzz,$(eval $(call core_archive,$(k))))
