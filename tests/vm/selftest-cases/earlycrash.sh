#!/bin/sh
# Harness self-test: a guest that panics on every boot before the case
# printed anything is booted once more, and then fails.
# timeout: 300
echo c >/proc/sysrq-trigger
sleep 60
