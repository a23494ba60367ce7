"""The repair sequence (module 8): steps, the gentle excuse check, saved plans, printing.

A saved plan is ``{"name": str, "answers": {step id: text}}`` under the record kind
``repair-plan``; text is kept exactly as typed and escaped only when shown.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

from course import validate
from widgets.base import page_css

KIND = "repair-plan"
MAX_NAME, MAX_ANSWER = 60, 20_000
PRINT_CSS = Path(__file__).with_name("print.css")
"""The printable page's own style (after the palette, widgets/palette.css)."""
DEFAULT_NAME = "My repair plan"

# Each step: id, title, a short explanation, then "instead of ..., try ..." pairs.
_STEPS = (
    ("acknowledge", "1. Say what happened",
     "Name what you did, plainly, as a fact. Do not make it bigger or smaller than it was.",
     ("Things got a bit messy last week.", "I said I would be home by 7, and I came home at 10."),
     ("Mistakes were made.", "I read your messages without asking you.")),
    ("apologise", "2. Say sorry for the impact",
     "Say sorry for how it affected the other person. Leave out reasons and excuses for now. "
     "They can wait for another talk.",
     ("I'm sorry you feel that way.", "I'm sorry I didn't call. I can see it scared you."),
     ("I was late because traffic was bad, but...", "I was late and didn't tell you. That broke what I said I'd do.")),
    ("ask", "3. Ask how it was for them",
     "Ask, then listen without interrupting. Say back what you heard, even if you see it differently. "
     "You do not have to agree to understand.",
     ("Can we move on now?", "How was this for you? I want to hear it, and I won't argue."),
     ("You're overreacting.", "What I hear is that you felt alone. Did I get that right?")),
    ("adjust", "4. Say what you will do differently",
     "Name one small, clear change you can keep. Small promises that are kept rebuild trust more than big ones.",
     ("It won't happen again.", "If I'm running late, I'll text you before the time we agreed."),
     ("I'll try to be better.", "I'll tell you the same day if they contact me.")),
)
STEPS = tuple({"id": step_id, "title": title, "explain": explain, "examples": [list(pair) for pair in pairs]}
              for step_id, title, explain, *pairs in _STEPS)
"""The four steps as the page gets them: id, title, explain, examples ([instead, try] pairs)."""
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


def check_step(step) -> str:
    """One of the four step ids."""
    return validate.choice(step, STEP_IDS, "A step")


def check_name(name) -> str:
    """A plan's name: text of at most 60 characters on one line, kept as typed (may be empty)."""
    name = validate.text(name, "A plan's name", required=False, limit=MAX_NAME) or ""
    if any(unicodedata.category(c) == "Cc" for c in name):  # it names the plan in the list and the key
        raise ValueError("A plan's name must be one line of ordinary text.")
    return name


def check_answers(answers) -> dict[str, str]:
    """One text per step (missing steps are empty), kept exactly as typed."""
    if not isinstance(answers, dict) or not set(answers) <= set(STEP_IDS):
        raise ValueError(f"A plan has the steps {', '.join(STEP_IDS)}; got {answers!r:.80}.")
    return {step: validate.text(answers.get(step, ""), "What you write in a step", limit=MAX_ANSWER) or ""
            for step in STEP_IDS}


def check_plan(data) -> dict:
    """A whole saved plan, checked as on save; raises ValueError."""
    if not isinstance(data, dict):
        raise ValueError("This saved plan is not in the expected form.")
    return {"name": check_name(data.get("name", "")), "answers": check_answers(data.get("answers", {}))}


def read_plan(data) -> tuple[dict, bool]:
    """A saved plan as far as it can be read, and whether all of it was: a part of another shape
    (a name or a step that is not text, a field this version does not write) is left out."""
    try:
        if not isinstance(data, dict) or set(data) != {"name", "answers"}:
            raise ValueError
        plan = check_plan(data)
        if plan == data:
            return plan, True
    except ValueError:
        pass
    data = data if isinstance(data, dict) else {}
    answers = data.get("answers") if isinstance(data.get("answers"), dict) else {}
    name = data.get("name")
    try:
        name = check_name(name)
    except ValueError:
        name = ""
    texts = {step: answers[step] if isinstance(answers.get(step), str) and len(answers[step]) <= MAX_ANSWER else ""
             for step in STEP_IDS}
    return {"name": name, "answers": texts}, False


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


def to_markdown(plan: dict) -> str:
    """The plan as Markdown: headings, the short explanations, the learner's text escaped."""
    lines = [f"# Repair plan: {validate.markdown_text(title_of(plan))}", ""]
    for step in STEPS:
        text = plan["answers"].get(step["id"], "")
        lines += [f"## {step['title']}", "", f"_{step['explain']}_", "",
                  validate.markdown_text(text) if text.strip() else "_(not filled in)_", ""]
    return "\n".join(lines)


def to_html(plan: dict) -> str:
    """A standalone, printable HTML page; learner text is escaped and shown as typed.

    Its style is the palette then print.css, inside the page: a saved file keeps its look.
    """
    title = validate.html_text(title_of(plan))
    parts = ["<!doctype html>", '<html lang="en"><head><meta charset="utf-8">',
             f"<title>Repair plan: {title}</title><style>{page_css(PRINT_CSS)}</style></head>",
             '<body><main class="sg-widget sg-repair-print">',
             f'<h1>Repair plan: <span dir="auto">{title}</span></h1>',
             '<p class="tip">To print or save as PDF, use your browser\'s Print command (Ctrl+P, or ⌘P on a Mac).</p>']
    for step in STEPS:
        text = plan["answers"].get(step["id"], "")
        body = (f'<p class="answer" dir="auto">{validate.html_text(text)}</p>' if text.strip()
                else '<p class="explain">(not filled in)</p>')
        parts += [f"<h2>{validate.html_text(step['title'])}</h2>",
                  f'<p class="explain">{validate.html_text(step["explain"])}</p>', body]
    parts.append("</main></body></html>")
    return "\n".join(parts)
