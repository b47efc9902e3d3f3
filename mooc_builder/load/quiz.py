"""A quiz, <name>.quiz.yml, named by the sequence that shows it: its questions and their answers."""

from __future__ import annotations

import dataclasses

from mooc_builder.lang.text import say
from mooc_builder.load import questions
from mooc_builder.load import values as v
from mooc_builder.load.keys import (
    Boolean,
    Choice,
    Deferred,
    Integer,
    Key,
    ListOf,
    Mapping,
    Markdown,
    Number,
    Reader,
    Table,
    Text,
    TextList,
    Values,
    each,
)
from mooc_builder.load.paths import refusal, refusal_hint
from mooc_builder.load.questions import PARTIAL_CREDIT
from mooc_builder.load.state import LoadState
from mooc_builder.load.tree import SequenceFile, show
from mooc_builder.load.values import Ctx
from mooc_builder.load.yamlsrc import Node, SequenceNode
from mooc_builder.model import Choice as ChoiceModel
from mooc_builder.model import Question, QuestionType, Quiz, limits

CHOICES_TYPES = frozenset({"single", "multiple"})
# The types load/questions.py reads.
KINDS = frozenset({QuestionType.MATCHING, QuestionType.ORDERING, QuestionType.CLOZE, QuestionType.HOTSPOT})

CHOICE_TEXT = Key("text", Markdown(inline=True), say("what the choice says"), required='text: "..."',
                  missing=say("the choice text"))
CORRECT = Key("correct", Boolean(), say("whether it is a right answer"), default=False)
FEEDBACK = Key("feedback", Markdown(inline=True), say("what the learner reads after picking it"))
CHOICE = Table(say("a choice"), (CHOICE_TEXT, CORRECT, FEEDBACK))

TYPE = Key("type", Choice(tuple(t.value for t in QuestionType)),
           say("single: one right choice; multiple: one or more; true_false; text: a free answer; numeric: a number; "
               "matching: pairs to match; ordering: items to put in order; cloze: a text with blanks; hotspot: a "
               "place to point at on a drawing"),
           required="type: single (or multiple, true_false, text, numeric, matching, ordering, cloze, hotspot)",
           missing=say("the question type"))
PROMPT = Key("prompt", Markdown(), say("the question"), required='prompt: "..."',
             missing=say("the question prompt"))
CHOICES = Key("choices", ListOf(Mapping(CHOICE)), say("the choices, at least two"),
                                 types=CHOICES_TYPES)
EXPLANATION = Key("explanation", Markdown(), say("shown once the learner has answered"))
POINTS = Key("points", Integer(0, limits.MAX_POINTS), say("what the question is worth"), default=1)
ANSWER = Key("answer", Deferred("true or false (true_false), or a number (numeric)"), say("the right answer"),
             types=frozenset({"true_false", "numeric"}))
ANSWERS = Key("answers", TextList(), say("the accepted answers, compared without case, accents or spaces"),
              types=frozenset({"text"}))
TOLERANCE = Key("tolerance", Number(), say("how far from the answer a number may be and still count"), default=0.0,
                shown_default="0",
                types=frozenset({"numeric"}))
QUESTION = Table(say("a question"), (TYPE, PROMPT, CHOICES, EXPLANATION, POINTS, PARTIAL_CREDIT, ANSWER,
                                     ANSWERS, TOLERANCE, *questions.KEYS))

TITLE = Key("title", Text(), say("the quiz's title"), shown_default="Quiz")
GRADED = Key("graded", Boolean(), say("whether its points count toward the certificate"), default=True)
MAX_ATTEMPTS = Key("max_attempts", Integer(0, limits.MAX_ATTEMPTS), say("how many attempts a learner has; 0: no limit"),
                   default=0)
QUESTIONS = Key("questions", ListOf(Mapping(QUESTION)), say("the questions, in order"),
                                   required="questions: followed by a list of questions",
                                   missing=say("the list of questions"))
QUIZ = Table(say("a quiz"), (TITLE, GRADED, MAX_ATTEMPTS, QUESTIONS),
             say("A quiz (<name>.quiz.yml beside the sequences), named by the quiz: key of one sequence."),
             title="A quiz: <name>.quiz.yml")


def read_quiz_reference(node: Node, ctx: Ctx, seq_file: SequenceFile, state: LoadState) -> Quiz | None:
    """The quiz a sequence's ``quiz:`` names, read from its file; each quiz serves one sequence."""
    raw = (v.as_text(node, ctx) or "").strip()
    if not raw.endswith(".quiz.yml"):
        ctx.error(node, say("'{value}' is not a quiz file", value=raw), say("quiz files are named <name>.quiz.yml"))
        return None
    base = seq_file.path.parent
    path, reason = state.resolve_path(raw, base)
    if path is None:
        assert reason is not None
        ctx.error(node, refusal(raw, reason, say("quiz file")), refusal_hint(reason, raw, base))
        return None
    state.touch(path)
    real = path.resolve()
    if real in state.quiz_users:
        ctx.error(node, say("quiz '{value}' is already used by {file}", value=raw, file=show(state.quiz_users[real])),
                  say("give each sequence its own quiz file, so points are counted once"))
        return None
    state.use_quiz(real, seq_file.path)
    loaded = state.yaml_file(path)
    if loaded is None:
        return None
    quiz_node, quiz_ctx = loaded
    values = QUIZ.read(quiz_node, Reader(quiz_ctx, path.parent, state))
    if not (values[TITLE] or "").strip() and values.node is not None:
        quiz_ctx.warn(values.at(TITLE), say("this quiz has no title: it is shown as 'Quiz'"),
                      say('give it one at the top of the file, e.g. title: "Quiz : la facture"'))
    listed = values.node_of(QUESTIONS)
    if isinstance(listed, SequenceNode) and not listed.value:
        quiz_ctx.warn(listed, say("this quiz has no questions: learners would see an empty quiz"),
                      say("add questions under questions:, or remove quiz: from the sequence until it is ready"))
    return Quiz(
        id=path.name.removesuffix(".quiz.yml"),
        title=values[TITLE] or "Quiz",
        graded=values.given(GRADED),
        max_attempts=values.given(MAX_ATTEMPTS),
        questions=each(values[QUESTIONS], _question),
    )


def _question(q: Values) -> Question | None:
    kind_text = q[TYPE]
    if kind_text is None:
        return None
    kind = QuestionType(kind_text)
    for key in QUESTION.keys:
        if key.types is not None and kind.value not in key.types and q.written(key):
            q.ctx.error(q.key_nodes[key.name], say("'{key}' does not apply to a question of type {type}",
                                                   key=key.name, type=kind.value), say("remove it or change the type"))
    question = Question(kind, q[PROMPT] or "", q.given(POINTS), explanation_html=q[EXPLANATION] or "")
    ctx = q.ctx
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        return _with_choices(question, q)
    if kind is QuestionType.TRUE_FALSE:
        answer_node = q.require(ANSWER, "answer: true (or false)", "the answer")
        answer = v.as_bool(answer_node, ctx) if answer_node is not None else None
        return dataclasses.replace(question, answer_bool=answer) if answer is not None else None
    if kind in KINDS:
        return questions.read_kind(question, q)
    if kind is QuestionType.TEXT:
        answers = q[ANSWERS] or ()
        if not answers:
            ctx.error(q.at(ANSWERS), say("a text question needs at least one accepted answer"),
                      say('add answers: ["19", "19 °C"]'))
            return None
        return dataclasses.replace(question, answers=answers)
    answer_node = q.require(ANSWER, "answer: 19", "the answer")
    number = v.as_number(answer_node, ctx) if answer_node is not None else None
    tolerance = q.given(TOLERANCE)
    if tolerance < 0:
        ctx.error(q.at(TOLERANCE), say("tolerance {tolerance} is below 0", tolerance=format(tolerance, "g")),
                  say("use 0 or a positive number"))
        return None
    if number is None:
        return None
    return dataclasses.replace(question, answer_number=number, tolerance=tolerance)


def _choice(c: Values) -> ChoiceModel | None:
    text = c[CHOICE_TEXT]
    return ChoiceModel(text, c.given(CORRECT), c[FEEDBACK] or "") if text is not None else None


def _with_choices(question: Question, q: Values) -> Question | None:
    choices = each(q[CHOICES], _choice)
    where = q.at(CHOICES)
    ctx = q.ctx
    if len(choices) < 2:
        ctx.error(where, say("a choice question needs at least two choices"),
                  say("add choices: with text: and correct:"))
        return None
    correct = sum(c.correct for c in choices)
    if question.type is QuestionType.SINGLE and correct != 1:
        ctx.error(where, say("a single question needs exactly one correct choice, found {count}", count=correct),
                  say("mark one choice correct: true, or use type: multiple"))
        return None
    if question.type is QuestionType.MULTIPLE and correct == 0:
        ctx.error(where, say("a multiple question needs at least one correct choice"),
                  say("mark one or more correct: true"))
        return None
    return dataclasses.replace(question, choices=choices, partial_credit=q.given(PARTIAL_CREDIT))
