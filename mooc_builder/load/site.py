"""site.yml: the catalogue, its organisation, funders and default licence, and the order of its courses."""

from __future__ import annotations

import dataclasses

from mooc_builder.diagnostics import Pos
from mooc_builder.lang.text import say
from mooc_builder.load.cache import CourseMemo
from mooc_builder.load.course import read_course
from mooc_builder.load.keys import (
    Boolean,
    File,
    Key,
    LanguageCode,
    ListOf,
    Table,
    Text,
    TextOr,
    Url,
    Values,
)
from mooc_builder.load.rights import RIGHTS, Inherited
from mooc_builder.load.state import LoadState
from mooc_builder.load.tree import CourseDir, Tree, show
from mooc_builder.load.values import did_you_mean
from mooc_builder.load.video import DEFAULT_LIGHT, LIGHT_VIDEOS, read_light
from mooc_builder.model import MediaFile, Organisation, Site

IMAGES = frozenset({"jpg", "jpeg", "png", "gif", "webp", "svg", "avif"})

ORG_NAME = Key("name", Text(), say("its name, as the site shows it"), required='name: "..."')
ORG_URL = Key("url", Url(), say("its web site"))
ORG_LOGO = Key("logo", File(say("logo image"), IMAGES),
               say("its logo, shown beside its name (a path from the content folder)"))
ORGANISATION = Table(say("an organisation"), (ORG_NAME, ORG_URL, ORG_LOGO))

TITLE = Key("title", Text(), say("the catalogue's title, on every page"),
            required='title: "Les MOOC du logement social"')
LANGUAGE = Key("language", LanguageCode(), say("the language of the site's interface"), default="fr")
DESCRIPTION = Key("description", Text(), say("a sentence or two about the catalogue, on its first page"))
ORG = Key("organisation", TextOr(ORGANISATION), say("who publishes the courses"))
FUNDERS = Key("funders", ListOf(TextOr(ORGANISATION)),
                                       say("who funds them: shown on the catalogue and in every bundle's credits"))
COURSES = Key("courses", ListOf(Text(say("a course id"))), say("the courses to publish, in order, by folder name"),
              shown_default=say("every folder of courses/, in name order"))
PRETTY_URLS = Key("pretty_urls", Boolean(), say("false: links end in index.html, which works from a USB stick and "
                  "file://; true: links end in the folder (a web server only)"), default=False)
BASE_URL = Key("base_url", Url(), say("the site's public address, used only for canonical links and sharing metadata"))
ALLOW_HTML = Key("allow_html", Boolean(), say("false: HTML written in Markdown is shown as text"), default=False)

SITE = Table("site.yml", (TITLE, LANGUAGE, DESCRIPTION, ORG, *RIGHTS, FUNDERS, COURSES, PRETTY_URLS,
                          BASE_URL, ALLOW_HTML, LIGHT_VIDEOS),
             say("The catalogue: one site, several courses (content/site.yml)."))


def read_site(values: Values, tree: Tree, state: LoadState) -> Site:
    rights = Inherited().child(values)
    site_media: list[MediaFile] = []
    organisation = _organisation(values[ORG], site_media)
    funders = [f for f in (_organisation(item, site_media) for item in values[FUNDERS] or ()) if f is not None]
    by_id = {c.id: c for c in tree.courses}
    order: list[CourseDir] = []
    listed = values[COURSES]
    if listed:
        for node, name in listed.pairs():
            if name not in by_id:
                hint = did_you_mean(name, by_id) or say("list the names of folders in courses/")
                values.ctx.error(node, say("no course folder courses/{name}/", name=name), hint)
            elif by_id[name] in order:
                values.ctx.error(node, say("course '{name}' is listed twice", name=name),
                                 say("list each course once"))
            else:
                order.append(by_id[name])
        for course_dir in tree.courses:
            if course_dir not in order:
                state.report.warn(Pos(show(course_dir.path)),
                                  say("this course is not listed in site.yml courses: it is not published"),
                                  say("add {id} to courses: in site.yml", id=course_dir.id))
    else:
        order = list(tree.courses)
    language = values.given(LANGUAGE)
    courses = []
    for course_dir in order:
        kept = state.kept.get(course_dir.id)
        if kept is not None:
            state.replay(kept.diagnostics, kept.quizzes, [])
            courses.append(kept.header)
            continue
        with state.recording() as record:
            course = read_course(course_dir, rights, language, state, read_light(values[LIGHT_VIDEOS], DEFAULT_LIGHT))
        if course is not None:
            courses.append(course)
            if state.made is not None and state.cache is not None:
                files = {course_dir.path / "course.yml", *state.course_files}
                for module_dir in course_dir.modules:
                    memo = state.cache.modules.get(module_dir.path)
                    files.update(memo.files if memo is not None else (module_dir.path / "module.yml",))
                state.made[course.id] = CourseMemo(dataclasses.replace(course, modules=()), record.diagnostics,
                                                   record.quizzes, frozenset(map(str, files)))
    return Site(
        title=values[TITLE] or "",
        language=language,
        rights=rights.rights(),
        description=values[DESCRIPTION] or "",
        organisation=organisation,
        funders=tuple(funders),
        courses=tuple(courses),
        pretty_urls=values.given(PRETTY_URLS),
        base_url=(values[BASE_URL] or "").rstrip("/"),
        allow_html=state.allow_html,
        media=tuple(sorted({m.output: m for m in site_media}.values(), key=lambda m: m.output)),
    )


def _organisation(value: str | Values | None, media: list[MediaFile]) -> Organisation | None:
    if value is None:
        return None
    if isinstance(value, str):
        return Organisation(value)
    logo = value[ORG_LOGO]
    if logo is not None:
        media.append(logo)
    return Organisation(value[ORG_NAME] or "", value[ORG_URL], logo)
