"""Live mode in a real browser with a fake camera fed from the test video."""

from __future__ import annotations

import time

import pytest

from tests.conftest import require_testdata
from tests.ui.browser import chromium, fake_camera_args, wait_for_outcome
from tests.ui.camera import write_still_y4m, write_y4m

pytestmark = pytest.mark.browser

FIRST_FRAME_TIMEOUT_MS = 120_000
WATCH_S = 12.0


def _output_src(page) -> str | None:
    image = page.locator("#live-output img")
    if image.count() == 0:
        return None
    return image.first.get_attribute("src")


def test_live_webcam_shows_processed_frames(live_server, tmp_path, output_dir):
    video = require_testdata("video", "street_walk.mp4")
    y4m = write_y4m(video, tmp_path / "street_walk.y4m")
    with chromium(fake_camera_args(y4m)) as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(live_server.url + "/", wait_until="load")
        page.get_by_role("tab", name="Live").click()
        page.locator("#live-input").click()
        page.locator("#live-input").get_by_text("Record").click()
        page.locator("#live-output img").wait_for(timeout=FIRST_FRAME_TIMEOUT_MS)

        # Count distinct frames shown by the output over a few seconds.
        seen, start = {_output_src(page)}, time.monotonic()
        while time.monotonic() - start < WATCH_S:
            seen.add(_output_src(page))
            page.wait_for_timeout(50)
        page.screenshot(path=str(output_dir / "ui_shopper_live.png"), full_page=True)
    frames = len(seen - {None})
    print(f"live mode: {frames} distinct frames in {WATCH_S:.0f} s")
    # Each frame is a pose update, a re-skin, solver steps and a render.
    assert frames >= 2


def test_webcam_snapshot_is_tried_on(live_server, tmp_path, output_dir):
    # A camera that shows the skier, so that any snapshot has a person in it.
    photo = require_testdata("photos", "coco", "000000000785.jpg")
    y4m = write_still_y4m(photo, tmp_path / "skier.y4m")
    with chromium(fake_camera_args(y4m)) as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(live_server.url + "/", wait_until="load")
        page.get_by_role("tab", name="Webcam snapshot").click()
        page.locator("#snapshot").click()
        page.locator("#snapshot button.capture-button").click()
        text = wait_for_outcome(page, "#fit-report", ("suits you best", "measured"))
        page.screenshot(
            path=str(output_dir / "ui_shopper_snapshot.png"), full_page=True
        )
    assert "suits you best" in text or "measured" in text, text
