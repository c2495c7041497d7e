#!/usr/bin/env python3
"""A scriptable OTLP/HTTP metrics receiver for the AgentTelemetryOTLP tests.

Decodes every POST body with the official opentelemetry-proto classes and appends one JSON line
per request to the output file:
  {"status": 200, "time": 1700000000.1, "path": "/v1/metrics", "content_type": ..., "content_encoding": ...,
   "body_bytes": 1234, "points": 42, "points_by_metric": {...}, "request": {MessageToDict form}}
The request is omitted with --compact (large exports). Prints the port it listens on as the
first line of stdout.

--script lists the answers to give, in order, then 200 forever. An entry is a status with optional
modifiers: "503", "429:retry-after=1", "200:partial=3" (partial_success with 3 rejected points),
"401:echo=api-key" (the body repeats that request header's value, as a careless collector might),
"307:location=http://127.0.0.1:4319/v1/metrics?token=x" (a Location header; location takes the
rest of the entry, colons included, so it comes last).

Hostile answers (the request is still decoded and recorded, with "hostile": the mode, so a test can
tell what the collector did not accept):
  "200:stall"   the status line and headers announce a 100-byte body, then nothing is sent while the
                client keeps the connection open (a collector that hangs mid-response);
  "200:cut"     the head announces 100 bytes, 10 are sent, then the connection is closed;
  "200:hold"    the answer waits until the file OUT.release exists (the test decides when), then
                comes normally;
  "200:partial=3:hostile-message"  a partial_success whose error_message holds a newline, a forged
                "critical" line, ANSI escapes and 100 KB of text (log injection).

--blackhole makes a TCP port that never completes a connection: it listens with a backlog of 0,
fills that backlog itself and never accepts, so the kernel drops further SYNs (a collector host
that does not answer). It prints the port and serves nothing.

--tls-cert/--tls-key serve HTTPS with that pair (Python's ssl module, TLS 1.2+); --tls-client-ca
also requires a client certificate signed by that CA (mutual TLS). A failed handshake is
appended to the output file as {"handshake_error": "..."} and the connection is closed.
"""
import argparse
import gzip
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from google.protobuf.json_format import MessageToDict
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)


def parse_script(text):
    entries = []
    for item in filter(None, (text or "").split(",")):
        location = None
        if ":location=" in item:
            item, _, location = item.partition(":location=")
        parts = item.split(":")
        entry = {"status": int(parts[0])}
        for mod in parts[1:]:
            key, _, value = mod.partition("=")
            entry[key] = value
        if location is not None:
            entry["location"] = location
        entries.append(entry)
    return entries


def count_points(request):
    total = 0
    by_metric = {}
    for rm in request.resource_metrics:
        for sm in rm.scope_metrics:
            for m in sm.metrics:
                kind = m.WhichOneof("data")
                n = len(getattr(m, kind).data_points) if kind else 0
                by_metric[m.name] = by_metric.get(m.name, 0) + n
                total += n
    return total, by_metric


class Receiver(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def do_POST(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        with server.lock:
            entry = server.script.pop(0) if server.script else {"status": 200}
        record = {
            "status": entry["status"],
            "time": time.time(),
            "path": self.path,
            "content_type": self.headers.get("Content-Type"),
            "content_encoding": self.headers.get("Content-Encoding"),
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body_bytes": len(raw),
        }
        try:
            body = gzip.decompress(raw) if self.headers.get("Content-Encoding") == "gzip" else raw
            request = ExportMetricsServiceRequest()
            request.ParseFromString(body)
            record["points"], record["points_by_metric"] = count_points(request)
            if not server.compact:
                record["request"] = MessageToDict(request, preserving_proto_field_name=True)
        except Exception as error:  # a decoding failure is what the tests must see
            record["decode_error"] = repr(error)
            entry = {"status": 400}
            record["status"] = 400

        hostile = next((m for m in ("stall", "cut", "hold") if m in entry), None)
        if hostile:
            record["hostile"] = hostile
        with server.lock:
            with open(server.out_path, "a") as out:
                out.write(json.dumps(record) + "\n")
        if hostile == "stall":
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            # Nothing more, until the client gives up and closes (bounded: a test never runs an hour).
            self.connection.settimeout(3600)
            try:
                while self.connection.recv(4096):
                    pass
            except OSError:
                pass
            self.close_connection = True
            return
        if hostile == "cut":
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"\x0a" * 10)
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        if hostile == "hold":
            deadline = time.time() + 600
            while not os.path.exists(server.out_path + ".release") and time.time() < deadline:
                time.sleep(0.05)

        status = entry["status"]
        payload = b""
        if status == 200:
            response = ExportMetricsServiceResponse()
            if "partial" in entry:
                response.partial_success.rejected_data_points = int(entry["partial"])
                message = entry.get("message", "rejected by test script")
                if "hostile-message" in entry:
                    message = ("bad point\n2026-12-07T00:00:00Z critical: forged line from the collector"
                               "\x1b[31m red \x1b[0m\r\u2028" + "A" * 100_000)
                response.partial_success.error_message = message
            payload = response.SerializeToString()
            content_type = "application/x-protobuf"
        else:
            payload = b"scripted failure status %d" % status
            if "echo" in entry:
                payload += b"; you sent " + (self.headers.get(entry["echo"]) or "").encode()
            content_type = "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        if "retry-after" in entry:
            self.send_header("Retry-After", entry["retry-after"])
        if "location" in entry:
            self.send_header("Location", entry["location"])
        self.end_headers()
        self.wfile.write(payload)


class TLSReceiverServer(ThreadingHTTPServer):
    """Handshakes in the request's own thread (a stalled client never blocks accept) and records
    handshakes that fail."""

    def finish_request(self, request, client_address):
        try:
            request.settimeout(10)
            tls = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as error:
            with self.lock:
                with open(self.out_path, "a") as out:
                    out.write(json.dumps({"handshake_error": repr(error)}) + "\n")
            return
        try:
            self.RequestHandlerClass(tls, client_address, self)
        finally:
            try:
                tls.close()
            except OSError:
                pass


def blackhole(port):
    listener = socket.socket()
    listener.bind(("127.0.0.1", port))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(4):  # more than the backlog holds: the queue stays full
        filler = socket.socket()
        filler.setblocking(False)
        try:
            filler.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(filler)
    print(port, flush=True)
    while True:
        time.sleep(3600)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="JSON-lines file to append request summaries to")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = any free port)")
    parser.add_argument("--script", default="", help="answers in order, e.g. 503,503,200 or 429:retry-after=1,200")
    parser.add_argument("--compact", action="store_true", help="record point counts only, not the decoded request")
    parser.add_argument("--blackhole", action="store_true", help="a port whose connections never complete")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate")
    parser.add_argument("--tls-key", help="the PEM key of --tls-cert")
    parser.add_argument("--tls-client-ca", help="require client certificates signed by this CA (mutual TLS)")
    args = parser.parse_args()
    # A test runner may start us with SIGTERM blocked; make sure terminating works.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    if args.blackhole:
        return blackhole(args.port)

    server_class = TLSReceiverServer if args.tls_cert else ThreadingHTTPServer
    server = server_class(("127.0.0.1", args.port), Receiver)
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args.tls_cert, args.tls_key)
        if args.tls_client_ca:
            context.load_verify_locations(cafile=args.tls_client_ca)
            context.verify_mode = ssl.CERT_REQUIRED
        server.tls_context = context
    server.daemon_threads = True
    server.lock = threading.Lock()
    server.script = parse_script(args.script)
    server.out_path = args.out
    server.compact = args.compact
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
