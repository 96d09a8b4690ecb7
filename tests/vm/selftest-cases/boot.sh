#!/bin/sh
# Harness self-test and tests/vm/bootloop: the shortest case, one boot.
# timeout: 300
. /tests/lib.sh
ktap_plan 1
ktap_ok "booted"
ktap_done
