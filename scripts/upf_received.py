#!/usr/bin/python3
"""What the UPF received in the demo, per class of the generator's labels.
Usage: upf_received.py CAPTURE.pcap LABELS.csv"""
import csv
import os
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(__file__))
from gtpu_pcap import dscps, frames, ue_of  # noqa: E402

profile = {}
with open(sys.argv[2]) as f:
    for row in csv.DictReader(f):
        profile[row["ue"]] = row["class"]
got, marked = Counter(), Counter()
for _, fr in frames(sys.argv[1]):
    ip = fr[14:]
    p = profile.get(ue_of(ip), "?")
    got[p] += 1
    marked[p] += dscps(ip)[0] != 0
print("\nat the UPF (namespace gtpc-upf), G-PDUs per class (the generator's labels):")
for p in sorted(got, key=lambda p: list(dict.fromkeys(profile.values())).index(p) if p in profile.values() else 99):
    print(f"  {p:>8} {got[p]:>8} received, {marked[p]:>7} with a DSCP mark")
