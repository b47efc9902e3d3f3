#!/usr/bin/env python3
"""Bounded load test of `mooc serve` as a training room uses it: many phones at once on the local network.

Starts `mooc serve --no-reload` on the reference site on a free 127.0.0.1 port, then
CLIENTS concurrent clients fetch pages and byte ranges of a video for SECONDS
seconds (loopback only, bounded in time, stops by itself). Prints requests per
second, latency percentiles and errors; exits 1 on any error.

    python bench/serve_load.py [--clients 50] [--seconds 20]
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "mooc_builder", "serve", str(args.content), "--no-reload",
                               "--port", str(port), "--as-of", "2017-11-20"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        wait_for(port)
        pages, videos = discover(port)
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + args.seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            while time.monotonic() < stop_at:
                headers = {}
                if rng.random() < 0.3:
                    path = rng.choice(videos)
                    start = rng.randint(0, 4000)
                    headers["Range"] = f"bytes={start}-{start + rng.randint(0, 4095)}"
                    expected = 206
                else:
                    path, expected = rng.choice(pages), 200
                began = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    status = -1
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    with lock:
                        errors.append(f"{path}: {exc}")
                elapsed = time.perf_counter() - began
                with lock:
                    latencies.append(elapsed)
                    if status not in (expected, -1):
                        errors.append(f"{path}: HTTP {status}")
            connection.close()

        threads = [threading.Thread(target=client, args=(k,)) for k in range(args.clients)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.monotonic() - began
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    print(f"mooc serve load test: {args.clients} clients for {args.seconds:.0f} s on 127.0.0.1, "
          f"{os.cpu_count()} cores (server and clients on the same machine)")
    print(f"  requests: {len(latencies)}  ({len(latencies) / wall:.0f} per second), errors: {len(errors)}")
    print(f"  latency ms: p50 {pct(50):.1f}  p90 {pct(90):.1f}  p99 {pct(99):.1f}  max {latencies[-1] * 1000:.1f}"
          f"  mean {statistics.fmean(latencies) * 1000:.1f}")
    for line in errors[:10]:
        print("  error:", line)
    sys.exit(1 if errors or not latencies else 0)


def discover(port: int) -> tuple[list[str], list[str]]:
    """Pages and videos of the served site, found by following links from the home page."""
    import re

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    seen: set[str] = set()
    queue, videos = ["/index.html"], set()
    while queue and len(seen) < 200:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        connection.request("GET", path)
        body = connection.getresponse().read().decode("utf-8", "replace")
        base = path.rsplit("/", 1)[0] + "/"
        for link in re.findall(r'(?:href|src)="([^"#:]+)"', body):
            target = os.path.normpath(base + link).replace("\\", "/")
            if target.endswith(".html") and target not in seen:
                queue.append(target)
            elif target.endswith(".mp4"):
                videos.add(target)
    connection.close()
    return sorted(seen), sorted(videos)


if __name__ == "__main__":
    main()
