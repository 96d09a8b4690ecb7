#!/bin/sh
# Harness self-test: exit code 4 is a skip, with its reason.
# timeout: 300
. /tests/lib.sh
ktap_skip_all "self-test of the skip path"
