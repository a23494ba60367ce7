"""Test helpers: talk to a widget as its page does, through the one dispatcher of widgets/base.py."""
from __future__ import annotations

import itertools

_ids = itertools.count(1)


def sent(widget) -> list:
    """Capture what the widget sends to the page (replies, gate lines); returns the growing list."""
    out: list = []
    widget.send = lambda content, buffers=None: out.append(content)
    return out


def command(widget, name: str, /, **args) -> dict:
    """Send one request as widgets/lib/core.js request() does; return the reply's `response`.

    Goes through the widget's real message handler, so the reply is the one the page gets.
    """
    replies: list = []
    before = widget.send
    widget.send = lambda content, buffers=None: replies.append(content)
    try:
        ref = f"req-{next(_ids)}"
        widget._on_custom_msg(widget, {"kind": "anywidget-command", "id": ref, "name": name, "msg": args}, [])
    finally:
        widget.send = before
    answers = [r for r in replies if r.get("kind") == "anywidget-command-response"]
    assert len(answers) == 1 and answers[0]["id"] == ref, f"expected one reply to {ref}, got {replies}"
    for other in replies:  # other messages (a gate line) still reach whoever listened before
        if other is not answers[0]:
            before(other)
    return answers[0]["response"]
