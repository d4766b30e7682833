"""Headless Chromium driven by Playwright, for the web app's browser tests.

Debian's ``/usr/bin/chromium`` is used; Playwright's own browser download
does not work on these machines.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")

BASE_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def fake_camera_args(y4m: Path) -> list[str]:
    """Chromium flags that feed the webcam from a .y4m file."""
    return [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
    ]


@contextmanager
def chromium(extra_args: Sequence[str] = ()) -> Iterator[object]:
    """A Playwright browser; skips the test when Chromium is absent."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent (scripts/setup.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*BASE_ARGS, *extra_args],
        )
        try:
            yield browser
        finally:
            browser.close()


def login(page, url: str, user: str, password: str) -> None:
    """Fill Gradio's login form at ``url`` and wait for the app."""
    page.goto(url, wait_until="load")
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()


def wait_for_outcome(
    page, selector: str, outcomes: Sequence[str], timeout_s: float = 180.0
) -> str:
    """Wait until the element shows one of ``outcomes`` or an error toast.

    Returns:
        The element's text, or the error toast's text.
    """
    import time

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = page.locator(selector).inner_text()
        if any(outcome in text for outcome in outcomes):
            return text
        toast = page.locator(".toast-body")
        if toast.count():
            return "error: " + toast.first.inner_text()
        page.wait_for_timeout(250)
    return page.locator(selector).inner_text()


def block_external(page) -> list[str]:
    """Abort every request that leaves the loopback; returns their URLs.

    The page must work offline: Gradio serves its own assets, and the app
    loads nothing from a CDN.
    """
    from urllib.parse import urlparse

    attempted: list[str] = []

    def route(request_route) -> None:
        url = request_route.request.url
        if urlparse(url).hostname in ("127.0.0.1", "localhost"):
            request_route.continue_()
            return
        attempted.append(url)
        request_route.abort()

    page.route("**/*", route)
    return attempted
