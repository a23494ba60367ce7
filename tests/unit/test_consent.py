"""The yes / no / maybe list: only shared yes and maybe items are revealed, never a no."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course.gate import CLOSED_TEXT, UNCHECKED_TEXT, CouplesGate
from course.store import open_store
from tests.gates import close_gate, open_gate
from tests.widgets import command, sent
from widgets.consent import ANSWERS, DEFAULT_ITEMS, ConsentList, shared_items


@pytest.fixture
def consent(gate):
    widget = ConsentList(items=["Holding hands", "A long hug", "Kissing", "Sex"], gate=gate)
    widget.sent = sent(widget)
    yield widget
    widget.close()


def play(widget, a: dict, b: dict) -> None:
    """Both turns, as a notebook would: answer each item, then "done"."""
    open_gate(widget.gate)
    widget.start()
    for who in (a, b):
        for item, value in who.items():
            widget.answer(item, value, widget.phase)
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
def test_default_list_is_editable_and_includes_non_sexual_items(consent, gate):
    whole = ConsentList(gate=gate)
    assert whole.items == DEFAULT_ITEMS
    for item in ("Holding hands", "A long hug", "Sleeping in the same bed",
                 "Showing each other our phones, when we choose",
                 "Talking about the affair at night", "Kissing", "Touching over clothes", "Sex"):
        assert item in DEFAULT_ITEMS
    # Safety rule 8: no item offers standing access to a partner's phone or accounts.
    assert not [i for i in DEFAULT_ITEMS if "password" in i.lower() or "on request" in i.lower()]
    whole.close()
    open_gate(gate)
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
    open_gate(consent.gate)
    consent.start()
    assert consent.phase == "a"
    consent.answer("Kissing", "no", consent.phase)
    consent.answer("Sex", "maybe", consent.phase)
    assert consent.get_state()["current"] == {"Kissing": "no", "Sex": "maybe"}  # A sees their own answers
    consent.done()
    state = consent.get_state()
    assert consent.phase == "b" and state["current"] == {} and state["shared"] == []
    assert not any(value == {"Kissing": "no", "Sex": "maybe"} for value in state.values())
    consent.answer("Kissing", "yes", consent.phase)
    consent.answer("Sex", "yes", consent.phase)
    consent.done()
    assert consent.phase == "reveal" and consent.current == {}
    assert consent.shared == [{"item": "Sex", "together": "maybe"}]
    assert consent._answers == {}  # once revealed, the single answers are gone from memory too


def test_the_list_is_fixed_once_the_turns_start(consent):
    open_gate(consent.gate)
    consent.start()
    with pytest.raises(ValueError, match="before the turns start"):
        consent.add_item("Dancing")
    with pytest.raises(ValueError, match="not on the list"):
        consent.answer("Not on the list", "yes", consent.phase)
    with pytest.raises(ValueError, match="yes, maybe, no"):
        consent.answer("Kissing", "sure", consent.phase)
    assert consent.current == {}


@pytest.mark.parametrize("how, text", [(None, UNCHECKED_TEXT), (close_gate, CLOSED_TEXT)])
def test_a_closed_gate_shows_the_neutral_line_instead(consent, how, text):
    if how:
        how(consent.gate)
    assert command(consent, "refresh")["ok"] is True
    assert consent.sent[-1] == {"type": "gate", "open": False, "solo": False, "text": text}
    reply = command(consent, "start")
    assert consent.phase == "setup"
    assert reply == {"ok": False, "gate": True, "error": ""}                  # the page shows the gate line...
    assert consent.sent[-1] == {"type": "gate", "open": False, "solo": False, "text": text}
    assert text not in consent.status and not consent.error                   # ...never the gate text as a trait


def test_the_gate_updates_live_and_closing_it_drops_every_answer(consent):
    open_gate(consent.gate)
    assert consent.sent[-1]["open"] is True
    consent.start()
    consent.answer("Kissing", "yes", consent.phase)
    consent.done()
    assert command(consent, "close_couples")["ok"] is True   # either partner, from the list itself
    assert consent.sent[-1] == {"type": "gate", "open": False, "solo": False, "text": CLOSED_TEXT}
    assert consent.phase == "setup" and consent.current == {} and consent._answers == {}


def test_nothing_is_stored_by_default_and_saving_needs_both(consent):
    play(consent, {"Kissing": "yes", "Sex": "no"}, {"Kissing": "yes", "Sex": "yes"})
    with open_store() as store:
        assert store.records("consent-list") == []
    reply = command(consent, "save")
    assert reply["ok"] is False and "Both of you need to agree" in consent.status and consent.error
    consent.agree("a")
    with pytest.raises(ValueError, match="Both of you need to agree"):
        consent.save()
    with open_store() as store:
        assert store.records("consent-list") == []
    consent.agree("b")
    assert consent.save() is True
    with open_store() as store:
        assert store.records("consent-list")[0]["data"] == {"shared": [{"item": "Kissing", "together": "yes"}]}


def test_start_over_forgets_everything(consent):
    play(consent, {"Kissing": "yes"}, {"Kissing": "yes"})
    consent.agree_a = consent.agree_b = True
    consent.restart()
    assert (consent.phase, consent.shared, consent.current) == ("setup", [], {})
    assert not consent.agree_a and not consent.agree_b


odd = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)
ODD = ["<b>bold</b>", "مرحبا بك", "🌱 hug 🤝", "<script>x</script>", "a & b"]


@given(st.lists(st.one_of(odd, st.sampled_from(ODD)), min_size=1, max_size=5, unique_by=str.strip))
def test_property_odd_item_text_round_trips_through_saving(steady_ground_home, texts):
    widget = ConsentList(items=texts, gate=CouplesGate())
    items = widget.items
    assert items == [t.strip() for t in texts]
    play(widget, dict.fromkeys(items, "yes"), dict.fromkeys(items, "maybe"))
    widget.agree_a = widget.agree_b = True
    assert widget.save() is True
    with open_store() as store:
        saved = store.get_record("consent-list", "shared")
    assert [row["item"] for row in saved["shared"]] == items
    widget.close()


def test_answers_from_the_browser_count_only_in_their_own_turn(consent):
    open_gate(consent.gate)
    command(consent, "start")
    assert command(consent, "answer", turn="a", item="Kissing", value="yes")["ok"] is True
    assert consent.current == {"Kissing": "yes"}
    command(consent, "done")
    reply = command(consent, "answer", turn="a", item="Sex", value="yes")  # too late
    assert reply["ok"] is False and "after the turn ended" in reply["error"]
    assert consent.current == {} and "after the turn ended" in consent.status
    command(consent, "answer", turn="b", item="Kissing", value="maybe")
    command(consent, "done")
    assert consent.shared == [{"item": "Kissing", "together": "maybe"}]
    command(consent, "agree", partner="a", value=True)
    command(consent, "agree", partner="b", value=True)
    assert command(consent, "save") == {"ok": True, "value": True}
    assert consent.status == "Saved your shared list on this device. Only the items above were saved."
    assert not consent.error


def test_the_solo_list_is_never_gated_and_shows_you_your_own_answers(gate):
    close_gate(gate)                               # couples exercises closed for this sitting
    solo = ConsentList(items=["Holding hands", "Kissing", "Sex"], partners=("Me",), gate=gate)
    told = sent(solo)
    command(solo, "refresh")
    assert told[-1] == {"type": "gate", "open": True, "solo": True, "text": ""}
    assert command(solo, "start")["ok"] is True
    solo.answer("Holding hands", "yes", solo.phase)
    solo.answer("Sex", "no", solo.phase)
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
    solo.close()


def test_partners_must_be_one_or_two(gate):
    with pytest.raises(ValueError, match="one name for the solo version"):
        ConsentList(partners=(), gate=gate)


def test_either_partner_can_delete_the_saved_list_while_closed(consent):
    play(consent, {"Kissing": "yes"}, {"Kissing": "yes"})
    consent.agree("a")
    consent.agree("b")
    consent.save()
    assert command(consent, "close_couples")["ok"] is True and consent.phase == "setup"
    assert command(consent, "forget_couple")["ok"] is True       # ending never needs the check
    assert consent.status == "Deleted from this device."
    with open_store() as store:
        assert store.records("consent-list") == []


def test_the_page_cannot_slip_answers_in_through_a_trait(consent):
    """`current` only takes this turn's yes, maybe or no for items on the list."""
    import traitlets

    with pytest.raises(traitlets.TraitError):
        consent.current = {"Kissing": "yes"}          # no turn going on
    open_gate(consent.gate)
    consent.start()
    with pytest.raises(traitlets.TraitError):
        consent.current = {"Kissing": "<b>yes</b>"}
