"""The shopper's page in a real browser: photo upload and the live webcam."""

from __future__ import annotations

import pytest

from tests.conftest import require_testdata
from tests.ui.browser import block_external, chromium, wait_for_outcome

pytestmark = pytest.mark.browser

# Long enough for a cold start of pose estimation and the try-on on two
# shared cores; the page shows its result as soon as it is ready.
RESULT_TIMEOUT_MS = 120_000


def test_photo_upload_shows_a_picture_and_a_report(live_server, output_dir):
    photo = require_testdata("photos", "coco", "000000000785.jpg")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        external = block_external(page)
        page.goto(live_server.url + "/", wait_until="load")
        page.locator("#photo-upload input[type=file]").set_input_files(str(photo))
        text = wait_for_outcome(page, "#fit-report", ("suits you best", "measured"))
        picture = page.locator("#result-picture img")
        tried_on = picture.get_attribute("src")
        page.screenshot(path=str(output_dir / "ui_shopper_photo.png"), full_page=True)
        if "suits you best" in text:
            page.locator("#view-toggle").get_by_text("Fit map").click()
            page.wait_for_function(
                "src => document.querySelector('#result-picture img').src != src",
                arg=tried_on,
                timeout=RESULT_TIMEOUT_MS,
            )
            page.screenshot(path=str(output_dir / "ui_shopper_fit_map.png"))
    assert external == [], f"the page asked for {external}"
    assert tried_on
    if "not available yet" in text:
        # Pose alone: the measurements table.
        assert "chest" in text and "height" in text
    else:
        assert "suits you best" in text and "Fit score" in text


def test_example_photo_of_the_mannequin_is_tried_on(live_server, output_dir):
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(live_server.url + "/", wait_until="load")
        thumbnails = page.locator("#example-photos button img")
        thumbnails.first.wait_for(timeout=RESULT_TIMEOUT_MS)
        assert thumbnails.count() >= 4  # the astronaut and the mannequins
        thumbnails.nth(1).click()  # the first mannequin, whole body in view
        text = wait_for_outcome(page, "#fit-report", ("suits you best", "measured"))
        page.locator("#result-picture img").wait_for(timeout=RESULT_TIMEOUT_MS)
        page.wait_for_timeout(1000)
        page.screenshot(path=str(output_dir / "ui_shopper_example.png"), full_page=True)
    assert "suits you best" in text or "measured" in text, text
