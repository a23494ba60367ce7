"""ProgressReview: weekly numbers, plain words and alt text from made-up data, then the widget.

conftest.py points STEADY_GROUND_HOME at a temporary folder for every test.
"""
import base64
import math
import re
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from course.store import open_store
from tests.widgets import command
from widgets.progress import ProgressReview
from widgets.progress import model as M

NOW = pd.Timestamp("2026-03-04 12:00", tz="UTC")  # a Wednesday; 4 weeks = Feb 9, 16, 23, Mar 2
JUDGING = ("good", "bad", "should", "fail", "failed", "poor", "better", "worse", "great", "well done",
           "only", "must", "improve", "disappointing", "excellent", "behind")


def checkins(*rows):
    """rows: (UTC time text, gauge, value)."""
    return pd.DataFrame({"at": pd.to_datetime([r[0] for r in rows], utc=True),
                         "gauge": [r[1] for r in rows], "value": [r[2] for r in rows]})


def practices(*rows):
    """rows: (UTC time text, exercise, seconds)."""
    return pd.DataFrame({"started_at": pd.to_datetime([r[0] for r in rows], utc=True),
                         "exercise": [r[1] for r in rows], "duration_s": [float(r[2]) for r in rows]})


CALM = checkins(("2026-01-01 09:00", "calm", 10),          # before the window: left out
                ("2026-02-09 08:00", "calm", 5), ("2026-02-10 20:00", "calm", 7),
                ("2026-02-24 08:00", "calm", 4), ("2026-03-03 08:00", "calm", 6),
                ("2026-02-25 21:00", "safety", 3))
PRACTICE = practices(("2026-01-05 10:00", "breathing", 6000),  # before the window
                     ("2026-02-10 07:00", "breathing", 600), ("2026-02-10 19:00", "grounding", 300),
                     ("2026-02-25 07:00", "breathing", 900))


def four_weeks(gauges=("calm",), c=CALM, p=PRACTICE, tz="UTC"):
    return M.review(c, p, list(gauges), weeks=4, now=NOW, tz=tz)


def judging_words(text: str) -> list[str]:
    return [w for w in JUDGING if re.search(rf"\b{w}\b", text, re.I)]


def test_weeks_start_on_monday_and_empty_weeks_are_gaps_for_ratings():
    r = four_weeks()
    assert [d.strftime("%Y-%m-%d") for d in r.weeks] == ["2026-02-09", "2026-02-16", "2026-02-23", "2026-03-02"]
    calm = r.ratings["calm"].tolist()
    assert calm[0] == 6 and math.isnan(calm[1]) and calm[2:] == [4, 6]
    assert r.values["calm"].tolist() == [5, 7, 4, 6]


def test_minutes_are_summed_per_week_and_exercise_with_zeros_for_empty_weeks():
    r = four_weeks()
    assert r.minutes["breathing"].tolist() == [10, 0, 15, 0]
    assert r.minutes["grounding"].tolist() == [5, 0, 0, 0]
    assert r.total_minutes == 30 and r.days == 2 and r.sessions == 3


def test_weeks_follow_local_time():
    # Monday 02:00 UTC is still Sunday evening in New York: the week before.
    c = checkins(("2026-02-16 02:00", "calm", 8))
    assert M.review(c, PRACTICE.iloc[:0], ["calm"], weeks=4, now=NOW, tz="UTC").ratings["calm"].tolist()[1] == 8
    local = M.review(c, PRACTICE.iloc[:0], ["calm"], weeks=4, now=NOW, tz="America/New_York")
    assert local.ratings["calm"].tolist()[0] == 8 and math.isnan(local.ratings["calm"].tolist()[1])


def test_summary_in_plain_words():
    assert M.summary(four_weeks(["calm", "safety"])) == (
        "Over the last 4 weeks you practised on 2 days, about 30 minutes in all. "
        "You gave 4 calm ratings, from 4 to 7. You gave one safety rating: 3.")


def test_many_ratings_are_described_by_their_middle_half():
    values = [2, 4, 4, 5, 5, 6, 6, 7, 7, 9]
    c = checkins(*[(f"2026-02-{10 + i:02d} 09:00", "calm", v) for i, v in enumerate(values)])
    assert M.rating_sentence("calm", M.review(c, PRACTICE, ["calm"], 4, NOW, "UTC").values["calm"]) == (
        "You gave 10 calm ratings, mostly between 4 and 7.")
    same = checkins(*[(f"2026-02-{10 + i:02d} 09:00", "calm", 5) for i in range(6)])
    assert M.rating_sentence("calm", same["value"]) == "You gave 6 calm ratings, all 5."


def test_alt_text_matches_the_data_week_by_week():
    alt = M.alt_text(four_weeks(["calm", "safety"]))
    assert alt.startswith("Chart of the last 4 weeks, from the week of Feb 9, 2026 to the week of Mar 2, 2026.")
    assert "Practice minutes per week: 15, 0, 15, 0." in alt
    assert "Calm ratings, weekly average out of 10: 6, no ratings, 4, 6; stayed about the same, around 5.3." in alt
    assert ("Safety ratings, weekly average out of 10: no ratings, no ratings, 3, no ratings; "
            "one week with ratings, the week of Feb 23.") in alt


def test_trend_words_are_neutral_descriptions():
    index = pd.date_range("2026-02-09", periods=4, freq="7D")
    assert M.trend(pd.Series([3, None, 5, 6], index=index)) == "went up from 3 to 6"
    assert M.trend(pd.Series([8, 7.5, None, 2.25], index=index)) == "went down from 8 to 2.2"
    assert M.trend(pd.Series([None] * 4, index=index, dtype=float)) == "no ratings in these weeks"


def test_one_point_series():
    c = checkins(("2026-03-03 10:00", "calm", 6))
    r = M.review(c, PRACTICE.iloc[:0], ["calm"], weeks=4, now=NOW, tz="UTC")
    assert M.summary(r) == "Over the last 4 weeks there is no practice recorded. You gave one calm rating: 6."
    assert "Practice minutes per week: 0, 0, 0, 0." in M.alt_text(r)
    assert "no ratings, no ratings, no ratings, 6; one week with ratings, the week of Mar 2." in M.alt_text(r)
    png, alt = M.chart(r)
    assert base64.b64decode(png).startswith(b"\x89PNG") and alt == M.alt_text(r)


def test_all_zero_practice_counts_days_but_no_minutes():
    p = practices(("2026-02-10 07:00", "breathing", 0), ("2026-02-11 07:00", "grounding", 0))
    r = M.review(CALM.iloc[:0], p, [], weeks=4, now=NOW, tz="UTC")
    assert r.minutes.to_numpy().sum() == 0 and r.sessions == 2 and not r.empty
    assert M.summary(r) == "Over the last 4 weeks you practised on 2 days, less than a minute in all."
    assert "Practice minutes per week: 0, 0, 0, 0." in M.alt_text(r)
    assert M.chart(r)[0]  # still drawn: the sessions happened


def test_nothing_in_the_window_is_the_kind_empty_message():
    r = M.review(CALM.iloc[:1], PRACTICE.iloc[:1], ["calm"], weeks=4, now=NOW, tz="UTC")  # only old data
    assert r.empty and M.summary(r) == M.EMPTY == "Nothing here yet. Your check-ins and practice will show here."
    assert M.chart(r) == ("", M.EMPTY)


@pytest.mark.parametrize("gauges, c, p", [
    (["calm", "safety"], CALM, PRACTICE),
    (["calm"], CALM.iloc[:0], PRACTICE),
    ([], CALM, practices(("2026-02-10 07:00", "breathing", 0))),
    (["safety"], checkins(("2026-03-03 10:00", "safety", 0)), PRACTICE.iloc[:0]),
    (["calm"], CALM.iloc[:0], PRACTICE.iloc[:0]),
])
def test_no_judgement_in_any_words(gauges, c, p):
    r = M.review(c, p, gauges, weeks=4, now=NOW, tz="UTC")
    for text in (M.summary(r), M.alt_text(r)):
        assert judging_words(text) == [], text


def test_a_low_latest_safety_rating_points_to_help_and_nothing_more():
    low = checkins(("2026-02-10 10:00", "safety", 8), ("2026-03-03 10:00", "safety", 2))
    assert M.care(M.review(low, PRACTICE, ["safety"], 4, NOW, "UTC")) == M.CARE
    assert M.care(M.review(low.iloc[::-1], PRACTICE, ["safety"], 4, NOW, "UTC")) == M.CARE  # order of rows
    assert M.care(M.review(low.iloc[:1], PRACTICE, ["safety"], 4, NOW, "UTC")) == ""
    assert M.care(four_weeks(["calm"])) == ""


def test_table_has_the_same_numbers():
    t = M.table(four_weeks(["calm"]))
    assert t["head"] == ["Week of", "Practice minutes", "Calm (0-10)"]
    assert t["rows"] == [["Feb 9", "15", "6"], ["Feb 16", "0", "no ratings"], ["Feb 23", "15", "4"],
                         ["Mar 2", "0", "6"]]


# -- the widget, reading the (temporary) store
def test_empty_store_shows_the_kind_message():
    w = ProgressReview()
    assert w.empty and w.summary == M.EMPTY and w.chart_png == "" and w.choices == [] and not w.error


def test_widget_reads_every_gauge_and_follows_the_ticked_boxes():
    now = datetime.now(UTC)
    with open_store() as store:
        store.add_checkin("safety", 7, at=now - timedelta(days=1))
        store.add_checkin("calm", 4, at=now - timedelta(days=2))
        store.add_checkin("trust", 5, at=now - timedelta(days=3))
        store.add_practice("breathing", "resonance", now - timedelta(days=1), 600, 60)
    w = ProgressReview(weeks=8)
    assert w.choices == ["calm", "safety", "trust"] == w.gauges
    assert "about 10 minutes in all" in w.summary and "one safety rating: 7" in w.summary
    assert "Trust ratings" in w.chart_alt and base64.b64decode(w.chart_png).startswith(b"\x89PNG")
    w.gauges = ["trust", "calm"]
    assert w.gauges == ["calm", "trust"] and "safety" not in w.summary and "Safety" not in w.chart_alt
    with pytest.raises(ValueError, match="no check-ins"):
        w.gauges = ["desire"]
    reply = command(w, "set_gauges", gauges=["desire"])
    assert not reply["ok"] and "no check-ins for 'desire'" in w.status and w.error
    with open_store() as store:
        store.add_checkin("desire", 3)
    assert command(w, "refresh") == {"ok": True, "value": True}
    assert w.status == "Up to date." and "desire" in w.gauges and "one desire rating: 3" in w.summary
    assert w.gauges == ["calm", "trust", "desire"]  # the unticked safety box stays unticked
    assert command(w, "set_gauges", gauges=["desire", "calm"])["ok"]
    assert w.gauges == ["calm", "desire"] and "trust" not in w.summary
    assert command(w, "refresh", quiet=True)["ok"] and w.status == ""
    w.weeks = 1
    assert w.chart_alt.startswith("Chart of the last 1 week,")
    with pytest.raises(ValueError, match="1 to 52"):
        w.weeks = 53


def test_only_the_solo_diary_reaches_the_review_as_its_own_series():
    """Module 7: the couple's shared diary never counts as one person's ratings; the solo diary does,
    apart from the safety check-ins, and an entry removed from it is gone from the review too."""
    from tests.gates import open_gate
    from widgets.ladder import ReconnectionLadder

    open_gate()
    couple = ReconnectionLadder(partners=("Sam", "Alex"))
    couple.add_step("A long hug")
    for name, args in (("ask_ready", {"index": 0}), ("answer_ready", {"turn": 1, "ready": True}),
                       ("answer_ready", {"turn": 2, "ready": True}), ("finish_round", {})):
        assert command(couple, name, **args)["ok"]
    couple.add_entry(0, sensations="warm", safety=9)
    solo = ReconnectionLadder(partners=("Me",))
    solo.add_step("A slow stretch")
    solo.set_ready(0)
    solo.add_entry(0, sensations="tight, then loose", safety=6)
    solo.add_entry(0, safety=2)
    with open_store() as store:
        store.add_checkin("safety", 8, at=datetime.now(UTC) - timedelta(hours=2))
    w = ProgressReview(weeks=4)
    assert w.choices == ["safety", "solo-ladder-safety"]
    assert "one safety rating: 8" in w.summary and "2 solo ladder safety ratings, from 2 to 6" in w.summary
    assert not re.search(r"\b9\b", w.summary + w.chart_alt)  # the couple's rating is nowhere
    assert w.care == M.CARE  # the latest safety-like rating is low (2, from the solo diary)
    solo.remove_entry(0, 1)
    w.refresh()
    assert "one solo ladder safety rating: 6" in w.summary and w.care == ""
    assert w.table["head"][-1] == "Solo ladder safety (0-10)"


def test_a_low_safety_check_in_after_a_solo_diary_entry_is_the_latest():
    c = checkins(("2026-03-03 09:00", "solo-ladder-safety", 2), ("2026-03-03 10:00", "safety", 8))
    assert M.care(M.review(c, PRACTICE, ["safety", "solo-ladder-safety"], 4, NOW, "UTC")) == ""
    assert M.care(M.review(c, PRACTICE, ["solo-ladder-safety"], 4, NOW, "UTC")) == M.CARE


def test_store_problems_are_shown(steady_ground_home):
    (steady_ground_home / "steady-ground.sqlite3").write_bytes(b"not a database at all" * 100)
    w = ProgressReview()
    assert w.error and w.status.startswith("Your progress could not be read:") and "damaged" in w.status
    assert w.chart_png == "" and w.summary == ""


def test_importing_the_widget_leaves_pandas_and_matplotlib_for_later():
    import subprocess
    import sys

    code = ("import sys; from widgets.progress import ProgressReview; "
            "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
