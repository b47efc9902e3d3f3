"""The one ZIP writer, for download bundles and packages: reproducible, streamed, and able to take a member
deflated once.

A course's sheets go into the course's zip and into their module's: :func:`deflate` compresses one once
and :meth:`ZipWriter.add_deflated` writes the same compressed bytes into each. Files are streamed in
chunks, so memory stays flat whatever the size of a video. Sizes, offsets and counts past the 32-bit
fields of the format get ZIP64 records (APPNOTE 6.3.10, sections 4.3 to 4.5), as Python's zipfile writes
and reads them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 20
LEVEL = 6
_LIMIT = 0xFFFFFFFF  # what fits the 32-bit fields; more needs ZIP64
_COUNT_LIMIT = 0xFFFF
FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest date the format has: the same bytes at every build
_LAST_TIME = (2107, 12, 31, 23, 59, 58)  # the latest it holds
Stamp = tuple[int, int, int, int, int, int]  # year, month, day, hour, minute, second (as zipfile's date_time)
_STORED, _DEFLATED = 0, 8
_UTF8 = 0x800  # general purpose flag: the name is UTF-8
_UNIX = 3
_MODE = 0o644 << 16


@dataclass(frozen=True)
class Deflated:
    """A member's bytes compressed once, with what the archive and the bundle's lists need of them."""

    data: bytes  # raw deflate stream
    size: int
    crc: int
    sha256: str


def date_time(moment: dt.datetime) -> Stamp:
    """A moment as a member's date (UTC, as reproducible builds write it; the format holds no zone), within
    what the format holds: 1980 to 2107, to two seconds."""
    utc = moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment
    stamp = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
    return max(FIXED_TIME, min(_LAST_TIME, stamp))


def _dos(stamp: Stamp) -> tuple[int, int]:
    """(time, date) fields of a local header, as APPNOTE 4.4.6 packs them."""
    year, month, day, hour, minute, second = stamp
    return (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day


def deflate(data: bytes) -> Deflated:
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    packed = compressor.compress(data) + compressor.flush()
    return Deflated(packed, len(data), zlib.crc32(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class _Entry:
    name: bytes
    flags: int
    method: int
    crc: int
    packed: int
    size: int
    offset: int


class ZipWriter:
    """Writes members one after the other into ``handle`` (opened for writing, seekable); :meth:`close`
    writes the central directory. Every member is dated ``stamp`` (see :func:`date_time`)."""

    def __init__(self, handle: BinaryIO, limit: int = _LIMIT,
                 stamp: Stamp = FIXED_TIME) -> None:
        self._out = handle
        self._limit = limit  # lowered by tests, so that ZIP64 is exercised without gigabytes
        self._entries: list[_Entry] = []
        self._time, self._date = _dos(max(FIXED_TIME, min(_LAST_TIME, stamp)))

    def add_deflated(self, name: str, member: Deflated) -> None:
        self._add(name, _DEFLATED, member.crc, member.data, member.size)

    def add_stored(self, name: str, data: bytes) -> None:
        self._add(name, _STORED, zlib.crc32(data), data, len(data))

    def _add(self, name: str, method: int, crc: int, packed: bytes, size: int) -> None:
        encoded, flags = _name(name)
        zip64 = len(packed) >= self._limit or size >= self._limit
        start = self._out.tell()
        self._local_header(encoded, flags, method, crc, len(packed), size, zip64)
        self._out.write(packed)
        self._entries.append(_Entry(encoded, flags, method, crc, len(packed), size, start))

    def add_file(self, name: str, source: Path, deflated: bool) -> tuple[int, str]:
        """Stream ``source`` in, deflated or stored; (size, sha256) of what was read."""
        encoded, flags = _name(name)
        method = _DEFLATED if deflated else _STORED
        expected = source.stat().st_size
        # Decided before the bytes are known, as zipfile does: deflate may add a little to incompressible data.
        zip64 = expected * 1.05 >= self._limit
        start = self._out.tell()
        self._local_header(encoded, flags, method, 0, 0, 0, zip64)
        crc, size, packed = 0, 0, 0
        sha = hashlib.sha256()
        compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15) if deflated else None
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                crc = zlib.crc32(chunk, crc)
                sha.update(chunk)
                size += len(chunk)
                out = compressor.compress(chunk) if compressor is not None else chunk
                self._out.write(out)
                packed += len(out)
            if compressor is not None:
                tail = compressor.flush()
                self._out.write(tail)
                packed += len(tail)
        if not zip64 and (size >= self._limit or packed >= self._limit):
            raise OSError(f"{source} grew past 4 GB while it was being zipped")
        end = self._out.tell()
        self._out.seek(start)
        self._local_header(encoded, flags, method, crc, packed, size, zip64)
        self._out.seek(end)
        self._entries.append(_Entry(encoded, flags, method, crc, packed, size, start))
        return size, sha.hexdigest()

    def add_copy(self, reader: ZipReader, name: str) -> bool:
        """Copy member ``name`` of a zip this writer made, its local header and data as they are but for the
        date, which becomes this archive's (no byte is compressed or hashed again); False when that zip has no
        such member."""
        info = reader.member(name)
        if info is None:
            return False
        source = reader.handle
        source.seek(info.header_offset)
        header = source.read(30)
        encoded, flags = _name(name)
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return False
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        if source.read(name_length) != encoded:
            return False
        start = self._out.tell()
        self._out.write(header[:10] + struct.pack("<HH", self._time, self._date) + header[14:])
        left = name_length + extra_length + info.compress_size
        source.seek(info.header_offset + 30)
        while left:
            chunk = source.read(min(CHUNK, left))
            if not chunk:
                raise OSError(f"{reader.path} ends in the middle of {name}")
            self._out.write(chunk)
            left -= len(chunk)
        self._entries.append(_Entry(encoded, flags, info.compress_type, info.CRC, info.compress_size, info.file_size,
                                    start))
        return True

    def _local_header(self, name: bytes, flags: int, method: int, crc: int, packed: int, size: int,
                      zip64: bool) -> None:
        extra = struct.pack("<HHQQ", 1, 16, size, packed) if zip64 else b""
        self._out.write(struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 20, flags, method, self._time, self._date, crc,
            _LIMIT if zip64 else packed, _LIMIT if zip64 else size, len(name), len(extra)) + name + extra)

    def close(self) -> None:
        start = self._out.tell()
        for entry in self._entries:
            # In this order, only the values that do not fit their field (APPNOTE 4.5.3).
            wide = [v for v in (entry.size, entry.packed, entry.offset) if v >= self._limit]
            extra = struct.pack(f"<HH{len(wide)}Q", 1, 8 * len(wide), *wide) if wide else b""
            version = 45 if wide else 20
            self._out.write(struct.pack(
                "<IHHHHHHIIIHHHHHII", 0x02014B50, (_UNIX << 8) | version, version, entry.flags, entry.method,
                self._time, self._date, entry.crc, entry.packed if entry.packed < self._limit else _LIMIT,
                entry.size if entry.size < self._limit else _LIMIT, len(entry.name), len(extra), 0, 0, 0, _MODE,
                entry.offset if entry.offset < self._limit else _LIMIT) + entry.name + extra)
        size = self._out.tell() - start
        count = len(self._entries)
        if count >= _COUNT_LIMIT or size >= self._limit or start >= self._limit:
            end64 = self._out.tell()
            self._out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, (_UNIX << 8) | 45, 45, 0, 0, count, count,
                                        size, start))
            self._out.write(struct.pack("<IIQI", 0x07064B50, 0, end64, 1))
            self._out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, min(count, _COUNT_LIMIT),
                                        min(count, _COUNT_LIMIT), min(size, _LIMIT), min(start, _LIMIT), 0))
        else:
            self._out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, size, start, 0))


class ZipReader:
    """A zip this writer made, opened to copy members from (see ZipWriter.add_copy)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.handle: BinaryIO = path.open("rb")
        try:
            self._infos = {info.filename: info for info in zipfile.ZipFile(self.handle).infolist()}
        except BaseException:
            self.handle.close()
            raise

    def member(self, name: str) -> zipfile.ZipInfo | None:
        return self._infos.get(name)

    def __enter__(self) -> ZipReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.handle.close()


def _name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8


# Already compressed: deflating them again costs time and saves nothing.
STORED = {"mp4", "m4v", "mov", "webm", "ogv", "mp3", "m4a", "ogg", "oga", "opus", "jpg", "jpeg", "png", "gif",
          "webp", "avif", "pdf", "zip", "gz", "xz", "bz2", "7z", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"}


_SAFE_NAME = re.compile(r"^[^\x00-\x1f\\:*?\"<>|]+$")


class BundleError(Exception):
    """A bundle could not be made safely; the message names the file."""


def is_stored(name: str) -> bool:
    """Whether a member is stored as it is: already compressed (video, picture, PDF...)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension in STORED


def check_member_path(path: str) -> str:
    """Refuse any name that could escape the folder the bundle is unpacked into, on any system."""
    parts = path.split("/")
    if (not path or path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts)
            or not _SAFE_NAME.match(path) or re.match(r"^[A-Za-z]:", path)):
        raise BundleError(f"unsafe file name in a bundle: {path!r}")
    return path
