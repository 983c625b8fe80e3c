#!/bin/sh
# Runs cmocka test programs: run-unit.sh DIR NAME... ; fails if any fails.
dir=$1
shift
rc=0
for t in "$@"; do
	"$dir/$t" || rc=1
done
exit $rc
