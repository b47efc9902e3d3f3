"""What an export is: a name, its options, how the pages it packs are rendered, and a writer from the model
and those pages to a file. `mooc export NAME` and the site's build (a course's SCORM packages on its kit page)
run every export the same way (build/export.py)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from mooc_builder.model import Course, Site
from mooc_builder.render.renderer import Flavour
from mooc_builder.write.output import MemoryOutput


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

    summary: str
    files: int


class Export(ABC):
    """One kind of export; a subclass names itself, its options and its flavour, and writes the file."""

    name: ClassVar[str]
    help: ClassVar[str]  # a line, for the list of exports
    description: ClassVar[str]  # the paragraphs of `mooc export NAME --help`
    options: ClassVar[tuple[Option, ...]] = ()
    flavour: ClassVar[Flavour] = Flavour()  # how the pages it packs are rendered

    @abstractmethod
    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        """The file to write when the author names none."""

    @abstractmethod
    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        """Write the package of ``course`` (``site`` holds it alone) from the files of its build."""
