# kamailio-phones
#
#   make            build modules/phones/phones.so for the installed kamailio
#   make deb        build the Debian package kamailio-phones-modules into build/deb/
#   make run        set up everything, then run the proxy on 127.0.0.1:5060
#                   (TLS on 5061, ws:// on 8090)
#   make test       set up everything, then run every test
#   make clean
#
# Kamailio's headers come from Debian's source package of the installed
# kamailio, fetched into build/ (nothing of Kamailio is kept in this tree).

SHELL := /bin/bash
BUILD := build
KAMAILIO_DIR := $(BUILD)/kamailio
KAMAILIO_MK := $(KAMAILIO_DIR)/kamailio.mk

MODULE := modules/phones/phones.so
CORE_SRCS := $(wildcard modules/phones/core/*.c)
MOD_SRCS := $(wildcard modules/phones/*.c)
CORE_HDRS := $(wildcard include/phones/*.h)
MOD_HDRS := $(wildcard modules/phones/*.h)

CC ?= cc
OPT ?= -O2 -g
CORE_CFLAGS := -std=gnu11 $(OPT) -Wall -Wextra -Werror -Iinclude \
	-DPCRE2_CODE_UNIT_WIDTH=8
CORE_LIBS := -lpcre2-8 -lcrypt
# Kamailio's libraries, as Debian installs them (the db modules link srdb1).
KAMAILIO_LIBDIR ?= /usr/lib/$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio
MOD_LDFLAGS := -shared -pthread -L$(KAMAILIO_LIBDIR) -Wl,-rpath,$(KAMAILIO_LIBDIR) -lsrdb1 \
	$(CORE_LIBS)
# The Kamailio layer: -Wall -Wextra -Werror as the core, but for the four
# warnings Kamailio's own headers raise (they include each other by
# relative paths, so -isystem cannot quiet them).
KAMAILIO_HEADER_WARNINGS = -Wno-sign-compare -Wno-unused-parameter \
	-Wno-old-style-declaration -Wno-cast-function-type
MOD_CFLAGS = -std=gnu11 -fPIC -DPIC $(OPT) -Wall -Wextra -Werror \
	$(KAMAILIO_HEADER_WARNINGS) $(KAMAILIO_DEFS) \
	-DMOD_NAME='"phones"' -I$(KAMAILIO_SRC)/src -Iinclude

.PHONY: all deps deb run test clean
all: $(MODULE)

# Packages: installs only what is missing (needs root then). DEPS=build:
# only what building the module and its package needs.
DEPS ?=
deps:
	@scripts/install-deps.sh $(DEPS)

include mk/core.mk

ifeq (,$(filter clean deps,$(MAKECMDGOALS)))
-include $(KAMAILIO_MK)
endif

$(KAMAILIO_MK): scripts/kamailio-src.sh mk/kamailio-defs.mk | deps
	scripts/kamailio-src.sh $(KAMAILIO_DIR)

# The module loads only if its version and flags strings are the core's.
$(KAMAILIO_DIR)/version-check: tools/kamailio-version.c $(KAMAILIO_MK)
	$(CC) $(MOD_CFLAGS) -o $(KAMAILIO_DIR)/kamailio-version $<
	@$(KAMAILIO_DIR)/kamailio-version > $@.module
	@kamailio -v | sed -n '1,2{s/ *$$//;p}' > $@.core
	@if ! diff -u $@.core $@.module; then \
		echo "module version/flags would not match the installed kamailio" >&2; \
		exit 1; fi
	@mv $@.module $@

$(BUILD)/module/%.o: modules/phones/%.c $(MOD_HDRS) $(CORE_HDRS) $(KAMAILIO_MK)
	@mkdir -p $(@D)
	$(CC) $(MOD_CFLAGS) -c -o $@ $<

MODULE_OBJS := $(patsubst modules/phones/%.c,$(BUILD)/module/%.o,$(MOD_SRCS))

$(MODULE): $(MODULE_OBJS) $(call core_lib,plain) $(KAMAILIO_DIR)/version-check Makefile
	@mkdir -p $(@D)
	$(CC) -o $@ $(MODULE_OBJS) $(call core_lib,plain) $(MOD_LDFLAGS) $(LDFLAGS)

# The Debian package (debian/), built with debhelper into build/deb/: it
# reuses build/ (Kamailio's headers, the objects above) and links its own
# phones.so there, leaving $(MODULE) alone. debian/rules' clean keeps build/.
DEB_DIR := $(BUILD)/deb
deb:
	dpkg-buildpackage -b --no-sign \
		--buildinfo-file=$(DEB_DIR)/kamailio-phones.buildinfo \
		--changes-file=$(DEB_DIR)/kamailio-phones.changes \
		--buildinfo-option=-u$(DEB_DIR) --changes-option=-u$(DEB_DIR)
	@ls $(DEB_DIR)/*.deb

# The embedded default database: VICIdial's phones table and our routing
# rules in SQLite, with a few samples, created once (an existing file is
# kept as it is).
RUN_DB ?= /var/lib/kamailio/phones.sqlite
RUN_CTL ?= /run/kamailio/kamailio_ctl
KAMAILIO_MODULES := $(KAMAILIO_LIBDIR)/modules

RUN_DB_SQL := db/phones-sqlite.sql db/sample-phones.sql \
	db/phone-routes-sqlite.sql db/sample-routes-sqlite.sql \
	db/phone-devices-sqlite.sql \
	db/vicidial-sqlite.sql db/sample-vicidial.sql db/location-sqlite.sql

$(RUN_DB): $(RUN_DB_SQL) db/upgrade-sqlite.sh
	@mkdir -p $(@D)
	@if [ -s $@ ]; then echo "keeping the existing $@ (adding phone_routes if missing)"; \
		cat db/phone-routes-sqlite.sql db/phone-devices-sqlite.sql db/location-sqlite.sql \
			db/vicidial-sqlite.sql | sqlite3 -bail $@ && \
		db/upgrade-sqlite.sh $@ && touch $@; else \
		rm -f $@.new && cat $(RUN_DB_SQL) | sqlite3 -bail $@.new && \
		mv $@.new $@ && \
		echo "created $@ with the sample phones and routes of db/"; fi

# TLS (and wss://) with a self-signed pair made once; a real certificate
# put in its place is kept.
RUN_TLS_CERT ?= /etc/kamailio/phones-tls.crt
RUN_TLS_KEY ?= /etc/kamailio/phones-tls.key

run: deps
	@$(MAKE) --no-print-directory $(MODULE) $(RUN_DB)
	@mkdir -p $(dir $(RUN_CTL))
	@scripts/tls-selfsigned.sh $(RUN_TLS_CERT) $(RUN_TLS_KEY)
	kamailio -DD -E -x tlsf -f cfg/kamailio.cfg -L modules/phones:$(KAMAILIO_MODULES) \
		-A WITH_TLS -A 'TLS_CERT="$(RUN_TLS_CERT)"' -A 'TLS_KEY="$(RUN_TLS_KEY)"' \
		-A WITH_WEBSOCKET \
		-A 'PHONES_DB_URL="sqlite://$(RUN_DB)"' -A 'CTL_SOCKET="unix:$(RUN_CTL)"' \
		-A 'DS_LIST="$(CURDIR)/cfg/dispatcher.list"' \
		-A 'ADDRESS_LIST="$(CURDIR)/cfg/address.list"'

include tests/tests.mk
# Fuzzing (make fuzz) and benchmarks (make bench), each in a file of its own.
-include mk/fuzz.mk
-include mk/bench.mk

clean:
	rm -rf $(BUILD) $(MODULE) debian/.debhelper debian/kamailio-phones-modules \
		debian/debhelper-build-stamp debian/files debian/*.debhelper.log \
		debian/*.substvars
