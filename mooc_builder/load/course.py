"""course.yml: a course, its sessions, its effort and credits; then its modules."""

from __future__ import annotations

from fractions import Fraction
from pathlib import PurePosixPath

from mooc_builder.diagnostics import Pos
from mooc_builder.lang.text import say
from mooc_builder.load.keys import (
    Boolean,
    Choice,
    Date,
    Duration,
    Integer,
    Key,
    LanguageCode,
    ListOf,
    Mapping,
    Markdown,
    Percentage,
    Reader,
    Table,
    Text,
    Url,
    Values,
    each,
    id_title,
    title_example,
)
from mooc_builder.load.module import read_module
from mooc_builder.load.rights import RIGHTS, Inherited
from mooc_builder.load.state import LoadState
from mooc_builder.load.tree import CourseDir, show
from mooc_builder.load.video import DEFAULT_LIGHT, LIGHT_VIDEOS, read_light
from mooc_builder.model import Course, Credit, Effort, LightVideos, Page, Release, Session, limits

PER_WEEK = Key("per_week", Duration(limits.MAX_WEEKLY_HOURS), say("the time a week takes, as announced"),
               required="per_week: 15min",
               missing="effort per_week")
WEEKS = Key("weeks", Integer(1, limits.MAX_WEEKS), say("how many weeks the course lasts"), default=1)
EFFORT_TABLE = Table("effort", (PER_WEEK, WEEKS))  # named by its key

SESSION_NAME = Key("name", Text(), say("its name, e.g. Session 2"),
                   shown_default=say("Session 1, Session 2, ... in order"))
START = Key("start", Date(), say("the day it starts: week 1 opens then, week N on start + 7 × (N − 1) days"),
            required="start: 2017-11-14", missing=say("the session start date"))
ENROL_FROM = Key("enrol_from", Date(), say("the first day of enrolment"),
                 shown_default=say("enrolment open until enrol_until"))
ENROL_UNTIL = Key("enrol_until", Date(), say("the last day of enrolment"), shown_default=say("the end of the session"))
END = Key("end", Date(), say("its last day; afterwards the course stays in free access"), required="end: 2018-01-31",
          missing=say("the session end date"))
ENROL_URL = Key("enrol_url", Url(), say("where learners enrol (another site)"))
SESSION_TABLE = Table(say("a session"), (SESSION_NAME, START, ENROL_FROM, ENROL_UNTIL, END, ENROL_URL))

ROLE = Key("role", Text(), say("what they did"), required='role: "Illustrations"')
CREDIT_NAME = Key("name", Text(), say("who they are"), required='name: "..."')
CREDIT_TABLE = Table(say("a credit"), (ROLE, CREDIT_NAME))

# What to add is the author's own title (see title_example): none from another course.
TITLE = Key("title", Text(), say("the course's title"), required='title: "..."')
AUDIENCE = Key("audience", Text(), say("who it is for, e.g. Habitants"))
SUMMARY = Key("summary", Markdown(), say("a short presentation, on the catalogue and the course page"))
LANGUAGE = Key("language", LanguageCode(), say("the language of its pages"), shown_default=say("the site's language"))
EFFORT = Key("effort", Mapping(EFFORT_TABLE), say("the announced effort: per_week and weeks"))
PASS_MARK = Key("pass_mark", Percentage(), say("the share of graded quiz points that gives the certificate"),
                default=Fraction(3, 10))
CERTIFICATE = Key("certificate", Boolean(), say("whether it offers a certificate of completion (not a diploma)"),
                  default=True)
SESSION = Key("session", Mapping(SESSION_TABLE), say("a dated run of the course"))
SESSIONS = Key("sessions", ListOf(Mapping(SESSION_TABLE)), say("several dated runs, instead of session"))
RELEASE = Key("release", Choice(tuple(r.value for r in Release)),
              say("all: everything is published; weekly: a week's sequences from its opening date"), default="all")
SCORM = Key("scorm", Boolean(), say("true: the site also offers the course as SCORM packages, on its kit page"),
            default=False)
HANDOUTS = Key("handouts", Boolean(), say("true: the build also makes each module's printable handouts (PDF, A4), "
                                           "the participant's without the answers and the facilitator's guide, in "
                                           "the course's handouts/ folder (needs WeasyPrint and Pango)"),
               default=False)
LMS_COMPLETION = Key("lms_completion", Choice(("viewed", "passed")),
                     say("when an LMS marks the course complete (SCORM packages; a cmi5 AU's moveOn): viewed, once "
                         "every sequence was viewed; passed, once the quizzes' points reach the pass mark"),
                     default="viewed")
REFERENT = Key("referent", Text(), say("the housing organisation that vouches for the course"))
FORUM = Key("forum", Url(), say("the address of its discussion space"))
CREDITS = Key("credits", ListOf(Mapping(CREDIT_TABLE)), say("who made it, by role"))

COURSE = Table("course.yml", (TITLE, AUDIENCE, SUMMARY, LANGUAGE, EFFORT, PASS_MARK, CERTIFICATE, SESSION, SESSIONS,
                              RELEASE, SCORM, HANDOUTS, LMS_COMPLETION, LIGHT_VIDEOS, REFERENT, FORUM, *RIGHTS,
                              CREDITS),
               say("A course (courses/<course-id>/course.yml); its folder name is its id."))


def read_course(course_dir: CourseDir, parent: Inherited, site_language: str, state: LoadState,
                site_light: LightVideos | None = DEFAULT_LIGHT) -> Course | None:
    loaded = state.yaml_file(course_dir.path / "course.yml")
    if loaded is None:
        return None
    node, ctx = loaded
    state.touched = set()
    try:
        values = COURSE.read(node, Reader(ctx, course_dir.path, state),
                             examples=title_example(id_title(course_dir.id)))
    finally:
        state.course_files, state.touched = state.touched, None
    rights = parent.child(values)
    effort_values = values[EFFORT]
    per_week = effort_values[PER_WEEK] if effort_values is not None else None
    effort = Effort(per_week, effort_values.given(WEEKS)) if effort_values is not None and per_week else None
    modules = []
    for position, module_dir in enumerate(course_dir.modules, start=1):
        module = read_module(module_dir, course_dir, rights, position, state)
        if module is not None:
            modules.append(module)
    if not course_dir.modules:
        state.report.warn(Pos(show(course_dir.path)), say("this course has no modules yet"),
                          say("add a folder 01-<module-id>/ with a module.yml"))
    if rights.licence is None:
        missing = [m for m in modules if m.rights is None]
        if state.unlicensed or missing:
            state.report.error(values.pos(), say("no licence for this course's content"),
                               say("add licence: CC-BY-NC-ND-4.0 to site.yml (it applies to everything) or to this "
                                   "course.yml"))
    state.unlicensed.clear()
    if values.written(CERTIFICATE) and values.given(CERTIFICATE) and not state.report.errors and not any(
            sequence.quiz is not None and sequence.quiz.graded and sequence.quiz.points > 0
            for module in modules for sequence in module.sequences):
        state.report.warn(values.pos(CERTIFICATE), say("certificate: true, but no quiz of this course is graded: "
                                                       "no learner can earn the certificate"),
                          say("add a quiz with graded: true (the default) to a sequence, or write certificate: "
                              "false"))
    if rights.licence is not None and not rights.attribution:
        state.report.warn(values.pos(), say("no attribution: files will carry no credit line"),
                          say('add attribution: "..." to site.yml or course.yml'))
    return Course(
        id=course_dir.id,
        title=values[TITLE] or "",
        language=values[LANGUAGE] or site_language,
        page=Page(PurePosixPath(course_dir.id)),
        source=course_dir.path / "course.yml",
        rights=rights.rights(),
        audience=values[AUDIENCE] or "",
        summary_html=values[SUMMARY] or "",
        effort=effort,
        pass_mark=values.given(PASS_MARK),
        certificate=values.given(CERTIFICATE),
        sessions=_sessions(values),
        release=Release(values.given(RELEASE)),
        scorm=values.given(SCORM),
        handouts=values.given(HANDOUTS),
        light_videos=read_light(values[LIGHT_VIDEOS], site_light),
        lms_completion=values.given(LMS_COMPLETION),
        referent=values[REFERENT] or "",
        forum=values[FORUM],
        credits=each(values[CREDITS], _credit),
        modules=tuple(modules),
    )


def _credit(values: Values) -> Credit | None:
    role, name = values[ROLE], values[CREDIT_NAME]
    return Credit(role, name) if role and name else None


def _sessions(values: Values) -> tuple[Session, ...]:
    single, many = values[SESSION], values[SESSIONS]
    if single is not None and values.written(SESSIONS):
        values.ctx.error(values.at(SESSIONS), say("both session: and sessions: are given"),
                         say("keep one: sessions: is a list of them"))
    listed = [single] if single is not None else list(many or ())
    sessions = [s for s in (_session(number, item) for number, item in enumerate(listed, start=1)) if s]
    return tuple(sorted(sessions, key=lambda x: (x.start, x.end)))


def _session(number: int, s: Values) -> Session | None:
    start, end, enrol_until, enrol_from = s[START], s[END], s[ENROL_UNTIL], s[ENROL_FROM]
    if start is None or end is None:
        return None
    if end < start:
        s.ctx.error(s.at(END), say("the session ends ({end}) before it starts ({start})", end=end, start=start),
                    say("check the years and months of start and end"))
        return None
    if enrol_until is not None and enrol_until > end:
        s.ctx.error(s.at(ENROL_UNTIL), say("enrolment closes ({closes}) after the session ends ({end})",
                                           closes=enrol_until, end=end),
                    say("close enrolment on or before the end date"))
    if enrol_from is not None and enrol_until is not None and enrol_from > enrol_until:
        s.ctx.error(s.at(ENROL_FROM), say("enrolment opens ({opens}) after it closes ({closes})", opens=enrol_from,
                                          closes=enrol_until),
                    say("open enrolment before enrol_until"))
    return Session(s[SESSION_NAME] or f"Session {number}", start, end, enrol_until, s[ENROL_URL], enrol_from)
