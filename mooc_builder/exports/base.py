"""What an export is: a name, its options, how the pages it packs are rendered, and a writer from the model
and those pages to a file. `mooc export NAME` and the site's build (a course's SCORM packages on its kit page)
run every export the same way (build/export.py)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mooc_builder.lang.text import Message, says
from mooc_builder.model import Course, Site
from mooc_builder.render.renderer import Flavour
from mooc_builder.write.output import MemoryOutput
from mooc_builder.write.zip import BundleError, ZipWriter, check_member_path, deflate, is_stored


class ExportError(Exception):
    """The package could not be written; the message says why, for an author."""


@dataclass(frozen=True)
class Option:
    """A choice the export offers (`mooc export NAME --OPTION VALUE`)."""

    name: str
    help: str
    choices: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Written:
    """What an export wrote, said in one line for the author: 'SCORM 1.2, 12 SCOs, 230 files'."""

    summary: Message
    files: int


def files_counted(n: int) -> Message:
    return says("{n} file", "{n} files", n)


class Export(ABC):
    """One kind of export; a subclass names itself, its options and its flavour, and writes the file."""

    name: ClassVar[str]
    help: ClassVar[str]  # a line, for the list of exports
    description: ClassVar[str]  # the paragraphs of `mooc export NAME --help`
    options: ClassVar[tuple[Option, ...]] = ()
    flavour: ClassVar[Flavour] = Flavour()  # how the pages it packs are rendered
    # An export that writes into a folder (a Kolibri channel, into the KOLIBRI_DATA folder that several
    # courses share) is given the folder itself, and replaces only what is its own there; the others are given
    # a file beside their target, moved into place once whole.
    writes_folder: ClassVar[bool] = False

    @abstractmethod
    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        """The file to write when the author names none."""

    @abstractmethod
    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        """Write the package of ``course`` (``site`` holds it alone) from the files of its build."""

    # An export that can also hold the whole catalogue, every course, in one package (a ZIM that a residence's
    # Kiwix serves as one book) says so; `mooc export NAME --all` then writes it with these two.
    catalogue: ClassVar[bool] = False

    def catalogue_file_name(self, site: Site, options: Mapping[str, str], as_of: dt.date) -> str:
        """The catalogue package's file when the author names none."""
        raise NotImplementedError(self.name)

    def write_catalogue(self, site: Site, files: MemoryOutput, options: Mapping[str, str], target: Path,
                        as_of: dt.date) -> Written:
        """Write the package of the whole ``site`` from the files of its build."""
        raise NotImplementedError(self.name)

    # An export whose file says when it was made (a ZIM's Date, its dated name) gets the date the build is made
    # as of through these two; the others keep their undated name and writer.
    def dated_file_name(self, course: Course, options: Mapping[str, str], as_of: dt.date) -> str:
        """The file to write when the author names none, for an export made as of ``as_of``."""
        return self.file_name(course, options)

    def write_dated(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
                    target: Path, as_of: dt.date) -> Written:
        """:meth:`write`, for an export made as of ``as_of``."""
        return self.write(site, course, files, options, target)


def safe_names(names: list[str]) -> None:
    """Raises ExportError when a file name could leave the folder the package is unpacked into."""
    try:
        for name in names:
            check_member_path(name)
    except BundleError as exc:
        raise ExportError(str(exc)) from None


def pack(zip_path: Path, first: tuple[str, bytes] | None, files: MemoryOutput, names: list[str]) -> None:
    """Write a package: ``first`` (its manifest: name and bytes, when it has one) at the head of the zip, then
    ``names`` of the built ``files`` in that order, the compressed media stored as they are, every member with
    a fixed date (the zip is reproducible)."""
    with zip_path.open("wb") as handle:
        archive = ZipWriter(handle)
        if first is not None:
            archive.add_deflated(first[0], deflate(first[1]))
        for name in names:
            text = files.texts.get(name)
            if text is None:
                archive.add_file(name, files.copies[name], deflated=not is_stored(name))
            elif is_stored(name):
                archive.add_stored(name, text)
            else:
                archive.add_deflated(name, deflate(text))
        archive.close()


def xml_bytes(root: ET.Element) -> bytes:
    """A package's XML manifest as its bytes: indented, with the XML declaration, UTF-8."""
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n").encode("utf-8")
