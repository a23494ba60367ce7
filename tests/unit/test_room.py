"""The room pulse (course/room.py): counts only, shown only after closing and only when enough answered."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.room import GAUGE, MIN_THRESHOLD, TOO_FEW, Room, RoomError


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_gauge_question_collects_counts_and_shows_them_only_after_closing():
    room = Room(threshold=5)
    pulse = room.open_question("How settled do you feel right now?")
    assert pulse.options == GAUGE
    for seat, choice in enumerate([7, 7, 3, 10, 7]):
        room.answer(pulse.id, choice, f"seat-{seat}")
    view = room.pulse_view()
    assert view["open"] and view["answered"] == 5 and view["result"] is None
    assert "counts" not in str(room.participant_view())
    room.close_question()
    result = room.pulse_view()["result"]
    assert result["shown"] and result["median"] == 7.0
    assert result["counts"] == [0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 1]


def test_below_the_threshold_nothing_but_a_message():
    room = Room(threshold=5)
    pulse = room.open_question("Which part helped most?", "choice", ["Breathing", "Grounding", "Neither"])
    for seat in range(4):
        room.answer(pulse.id, 1, f"seat-{seat}")
    room.close_question()
    assert room.pulse_view()["result"] == {"shown": False, "counts": None, "median": None, "message": TOO_FEW}


def test_one_answer_per_browser_and_none_after_closing_or_into_a_new_question():
    room = Room(threshold=3)
    first = room.open_question("How useful was this part?")
    room.answer(first.id, 4, "seat-a")
    with pytest.raises(RoomError, match="already answered") as refused:
        room.answer(first.id, 9, "seat-a")
    assert refused.value.status == 409
    second = room.open_question("How settled do you feel right now?")  # closes the first
    with pytest.raises(RoomError, match="closed"):
        room.answer(first.id, 4, "seat-b")  # an old question's id cannot reach the new one
    room.answer(second.id, 4, "seat-a")  # a new question: everyone may answer again
    assert room.pulse_view()["answered"] == 1 and first.counts[4] == 1


def test_who_answered_is_forgotten_when_the_question_closes():
    room = Room()
    pulse = room.open_question("How useful was this part?")
    room.answer(pulse.id, 2, "seat-a")
    assert pulse._answered and "seat-a" not in repr(pulse._answered)  # a keyed hash, never the seat itself
    room.close_question()
    assert pulse._answered == set()


@pytest.mark.parametrize("question, kind, options, words", [
    ("", "gauge", None, "empty"), ("x" * 121, "gauge", None, "too long"), (["q"], "gauge", None, "must be text"),
    ("Pick one", "choice", ["only one"], "2 to 5"), ("Pick one", "choice", list("abcdef"), "2 to 5"),
    ("Pick one", "choice", ["Yes", "yes"], "the same"), ("Pick one", "choice", ["a", "b" * 41], "too long"),
    ("Pick one", "rating", None, "gauge or a choice"), ("Bell\x07", "gauge", None, "cannot be shown")])
def test_a_bad_question_is_refused_with_a_reason(question, kind, options, words):
    with pytest.raises(RoomError, match=words):
        Room().open_question(question, kind, options)


@pytest.mark.parametrize("choice", [-1, 11, 1.5, "3", True, None, [1], {"a": 1}])
def test_a_bad_answer_is_refused(choice):
    room = Room()
    pulse = room.open_question("How settled do you feel right now?")
    with pytest.raises(RoomError):
        room.answer(pulse.id, choice, "seat-a")
    assert pulse.answered == 0


def test_the_threshold_cannot_go_below_three():
    with pytest.raises(ValueError):
        Room(threshold=MIN_THRESHOLD - 1)


def test_ending_closes_the_question_and_counts_down():
    clock = Clock()
    room = Room(grace_s=300, clock=clock)
    pulse = room.open_question("How useful was this part?")
    room.end()
    assert not pulse.open and room.participant_view() == {"ended": True, "stops_in": 300, "pulse": None}
    clock.now += 100
    assert room.stops_in() == 200
    room.end(now=True)
    assert room.stops_in() == 0
    with pytest.raises(RoomError):
        room.open_question("One more?")


operations = st.lists(st.one_of(
    st.tuples(st.just("open"), st.sampled_from(["gauge", "choice"])),
    st.tuples(st.just("answer"), st.integers(0, 12), st.integers(-1, 11), st.booleans()),
    st.tuples(st.just("close")),
    st.tuples(st.just("view")),
), max_size=60)


@settings(max_examples=300, deadline=None)
@given(threshold=st.integers(MIN_THRESHOLD, 8), steps=operations)
def test_no_sequence_of_answers_closes_and_reopens_shows_a_result_below_the_threshold(threshold, steps):
    room = Room(threshold=threshold)
    ids: list[str] = []
    for step in steps:
        if step[0] == "open":
            kind = step[1]
            ids.append(room.open_question("Q?", kind, None if kind == "gauge" else ["a", "b", "c"]).id)
        elif step[0] == "answer" and ids:
            _, seat, choice, old = step
            try:
                room.answer(ids[0] if old else ids[-1], choice, f"seat-{seat}")
            except RoomError:
                pass
        elif step[0] == "close":
            room.close_question()
        view = room.pulse_view()
        if view is None:
            continue
        if view["open"]:
            assert view["result"] is None  # while open: a count only
        elif view["answered"] < threshold:
            assert view["result"] == {"shown": False, "counts": None, "median": None, "message": TOO_FEW}
        else:
            assert view["result"]["shown"] and sum(view["result"]["counts"]) == view["answered"]
        assert view["answered"] <= 13  # one answer per seat at most
        assert "counts" not in str(room.participant_view())


def test_every_id_on_the_facilitators_page_is_used_once():
    """The page's script finds its parts by id: a second element with the same id (the session's "Start the next
    session" once took the timer's "Next" id) gets the first one's clicks and hiding."""
    import re
    from collections import Counter

    from course.facilitator import page_html

    ids = Counter(re.findall(r'\bid="([^"]+)"', page_html("/")))
    assert ids and not [name for name, count in ids.items() if count > 1]


class FakeKernels:
    """What RoomService uses of Voila's kernel manager: its pools, their sizes, refills and shutdown_all."""

    def __init__(self):
        self.kernel_pools_config = {"default": {"pool_size": 0}, "03-calming-the-body.ipynb": {"pool_size": 30}}
        self._pools = {"03-calming-the-body.ipynb": ["warm"] * 30}
        self._kernel_connections = {}
        self.filled: list[tuple[str, int]] = []
        self.release = None

    def fill_if_needed(self, delay=None, notebook_name=None, **kwargs):
        self.filled.append((notebook_name, self.kernel_pools_config[notebook_name]["pool_size"]))

    async def shutdown_all(self):
        import asyncio

        self.release = asyncio.Event()
        await self.release.wait()  # the test says when the kernels are down
        self._pools = {}


def test_the_next_session_on_a_hub_waits_for_the_last_to_stop_and_warms_the_rooms_full_size():
    """After a session, the hub's room starts the next one with as many warm pages as the first (the first
    session's arrival had lowered the pool to a fifth), and only once every kernel of the last one is down."""
    import asyncio
    from types import SimpleNamespace

    from course.facilitator import RoomService
    from course.voila_app import Seats

    async def run():
        km = FakeKernels()
        service = RoomService(SimpleNamespace(), Seats(km), "k" * 20, module_id="m03")
        service.start(SimpleNamespace(settings={"kernel_manager": km, "sg_hub": True}))
        service._timer.stop()  # the test ticks by hand
        km.kernel_pools_config["03-calming-the-body.ipynb"] = {"pool_size": 6}  # as stagger_refills leaves it
        with pytest.raises(RoomError, match="still running"):
            service.new_session()
        service.room.end(now=True)
        tick = asyncio.ensure_future(service._tick())
        await asyncio.sleep(0)
        assert service.stopped and not service.state()["stopped"]  # stopping: no button yet
        with pytest.raises(RoomError, match="still stopping"):
            service.new_session()
        km.release.set()
        await tick
        assert service.state()["stopped"] and service.state()["can_start_next"]
        service.new_session()
        assert km.filled == [("03-calming-the-body.ipynb", 30)]
        state = service.state()
        assert not state["ended"] and not state["stopped"] and not service.stopped

    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as thread:  # a loop of its own: a browser test on this worker may hold one here
        thread.submit(asyncio.run, run()).result()
