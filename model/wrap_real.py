#!/usr/bin/python3
"""Wraps real application captures as UEs in GTP-U, for training and
evaluation on real traffic.

Usage: wrap_real.py MANIFEST CAPTURES_DIR OUT_DIR [--uplink-only] [--only FILE,...]

For each capture of the manifest (model/realtraffic.yaml) it writes
OUT_DIR/NAME.pcap and OUT_DIR/NAME.labels: the host's IP packets (the
device: the manifest's host, else the busiest private address), unchanged
inside, each in Ethernet / IPv4 / UDP 2152 / GTP-U with a PDU Session
Container saying its direction (uplink: sent by the host, gNB to UPF;
downlink: received, UPF to gNB), with the original timestamps (nanosecond
pcap). A packet cut by the capture's snap length is padded back to its IP
length, as it was on the wire. The labels file names the host as the UE
with the manifest's class (gtpclass gen -l's format). One capture, one
file: captures reuse private addresses."""
import argparse
import collections
import ipaddress
import os
import struct
import sys

import yaml
from scapy.all import IP, IPv6, PcapNgReader, PcapReader

GNB = bytes([192, 0, 2, 1])
UPF = bytes([192, 0, 2, 100])
GNB_MAC = bytes.fromhex("020000000001")
UPF_MAC = bytes.fromhex("020000000002")


def ip_packets(path):
    reader = PcapNgReader if path.endswith(".pcapng") else PcapReader
    try:
        with reader(path) as r:
            for p in r:
                ip = p.getlayer(IP) or p.getlayer(IPv6)
                if ip is not None:
                    yield p.time, ip
    except Exception:
        # A pcapng written as .pcap or the reverse: scapy's sniffing reader.
        from scapy.utils import rdpcap
        for p in rdpcap(path):
            ip = p.getlayer(IP) or p.getlayer(IPv6)
            if ip is not None:
                yield p.time, ip


def busiest_private(pkts):
    count = collections.Counter()
    for _, ip in pkts:
        for a in (ip.src, ip.dst):
            if ipaddress.ip_address(a).is_private:
                count[a] += 1
    if not count:
        for _, ip in pkts:
            count[ip.src] += 1
    return count.most_common(1)[0][0]


def checksum(b):
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def gtpu_frame(inner, uplink, teid, seq):
    # GTP-U v1, G-PDU, E and S set: sequence, N-PDU, next extension PSC
    # (0x85), then the PSC: length 1, PDU type (0 DL, 1 UL), QFI 9, none next.
    psc = bytes([1, (1 if uplink else 0) << 4, 9, 0])
    opt = struct.pack("!HBB", seq & 0xFFFF, 0, 0x85)
    payload = opt + psc + inner
    gtp = struct.pack("!BBHI", 0x36, 0xFF, len(payload), teid) + payload
    udp = struct.pack("!HHHH", 2152, 2152, 8 + len(gtp), 0) + gtp
    src, dst = (GNB, UPF) if uplink else (UPF, GNB)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), seq & 0xFFFF, 0x4000, 64, 17, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", checksum(hdr)) + hdr[12:]
    eth = (UPF_MAC + GNB_MAC if uplink else GNB_MAC + UPF_MAC) + b"\x08\x00"
    return eth + hdr + udp


def inner_bytes(ip):
    raw = bytes(ip)
    want = ip.len if ip.version == 4 else 40 + ip.plen
    return raw[:want] + bytes(max(0, want - len(raw)))


def wrap(entry, captures, out_dir, uplink_only):
    path = os.path.join(captures, entry["file"])
    pkts = list(ip_packets(path))
    host = entry.get("host") or busiest_private(pkts)
    name = entry["file"].rsplit(".", 1)[0]
    teid = {True: 0x100, False: 0x200}
    n = {True: 0, False: 0}
    with open(os.path.join(out_dir, name + ".pcap"), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
        for t, ip in sorted(pkts, key=lambda x: x[0]):
            if host not in (ip.src, ip.dst):
                continue
            uplink = ip.src == host
            if uplink_only and not uplink:
                continue
            frame = gtpu_frame(inner_bytes(ip), uplink, teid[uplink], n[True] + n[False])
            ns = int(t * 1000000000)
            f.write(struct.pack("<IIII", ns // 1000000000, ns % 1000000000, len(frame), len(frame)) + frame)
            n[uplink] += 1
    with open(os.path.join(out_dir, name + ".labels"), "w") as f:
        f.write("ue,teid,class\n")
        f.write(f"{host},teid:0x{teid[True]:08x},{entry['class']}\n")
    return name, host, n[True], n[False]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("manifest")
    ap.add_argument("captures")
    ap.add_argument("out_dir")
    ap.add_argument("--uplink-only", action="store_true", help="only what the host sent (N3 ingress)")
    ap.add_argument("--only", help="comma-separated capture files")
    a = ap.parse_args()
    entries = yaml.safe_load(open(a.manifest))["captures"]
    if a.only:
        keep = set(a.only.split(","))
        entries = [e for e in entries if e["file"] in keep]
    os.makedirs(a.out_dir, exist_ok=True)
    for e in entries:
        if not os.path.exists(os.path.join(a.captures, e["file"])):
            print(f"wrap_real: {e['file']}: not in {a.captures}", file=sys.stderr)
            sys.exit(1)
        name, host, up, down = wrap(e, a.captures, a.out_dir, a.uplink_only)
        print(f"{name} {e['class']} {host} uplink {up} downlink {down}")


main()
