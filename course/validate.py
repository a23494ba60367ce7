"""One rule per value: every check and escape of learner input, in one place.

The store checks each write with these, and every widget checks what the
browser sends with the same functions, so a value has one rule and one
plain-words message wherever it comes in. Each check returns the value as it
is kept, or raises ValueError with a message a learner can read.

Escaping: learner text is never markup. ``html_text`` makes it inert in HTML;
``markdown_text`` makes it inert (and readable as typed) in Markdown, tables
included; ``fence`` puts a long text in a code fence it cannot close.
"""
from __future__ import annotations

import html
import math
import numbers
import re
from datetime import UTC, datetime

MAX_TEXT = 200_000
"""The longest learner text kept (a journal entry, a note): about 100 pages."""
MAX_LABEL = 80
"""The longest short label: a module id, a pattern name, a record key."""
MAX_NAME = 40
"""The longest partner name."""
MAX_GAUGE = 40
GAUGE_RE = re.compile(r"[a-z]+(?:[_-][a-z]+)*")
DAY_SECONDS = 86_400
MAX_WHOLE = 2 ** 63 - 1
"""The largest whole number kept (SQLite's largest integer): a larger one is refused, never an OverflowError."""
SHOWN = 40
"""At most this many characters of a bad value are shown in a message: enough to recognise it, never a whole text."""
FIRST_MOMENT = datetime(1970, 1, 1, tzinfo=UTC)
END_OF_MOMENTS = datetime(2200, 1, 1, tzinfo=UTC)
"""Times kept are from 1970 to the end of 2199 (UTC): any computer and any time zone can show them."""
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_TIME_OF_DAY = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
"""Practices are kept when they are from 0 seconds to under a day long."""


def shown(value) -> str:
    """A bad value as a message shows it: short, on one line, never a whole long text or a container's contents.

    Numbers, True/False and None as written; text quoted and cut to about SHOWN characters; a very long
    number by its first digits and length; anything else by its kind ("a list").
    """
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, numbers.Integral):
        try:
            digits = str(int(value))
        except ValueError:  # more digits than Python will even write out
            return "a number with thousands of digits"
        return digits if len(digits) <= 20 else f"{digits[:12]}… ({len(digits):,} digits)"
    if isinstance(value, (numbers.Number, str)):
        try:
            written = repr(value) if isinstance(value, str) else str(value)
        except ValueError:
            return f"a {type(value).__name__}"
        if len(written) <= SHOWN:
            return written
        return written[:SHOWN - 2] + "…" + written[0] if isinstance(value, str) else written[:SHOWN - 1] + "…"
    if isinstance(value, datetime):
        return "a date and time"
    article = "an" if type(value).__name__[:1].lower() in "aeiou" else "a"
    return f"{article} {type(value).__name__}"


def whole(value, what: str, low: int, high: int | None = None) -> int:
    """A whole number from `low` to `high` (inclusive), at most MAX_WHOLE; booleans are not numbers here."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    top = MAX_WHOLE if high is None else min(high, MAX_WHOLE)
    if ok and low <= value <= top:
        return int(value)
    if ok and high is None and value > top:
        raise ValueError(f"{what} is too large; got {shown(value)}.")
    span = f"from {low} to {high}" if high is not None else f"of {low} or more"
    raise ValueError(f"{what} must be a whole number {span}; got {shown(value)}.")


def rating(value, what: str = "A rating", optional: bool = False) -> int | None:
    """A 0-10 rating: a personal gauge, never a score. `optional` allows None (skipped)."""
    if optional and value is None:
        return None
    try:
        return whole(value, what, 0, 10)
    except ValueError:
        skipped = ", or skipped" if optional else ""
        raise ValueError(f"{what} must be a whole number from 0 to 10{skipped}; got {shown(value)}.") from None


def text(value, what: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    """Text kept exactly as typed. None is allowed unless `required`; empty counts as missing then."""
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{what} must be text; got {type(value).__name__}.")
    if required and not value.strip():
        raise ValueError(f"{what} is empty; write something first.")
    if len(value) > limit:
        raise ValueError(f"{what} is too long: {len(value):,} characters (at most {limit:,}).")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} contains characters that cannot be saved.") from None
    return value


def words(value, what: str, limit: int = MAX_TEXT) -> str:
    """Required text (never None)."""
    return text(value, what, required=True, limit=limit)  # type: ignore[return-value]


def line(value, what: str, limit: int = MAX_LABEL) -> str:
    """Required text on one line (a name, a list item): line breaks are refused."""
    value = words(value, what, limit)
    if "\n" in value or "\r" in value:
        raise ValueError(f"{what} must fit on one line; take out the line break.")
    return value


def label(value, what: str) -> str:
    """A short required label (module id, pattern name, record key)."""
    return words(value, what, MAX_LABEL)


def gauge(value) -> str:
    """A gauge or record-kind name: a short lowercase word such as 'calm'."""
    if isinstance(value, str) and len(value) <= MAX_GAUGE and GAUGE_RE.fullmatch(value):
        return value
    raise ValueError("A gauge name must be a short lowercase word such as 'calm' "
                     f"(letters a-z, at most {MAX_GAUGE}); got {shown(value)}.")


def flag(value, what: str) -> bool:
    """True or False, and nothing else (not 1, not "false")."""
    if isinstance(value, bool):
        return value
    raise ValueError(f"{what} must be true or false; got {shown(value)}.")


def index(value, what: str, count: int) -> int:
    """The number of an existing item: a whole number from 0 to count - 1."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < count:
        raise ValueError(f"There is no {what} number {shown(value)}.")
    return value


def choice(value, options, what: str):
    """One of `options` (the same type too: 1 is not True)."""
    if any(value == option and type(value) is type(option) for option in options):
        return value
    raise ValueError(f"{what} must be one of {', '.join(map(str, options))}; got {shown(value)}.")


def partners(value) -> list[str]:
    """One name (the solo version) or two (a couple); each 1-40 characters, all different."""
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or len(value) not in (1, 2):
        raise ValueError('Give one name for the solo version, like ("Me",), or two for a couple.')
    for name in value:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise ValueError(f"Each name must be 1 to {MAX_NAME} characters; got {shown(name)}.")
    if len(set(value)) != len(value):
        raise ValueError("The two names must be different, so each of you has your own box.")
    return list(value)


def moment(value, what: str = "The time") -> datetime:
    """A point in time, aware of its zone: a datetime, or ISO 8601 text as the browser sends it.

    A time without a zone is taken as this computer's local time. Times before 1970 or after 2199
    (in UTC), and zones that give no offset a computer can use, are refused in plain words.
    """
    if isinstance(value, str):
        try:
            if not _DATE_TIME.match(value):  # a date alone is a day, not a moment
                raise ValueError
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"{what} {shown(value)} is not a date and time.") from None
    if not isinstance(value, datetime):
        raise ValueError(f"{what} must be a date and time; got {shown(value)}.")
    try:
        aware = value if value.utcoffset() is not None else value.replace(tzinfo=None).astimezone()
        in_range = FIRST_MOMENT <= aware.astimezone(UTC) < END_OF_MOMENTS
    except (ArithmeticError, ValueError, TypeError, OSError):  # year 1 or 9999 moved across a zone, an odd zone
        in_range = False
    if not in_range:
        raise ValueError(f"{what} must be a date from 1970 to 2199 with a usable time zone.")
    return aware


def time_of_day(value, what: str = "The time") -> str:
    """A time of day as HH:MM (24-hour, as a browser's time box sends it), or "" for none."""
    if value is None or value == "":
        return ""
    found = _TIME_OF_DAY.fullmatch(value.strip()) if isinstance(value, str) else None
    if not found:
        raise ValueError(f"{what} must be a time of day, like 19:30; got {shown(value)}.")
    return f"{int(found[1]):02d}:{found[2]}"


def utc_text(value, what: str = "The time") -> str:
    """A time as the store keeps it: ISO 8601 in UTC, to the microsecond."""
    return moment(value, what).astimezone(UTC).isoformat(timespec="microseconds")


def now_text() -> str:
    return utc_text(datetime.now(UTC))


def seconds(value, what: str = "A practice length") -> float:
    """A practice's length in seconds: from 0 to under a day (a practice stopped at once is 0)."""
    try:
        number = float(value) if isinstance(value, numbers.Real) and not isinstance(value, bool) else math.nan
    except (ArithmeticError, ValueError):  # a whole number too large for a float
        number = math.nan
    if math.isfinite(number) and 0 <= number < DAY_SECONDS:
        return number
    raise ValueError(f"{what} must be from 0 seconds to under 24 hours; got {shown(value)}.")


# -- data files
def yaml_data(source: str):
    """The data of a YAML text; ValueError saying where it breaks ("not valid YAML at line 3: ...")."""
    import yaml

    try:
        return yaml.safe_load(source)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark else ""
        problem = f": {exc.problem}" if getattr(exc, "problem", None) else ""
        raise ValueError(f"not valid YAML{at}{problem}") from None


# -- escaping: learner text is never markup
def html_text(value: str) -> str:
    """Text made inert in HTML (quotes too, so it is safe inside an attribute)."""
    return html.escape(value, quote=True)


# Backslash-escaped: everything that can start a link, image, emphasis, code, table cell, heading,
# role, math or footnote, and the "." ":" "@" that let a renderer turn a bare address into a link.
# At the very start, also "-", "+" and "=" (a list or a rule), and leading spaces become character
# references, so they cannot start a code block. (Line breaks become <br>: the text is one line.)
_MD_SPECIAL = re.compile(r"([\\`*_\[\](){}#!|~:.@$^])")
_MD_LEADING = re.compile(r"^([-+=])")
_LEADING_SPACE = re.compile(r"^[ \t]+")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def markdown_text(value: str) -> str:
    """Text made inert in Markdown, table cells included: HTML-escaped (& < >), Markdown
    punctuation backslash-escaped, line breaks as <br>. Rendered, it reads exactly as typed."""
    value = _MD_LEADING.sub(r"\\\1", _MD_SPECIAL.sub(r"\\\1", html.escape(value, quote=False)))
    value = _LEADING_SPACE.sub(lambda m: m[0].replace(" ", "&#32;").replace("\t", "&#9;"), value)
    return _LINE_BREAK.sub("<br>", value)


def fence(value: str) -> str:
    """A code fence longer than any run of backticks in the text, so the text cannot close it."""
    marks = "`" * max(3, 1 + max(map(len, re.findall("`+", value)), default=0))
    return f"{marks}text\n{value}\n{marks}"
