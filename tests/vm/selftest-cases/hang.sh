#!/bin/sh
# Harness self-test: a case that never ends must fail on its timeout
# (long enough for a boot on a loaded host: the case must have started,
# or the harness retries the boot).
# timeout: 150
. /tests/lib.sh
ktap_plan 1
sleep 600
ktap_ok "never reached"
ktap_done
