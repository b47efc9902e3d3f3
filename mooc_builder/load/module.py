"""module.yml: a module (a week's worth of sequences), and its sequences; or the module as the last load made
it, when a watcher says none of its files changed."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from mooc_builder.diagnostics import Pos
from mooc_builder.lang.text import say
from mooc_builder.load.cache import ModuleMemo
from mooc_builder.load.keys import Integer, Key, Markdown, Reader, Table, Text, TextList, id_title, title_example
from mooc_builder.load.rights import RIGHTS, Inherited
from mooc_builder.load.sequence import read_sequence
from mooc_builder.load.state import LoadState
from mooc_builder.load.tree import CourseDir, ModuleDir, show
from mooc_builder.model import Module, Page, limits

TITLE = Key("title", Text(), say("the module's title"), required='title: "..."')  # the author's own: see title_example
WEEK = Key("week", Integer(1, limits.MAX_WEEKS), say("the week of the session in which it opens"),
           shown_default=say("its position among the modules"))
OBJECTIVES = Key("objectives", TextList(), say("what a learner will be able to do, one line each"))
DISCUSSION = Key("discussion", Markdown(), say("a question for the week, to discuss on the forum"))
MODULE = Table("module.yml", (TITLE, WEEK, OBJECTIVES, DISCUSSION, *RIGHTS),
               say("A module (courses/<course>/NN-<module-id>/module.yml): NN orders the modules."))


def read_module(module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited, position: int,
                state: LoadState) -> Module | None:
    """A module from its folder, or, when a watcher named the files that changed and none is the module's
    or one its sequences were made from, as the last load made it."""
    cache = state.cache
    context = (module_dir.path, module_dir.order, module_dir.id, tuple(module_dir.sequences),
               tuple(module_dir.quizzes), course_dir.id, parent, position, state.allow_html, state.pages_key,
               str(state.root))
    if cache is not None and state.changed is not None:
        memo = cache.modules.get(module_dir.path)
        if memo is not None and memo.context == context and memo.files.isdisjoint(state.changed):
            state.replay(memo.diagnostics[0], memo.quizzes, memo.unlicensed)
            _unused_quizzes(module_dir, state)  # another module's sequence may use one
            state.report.items.extend(memo.diagnostics[1])
            return memo.module
    with state.recording() as record:
        module, middle, touched = _read_module(module_dir, course_dir, parent, position, state)
    if cache is not None and module is not None:
        files = {module_dir.path / "module.yml", *module_dir.quizzes, *touched}
        for seq_file in module_dir.sequences:
            files.add(seq_file.path)
            seq_memo = cache.sequences.get(seq_file.path)
            files.update(seq_memo.deps if seq_memo is not None else ())
        items = state.report.items
        cache.modules[module_dir.path] = ModuleMemo(
            context, frozenset(files), module, (items[record.first:middle[0]], items[middle[1]:]),
            record.quizzes, record.unlicensed)
    return module


def _unused_quizzes(module_dir: ModuleDir, state: LoadState) -> None:
    for path in module_dir.quizzes:
        if path.resolve() not in state.quiz_users:
            state.report.warn(Pos(show(path)), say("this quiz is not used by any sequence"),
                              say("add quiz: {name} to a sequence's front matter", name=path.name))


def _read_module(module_dir: ModuleDir, course_dir: CourseDir, parent: Inherited, position: int,
                 state: LoadState) -> tuple[Module | None, tuple[int, int], set[Path]]:
    """The module, where in the report the warnings about its unused quizzes start and end, and the files
    its own text read (media linked from its discussion)."""
    loaded = state.yaml_file(module_dir.path / "module.yml")
    if loaded is None:
        return None, (0, 0), set()
    node, ctx = loaded
    state.touched = set()
    try:
        values = MODULE.read(node, Reader(ctx, module_dir.path, state),
                             examples=title_example(id_title(module_dir.id)))
    finally:
        touched, state.touched = state.touched, None
    rights = parent.child(values)
    sequences = []
    for seq_file in module_dir.sequences:
        sequence = read_sequence(seq_file, module_dir, course_dir, rights, state)
        if sequence is not None:
            sequences.append(sequence)
    before_quizzes = len(state.report.items)
    _unused_quizzes(module_dir, state)
    middle = (before_quizzes, len(state.report.items))
    if not module_dir.sequences:
        state.report.warn(Pos(show(module_dir.path)), say("this module has no sequences yet"),
                          say("add a file 01-<sequence-id>.md"))
    module = Module(
        id=module_dir.id,
        order=module_dir.order,
        title=values[TITLE] or "",
        week=values[WEEK] or position,
        page=Page(PurePosixPath(course_dir.id, module_dir.id)),
        source=module_dir.path / "module.yml",
        rights=rights.rights(),
        objectives=values[OBJECTIVES] or (),
        discussion_html=values[DISCUSSION] or "",
        sequences=tuple(sequences),
    )
    return module, middle, touched
