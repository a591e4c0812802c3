#!/usr/bin/env python3
"""An HTTP PUT server on 127.0.0.1 that fails on purpose, for upload tests.

Stores what it is sent under DIR/store. DIR/mode says how to answer:
  ok            every PUT succeeds
  flaky         each path's 1st attempt gets a 500, its 2nd a reset
                connection, its 3rd a stall past the client's timeout, its
                4th succeeds
  fail NAME     every PUT of NAME gets a 500; the others succeed
  slow N        every PUT is answered (201) after N seconds
  echo403       every PUT gets a 403 whose body echoes the request's
                Authorization header, as some misconfigured servers do
HEAD and DELETE always answer truthfully (200 or 404, 204). Every request is
appended to DIR/requests.log as "STATUS NAME" (STATUS is reset or stall for
those; "HEAD" or "DELETE" for those methods). The port is written to DIR/port.
"""
import collections
import http.server
import pathlib
import socket
import sys
import time

DIR = pathlib.Path(sys.argv[1])
STORE = DIR / "store"
STORE.mkdir(exist_ok=True)
attempts = collections.Counter()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self):
        name = self.path.lstrip("/")
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode, _, argument = (DIR / "mode").read_text().strip().partition(" ")
        attempts[name] += 1
        outcome = "201"
        if mode == "flaky":
            outcome = {1: "500", 2: "reset", 3: "stall"}.get(attempts[name], "201")
        elif mode == "fail" and name == argument:
            outcome = "500"
        elif mode == "slow":
            time.sleep(float(argument))
        elif mode == "echo403":
            self.log_request_line("403")
            echoed = f"Forbidden. You sent Authorization: {self.headers.get('Authorization', '')}".encode()
            self.send_response(403)
            self.send_header("Content-Length", str(len(echoed)))
            self.end_headers()
            self.wfile.write(echoed)
            return
        self.log_request_line(outcome)
        if outcome == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            self.connection.close()
            return
        if outcome == "stall":
            time.sleep(4)
            return
        if outcome == "201":
            target = STORE / name
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".part")
            temporary.write_bytes(body)
            temporary.replace(target)
        status = int(outcome)
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        target = STORE / self.path.lstrip("/")
        self.log_request_line("HEAD")
        self.send_response(200 if target.is_file() else 404)
        self.send_header("Content-Length", str(target.stat().st_size if target.is_file() else 0))
        self.end_headers()

    def do_DELETE(self):
        target = STORE / self.path.lstrip("/")
        self.log_request_line("DELETE")
        target.unlink(missing_ok=True)
        self.send_response(204)
        self.end_headers()

    def log_request_line(self, outcome):
        with open(DIR / "requests.log", "a") as log:
            log.write(f"{outcome} {self.path.lstrip('/')}\n")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
(DIR / "port").write_text(str(server.server_address[1]))
server.serve_forever()
