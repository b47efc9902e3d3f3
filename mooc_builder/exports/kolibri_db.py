"""A Kolibri channel's database: the SQLite file that `kolibri manage importchannel disk` (and the Device page's
"import from a drive") reads, in Kolibri's content schema 5, the one Kolibri Studio publishes and Kolibri 0.16
to 0.19 import (``kolibri/core/content/contentschema/versions/content_schema_5.py``). Written with the
standard library's sqlite3: an author's machine needs no Kolibri to make a channel; tests/test_kolibri.py
imports one into a real Kolibri.

Kolibri reads the columns by name and ignores tables it does not know: ``mooc_export`` holds what the export
needs to tell an unchanged channel from a changed one (the channel's version goes up only when it changes,
and Kolibri imports a channel again only when its version is higher).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = "5"

# Kolibri's content schema 5, as SQLAlchemy creates it for SQLite; the indexes are Kolibri's own concern once
# imported (it copies the rows into its database), so only the tables are made.
SCHEMA = """
CREATE TABLE content_contenttag (
    id CHAR(32) NOT NULL, tag_name VARCHAR(30) NOT NULL, PRIMARY KEY (id));
CREATE TABLE content_language (
    id VARCHAR(14) NOT NULL, lang_code VARCHAR(3) NOT NULL, lang_subcode VARCHAR(10), lang_name VARCHAR(100),
    lang_direction VARCHAR(3) NOT NULL, PRIMARY KEY (id));
CREATE TABLE content_localfile (
    id VARCHAR(32) NOT NULL, extension VARCHAR(40) NOT NULL, available BOOLEAN NOT NULL, file_size INTEGER,
    PRIMARY KEY (id));
CREATE TABLE content_contentnode (
    id CHAR(32) NOT NULL, license_name VARCHAR(50), license_description TEXT, title VARCHAR(200) NOT NULL,
    coach_content BOOLEAN NOT NULL, content_id CHAR(32) NOT NULL, channel_id CHAR(32) NOT NULL, description TEXT,
    sort_order FLOAT, license_owner VARCHAR(200) NOT NULL, author VARCHAR(200) NOT NULL, kind VARCHAR(200) NOT NULL,
    available BOOLEAN NOT NULL, options TEXT, grade_levels TEXT, resource_types TEXT, learning_activities TEXT,
    accessibility_labels TEXT, categories TEXT, learner_needs TEXT, duration INTEGER, lft INTEGER NOT NULL,
    rght INTEGER NOT NULL, tree_id INTEGER NOT NULL, level INTEGER NOT NULL, lang_id VARCHAR(14),
    parent_id CHAR(32), PRIMARY KEY (id));
CREATE TABLE content_assessmentmetadata (
    id CHAR(32) NOT NULL, assessment_item_ids TEXT NOT NULL, number_of_assessments INTEGER NOT NULL,
    mastery_model TEXT NOT NULL, randomize BOOLEAN NOT NULL, is_manipulable BOOLEAN NOT NULL,
    contentnode_id CHAR(32) NOT NULL, PRIMARY KEY (id));
CREATE TABLE content_channelmetadata (
    id CHAR(32) NOT NULL, name VARCHAR(200) NOT NULL, description VARCHAR(400) NOT NULL, tagline VARCHAR(150),
    author VARCHAR(400) NOT NULL, version INTEGER NOT NULL, thumbnail TEXT NOT NULL, last_updated VARCHAR,
    min_schema_version VARCHAR(50) NOT NULL, root_id CHAR(32) NOT NULL, PRIMARY KEY (id));
CREATE TABLE content_contentnode_has_prerequisite (
    id INTEGER NOT NULL, from_contentnode_id CHAR(32) NOT NULL, to_contentnode_id CHAR(32) NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE content_contentnode_related (
    id INTEGER NOT NULL, from_contentnode_id CHAR(32) NOT NULL, to_contentnode_id CHAR(32) NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE content_contentnode_tags (
    id INTEGER NOT NULL, contentnode_id CHAR(32) NOT NULL, contenttag_id CHAR(32) NOT NULL, PRIMARY KEY (id));
CREATE TABLE content_file (
    id CHAR(32) NOT NULL, preset VARCHAR(150) NOT NULL, supplementary BOOLEAN NOT NULL, thumbnail BOOLEAN NOT NULL,
    priority INTEGER, contentnode_id CHAR(32) NOT NULL, lang_id VARCHAR(14), local_file_id VARCHAR(32) NOT NULL,
    PRIMARY KEY (id));
CREATE TABLE mooc_export (name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (name));
"""


@dataclass(frozen=True)
class Channel:
    """Every row of a channel's database but its version (see :func:`write_channel`)."""

    id: str
    name: str
    description: str
    tagline: str
    author: str
    thumbnail: str  # a data: URL, or ""
    last_updated: str  # Kolibri's own form: "2026-12-03 00:00:00.000000(UTC)"; ISO crashes its import
    root_id: str
    language: tuple[str, str, str]  # id, code, name
    nodes: Sequence[Mapping[str, Any]] = ()
    local_files: Sequence[Mapping[str, Any]] = ()
    files: Sequence[Mapping[str, Any]] = ()
    tags: Sequence[Mapping[str, Any]] = ()
    node_tags: Sequence[Mapping[str, Any]] = ()


def _insert(db: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    for row in rows:
        names = list(row)
        db.execute(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                   [row[name] for name in names])


def write_channel(path: Path, channel: Channel, version: int, digest: str) -> None:
    """Write the channel's database at ``path`` (a new file): the same rows in the same order make the same
    bytes."""
    db = sqlite3.connect(path)
    try:
        db.executescript(SCHEMA)
        code, subcode = [*channel.language[1].split("-", 1), ""][:2]
        _insert(db, "content_language", [{"id": channel.language[0], "lang_code": code,
                                          "lang_subcode": subcode or None, "lang_name": channel.language[2],
                                          "lang_direction": "ltr"}])
        _insert(db, "content_contentnode", channel.nodes)
        _insert(db, "content_localfile", channel.local_files)
        _insert(db, "content_file", channel.files)
        _insert(db, "content_contenttag", channel.tags)
        _insert(db, "content_contentnode_tags", channel.node_tags)
        _insert(db, "content_channelmetadata", [{
            "id": channel.id, "name": channel.name, "description": channel.description, "tagline": channel.tagline,
            "author": channel.author, "version": version, "thumbnail": channel.thumbnail,
            "last_updated": channel.last_updated, "min_schema_version": SCHEMA_VERSION, "root_id": channel.root_id,
        }])
        _insert(db, "mooc_export", [{"name": "digest", "value": digest}])
        db.commit()
    finally:
        db.close()


def previous(path: Path) -> tuple[int, str] | None:
    """The version and digest of the channel a database at ``path`` holds, when mooc wrote it."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = db.execute("SELECT version FROM content_channelmetadata").fetchone()
            digest = db.execute("SELECT value FROM mooc_export WHERE name = 'digest'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    if version is None or digest is None:
        return None
    return int(version[0]), str(digest[0])


def local_files(path: Path) -> set[str] | None:
    """The stored files (their md5 and extension, as named in content/storage) a channel's database uses;
    None when it cannot be read (its files are then kept)."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = db.execute("SELECT id, extension FROM content_localfile").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return {f"{row[0]}.{row[1]}" for row in rows}
