#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The debugfs files against generated and mutated writes
# (tests/fuzz/gen-writes.py, applied by tests/fuzz/ps-fuzz.c): each write
# accepted whole or refused with EINVAL or EBUSY (config: also ENOENT or
# EPERM, see ps-fuzz.c), a refused one changing
# neither the configuration nor the state, an accepted configuration
# reading back as a valid write; storms started and stopped among them.
# Then the module unloads and leaves nothing behind; the kernel's own
# checkers (the debug flavour) must find nothing.
. /patchstorm/lib.sh
insmod $KO || { notok insmod; finish; exit 1; }
/patchstorm/ps-fuzz /patchstorm/fuzz.bin >$OUT/fuzz.log 2>&1
rc=$?
grep -v '^VIOLATION' $OUT/fuzz.log
grep '^VIOLATION' $OUT/fuzz.log | head -20
line=$(tail -n1 $OUT/fuzz.log)
check "fuzz driver finished ($line)" [ $rc -le 1 ]
check "no violation ($line)" [ $rc = 0 ]
wait_done 60 || { echo stop >$PS/control; wait_done 60; }
check "rmmod" unload
check "nothing left after rmmod" no_leftovers
finish
