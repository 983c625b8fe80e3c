#!/usr/bin/python3
"""What reached the UPF, against what the gNB sent, UE by UE.

Usage: delivery.py SENT.pcap RECEIVED.pcap LABELS.csv WINDOW_MS WINDOWS

Frames are compared from the outer IP header on (the Ethernet header is
rewritten on the way). One line per profile:
  PROFILE ues N sent S received R identical I same_but_mark M marked K
          prefix P within_windows W
identical: UEs whose received frames are exactly the sent ones, in order.
in_order: UEs whose received frames are sent ones, unchanged and in their
  order (a capture may miss a frame under load; the UPF's own counters say
  whether all arrived).
same_but_mark: the same as in_order, allowing the DSCP of the outer and
  inner IP headers and the checksums that cover them to differ.
marked: received frames whose outer and inner DSCP are both 46.
prefix: UEs whose received frames are the first of the sent ones, in order.
within_windows: UEs that received no frame sent more than WINDOWS windows
  after their first (a drop class: its verdict needs policy.min_windows
  windows, then it stops within one).
Then one line: macs DST SRC for each Ethernet pair seen at the UPF."""
import csv
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../scripts"))
from gtpu_pcap import dscps, frames, inner_offset, ue_of  # noqa: E402


def unmarked(ip):
    """The packet with DSCPs and the checksums covering them cleared."""
    b = bytearray(ip)
    i = inner_offset(ip)
    u = (ip[0] & 0x0F) * 4
    for pos in (1, 10, 11, u + 6, u + 7, i + 1, i + 10, i + 11):
        b[pos] = 0
    return bytes(b)


def is_marked(ip):
    return dscps(ip) == (46, 46)


def is_subsequence(got, pkts):
    it = iter(pkts)
    return all(any(g == p for p in it) for g in got)


def main():
    sent_path, recv_path, labels_path, window_ms, windows = sys.argv[1:6]
    window = int(window_ms) * 10**6
    profile = {}
    with open(labels_path) as f:
        for row in csv.DictReader(f):
            profile[row["ue"]] = row["class"]
    sent, times = defaultdict(list), defaultdict(list)
    for t, fr in frames(sent_path):
        ip = fr[14:]
        ue = ue_of(ip)
        sent[ue].append(ip)
        times[ue].append(t)
    recv, macs = defaultdict(list), defaultdict(int)
    for _, fr in frames(recv_path):
        ip = fr[14:]
        recv[ue_of(ip)].append(ip)
        macs[(fr[0:6].hex(":"), fr[6:12].hex(":"))] += 1
    stats = defaultdict(lambda: defaultdict(int))
    for ue, pkts in sent.items():
        s = stats[profile.get(ue, "?")]
        got = recv.get(ue, [])
        s["ues"] += 1
        s["sent"] += len(pkts)
        s["received"] += len(got)
        s["identical"] += got == pkts
        s["in_order"] += is_subsequence(got, pkts)
        s["same_but_mark"] += is_subsequence([unmarked(p) for p in got], [unmarked(p) for p in pkts])
        s["marked"] += sum(is_marked(p) for p in got)
        s["prefix"] += got == pkts[:len(got)]
        late = [t for t in times[ue][:len(got)] if t > times[ue][0] + int(windows) * window]
        s["within_windows"] += got == pkts[:len(got)] and not late
    for name in sorted(stats):
        s = stats[name]
        print(name, " ".join(f"{k} {s[k]}" for k in (
            "ues", "sent", "received", "identical", "in_order", "same_but_mark", "marked", "prefix", "within_windows")))
    for (dst, src), n in macs.items():
        print("macs", dst, src, n)


main()
