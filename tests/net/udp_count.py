#!/usr/bin/python3
"""Counts UDP datagrams reaching a socket: proof that the kernel stack, not
an AF_XDP socket, got them. Usage: udp_count.py ADDR PORT SECONDS"""
import socket
import sys
import time

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(0.2)
end = time.monotonic() + float(sys.argv[3])
n = 0
while time.monotonic() < end:
    try:
        s.recv(65536)
        n += 1
    except socket.timeout:
        pass
print(n)
