# SPDX-License-Identifier: GPL-2.0
#
# patchstorm top-level Makefile.
#
#   make                  build the module against KDIR (default: the running
#                         kernel's headers) and the userspace CLI (tools/)
#   make run              boot a QEMU guest and run a storm in it:
#                         ARCH=riscv64|x86_64|arm64 CPUS= MEM= DURATION= KSRC=
#                         STORM='key=value ...' SCENARIO= CMD= TCG=
#                         TRACE=1 (trace-cmd records the storm: out/trace.dat)
#                         CHURN=0 (no module-churn: no fixture module built)
#                         KFLAVOR=debug (KASAN, KFENCE, lockdep, kmemleak, ...:
#                         a kernel from source; x86_64 with KSRC=debian:6.12)
#                         -> results/<timestamp>-<arch>-<release>/, results/latest
#   make check            host setup, unit tests, integration tests
#   make check-extended   the integration tests that need another kernel
#                         (riscv64 7.2, arm64: fetched and built on first use)
#   make bench            benchmarks (tests/bench/*.sh)
#   make campaign         CAMPAIGN=file(s) [REPEAT=N] [KSRC=] [JOBS=N] [KFLAVOR=]: every run
#                         of a campaign (default scenarios/campaigns/smoke.campaign),
#                         JOBS guests at once
#   make lava-jobs        CAMPAIGN=file(s): LAVA job definitions for a campaign
#                         (scripts/lava/make-jobs.sh; results/lava-<time>/)
#   make mutants          plant each bug of mutants/ in a kernel and count what
#                         the storm catches: MUTANTS=name,... RUNS=3 DURATION=60
#                         TCG= -> results/mutants-<time>/summary.txt
#   make install          install the module for the running kernel (into
#                         /lib/modules/<release>/extra) and the CLI (PREFIX=,
#                         DESTDIR= for staging); make install-tools: the CLI only
#   make dkms             the module under DKMS for the running kernel
#                         (dkms.conf; rebuilt on kernel upgrades); make dkms-src:
#                         only put the sources in /usr/src/patchstorm-<version>
#   make clean
#   make help             this text
#
# This file is only read by make itself; Kbuild drives the module build.

KDIR     ?= /lib/modules/$(shell uname -r)/build
ARCH     ?= riscv64
CPUS     ?= 2
MEM      ?= 1G
DURATION ?= 60
KSRC     ?=
STORM    ?=
SCENARIO ?=
CMD      ?=
TCG      ?=
TRACE    ?=
KFLAVOR  ?=
PREFIX   ?= /usr/local
CAMPAIGN ?= scenarios/campaigns/smoke.campaign
REPEAT   ?= 1
JOBS     ?= 1
MUTANTS  ?=
RUNS     ?= 3
# DKMS: the version is dkms.conf's; DKMS_FLAGS go to every dkms command
# (e.g. --dkmstree/--sourcetree/--installtree/--kernelsourcedir).
DKMS_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"$$/\1/p' dkms.conf 2>/dev/null)
DKMS_SRC     ?= /usr/src
DKMS_KERNEL  ?= $(shell uname -r)
DKMS_FLAGS   ?=

# make's own ARCH variable would leak into the kernel build of the host
# module; keep it for `make run` only.
RUN_ARCH := $(ARCH)
unexport ARCH

# Passed to the runner through the environment (no quoting trouble).
export KSRC STORM SCENARIO CMD

.PHONY: all module tools run check check-extended bench campaign mutants lava-jobs install install-tools dkms dkms-src clean help

all: module tools

module:
	@if [ ! -f Kbuild ]; then echo "no Kbuild yet, skipping the module"; \
	elif [ ! -d "$(KDIR)" ]; then \
		echo "KDIR $(KDIR) not found: install the kernel headers (linux-headers-$$(uname -r)) or set KDIR=" >&2; exit 3; \
	else $(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules; fi

tools:
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools; else echo "no tools/ yet, skipping"; fi

run:
	@scripts/setup-host.sh --quiet --arch "$(RUN_ARCH)"
	@scripts/qemu-run.sh --report --arch "$(RUN_ARCH)" --cpus "$(CPUS)" --mem "$(MEM)" \
		--duration "$(DURATION)" $(if $(KSRC),--ksrc "$$KSRC") \
		$(if $(STORM),--storm "$$STORM") $(if $(SCENARIO),--scenario "$$SCENARIO") \
		$(if $(CMD),--cmd "$$CMD") $(if $(TCG),--tcg "$(TCG)") \
		$(if $(filter-out 0,$(TRACE)),--trace) $(if $(KFLAVOR),--flavor "$(KFLAVOR)") \
		$(if $(filter 0,$(CHURN)),,--fixtures)

check:
	@scripts/setup-host.sh
	@tests/run.sh

check-extended:
	@scripts/setup-host.sh
	@tests/run.sh --extended

bench:
	@set -e; found=0; for t in tests/bench/*.sh; do \
		[ -e "$$t" ] || continue; found=1; echo "== $$t"; "$$t"; done; \
	[ $$found = 1 ] || echo "no benchmarks yet (tests/bench/*.sh)"

campaign:
	@scripts/setup-host.sh --quiet
	@scripts/campaign.sh --repeat "$(REPEAT)" --jobs "$(JOBS)" $(if $(KSRC),--kernel "$$KSRC") \
		$(if $(KFLAVOR),--flavor "$(KFLAVOR)") $(CAMPAIGN)

# The module goes where `patchstorm run` looks for it (extra/); with
# DESTDIR, under DESTDIR (INSTALL_MOD_PATH) like the CLI.
mutants:
	@scripts/setup-host.sh --quiet
	@MUTANTS="$(MUTANTS)" RUNS="$(RUNS)" DURATION="$(DURATION)" TCG="$(TCG)" STORM="$(STORM)" CHURN="$(CHURN)" scripts/mutants.sh

lava-jobs:
	@scripts/setup-host.sh --quiet
	@scripts/lava/make-jobs.sh $(if $(KSRC),--kernel "$$KSRC") $(CAMPAIGN)

install: all install-tools
	@if [ -f Kbuild ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" \
		INSTALL_MOD_PATH="$(DESTDIR)" INSTALL_MOD_DIR=extra modules_install; fi

install-tools: tools
	@if [ -x tools/build/host/patchstorm ]; then \
		install -D -m 0755 tools/build/host/patchstorm "$(DESTDIR)$(PREFIX)/bin/patchstorm"; fi

# DKMS source tree: Kbuild, module/ (sources only) and dkms.conf.
dkms-src:
	@[ -n "$(DKMS_VERSION)" ] || { echo "error: no PACKAGE_VERSION in dkms.conf" >&2; exit 2; }
	@d="$(DESTDIR)$(DKMS_SRC)/patchstorm-$(DKMS_VERSION)"; rm -rf "$$d" && mkdir -p "$$d" && \
	tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' \
		--exclude='.*.cmd' --exclude='*.a' --exclude='modules.order' --exclude='Module.symvers' \
		Kbuild dkms.conf LICENSE module | tar -xf - -C "$$d" && echo "$$d"

dkms: dkms-src
	@command -v dkms >/dev/null || { echo "error: no dkms (apt-get install --no-install-recommends dkms)" >&2; exit 3; }
	@dkms status $(DKMS_FLAGS) patchstorm/$(DKMS_VERSION) | grep -q . || \
		dkms add $(DKMS_FLAGS) patchstorm/$(DKMS_VERSION)
	dkms install $(DKMS_FLAGS) -k "$(DKMS_KERNEL)" patchstorm/$(DKMS_VERSION)

clean:
	@if [ -f Kbuild ] && [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi
	rm -rf build

# The header comment above, whole.
help:
	@sed -n '3,/^[^#]/{/^#/s/^# \{0,1\}//p}' Makefile
