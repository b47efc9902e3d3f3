"""The course model: frozen dataclasses of plain values, no I/O (see docs/ARCHITECTURE.md).

The loader makes it, once, from an author's tree; everything after it only reads it.
"""

from mooc_builder.model.content import (
    Caption,
    Choice,
    Course,
    Credit,
    Effort,
    MediaFile,
    Module,
    Organisation,
    Question,
    QuestionType,
    Quiz,
    Release,
    Resource,
    Rights,
    Sequence,
    Session,
    Site,
    Video,
    repr_digest,
)
from mooc_builder.model.licences import Licence
from mooc_builder.model.pages import (
    RESERVED_IDS,
    SITE_LINK,
    WINDOWS_DEVICES,
    Page,
    encode_site_path,
    portable_name_problem,
)

__all__ = [
    "RESERVED_IDS",
    "SITE_LINK",
    "WINDOWS_DEVICES",
    "Caption",
    "Choice",
    "Course",
    "Credit",
    "Effort",
    "Licence",
    "MediaFile",
    "Module",
    "Organisation",
    "Page",
    "Question",
    "QuestionType",
    "Quiz",
    "Release",
    "Resource",
    "Rights",
    "Sequence",
    "Session",
    "Site",
    "Video",
    "encode_site_path",
    "portable_name_problem",
    "repr_digest",
]
