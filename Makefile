# gtpclass: AF_XDP and in-kernel classification of GTP-U traffic.
# `make demo`, `make test`, `make bench` each install what they need first.

CC      ?= gcc
CLANG   ?= clang
BPFTOOL ?= bpftool
B       := build

WARN    := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wno-format-truncation
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Iinclude -Isrc -I$(B) -MMD -MP $(CFLAGS)
LDLIBS  := -lxdp -lbpf -lelf -lz -lnuma -lcyaml -lyaml -lpcap -lurcu-qsbr -lurcu-common -lmicrohttpd -ljson-c -lcap-ng -lsystemd -lpthread -lm
BPF_CFLAGS := -O2 -g -target bpf -Wall -Wextra -Werror -Iinclude -Ixdp -I$(B) -MMD -MP

# The datapath's programs, and the bench's anchors (tests/bench).
BPF_SRC := $(wildcard xdp/*.bpf.c tests/bench/*.bpf.c)
BPF_OBJ := $(patsubst %.bpf.c,$(B)/%.bpf.o,$(notdir $(BPF_SRC)))
SKELS   := $(patsubst %.bpf.c,$(B)/%.skel.h,$(notdir $(BPF_SRC)))
SRC     := $(wildcard src/*/*.c)
OBJ     := $(patsubst src/%.c,$(B)/obj/%.o,$(SRC))
LIB_OBJ := $(filter-out $(B)/obj/cli/main.o,$(OBJ))
UNIT    := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
BPF_TESTS := $(patsubst tests/bpf/%.c,%,$(wildcard tests/bpf/test_*.c))
BENCHES := $(patsubst tests/bench/%.c,%,$(wildcard tests/bench/bench_*.c))

.PHONY: all deps demo test unit unit-asan bpf-test net-test conformance bench model clean man install uninstall fuzz
# Skeletons and BPF objects are made through a chain of pattern rules; keep them.
.SECONDARY: $(SKELS) $(BPF_OBJ)
all: $(B)/gtpclass

deps:
	@scripts/deps.sh

$(B)/vmlinux.h:
	@mkdir -p $(B)
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@

vpath %.bpf.c xdp tests/bench
$(B)/%.bpf.o: %.bpf.c $(B)/vmlinux.h
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/%.skel.h: $(B)/%.bpf.o
	$(BPFTOOL) gen skeleton $< > $@

# Headers are tracked by -MMD; the skeletons must exist before the first
# compile that includes one.
# The version: the release, and the commit it was built from. Only main.o
# sees it, so a new commit rebuilds one file.
VERSION := 0.5
GIT_REV := $(shell git describe --always --dirty 2>/dev/null || echo unknown)
$(B)/obj/cli/main.o: ALL_CFLAGS += -DGTPC_VERSION='"$(VERSION)"' -DGTPC_GIT_REV='"$(GIT_REV)"'
$(B)/obj/cli/main.o: $(wildcard .git/index)

$(B)/obj/%.o: src/%.c | $(SKELS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/gtpclass: $(OBJ)
	$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# Tests: cmocka programs linked against every object but main.o.
vpath test_%.c tests/unit tests/bpf
vpath bench_%.c tests/bench
$(B)/tests/%: %.c $(LIB_OBJ) | $(SKELS)
	@mkdir -p $(B)/tests
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDLIBS) -lcmocka

unit: $(addprefix $(B)/tests/,$(UNIT))
	@tests/run-unit.sh $(B)/tests $(UNIT)

# The same unit tests built with ASan and UBSan in their own tree.
unit-asan:
	@$(MAKE) --no-print-directory B=build-asan \
	  CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" unit

bpf-test: $(addprefix $(B)/tests/,$(BPF_TESTS))
	@tests/run-unit.sh $(B)/tests $(BPF_TESTS)

conformance: $(B)/gtpclass
	@/usr/bin/python3 tests/conformance/inspect_vs_tshark.py $(B)/gtpclass

net-test: $(B)/gtpclass
	@for t in tests/net/test_*.sh; do $$t $(B)/gtpclass || exit 1; done

test: deps
	@$(MAKE) --no-print-directory all
	@tests/run-all.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(B)/gtpclass

bench: deps
	@$(MAKE) --no-print-directory all $(addprefix $(B)/tests/,$(BENCHES)) $(B)/tests/test_kern_replay
	@scripts/bench.sh $(B)/gtpclass

# libFuzzer targets (tests/fuzz/), built with clang and the sanitizers in
# their own tree: make fuzz [FUZZ_SECONDS=60 | FUZZ_RUNS=N] [FUZZ_PARALLEL=1].
FUZZ_B := build-fuzz
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Iinclude -Isrc
$(FUZZ_B)/fuzz_parser: tests/fuzz/fuzz_parser.c $(wildcard include/gtpc/*.h)
	@mkdir -p $(FUZZ_B)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $<
$(FUZZ_B)/fuzz_model: tests/fuzz/fuzz_model.c src/model/forest.c src/util/util.c
	@mkdir -p $(FUZZ_B)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $^ -lm
FUZZ_FILES_SRC := tests/fuzz/fuzz_files.c src/config/config.c src/config/yamlfile.c src/model/model.c \
	src/model/forest.c src/io/pcap_in.c src/util/util.c src/util/names.c src/gen/profiles.c src/gen/gen.c \
	src/gen/pkt_build.c
$(FUZZ_B)/fuzz_files: $(FUZZ_FILES_SRC) $(wildcard include/gtpc/*.h)
	@mkdir -p $(FUZZ_B)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $(FUZZ_FILES_SRC) -lcyaml -lyaml -lpcap -lm
# The differential target: the XDP program (BPF_PROG_RUN) against the
# user-space parser.
$(FUZZ_B)/fuzz_xdp: tests/fuzz/fuzz_xdp.c tests/bpf/xdp_fate.h src/util/names.c $(B)/gtpclass.skel.h \
		$(wildcard include/gtpc/*.h)
	@mkdir -p $(FUZZ_B)
	$(CLANG) $(FUZZ_CFLAGS) -I$(B) -Itests/bpf -o $@ tests/fuzz/fuzz_xdp.c src/util/names.c -lbpf -lelf -lz
fuzz: $(B)/gtpclass $(FUZZ_B)/fuzz_parser $(FUZZ_B)/fuzz_model $(FUZZ_B)/fuzz_files $(FUZZ_B)/fuzz_xdp
	@scripts/fuzz.sh $(FUZZ_B) $(B)/gtpclass

# Man pages from docs/OPERATIONS.md and the binary's own --help.
man: $(B)/man/gtpclass.8 $(B)/man/gtpclass.yaml.5
$(B)/man/gtpclass.8 $(B)/man/gtpclass.yaml.5 &: $(B)/gtpclass docs/OPERATIONS.md README.md scripts/man.py
	@mkdir -p $(B)/man
	/usr/bin/python3 scripts/man.py $(B)/gtpclass $(B)/man $(VERSION)

# FHS paths; DESTDIR for packaging.
PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
DATADIR    ?= $(PREFIX)/share/gtpclass
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
install: all man
	install -D -m 0755 $(B)/gtpclass $(DESTDIR)$(SBINDIR)/gtpclass
	install -D -m 0644 model/default.yaml $(DESTDIR)$(DATADIR)/model/default.yaml
	install -D -m 0644 model/default.csv $(DESTDIR)$(DATADIR)/model/default.csv
	install -D -m 0644 conf/profiles.yaml $(DESTDIR)$(DATADIR)/profiles.yaml
	install -d $(DESTDIR)$(SYSCONFDIR)/gtpclass
	sed 's#^  model: .*#  model: $(DATADIR)/model/default.yaml#' conf/gtpclass.yaml > $(DESTDIR)$(SYSCONFDIR)/gtpclass/gtpclass.yaml
	install -d $(DESTDIR)$(UNITDIR)
	sed -e 's#@SBINDIR@#$(SBINDIR)#g' -e 's#@SYSCONFDIR@#$(SYSCONFDIR)#g' conf/gtpclass@.service \
	  > $(DESTDIR)$(UNITDIR)/gtpclass@.service
	install -D -m 0644 $(B)/man/gtpclass.8 $(DESTDIR)$(MANDIR)/man8/gtpclass.8
	install -D -m 0644 $(B)/man/gtpclass.yaml.5 $(DESTDIR)$(MANDIR)/man5/gtpclass.yaml.5

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/gtpclass $(DESTDIR)$(UNITDIR)/gtpclass@.service \
	  $(DESTDIR)$(MANDIR)/man8/gtpclass.8 $(DESTDIR)$(MANDIR)/man5/gtpclass.yaml.5
	rm -rf $(DESTDIR)$(DATADIR)

# The bundled model, regenerated reproducibly from generated traffic.
model: deps
	@$(MAKE) --no-print-directory all
	@scripts/make_model.sh $(B)/gtpclass

clean:
	rm -rf build build-asan

-include $(OBJ:.o=.d) $(BPF_OBJ:.o=.d) $(wildcard $(B)/tests/*.d)
