#!/bin/sh
# Harness self-test: a guest that panics before the case printed anything
# on its first boot only (run passes sc.attempt=N) is retried, and passes
# with the retry on its verdict line.
# timeout: 300
grep -q 'sc\.attempt=1' /proc/cmdline && echo c >/proc/sysrq-trigger
. /tests/lib.sh
ktap_plan 1
ktap_ok "booted on attempt $(sed 's/.*sc\.attempt=\([0-9]*\).*/\1/' /proc/cmdline)"
ktap_done
