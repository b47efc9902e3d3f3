"""Every media file of a site, wherever the model holds one (the site's, the logos, a sequence's pictures,
videos and resources...), found by walking the dataclasses rather than by a list of fields that a new field
would escape: what a deriver of media/ reads and replaces."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import TypeVar

from mooc_builder.model.content import MediaFile, Site

T = TypeVar("T")


def media_files(site: Site) -> Iterator[MediaFile]:
    """Every MediaFile the site holds, in the model's order, as often as it is named."""
    yield from _found(site)


def map_media(site: Site, change: Callable[[MediaFile], MediaFile]) -> Site:
    """The site with each MediaFile passed through ``change``; only the objects holding one that ``change``
    gave anew are made again (dataclasses.replace, so that a sequence works out its digest again), the others
    are the very same objects."""
    return _mapped(site, change)


def _found(value: object) -> Iterator[MediaFile]:
    if isinstance(value, MediaFile):
        yield value
    elif isinstance(value, tuple):
        for item in value:
            yield from _found(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for spec in _fields(type(value)):
            yield from _found(getattr(value, spec))


def _mapped(value: T, change: Callable[[MediaFile], MediaFile]) -> T:
    if isinstance(value, MediaFile):
        return change(value)  # type: ignore[return-value]
    if isinstance(value, tuple):
        items = tuple(_mapped(item, change) for item in value)
        same = all(new is old for new, old in zip(items, value, strict=True))
        return value if same else items  # type: ignore[return-value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {}
        for spec in _fields(type(value)):
            old = getattr(value, spec)
            new = _mapped(old, change)
            if new is not old:
                changed[spec] = new
        return dataclasses.replace(value, **changed) if changed else value
    return value


_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass that may hold media: those given when it is made (a field worked out in
    __post_init__ is worked out again), and none of plain values."""
    known = _FIELDS.get(kind)
    if known is None:
        known = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    return known
