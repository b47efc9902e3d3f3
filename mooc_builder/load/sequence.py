"""A sequence, NN-<id>.md: its front matter, then its Markdown body; or the sequence as the load cache kept it,
when none of the files it was made from changed."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from mooc_builder.lang.text import say
from mooc_builder.load.cache import SequenceMemo, signature
from mooc_builder.load.keys import (
    Deferred,
    Duration,
    Key,
    ListOf,
    Mapping,
    Markdown,
    Reader,
    Table,
    Text,
    each,
    id_title,
    title_example,
)
from mooc_builder.load.quiz import read_quiz_reference
from mooc_builder.load.rights import NO_RIGHTS, RIGHTS, Inherited
from mooc_builder.load.state import LoadState
from mooc_builder.load.tree import CourseDir, ModuleDir, SequenceFile, read_text, show, split_front_matter
from mooc_builder.load.values import Ctx
from mooc_builder.load.video import RESOURCE, VIDEO, read_resource, read_video
from mooc_builder.load.yamlsrc import Source, parse_yaml
from mooc_builder.markdown.processor import Place
from mooc_builder.model import Page, Sequence

# What to add is the author's own title: their first heading, else their file's name (see title_example).
TITLE = Key("title", Text(), say("the sequence's title"), required='title: "..."')
DURATION = Key("duration", Duration(), say("how long it takes"),
               shown_default=say("its videos + reading time (200 words a minute) + a minute a question"))
VIDEOS = Key("videos", ListOf(Mapping(VIDEO)), say("its videos, local or external"))
RESOURCES = Key("resources", ListOf(Mapping(RESOURCE)),
                                   say("documents to download: PDF sheets, drawings"))
QUIZ = Key("quiz", Deferred(say("the name of a quiz file, <name>.quiz.yml, relative to this file")), say("its quiz"))
DISCUSSION = Key("discussion", Markdown(), say("a question for the forum about this sequence"))
SEQUENCE = Table(say("the front matter"), (TITLE, DURATION, VIDEOS, RESOURCES, QUIZ, DISCUSSION, *RIGHTS),
                 say("A sequence (courses/<course>/NN-<module>/NN-<sequence-id>.md): YAML between two lines '---', "
                 "then the text in Markdown."), title=say("A sequence: NN-<id>.md, its front matter"))



def read_sequence(seq_file: SequenceFile, module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited,
                  state: LoadState) -> Sequence | None:
    """A sequence from its file, or from the load cache when nothing it was made from changed."""
    if state.claims is not None:
        index = state.seen_sequences
        state.seen_sequences += 1
        if not state.claims.mine(index):
            return None  # another process reads this one
    context = (seq_file.id, seq_file.order, course_dir.id, module_dir.id, parent, state.allow_html,
               state.pages_key, str(state.root))
    cache = state.cache
    if cache is not None:
        memo = cache.lookup(seq_file.path, context, state.changed)
        if memo is not None:
            cache.hits += 1
            state.replay(memo.diagnostics, [(memo.quiz, seq_file.path)] if memo.quiz else [],
                         [memo.unlicensed] if memo.unlicensed else [])
            return memo.sequence
        cache.misses += 1
    state.touched = {seq_file.path}
    try:
        with state.recording() as record:
            sequence = _read(seq_file, module_dir, course_dir, parent, state)
    finally:
        touched, state.touched = state.touched, None
    if cache is not None:
        memo = SequenceMemo(
            context, {path: signature(path) for path in sorted(touched)}, sequence, record.diagnostics,
            record.quizzes[0][0] if record.quizzes else None, record.unlicensed[0] if record.unlicensed else None)
        cache.sequences[seq_file.path] = memo
        if state.claims is not None:
            state.claims.made(seq_file.path, memo)
    return sequence


def _read(seq_file: SequenceFile, module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited,
          state: LoadState) -> Sequence | None:
    text = read_text(seq_file.path, state.report, state.real_root)
    if text is None:
        return None
    parts = split_front_matter(text, seq_file.path, state.report)
    if parts is None:
        return None
    display = show(seq_file.path)
    ctx = Ctx(Source(display, parts.yaml, parts.yaml_offset), state.report)
    before = len(state.report.items)
    node = parse_yaml(ctx.source, state.report)
    if any(d.severity.value == "error" for d in state.report.items[before:]):
        return None  # invalid YAML: any other message about this file would be noise
    base = seq_file.path.parent
    examples = title_example(_heading(parts.body)) or title_example(id_title(seq_file.id))
    values = SEQUENCE.read(node, Reader(ctx, base, state), examples=examples)
    inherited = parent.child(values)
    rights = inherited.rights()
    if rights is None:
        state.unlicensed.append(values.pos())
    videos = each(values[VIDEOS], lambda item: read_video(item, inherited))
    resources = each(values[RESOURCES], lambda item: read_resource(item, inherited))
    quiz_node = values[QUIZ]
    quiz = read_quiz_reference(quiz_node, ctx, seq_file, state) if quiz_node is not None else None
    declared = values[DURATION]
    title = values[TITLE] or ""
    # Words are counted for the reading time, which only a sequence without an announced duration needs.
    body = state.md.render(parts.body, Place(display, parts.body_offset, base), state.report, title=title,
                           count_words=declared is None, notes=True, pictures=True)
    return Sequence(
        id=seq_file.id,
        order=seq_file.order,
        title=title,
        page=Page(PurePosixPath(course_dir.id, module_dir.id, seq_file.id)),
        source=seq_file.path,
        rights=rights or NO_RIGHTS,
        body_html=body.html,
        words=body.words,
        videos=videos,
        resources=resources,
        images=tuple(dict.fromkeys(body.media)),
        quiz=quiz,
        discussion_html=values[DISCUSSION] or "",
        declared_duration=declared,
        notes=body.notes,
        picture_variants=body.variants,
    )


_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$", re.MULTILINE)


def _heading(body: str) -> str:
    """The text of the body's first heading ('# Lire l'étiquette'), or ''."""
    match = _HEADING.search(body)
    return match.group(1).strip() if match else ""
