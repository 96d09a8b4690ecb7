#!/bin/sh
# Harness self-test: a case that never ends must fail on its timeout.
# timeout: 30
. /tests/lib.sh
ktap_plan 1
sleep 600
ktap_ok "never reached"
ktap_done
