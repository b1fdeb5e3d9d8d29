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
#                         -> results/<timestamp>-<arch>-<release>/, results/latest
#   make check            host setup, unit tests, integration tests
#   make check-extended   the integration tests that need another kernel
#                         (riscv64 7.2, arm64: fetched and built on first use)
#   make bench            benchmarks (tests/bench/*.sh)
#   make campaign         CAMPAIGN=file(s) [REPEAT=N] [KSRC=]: every run of a
#                         campaign (default scenarios/campaigns/smoke.campaign)
#   make mutants          plant each bug of mutants/ in a kernel and count what
#                         the storm catches: MUTANTS=name,... RUNS=3 DURATION=60
#                         TCG= -> results/mutants-<time>/summary.txt
#   make install          install the module for the running kernel and the CLI
#   make clean
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
PREFIX   ?= /usr/local
CAMPAIGN ?= scenarios/campaigns/smoke.campaign
REPEAT   ?= 1
MUTANTS  ?=
RUNS     ?= 3

# make's own ARCH variable would leak into the kernel build of the host
# module; keep it for `make run` only.
RUN_ARCH := $(ARCH)
unexport ARCH

# Passed to the runner through the environment (no quoting trouble).
export KSRC STORM SCENARIO CMD

.PHONY: all module tools run check check-extended bench campaign mutants install clean help

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
		$(if $(filter-out 0,$(TRACE)),--trace)

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
	@scripts/campaign.sh --repeat "$(REPEAT)" $(if $(KSRC),--kernel "$$KSRC") $(CAMPAIGN)

mutants:
	@scripts/setup-host.sh --quiet
	@MUTANTS="$(MUTANTS)" RUNS="$(RUNS)" DURATION="$(DURATION)" TCG="$(TCG)" scripts/mutants.sh

install: all
	@if [ -f Kbuild ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules_install; fi
	@if [ -x tools/build/host/patchstorm ]; then \
		install -D -m 0755 tools/build/host/patchstorm "$(DESTDIR)$(PREFIX)/bin/patchstorm"; fi

clean:
	@if [ -f Kbuild ] && [ -d "$(KDIR)" ]; then $(MAKE) -C "$(KDIR)" M="$(CURDIR)" clean; fi
	@if [ -f tools/Makefile ]; then $(MAKE) -C tools clean; fi
	rm -rf build

help:
	@sed -n '3,24p' Makefile
