# Rekisteri — plain Makefile. `make` builds ./rekisteri, `make check` runs every
# test, `make demo` builds and opens the program on a demo registry.
VERSION    = 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BINDIR     = $(PREFIX)/bin
MANDIR     = $(PREFIX)/share/man/man1
LOCALEDIR  = $(PREFIX)/share/locale

CC        ?= gcc
CFLAGS    ?= -O2 -g
WARN       = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla
BUILD     ?= build
SAN       ?=

# Missing Debian packages are installed (or the command is printed) before
# pkg-config is asked anything. Goals that need no compiler skip it.
NODEPS_GOALS = clean distclean help
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
DEPS_STATUS := $(shell ./scripts/ensure-deps >&2 && echo ok)
ifneq ($(DEPS_STATUS),ok)
$(error build dependencies are missing: see the message above)
endif
endif

PKGS       = sqlcipher ncursesw libsodium jansson
PKG_CFLAGS:= $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell pkg-config --libs check 2>/dev/null)
UI_LIBS    = -lformw -lmenuw -lpanelw
CSV_LIBS   = -lcsv -lm

ifeq ($(SAN),1)
SANFLAGS   = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

CPPFLAGS  += -D_GNU_SOURCE -DSQLITE_HAS_CODEC -DVERSION='"$(VERSION)"' \
             -DLOCALEDIR='"$(LOCALEDIR)"' -Isrc -Idb -Iui
ALL_CFLAGS = -std=c11 -pthread $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -fstack-protector-strong -MMD -MP
LDFLAGS   += -pthread $(SANFLAGS) -Wl,-z,relro,-z,now

DB_SRC     = $(wildcard db/*.c)
CORE_SRC   = $(filter-out src/main.c,$(wildcard src/*.c))
UI_SRC     = $(wildcard ui/*.c)
TEST_SRC   = $(wildcard tests/unit/test_*.c)
BENCH_SRC  = $(wildcard bench/*.c)

CORE_OBJ   = $(patsubst %.c,$(BUILD)/%.o,$(DB_SRC) $(CORE_SRC))
UI_OBJ     = $(patsubst %.c,$(BUILD)/%.o,$(UI_SRC))
MAIN_OBJ   = $(BUILD)/src/main.o
TEST_BINS  = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCH_BINS = $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))
CORE_LIB   = $(BUILD)/librekisteri.a

PO_FILES   = $(wildcard locale/*.po)
MO_FILES   = $(patsubst locale/%.po,$(BUILD)/locale/%/LC_MESSAGES/rekisteri.mo,$(PO_FILES))

.SECONDARY:
.PHONY: all check unit unit-bins unit-asan e2e layers bench demo install uninstall clean po help fuzz
all: rekisteri $(MO_FILES)

rekisteri: $(BUILD)/rekisteri
	cp $< $@

$(BUILD)/rekisteri: $(MAIN_OBJ) $(UI_OBJ) $(CORE_LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(UI_LIBS) $(PKG_LIBS) $(CSV_LIBS)

$(CORE_LIB): $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(BUILD)/tests/unit/check_main.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CSV_LIBS) $(CHECK_LIBS)

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CSV_LIBS)

$(BUILD)/locale/%/LC_MESSAGES/rekisteri.mo: locale/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# Unit tests (Check), then the same tests under ASan/UBSan, then the real
# program in tmux. tests/run prints one closing "N passed, N failed" line.
check: all $(TEST_BINS)
	$(MAKE) --no-print-directory BUILD=build-asan SAN=1 unit-bins
	tests/run --unit $(BUILD)/tests --asan build-asan/tests --e2e tests/e2e --i18n

unit-bins: $(TEST_BINS)

unit: $(TEST_BINS)
	tests/run --unit $(BUILD)/tests

unit-asan:
	$(MAKE) --no-print-directory BUILD=build-asan SAN=1 unit-bins
	tests/run --asan build-asan/tests

e2e: all
	tests/run --e2e tests/e2e

# ui -> src -> db, and nothing the other way.
layers:
	tests/layers

bench: all $(BENCH_BINS)
	bench/run $(BUILD)/bench

demo: all
	./rekisteri demo --dir demo-registry
	./rekisteri --dir demo-registry

# Translator workflow (locale/README.md): `make po` regenerates the template
# from every marked string and merges it into each catalog (new strings come
# in empty, changed ones fuzzy); fill the msgstr, then `make` and the test
# tests/i18n-complete. A language is added by naming it in LINGUAS.
LINGUAS    = fi sv
po:
	scripts/po-extract locale/rekisteri.pot $(VERSION)
	for lang in $(LINGUAS); do po=locale/$$lang.po; \
	    if [ -f $$po ]; then msgmerge -q -U --backup=none --add-location=file $$po locale/rekisteri.pot; \
	    else msginit --no-translator -l $$lang.UTF-8 -i locale/rekisteri.pot -o $$po; fi; done

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	install -m 0755 rekisteri $(DESTDIR)$(BINDIR)/rekisteri
	install -m 0644 man/rekisteri.1 $(DESTDIR)$(MANDIR)/rekisteri.1
	for mo in $(MO_FILES); do \
	    lang=$$(echo $$mo | sed 's|$(BUILD)/locale/\([^/]*\)/.*|\1|'); \
	    install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
	    install -m 0644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/rekisteri.mo; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rekisteri $(DESTDIR)$(MANDIR)/rekisteri.1
	for po in $(PO_FILES); do lang=$$(basename $$po .po); \
	    rm -f $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/rekisteri.mo; done

clean:
	rm -rf build build-asan build-fuzz rekisteri

help:
	@echo "make            build ./rekisteri"
	@echo "make demo       build and open the program on a demo registry"
	@echo "make check      run every test (unit, unit under ASan/UBSan, tmux end-to-end)"
	@echo "make bench      run the benchmarks"
	@echo "make install    install (PREFIX=$(PREFIX) DESTDIR=)"

-include $(shell find $(BUILD) build-asan -name '*.d' 2>/dev/null)

# ---- fuzz ---------------------------------------------------------------------
# libFuzzer targets in tests/fuzz (issue 8), built with clang, ASan and UBSan
# into build-fuzz/ by tests/fuzz/run, which documents the rest. `make fuzz`
# runs each target FUZZ_SECONDS, merges inputs that add coverage into
# tests/fuzz/corpus/<target>/ and leaves crash inputs in build-fuzz/crashes/;
# `make fuzz-smoke` runs each 5 s and leaves the tree alone (CI).
# FUZZ_TARGETS="hetu phone" limits either to some targets.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
.PHONY: fuzz fuzz-smoke
fuzz:
	tests/fuzz/run --seconds $(FUZZ_SECONDS) --build build-fuzz $(FUZZ_TARGETS)

fuzz-smoke:
	tests/fuzz/run --seconds 5 --no-merge --build build-fuzz $(FUZZ_TARGETS)
# ---- end fuzz -----------------------------------------------------------------

# ---- reliability (issue 8) ----------------------------------------------------
# Helpers and load generators in tests/stress, linked with the core library;
# RELIABILITY.md describes each test and its latest figures. `make check`
# runs short versions (tests/e2e/t_rel_*.sh); these targets run the full ones.
STRESS_SRC  = $(wildcard tests/stress/*.c)
STRESS_BINS = $(patsubst tests/stress/%.c,$(BUILD)/tests/stress/%,$(STRESS_SRC))
CRASH_N    ?= 200
.PHONY: stress-bins crash-test stress tamper-report reliability
check e2e: $(STRESS_BINS)
stress-bins: $(STRESS_BINS)

$(BUILD)/tests/stress/%: $(BUILD)/tests/stress/%.o $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CSV_LIBS)

crash-test: all $(STRESS_BINS)
	tests/stress/crash_loop $(CRASH_N)

stress: all $(STRESS_BINS)
	$(BUILD)/tests/stress/concurrency --procs 8 --saves 500

tamper-report: all $(STRESS_BINS)
	$(BUILD)/tests/stress/tamper_keyring
	$(BUILD)/tests/stress/tamper_audit --rekisteri ./rekisteri --mutations 1000

reliability: crash-test stress tamper-report
	tests/stress/disk_full
# ---- end reliability ----------------------------------------------------------
