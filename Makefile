# The user's commands. The work is done by ./bootstrap; this file builds it and
# passes the variables through. `make` alone prints the help.

CC       ?= cc
PKGS     := libcurl libcrypto libarchive
CFLAGS   ?= -O2 -g
WARN     := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lcurl -lcrypto -larchive)

SRCS     := $(sort $(wildcard src/*.c))
HDRS     := $(wildcard src/*.h)
UNIT     := $(sort $(wildcard tests/unit/test_*.c))
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

DEST     ?= x86_64
# The arches are the files of config/arches: their names and aliases are
# targets (make x86_64, make arm64); ARCHES is what all-arches builds.
ARCH_NAMES   := $(sort $(basename $(notdir $(wildcard config/arches/*.arch))))
ARCH_TARGETS := $(shell sed -n 's/^\(name\|aliases\) *= *//p' config/arches/*.arch 2>/dev/null)
ARCH_HELP    := $(shell for f in config/arches/*.arch; do \
	n=$$(sed -n 's/^name *= *//p' $$f); a=$$(sed -n 's/^aliases *= *//p' $$f | sed 's/ /, /g'); \
	printf '%s%s%s ' "$$n" "$${a:+ ($$a)}" ","; done | sed 's/, *$$//')
ARCHES   ?= $(ARCH_NAMES)
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
O        ?=
RECIPES  ?=
MIRROR   ?=
BACKUP_MIRROR ?=

# Only the variables the user set reach the driver; it has its own defaults.
DRIVER_ENV = $(if $(RECIPES),RECIPES='$(RECIPES)') $(if $(MIRROR),MIRROR='$(MIRROR)') \
	     $(if $(BACKUP_MIRROR),BACKUP_MIRROR='$(BACKUP_MIRROR)')
DRIVER_OPTS = $(if $(O),--top '$(O)') --jobs $(JOBS) $(HOST_OPT) $(CHOICES)
# HOST=ARCH (make's command line only: shells set HOST to the machine's
# name): a toolchain whose programs run on ARCH, make DEST=aarch64 HOST=x86_64
# crosstool (README.md, "Hosted toolchains").
HOST_OPT = $(if $(filter command line,$(origin HOST)),--host '$(HOST)')
DRIVER = $(DRIVER_ENV) ./bootstrap $(DRIVER_OPTS)

# Versions: GCC=15.3.0 MUSL=1.2.5 on make's command line become the driver's
# gcc=15.3.0 musl=1.2.5, for any package of the search path (LINUX_HEADERS=
# for linux-headers). The driver checks that the version is offered.
RECIPE_DIRS = $(subst :, ,$(or $(RECIPES),recipes))
PACKAGES = $(sort $(basename $(notdir $(wildcard $(addsuffix /*.recipe,$(RECIPE_DIRS))))))
VERSION_VARS = $(shell printf '%s\n' $(PACKAGES) | \
	awk '{ v = toupper($$0); gsub(/-/, "_", v); print $$0 "=" v }')
choice = $(if $(filter command line,$(origin $(2))),$(1)=$($(2)))
CHOICES = $(strip $(foreach pv,$(VERSION_VARS),$(call choice,$(firstword $(subst =, ,$(pv))),$(lastword $(subst =, ,$(pv))))))

.PHONY: all-arches e2e help $(ARCH_TARGETS) crosstool download check deps \
	test-deps clean distclean fuzz unit integration e2e doctor status run list

define MAKE_HELP
usage: make [TARGET...] [VARIABLE=VALUE...]

targets:
  $(ARCH_HELP)
                       toolchain, userland and initrd for that arch
  all-arches           every arch of config/arches (or ARCHES="x86_64 aarch64")
                       side by side, the host stage built once
  crosstool            only the cross toolchain for DEST
  download             fetch and verify every source every arch needs
  status, doctor       what is done for DEST; the host tools its plan needs
  list                 the packages, their versions (the offered ones too), licenses
  run                  boot output/DEST/initrd.cpio.gz under qemu-system (KERNEL=)
  deps                 install the host packages building needs (Debian)
  test-deps            install the host packages the tests need as well (and s3rver, by npm)
  check                unit and integration tests (sanitizer build), a few minutes
  e2e                  the offline end-to-end suite for DEST (tens of minutes)
  fuzz                 the recipe parser under libFuzzer
  clean, distclean     remove the driver build; also everything built or fetched
  help                 this text (also plain make)

variables:
  DEST=ARCH            the arch of crosstool, status, doctor, e2e, run (default x86_64)
  HOST=ARCH            crosstool, e2e: a toolchain whose programs run on ARCH, static
                       (toolchain/ARCH-hosted-DEST; HOST=DEST: a native compiler)
  O=DIR                run-time folders under DIR instead of the checkout (--top)
  JOBS=N               make -j for the steps (default: the number of CPUs)
  FETCH_JOBS=N         transfers at once for download (default 4)
  MIRROR, BACKUP_MIRROR  a folder or URL tried before and after the recipes' urls
  RECIPES=DIR:DIR      the recipe search path (default recipes)
  COMPRESS=gzip|zstd|xz|none, COMPRESS_LEVEL, SOURCE_DATE_EPOCH  the initrd
  KERNEL=FILE          the kernel make run boots
  E2E_GOAL=crosstool|all, FUZZ_SECONDS=N  make e2e, make fuzz
  HEARTBEAT=SECONDS    seconds between progress lines when the output is not a terminal (120)
  CCACHE=DIR           run the steps' compilers through ccache, its cache in DIR
                       (an absolute folder; two tops share it; no key changes)
  GCC=VER, MUSL=VER, BINUTILS=VER, ...  build that version of the package
                       (any package, its name in capitals, - as _; make list shows
                       what each offers; the default is the first)

The targets run the driver, ./bootstrap:

endef
export MAKE_HELP

help: bootstrap
	@printf '%s\n' "$$MAKE_HELP"
	@./bootstrap --help

# A target with no rule: an arch misspelt (x86-64, arm, i586) gets the list
# of arches; anything else a pointer to the help.
.DEFAULT:
	@t='$(subst ','\'',$@)'; case $$(printf '%s' "$$t" | tr A-Z a-z) in \
	*86* | *64* | *arm* | *aarch* | *amd* | *x32*) \
		echo "make: '$$t' is not an arch; the arches are $(ARCH_HELP):" \
			"make x86_64, for example" >&2 ;; \
	*) echo "make: no target '$$t' (make help lists them)" >&2 ;; \
	esac; exit 2

bootstrap: bootstrap.c $(SRCS) $(HDRS)
	$(CC) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -I. -o $@ bootstrap.c $(SRCS) $(PKG_LIBS)

$(ARCH_TARGETS): bootstrap
	$(DRIVER) build $@ --goal all

all-arches: bootstrap
	$(DRIVER) build $(ARCHES) --goal all

crosstool: bootstrap
	$(DRIVER) build $(DEST) --goal crosstool

FETCH_JOBS ?= 4
download: bootstrap
	$(DRIVER_ENV) ./bootstrap $(if $(O),--top '$(O)') --jobs $(FETCH_JOBS) fetch $(CHOICES)

doctor: bootstrap
	$(DRIVER) doctor $(DEST)

list: bootstrap
	@$(DRIVER_ENV) ./bootstrap list $(CHOICES)

status: bootstrap
	$(DRIVER) status $(DEST)

# --- tests: sanitizer builds in build/, one TAP program per module --------
# Each source is compiled once with the sanitizers; the driver and every unit
# test program link the same objects.
ASAN_OBJS := $(patsubst src/%.c,build/asan/obj/%.o,$(SRCS))

build/asan/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -I. -c -o $@ $<

build/asan/bootstrap: bootstrap.c $(ASAN_OBJS) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -I. -o $@ bootstrap.c $(ASAN_OBJS) $(PKG_LIBS)

build/asan/test_%: tests/unit/test_%.c tests/unit/tap.h $(ASAN_OBJS) $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(WARN) -O1 -g $(SAN) $(PKG_CFLAGS) -I. -Itests/unit -o $@ $< $(ASAN_OBJS) $(PKG_LIBS)

UNIT_BINS := $(patsubst tests/unit/%.c,build/asan/%,$(UNIT))

unit: $(UNIT_BINS)
	prove --exec '' $(UNIT_BINS)

integration: build/asan/bootstrap bootstrap
	BOOTSTRAP=$(CURDIR)/build/asan/bootstrap prove tests/integration/*.t

check: $(UNIT_BINS) build/asan/bootstrap bootstrap
	BOOTSTRAP=$(CURDIR)/build/asan/bootstrap prove -j2 $(UNIT_BINS) tests/integration/*.t

# Install the host packages (Debian and derivatives): deps what building
# needs, test-deps what only the tests need (nginx, pyftpdlib, graphviz, clang).
deps:
	sh scripts/deps.sh config/debian-packages

test-deps:
	sh scripts/deps.sh config/debian-packages-test
	sh scripts/npm-deps.sh config/npm-packages-test

FUZZ_SECONDS ?= 600
build/fuzz/recipe_fuzz: tests/fuzz/recipe_fuzz.c $(SRCS) $(HDRS)
	@mkdir -p $(@D)
	clang $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined $(PKG_CFLAGS) -I. -o $@ $< \
		$(SRCS) $(PKG_LIBS)

fuzz: build/fuzz/recipe_fuzz
	@mkdir -p build/fuzz/corpus
	cp recipes/*.recipe tests/fuzz/seeds/* build/fuzz/corpus/ 2>/dev/null || true
	for f in tests/e2e/overlay/*.recipe; do cp "$$f" "build/fuzz/corpus/overlay-$${f##*/}"; done
	# Two layers, as recipe_fuzz.c splits them: a shipped recipe, then its e2e overlay.
	for f in tests/e2e/overlay/*.recipe; do { cat "recipes/$${f##*/}"; echo '@@overlay@@'; \
		cat "$$f"; } >"build/fuzz/corpus/layers-$${f##*/}"; done
	build/fuzz/recipe_fuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
		-artifact_prefix=build/fuzz/ build/fuzz/corpus

clean:
	rm -rf bootstrap build

# Removes everything built or fetched, sources/ included.
distclean: clean
	rm -rf $(if $(O),$(O)/)sources $(if $(O),$(O)/)work $(if $(O),$(O)/)toolchain \
		$(if $(O),$(O)/)states $(if $(O),$(O)/)output

# The offline end-to-end suite (a real toolchain build: tens of minutes).
E2E_GOAL ?= all
e2e: bootstrap
	@(for q in qemu-x86_64-static dpkg-deb bwrap $(foreach s,x86_64 aarch64 i386 arm ppc64le riscv64 s390x mips64el,qemu-system-$(s)); do \
		command -v $$q >/dev/null || exit 1; done) || \
		sh scripts/deps.sh config/debian-packages-e2e
	$(if $(O),TOP='$(O)') JOBS=$(JOBS) VERSIONS='$(CHOICES)' \
		$(if $(HOST_OPT),E2E_HOST='$(HOST)') tests/e2e/run.sh $(DEST) $(if $(HOST_OPT),crosstool,$(E2E_GOAL))

# Boots output/$(DEST)/initrd.cpio.gz under qemu-system: make run DEST=aarch64 KERNEL=/path/to/vmlinuz
KERNEL ?=
run: bootstrap
	scripts/qemu.sh $(DEST) '$(KERNEL)' $(if $(O),$(O),.)/output/$$(./bootstrap arch $(DEST) name)/initrd.cpio.gz
