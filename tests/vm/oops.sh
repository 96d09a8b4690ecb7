# SPDX-License-Identifier: GPL-2.0
# oops.sh - the kernel console lines that fail a VM case, one extended
# regex in $oops (sourced by tests/vm/run; tests/vm/selftest checks it
# against sample reports).
oops='(Oops|BUG:|WARNING:|kernel BUG at|general protection fault|'
oops=$oops'Kernel panic|INFO: task .* blocked for more than|'
oops=$oops'rcu: INFO:|rcu_.*detected stall|watchdog: BUG: soft lockup|'
oops=$oops'UBSAN:|KASAN:|refcount_t:|list_(add|del) corruption|'
oops=$oops'invoked oom-killer|Out of memory|'
# The debug kernel's checkers (tools/debug-kernel): lockdep's reports are
# "WARNING: possible circular locking dependency detected", "WARNING:
# inconsistent lock state" and the like, KASAN's "BUG: KASAN: ...",
# DEBUG_ATOMIC_SLEEP's "BUG: sleeping function called from invalid
# context", all matched above and named again below in case a header
# changes; lockdep's "INFO: trying to register non-static key" and debug
# objects' "ODEBUG:" match nothing above.
oops=$oops'INFO: trying to register non-static key|ODEBUG:|'
oops=$oops'possible circular locking dependency|inconsistent lock state|'
oops=$oops'sleeping function called from invalid context)'
