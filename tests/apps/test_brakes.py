"""Module 2's accelerators-and-brakes explorer, used as a learner would."""
import re

import pytest
from playwright.sync_api import expect

from tests.apps.conftest import open_module

pytestmark = pytest.mark.browser
MODULE = "02-how-sexual-response-works"


def test_pick_weigh_add_and_see_the_situation_add_up(voila_url, offline_page, learner_store):
    page = open_module(offline_page, voila_url, MODULE)
    widget = page.locator(".sg-brakes").first
    expect(widget).to_be_visible(timeout=30_000)
    # Nothing ticked yet: no chart to show, so no broken image, just the sentence saying what to do.
    expect(widget.locator(".sg-brakes-chart img")).to_be_hidden()
    widget.get_by_role("checkbox", name="Feeling close").first.check()
    widget.get_by_role("checkbox", name="Stress").first.check()
    own = "<b>Phone</b> buzzing 📱 שלום"
    widget.get_by_label("Add your own brake").fill(own)
    widget.locator("button", has_text="Add").nth(1).click()
    # The learner's own words show as text, never as markup.
    expect(widget.get_by_text(own, exact=True).first).to_be_visible(timeout=10_000)
    assert widget.locator("b").count() == 0
    # Situation: both brakes present, the accelerator not.
    situation = widget.locator("fieldset").filter(has_text="Think of one situation")
    situation.get_by_label("Stress").check()
    situation.get_by_label(own).check()
    chart = widget.locator("figure img")
    expect(chart).to_have_attribute("alt", re.compile("brake", re.I), timeout=15_000)
    expect(widget).to_contain_text("your brakes weigh more than your accelerators", timeout=10_000)
    widget.get_by_role("button", name="Save my lists").click()
    expect(widget.get_by_role("status")).to_contain_text("Saved", timeout=10_000)
    saved = learner_store.get_record("brakes-accelerators", "mine")
    texts = {item["text"] for item in saved["items"]}
    assert {"Feeling close", "Stress", own} <= texts
    assert set(saved["situation"]) == {"Stress", own}
