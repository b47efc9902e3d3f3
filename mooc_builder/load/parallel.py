"""Reading the sequences in several processes before a load, into its cache (Markdown parsing is the costly
part of a load)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mooc_builder.diagnostics import Report
from mooc_builder.load.cache import LoadCache, SequenceMemo, Shape
from mooc_builder.load.mailbox import Mailbox

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import Synchronized


PARALLEL_FROM = 200


# What forked readers inherit (set only while a pool runs): the content folder, the cache so far, the counter
# of shares handed out, the tree as discovered (each reader discovering it again cost a tenth of a second) and
# the mailbox where the other readers leave what they read.
_FORKED: tuple[Path, LoadCache, Synchronized[int], Shape, Mailbox] | None = None


# Room in the mailbox for each sequence to read: a page of text makes a memo of about 14 kB. What does not fit
# comes back with the reader's result instead.
_MAILBOX_PER_SEQUENCE = 32 * 1024


_MAILBOX_LEAST = 1 << 20


Memos = dict[Path, SequenceMemo]


class Claims:
    """The sequences a reading process reads: shares of a few, in the order every reader walks the tree,
    each taken by the first reader to ask for it. A reader that starts late (it had other work first) or
    meets long pages reads fewer; whoever reads a sequence, it gives the same memo.

    ``between(memos)`` is called each time the reader is done with a share, with the memos it made since the
    last call, and by ``finish`` with the last ones.
    """

    SHARE = 8

    def __init__(self, counter: Synchronized[int], between: Callable[[Memos], None] | None = None) -> None:
        self._counter = counter
        self._share = -1  # the last share this reader took
        self._between = between
        self._batch: Memos = {}  # the memos made since the last hand-over

    def mine(self, index: int) -> bool:
        """Whether the ``index``-th sequence of the walk is this reader's to read."""
        share = index // self.SHARE
        if self._share < share and self._share >= 0:
            self._hand_over()
        while self._share < share:  # shares are handed out in increasing order: take the next one free
            with self._counter.get_lock():
                self._share = self._counter.value
                self._counter.value += 1
        return self._share == share

    def made(self, path: Path, memo: SequenceMemo) -> None:
        self._batch[path] = memo

    def finish(self) -> None:
        self._hand_over()

    def _hand_over(self) -> None:
        if self._between is not None:
            batch, self._batch = self._batch, {}
            self._between(batch)


def read_in_parallel(content_dir: Path, cache: LoadCache, workers: int, unread: int,
                      meanwhile: Callable[[], None] | None, shape: Shape) -> None:
    """Read the sequences in ``workers`` processes (Markdown parsing is the costly part) into the cache.

    The other readers leave what they read in a mailbox as they go, share by share, and this process takes it
    from there between its own shares: when the last share is read, little is left to hand over.
    """
    import multiprocessing

    global _FORKED
    context = multiprocessing.get_context("fork")
    mailbox = _mailbox(max(_MAILBOX_LEAST, _MAILBOX_PER_SEQUENCE * unread), context.Value("q", 0))
    _FORKED = (content_dir, cache, context.Value("q", 0), shape, mailbox)

    def keep(memos: Memos) -> None:  # this reader's, then what the others left in the mailbox
        for path, memo in memos.items():
            cache.sequences.setdefault(path, memo)
        for records in mailbox.take():
            assert isinstance(records, dict)
            for path, memo in records.items():
                cache.sequences.setdefault(path, memo)

    try:
        # This process reads shares too, once ``meanwhile`` is done: it would only wait, and what it reads
        # need not be sent back.
        with context.Pool(workers - 1) as pool:
            others = pool.map_async(_read_part, range(1, workers))
            if meanwhile is not None:
                meanwhile()
            _read_part(0, keep)
            for left in others.get():
                keep(left)
    finally:
        _FORKED = None
        mailbox.close()


def _mailbox(size: int, end: Synchronized[int]) -> Mailbox:
    """A mailbox of ``size`` bytes, or as large as this machine will map (a small machine refuses to reserve
    more than its memory): what does not fit comes back with the readers' results."""
    while True:
        try:
            return Mailbox(size, end)
        except (OSError, OverflowError):
            if size <= _MAILBOX_LEAST:
                raise
            size = max(_MAILBOX_LEAST, size // 2)


def _read_part(_reader: int, between: Callable[[Memos], None] | None = None) -> Memos:
    """Read this reader's shares, handing each share's memos to ``between``, by default to the mailbox;
    returns those the mailbox had no room for."""
    assert _FORKED is not None
    content_dir, cache, counter, shape, mailbox = _FORKED
    left: Memos = {}

    def leave(memos: Memos) -> None:
        if memos and not mailbox.put(memos):
            left.update(memos)

    claims = Claims(counter, between or leave)
    from mooc_builder.load.loading import load_site  # the readers run the load itself

    load_site(content_dir, Report(), LoadCache(dict(cache.sequences)), claims=claims, shape=shape)
    claims.finish()
    return left
