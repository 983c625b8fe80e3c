#!/bin/sh
# The built-in test topology: a veth pair whose host side (the UPF's N3,
# default gtpc-n3) stays in the root namespace and whose peer (the gNB side,
# gtpc-gnb) lives in namespace gtpc-ran, where traffic is sent from.
#   topo.sh up [QUEUES] [PREFIX] [NET]   create (recreated if present)
#   topo.sh up-upf [QUEUES] [PREFIX] [NET] [UPFNET]
#                                        the same, inline: the UPF (NET.100) lives
#                                        in namespace PREFIX-upf behind an egress
#                                        veth (PREFIX-eg here, PREFIX-up there) on
#                                        UPFNET.0/24; this host answers ARP for it
#                                        (proxy ARP) and routes to it, so without
#                                        gtpclass the kernel forwards N3 to the UPF
#   topo.sh down [PREFIX]                remove everything it created
# NET is the first three octets of the link's IPv4 /24 (default 192.0.2):
# the UPF side is NET.100, the gNB side NET.1. Two topologies at once need
# two NETs, or replies leave by the wrong link.
set -e
cmd=$1
queues=${2:-2}
prefix=${3:-gtpc}
net=${4:-192.0.2}
[ "$cmd" = down ] && prefix=${2:-gtpc}
n3=$prefix-n3
gnb=$prefix-gnb
ns=$prefix-ran

down() {
	ip link del "$n3" 2>/dev/null || true
	ip link del "$prefix-eg" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	ip netns del "$prefix-upf" 2>/dev/null || true
}

case "$cmd" in
up | up-upf)
	down
	ip netns add "$ns"
	ip link add "$n3" numtxqueues "$queues" numrxqueues "$queues" type veth \
		peer name "$gnb" numtxqueues "$queues" numrxqueues "$queues" netns "$ns"
	# The generator's MACs, so that frames it sends are for this host.
	ip link set "$n3" address 02:00:00:00:00:02
	ip -n "$ns" link set "$gnb" address 02:00:00:00:00:01
	ip addr add $net.100/24 dev "$n3"
	ip -6 addr add 2001:db8:2::1/64 dev "$n3" nodad
	ip link set "$n3" up
	ip -n "$ns" addr add $net.1/24 dev "$gnb"
	ip -n "$ns" -6 addr add 2001:db8:1::1/64 dev "$gnb" nodad
	ip -n "$ns" link set "$gnb" up
	ip -n "$ns" link set lo up
	# AF_PACKET picks the TX queue by sending CPU (XPS); without XPS the
	# veth hashes the flow, as a NIC's RSS would: one tunnel, one queue.
	ip netns exec "$ns" sh -c "for f in /sys/class/net/$gnb/queues/tx-*/xps_cpus; do echo 0 > \$f 2>/dev/null; done" 2>/dev/null || true
	[ "$cmd" = up ] && exit 0
	upfnet=${5:-198.19.0}
	upf=$prefix-upf
	ip addr del $net.100/24 dev "$n3"
	ip addr add $net.254/24 dev "$n3"
	ip netns add "$upf"
	ip link add "$prefix-eg" numtxqueues "$queues" numrxqueues "$queues" type veth \
		peer name "$prefix-up" numtxqueues "$queues" numrxqueues "$queues" netns "$upf"
	ip addr add $upfnet.1/24 dev "$prefix-eg"
	ip link set "$prefix-eg" up
	ip -n "$upf" addr add $upfnet.2/24 dev "$prefix-up"
	ip -n "$upf" addr add $net.100/32 dev "$prefix-up"
	ip -n "$upf" link set "$prefix-up" up
	ip -n "$upf" link set lo up
	ip -n "$upf" route add $net.0/24 via $upfnet.1
	# On the egress link itself: the next hop of N3 traffic is the UPF address.
	ip route replace $net.100/32 dev "$prefix-eg"
	sysctl -qw net.ipv4.ip_forward=1
	sysctl -qw "net.ipv4.conf.$n3.proxy_arp=1"
	# XDP_REDIRECT into a veth needs NAPI on its peer: GRO turns it on.
	ip netns exec "$upf" ethtool -K "$prefix-up" gro on >/dev/null
	;;
down)
	down
	;;
*)
	echo "usage: $0 up [QUEUES] [PREFIX] | down [PREFIX]" >&2
	exit 2
	;;
esac
