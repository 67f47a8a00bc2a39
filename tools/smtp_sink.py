#!/usr/bin/env python3
"""A real SMTP server for tests: accepts every message and stores it as an .eml file.

    python3 tools/smtp_sink.py --port 2525 --dir /tmp/mail [--fail-first N] [--ready-file F]

--fail-first N answers the first N messages with a temporary failure (451), so retry logic can
be tested against a real server. Prints "ready <port>" once listening; `--port 0` takes a port
the system chooses (the one printed), so parallel tests never race for a port.
"""
import argparse
import asyncio
import itertools
import os
import signal
import socket
import sys
import time

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, directory, fail_first):
        self.directory = directory
        self.fail_left = fail_first
        self.counter = itertools.count()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.fail_left > 0:
            self.fail_left -= 1
            return "451 4.3.0 Temporary failure, try again later"
        n = next(self.counter)
        name = f"{time.time_ns()}-{n:06d}.eml"
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.replace(tmp, os.path.join(self.directory, name))
        return "250 Message accepted for delivery"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=2525)
    p.add_argument("--dir", required=True)
    p.add_argument("--fail-first", type=int, default=0)
    p.add_argument("--ready-file")
    args = p.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # Bound here, before anything is printed: the port printed is the one listening.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(128)
    handler = Sink(args.dir, args.fail_first)
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, data_size_limit=50 * 1024 * 1024), sock=sock
        )
    )
    port = sock.getsockname()[1]
    print(f"ready {port}", flush=True)
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write(str(port))
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    loop.run_until_complete(stop.wait())
    server.close()
    loop.run_until_complete(server.wait_closed())
    sys.exit(0)

if __name__ == "__main__":
    main()
