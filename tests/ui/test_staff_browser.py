"""The merchandiser's and analyst's pages in a real browser, after login."""

from __future__ import annotations

import pytest

from tests.conftest import require_testdata
from tests.ui.browser import block_external, chromium, login, wait_for_outcome

pytestmark = pytest.mark.browser

PAGE_TIMEOUT_MS = 60_000


def test_merchant_imports_a_makehuman_garment(live_server, output_dir):
    mesh = require_testdata("garments", "makehuman", "male_casualsuit04.obj")
    user, password = live_server.login("merchant")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1500, "height": 1200})
        login(page, live_server.url + "/merchant/", user, password)
        page.locator("#mesh-upload input[type=file]").set_input_files(str(mesh))
        page.locator("#import-button").click()
        text = wait_for_outcome(page, "#import-summary", ("imported as", "refused"))
        if "imported as" in text:
            page.locator("#preview-3d canvas").wait_for(timeout=PAGE_TIMEOUT_MS)
            page.wait_for_timeout(4000)
        page.screenshot(path=str(output_dir / "ui_merchant.png"), full_page=True)
    assert "imported as" in text, text
    # The importer splits the outfit into its parts; each gets a preview.
    assert "male-casualsuit04" in text
    previews = list((live_server.home / "output" / "previews").glob("male-casual*.glb"))
    assert previews, "no GLB preview of the imported garment was written"


def test_analyst_sees_charts_over_simulated_traffic(live_server, output_dir):
    user, password = live_server.login("analyst")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1500, "height": 1400})
        external = block_external(page)
        login(page, live_server.url + "/analyst/", user, password)
        figures = page.locator("#key-figures")
        figures.get_by_text("return rate").wait_for(timeout=PAGE_TIMEOUT_MS)
        page.locator("#by-garment canvas, #by-garment svg").first.wait_for(
            timeout=PAGE_TIMEOUT_MS
        )
        page.wait_for_timeout(1500)
        text = figures.inner_text()
        page.screenshot(path=str(output_dir / "ui_analyst.png"), full_page=True)
        csv_link = page.locator("#csv-export a").first.get_attribute("href")
    assert external == [], f"the page asked for {external}"
    assert "Synthetic data" in text
    assert csv_link and csv_link.endswith(".csv")
