#!/usr/bin/python3
"""gtpclass inspect agrees with tshark on every packet of every capture in
../shared/pcaps and of generated ones: the G-PDU decision, the TEID and the
inner addresses.

Wireshark decodes GTP-U on UDP port 2152 as source or destination; TS 29.281
sends G-PDUs to 2152. `inspect --source-port` takes Wireshark's rule and must
agree on every packet; plain `inspect` must agree on packets sent to 2152 and
call the others not_gtpu."""
import os
import subprocess
import sys
import tempfile

GTPCLASS = sys.argv[1]
SHARED = os.environ.get("GTPC_SHARED", "../shared")
passed = failed = skipped = 0


def tshark_rows(path):
    fields = ["gtp.message", "gtp.teid", "eth.type", "ip.src", "ip.dst",
              "ipv6.src", "ipv6.dst", "udp.dstport"]
    cmd = ["tshark", "-r", path, "-T", "fields", "-E", "separator=|",
           "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        v = dict(zip(fields, line.split("|")))
        msgs = v["gtp.message"].split(",") if v["gtp.message"] else []
        gpdu = bool(msgs) and msgs[0] == "0xff"
        teid = int(v["gtp.teid"].split(",")[0], 16) if v["gtp.teid"] else None
        v4s = [a for a in v["ip.src"].split(",") if a]
        v4d = [a for a in v["ip.dst"].split(",") if a]
        v6s = [a for a in v["ipv6.src"].split(",") if a]
        v6d = [a for a in v["ipv6.dst"].split(",") if a]
        outer6 = v["eth.type"].split(",")[-1] == "0x86dd"
        # The inner header is the second IP header of the outer's version,
        # or the first of the other version.
        if outer6:
            inner = (v6s[1], v6d[1]) if len(v6s) > 1 else (v4s[0], v4d[0]) if v4s else None
        else:
            inner = (v4s[1], v4d[1]) if len(v4s) > 1 else (v6s[0], v6d[0]) if v6s else None
        dports = v["udp.dstport"].split(",")
        rows.append({"gpdu": gpdu, "teid": teid, "inner": inner,
                     "to2152": bool(dports) and dports[0] == "2152"})
    return rows


def inspect_rows(path, source_port):
    cmd = [GTPCLASS, "inspect"] + (["--source-port"] if source_port else []) + [path]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        parts = line.split()
        kv = dict(p.split("=", 1) for p in parts if "=" in p)
        row = {"outcome": parts[2], "teid": int(kv["teid"], 16) if "teid" in kv else None}
        if parts[2] == "gpdu":
            arrow = parts.index(">")
            src, dst = parts[arrow - 1], parts[arrow + 1]
            row["inner"] = (src, dst)
        rows.append(row)
    return rows


def addr_eq(ours, theirs):
    # inspect prints addr.port when there are ports; tshark prints addr.
    return ours == theirs or ours.rsplit(".", 1)[0] == theirs


def compare(name, path, source_port):
    global passed, failed
    t = tshark_rows(path)
    g = inspect_rows(path, source_port)
    bad = []
    if len(t) != len(g):
        bad.append(f"{len(g)} packets, tshark {len(t)}")
    for i, (a, b) in enumerate(zip(g, t), 1):
        want_gpdu = b["gpdu"] and (source_port or b["to2152"])
        if (a["outcome"] == "gpdu") != want_gpdu:
            bad.append(f"packet {i}: {a['outcome']}, tshark G-PDU={b['gpdu']}")
        elif want_gpdu:
            if a["teid"] != b["teid"]:
                bad.append(f"packet {i}: TEID {a['teid']:#x}, tshark {b['teid']:#x}")
            if not b["inner"] or not all(addr_eq(x, y) for x, y in zip(a["inner"], b["inner"])):
                bad.append(f"packet {i}: inner {a['inner']}, tshark {b['inner']}")
    mode = "--source-port" if source_port else "default"
    if bad:
        failed += 1
        print(f"FAIL {name} ({mode}): " + "; ".join(bad[:5]))
    else:
        passed += 1
        print(f"ok   {name} ({mode}): {len(g)} packets agree")


def readable(path, tmp):
    """libpcap refuses pcapng files whose interfaces differ in snap length;
    such files are converted with editcap, and the test says so."""
    r = subprocess.run([GTPCLASS, "inspect", path], capture_output=True, text=True)
    if r.returncode == 0:
        return path
    conv = os.path.join(tmp, os.path.basename(path) + ".converted.pcap")
    subprocess.run(["editcap", "-F", "pcap", path, conv], check=True, capture_output=True)
    print(f"note {os.path.basename(path)}: libpcap cannot read it ({r.stderr.strip()[:80]}); compared its editcap conversion")
    return conv


def main():
    global skipped
    with tempfile.TemporaryDirectory() as tmp:
        captures = []
        pdir = os.path.join(SHARED, "pcaps")
        if os.path.isdir(pdir):
            captures += [os.path.join(pdir, f) for f in sorted(os.listdir(pdir)) if f.endswith(".pcap")]
        else:
            skipped += 1
            print(f"SKIP third-party captures: {pdir} is not here")
        for i, opts in enumerate([[], ["--outer6", "--inner6"], ["--outer6"], ["--no-psc", "--inner6"]]):
            out = os.path.join(tmp, f"gen{i}.pcap")
            subprocess.run([GTPCLASS, "gen", "-p", "conf/profiles.yaml", "-u", "20", "-d", "0.5",
                            "-s", str(i + 1), "-o", out] + opts, check=True, capture_output=True)
            captures.append(out)
        for c in captures:
            path = readable(c, tmp)
            for sp in (False, True):
                compare(os.path.basename(c), path, sp)
    print(f"conformance: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


sys.exit(main())
