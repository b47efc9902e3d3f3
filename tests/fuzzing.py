"""A seeded mutator of content trees, and a worker that runs `mooc check` and `mooc build` on each tree it is given.

The mutator breaks a copy of a small valid tree the ways files get broken: lines deleted, duplicated or
re-indented, values replaced by wrong ones, junk bytes and invisible characters pasted, files truncated,
emptied, replaced by folders, pipes or links out of the tree, renamed, removed, added. The same seed gives the
same tree, so a failure names a tree anyone can make again (``python -m tests.fuzzing SEED FOLDER``).

The worker (``python -m tests.fuzzing --worker``) reads tree folders on its standard input and answers one
JSON line per tree, so that the test can give each tree a deadline: one Python process for all the trees
(starting one per run would cost more than the runs).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import traceback
from pathlib import Path

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal"

VALUES = ["", "~", "[]", "{}", "[a, [b]]", "{a: {b: c}}", "-1", "0", "1e999", "9" * 40, "-" + "9" * 400, ".inf",
          ".nan", "NaN", "0x1F", "1_000", "2017-02-30", "9999-12-31", "0001-01-01", "2017-11-14T10:00", "yes",
          "oui", "null", "15min", "99999h", "4:99", "1h60", "-5min", "'unterminated", '"<!--<script>"',
          "&anchor x", "*alias", "!!binary aGVsbG8=", "!!python/object/apply:os.system [ls]", "|\n  block\n  text",
          ">-\n  folded", "100%", "-5%", "300%", "CC-BY-XX", "LicenseRef-", "https://", "javascript:alert(1)",
          "../../../etc/passwd", "/etc/passwd", "media/../../x.svg", "C:\\x.mp4", "a: b: c", "- - -", "? x",
          "\"\\u2028\"", "\"\\x00\"", "\"\\r\"", "'''", "{{ x }}", "{% raw %}", "\"" + "é" * 3000 + "\"",
          "../media/clip.mp4", "../media/clip.svg", "first.quiz.yml", "../02-suite/01-third.md", "con",
          "single", "multiple", "numeric", "text", "true_false", "matching", "weekly", "all"]

JUNK = ["\t", "\x00", "\x07", "\x1b[31m", "\ufeff", "\u2028", "\u0085", "\u200b", "'", '"', "[", "{", "}", ": ",
        "#", "---\n", "...\n", "- ", "&a ", "*a ", "<<: *a\n", "%YAML 1.1\n", "\n\n", "\r", "\\", "`", "<script>",
        "](", "![](", "[^1]", "{lang=}", "{#mooc-quiz}", "|", "\n  - ", "é", "\U0001F600", "\udcff"]

NAMES = ["Upper", "with space", "new\nline", "con", "assets", "00-zero", "01-dup", "x", "", ".hidden", "_draft",
         "ÉTÉ", "a..b", "-dash", "9" * 30]


def text_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()
                  and p.suffix in (".yml", ".md", ".vtt", ".svg"))


def mutate(root: Path, rng: random.Random) -> list[str]:
    """Break the tree at ``root`` in one to three ways; returns what was done."""
    done = []
    for _ in range(rng.randint(1, 3)):
        files = text_files(root)
        if not files:
            break
        target = rng.choice(files)
        done.append(_one(root, target, rng))
    return done


def _one(root: Path, target: Path, rng: random.Random) -> str:
    rel = target.relative_to(root).as_posix()
    data = target.read_bytes()
    lines = data.split(b"\n")
    kind = rng.randrange(14)
    line = rng.randrange(len(lines))
    if kind == 0:
        del lines[line]
        target.write_bytes(b"\n".join(lines))
        return f"{rel}: line {line + 1} deleted"
    if kind == 1:
        lines.insert(line, lines[line])
        target.write_bytes(b"\n".join(lines))
        return f"{rel}: line {line + 1} duplicated"
    if kind in (2, 3, 4):  # the most frequent: a value replaced by a wrong one
        candidates = [i for i, ln in enumerate(lines) if b": " in ln] or [line]
        line = rng.choice(candidates)
        key, _, _old = lines[line].partition(b": ")
        value = rng.choice(VALUES).encode("utf-8")
        lines[line] = key + b": " + value
        target.write_bytes(b"\n".join(lines))
        return f"{rel}: line {line + 1} value {value[:40]!r}"
    if kind in (5, 6):
        junk = rng.choice(JUNK).encode("utf-8", "surrogatepass")
        if rng.random() < 0.2:
            junk = bytes([rng.randrange(256) for _ in range(rng.randint(1, 4))])
        at = rng.randrange(len(data) + 1)
        target.write_bytes(data[:at] + junk + data[at:])
        return f"{rel}: {junk!r} at byte {at}"
    if kind == 7:
        spaces = rng.choice([1, 2, 3, 4])
        lines[line] = (b" " * spaces + lines[line]) if rng.random() < 0.6 else lines[line].lstrip(b" ")
        target.write_bytes(b"\n".join(lines))
        return f"{rel}: line {line + 1} re-indented"
    if kind == 8:
        at = rng.randrange(len(data) + 1)
        target.write_bytes(data[:at])
        return f"{rel}: cut at byte {at}"
    if kind == 9:
        return f"{rel}: {_replaced(target, rng)}"
    if kind == 10:
        victim = target if rng.random() < 0.7 else target.parent
        if victim == root:
            victim = target
        name = _renamed(victim.name, rng)
        if name in ("", ".", "..") or (victim.parent / name).exists():
            return f"{rel}: not renamed"
        new = victim.parent / name
        os.rename(victim, new)
        return f"{victim.relative_to(root).as_posix()} renamed {new.name!r}"
    if kind == 11:
        victim = target if rng.random() < 0.8 or target.parent == root else target.parent
        if victim.is_dir():
            shutil.rmtree(victim)
        else:
            victim.unlink()
        return f"{victim.relative_to(root).as_posix()} removed"
    if kind == 12:
        new = target.with_name(rng.choice(["03-added.md", "extra.quiz.yml", "module.yml", "04-x.md"]))
        new.write_bytes(b"\n".join(rng.sample(lines, k=min(len(lines), rng.randint(1, 6)))))
        return f"{new.relative_to(root).as_posix()} written from {rel}"
    lines[line] = lines[line] * rng.choice([2, 50, 2000])
    target.write_bytes(b"\n".join(lines))
    return f"{rel}: line {line + 1} repeated"


def _replaced(target: Path, rng: random.Random) -> str:
    what = rng.randrange(7)
    target.unlink()
    if what == 0:
        target.write_bytes(b"")
        return "emptied"
    if what == 1:
        target.mkdir()
        return "made a folder"
    if what == 2 and hasattr(os, "mkfifo"):
        os.mkfifo(target)
        return "made a named pipe"
    if what == 3:
        target.symlink_to("/dev/zero")
        return "a link to /dev/zero"
    if what == 4:
        target.symlink_to(target.name)
        return "a link to itself"
    if what == 5:
        target.write_bytes(b"x" * 2_100_000)
        return "2.1 MB"
    target.write_bytes(bytes(rng.randrange(256) for _ in range(300)))
    return "binary"


def _renamed(name: str, rng: random.Random) -> str:
    new = rng.choice(NAMES)
    if rng.random() < 0.5 and "." in name:
        return new + name[name.index("."):]
    if rng.random() < 0.5 and "-" in name:
        return name.split("-", 1)[0] + "-" + new
    return new


def make_tree(seed: int, folder: Path) -> list[str]:
    """The tree of ``seed`` at ``folder`` (made; must not exist)."""
    shutil.copytree(FIXTURE, folder, symlinks=True)
    return mutate(folder, random.Random(seed))


def _work() -> None:
    """Run check, then build, on each tree named on stdin; one JSON line each."""
    import contextlib
    import io

    from mooc_builder.cli import cli

    def run(args: list[str]) -> tuple[int, str, str]:
        err = io.StringIO()
        code = 0
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                cli.main(args=args, prog_name="mooc", standalone_mode=True)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # what `mooc` would report as an internal error
                return 3, err.getvalue(), traceback.format_exc()
        return code, err.getvalue(), ""

    for line in sys.stdin:
        tree = Path(line.rstrip("\n"))
        os.chdir(tree.parent)
        check = run(["check", tree.name])
        build = run(["build", tree.name, "-o", "out", "--as-of", "2017-11-20", "--jobs", "1", "-q"])
        print(json.dumps({"tree": str(tree), "check": check, "build": build}), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        _work()
    else:
        for step in make_tree(int(sys.argv[1]), Path(sys.argv[2])):
            print(step)
