# kamailio-phones
#
#   make            build modules/phones/phones.so for the installed kamailio
#   make deb        build the Debian package kamailio-phones-modules into build/deb/
#   make run        set up everything, then run the proxy on 127.0.0.1:5060
#                   (TLS on 5061, ws:// on 8090)
#   make test       set up everything, then run every test (then the Debian 13
#                   ones, make test-trixie, on a Debian 12 machine)
#   make KAMAILIO_SRC=<tree>  build build/kamailio-tree/phones.so against a
#                   Kamailio source tree of one's own (5.6, 5.7, 5.8, 6.0)
#   make clean
#
# Kamailio's headers come from Debian's source package of the installed
# kamailio, fetched into build/ (nothing of Kamailio is kept in this tree).

SHELL := /bin/bash
BUILD := build
KAMAILIO_DIR := $(BUILD)/kamailio
KAMAILIO_MK := $(KAMAILIO_DIR)/kamailio.mk
MODULE := modules/phones/phones.so
MOD_OBJ_DIR := $(BUILD)/module
# The kamailio whose version and flags strings the module must carry.
KAMAILIO_BIN ?= kamailio

# make KAMAILIO_SRC=<tree>: against a Kamailio source tree of one's own
# (5.6 to 6.0), configured by Kamailio's `make cfg` (its src/config.mak
# gives the defines) or not (Kamailio's defaults), instead of Debian's
# source package of the installed kamailio. Headers, defines, objects and
# the module apart, under build/kamailio-tree/; checked against the tree's
# own src/kamailio when it is built (KAMAILIO_BIN=... for an installed one).
ifeq ($(origin KAMAILIO_SRC),command line)
KAMAILIO_TREE := $(abspath $(KAMAILIO_SRC))
KAMAILIO_DIR := $(BUILD)/kamailio-tree
KAMAILIO_MK := $(KAMAILIO_DIR)/kamailio.mk
MODULE := $(KAMAILIO_DIR)/phones.so
MOD_OBJ_DIR := $(KAMAILIO_DIR)/module
KAMAILIO_BIN := $(or $(wildcard $(KAMAILIO_TREE)/src/kamailio),$(filter-out kamailio,$(KAMAILIO_BIN)))
# libsrdb1 of a tree built with make (KAMAILIO_LIBDIR=<its installed
# directory>, e.g. /usr/local/lib64/kamailio, for an installed one).
KAMAILIO_LIBDIR ?= $(KAMAILIO_TREE)/src/lib/srdb1
# Another tree than last time: start its build anew.
ifneq ($(KAMAILIO_TREE),$(shell cat $(KAMAILIO_DIR)/tree 2>/dev/null))
$(shell rm -rf $(KAMAILIO_DIR))
endif
endif

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
# Kamailio 6.0 (Debian 13's) has no libsrdb1: its database API is built
# into the kamailio binary, which the module's symbols resolve to.
KAMAILIO_LIBDIR ?= /usr/lib/$(shell dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)/kamailio
SRDB1_LIB = $(if $(wildcard $(KAMAILIO_LIBDIR)/libsrdb1.so*),-L$(KAMAILIO_LIBDIR) -Wl$(comma)-rpath$(comma)$(KAMAILIO_LIBDIR) -lsrdb1)
comma := ,
MOD_LDFLAGS = -shared -pthread $(SRDB1_LIB) $(CORE_LIBS)
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

ifdef KAMAILIO_TREE
$(KAMAILIO_MK): mk/kamailio-defs.mk
	@test -f $(KAMAILIO_TREE)/src/core/ver_defs.h || \
		{ echo "KAMAILIO_SRC=$(KAMAILIO_SRC) is not a Kamailio source tree" >&2; exit 1; }
	@mkdir -p $(@D)
	$(MAKE) -s -f mk/kamailio-defs.mk KSRC=$(KAMAILIO_TREE) OUT=$@.tmp \
		FLAVOUR=kamailio all
	@printf 'KAMAILIO_SRC := %s\n' $(KAMAILIO_TREE) >$@
	@cat $@.tmp >>$@ && rm -f $@.tmp
	@echo $(KAMAILIO_TREE) >$(KAMAILIO_DIR)/tree
else
$(KAMAILIO_MK): scripts/kamailio-src.sh mk/kamailio-defs.mk | deps
	scripts/kamailio-src.sh $(KAMAILIO_DIR)
endif

# The module loads only if its version and flags strings are the core's
# (the version line up to its closing parenthesis: a kamailio built from git
# adds its commit after it).
VERSION_LINES := sed -n '1{s/).*/)/;p};2{s/ *$$//;p}'
$(KAMAILIO_DIR)/version-check: tools/kamailio-version.c $(KAMAILIO_MK)
	$(CC) $(MOD_CFLAGS) -o $(KAMAILIO_DIR)/kamailio-version $<
	@$(KAMAILIO_DIR)/kamailio-version | $(VERSION_LINES) > $@.module
	@if [ -z "$(KAMAILIO_BIN)" ]; then \
		echo "note: no kamailio built in $(KAMAILIO_TREE)/src: version/flags not checked (KAMAILIO_BIN=...)"; \
		$(VERSION_LINES) $@.module >$@.core; \
	else $(KAMAILIO_BIN) -v | $(VERSION_LINES) > $@.core; fi
	@if ! diff -u $@.core $@.module; then \
		echo "module version/flags would not match $(KAMAILIO_BIN)" >&2; \
		exit 1; fi
	@mv $@.module $@

$(MOD_OBJ_DIR)/%.o: modules/phones/%.c $(MOD_HDRS) $(CORE_HDRS) $(KAMAILIO_MK)
	@mkdir -p $(@D)
	$(CC) $(MOD_CFLAGS) -c -o $@ $<

MODULE_OBJS := $(patsubst modules/phones/%.c,$(MOD_OBJ_DIR)/%.o,$(MOD_SRCS))

$(MODULE): $(MODULE_OBJS) $(call core_lib,plain) $(KAMAILIO_DIR)/version-check Makefile
	@mkdir -p $(@D)
	@if [ -n "$(filter -DVERSIONVAL=5%,$(KAMAILIO_DEFS))" ] && [ -z "$(SRDB1_LIB)" ]; then \
		echo "Kamailio 5.x: no libsrdb1.so in $(KAMAILIO_LIBDIR), which the module must link" \
			"(KAMAILIO_LIBDIR=<the directory of the kamailio's libsrdb1.so>)" >&2; exit 1; fi
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
	@echo "SIP on 127.0.0.1: UDP and TCP 5060, TLS 5061, ws:// 8090, wss:// 8089; HTTP 8080"
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
