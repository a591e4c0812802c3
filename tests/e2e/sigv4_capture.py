#!/usr/bin/env python3
"""A capture server that checks S3 uploads' AWS Signature Version 4 with
botocore's own signer (Debian's python3-botocore), an implementation this
project did not write.

For each PUT, HEAD and DELETE it rebuilds the request from what arrived (the
headers named in SignedHeaders, the URL, the body), signs it with botocore's
S3SigV4Auth and the known test credentials at the request's own X-Amz-Date,
and compares with the signature the client sent: 403 when they differ;
otherwise PUT gets 200, HEAD 404 (it keeps nothing) and DELETE 204. It also
checks x-amz-content-sha256 (and for PUT x-amz-checksum-sha256) against the
body, as S3 does. Each outcome is appended to DIR/signatures.log as
"OUTCOME METHOD PATH"; the port goes to DIR/port.

usage: sigv4_capture.py DIR ACCESS_KEY SECRET_KEY REGION
"""
import base64
import hashlib
import http.server
import pathlib
import re
import sys

from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

DIR = pathlib.Path(sys.argv[1])
CREDENTIALS = Credentials(sys.argv[2], sys.argv[3])
REGION = sys.argv[4]
AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<key>[^/]+)/(?P<date>\d{8})/(?P<region>[^/]+)/s3/aws4_request, "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<signature>[0-9a-f]{64})$")


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_PUT(self):
        self.check("PUT")

    def do_HEAD(self):
        self.check("HEAD")

    def do_DELETE(self):
        self.check("DELETE")

    def check(self, method):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        match = AUTHORIZATION.match(self.headers.get("Authorization", ""))
        where = f"{method} {self.path}"
        if not match:
            return self.finish_with(403, "malformed", f"{where} {self.headers.get('Authorization', '(none)')}")
        # botocore signs the x-amz-content-sha256 header's value as the payload
        # hash, so check that it is the body's, as S3 does, and the checksum.
        digest = hashlib.sha256(body)
        if self.headers.get("x-amz-content-sha256") != digest.hexdigest():
            return self.finish_with(400, "payload-mismatch", where)
        if method == "PUT" and self.headers.get("x-amz-checksum-sha256") != base64.b64encode(digest.digest()).decode():
            return self.finish_with(400, "checksum-mismatch", where)
        signed = match["signed"].split(";")
        headers = {name: self.headers[name] for name in signed if self.headers[name] is not None}
        request = AWSRequest(method=method, url=f"http://{self.headers['Host']}{self.path}", headers=headers, data=body)
        request.context["timestamp"] = self.headers["X-Amz-Date"]
        signer = S3SigV4Auth(CREDENTIALS, "s3", REGION)
        canonical = signer.canonical_request(request)
        expected = signer.signature(signer.string_to_sign(request, canonical), request)
        if expected != match["signature"] or match["region"] != REGION:
            return self.finish_with(403, "mismatch", f"{where} signed headers {match['signed']}")
        self.finish_with({"PUT": 200, "HEAD": 404, "DELETE": 204}[method], "match", where)

    def finish_with(self, status, outcome, detail):
        with open(DIR / "signatures.log", "a") as log:
            log.write(f"{outcome} {detail}\n")
        message = b"<Error><Code>SignatureDoesNotMatch</Code></Error>" if status == 403 else b""
        if self.command == "HEAD":
            message = b""
        self.send_response(status)
        self.send_header("Content-Length", str(len(message)))
        self.end_headers()
        self.wfile.write(message)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
(DIR / "port").write_text(str(server.server_address[1]))
server.serve_forever()
