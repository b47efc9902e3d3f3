"""Media paths as authors write them, resolved and confined to the content folder."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path


def real_path(path: Path, folders: dict[str, str] | None = None) -> Path:
    """``path.resolve()``, with the real path of its folder taken from ``folders`` (and kept there): a site's
    thousands of links point into a few folders, and resolving each link's folders again is one system call
    per folder level. Raises OSError or RuntimeError (a symlink loop) as ``resolve`` does."""
    head, tail = os.path.split(path)
    if folders is None or not head or tail in ("", ".", ".."):
        return path.resolve()
    real_head = folders.get(head)
    if real_head is None:
        real_head = folders[head] = os.fspath(Path(head).resolve())
    joined = os.path.join(real_head, tail)
    # Below a real folder, only the last name may still be a symlink.
    return Path(joined).resolve() if os.path.islink(joined) else Path(joined)


def resolve_local_path(raw: str, base_dir: Path, root: Path, real_root: Path | None = None,
                       folders: dict[str, str] | None = None) -> tuple[Path | None, str]:
    """Resolve a media path written in a file of folder ``base_dir``; (path, '') or (None, reason).

    The path must stay inside ``root`` both as written and once symlinks are followed (``real_root``: root
    resolved already, and ``folders``: see :func:`real_path`, for a caller resolving many paths).
    """
    raw = raw.strip()
    if not raw:
        return None, "empty path"
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw):
        return None, "not a local file"
    if raw.startswith(("/", "\\")) or "\\" in raw:
        return None, "absolute path or backslash"
    if re.search(r"[\x00-\x1f\x7f]", raw):
        return None, "control character in the name"
    candidate = base_dir / raw
    try:
        lexical = Path(*_normalise(candidate.relative_to(root).parts))
    except ValueError:
        return None, "outside the content folder"
    if lexical.parts and lexical.parts[0] == "..":
        return None, "outside the content folder"
    try:
        real_root = real_root or root.resolve()
        real = real_path(candidate, folders)
    except (OSError, RuntimeError):  # a symlink loop
        return None, "symlink loop"
    if not real.is_relative_to(real_root):
        return None, "symlink outside the content folder"
    try:
        mode = os.stat(real).st_mode
    except (OSError, ValueError):
        return None, "missing"
    if not stat.S_ISREG(mode):
        return None, "not a file"
    return root / lexical, ""


def _normalise(parts: Iterable[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if part in ("", "."):
            continue
        if part == "..":
            if out and out[-1] != "..":
                out.pop()
            else:
                out.append("..")
        else:
            out.append(part)
    return out
