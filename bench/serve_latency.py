#!/usr/bin/env python3
"""Time from saving a sequence to the reloaded page in the browser, with `mooc serve` on a large corpus.

Makes a corpus (2,000 sequences by default: ../shared/bench/make_corpus.py when it
is there, else bench/make_corpus.py), starts `mooc serve` on it, opens a sequence
in headless Chromium, then saves an edit to that sequence several times and
measures, each time, until the page has reloaded and shows the edit.

    python bench/serve_latency.py [--courses 8 --modules 10 --sequences 25] [--runs 7]
"""

from __future__ import annotations

import argparse
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--courses", type=int, default=8)
    parser.add_argument("--modules", type=int, default=10)
    parser.add_argument("--sequences", type=int, default=25)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "corpus"
        source = corpus.make(content, args.courses, args.modules, args.sequences)
        count = len(list(content.glob("courses/*/*/*.md")))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "mooc_builder", "serve", str(content), "--port", str(port)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            assert server.stdout is not None
            for line in server.stdout:
                if line.startswith("Serving"):
                    break
            first_build = time.perf_counter() - started
            page_file = sorted(content.glob("courses/*/03-*/05-*.md"))[0]
            course, module = page_file.parent.parent.name, page_file.parent.name.split("-", 1)[1]
            sequence = page_file.stem.split("-", 1)[1]
            url = f"http://127.0.0.1:{port}/{course}/{module}/{sequence}/index.html"
            times = []
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.goto(url)
                page.wait_for_timeout(500)  # let the event stream connect
                original = page_file.read_text(encoding="utf-8")
                for run in range(args.runs):
                    marker = f"marker{run}x{time.time_ns()}"
                    began = time.perf_counter()
                    page_file.write_text(original.replace("\n\n", f"\n\n{marker} ", 1), encoding="utf-8")
                    page.wait_for_function(f"document.body && document.body.innerText.includes('{marker}')",
                                           timeout=30_000, polling=10)
                    times.append(time.perf_counter() - began)
                    page.wait_for_timeout(300)
                browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)
    print(f"mooc serve: save-to-reloaded-page on {count} sequences (corpus: {source}); "
          f"first build {first_build:.1f} s")
    print(f"  median {statistics.median(times) * 1000:.0f} ms, min {min(times) * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms over {len(times)} saves")


if __name__ == "__main__":
    main()
