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
need_netns() { # need_netns SUITE: skips the suite (and exits) unless root with network namespaces
	if [ "$(id -u)" != 0 ] || ! ip netns add "$1-probe" 2>/dev/null; then
		echo "SKIP $1: needs root and network namespaces"
		echo "$1: 0 passed, 0 failed, 1 skipped"
		exit 0
	fi
	ip netns del "$1-probe"
}
test_conf() { # test_conf IFACE PIN [SED-ARGS...]: the shipped config on IFACE, pinned at PIN, without its forward section, on stdout
	local ifname=$1 pin=$2
	shift 2
	sed -e "s/^interface: .*/interface: $ifname/" -e "s#pin_path: .*#pin_path: $pin#" \
	    -e "s#model: ../model/#model: $PWD/model/#" -e '/^forward:/,$d' "$@" conf/gtpclass.yaml
}
wait_running() { # wait_running LOG: until gtpclass says it runs (5 s at most)
	local _
	for _ in $(seq 50); do
		grep -q "running on" "$1" && return 0
		sleep 0.1
	done
	return 1
}
net_suite() { # net_suite SUITE PREFIX QUEUES NET PIN: skips unless root with namespaces, builds the topology; it, PIN and a gtpclass left in RUN_PID go on exit
	SUITE_PREFIX=$2
	SUITE_PIN=$5
	need_netns "$1"
	trap net_cleanup EXIT
	scripts/topo.sh up "$3" "$2" "$4"
}
net_cleanup() {
	[ -n "${RUN_PID:-}" ] && kill -9 "$RUN_PID" 2>/dev/null
	[ -n "${KEEP_WORK:-}" ] && cp -r "$WORK" /tmp/kept-work
	scripts/topo.sh down "$SUITE_PREFIX"
	rm -rf "$WORK" "$SUITE_PIN"
}
