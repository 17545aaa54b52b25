#!/usr/bin/env python3
"""Receive sd_notify datagrams on a unix socket, like systemd would, and
append each to a file.  usage: notify-listen.py SOCKET_PATH OUT_FILE"""
import os
import socket
import sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
with open(out, "a", buffering=1) as f:
    print("listening", file=f)
    while True:
        data = s.recv(4096)
        f.write(data.decode(errors="replace").replace("\n", " ") + "\n")
