"""The course model: immutable, typed, and free of I/O.

The loader builds it once from an author's tree; renderers and writers only read it.
Markdown fields hold HTML whose links to other pages and media use site paths
(``mooc-site:/course/module/seq/index.html``), made relative per page by the renderer.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import math
from dataclasses import dataclass, field, fields
from fractions import Fraction
from pathlib import Path, PurePosixPath

from mooc_builder.model.licences import Licence
from mooc_builder.model.pages import Page
from mooc_builder.model.questions import Blank, ClozePart, Pair, Zone, distinct, seed_of, shown_order
from mooc_builder.text import plain_text


def repr_digest(value: object) -> str:
    """The sha256 of a value's repr: what digests.Digests compares between builds."""
    return hashlib.sha256(repr(value).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Rights:
    """A licence and its credit line, as resolved by inheritance."""

    licence: Licence
    attribution: str


@dataclass(frozen=True, slots=True)
class MediaFile:
    """A file from the content tree that the site ships, at ``output`` (a site path)."""

    source: Path
    output: PurePosixPath
    size: int

    @property
    def name(self) -> str:
        return self.output.name

    @property
    def extension(self) -> str:
        return self.output.suffix.lower().lstrip(".")


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    url: str | None = None
    logo: MediaFile | None = None


@dataclass(frozen=True, slots=True)
class Caption:
    language: str
    file: MediaFile


@dataclass(frozen=True, slots=True)
class LightVideos:
    """How the light variant of each local video is made (site.yml or course.yml ``light_videos:``): the
    height of its picture in pixels, its video and sound bit rates in kbit/s; and what the download bundles
    hold: "light", "original" or "both"."""

    height: int = 360
    video_kbps: int = 400
    audio_kbps: int = 64
    bundles: str = "both"


@dataclass(frozen=True, slots=True)
class Cue:
    """A WebVTT cue as read at load time: its start and end in seconds and its text (a chapter's title)."""

    start: float
    end: float
    text: str


@dataclass(frozen=True, slots=True)
class Video:
    title: str
    rights: Rights
    src: MediaFile | None = None  # a local file, or
    url: str | None = None  # an external page (YouTube, PeerTube, Vimeo)
    poster: MediaFile | None = None
    captions: tuple[Caption, ...] = ()
    transcript: MediaFile | None = None
    transcript_html: str = ""
    duration: dt.timedelta | None = None
    # Made at build time from ``src`` (media/): a light variant for small screens and slow links, and a poster
    # when the author gave none. None until then, and when the site asks for no variant.
    light: MediaFile | None = None
    # Read from the file at check time when the author wrote no duration; the author's is kept in ``duration``.
    file_duration: dt.timedelta | None = None
    frame_size: tuple[int, int] | None = None  # (width, height) of its picture, read from the file
    playable: bool = True  # whether browsers play the file as it is (not an iPhone's HEVC): read from it
    # WebVTT chapters (a list under the player, steps in the projector view) and audio description: WebVTT
    # descriptions per language, read aloud on demand, or an audio track the author recorded.
    chapters: MediaFile | None = None
    descriptions: tuple[Caption, ...] = ()
    described_audio: MediaFile | None = None
    # The chapters file's cues, listed under the player by the page itself (no script needed to read them).
    chapter_cues: tuple[Cue, ...] = ()

    @property
    def is_local(self) -> bool:
        return self.src is not None

    @property
    def files(self) -> tuple[MediaFile, ...]:
        """Every file the site ships for this video: the one place that lists them (site, bundles, exports)."""
        found = (self.src, self.light, self.poster, self.transcript, *(c.file for c in self.captions),
                 self.chapters, *(d.file for d in self.descriptions), self.described_audio)
        return tuple(m for m in found if m is not None)

    @property
    def track_files(self) -> tuple[MediaFile, ...]:
        """Its WebVTT files (captions, chapters, descriptions), each of which the site also gives as a script:
        browsers refuse a <track> file from file://, and the theme's scripts read the script instead."""
        found = (*(c.file for c in self.captions), self.chapters, *(d.file for d in self.descriptions))
        return tuple(m for m in found if m is not None)


@dataclass(frozen=True, slots=True)
class Resource:
    title: str
    file: MediaFile
    rights: Rights


class QuestionType(enum.Enum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    TEXT = "text"
    NUMERIC = "numeric"
    MATCHING = "matching"
    ORDERING = "ordering"
    CLOZE = "cloze"
    HOTSPOT = "hotspot"


def shown_blank_options(blank: Blank) -> tuple[int, ...]:
    """A select blank's options as shown: each one's index as written (0: the right one)."""
    return shown_order(seed_of("cloze", *blank.answers), len(blank.answers))


@dataclass(frozen=True, slots=True)
class Choice:
    html: str
    correct: bool
    feedback_html: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    type: QuestionType
    prompt_html: str
    points: int = 1
    choices: tuple[Choice, ...] = ()
    partial_credit: bool = False
    answer_bool: bool | None = None
    answers: tuple[str, ...] = ()
    answer_number: float | None = None
    tolerance: float = 0.0
    explanation_html: str = ""
    pairs: tuple[Pair, ...] = ()  # matching
    items: tuple[str, ...] = ()  # ordering: HTML, in the right order
    cloze: tuple[ClozePart, ...] = ()  # cloze: its text and blanks, in reading order
    image: MediaFile | None = None  # hotspot: the drawing...
    image_box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # ...its x, y, width, height in its units
    image_alt: str = ""
    zones: tuple[Zone, ...] = ()

    # What a learner picks from, in the order shown (see model/questions.py): positions there are what the
    # pages' controls carry and what a response holds.
    @property
    def shown_options(self) -> tuple[str, ...]:
        """A matching question's options (its distinct right-hand sides), as each select lists them."""
        rights = distinct(tuple(pair.right for pair in self.pairs))
        return tuple(rights[i] for i in shown_order(seed_of("matching", *rights), len(rights)))

    @property
    def shown_items(self) -> tuple[int, ...]:
        """An ordering question's items as first shown: each one's index in the right order."""
        return shown_order(seed_of("ordering", *self.items), len(self.items), never_right=True)

    @property
    def blanks(self) -> tuple[Blank, ...]:
        return tuple(part for part in self.cloze if isinstance(part, Blank))

    @property
    def shown_zones(self) -> tuple[int, ...]:
        """A hotspot's zones as the page lists them: each one's index as written."""
        return shown_order(seed_of("hotspot", *(zone.label for zone in self.zones)), len(self.zones))


@dataclass(frozen=True, slots=True)
class Quiz:
    id: str  # the file name without .quiz.yml
    title: str
    graded: bool
    max_attempts: int
    questions: tuple[Question, ...]

    @property
    def points(self) -> int:
        return sum(q.points for q in self.questions)

    def asks(self, *types: str) -> bool:
        """Whether a question is of one of ``types`` (their values): what a page loads the scripts of."""
        return any(q.type.value in types for q in self.questions)


@dataclass(frozen=True, slots=True)
class Note:
    """A presenter note (a ``::: notes`` block of a sequence's body): shown in the projector view's presenter
    window only. ``at``: the offset in the body's HTML where it was written (render/slides.py puts it on the
    slide open there); ``html``: its text."""

    at: int
    html: str


@dataclass(frozen=True, slots=True)
class Sequence:
    id: str
    order: int
    title: str
    page: Page
    source: Path
    rights: Rights
    body_html: str
    words: int  # of the body, for its reading time: 0 (not counted) when the duration is announced
    videos: tuple[Video, ...] = ()
    resources: tuple[Resource, ...] = ()
    images: tuple[MediaFile, ...] = ()
    quiz: Quiz | None = None
    discussion_html: str = ""
    declared_duration: dt.timedelta | None = None
    # Presenter notes, lifted out of the body: never in body_html, so never on the site's pages.
    notes: tuple[Note, ...] = ()
    # The smaller copies of its photos that body_html offers (model/pictures.py): named by the load (each then
    # its picture's file, size 0), made by the build (media/pictures.py: the store's file and its size).
    picture_variants: tuple[MediaFile, ...] = ()
    # The body as plain text (search index, summaries), worked out once when the sequence is loaded.
    body_text: str = field(init=False, repr=False, compare=False)
    # The sha256 of its repr, what digests.Digests makes of it: worked out where the sequence is made, by the
    # processes that read sequences side by side, not later by the one that plans the pages.
    digest: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "body_text", plain_text(self.body_html))
        object.__setattr__(self, "digest", _sequence_digest(self))

    @property
    def present_page(self) -> Page:
        return self.page.child("present")

    @property
    def embed_page(self) -> Page:
        return self.page.child("embed")

    @property
    def quiz_embed_page(self) -> Page:
        return self.page.child("embed").child("quiz")

    @property
    def pictures(self) -> tuple[MediaFile, ...]:
        """Every picture file the sequence ships: those its text shows and their smaller copies, and its quiz's
        drawings (the one place that lists them: site, records, bundles' kit, cartridge)."""
        return tuple(dict.fromkeys((*self.images, *self.picture_variants, *self.quiz_drawings)))

    @property
    def quiz_drawings(self) -> tuple[MediaFile, ...]:
        """The drawings its quiz's hotspot questions point at, each once."""
        return tuple(dict.fromkeys(q.image for q in self.quiz.questions if q.image)) if self.quiz else ()

    @property
    def reading_time(self) -> dt.timedelta:
        return dt.timedelta(minutes=math.ceil(self.words / 200)) if self.words else dt.timedelta()

    @property
    def duration(self) -> dt.timedelta:
        """The announced duration, else videos + reading time (200 words a minute) + a minute a question."""
        if self.declared_duration is not None:
            return self.declared_duration
        videos = sum((v.duration or dt.timedelta() for v in self.videos), dt.timedelta())
        questions = len(self.quiz.questions) if self.quiz else 0
        return videos + self.reading_time + dt.timedelta(minutes=questions)


# What a sequence's digest is made of besides its body: every field its repr shows (see _sequence_digest).
_SEQUENCE_FIELDS = tuple(f.name for f in fields(Sequence) if f.repr and f.name != "body_html")


def _sequence_digest(sequence: Sequence) -> str:
    """As repr_digest, for the same fields, with the body's bytes hashed as they are rather than repr'd first:
    the body is most of a sequence, and repr escapes it character by character (0.1 s of a 2,000-sequence
    load)."""
    sha = hashlib.sha256(sequence.body_html.encode("utf-8"))
    sha.update(b"\0")
    sha.update(repr(tuple(getattr(sequence, name) for name in _SEQUENCE_FIELDS)).encode("utf-8"))
    return sha.hexdigest()


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    order: int
    title: str
    week: int
    page: Page
    source: Path
    rights: Rights | None
    objectives: tuple[str, ...] = ()
    discussion_html: str = ""
    sequences: tuple[Sequence, ...] = ()
    # Set by sessions.publish for the build date: when the module's week opens in the current session;
    # with a weekly release, a week not yet open keeps its sequences aside (withheld) and publishes none.
    opens: dt.date | None = None
    published: bool = True
    withheld: tuple[Sequence, ...] = ()

    @property
    def duration(self) -> dt.timedelta:
        return sum((s.duration for s in self.sequences), dt.timedelta())

    @property
    def present_page(self) -> Page:
        return self.page.child("present")

    @property
    def bundle_file(self) -> PurePosixPath:
        """Its download bundle (the week's kit), in its course's downloads folder."""
        course = self.page.path.parts[0]
        return PurePosixPath(course, "downloads", f"{course}-{self.id}.zip")

    def handout_file(self, role: str) -> PurePosixPath:
        """Where the site holds this module's printable handout for ``role`` (one of HANDOUT_ROLES), when its
        course asks for handouts: ``<course>/handouts/<module-id>-<role>.pdf``."""
        return self.page.path.parent / "handouts" / f"{self.id}-{role}.pdf"


# The printable handouts of a module (course.yml `handouts: true`): the participant's, without the answers,
# and the facilitator's guide, with the session plan and the answers.
HANDOUT_ROLES = ("participant", "facilitator")


@dataclass(frozen=True, slots=True)
class Session:
    name: str
    start: dt.date
    end: dt.date
    enrol_until: dt.date | None = None
    enrol_url: str | None = None
    enrol_from: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Effort:
    per_week: dt.timedelta
    weeks: int


@dataclass(frozen=True, slots=True)
class Credit:
    role: str
    name: str


class Release(enum.Enum):
    ALL = "all"
    WEEKLY = "weekly"


@dataclass(frozen=True, slots=True)
class Course:
    id: str
    title: str
    language: str
    page: Page
    source: Path
    rights: Rights | None
    audience: str = ""
    summary_html: str = ""
    effort: Effort | None = None
    pass_mark: Fraction = Fraction(3, 10)
    certificate: bool = True
    sessions: tuple[Session, ...] = ()
    release: Release = Release.ALL
    scorm: bool = False
    handouts: bool = False
    lms_completion: str = "viewed"  # when an LMS marks it complete: "viewed" (every sequence) or "passed"
    light_videos: LightVideos | None = LightVideos()  # None: no light variant is made
    referent: str = ""
    forum: str | None = None
    credits: tuple[Credit, ...] = ()
    modules: tuple[Module, ...] = ()

    @property
    def sequences(self) -> tuple[Sequence, ...]:
        return tuple(s for m in self.modules for s in m.sequences)

    @property
    def credits_page(self) -> Page:
        return self.page.child("licences")

    @property
    def calendar_file(self) -> PurePosixPath:
        return self.page.path / "calendar.ics"

    @property
    def search_page(self) -> Page:
        return self.page.child("search")

    @property
    def kit_page(self) -> Page:
        return self.page.child("kit")

    @property
    def progress_page(self) -> Page:
        return self.page.child("progress")

    @property
    def certificate_page(self) -> Page:
        return self.page.child("certificate")

    @property
    def all_sequences(self) -> tuple[Sequence, ...]:
        """Published and withheld sequences: what the certificate's total counts."""
        return tuple(s for m in self.modules for s in (*m.sequences, *m.withheld))

    @property
    def graded_points(self) -> int:
        return sum(s.quiz.points for s in self.all_sequences if s.quiz is not None and s.quiz.graded)

    def weeks(self) -> list[tuple[int, tuple[Module, ...]]]:
        by_week: dict[int, list[Module]] = {}
        for module in self.modules:
            by_week.setdefault(module.week, []).append(module)
        return [(week, tuple(mods)) for week, mods in sorted(by_week.items())]


@dataclass(frozen=True, slots=True)
class Site:
    title: str
    language: str
    rights: Rights | None
    description: str = ""
    organisation: Organisation | None = None
    funders: tuple[Organisation, ...] = ()
    courses: tuple[Course, ...] = ()
    pretty_urls: bool = False
    base_url: str = ""
    allow_html: bool = False
    media: tuple[MediaFile, ...] = field(default=())

    def captions(self) -> list[MediaFile]:
        """Every WebVTT file (captions, chapters, descriptions), once, in a stable order."""
        found = {f.output: f for course in self.courses for s in course.sequences for v in s.videos
                 for f in v.track_files}
        return [found[key] for key in sorted(found)]

    def all_media(self) -> list[MediaFile]:
        """Every file the site ships from the content tree, each once, in a stable order."""
        seen: dict[PurePosixPath, MediaFile] = {m.output: m for m in self.media}
        for course in self.courses:
            for sequence in course.sequences:
                files: list[MediaFile | None] = [*sequence.pictures]
                for video in sequence.videos:
                    files += video.files
                files += [r.file for r in sequence.resources]
                for item in files:
                    if item is not None:
                        seen.setdefault(item.output, item)
        return [seen[key] for key in sorted(seen)]
