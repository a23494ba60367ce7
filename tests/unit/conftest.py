"""Unit tests never touch the learner's real data folder."""
import pytest


@pytest.fixture(autouse=True)
def steady_ground_home(tmp_path, monkeypatch):
    """Point STEADY_GROUND_HOME at a fresh temporary folder for every test."""
    monkeypatch.setenv("STEADY_GROUND_HOME", str(tmp_path))
    return tmp_path
