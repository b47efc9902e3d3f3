"""Exports of a course to other systems, each a small writer over the model and its rendered pages
(see exports/base.py): SCORM and cmi5 packages and IMS Common Cartridges for a learning management system
(LMS), the printable handouts (PDF) of every module, a ZIM file for Kiwix's offline readers and a channel for a
Kolibri device."""

from mooc_builder.exports.base import Export, ExportError, Option, Written
from mooc_builder.exports.cc import CARTRIDGE
from mooc_builder.exports.cmi5 import CMI5
from mooc_builder.exports.handouts import HANDOUTS
from mooc_builder.exports.kolibri import KOLIBRI
from mooc_builder.exports.scorm import SCORM
from mooc_builder.exports.zim import ZIM

EXPORTS: dict[str, Export] = {export.name: export for export in (SCORM, CMI5, CARTRIDGE, HANDOUTS, ZIM, KOLIBRI)}

__all__ = ["EXPORTS", "Export", "ExportError", "Option", "Written"]
