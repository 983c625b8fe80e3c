"""Reading GTP-U captures in the demo and the tests: frames of a pcap file
(microsecond or nanosecond), and where a G-PDU's inner header and UE are."""
import struct


def frames(path):
    """(time in ns, frame bytes) for each record."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    scale = 1 if magic == 0xA1B23C4D else 1000
    off = 24
    while off + 16 <= len(data):
        sec, frac, caplen, _ = struct.unpack("<IIII", data[off:off + 16])
        yield (sec * 10**9 + frac * scale), data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def inner_offset(ip):
    """Offset of the inner IP header inside an outer IPv4 G-PDU."""
    g = (ip[0] & 0x0F) * 4 + 8
    flags = ip[g]
    off = g + 8
    if flags & 0x07:
        nxt = ip[g + 11] if flags & 0x04 else 0
        off += 4
        while nxt:
            n = ip[off] * 4
            nxt = ip[off + n - 1]
            off += n
    return off


def ue_of(ip):
    """The uplink UE: the inner IPv4 source."""
    i = inner_offset(ip)
    return ".".join(str(b) for b in ip[i + 12:i + 16])


def dscps(ip):
    """The outer and inner DSCP."""
    return ip[1] >> 2, ip[inner_offset(ip) + 1] >> 2
