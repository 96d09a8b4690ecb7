#!/bin/sh
# Harness self-test: a kernel panic mid-case must fail the case.
# timeout: 300
. /tests/lib.sh
ktap_plan 1
ktap_ok "before the crash"
echo c >/proc/sysrq-trigger
sleep 60
