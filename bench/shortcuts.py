#!/usr/bin/env python3
"""What each speed trick buys: `mooc build` of the 2,000-sequence corpus with every short cut, then with each
one turned off (MOOC_SHORTCUTS_OFF, see mooc_builder/shortcuts.py), interleaved round after round, cold (a new
output folder) and after one edit (one sequence saved, `mooc build` again into the same folder).

    .venv/bin/python bench/shortcuts.py [--runs 5] [--size 2000]

It prints each configuration's medians and what turning the trick off costs, as a ratio to all on measured in
the same rounds (the machine is shared: only ratios within one run compare). docs/PERFORMANCE.md quotes it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import corpus  # noqa: E402
from run import BIN, SIZES  # noqa: E402

from mooc_builder.shortcuts import VARIABLE, Shortcut  # noqa: E402


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user and system, the build's worker processes included) of one command."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{errors.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--size", type=int, default=2000, help="sequences in the corpus (default 2000)")
    parser.add_argument("--only", default="", help="the short cuts to turn off, one after the other (default: "
                        "each, then all)")
    args = parser.parse_args()
    configs = ["", *(args.only.split(",") if args.only else [*(s.value for s in Shortcut), "all"])]
    cold: dict[str, list[tuple[float, float]]] = {c: [] for c in configs}
    edit: dict[str, list[tuple[float, float]]] = {c: [] for c in configs}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        courses, modules, sequences = SIZES.get(args.size, (max(1, args.size // 250), 10, 25))
        corpus.make(folder, courses, modules, sequences, others=False)
        page = sorted(folder.glob("courses/*/03-*/05-*.md"))[0]
        original = page.read_text(encoding="utf-8")
        mooc = [str(BIN / "mooc"), "build", str(folder), "--as-of", "2017-11-20", "--quiet"]
        for k in range(args.runs):
            for n, config in enumerate(configs):
                if config:
                    os.environ[VARIABLE] = config
                else:
                    os.environ.pop(VARIABLE, None)
                # A folder of its own for each cold build (see run.run_fresh).
                out = Path(tmp) / f"out-{k}-{n}"
                cold[config].append(timed([*mooc, "-o", str(out)]))
                page.write_text(original.replace("\n\n", f"\n\nEdit {k}. ", 1), encoding="utf-8")
                edit[config].append(timed([*mooc, "-o", str(out)]))
                page.write_text(original, encoding="utf-8")
            print(f"round {k + 1} of {args.runs} done", flush=True)
        os.environ.pop(VARIABLE, None)
    def medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
        return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)

    base_cold, base_edit = medians(cold[""]), medians(edit[""])
    print(f"\n{args.size} sequences, {args.runs} rounds; medians; 'x' is the cost with the trick off, to all on "
          "(wall, then CPU of the build and its processes)")
    print(f"{'turned off':<18} {'cold s':>7} {'x':>5} {'cpu s':>6} {'x':>5}   {'1 edit s':>8} {'x':>5} {'cpu s':>6} "
          f"{'x':>5}")
    for config in configs:
        (cw, cc), (ew, ec) = medians(cold[config]), medians(edit[config])
        print(f"{config or '(none)':<18} {cw:>7.3f} {cw / base_cold[0]:>5.2f} {cc:>6.2f} {cc / base_cold[1]:>5.2f}   "
              f"{ew:>8.3f} {ew / base_edit[0]:>5.2f} {ec:>6.2f} {ec / base_edit[1]:>5.2f}")


if __name__ == "__main__":
    main()
