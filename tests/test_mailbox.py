"""The mailbox that reading processes leave their memos in (see loader._read_in_parallel)."""

from __future__ import annotations

import multiprocessing
from multiprocessing.sharedctypes import Synchronized

import pytest

from mooc_builder.load.mailbox import Mailbox

CONTEXT = multiprocessing.get_context("fork")


def test_records_are_taken_once_in_the_order_they_were_put() -> None:
    box = Mailbox(1 << 16, CONTEXT.Value("q", 0))
    assert box.take() == []
    assert box.put({"a": 1}) and box.put(["b", 2.5])
    assert box.take() == [{"a": 1}, ["b", 2.5]]
    assert box.take() == []
    assert box.put("c")
    assert box.take() == ["c"]
    box.close()


def test_memory_read_is_given_back_and_later_records_still_arrive() -> None:
    box = Mailbox(1 << 20, CONTEXT.Value("q", 0))
    big = "x" * 100_000
    for round_ in range(3):
        assert box.put((round_, big)) and box.put((round_, "small"))
        assert box.take() == [(round_, big), (round_, "small")]
    box.close()


def test_a_record_that_does_not_fit_is_refused_and_the_next_that_fits_is_kept() -> None:
    box = Mailbox(200, CONTEXT.Value("q", 0))
    assert box.put("x" * 50)
    assert not box.put("y" * 500)
    assert box.put("z" * 20)
    assert box.take() == ["x" * 50, "z" * 20]
    box.close()


_SHARED: list[Mailbox] = []  # inherited by the forked writers: shared memory is not sent, it is inherited


def _write(writer: int) -> int:
    refused = 0
    for number in range(200):
        refused += not _SHARED[0].put((writer, number, "text " * number))
    return refused


def test_records_from_several_processes_all_arrive_whole() -> None:
    box = Mailbox(1 << 22, CONTEXT.Value("q", 0))
    _SHARED[:] = [box]
    with CONTEXT.Pool(3) as pool:
        refused = pool.map(_write, range(3))
    _SHARED.clear()
    assert refused == [0, 0, 0]
    records = box.take()
    assert sorted(records) == sorted((w, n, "text " * n) for w in range(3) for n in range(200))  # type: ignore[type-var]
    for writer in range(3):  # each writer's records in the order it put them
        assert [r[1] for r in records if r[0] == writer] == list(range(200))  # type: ignore[index]
    box.close()


def test_a_machine_that_refuses_a_large_mailbox_gets_a_smaller_one(monkeypatch: pytest.MonkeyPatch) -> None:
    from mooc_builder.load import parallel

    class Small(Mailbox):
        def __init__(self, capacity: int, end: Synchronized[int]) -> None:
            if capacity > 1 << 22:
                raise OSError(12, "Cannot allocate memory")
            super().__init__(capacity, end)
            self.capacity = capacity

    monkeypatch.setattr(parallel, "Mailbox", Small)
    box = parallel._mailbox(1 << 30, CONTEXT.Value("q", 0))
    assert isinstance(box, Small) and box.capacity == 1 << 22
    box.close()
