"""BrakesAndAccelerators, Python side: checks, saving, reloading, the chart's words.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.store import open_store
from tests.widgets import command
from widgets.brakes import BrakesAndAccelerators
from widgets.brakes import model as M


def stored():
    with open_store() as store:
        return store.get_record(M.KIND, M.KEY)


def filled():
    w = BrakesAndAccelerators()
    w.add("accelerator", "Feeling close", 3)
    w.add("accelerator", "Privacy", 1)
    w.add("brake", "Stress", 3)
    w.add("brake", "Reminders of the betrayal", 2)
    return w


def test_starts_empty_with_suggestions_and_a_prompt():
    w = BrakesAndAccelerators()
    assert w.items == [] and w.situation == []
    assert "Feeling close" in w.accelerator_suggestions and "Stress" in w.brake_suggestions
    assert w.chart_png == "" and "Tick which of your items" in w.summary
    assert w.weight_names == {"1": "a little", "2": "some", "3": "a lot"}


def test_brakes_heavier_gives_the_plain_kind_summary_and_alt_with_sums():
    w = filled()
    for text in ("Feeling close", "Stress", "Reminders of the betrayal"):
        w.set_present(text)
    assert w.summary == ("In this situation your brakes weigh more than your accelerators. "
                         "That is common after a betrayal, and it is not a fault. "
                         "The weights are your own guesses: this is a rough picture, not a measurement.")
    assert "accelerators add up to 3 (Feeling close, a lot)" in w.chart_alt
    assert "brakes add up to 5 (Stress, a lot; Reminders of the betrayal, some)" in w.chart_alt
    assert w.summary in w.chart_alt
    assert base64.b64decode(w.chart_png).startswith(b"\x89PNG")


def test_chart_follows_weights_and_removals():
    w = filled()
    w.set_present("Feeling close")
    w.set_present("Stress")
    assert "weigh the same" in w.summary and w.summary.endswith("a rough picture, not a measurement.")
    w.set_weight("Stress", 1)
    assert "accelerators weigh more" in w.summary and "brakes add up to 1 (Stress, a little)" in w.chart_alt
    w.remove("Stress")
    assert w.situation == ["Feeling close"]
    assert "brakes add up to 0 (none ticked)" in w.chart_alt
    w.set_present("Feeling close", False)
    assert w.chart_png == "" and "Tick which" in w.summary


@pytest.mark.parametrize("side, text, weight, message", [
    ("accelerator", "Privacy", 0, "1 (a little), 2 (some) or 3 (a lot)"),
    ("accelerator", "Privacy", 4, "1 (a little), 2 (some) or 3 (a lot)"),
    ("accelerator", "Privacy", True, "1 (a little)"),
    ("accelerator", "Privacy", 2.5, "1 (a little)"),
    ("brake", "", 2, "empty"),
    ("brake", "   ", 2, "empty"),
    ("brake", "x" * 81, 2, "at most 80"),
    ("brake", "two\nlines", 2, "one line"),
    ("pedal", "Privacy", 2, "must be one of accelerator, brake"),
    ("brake", 42, 2, "must be text"),
])
def test_bad_items_are_refused_clearly(side, text, weight, message):
    w = BrakesAndAccelerators()
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        w.add(side, text, weight)
    assert w.items == []


def test_eighty_characters_is_fine_and_duplicates_are_refused_across_lists():
    w = BrakesAndAccelerators()
    w.add("brake", "y" * 80)
    w.add("accelerator", "Feeling close")
    for text in ("Feeling close", " feeling CLOSE "):
        with pytest.raises(ValueError, match="already on your lists"):
            w.add("brake", text)
    assert len(w.items) == 2


def test_at_most_forty_items():
    w = BrakesAndAccelerators()
    for n in range(M.MAX_ITEMS):
        w.add("brake", f"item {n}")
    with pytest.raises(ValueError, match="at most 40 items"):
        w.add("accelerator", "one more")
    assert len(w.items) == M.MAX_ITEMS


def test_unknown_items_cannot_be_weighted_ticked_or_removed():
    w = filled()
    for call in (lambda: w.set_weight("Novelty", 2), lambda: w.set_present("Novelty"), lambda: w.remove("Novelty")):
        with pytest.raises(ValueError, match="not one of your items"):
            call()
    with pytest.raises(ValueError):
        w.situation = ["Novelty"]


def test_weights_outside_one_to_three_are_rejected_and_nothing_is_stored():
    w = filled()
    with pytest.raises(ValueError):
        w.set_weight("Stress", 5)
    with pytest.raises(ValueError):
        w.items = [*w.items[:-1], {**w.items[-1], "weight": -1}]
    reply = command(w, "set_weight", text="Stress", weight=9)
    assert not reply["ok"] and "1 (a little)" in reply["error"]
    assert w.error and "1 (a little)" in w.status
    assert stored() is None
    assert [i["weight"] for i in w.items] == [3, 1, 3, 2]


def test_save_and_reload_on_construction():
    w = filled()
    w.set_present("Stress")
    assert w.save() and not w.error and "Saved 4 items" in w.status
    again = BrakesAndAccelerators()
    assert again.items == w.items and again.situation == ["Stress"]
    assert again.summary == M.BRAKES_HEAVIER
    assert stored() == {"items": w.items, "situation": ["Stress"]}


def test_a_damaged_record_is_reported_and_left_alone():
    bad = {"items": [{"text": "Stress", "side": "brake", "weight": 7}], "situation": []}
    with open_store() as store:
        store.put_record(M.KIND, M.KEY, bad)
    w = BrakesAndAccelerators()
    assert w.items == [] and w.error and "could not be read" in w.status
    assert stored() == bad


def test_browser_requests_add_weigh_tick_save_and_report():
    w = BrakesAndAccelerators()
    assert command(w, "add", side="brake", text="Kids in the next room", weight=2)["ok"]
    assert w.status == "Added “Kids in the next room”." and not w.error
    assert command(w, "set_weight", text="Kids in the next room", weight=3)["ok"]
    assert w.status == "“Kids in the next room” now weighs a lot."
    assert command(w, "set_present", text="Kids in the next room", present=True)["ok"]
    assert w.summary == M.BRAKES_HEAVIER and w.status == ""
    assert not command(w, "add", side="brake", text="kids in the next room")["ok"]
    assert w.error and "already on your lists" in w.status
    assert command(w, "save") == {"ok": True, "value": True}
    assert stored()["items"] == [{"text": "Kids in the next room", "side": "brake", "weight": 3}]
    assert command(w, "remove", text="Kids in the next room")["ok"]
    assert w.items == [] and w.situation == []
    assert w.status == "Removed “Kids in the next room”."


def test_refresh_reloads_saved_lists_but_keeps_unsaved_changes():
    w = filled()
    assert w.save()
    other = BrakesAndAccelerators()  # another page saves a change
    other.remove("Privacy")
    other.save()
    assert command(w, "refresh")["ok"]
    assert [i["text"] for i in w.items] == [i["text"] for i in other.items]
    w.add("brake", "Tiredness")  # not saved: a second view's refresh keeps it
    assert command(w, "refresh")["ok"] and w.items[-1]["text"] == "Tiredness"


def test_a_store_problem_on_save_is_said_and_nothing_is_lost(steady_ground_home):
    w = filled()
    (steady_ground_home / "steady-ground.sqlite3").write_bytes(b"not a database at all" * 100)
    reply = command(w, "save")
    assert not reply["ok"] and reply["error"].startswith("Not saved:") and w.error
    assert len(w.items) == 4


ODD = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")),
    min_size=1, max_size=M.MAX_CHARS,
).filter(lambda s: s.strip())
SAMPLES = ["<script>alert('x')</script>", "שלום עליכם", "مرحبا بك", "🫶🏽 closeness 💞", "a & b \"c\" 'd'",
           "$x^2$ \\n", "\u202eevil\u202c", "e\u0301"]


@settings(max_examples=20)
@given(texts=st.lists(st.one_of(ODD, st.sampled_from(SAMPLES)), min_size=1, max_size=6,
                      unique_by=lambda s: s.strip().casefold()))
def test_odd_text_round_trips_exactly_through_the_store(texts):
    w = BrakesAndAccelerators()
    w.items = []
    for n, text in enumerate(texts):
        w.add("brake" if n % 2 else "accelerator", text, n % 3 + 1)
    w.set_present(texts[0])
    assert w.save(), w.status
    again = BrakesAndAccelerators()
    assert [i["text"] for i in again.items] == texts
    assert again.situation == [texts[0]]
    assert texts[0] in again.chart_alt
