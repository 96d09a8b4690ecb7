#!/bin/sh
# Harness self-test: one "not ok" fails the case even with exit code 0.
# timeout: 300
. /tests/lib.sh
ktap_plan 2
ktap_ok "fine"
echo "not ok 2 broken"
exit 0
