"""The deriver of videos: each local video's light variant (when its course asks for them and the source is
heavier than the variant would be) and, when the author gave none, a poster from its frame at 10 %.

Their site paths sit beside the video's: ``facture.mp4`` gets ``facture.360p.mp4`` and ``facture.poster.jpg``,
unless the author ships a file of that name already, in which case a digest tells them apart.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from mooc_builder.diagnostics import Pos, display_path
from mooc_builder.lang.text import say
from mooc_builder.media.making import Deriving, Making
from mooc_builder.media.store import made_key
from mooc_builder.media.videos import make_light, make_poster, recipe, worth_it
from mooc_builder.model import Course, MediaFile, Site, Video

# Where in a video its poster is taken when the author gives none: past a title card, before the end.
POSTER_AT = 0.1
POSTER_RECIPE = f"poster jpeg at {POSTER_AT} width<=960 q82 v1"


def derive_videos(site: Site, deriving: Deriving) -> Site:
    taken = {m.output for m in site.all_media()}
    makings: list[Making] = []
    plans: dict[tuple[str, str], tuple[str | None, str | None]] = {}  # (course, video source) -> keys
    for course in site.courses:
        for video in _local_videos(course):
            assert video.src is not None
            digest = deriving.digest(video.src.source)
            light_key = poster_key = None
            light = course.light_videos
            if light is not None and video.frame_size is not None and worth_it(
                    light, video.file_duration.total_seconds() if video.file_duration else None,
                    video.frame_size[1], video.src.size, video.playable):
                light_key = made_key(digest, recipe(light))
                makings.append(Making(light_key, ".mp4", functools.partial(make_light, light), video.src.source,
                                      video.src.name))
            if video.poster is None:
                poster_key = made_key(digest, POSTER_RECIPE)
                makings.append(Making(poster_key, ".jpg", functools.partial(make_poster, POSTER_AT),
                                      video.src.source, video.src.name))
            plans[(course.id, str(video.src.source))] = (light_key, poster_key)
    if not makings:
        return site
    made = deriving.make_all("videos", makings)
    reported: set[str] = set()
    named: dict[tuple[PurePosixPath, str], PurePosixPath] = {}

    def name(original: PurePosixPath, ending: str, key: str) -> PurePosixPath:
        """Each made file's site path, once (a video shown by two sequences is one file), never one the author
        ships or another made file took (``clip.mp4`` and ``clip.webm`` both beside ``clip.360p.mp4``; a video
        of the site's media/ made at two courses' settings)."""
        if (original, key) not in named:
            named[(original, key)] = _beside(original, ending, key, taken)
            taken.add(named[(original, key)])
        return named[(original, key)]

    def change(course: Course, video: Video) -> Video:
        assert video.src is not None
        light_key, poster_key = plans[(course.id, str(video.src.source))]
        light = poster = None
        for key in (light_key, poster_key):
            if key is not None and key in deriving.failed and key not in reported:
                reported.add(key)
                deriving.report.error(Pos(display_path(video.src.source)),
                                      say("could not make the light version or the poster of '{name}': {problem}",
                                          name=video.src.name, problem=deriving.failed[key]),
                                      say("export the video again as MP4 (H.264 and AAC), or check that it is "
                                          "the right file"))
        if light_key is not None and light_key in made:
            light = _made(made[light_key], name(video.src.output, f"{_height(course)}p.mp4", light_key))
        if poster_key is not None and poster_key in made:
            poster = _made(made[poster_key], name(video.src.output, "poster.jpg", poster_key))
        if light is None and poster is None:
            return video
        return dataclasses.replace(video, light=light or video.light, poster=poster or video.poster)

    return with_videos(site, change)


def _height(course: Course) -> int:
    assert course.light_videos is not None
    return course.light_videos.height


def _local_videos(course: Course) -> list[Video]:
    return [v for s in course.sequences for v in s.videos if v.src is not None]


def _beside(original: PurePosixPath, ending: str, key: str, taken: set[PurePosixPath]) -> PurePosixPath:
    """``facture.mp4`` -> ``facture.<ending>``, or with a bit of the digest if the author has that name."""
    path = original.with_name(f"{original.stem}.{ending}")
    if path in taken:
        path = original.with_name(f"{original.stem}.{key[:8]}.{ending}")
    return path


def _made(source: Path, output: PurePosixPath) -> MediaFile:
    return MediaFile(source, output, source.stat().st_size)


def with_videos(site: Site, change: Callable[[Course, Video], Video]) -> Site:
    """The site with each local video passed through ``change``; only what changes is made again."""
    courses = []
    for course in site.courses:
        modules = []
        for module in course.modules:
            sequences = []
            for sequence in module.sequences:
                videos = tuple(change(course, v) if v.src is not None else v for v in sequence.videos)
                changed = any(a is not b for a, b in zip(videos, sequence.videos, strict=True))
                sequences.append(dataclasses.replace(sequence, videos=videos) if changed else sequence)
            changed = any(a is not b for a, b in zip(sequences, module.sequences, strict=True))
            modules.append(dataclasses.replace(module, sequences=tuple(sequences)) if changed else module)
        changed = any(a is not b for a, b in zip(modules, course.modules, strict=True))
        courses.append(dataclasses.replace(course, modules=tuple(modules)) if changed else course)
    return dataclasses.replace(site, courses=tuple(courses))
