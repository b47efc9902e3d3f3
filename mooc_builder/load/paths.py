"""Media paths as authors write them, resolved and confined to the content folder, and what to say when one
is refused."""

from __future__ import annotations

import difflib
import enum
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from mooc_builder.lang.text import Message, Text, say
from mooc_builder.model import pictures


class Refused(enum.Enum):
    """Why a path was refused; the value is how a link's error says it."""

    EMPTY = "empty path"
    NOT_LOCAL = "not a local file"
    ABSOLUTE = "absolute path or backslash"
    CONTROL = "control character in the name"
    OUTSIDE = "outside the content folder"
    LOOP = "symlink loop"
    SYMLINK_OUTSIDE = "symlink outside the content folder"
    MISSING = "file not found"
    NOT_A_FILE = "not a file"
    SPECIAL = "a named pipe, a device or a socket, not a file"
    RESERVED = "in a folder named mooc-sizes, which the site keeps for its smaller copies of pictures"


# Why a path was refused, as a message says it (Refused's values are the English).
REASONS = {
    Refused.EMPTY: say("empty path"),
    Refused.NOT_LOCAL: say("not a local file"),
    Refused.ABSOLUTE: say("absolute path or backslash"),
    Refused.CONTROL: say("control character in the name"),
    Refused.OUTSIDE: say("outside the content folder"),
    Refused.LOOP: say("symlink loop"),
    Refused.SYMLINK_OUTSIDE: say("symlink outside the content folder"),
    Refused.MISSING: say("file not found"),
    Refused.NOT_A_FILE: say("not a file"),
    Refused.SPECIAL: say("a named pipe, a device or a socket, not a file"),
    Refused.RESERVED: say("in a folder named mooc-sizes, which the site keeps for its smaller copies of pictures"),
}


# What a key's refused path is told, by reason: each message takes the path and what the file is ({path},
# {what}); a reason without its own message is said with its REASONS words.
_REFUSALS = {
    Refused.MISSING: say("{what} '{path}' not found"),
    Refused.NOT_LOCAL: say("'{path}' is not a local file"),
    Refused.ABSOLUTE: say("'{path}' is an absolute path or uses backslashes"),
    Refused.OUTSIDE: say("'{path}' leaves the content folder"),
    Refused.SYMLINK_OUTSIDE: say("'{path}' is a symlink to a file outside the content folder"),
    Refused.NOT_A_FILE: say("'{path}' is a folder, not a file"),
    Refused.SPECIAL: say("'{path}' is a named pipe, a device or a socket, not a file"),
    Refused.EMPTY: say("the {what} path is empty"),
}


def refusal(raw: str, reason: Refused, what: Message) -> Text:
    """The message for a path named by a key (a video's src, a logo...); ``what``: what the file is, e.g.
    say("video file")."""
    message = _REFUSALS.get(reason)
    if message is None:
        return say("'{path}': {reason}", path=raw, reason=REASONS[reason])
    return Text(message.template, (("path", raw), ("what", what)))


def refusal_hint(reason: Refused, raw: str, base_dir: Path) -> Text:
    if reason is Refused.MISSING:
        # Course media live one level above module folders: a path copied from an example
        # that omits '../' is the most common slip.
        for prefix in ("../", "../../"):
            if (base_dir / (prefix + raw)).is_file():
                return say("did you mean '{path}'? paths are relative to this file", path=prefix + raw)
        folder = (base_dir / raw).parent
        if folder.is_dir():
            names = sorted(p.name for p in folder.iterdir() if p.is_file())
            close = difflib.get_close_matches(Path(raw).name, names, n=1, cutoff=0.6)
            if close:
                return say("did you mean '{option}'?", option=(PurePosixPath(raw).parent / close[0]).as_posix())
        return say("write the path relative to this file, e.g. {example}", example=_example(raw, base_dir))
    if reason is Refused.NOT_LOCAL:
        return say("for an external video use url: instead of src:")
    if reason is Refused.SPECIAL:
        return say("replace it with the file it should be")
    return say("keep media inside the content folder and write paths relative to this file with /")


def _example(raw: str, base_dir: Path) -> str:
    """A path written right from ``base_dir``, taken from the author's own tree: a file of the nearest media
    folder (media/, ../media/, ../../media/), one of the same kind as ``raw`` if there is one; else the name
    the author wrote, in media/."""
    name = PurePosixPath(raw.strip()).name
    for prefix in ("", "../", "../../"):
        folder = base_dir / prefix / "media"
        try:
            names = sorted(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        except OSError:
            continue
        if names:
            alike = [n for n in names if PurePosixPath(n).suffix.lower() == PurePosixPath(name).suffix.lower()]
            return f"{prefix}media/{(alike or names)[0]}"
    return f"media/{name or 'fiche.pdf'}"


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
                       folders: dict[str, str] | None = None) -> tuple[Path, None] | tuple[None, Refused]:
    """Resolve a media path written in a file of folder ``base_dir``: (path, None) or (None, why not).

    The path must stay inside ``root`` both as written and once symlinks are followed (``real_root``: root
    resolved already, and ``folders``: see :func:`real_path`, for a caller resolving many paths).
    """
    raw = raw.strip()
    if not raw:
        return None, Refused.EMPTY
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", raw):
        return None, Refused.NOT_LOCAL
    if raw.startswith(("/", "\\")) or "\\" in raw:
        return None, Refused.ABSOLUTE
    if re.search(r"[\x00-\x1f\x7f]", raw):
        return None, Refused.CONTROL
    candidate = base_dir / raw
    try:
        lexical = Path(*_normalise(candidate.relative_to(root).parts))
    except ValueError:
        return None, Refused.OUTSIDE
    if lexical.parts and lexical.parts[0] == "..":
        return None, Refused.OUTSIDE
    if any(p.casefold() == pictures.FOLDER for p in lexical.parts[:-1]):  # the build's: see model/pictures.py
        return None, Refused.RESERVED
    try:
        real_root = real_root or root.resolve()
        real = real_path(candidate, folders)
    except (OSError, RuntimeError):  # a symlink loop
        return None, Refused.LOOP
    if not real.is_relative_to(real_root):
        return None, Refused.SYMLINK_OUTSIDE
    try:
        mode = os.stat(real).st_mode
    except (OSError, ValueError):
        return None, Refused.MISSING
    if not stat.S_ISREG(mode):
        return None, Refused.NOT_A_FILE if stat.S_ISDIR(mode) else Refused.SPECIAL
    return root / lexical, None


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
