#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The benchmark's smoke version (tests/bench/run --smoke, ~1 minute): every
# contender and workload briefly on tiny devices; it only checks that each
# produced numbers.
# timeout: 400
. /tests/lib.sh
HDD_MB=256 SET_MB=64 SSD_MB=16 META_MB=8 W5_MB=8 BC_BUCKET=8k
HDD_NSEC=1000000 HDD_MBPS=120
WARM=2 SAMPLE=1 MEAS=1 W3_T=1 W2_T=1 W5_WARM=1 W5_T=1 SETTLE=0
WEAR_OPTS="accrate 1000000 maxburst 4000000 minburst 1000000 curburst 2000000"
. /tests/cases/bench.inc
