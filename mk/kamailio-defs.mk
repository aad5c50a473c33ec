# Writes the C defines Kamailio's own build gives its modules, as make
# syntax, to $(OUT). Run with KSRC set to the unpacked source package:
#   make -f mk/kamailio-defs.mk KSRC=... OUT=... FLAVOUR=kamailio ...
# Kamailio's Makefile.defs computes them (C_DEFS, and the pthread mutex
# options when LIBSSL_SET_MUTEX_SHARED=1); $(file) keeps their quoting.
# A tree configured by Kamailio's own `make cfg` (src/config.mak, as for
# make KAMAILIO_SRC=<tree>) gives the defines saved there instead, so the
# module gets the options its kamailio was built with.
COREPATH := $(KSRC)/src
# As the main makefile does, so that no config.mak is needed.
main_makefile := 1
ifneq (,$(wildcard $(KSRC)/src/config.mak))
include $(KSRC)/src/config.mak
else
include $(KSRC)/src/Makefile.defs
endif
$(file >$(OUT),KAMAILIO_DEFS := $(C_DEFS) $(CC_PMUTEX_OPTS) $(CC_EXTRA_OPTS))
all: ;
