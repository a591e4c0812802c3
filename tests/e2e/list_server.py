#!/usr/bin/env python3
"""A real HTTP server on 127.0.0.1 for the whitelist download tests.

Each request is answered as the file DIR/mode says at that moment:
  list FILE   200 with FILE's content, an ETag (its SHA-256) and Last-Modified,
              or 304 when the request's If-None-Match matches that ETag
  status N    an empty response with status N (500, 404, ...)
  html        200 with an HTML error page, as a captive portal or CDN sends
  stall N     waits N seconds before answering (past the client's timeout)
  bomb N      200 with N MiB of "a.example\n" lines sent gzip-compressed as
              Content-Encoding: gzip, without a Content-Length (the body
              ends when the connection closes): a small download that
              decodes to a huge body
Every request's path and conditional headers are appended to DIR/requests.log.
The port it listens on is written to DIR/port.
"""
import hashlib
import http.server
import pathlib
import sys
import time
import zlib

DIR = pathlib.Path(sys.argv[1])


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(DIR / "requests.log", "a") as log:
            log.write(f"{self.path} if-none-match={self.headers.get('If-None-Match', '')} "
                      f"if-modified-since={self.headers.get('If-Modified-Since', '')}\n")
        mode, _, argument = (DIR / "mode").read_text().strip().partition(" ")
        if mode == "list":
            body = (DIR / argument).read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.reply(200, body, "text/csv", {"ETag": etag, "Last-Modified": "Fri, 27 Nov 2026 20:00:00 GMT"})
        elif mode == "status":
            self.reply(int(argument), b"", "text/plain")
        elif mode == "html":
            self.reply(200, b"<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>\n", "text/html")
        elif mode == "bomb":
            line = b"a.example\n" * 100000
            compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Encoding", "gzip")
            self.end_headers()
            try:
                for _ in range(int(argument) * (1 << 20) // len(line)):
                    self.wfile.write(compressor.compress(line))
                self.wfile.write(compressor.flush())
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading: what the test wants
        elif mode == "stall":
            time.sleep(float(argument))
            self.reply(200, b"late.example\n", "text/plain")

    def reply(self, status, body, content_type, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
(DIR / "port").write_text(str(server.server_address[1]))
server.serve_forever()
