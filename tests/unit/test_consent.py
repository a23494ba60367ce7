"""The yes / no / maybe list: only shared yes and maybe items are revealed, never a no."""
import pytest
import traitlets
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.gates import close_gate, open_gate
from course.store import open_store
from widgets.consent import ANSWERS, DEFAULT_ITEMS, ConsentList, shared_items
from course.gate import CLOSED_TEXT, UNCHECKED_TEXT


@pytest.fixture
def consent(monkeypatch):
    widget = ConsentList(items=["Holding hands", "A long hug", "Kissing", "Sex"])
    widget.sent = []
    monkeypatch.setattr(widget, "send", widget.sent.append)
    yield widget
    widget.close()


def play(widget, a: dict, b: dict) -> None:
    """Both turns, the way the browser does them: set `current`, then "done"."""
    open_gate()
    widget.start()
    for who in (a, b):
        for item, value in who.items():
            widget.answer(item, value)
        widget.done()


# -- the rule -------------------------------------------------------------------
@pytest.mark.parametrize("a, b, together", [
    ("yes", "yes", "yes"), ("yes", "maybe", "maybe"), ("maybe", "yes", "maybe"), ("maybe", "maybe", "maybe"),
    ("yes", "no", None), ("no", "yes", None), ("maybe", "no", None), ("no", "maybe", None), ("no", "no", None),
    ("yes", None, None), (None, "maybe", None),
])
def test_only_yes_and_maybe_from_both_appear(a, b, together):
    shown = shared_items({"Kissing": a}, {"Kissing": b})
    assert shown == ([{"item": "Kissing", "together": together}] if together else [])


def test_one_persons_answer_is_never_returned():
    shown = shared_items({"A long hug": "yes", "Sex": "maybe"}, {"A long hug": "maybe", "Sex": "maybe"})
    assert shown == [{"item": "A long hug", "together": "maybe"}, {"item": "Sex", "together": "maybe"}]
    assert all(set(row) == {"item", "together"} for row in shown)  # no "a" / "b" fields, no counts


def test_an_item_only_one_partner_has_is_left_out():
    assert shared_items({"Kissing": "yes"}, {}) == [] and shared_items({}, {"Kissing": "yes"}) == []


@pytest.mark.parametrize("a", [{"Kissing": "sure"}, {"Kissing": True}, ["yes"]])
def test_bad_answers_raise(a):
    with pytest.raises(ValueError):
        shared_items(a, {})


answers = st.dictionaries(st.text(min_size=1, max_size=20), st.sampled_from([*ANSWERS, None]), max_size=12)


@given(answers, answers)
def test_property_the_reveal_never_holds_an_item_either_marked_no(a, b):
    shown = shared_items(a, b)
    for row in shown:
        assert a[row["item"]] in ("yes", "maybe") and b[row["item"]] in ("yes", "maybe")
        assert row["together"] == ("yes" if a[row["item"]] == b[row["item"]] == "yes" else "maybe")
    never = {i for i, v in a.items() if v == "no"} | {i for i, v in b.items() if v == "no"}
    assert not never & {row["item"] for row in shown}
    both = {i for i in a if a[i] in ("yes", "maybe") and b.get(i) in ("yes", "maybe")}
    assert {row["item"] for row in shown} == both


# -- the widget ----------------------------------------------------------------
def test_default_list_is_editable_and_includes_non_sexual_items(consent):
    whole = ConsentList()
    assert whole.items == DEFAULT_ITEMS
    for item in ("Holding hands", "A long hug", "Sleeping in the same bed",
                 "Showing each other our phones, when we choose",
                 "Talking about the affair at night", "Kissing", "Touching over clothes", "Sex"):
        assert item in DEFAULT_ITEMS
    # Safety rule 8: no item offers standing access to a partner's phone or accounts.
    assert not [i for i in DEFAULT_ITEMS if "password" in i.lower() or "on request" in i.lower()]
    whole.close()
    consent.add_item("  Showering together ")
    assert consent.items[-1] == "Showering together"
    consent.remove_item(0)
    assert "Holding hands" not in consent.items
    for bad in ("", "   ", "Kissing", "x" * 201):
        with pytest.raises(ValueError):
            consent.add_item(bad)
    with pytest.raises(ValueError):
        consent.remove_item(99)


def test_turns_hide_the_first_partners_answers_from_synced_state(consent):
    open_gate()
    consent.start()
    assert consent.phase == "a"
    consent.answer("Kissing", "no")
    consent.answer("Sex", "maybe")
    assert consent.get_state()["current"] == {"Kissing": "no", "Sex": "maybe"}  # A sees their own answers
    consent.done()
    state = consent.get_state()
    assert consent.phase == "b" and state["current"] == {} and state["shared"] == []
    assert not any(value == {"Kissing": "no", "Sex": "maybe"} for value in state.values())
    consent.answer("Kissing", "yes")
    consent.answer("Sex", "yes")
    consent.done()
    assert consent.phase == "reveal" and consent.current == {}
    assert consent.shared == [{"item": "Sex", "together": "maybe"}]
    assert consent._answers == {}  # once revealed, the single answers are gone from memory too


def test_the_list_is_fixed_once_the_turns_start(consent):
    open_gate()
    consent.start()
    with pytest.raises(ValueError, match="before the turns start"):
        consent.add_item("Dancing")
    with pytest.raises(traitlets.TraitError):
        consent.answer("Not on the list", "yes")


@pytest.mark.parametrize("how, text", [(None, UNCHECKED_TEXT), (close_gate, CLOSED_TEXT)])
def test_a_closed_gate_shows_the_neutral_line_instead(consent, how, text):
    if how:
        how()
    consent._on_msg(consent, {"type": "ready"}, [])
    assert consent.sent[-1] == {"type": "gate", "open": False, "solo": False, "text": text}
    consent._on_msg(consent, {"type": "start"}, [])
    assert consent.phase == "setup"
    assert consent.sent[-1] == {"type": "status", "text": text, "error": True}


def test_the_gate_updates_live_and_closing_it_drops_every_answer(consent):
    open_gate()
    assert consent.sent[-1]["open"] is True
    consent.start()
    consent.answer("Kissing", "yes")
    consent.done()
    consent._on_msg(consent, {"type": "close_couples"}, [])   # either partner, from the list itself
    assert consent.sent[-1] == {"type": "gate", "open": False, "solo": False, "text": CLOSED_TEXT}
    assert consent.phase == "setup" and consent.current == {} and consent._answers == {}


def test_nothing_is_stored_by_default_and_saving_needs_both(consent):
    play(consent, {"Kissing": "yes", "Sex": "no"}, {"Kissing": "yes", "Sex": "yes"})
    with open_store() as store:
        assert store.records("consent-list") == []
    assert consent.save() is False
    assert "Both of you need to agree" in consent.sent[-1]["text"]
    consent.agree_a = True
    assert consent.save() is False
    with open_store() as store:
        assert store.records("consent-list") == []
    consent.agree_b = True
    assert consent.save() is True
    with open_store() as store:
        assert store.records("consent-list")[0]["data"] == {"shared": [{"item": "Kissing", "together": "yes"}]}


def test_start_over_forgets_everything(consent):
    play(consent, {"Kissing": "yes"}, {"Kissing": "yes"})
    consent.agree_a = consent.agree_b = True
    consent.restart()
    assert (consent.phase, consent.shared, consent.current, consent.agree_a, consent.agree_b) == ("setup", [], {}, False, False)


odd = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(odd, st.sampled_from(["<b>bold</b>", "مرحبا بك", "🌱 hug 🤝", "<script>x</script>", "a & b"])),
                min_size=1, max_size=5, unique_by=str.strip))
def test_property_odd_item_text_round_trips_through_saving(steady_ground_home, texts):
    widget = ConsentList(items=texts)
    widget.send = lambda _msg: None
    items = widget.items
    assert items == [t.strip() for t in texts]
    play(widget, {i: "yes" for i in items}, {i: "maybe" for i in items})
    widget.agree_a = widget.agree_b = True
    assert widget.save() is True
    with open_store() as store:
        saved = store.get_record("consent-list", "shared")
    assert [row["item"] for row in saved["shared"]] == items
    widget.close()


def test_answers_from_the_browser_count_only_in_their_own_turn(consent):
    open_gate()
    consent._on_msg(consent, {"type": "start"}, [])
    consent._on_msg(consent, {"type": "answer", "turn": "a", "item": "Kissing", "value": "yes"}, [])
    assert consent.current == {"Kissing": "yes"}
    consent._on_msg(consent, {"type": "done"}, [])
    consent._on_msg(consent, {"type": "answer", "turn": "a", "item": "Sex", "value": "yes"}, [])  # too late
    assert consent.current == {} and "after the turn ended" in consent.sent[-1]["text"]
    consent._on_msg(consent, {"type": "answer", "turn": "b", "item": "Kissing", "value": "maybe"}, [])
    consent._on_msg(consent, {"type": "done"}, [])
    assert consent.shared == [{"item": "Kissing", "together": "maybe"}]
    consent._on_msg(consent, {"type": "agree", "partner": "a", "value": True}, [])
    consent._on_msg(consent, {"type": "agree", "partner": "b", "value": True}, [])
    consent._on_msg(consent, {"type": "save"}, [])
    assert consent.sent[-1] == {"type": "status", "error": False,
                                "text": "Saved your shared list on this device. Only the items above were saved."}


def test_the_solo_list_is_never_gated_and_shows_you_your_own_answers():
    close_gate()                                   # couples exercises closed for this sitting
    solo = ConsentList(items=["Holding hands", "Kissing", "Sex"], partners=("Me",))
    told = []
    solo.send = told.append
    solo._on_msg(solo, {"type": "ready"}, [])
    assert told[-1] == {"type": "gate", "open": True, "solo": True, "text": ""}
    solo.start()
    solo.answer("Holding hands", "yes")
    solo.answer("Sex", "no")
    solo.done()
    assert solo.phase == "reveal" and solo.current == {} and solo.shared == []
    assert solo.own == [{"item": "Holding hands", "answer": "yes"}, {"item": "Sex", "answer": "no"}]
    with open_store() as store:
        assert store.records("consent-list") == []  # nothing kept unless you choose
    assert solo.save() is True
    with open_store() as store:
        assert store.get_record("consent-list", "solo") == {"own": solo.own}
        assert store.get_record("consent-list", "shared") is None
    solo.restart()
    assert solo.own == [] and solo.phase == "setup"


def test_partners_must_be_one_or_two():
    with pytest.raises(ValueError, match="one name for the solo version"):
        ConsentList(partners=())
