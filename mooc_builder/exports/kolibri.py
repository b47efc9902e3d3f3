"""Kolibri channels: a course as a channel that a Kolibri device imports from a USB stick or a folder
(`kolibri manage importchannel disk` then `importcontent disk`, or Device > Channels > Import > a drive),
with no Kolibri Studio and no internet.

The export writes into a ``KOLIBRI_DATA`` folder, the name Kolibri looks for at the root of a drive:
``content/databases/<channel id>.sqlite3`` (exports/kolibri_db.py) and ``content/storage/<a>/<b>/<md5>.<ext>``
for each file. Several courses go into the same folder, a channel each; exporting a course again replaces its
own channel and leaves the others. A channel holds the course as one HTML5 app (its pages built alone, without
download bundles, in a zip, the course's home page as its entry), or with ``--apps module`` one app per
module, each entering at its module's page: the same zip, stored once.

Kolibri shows the app in a frame sandboxed with allow-scripts and allow-same-origin only, and keeps the
page's localStorage with the learner's account, per app: the progress, the quizzes and the certificate work
as on the site, from any device the learner signs in on. The pages are rendered in the ``kolibri`` flavour:
quizzes and search are checked on a click (the sandbox blocks form submission), downloads, printing and new
windows, which the sandbox refuses without a word, are put aside with a note (sandbox.js), and kolibri.js
tells Kolibri the learner's progress through the xAPI interface of Kolibri's sandbox: Kolibri marks the app
complete when course.yml's lms_completion says (every sequence viewed, or the certificate's pass mark
reached), not after five minutes spent in it. With one app per module, each keeps its own progress: the
course's certificate then counts only the quizzes done in that app, which is why one app per course is the
default.

Ids are made from the site and the course (uuid5), so that a new export of the same course is the same channel
with the same resources, and a learner's progress is kept. The channel's version goes up by one when what it
holds changes (Kolibri imports a channel again only when its version is higher); exporting unchanged content on
the same date writes the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mooc_builder.exports.base import Export, ExportError, Option, Written, pack, safe_names
from mooc_builder.exports.kolibri_db import Channel, local_files, previous, write_channel
from mooc_builder.exports.pictures import fitted, jpeg, picture
from mooc_builder.lang.catalogue import language_name
from mooc_builder.lang.text import say, says
from mooc_builder.model import Course, Module, Site
from mooc_builder.model.licences import Licence
from mooc_builder.render.renderer import Flavour
from mooc_builder.text import plain_text
from mooc_builder.write.output import MemoryOutput

FOLDER = "KOLIBRI_DATA"
NAMESPACE = uuid.UUID("6d0b4b0e-5a8c-4d8e-9d53-8f3c2f1a7b10")
THUMBNAIL = (400, 225)  # Kolibri's cards show a thumbnail at 16:9, about this large

# Kolibri's licence names (le-utils' constants.licenses), from our licences' combinations.
_CC_NAMES = {"BY": "CC BY", "BY-SA": "CC BY-SA", "BY-ND": "CC BY-ND", "BY-NC": "CC BY-NC",
             "BY-NC-SA": "CC BY-NC-SA", "BY-NC-ND": "CC BY-NC-ND"}
SPECIAL = "Special Permissions"

# le-utils' labels (constants/labels): the learning activities and the resource type, by their ids.
WATCH, READ, PRACTICE = "UD5UGM0z", "wA01urpi", "VwRCom7G"
LESSON = "xgFjFhrA"
_STORAGE_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]+$")


def licence_fields(licence: Licence) -> tuple[str, str | None]:
    """Kolibri's licence name for ours, and the description Kolibri shows with a licence of its own name
    (Special Permissions): the licence's name, address and terms."""
    match = re.fullmatch(r"CC-([A-Z-]+)-(\d\.\d)", licence.id)
    if match and match.group(1) in _CC_NAMES:
        name = _CC_NAMES[match.group(1)]
        # Kolibri describes its CC licences as version 4.0; another version is named in the description.
        return name, None if match.group(2) == "4.0" else f"{licence.name} ({licence.url})"
    if licence.id == "CC0-1.0":
        return "Public Domain", None
    if licence.id == "LicenseRef-All-Rights-Reserved":
        return "All Rights Reserved", None
    return SPECIAL, " ".join(p for p in (licence.name, licence.url, licence.terms.replace("{url}", licence.url)) if p)


def channel_id(site: Site, course: Course) -> str:
    return uid(site, course, "channel")


def uid(site: Site, course: Course, *parts: str) -> str:
    seed = "/".join([site.base_url.rstrip("/") or site.title, course.id, *parts])
    return uuid.uuid5(NAMESPACE, seed).hex


def kolibri_date(as_of: dt.date) -> str:
    return f"{as_of.isoformat()} 00:00:00.000000(UTC)"


def thumbnail_of(course: Course, site: Site) -> bytes | None:
    """A picture for the course's card in Kolibri, a JPEG at most ``THUMBNAIL`` large: the first poster of its
    videos, else the organisation's logo (an SVG drawn by resvg, or pixels) on a white ground; None when there
    is neither (Kolibri shows its own)."""
    for poster in (v.poster for s in course.sequences for v in s.videos if v.poster is not None):
        image = picture(poster, THUMBNAIL)
        if image is not None:
            return jpeg(fitted(image, (image.width, image.height), (255, 255, 255, 255)))
    logo = site.organisation.logo if site.organisation is not None else None
    image = picture(logo, (THUMBNAIL[0] * 4 // 5, THUMBNAIL[1] * 3 // 5)) if logo is not None else None
    return jpeg(fitted(image, THUMBNAIL, (255, 255, 255, 255))) if image is not None else None


@dataclass(frozen=True)
class Stored:
    """A file of the channel, by its md5 (Kolibri's LocalFile id) and extension."""

    md5: str
    extension: str
    size: int

    @property
    def name(self) -> str:
        return f"{self.md5}.{self.extension}"


def storage_path(folder: Path, stored: Stored) -> Path:
    return folder / "content" / "storage" / stored.md5[0] / stored.md5[1] / stored.name


def md5_of(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def store_file(folder: Path, staging: Path, extension: str) -> Stored:
    """Move ``staging`` into the storage under its md5 (a file already there is the same bytes)."""
    stored = Stored(md5_of(staging), extension, staging.stat().st_size)
    target = storage_path(folder, stored)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, target)
    return stored


def course_description(site: Site, course: Course) -> str:
    return " ".join((plain_text(course.summary_html) or course.audience or site.description or course.title).split())


def entries(course: Course, apps: str) -> Iterator[tuple[str, str, str, str, dt.timedelta, Module | None]]:
    """Each app of the channel: key, title, description, entry page, duration and module (None: the course)."""
    if apps == "module":
        for module in course.modules:
            yield (module.id, module.title, " ".join(module.objectives), module.page.file.as_posix(),
                   module.duration, module)
        return
    yield ("course", course.title, "", course.page.file.as_posix(),
           sum((m.duration for m in course.modules), dt.timedelta()), None)


def activities(course: Course, module: Module | None) -> str:
    sequences = module.sequences if module is not None else course.sequences
    found = []
    if any(s.videos for s in sequences):
        found.append(WATCH)
    if any(s.body_text for s in sequences):
        found.append(READ)
    if any(s.quiz is not None for s in sequences):
        found.append(PRACTICE)
    return ",".join(found)


def channel_rows(site: Site, course: Course, apps: str, app: Stored, thumbnail: Stored | None,
                 picture: bytes | None, as_of: dt.date) -> Channel:
    """The rows of the course's channel: a topic, then one HTML5 app per entry, with the licence, the
    author and the copyright holder from the course's rights and the site's organisation."""
    ident = channel_id(site, course)
    rights = course.rights or site.rights
    organisation = site.organisation.name if site.organisation is not None else ""
    author = (rights.attribution if rights is not None and rights.attribution else "") or organisation or site.title
    owner = organisation or author
    licence_name, licence_description = licence_fields(rights.licence) if rights is not None else (SPECIAL, None)
    language = course.language
    common: dict[str, Any] = {
        "channel_id": ident, "license_name": licence_name, "license_description": licence_description,
        "license_owner": owner[:200], "author": author[:200], "coach_content": False, "available": False,
        "tree_id": 1, "lang_id": language,
    }
    apps_list = list(entries(course, apps))
    root = uid(site, course, "root")
    nodes: list[dict[str, Any]] = [{
        "id": root, "content_id": uid(site, course, "root", "content"), "title": course.title[:200],
        "description": course_description(site, course), "sort_order": 1.0, "kind": "topic", "options": "{}",
        "lft": 1, "rght": 2 * len(apps_list) + 2, "level": 0, "parent_id": None, "duration": None,
        "learning_activities": None, "resource_types": None, **common}]
    files: list[dict[str, Any]] = []
    for number, (key, title, description, entry, duration, module) in enumerate(apps_list):
        node = uid(site, course, "app", key)
        nodes.append({
            "id": node, "content_id": uid(site, course, "app", key, "content"), "title": title[:200],
            "description": description or course_description(site, course), "sort_order": float(number + 1),
            "kind": "html5", "options": json.dumps({"entry": entry}, sort_keys=True),
            "lft": 2 + 2 * number, "rght": 3 + 2 * number, "level": 1, "parent_id": root,
            "duration": int(duration.total_seconds()) or None,
            "learning_activities": activities(course, module), "resource_types": LESSON, **common})
        files.append({"id": uid(site, course, "file", key), "preset": "html5_zip", "supplementary": False,
                      "thumbnail": False, "priority": 1, "contentnode_id": node, "lang_id": language,
                      "local_file_id": app.md5})
        if thumbnail is not None:
            files.append({"id": uid(site, course, "thumbnail", key), "preset": "html5_thumbnail",
                          "supplementary": True, "thumbnail": True, "priority": 2, "contentnode_id": node,
                          "lang_id": None, "local_file_id": thumbnail.md5})
    stored = [app] + ([thumbnail] if thumbnail is not None else [])
    local = [{"id": s.md5, "extension": s.extension, "available": False, "file_size": s.size} for s in stored]
    image = f"data:image/jpeg;base64,{base64.b64encode(picture).decode('ascii')}" if picture is not None else ""
    return Channel(
        id=ident, name=course.title[:200], description=course_description(site, course)[:400],
        tagline=(course.audience or "")[:150], author=author[:400], thumbnail=image,
        last_updated=kolibri_date(as_of), root_id=root, language=(language, language, language_name(language)),
        nodes=nodes, local_files=local, files=files)


def digest_of(channel: Channel) -> str:
    """What tells a changed channel from the same one: every row but the date it was made."""
    rows = [channel.name, channel.description, channel.tagline, channel.author, channel.thumbnail,
            list(channel.nodes), list(channel.local_files), list(channel.files)]
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode("utf-8")).hexdigest()


def check_folder(folder: Path) -> None:
    """A folder the export may write into: new, empty, or one that holds only Kolibri's ``content``."""
    if folder.exists() and not folder.is_dir():
        raise ExportError(say("{path} is a file; give the KOLIBRI_DATA folder to write into", path=str(folder)))
    if folder.is_dir():
        others = sorted(p.name for p in folder.iterdir() if p.name != "content" and not p.name.startswith("."))
        if others:
            raise ExportError(say("{path} holds {names}: it is not a folder of Kolibri channels; give a new "
                                  "folder (KOLIBRI_DATA) or one this export wrote", path=str(folder),
                                  names=", ".join(others[:3])))
    elif not folder.parent.is_dir():
        raise ExportError(say("the folder {path} does not exist", path=str(folder.parent)))


def prune(folder: Path) -> int:
    """Remove the stored files that no channel of the folder uses any more (an older export's app); a
    database that cannot be read keeps every file."""
    databases = folder / "content" / "databases"
    used: set[str] = set()
    for database in databases.glob("*.sqlite3"):
        names = local_files(database)
        if names is None:
            return 0
        used |= names
    removed = 0
    for path in (folder / "content" / "storage").glob("?/?/*"):
        if path.is_file() and _STORAGE_NAME.match(path.name) and path.name not in used:
            path.unlink()
            removed += 1
    return removed


def write_channel_folder(site: Site, course: Course, files: MemoryOutput, apps: str, folder: Path,
                         as_of: dt.date) -> tuple[int, int]:
    """Write the course's channel into ``folder``; (number of apps, files in the app's zip)."""
    check_folder(folder)
    names = files.names()
    safe_names(names)
    databases = folder / "content" / "databases"
    databases.mkdir(parents=True, exist_ok=True)
    staging = folder / "content" / f".{channel_id(site, course)}.tmp"
    try:
        pack(staging, None, files, names)
        app = store_file(folder, staging, "zip")
        picture = thumbnail_of(course, site)
        thumbnail = None
        if picture is not None:
            staging.write_bytes(picture)
            thumbnail = store_file(folder, staging, "jpg")
        channel = channel_rows(site, course, apps, app, thumbnail, picture, as_of)
        digest = digest_of(channel)
        database = databases / f"{channel.id}.sqlite3"
        before = previous(database)
        version = 1 if before is None else before[0] if before[1] == digest else before[0] + 1
        write_channel(staging, channel, version, digest)
        os.replace(staging, database)
    finally:
        staging.unlink(missing_ok=True)
    prune(folder)
    return len(channel.nodes) - 1, len(names)  # the nodes but the topic: the apps


class Kolibri(Export):
    name = "kolibri"
    help = "one course as a Kolibri channel, for an offline Kolibri hub (into a KOLIBRI_DATA folder)"
    description = """Write the course as a Kolibri channel into a KOLIBRI_DATA folder.

Copy the folder to the root of a USB stick, then import it on the Kolibri
device (Device > Channels > Import > Attached drive or memory card), or run
kolibri manage importchannel disk ID FOLDER and importcontent disk ID FOLDER.
Several courses may go into the same folder. The course is one HTML5 app
(--apps module: one per module). Kolibri keeps each learner's progress with
their account, and marks the app complete as lms_completion in course.yml
says: every sequence viewed, or the certificate's pass mark reached."""
    options = (Option("apps", "One HTML5 app for the whole course, or one per module.", ("course", "module"),
                      "course"),)
    flavour = Flavour(bundles=False, kolibri=True)
    writes_folder = True

    def file_name(self, course: Course, options: Mapping[str, str]) -> str:
        return FOLDER

    def write(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
              target: Path) -> Written:
        return self.write_dated(site, course, files, options, target, dt.date.today())

    def write_dated(self, site: Site, course: Course, files: MemoryOutput, options: Mapping[str, str],
                    target: Path, as_of: dt.date) -> Written:
        apps, count = write_channel_folder(site, course, files, options.get("apps", "course"), target, as_of)
        return Written(say("Kolibri channel {id}, {apps} of {files}", id=channel_id(site, course),
                           apps=says("{n} HTML5 app", "{n} HTML5 apps", apps),
                           files=says("{n} file", "{n} files", count)), count)


KOLIBRI = Kolibri()

