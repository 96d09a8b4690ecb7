# SPDX-License-Identifier: GPL-2.0
# Top-level Makefile of dm-swapcache: the out-of-tree module build and the
# two commands the README promises (`make demo`, `make check`), plus the
# developer targets below.  Every kernel is built in its own directory
# build/<kernel-version>/ so 6.1 and 6.12 objects never mix.
#
#   make [KVER=<version>]      build build/<version>/dm-swapcache.ko
#   make check [T=<case>] [KVERS="<v>..."]
#                              unit tests, strict builds (W=1, sparse) for
#                              every supported kernel, then the VM cases
#   make demo [KVER=<version>] boot a VM and show the cache at work
#   make unit                  only the user-space unit tests
#   make vm [T=<case>]         only the VM cases (for KVERS)
#   make bench [BENCH_KVER=<version>]
#                              the benchmarks against dm-linear, dm-cache
#                              and bcache (about 25 min; tests/bench/README.md)
#   make soak [SOAK_MINUTES=N] the concurrency case for N minutes (30)
#   make check-debug [T=<case>]
#                              build (once, cached in /var/cache/dm-swapcache/
#                              debug) a 6.12 kernel with KASAN and lockdep,
#                              the strict build and every VM case on it (not
#                              in CI: about 12 minutes for the kernel, then
#                              about an hour of cases; README.md)
#   make static                checkpatch and kernel-doc of the module;
#                              cppcheck, clang-tidy, shell checks of tests/
#                              and tools/
#   make clean

SHELL := /bin/bash
KVERS ?= $(shell tools/kernels)
KVER ?= $(lastword $(KVERS))
T ?=

.PHONY: all module check check-inner check-debug unit strict vm demo clean \
	deps bench soak static

all: module

module:
	@test -n "$(KVER)" || { echo "no kernel headers: run tools/install-deps"; exit 1; }
	tools/kbuild $(KVER)

deps:
	tools/install-deps

# Dependencies are installed first, then a fresh make evaluates KVERS, so a
# fresh machine ends up building against the kernels just installed.
check: deps
	$(MAKE) --no-print-directory check-inner

check-inner:
	tests/check $(if $(T),--case "$(T)") $(KVERS)

check-debug: deps
	tests/check-debug $(T)

unit:
	$(MAKE) -C tests/unit run

strict:
	@for v in $(KVERS); do tools/kbuild --strict $$v || exit 1; done

vm: deps
	tests/vm/run $(foreach v,$(KVERS),--kernel $(v)) $(T)

bench: deps
	$(MAKE) --no-print-directory module
	tests/bench/run $(if $(BENCH_KVER),--kernel $(BENCH_KVER))

soak: deps
	$(MAKE) --no-print-directory module
	tests/soak --minutes $(or $(SOAK_MINUTES),30)

static:
	tests/static

demo: deps
	$(MAKE) --no-print-directory module
	tests/vm/run --kernel $(KVER) --demo

clean:
	rm -rf build
	$(MAKE) -C tests/unit clean
