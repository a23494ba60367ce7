"""TriggerPlan ("When a trigger hits us"): what the page saves and prints, through the real handler."""
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course.store import open_store
from tests.gates import close_gate, open_gate
from tests.widgets import command, sent
from widgets.trigger_plan import NOT_A_CONTRACT, NOT_A_CONTRACT_SOLO, PLAIN_TITLE, PLAIN_TITLE_SOLO, TriggerPlan

COUPLE = ("Robin", "Kai")
PLAN = {"signal": 'The word "wave"', "need": "A hug, then a few minutes of space",
        "you_do": "Stays close. Says: I'm right here, and I choose you.", "pause_minutes": 20,
        "reconnect": "After the pause, we sit on the couch and each say one thing we felt.",
        "talk_time": "19:30", "talk_minutes": 25}


@pytest.fixture
def plan():
    open_gate()
    widget = TriggerPlan(partners=COUPLE)
    yield widget
    widget.close()


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.words, self._skip = [], False

    def handle_starttag(self, tag, attrs):
        self._skip = tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip = False

    def handle_data(self, data):
        if not self._skip:
            self.words.append(data)


def visible(page: str) -> str:
    """What a reader of the printed page sees (no style, no markup)."""
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.words).split())


def kept(key: str = "main") -> dict | None:
    with open_store() as store:
        return store.get_record("trigger-plan", key)


def test_a_plan_written_together_is_kept_and_read_again(plan):
    assert plan.saved is False and plan.plan["pause_minutes"] == 20  # a new plan starts at 20 minutes
    assert command(plan, "save", **PLAN) == {"ok": True, "value": None}
    assert plan.status == "Your plan is kept. Saved on this device only." and not plan.error
    assert plan.plan == PLAN and plan.saved
    assert kept() == {"partners": list(COUPLE), **PLAN}
    again = TriggerPlan(partners=COUPLE)
    assert again.plan == PLAN and again.saved


def test_only_the_signal_is_needed_and_no_set_talk_time_is_a_choice(plan):
    assert command(plan, "save", signal="  Pause  ")["ok"]
    assert plan.plan["signal"] == "Pause" and plan.plan["talk_time"] == ""
    assert "No set time for now." in plan.to_html()


@pytest.mark.parametrize("change, message", [
    ({"signal": "   "}, "Not saved: Our signal is empty; write something first."),
    ({"signal": "wave\nnow"}, "Not saved: Our signal must fit on one line; take out the line break."),
    ({"signal": "w" * 81}, "Not saved: Our signal is too long: 81 characters (at most 80)."),
    ({"need": "x" * 301}, "Not saved: What the one who is hit needs is too long: 301 characters (at most 300)."),
    ({"you_do": 5}, "Not saved: What the other one does must be text; got int."),
    ({"pause_minutes": 4}, "Not saved: The pause, in minutes, must be a whole number from 5 to 60; got 4."),
    ({"pause_minutes": 61}, "Not saved: The pause, in minutes, must be a whole number from 5 to 60; got 61."),
    ({"pause_minutes": None}, "Not saved: The pause needs a length: write a number of minutes from 5 to 60."),
    ({"talk_minutes": 90}, "Not saved: The set talk, in minutes, must be a whole number from 10 to 45; got 90."),
    ({"talk_minutes": 12.5}, "Not saved: The set talk, in minutes, must be a whole number from 10 to 45; got 12.5."),
    ({"talk_time": "25:00"}, "Not saved: The set talk time must be a time of day, like 19:30; got '25:00'."),
    ({"talk_time": "dinner"}, "Not saved: The set talk time must be a time of day, like 19:30; got 'dinner'."),
])
def test_what_does_not_fit_is_refused_in_words_and_the_kept_plan_stays(plan, change, message):
    assert command(plan, "save", **PLAN)["ok"]
    reply = command(plan, "save", **{**PLAN, "signal": "A new signal", **change})
    assert reply == {"ok": False, "error": message}
    assert plan.status == message and plan.error
    assert plan.plan == PLAN and kept()["signal"] == PLAN["signal"]  # nothing half-saved


def test_a_time_of_day_is_kept_as_the_browser_sends_it(plan):
    assert command(plan, "save", **{**PLAN, "talk_time": "7:05"})["ok"]
    assert plan.plan["talk_time"] == "07:05"
    assert "Every day at 7:05 AM, for 25 minutes." in plan.to_html()


def test_the_printout_is_the_plan_as_shown_and_not_a_contract(plan):
    reply = command(plan, "printable", **{**PLAN, "talk_time": "00:15"}, plain=False)
    assert reply["ok"] and kept() is None  # printing keeps nothing
    page = reply["value"]
    assert "<h1>When a trigger hits us</h1>" in page
    assert "Our set time each day to talk about the affair or betrayal" in visible(page)  # the full wording, asked for
    for words in ('The word &quot;wave&quot;', "A hug, then a few minutes of space", "20 minutes",
                  "Every day at 12:15 AM, for 25 minutes.", "say the signal, write a short note"):
        assert words in page, words
    assert NOT_A_CONTRACT in page
    assert NOT_A_CONTRACT == "Not a contract: either of you can change or drop this plan at any time."
    low = visible(page).lower()
    assert not re.search(r"signature|signed|sign here|\bdated?\b|agreement|we agree|promise|__", low), low


def test_the_printout_has_a_plain_title_unless_the_full_wording_is_asked_for(plan):
    """A page someone else finds does not say what it is about: no trigger, affair or betrayal in its words."""
    reply = command(plan, "printable", **PLAN)
    assert reply["ok"] and kept() is None
    page = reply["value"]
    assert f"<title>{PLAIN_TITLE}</title>" in page and f"<h1>{PLAIN_TITLE}</h1>" in page
    assert PLAIN_TITLE == "Our plan for hard moments"
    shown = visible(page)
    assert "A set time to talk Every day at 7:30 PM, for 25 minutes." in shown
    assert not re.search(r"trigger|affair|betrayal", page.lower()), page  # nowhere: not its words, not its source
    assert "so neither of us has to think it up in a hard moment." in shown
    assert "If a hard moment comes at another time: say the signal, write a short note" in shown
    assert NOT_A_CONTRACT in shown  # still not a contract
    assert command(plan, "save", **PLAN)["ok"]
    assert f"<h1>{PLAIN_TITLE}</h1>" in plan.to_html()
    assert "<h1>When a trigger hits us</h1>" in plan.to_html(plain=False)
    reply = command(plan, "printable", **PLAN, plain="no")
    assert reply == {"ok": False, "error": "Not printed: The plain-title choice must be yes or no; got 'no'."}


def test_learner_text_is_never_markup_in_the_printout(plan):
    reply = command(plan, "printable", **{**PLAN, "need": "<img src=x onerror=alert(1)> & <b>a hug</b>"})
    page = reply["value"]
    assert "<img" not in page and "<b>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;b&gt;a hug&lt;/b&gt;" in page


def test_either_of_you_can_drop_the_plan_even_when_the_exercises_are_closed(plan):
    assert command(plan, "save", **PLAN)["ok"]
    close_gate()
    assert command(plan, "forget_couple") == {"ok": True, "value": None}
    assert kept() is None and plan.saved is False and plan.plan["signal"] == ""
    assert plan.status == "Deleted from this device."


def test_while_closed_nothing_is_saved_or_printed_and_the_status_says_nothing():
    close_gate()
    plan = TriggerPlan(partners=COUPLE)
    told = sent(plan)
    for name in ("save", "printable"):
        assert command(plan, name, **PLAN) == {"ok": False, "gate": True, "error": ""}
    assert plan.status == "" and plan.error is False and plan.saved is False and kept() is None
    assert told == [{"type": "gate", "open": False, "solo": False, "text": plan.gate.text()}] * 2
    with pytest.raises(ValueError, match="solo version is below"):
        plan.to_html()


def test_open_or_closed_the_synced_state_is_the_same():
    plan = TriggerPlan(partners=COUPLE)
    closed = plan.get_state()
    open_gate()
    assert plan.get_state() == closed


def test_the_solo_version_is_for_one_person_kept_apart_and_never_gated(plan):
    assert command(plan, "save", **PLAN)["ok"]
    close_gate()
    solo = TriggerPlan(partners=("Me",))
    assert solo.is_open and solo.saved is False  # the couple's plan is not the solo one
    labels = [f["label"] for f in solo.fields]
    assert labels[:3] == ["My signal to myself", "What I do then", "Who I can call"]
    assert "journal" in solo.fields[5]["hint"] and "therapist" in solo.fields[5]["hint"]
    reply = command(solo, "save", signal="My chest goes tight", need="Breathe out slowly",
                    you_do="My friend Sam", pause_minutes=10, reconnect="", talk_time="08:00", talk_minutes=15)
    assert reply["ok"], reply
    assert kept("main-solo")["you_do"] == "My friend Sam" and kept()["you_do"] == PLAN["you_do"]
    page = solo.to_html(plain=False)
    assert "<h1>When a trigger hits me</h1>" in page and "Who I can call" in page
    plain = solo.to_html()
    assert not re.search(r"trigger|affair|betrayal", plain.lower()), plain
    plain = visible(plain)
    assert plain.startswith(PLAIN_TITLE_SOLO) and "A set time to think or write Every day at 8:00 AM" in plain
    assert "so I do not have to think it up in a hard moment." in plain
    assert NOT_A_CONTRACT_SOLO in page and "either of you" not in page
    reply = command(solo, "save", signal="")
    assert reply["error"] == "Not saved: My signal to myself is empty; write something first."


def test_switching_to_the_solo_version_shows_its_own_parts(plan):
    assert command(plan, "save", **PLAN)["ok"]
    assert command(plan, "use_solo")["ok"]
    assert plan.partners == ["Me"] and plan.fields[0]["label"] == "My signal to myself"
    assert plan.saved is False and plan.plan["signal"] == ""


def test_the_couple_examples_move_toward_and_reassure_about_now(plan):
    """What the other one is offered: toward, calm, about the present; never defending."""
    you_do = next(f for f in plan.fields if f["id"] == "you_do")
    assert "moves toward, not away" in you_do["hint"] and "Not a time to defend or argue" in you_do["hint"]
    assert any("I choose you" in e for e in you_do["examples"])
    for example in you_do["examples"]:
        assert "but" not in example.lower().split() and "because" not in example.lower()


def test_either_partner_can_be_the_one_who_is_hit(plan):
    """Module 5: the partner who caused the hurt can be hit by shame too, so no label fixes the roles;
    a general reassurance comes first, the one that assumes an affair partner comes later."""
    label = {f["id"]: f["label"] for f in plan.fields}
    assert label["need"] == "When one of us is hit: what that person needs"
    assert label["you_do"] == "What the other one does"
    need = next(f for f in plan.fields if f["id"] == "need")
    assert "Either of you can be the one." in need["hint"]
    assert "caused the hurt" not in " ".join(f["label"] + " " + f["hint"] for f in plan.fields)
    assert not {"What I need then", "What you do"} & set(label.values())
    examples = next(f for f in plan.fields if f["id"] == "you_do")["examples"]
    assert examples[0] == 'Says: "I\'m right here. Take the time you need."'
    assert examples.index('Says: "I\'m right here. I have no contact with them. I choose you."') == len(examples) - 1


def test_a_plan_kept_before_the_new_labels_still_loads_and_prints_under_them():
    """The kept keys did not change: an older plan reads and prints as it was written, under the new labels."""
    open_gate()
    with open_store() as store:
        store.put_record("trigger-plan", "main", {"partners": list(COUPLE), "signal": "Wave", "need": "A hug",
                                                  "you_do": "I stay close and keep my voice calm.",
                                                  "pause_minutes": 15, "reconnect": "", "talk_time": "",
                                                  "talk_minutes": 20})
    plan = TriggerPlan(partners=COUPLE)
    assert plan.saved and plan.plan["need"] == "A hug" and plan.plan["you_do"] == "I stay close and keep my voice calm."
    shown = visible(plan.to_html())
    assert "When one of us is hit: what that person needs A hug" in shown
    assert "What the other one does I stay close and keep my voice calm." in shown


def test_the_browser_gets_the_crisis_phrases_and_resources_in_both_versions():
    """CONTENT.md rule 6: the page checks the plan's text boxes with the course's phrases and shows these resources."""
    from course.crisis import phrases
    from course.safety import load_resources

    for partners in (COUPLE, ("Me",)):
        plan = TriggerPlan(partners=partners)
        assert plan.crisis_phrases == phrases() and "want to die" in plan.crisis_phrases
        assert plan.resources == load_resources("US")["resources"]
        assert any(r["name"].startswith("988") for r in plan.resources)


def test_crisis_words_are_kept_like_any_other_words_and_nothing_about_them_is_stored(plan):
    solo = TriggerPlan(partners=("Me",))
    before = solo.get_state()
    assert command(solo, "save", signal="Wave", need="I want to die some days")["ok"]
    assert kept("main-solo") == {"partners": ["Me"], **solo.plan}
    assert solo.status == "Your plan is kept. Saved on this device only."
    after = solo.get_state()
    assert {k for k in after if after[k] != before[k]} == {"plan", "saved", "status"}


def calls(plan: TriggerPlan) -> list[str]:
    """The examples the solo plan offers under "Who I can call"."""
    call = next(f for f in plan.fields if f["id"] == "you_do")
    assert call["label"] == "Who I can call"
    return call["examples"]


def test_the_solo_plan_offers_the_crisis_lines_of_the_learners_country():
    """In the US: 988 and the Crisis Text Line, as resources.yml has them; not the help lines for other needs."""
    assert calls(TriggerPlan(partners=("Me",))) == [
        "A friend I trust", "My therapist", "988 Suicide & Crisis Lifeline (call 988 or text 988)",
        "Crisis Text Line (text HOME to 741741)"]
    assert calls(TriggerPlan(partners=("Me",), country="US")) == calls(TriggerPlan(partners=("Me",)))


def test_outside_the_us_the_solo_plan_offers_no_us_line_but_a_way_to_find_ones_own():
    solo = TriggerPlan(partners=("Me",), country="GB")
    examples = calls(solo)
    assert examples == ["A friend I trust", "My therapist", "Find a Helpline (findahelpline.com)"]
    assert not [e for e in examples if re.search(r"988|741741|911", e)]
    assert all(r["country"] == "*" for r in solo.resources)  # the lines under crisis words are not US ones either


def test_a_country_with_its_own_crisis_lines_gets_them(tmp_path, monkeypatch):
    """A country added to resources.yml brings its own lines, with no change to the widget."""
    import yaml

    from course import safety

    data = yaml.safe_load(safety.RESOURCES.read_text(encoding="utf-8"))
    data["resources"].insert(0, {"id": "samaritans", "country": "GB", "name": "Samaritans",
                                 "what": "Call 116 123, free, any time, if you are in crisis or struggling.",
                                 "links": [{"label": "Call 116 123", "href": "tel:116123"}]})
    data["resources"].insert(1, {"id": "emergency-999", "country": "GB", "name": "Emergency services",
                                 "what": "Call 999 if you or someone else is in danger right now.",
                                 "links": [{"label": "Call 999", "href": "tel:999"}]})
    mine = tmp_path / "resources.yml"
    mine.write_text(yaml.safe_dump(data), encoding="utf-8")
    monkeypatch.setattr(safety, "RESOURCES", mine)
    assert calls(TriggerPlan(partners=("Me",), country="GB"))[2:] == ["Samaritans (call 116 123)"]
    assert "Samaritans (call 116 123)" not in calls(TriggerPlan(partners=("Me",), country="US"))


ODD = st.text(min_size=1, max_size=300).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=25, deadline=None)
@given(need=ODD, signal=st.text(min_size=1, max_size=80).filter(lambda s: s.strip() == s and s and "\n" not in s
                                                                  and "\r" not in s))
def test_odd_text_round_trips_exactly(need, signal):
    with open_store() as store:
        store.delete_record("trigger-plan", "main-solo")
    solo = TriggerPlan(partners=("Me",))
    assert command(solo, "save", signal=signal, need=need)["ok"]
    again = TriggerPlan(partners=("Me",))
    assert (again.plan["signal"], again.plan["need"]) == (signal, need)
