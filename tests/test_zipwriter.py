"""The bundles' ZIP writer, read back by Python's zipfile: every kind of member, ZIP64 past each 32-bit
limit (lowered here so that no test writes gigabytes), and one deflate serving two archives."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import struct
import zipfile
from pathlib import Path

import pytest

from mooc_builder.write.zip import CHUNK, ZipReader, ZipWriter, date_time, deflate


def read_back(data: bytes) -> zipfile.ZipFile:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None  # every member's CRC checks
    for info in archive.infolist():
        assert local_header(data, info.header_offset) == (info.filename, info.compress_type, info.CRC,
                                                          info.compress_size, info.file_size)
    return archive


def local_header(data: bytes, offset: int) -> tuple[str, int, int, int, int]:
    """What a reader that streams the archive (and never sees the central directory) learns of a member."""
    (signature, _version, flags, method, _time, _date, crc, packed, size, name_length,
     extra_length) = struct.unpack_from("<IHHHHHIIIHH", data, offset)
    assert signature == 0x04034B50
    name = data[offset + 30:offset + 30 + name_length].decode("utf-8" if flags & 0x800 else "cp437")
    extra = data[offset + 30 + name_length:offset + 30 + name_length + extra_length]
    if size == 0xFFFFFFFF or packed == 0xFFFFFFFF:
        tag, length, size, packed = struct.unpack_from("<HHQQ", extra)
        assert (tag, length) == (1, 16)
    return name, method, crc, packed, size


def test_every_kind_of_member_reads_back(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(os.urandom(CHUNK * 2 + 17))  # several chunks
    captions = tmp_path / "clip.vtt"
    captions.write_text("WEBVTT\n\n" + "00:00.000 --> 00:01.000\nBonjour\n\n" * 40000, encoding="utf-8")
    sheet = "<h1>Fiche</h1>" * 500
    out = io.BytesIO()
    writer = ZipWriter(out)
    writer.add_deflated("b/sheet.html", deflate(sheet.encode()))
    writer.add_stored("b/photo.jpg", b"\xff\xd8jpeg")
    assert writer.add_file("b/clip.mp4", video, deflated=False)[0] == video.stat().st_size
    size, digest = writer.add_file("b/clip.vtt", captions, deflated=True)
    writer.add_deflated("b/réunion é.txt", deflate("été".encode()))
    writer.add_stored("b/empty.pdf", b"")
    writer.close()
    archive = read_back(out.getvalue())
    assert archive.read("b/sheet.html").decode() == sheet
    assert archive.read("b/photo.jpg") == b"\xff\xd8jpeg"
    assert archive.read("b/clip.mp4") == video.read_bytes()
    assert archive.read("b/clip.vtt") == captions.read_bytes()
    assert (size, digest) == (captions.stat().st_size, hashlib.sha256(captions.read_bytes()).hexdigest())
    assert archive.read("b/réunion é.txt").decode() == "été"
    assert archive.read("b/empty.pdf") == b""
    infos = {i.filename: i for i in archive.infolist()}
    assert infos["b/clip.mp4"].compress_type == zipfile.ZIP_STORED
    assert infos["b/clip.vtt"].compress_type == zipfile.ZIP_DEFLATED
    assert infos["b/clip.vtt"].compress_size < infos["b/clip.vtt"].file_size / 10
    assert infos["b/réunion é.txt"].flag_bits & 0x800  # the name is marked UTF-8
    assert not infos["b/sheet.html"].flag_bits & 0x800
    for info in infos.values():
        assert info.date_time == (1980, 1, 1, 0, 0, 0)
        assert (info.create_system, info.external_attr >> 16) == (3, 0o644)


def test_one_deflate_in_two_archives_is_what_zipfile_makes(tmp_path: Path) -> None:
    text = ("Chaque printemps, le bailleur régularise les charges. " * 300).encode()
    packed = deflate(text)
    archives = []
    for _ in range(2):
        out = io.BytesIO()
        writer = ZipWriter(out)
        writer.add_deflated("a/sheet.html", packed)
        writer.close()
        archives.append(out.getvalue())
    assert archives[0] == archives[1]
    reference = tmp_path / "reference.zip"
    with zipfile.ZipFile(reference, "w") as archive:
        archive.writestr("a/sheet.html", text, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    ours, theirs = read_back(archives[0]).getinfo("a/sheet.html"), zipfile.ZipFile(reference).getinfo("a/sheet.html")
    assert (ours.CRC, ours.compress_size, ours.file_size) == (theirs.CRC, theirs.compress_size, theirs.file_size)


@pytest.mark.parametrize("limit", [50, 3000])
def test_zip64_past_each_limit(tmp_path: Path, limit: int) -> None:
    # limit 50: every size and offset is "too big"; 3000: only the later offsets and the big members are.
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(5000))
    out = io.BytesIO()
    writer = ZipWriter(out, limit=limit)
    writer.add_stored("z/small.txt", b"small")
    writer.add_file("z/big.bin", big, deflated=False)
    writer.add_file("z/big-deflated.bin", big, deflated=True)
    writer.add_deflated("z/text.html", deflate(b"<p>texte</p>" * 1000))
    writer.add_stored("z/last.txt", b"last")
    writer.close()
    data = out.getvalue()
    assert b"PK\x06\x06" in data and b"PK\x06\x07" in data  # the ZIP64 end record and its locator
    archive = read_back(data)
    assert archive.namelist() == ["z/small.txt", "z/big.bin", "z/big-deflated.bin", "z/text.html", "z/last.txt"]
    assert archive.read("z/big.bin") == archive.read("z/big-deflated.bin") == big.read_bytes()
    assert archive.read("z/text.html") == b"<p>texte</p>" * 1000
    assert archive.read("z/last.txt") == b"last"


def test_zip64_past_65535_members() -> None:
    out = io.BytesIO()
    writer = ZipWriter(out)
    for number in range(0x10000 + 2):
        writer.add_stored(f"m/{number}", b"")
    writer.close()
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    assert len(archive.infolist()) == 0x10000 + 2
    assert archive.namelist()[-1] == f"m/{0x10000 + 1}"


def test_a_small_archive_has_no_zip64_records() -> None:
    out = io.BytesIO()
    writer = ZipWriter(out)
    writer.add_stored("a/x.txt", b"x")
    writer.close()
    assert b"PK\x06\x06" not in out.getvalue()
    assert read_back(out.getvalue()).read("a/x.txt") == b"x"


def test_members_take_the_writers_date_copied_ones_too(tmp_path: Path) -> None:
    video = tmp_path / "clip.mp4"
    video.write_bytes(os.urandom(3000))
    first = tmp_path / "first.zip"
    with first.open("wb") as handle:
        writer = ZipWriter(handle, stamp=date_time(dt.datetime(2017, 11, 20, tzinfo=dt.UTC)))
        writer.add_file("b/clip.mp4", video, deflated=False)
        writer.add_deflated("b/sheet.html", deflate(b"<h1>Fiche</h1>"))
        writer.close()
    assert {i.date_time for i in zipfile.ZipFile(first).infolist()} == {(2017, 11, 20, 0, 0, 0)}
    out = io.BytesIO()
    writer = ZipWriter(out, stamp=(2021, 3, 4, 5, 6, 7))
    with ZipReader(first) as old:
        assert writer.add_copy(old, "b/clip.mp4") and writer.add_copy(old, "b/sheet.html")
    writer.add_stored("b/new.txt", b"new")
    writer.close()
    archive = read_back(out.getvalue())  # local headers and the central directory agree
    assert {i.date_time for i in archive.infolist()} == {(2021, 3, 4, 5, 6, 6)}  # two-second steps
    assert archive.read("b/clip.mp4") == video.read_bytes() and archive.read("b/sheet.html") == b"<h1>Fiche</h1>"
    for offset in (i.header_offset for i in archive.infolist()):
        assert struct.unpack_from("<HH", out.getvalue(), offset + 10) == (0x28C3, 0x5264)


@pytest.mark.parametrize(("moment", "stamp"), [
    (dt.datetime(1975, 6, 1, tzinfo=dt.UTC), (1980, 1, 1, 0, 0, 0)),  # before the format's first date
    (dt.datetime(2200, 6, 1, tzinfo=dt.UTC), (2107, 12, 31, 23, 59, 58)),  # after its last
    (dt.datetime(2017, 11, 20, 1, 30, tzinfo=dt.timezone(dt.timedelta(hours=2))), (2017, 11, 19, 23, 30, 0)),
])
def test_a_date_is_written_in_utc_within_what_the_format_holds(moment: dt.datetime,
                                                                stamp: tuple[int, ...]) -> None:
    assert date_time(moment) == stamp
    out = io.BytesIO()
    writer = ZipWriter(out, stamp=date_time(moment))
    writer.add_stored("a/x.txt", b"x")
    writer.close()
    assert read_back(out.getvalue()).getinfo("a/x.txt").date_time == stamp
