"""The private safety check's result opens or closes the couples exercises."""
import pytest

from course.safety import CouplesGate
from course.store import open_store


@pytest.fixture
def gate():
    return CouplesGate()


def test_closed_until_the_check_is_done(gate):
    assert gate.state == "unchecked" and not gate.allows_couples()


def test_clear_opens_and_concern_closes(gate):
    gate.set("clear")
    assert gate.allows_couples()
    gate.set("concern")
    assert not gate.allows_couples()


def test_nothing_is_stored_unless_the_learner_chooses(gate):
    gate.set("concern")
    with open_store() as store:
        assert store.records() == []
    assert CouplesGate().state == "unchecked"  # a new page does not know


def test_a_remembered_result_carries_to_the_next_page_without_the_answers(gate):
    gate.set("clear", remember=True)
    with open_store() as store:
        assert store.get_record("safety-check", "latest") == {"result": "clear"}
    assert CouplesGate().allows_couples()
    gate.set("concern", remember=False)  # choosing not to store also forgets the old result
    assert CouplesGate().state == "unchecked"


def test_widgets_hear_the_change(gate):
    heard = []
    gate.observe(heard.append)
    gate.set("clear")
    gate.set("concern")
    assert heard == ["clear", "concern"]


def test_bad_result_is_refused(gate):
    with pytest.raises(ValueError, match="must be one of"):
        gate.set("maybe")
    assert gate.state == "unchecked"


def test_an_unreadable_store_never_opens_the_gate(tmp_path, monkeypatch):
    bad = tmp_path / "home"
    bad.mkdir()
    (bad / "steady-ground.sqlite3").write_bytes(b"not a database" * 100)
    monkeypatch.setenv("STEADY_GROUND_HOME", str(bad))
    assert CouplesGate().state == "unchecked"
