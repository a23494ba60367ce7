"""The repair sequence (module 8): steps, the gentle excuse check, saved plans, printing.

A saved plan is ``{"name": str, "answers": {step id: text}}`` under the record kind
``repair-plan``; text is kept exactly as typed and escaped only when shown.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from course.store import escape_text

KIND = "repair-plan"
MAX_NAME, MAX_ANSWER = 60, 20_000
DEFAULT_NAME = "My repair plan"

STEPS = (
    {"id": "acknowledge", "title": "1. Say what happened",
     "explain": "Name what you did, plainly, as a fact. Do not make it bigger or smaller than it was.",
     "examples": [["Things got a bit messy last week.", "I said I would be home by 7, and I came home at 10."],
                  ["Mistakes were made.", "I read your messages without asking you."]]},
    {"id": "apologise", "title": "2. Say sorry for the impact",
     "explain": "Say sorry for how it affected the other person. Leave out reasons and excuses for now. "
                "They can wait for another talk.",
     "examples": [["I'm sorry you feel that way.", "I'm sorry I didn't call. I can see it scared you."],
                  ["I was late because traffic was bad, but...",
                   "I was late and didn't tell you. That broke what I said I'd do."]]},
    {"id": "ask", "title": "3. Ask how it was for them",
     "explain": "Ask, then listen without interrupting. Say back what you heard, even if you see it "
                "differently. You do not have to agree to understand.",
     "examples": [["Can we move on now?", "How was this for you? I want to hear it, and I won't argue."],
                  ["You're overreacting.", "What I hear is that you felt alone. Did I get that right?"]]},
    {"id": "adjust", "title": "4. Say what you will do differently",
     "explain": "Name one small, clear change you can keep. Small promises that are kept rebuild trust "
                "more than big ones.",
     "examples": [["It won't happen again.", "If I'm running late, I'll text you before the time we agreed."],
                  ["I'll try to be better.", "I'll tell you the same day if they contact me."]]},
)
STEP_IDS = tuple(step["id"] for step in STEPS)

# The apology step only. Each pattern pairs with a kind hint: a suggestion, never a block.
EXCUSES = (
    (re.compile(r"\bbut\b", re.I), "Try leaving out the “but”. The part after it often sounds like an excuse."),
    (re.compile(r"\bif\s+you\b", re.I), "“If you…” can sound as if the hurt is in doubt. "
                                        "Try naming what you did instead."),
    (re.compile(r"\byou\s+made\s+me\b", re.I), "“You made me…” puts the cause on the other person. "
                                               "Try starting with “I”."),
    (re.compile(r"\bjust\b", re.I), "“Just” can make what happened sound small. Try it without that word."),
)


def excuse_hints(text: str) -> list[str]:
    """Kind hints for excuse words in an apology; an empty list when there are none."""
    plain = unicodedata.normalize("NFKC", text or "").replace("’", "'")
    return [hint for pattern, hint in EXCUSES if pattern.search(plain)]


def check_name(name) -> str:
    """A plan's name: one line of at most 60 characters, kept as typed (may be empty)."""
    if not isinstance(name, str):
        raise ValueError(f"A plan's name must be text; got {type(name).__name__}.")
    if len(name) > MAX_NAME:
        raise ValueError(f"A plan's name can be at most {MAX_NAME} characters; this one has {len(name)}.")
    if any(unicodedata.category(c) in ("Cc", "Cs") for c in name):
        raise ValueError("A plan's name must be one line of ordinary text.")
    return name


def check_answers(answers) -> dict[str, str]:
    """One text per step (missing steps are empty), kept exactly as typed."""
    if not isinstance(answers, dict) or not set(answers) <= set(STEP_IDS):
        raise ValueError(f"A plan has the steps {', '.join(STEP_IDS)}; got {answers!r:.80}.")
    clean = {}
    for step in STEP_IDS:
        text = answers.get(step, "")
        if not isinstance(text, str):
            raise ValueError(f"What you write in a step must be text; got {type(text).__name__}.")
        if len(text) > MAX_ANSWER:
            raise ValueError(f"A step can hold at most {MAX_ANSWER:,} characters; this one has {len(text):,}.")
        clean[step] = text
    return clean


def check_plan(data) -> dict:
    """A whole saved plan, checked as on save; raises ValueError."""
    if not isinstance(data, dict):
        raise ValueError("This saved plan is not in the expected form.")
    return {"name": check_name(data.get("name", "")), "answers": check_answers(data.get("answers", {}))}


def new_key(name: str, today: date, taken: set[str]) -> str:
    """A key that names the plan and its day, e.g. "Missed call · 2026-11-22 (2)"."""
    base = f"{name.strip() or DEFAULT_NAME} · {today.isoformat()}"
    key, n = base, 1
    while key in taken:
        n += 1
        key = f"{base} ({n})"
    return key


def title_of(plan: dict) -> str:
    return plan["name"].strip() or DEFAULT_NAME


_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|~!])")
_MD_LINE_START = re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))", re.M)


def md_escape(text: str) -> str:
    """Learner text that Markdown shows as typed: HTML and Markdown syntax escaped, lines kept."""
    text = _MD_SPECIAL.sub(r"\\\1", escape_text(text))
    text = _MD_LINE_START.sub(lambda m: m.group(1) + (f"\\{m[2]}" if m[2] else f"{m[3]}\\{m[4]}"), text)
    return "  \n".join(text.replace("\r\n", "\n").split("\n"))


def to_markdown(plan: dict) -> str:
    """The plan as Markdown: headings, the short explanations, the learner's text escaped."""
    lines = [f"# Repair plan: {md_escape(title_of(plan))}", ""]
    for step in STEPS:
        text = plan["answers"].get(step["id"], "")
        lines += [f"## {step['title']}", "", f"_{step['explain']}_", "",
                  md_escape(text) if text.strip() else "_(not filled in)_", ""]
    return "\n".join(lines)


PRINT_CSS = ("body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;"
             "color:#1f2a30;line-height:1.5}h2{font-size:1.1rem;margin-top:1.5rem}"
             ".explain{color:#4a5a63}.answer{white-space:pre-wrap;border-left:4px solid #1d5f5a;"
             "padding-left:.75rem}@media print{.tip{display:none}}")


def to_html(plan: dict) -> str:
    """A standalone, printable HTML page; learner text is escaped and shown as typed."""
    title = escape_text(title_of(plan))
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>Repair plan: {title}</title><style>{PRINT_CSS}</style></head><body><main>",
             f'<h1>Repair plan: <span dir="auto">{title}</span></h1>',
             '<p class="tip">To print or save as PDF, use your browser\'s Print command (Ctrl+P, or ⌘P on a Mac).</p>']
    for step in STEPS:
        text = plan["answers"].get(step["id"], "")
        body = (f'<p class="answer" dir="auto">{escape_text(text)}</p>' if text.strip()
                else '<p class="explain">(not filled in)</p>')
        parts += [f"<h2>{escape_text(step['title'])}</h2>",
                  f'<p class="explain">{escape_text(step["explain"])}</p>', body]
    parts.append("</main></body></html>")
    return "\n".join(parts)
