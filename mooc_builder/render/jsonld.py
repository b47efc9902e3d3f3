"""schema.org descriptions of courses and sequences (JSON-LD), for search engines and catalogues."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from mooc_builder.model import Course, Organisation, Rights, Sequence, Site, Video
from mooc_builder.text import plain_text

Url = Callable[[object], str]


def iso_duration(value: dt.timedelta) -> str:
    seconds = int(value.total_seconds())
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n]
    return "PT" + ("".join(parts) or "0S")


plain = plain_text


def organisation(org: Organisation) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "Organization", "name": org.name}
    if org.url:
        data["url"] = org.url
    return data


def _rights(rights: Rights | None) -> dict[str, Any]:
    if rights is None:
        return {}
    data: dict[str, Any] = {"license": rights.licence.url or rights.licence.name}
    if rights.attribution:
        data["creator"] = {"@type": "Organization", "name": rights.attribution}
        data["copyrightHolder"] = {"@type": "Organization", "name": rights.attribution}
    return data


def _common(site: Site, course: Course) -> dict[str, Any]:
    data: dict[str, Any] = {"inLanguage": course.language, "isAccessibleForFree": True}
    if site.funders:
        data["funder"] = [organisation(f) for f in site.funders]
    if course.audience:
        data["audience"] = {"@type": "EducationalAudience", "audienceType": course.audience}
    return data


def course(site: Site, course: Course, url: Url) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "name": course.title,
        "url": url(course),
        **_common(site, course),
        **_rights(course.rights),
    }
    if course.summary_html:
        data["description"] = plain(course.summary_html)
    if site.organisation:
        data["provider"] = organisation(site.organisation)
    if course.effort:
        data["timeRequired"] = iso_duration(course.effort.per_week * course.effort.weeks)
    instances = []
    for session in course.sessions:
        instance: dict[str, Any] = {"@type": "CourseInstance", "name": session.name, "courseMode": "online",
                                    "startDate": session.start.isoformat(), "endDate": session.end.isoformat()}
        if course.effort:
            instance["courseWorkload"] = iso_duration(course.effort.per_week)
        instances.append(instance)
    if instances:
        data["hasCourseInstance"] = instances
    data["hasPart"] = [{"@type": "LearningResource", "name": s.title, "url": url(s)} for s in course.sequences]
    return data


def video(item: Video, url: Url) -> dict[str, Any]:
    data: dict[str, Any] = {"@type": "VideoObject", "name": item.title, **_rights(item.rights)}
    if item.duration:
        data["duration"] = iso_duration(item.duration)
    if item.src is not None:
        data["contentUrl"] = url(item.src)
        if item.poster is not None:
            data["thumbnailUrl"] = url(item.poster)
        if item.transcript_html:
            data["transcript"] = plain(item.transcript_html)
        if item.captions:
            data["caption"] = [{"@type": "MediaObject", "encodingFormat": "text/vtt", "inLanguage": c.language,
                                "contentUrl": url(c.file)} for c in item.captions]
    else:
        data["url"] = item.url
    return data


def sequence(site: Site, course_: Course, item: Sequence, url: Url) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LearningResource",
        "name": item.title,
        "url": url(item),
        "timeRequired": iso_duration(item.duration),
        "isPartOf": {"@type": "Course", "name": course_.title, "url": url(course_)},
        **_common(site, course_),
        **_rights(item.rights),
    }
    if item.videos:
        data["video"] = [video(v, url) for v in item.videos]
    if item.quiz is not None:
        data["assesses"] = item.quiz.title
    return data
