#!/bin/sh
# Installs the Debian packages gtpclass builds and tests with, when missing,
# and mounts bpffs. Idempotent: a second run installs nothing.
set -e
PKGS="clang llvm gcc make pkg-config bpftool libbpf-dev libxdp-dev xdp-tools
libelf-dev zlib1g-dev libnuma-dev libcyaml-dev libyaml-dev libpcap-dev
libcmocka-dev liburcu-dev libmicrohttpd-dev libjson-c-dev libcap-ng-dev libsystemd-dev curl man-db python3 python3-sklearn python3-scapy python3-yaml python3-matplotlib tshark
iproute2 iputils-ping ethtool procps"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	if [ "$(id -u)" != 0 ]; then
		echo "deps: must run as root to install packages" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	apt-get install -y -q --no-install-recommends $missing >/dev/null
fi
if [ "$(id -u)" = 0 ] && ! mount | grep -q ' /sys/fs/bpf type bpf'; then
	mount -t bpf bpf /sys/fs/bpf
fi
exit 0
