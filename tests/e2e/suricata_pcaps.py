#!/usr/bin/python3
"""suricata_pcaps.py OUTDIR LISTED_DOMAIN UNLISTED_DOMAIN LISTED_IP UNLISTED_IP

Writes the packet captures the Suricata test replays, and the files they
download: OUTDIR/NAME.pcap for each case below and OUTDIR/NAME.bin for
each HTTP body, printing "NAME md5 sha1 sha256" for each body so that the
test can vote on them. Nothing is sent anywhere: scapy only writes files
(the client and resolver addresses are private ones).

  dns-listed, dns-listed-upper, dns-unlisted   a DNS query and its answer
  tcp-to-listed, tcp-from-listed, tcp-unlisted a TCP connection with data
  http-md5, http-sha1, http-sha256, http-big, http-unlisted
                                               an HTTP download of a body
"""
import hashlib
import os
import sys

from scapy.all import DNS, DNSQR, DNSRR, IP, IPv6, TCP, UDP, Ether, wrpcap

CLIENT = "10.0.0.10"
CLIENT6 = "fd00::10"
RESOLVER = "10.0.0.53"
WEB = "10.0.0.80"


class Clock:
    """Packet times that grow, so Suricata sees them in order."""

    def __init__(self):
        self.now = 1_700_000_000.0

    def __call__(self):
        self.now += 0.001
        return self.now


def frame(src, dst, from_client):
    ether = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    if not from_client:
        ether = Ether(src="02:00:00:00:00:02", dst="02:00:00:00:00:01")
    return ether / (IPv6(src=src, dst=dst) if ":" in src else IP(src=src, dst=dst))


def tcp_session(client, server, sport, dport, request, response, segment=1400):
    """A whole TCP conversation: handshake, request, response in segments, close."""
    clock, packets = Clock(), []
    seq = {"c": 1000, "s": 5000}

    def send(side, flags, payload=b""):
        src, dst = (client, server) if side == "c" else (server, client)
        ports = (sport, dport) if side == "c" else (dport, sport)
        other = "s" if side == "c" else "c"
        packet = frame(src, dst, side == "c") / TCP(sport=ports[0], dport=ports[1], flags=flags, seq=seq[side],
                                                     ack=seq[other] if "A" in flags else 0, window=64240)
        if payload:
            packet = packet / payload
        packet.time = clock()
        packets.append(packet)
        seq[side] += len(payload) + (1 if ("S" in flags or "F" in flags) else 0)

    send("c", "S")
    send("s", "SA")
    send("c", "A")
    if request:
        send("c", "PA", request)
        send("s", "A")
    for start in range(0, len(response), segment):
        send("s", "PA", response[start:start + segment])
        send("c", "A")
    send("s", "FA")
    send("c", "FA")
    send("s", "A")
    return packets


def dns_query(name):
    clock = Clock()
    query = frame(CLIENT, RESOLVER, True) / UDP(sport=53000, dport=53) / DNS(id=0x1234, rd=1, qd=DNSQR(qname=name))
    query.time = clock()
    answer = frame(RESOLVER, CLIENT, False) / UDP(sport=53, dport=53000) / DNS(
        id=0x1234, qr=1, rd=1, ra=1, qd=DNSQR(qname=name), an=DNSRR(rrname=name, ttl=60, rdata="10.0.0.99"))
    answer.time = clock()
    return [query, answer]


def http_download(body, path):
    request = f"GET /{path} HTTP/1.1\r\nHost: files.test\r\nAccept: */*\r\n\r\n".encode()
    response = (f"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n").encode() + body
    return tcp_session(CLIENT, WEB, 41000, 80, request, response)


def main():
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    out, listed, unlisted, listed_ip, unlisted_ip = sys.argv[1:]
    os.makedirs(out, exist_ok=True)
    bodies = {
        "http-md5": b"a file listed by its MD5\n" * 100,
        "http-sha1": b"a file listed by its SHA-1\n" * 100,
        "http-sha256": b"a file listed by its SHA-256\n" * 100,
        # Larger than Debian's default response-body-limit (100 KiB).
        "http-big": b"".join(b"a large file listed by its MD5, line %06d\n" % i for i in range(8000)),
        "http-unlisted": b"a file nobody listed\n" * 100,
    }
    client = CLIENT6 if ":" in listed_ip else CLIENT
    captures = {
        "dns-listed": dns_query(listed),
        "dns-listed-upper": dns_query(listed.upper()),
        "dns-unlisted": dns_query(unlisted),
        "tcp-to-listed": tcp_session(client, listed_ip, 40000, 9999, b"hello\r\n", b"world\r\n"),
        "tcp-from-listed": tcp_session(listed_ip, client, 40001, 9999, b"hello\r\n", b"world\r\n"),
        "tcp-unlisted": tcp_session(client, unlisted_ip, 40002, 9999, b"hello\r\n", b"world\r\n"),
    }
    for name, body in bodies.items():
        captures[name] = http_download(body, name + ".bin")
        with open(os.path.join(out, name + ".bin"), "wb") as file:
            file.write(body)
        print(name, hashlib.md5(body).hexdigest(), hashlib.sha1(body).hexdigest(), hashlib.sha256(body).hexdigest())
    for name, packets in captures.items():
        wrpcap(os.path.join(out, name + ".pcap"), packets)


if __name__ == "__main__":
    main()
