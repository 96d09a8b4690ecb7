#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The full benchmark (tests/bench/run): every contender, every workload,
# sizes scaled down to fit a 2 GiB VM, durations to fit ~25 minutes (see
# bench.inc).  Add "sc-min_reads=1" to CONTENDERS for the seed's admission policy.
# timeout: 2700
. /tests/lib.sh
WARM=100 MEAS=15 W3_T=15 W2_T=15 W5_WARM=8 W5_T=5
. /tests/cases/bench.inc
