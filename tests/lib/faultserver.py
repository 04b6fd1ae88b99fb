#!/usr/bin/env python3
"""faultserver.py: an HTTP server that misbehaves on purpose, for the fetch tests.

usage: faultserver.py ROOT PORTFILE LOGFILE

Binds 127.0.0.1 on a free port and writes the port to PORTFILE. Serves the
files of ROOT; the first part of the path picks the behaviour:

  /ok/F             honours Range (206, or 416 past the end)
  /norange/F        ignores Range: always 200 and the whole file
  /drop/F           sends the headers, half the body, then closes
  /droponce/F       like drop on the first request for F, like ok after
  /droptar/F        like drop for a binary cache's artifact (F ends in .tar.zst),
                    like ok for anything else (its .info)
  /droptaronce/F    like droponce for an artifact, like ok for anything else
  /wrong/F          the whole file with one byte changed
  /404/F            404
  /redirect/N/F     302 to /redirect/N-1/F; /redirect/0/F is /ok/F
  /loop/F           302 to itself, for ever
  /stall/F          the headers and 100 bytes, then nothing (until the
                    client goes away or 60 s pass)
  /longcl/F         the whole file, but a Content-Length 1000 bytes longer
  /endless/F        the file, then zeros for ever (no Content-Length), until
                    the client goes away: a hostile binary cache store
  /endlesstar/F     like endless for an artifact (.tar.zst), like ok for the rest
  /hugecl/F         a Content-Length of 10 GB, then like endless
  /stallinfo/F      like stall for a .info, like ok for the rest
  /stalltar/F       like stall for an artifact, like ok for the rest

Each request appends one line to LOGFILE:
  <path> range=<Range header or -> status=<code> body=<body bytes sent>
"""
import os
import select
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROOT, PORTFILE, LOGFILE = sys.argv[1:4]
LOCK = threading.Lock()
SEEN = {}


def log(path, rng, status, sent):
    with LOCK, open(LOGFILE, "a") as f:
        f.write("%s range=%s status=%d body=%d\n" % (path, rng or "-", status, sent))


def parse_range(header, size):
    """(start, end) for 'bytes=A-' or 'bytes=A-B', None without one."""
    if not header or not header.startswith("bytes="):
        return None
    a, _, b = header[6:].partition("-")
    start = int(a)
    end = int(b) if b else size - 1
    return start, min(end, size - 1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, headers, body=b"", limit=None):
        data = body if limit is None else body[:limit]
        # Logged before anything goes out: once the headers are sent the
        # client may follow a redirect, finish reading, and the test read this
        # log, before a line written afterwards lands.
        log(self.path, self.headers.get("Range"), status, len(data))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        sent = 0
        try:
            for i in range(0, len(data), 65536):
                self.wfile.write(data[i:i + 65536])
                sent += len(data[i:i + 65536])
            self.wfile.flush()
        except OSError:
            pass
        return sent

    def read(self, name):
        path = os.path.join(ROOT, os.path.basename(name))
        try:
            with open(path, "rb") as f:
                return f.read()
        except OSError:
            return None

    def serve(self, data, honour_range=True, limit_half=False):
        rng = parse_range(self.headers.get("Range"), len(data)) if honour_range else None
        if rng and rng[0] >= len(data):
            return self.reply(416, [("Content-Range", "bytes */%d" % len(data)),
                                    ("Content-Length", "0")])
        status, headers, body = 200, [], data
        if rng:
            status, body = 206, data[rng[0]:rng[1] + 1]
            headers.append(("Content-Range", "bytes %d-%d/%d" % (rng[0], rng[1], len(data))))
        headers.append(("Content-Length", str(len(body))))
        return self.reply(status, headers, body, len(body) // 2 if limit_half else None)

    def stall(self, data):
        log(self.path, self.headers.get("Range"), 200, 100)  # first: see reply()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.write(data[:100])
            self.wfile.flush()
            deadline = time.time() + 60
            while time.time() < deadline:
                r, _, _ = select.select([self.connection], [], [], 0.2)
                if r and not self.connection.recv(1024):
                    break
        except OSError:  # the client went away
            pass

    def endless(self, data, length=None):
        log(self.path, self.headers.get("Range"), 200, -1)  # first: see reply()
        self.send_response(200)
        if length:
            self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        zeros = bytes(65536)
        try:
            self.wfile.write(data)
            while True:
                self.wfile.write(zeros)
        except OSError:
            pass

    def do_GET(self):
        parts = self.path.split("/")
        mode, name = parts[1], parts[-1]
        if mode == "redirect":
            n = int(parts[2])
            where = "/ok/%s" % name if n == 0 else "/redirect/%d/%s" % (n - 1, name)
            return self.reply(302, [("Location", where), ("Content-Length", "0")])
        if mode == "loop":
            return self.reply(302, [("Location", self.path), ("Content-Length", "0")])
        data = self.read(name)
        if data is None or mode == "404":
            return self.reply(404, [("Content-Length", "0")])
        with LOCK:
            SEEN[self.path] = SEEN.get(self.path, 0) + 1
            first = SEEN[self.path] == 1
        artifact = name.endswith(".tar.zst")
        if mode == "endless" or (mode == "endlesstar" and artifact):
            return self.endless(data)
        if mode == "hugecl":
            return self.endless(data, 10 << 30)
        if (mode == "stallinfo" and not artifact) or (mode == "stalltar" and artifact):
            return self.stall(data)
        if mode in ("endlesstar", "stallinfo", "stalltar"):
            return self.serve(data)
        if mode in ("droptar", "droptaronce"):
            if not name.endswith(".tar.zst") or (mode == "droptaronce" and not first):
                return self.serve(data)
            return self.serve(data, limit_half=True)
        if mode == "ok" or (mode == "droponce" and not first):
            return self.serve(data)
        if mode == "norange":
            return self.serve(data, honour_range=False)
        if mode in ("drop", "droponce"):
            return self.serve(data, limit_half=True)
        if mode == "wrong":
            i = len(data) // 2
            return self.serve(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:])
        if mode == "stall":
            return self.stall(data)
        if mode == "longcl":
            return self.reply(200, [("Content-Length", str(len(data) + 1000))], data)
        return self.reply(400, [("Content-Length", "0")])


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = PORTFILE + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, PORTFILE)
    server.serve_forever()


if __name__ == "__main__":
    main()
