# Sourced by the shell test suites: a scratch folder, checks that count, and
# the summary line tests/run-all.sh reads ("NAME: N passed, N failed").
WORK=$(mktemp -d)
pass=0
fail=0
skip=0
bad() { # bad DESCRIPTION: a failure found without a condition to show
	echo "FAIL $*"
	fail=$((fail + 1))
}
check() { # check DESCRIPTION CONDITION
	if eval "$2"; then
		echo "ok   $1"
		pass=$((pass + 1))
	else
		bad "$1 ($2)"
	fi
}
finish() { # finish NAME: prints the summary, exits non-zero on a failure
	echo "$1: $pass passed, $fail failed, $skip skipped"
	[ "$fail" = 0 ]
}
