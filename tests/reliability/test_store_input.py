"""Anything a page, a notebook or a bug can hand the store: refused in one short clear line, or kept exactly.

Every entry point of course/store.py gets arbitrary ids (huge, negative, True, 1.5, "1", None), times
(year 1 and 9999 in odd zones, naive, zones that give no offset), numbers (nan, inf, 10**400), text (empty,
at and past the limits, lone surrogates, NUL, right-to-left marks, emoji, <script> and <img onerror>) and
record data (deep, circular, sets, bytes, number keys). Before the fix, ids past SQLite's range and times near
year 1 raised OverflowError, and some messages repeated the whole bad value (over 400 characters).

For each example: only ValueError escapes (StoreError for the disk, in an export); its message is one
printable line of at most 160 characters that repeats no long piece of the input; what is accepted reads
back exactly; the store still takes a normal write. At the end the file passes PRAGMA integrity_check.
"""
from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from course import validate as v
from course.store import Store, StoreError, load_settings, save_settings, store_path
from course.validate import MAX_LABEL, MAX_TEXT
from tests.reliability.conftest import FUZZ

MAX_MESSAGE = 160
SHOWN = 40  # a message may repeat at most this many characters of one input

# -- what gets thrown at the store -----------------------------------------------------------------

HTML = ["<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<SCRIPT SRC=//x.test/a.js></SCRIPT>",
        '"><img src=x onerror=alert(document.cookie)>', "<a href=\"javascript:alert(1)\">link</a>"]
ODD_TEXT = ["", " ", "\n\t ", "\ud800", "a\udfffb", "nul\x00byte", "\x00", "\u202eevil\u202c \u200f", "🌱💔🫶🏽 👩‍❤️‍👨",
            "trust = ثقة = אמון", "e\u0301", "```\ncode\n```", "'; DROP TABLE journal; --", "\r\n", "x" * 41,
            *HTML]
LONG_TEXT = ["é" * MAX_TEXT, "y" * (MAX_TEXT + 1), "z" * MAX_LABEL, "w" * (MAX_LABEL + 1), "<script>" * 30]
HUGE_INTS = [2 ** 63 - 1, 2 ** 63, 2 ** 64, -(2 ** 63), -(2 ** 63) - 1, 10 ** 30, -(10 ** 30), 10 ** 400, 10 ** 5000]
ODD_NUMBERS = [math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324, 1.5, Decimal("NaN"), Decimal("sNaN"),
               Decimal("1e999"), Decimal("7"), Fraction(1, 3), 1 + 2j]
OTHER = [None, True, False, b"bytes", bytearray(b"x"), [], [1, 2], {}, {"a": 1}, (), {1, 2}, object(), 1j]

texts = st.one_of(st.text(max_size=200), st.sampled_from(ODD_TEXT), st.sampled_from(LONG_TEXT))
ints = st.one_of(st.integers(-3, 60), st.sampled_from(HUGE_INTS), st.integers())
numbers = st.one_of(ints, st.floats(), st.sampled_from(ODD_NUMBERS))
anything = st.one_of(st.sampled_from(OTHER), texts, numbers)


class NoOffset(tzinfo):
    """A zone that gives no offset: the time counts as local."""

    def utcoffset(self, dt):
        return None


class Impossible(tzinfo):
    """A zone 30 hours off UTC, which datetime refuses to use."""

    def utcoffset(self, dt):
        return timedelta(hours=30)


class NotATime(tzinfo):
    def utcoffset(self, dt):
        return "+01:00"


zones = st.one_of(st.none(), st.timezones(), st.integers(-1439, 1439).map(lambda m: timezone(timedelta(minutes=m))),
                  st.sampled_from([NoOffset(), Impossible(), NotATime(), UTC]))
EDGES = [datetime.min, datetime.max, datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
         datetime(1970, 1, 1, tzinfo=UTC), datetime(2199, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
         datetime(2200, 1, 1, tzinfo=UTC)]
times = st.one_of(
    st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2199, 1, 1), timezones=zones),  # mostly kept
    st.datetimes(timezones=zones),  # year 1 to 9999
    st.builds(lambda d, z: d.replace(tzinfo=z), st.sampled_from(EDGES), zones),
    st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
    st.sampled_from(["2026-11-26T19:00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "2026-11-26",
                     "now", "2026-13-45T99:99"]),
    anything)
gauges = st.one_of(st.sampled_from(["calm", "trust", "safety", "quiz", "a-b_c"]),
                   st.from_regex(v.GAUGE_RE, fullmatch=True), texts, anything)
labels = st.one_of(st.text(min_size=1, max_size=MAX_LABEL + 2), texts, anything)
json_leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                        texts)
json_data = st.recursive(json_leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                              st.dictionaries(st.text(max_size=20), inner, max_size=4)),
                         max_leaves=20)
not_json = st.sampled_from([math.nan, math.inf, {1, 2}, b"bytes", object(), 10 ** 5000, (1, "tuple"), "\ud800"])
record_data = st.one_of(
    st.dictionaries(st.text(max_size=20), json_data, max_size=5),  # plain data: kept
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers(), st.none(), st.booleans()),
                    st.one_of(json_data, not_json), max_size=4),
    st.sampled_from([[], "text", None, 7]), anything)


def deep(levels: int):
    data = inner = {}
    for _ in range(levels):
        inner["in"] = {}
        inner = inner["in"]
    return data


def circular():
    data = {"a": []}
    data["a"].append(data)
    return data


record_data = st.one_of(record_data, st.sampled_from([10, 63, 64, 65, 2000, 100_000]).map(deep), st.builds(circular))


# -- what every answer must be ---------------------------------------------------------------------

def check_refusal(exc: Exception, *inputs, limit: int = MAX_MESSAGE, shown: int = SHOWN) -> None:
    """A refusal a learner can read: one printable line, short, naming the problem, repeating at most
    `shown` characters of any input."""
    message = str(exc)
    assert message.strip(), f"{type(exc).__name__} without words"
    assert message.isprintable(), f"not one printable line: {message[:200]!r}"
    assert len(message) <= limit, f"{len(message)} characters: {message[:200]!r}"
    for value in inputs:
        if isinstance(value, int) and 10 ** 20 <= abs(value) < 10 ** 4000:
            assert str(abs(value))[:21] not in message, f"repeats a huge number: {message[:200]!r}"
        if isinstance(value, str) and len(value) > shown:
            assert not any(message[i:i + shown + 1] in value for i in range(len(message) - shown)), (
                f"repeats a long piece of the input: {message[:200]!r}")


TALLY: Counter = Counter()
"""Calls of the current test kept and refused: a fuzz test that never reaches one of them proves little."""


def attempt(call, *inputs):
    """One store call: (True, its result), or (False, None) once the refusal is checked (only ValueError escapes)."""
    try:
        result = call()
    except ValueError as exc:
        check_refusal(exc, *inputs)
        TALLY["refused"] += 1
        return False, None
    TALLY["kept"] += 1
    return True, result


@pytest.fixture(autouse=True)
def tally():
    TALLY.clear()


def both_ways(test: str) -> None:
    """A fuzz test must see input kept and input refused, more than a few times each."""
    print(f"{test}: {TALLY['kept']} kept, {TALLY['refused']} refused")
    assert TALLY["kept"] >= 5 and TALLY["refused"] >= 5, dict(TALLY)


def instant(value) -> datetime:
    """The moment a time given to the store names, as the store must keep it (naive: local time)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    aware = value if value.utcoffset() is not None else value.replace(tzinfo=None).astimezone()
    # in UTC: Python never calls an ambiguous local time (a clock put back) equal to a time in another zone,
    # even the same moment (PEP 495); Hypothesis found 01:00 on 29 Oct 2000 in America/Dawson
    return aware.astimezone(UTC)


def still_usable(store: Store) -> None:
    """A normal write still works after the example, and reads back."""
    entry = store.add_journal("still here")
    assert store.has_journal(entry)
    store.delete_journal(entry)


def healthy(store: Store) -> None:
    """The file is whole and every kept time can be shown (read by pandas, as the progress view reads it)."""
    with closing(sqlite3.connect(store.path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.checkins_frame()
    for row in store.checkins() + store.practices() + store.journal_entries():
        for key in ("at", "started_at", "created_at"):
            if key in row:
                assert v.FIRST_MOMENT <= row[key] < v.END_OF_MOMENTS
                row[key].astimezone()  # shown in local time
    assert store.records() is not None


@pytest.fixture
def store(steady_ground_home):
    with Store(store_path()) as kept:
        yield kept
        healthy(kept)


# -- the tests -------------------------------------------------------------------------------------

def test_check_ins_refuse_bad_input_in_words_and_keep_good_input_exactly(store):
    @FUZZ
    @given(gauge=gauges, value=st.one_of(st.integers(0, 10), numbers, anything),
           note=st.one_of(st.none(), texts, anything), at=st.one_of(st.none(), times))
    def example(gauge, value, note, at):
        before = len(store.checkins())
        ok, _ = attempt(lambda: store.add_checkin(gauge, value, note=note, at=at), gauge, note, at)
        rows = store.checkins()
        if ok:
            row = max(rows, key=lambda r: r["id"])
            assert (row["gauge"], row["value"], row["note"]) == (gauge, value, note)
            if at is not None:
                assert row["at"] == instant(at)
        else:
            assert len(rows) == before, "a refused check-in was written"
        ok, found = attempt(lambda: store.checkins(gauge), gauge)
        assert not ok or gauge is None or all(r["gauge"] == gauge for r in found)
        still_usable(store)

    example()
    both_ways("check-ins")


def test_practices_refuse_bad_input_in_words_and_keep_good_input_exactly(store):
    fair = {"exercise": st.text(min_size=1, max_size=MAX_LABEL).filter(str.strip),
            "pattern": st.sampled_from(["box", "4-7-8"]),
            "started_at": st.datetimes(datetime(1971, 1, 1), datetime(2199, 1, 1), timezones=st.timezones()),
            "duration_s": st.floats(0, 86_399), "cycles": st.integers(0, 200),
            "before": st.one_of(st.none(), st.integers(0, 10)), "after": st.one_of(st.none(), st.integers(0, 10))}
    wild = {"exercise": labels, "pattern": labels, "started_at": times, "duration_s": st.one_of(numbers, anything),
            "cycles": st.one_of(ints, anything), "before": st.one_of(numbers, anything),
            "after": st.one_of(numbers, anything)}

    @FUZZ
    @given(data=st.data(), odd=st.sets(st.sampled_from(sorted(wild)), max_size=3))
    def example(data, odd):  # a few arguments are wild, the others fair: a practice is kept now and then
        args = {name: data.draw((wild if name in odd else fair)[name], label=name) for name in fair}
        count = len(store.practices())
        ok, entry = attempt(lambda: store.add_practice(**args), args["exercise"], args["pattern"], args["started_at"])
        rows = store.practices()
        if ok:
            row = next(r for r in rows if r["id"] == entry)
            assert row == {**row, **args, "id": entry, "duration_s": float(args["duration_s"]),
                           "started_at": instant(args["started_at"])}
        else:
            assert len(rows) == count, "a refused practice was written"
        still_usable(store)

    example()
    both_ways("practices")


def test_journal_entries_refuse_bad_input_in_words_and_keep_good_text_exactly(store):
    ids = st.one_of(st.integers(1, 8), ints, numbers, anything)

    @FUZZ
    @given(op=st.sampled_from(["add", "update", "delete", "has", "search"]), text=st.one_of(texts, anything),
           module=st.one_of(st.none(), labels), prompt=st.one_of(st.none(), texts, anything), entry=ids)
    def example(op, text, module, prompt, entry):
        before = {e["id"]: e for e in store.journal_entries()}
        if op == "add":
            ok, entry = attempt(lambda: store.add_journal(text, module=module, prompt=prompt), text, module, prompt)
            if ok:
                kept = next(e for e in store.journal_entries() if e["id"] == entry)
                assert (kept["text"], kept["module"], kept["prompt"]) == (text, module, prompt)  # byte for byte
        elif op == "update":
            ok, _ = attempt(lambda: store.update_journal(entry, text), text, entry)
            if ok:
                assert {e["id"]: e["text"] for e in store.journal_entries()}[entry] == text
        elif op == "delete":
            ok, _ = attempt(lambda: store.delete_journal(entry), entry)
            assert ok == (type(entry) is int and entry in before), "delete answered wrongly"
            if ok:
                assert not store.has_journal(entry)
        elif op == "has":
            ok, found = attempt(lambda: store.has_journal(entry), entry)
            whole = isinstance(entry, int) and not isinstance(entry, bool) and entry >= 1
            assert ok == whole and (not ok or found is (entry in before))
        else:
            ok, found = attempt(lambda: store.journal_entries(search=text), text)
            if ok and isinstance(text, str):
                assert all(text.casefold() in e["text"].casefold() for e in found)
        after = {e["id"]: e for e in store.journal_entries()}
        if not ok:
            assert after == before, "a refused change changed the journal"
        still_usable(store)

    example()
    both_ways("journal")


def test_records_refuse_what_is_not_plain_data_and_read_back_what_is(store):
    @FUZZ
    @given(op=st.sampled_from(["put", "swap", "get", "delete", "list"]), kind=gauges, key=labels, data=record_data,
           expect=st.one_of(st.just("current"), record_data))
    def example(op, kind, key, data, expect):
        before = store.records()
        if op == "put":
            ok, _ = attempt(lambda: store.put_record(kind, key, data), kind, key)
            if ok:
                assert store.get_record(kind, key) == json.loads(json.dumps(data)), "a record read back changed"
        elif op == "swap":
            current = attempt(lambda: store.get_record(kind, key), kind, key)[1]
            wanted = current if expect == "current" else expect
            ok, swapped = attempt(lambda: store.swap_record(kind, key, wanted, data), kind, key)
            if ok and swapped:
                assert store.get_record(kind, key) == json.loads(json.dumps(data))
            ok = ok and swapped
        elif op == "get":
            ok, found = attempt(lambda: store.get_record(kind, key), kind, key)
            assert not ok or found is None or isinstance(found, dict)
            ok = False  # nothing changes
        elif op == "delete":
            ok, gone = attempt(lambda: store.delete_record(kind, key), kind, key)
            if ok:
                assert store.get_record(kind, key) is None
            ok = ok and gone
        else:
            ok, found = attempt(lambda: store.records(kind), kind)
            assert not ok or kind is None or all(r["kind"] == kind for r in found)
            ok = False
        if not ok:
            assert store.records() == before, "a refused or empty change changed the records"
        still_usable(store)

    example()
    both_ways("records")


def test_settings_keep_plain_choices_and_refuse_the_rest(store):
    @FUZZ
    @given(name=st.sampled_from(["discreet_titles", "x"]), value=st.one_of(st.booleans(), json_data, anything))
    def example(name, value):
        before = load_settings()
        ok, _ = attempt(lambda: save_settings(**{name: value}), value)
        if ok:
            assert load_settings()[name] == json.loads(json.dumps(value))
        else:
            assert load_settings() == before
        still_usable(store)

    example()
    both_ways("settings")


# -- exports: any folder is refused in words or written; learner HTML never becomes HTML ------------

def live_tags(rendered: str) -> list[str]:
    return re.findall(r"<\s*(?:script|img|a\s|iframe|svg)", rendered, flags=re.IGNORECASE)


@given(st.one_of(st.text(), st.sampled_from(HTML + ODD_TEXT)))
@FUZZ
def test_escaped_text_holds_no_live_tag(text):
    assert "<" not in v.html_text(text) and '"' not in v.html_text(text)
    assert not live_tags(v.markdown_text(text))
    assert not live_tags(MarkdownIt("commonmark").enable("table").render(v.markdown_text(text)))


def test_exports_go_where_asked_or_are_refused_in_words_and_never_render_html(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative folder lands here, never in the working tree
    (tmp_path / "a-file").write_text("not a folder")
    for i, text in enumerate(HTML):
        store.add_journal(text, module="m03", prompt=text)
        store.add_checkin("calm", 3, note=text)
        store.add_practice(text[:MAX_LABEL], text[:MAX_LABEL], datetime(2026, 11, 26, tzinfo=UTC), 60, 4)
        store.put_record("plan", f"{text[:70]}{i}", {"what": text, text: [text]})
    md = MarkdownIt("commonmark").enable("table")
    folders = st.one_of(
        st.text(st.characters(exclude_characters="/\\", exclude_categories=["Cs"]), min_size=1, max_size=30).filter(
            lambda name: name.strip(".")),
        st.sampled_from(["", " ", "a-file", "a-file/inside", "n" * 300, "nul\x00name", "\ud800", "ok folder"]),
        st.sampled_from([None, 7, b"bytes", ["x"], True]))

    @FUZZ
    @given(folder=folders)
    def example(folder):
        try:
            paths = store.export(folder)
        except (ValueError, StoreError) as exc:
            disk = isinstance(exc, StoreError)  # names the folder (its end when long), so the learner knows where
            check_refusal(exc, folder, limit=300 if disk else MAX_MESSAGE, shown=80 if disk else SHOWN)
            TALLY["refused"] += 1
            return
        TALLY["kept"] += 1
        json_path, md_path = paths
        data = json.loads(json_path.read_text(encoding="utf-8"))
        assert [e["text"] for e in data["journal"]][:len(HTML)] == HTML  # as typed, in the JSON
        rendered = md.render(md_path.read_text(encoding="utf-8"))
        assert not live_tags(rendered), f"the Markdown export renders learner HTML: {live_tags(rendered)[:3]}"
        for text in HTML:
            assert v.html_text(text) in rendered  # shown as text, whole

    example()
    both_ways("exports")


def test_a_time_when_the_clocks_went_back_keeps_the_moment_meant(store):
    """01:00 came twice in America/Dawson on 29 October 2000 (found by Hypothesis): each is kept as its own moment."""
    from zoneinfo import ZoneInfo

    first = datetime(2000, 10, 29, 1, 0, tzinfo=ZoneInfo("America/Dawson"))
    ids = [store.add_practice("box breathing", "box", when, 60.0, 4) for when in (first, first.replace(fold=1))]
    kept = {row["id"]: row["started_at"] for row in store.practices()}
    assert [kept[i] for i in ids] == [datetime(2000, 10, 29, hour, 0, tzinfo=UTC) for hour in (8, 9)]
