"""Test helpers: take the private check for two as two partners would."""
from __future__ import annotations

import json

from course.gate import CouplesGate, page_gate

CLEAR = {"tension": "some", "arguments": "some-difficulty", "harmed": "no", "afraid": "no"}
CONCERN = {**CLEAR, "afraid": "sometimes"}


def take_check(first: dict | None, second: dict | None, gate: CouplesGate | None = None) -> bool:
    """Partner 1 then partner 2 answer (None = "not today"); True when couples exercises open.

    ``gate``: the gate to play on; by default the page's (``course.gate.page_gate()``), which is
    the gate a widget made without ``gate=`` answers to.
    """
    check = (gate or page_gate()).begin_check()
    check.answer(first)
    check.answer(second)
    return check.finish()


def open_gate(gate: CouplesGate | None = None) -> None:
    assert take_check(CLEAR, CLEAR, gate)


def close_gate(gate: CouplesGate | None = None) -> None:
    """A check in which one partner answered with a concern."""
    assert not take_check(CONCERN, CLEAR, gate)


class FakeStore:
    """The device's records in a dict: fast enough to play every pair of answers."""

    def __init__(self, records):
        self.records = records

    def __enter__(self):
        return self

    def __exit__(self, *_):
        return None

    def get_record(self, kind, key):
        return self.records.get((kind, key))

    def put_record(self, kind, key, data):
        self.records[(kind, key)] = json.loads(json.dumps(data))

    def swap_record(self, kind, key, expect, data):
        if self.records.get((kind, key)) != expect:
            return False
        self.put_record(kind, key, data)
        return True
