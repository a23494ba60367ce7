"""TransparencyPlan: items, validation, saving, the printable agreement, the gate."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.store import open_store
from tests.gates import close_gate, open_gate
from tests.widgets import command, sent
from widgets.transparency import HOW_EXAMPLES, NOT_A_CONTRACT, NOT_A_CONTRACT_SOLO, WHAT_EXAMPLES, TransparencyPlan

COUPLE = ("Robin", "Kai")


@pytest.fixture
def plan():
    open_gate()
    return TransparencyPlan(partners=COUPLE)


def test_items_add_edit_remove(plan):
    plan.add_item("My plans for the day", "A shared calendar", "daily", "Robin")
    plan.add_item("Changes to my plans", "A text when plans change", "when it happens", "Kai")
    assert [i["added_by"] for i in plan.items] == ["Robin", "Kai"]
    plan.edit_item(0, how="A text when plans change", often="weekly")
    assert plan.items[0] == {"what": "My plans for the day", "how": "A text when plans change",
                             "often": "weekly", "added_by": "Robin"}
    plan.remove_item(1)
    assert len(plan.items) == 1 and "removed" in plan.status


@pytest.mark.parametrize("fields, words", [
    ({"what": ""}, "empty"), ({"what": "x" * 201}, "too long"), ({"how": "y" * 201}, "too long"),
    ({"often": "hourly"}, "How often"), ({"added_by": "Someone else"}, "Added by"),
])
def test_validation(plan, fields, words):
    item = {"what": "My plans", "how": "", "often": "daily", "added_by": "Robin", **fields}
    with pytest.raises(ValueError, match=words):
        plan.add_item(**item)
    assert plan.items == []


def test_other_limits(plan):
    with pytest.raises(ValueError, match="no plan item"):
        plan.edit_item(0, what="x")
    with pytest.raises(ValueError, match="2026-03-31"):
        plan.set_review("next week", 4)
    with pytest.raises(ValueError, match="1 to 52"):
        plan.set_review("2026-12-01", 0)
    for i in range(30):
        plan.add_item(f"Item {i}")
    with pytest.raises(ValueError, match="at most 30"):
        plan.add_item("One more")


def test_save_and_reload(plan):
    plan.add_item("Who I'm meeting", "A text", "when it happens", "Kai")
    plan.set_review("2026-12-24", 2)
    again = TransparencyPlan(partners=COUPLE)
    assert again.items == plan.items
    assert (again.review_date, again.review_weeks) == ("2026-12-24", 2)
    with open_store() as store:
        assert store.get_record("transparency-plan", "main")["items"] == plan.items


def test_exports_escape_learner_html_and_list_every_item(plan):
    plan.add_item("<script>alert(1)</script> & more", "<b>text</b>", "daily", "Robin")
    plan.add_item("Changes | to plans", "A shared calendar", "other", "Kai")
    page = plan.to_html()
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "&lt;b&gt;text&lt;/b&gt;" in page and "Changes | to plans" in page
    assert "Robin" in page and "Kai" in page
    assert plan.agreement_html == page
    md = plan.to_markdown()
    assert "<script>" not in md and "&lt;script&gt;" in md and "Changes \\| to plans" in md  # a pipe, not a new cell
    assert md.count("| daily |") == 1 and md.count("| other |") == 1


def test_solo_plan_is_personal_and_ungated():
    close_gate()
    solo = TransparencyPlan(partners=("Me",))
    assert solo.is_open
    solo.add_item("Where I am when I'm late")
    assert solo.items[0]["added_by"] == "Me"
    page = solo.to_html()
    assert "what I'll share" in page and NOT_A_CONTRACT_SOLO in page and "sign" not in page.lower()


# Safety rule 8: sharing is offered, never taken; the printout is not a contract (REVIEW H3).
ON_DEMAND = ("on request", "any time", "anytime", "whenever", "when asked", "if asked", "password",
             "demand", "open phone", "phone open", "unlock", "access", "check my phone", "location", "track")


def test_no_example_suggests_on_demand_access(plan):
    shown = [*plan.what_examples, *plan.how_examples]
    assert shown == [*WHAT_EXAMPLES, *HOW_EXAMPLES]
    for example in shown:
        assert not [w for w in ON_DEMAND if w in example.lower()], example
    assert "I show my messages at our check-in, when I choose" in plan.how_examples


@pytest.mark.parametrize("export", ["to_html", "to_markdown"])
def test_telling_about_a_temptation_is_offered_as_an_example_and_printed_with_the_plan(plan, export):
    """Source 003 ¶1 (REVIEW section 5): a plan can include telling each other when a temptation or an old
    contact shows up; it is one of the examples a partner can pick, and it prints like any other item."""
    temptation = next(e for e in plan.what_examples if "temptation" in e.lower())
    assert "old contact" in temptation
    plan.add_item(temptation, "I tell you at our check-in", "when it happens", "Kai")
    page = getattr(plan, export)()
    assert temptation in page and "when it happens" in page and "Kai" in page


@pytest.mark.parametrize("export", ["to_html", "to_markdown"])
def test_printed_plan_is_not_a_contract(plan, export):
    plan.add_item("My plans for the day", "A shared calendar", "daily", "Robin")
    plan.set_review("2026-12-24", 4)
    page = getattr(plan, export)()
    assert NOT_A_CONTRACT in page
    assert NOT_A_CONTRACT == "Not a contract: either of you can reopen or end this plan at any time."
    low = page.lower()
    for word in ("signed", "signature", "sign here", "date ____", "agreement", "we agree"):
        assert word not in low, word
    assert "2026-12-24" in page  # the review date is the only date on it
    assert export != "to_html" or plan.agreement_html == page


def test_the_page_adds_changes_and_reviews_through_actions(plan):
    """What the page sends (widgets/transparency/transparency.js), through the real handler."""
    item = {"what": "Changes to my plans", "how": "A text when plans change", "often": "when it happens",
            "added_by": "Kai"}
    assert command(plan, "add_item", **item) == {"ok": True, "value": 0}
    assert plan.items == [item] and plan.status == "Item 1 added. Saved on this device only."
    assert command(plan, "edit_item", index=0, **{**item, "often": "daily"})["ok"]
    assert plan.items[0]["often"] == "daily"
    reply = command(plan, "edit_item", index=0, **{**item, "added_by": "Someone else"})
    assert reply["ok"] is False and reply["error"].startswith("Not saved: Added by must be one of")
    assert plan.error and plan.items[0]["added_by"] == "Kai"
    reply = command(plan, "set_review", review_date="2026-12-24", review_weeks=0)
    assert reply["ok"] is False and "1 to 52" in reply["error"] and plan.review_date == ""
    assert command(plan, "set_review", review_date="2026-12-24", review_weeks=2)["ok"]
    assert (plan.review_date, plan.review_weeks) == ("2026-12-24", 2) and "2026-12-24" in plan.agreement_html
    assert command(plan, "remove_item", index=0)["ok"] and plan.items == []
    with open_store() as store:
        assert store.get_record("transparency-plan", "main")["items"] == []


def test_a_refused_action_while_closed_says_nothing_in_the_synced_status():
    plan = TransparencyPlan(partners=COUPLE)
    told = sent(plan)
    assert command(plan, "add_item", what="My plans", how="", often="daily", added_by="Kai") == {
        "ok": False, "gate": True, "error": ""}
    assert plan.status == "" and plan.error is False and plan.items == []
    assert told == [{"type": "gate", "open": False, "solo": False, "text": plan.gate.text()}]


@pytest.mark.parametrize("close", [False, True])
def test_gate_closes_the_couple_parts_and_its_state_never_shows_in_the_widget(close):
    if close:
        close_gate()
    plan = TransparencyPlan(partners=COUPLE)
    closed_state = plan.get_state()
    with pytest.raises(ValueError, match="solo version is below"):
        plan.add_item("My plans", added_by="Kai")
    with pytest.raises(ValueError, match="solo version is below"):
        plan.to_html()
    if close:
        return  # nobody can open them again in this sitting
    open_gate()
    assert plan.get_state() == closed_state      # open or closed, the synced state is the same
    plan.add_item("My plans", added_by="Kai")
    assert "My plans" in plan.to_html()


ODD = st.text(min_size=1, max_size=200).filter(lambda s: s.strip())


@settings(max_examples=25)
@given(what=ODD, how=st.text(max_size=200))
def test_odd_text_round_trips_exactly(what, how):
    with open_store() as store:
        store.delete_record("transparency-plan", "main-solo")  # the solo version has its own record
    plan = TransparencyPlan(partners=("Me",))
    plan.add_item(what, how, "weekly")
    assert TransparencyPlan(partners=("Me",)).items == [{"what": what, "how": how, "often": "weekly", "added_by": "Me"}]
