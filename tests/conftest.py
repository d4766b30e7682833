"""Fixtures shared by every test suite.

Real data lives in ``../shared/testdata`` beside the repository (never
copied into it). Tests that need it skip with a reason when it is absent,
and fail when it is absent under ``CI=true``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Headless OpenGL for every test: must be set before anything imports
# OpenGL (pyrender, trimesh's viewer), or rendering breaks process-wide.
os.environ.setdefault("PYOPENGL_PLATFORM", "egl")

REPO = Path(__file__).resolve().parent.parent
TESTDATA = Path(os.environ.get("TRYON_TESTDATA", REPO.parent / "shared" / "testdata"))


def require_testdata(*parts: str) -> Path:
    """The path of a test data file or folder; skip (or fail in CI) if absent."""
    path = TESTDATA.joinpath(*parts)
    if not path.exists():
        message = f"test data {path} is absent (expected ../shared/testdata)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def testdata() -> Path:
    """The shared test data folder."""
    return require_testdata()


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests write pictures for a person to look at (not committed)."""
    path = Path(os.environ.get("TRYON_TEST_OUTPUT", REPO / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture()
def tryon_home(tmp_path, monkeypatch) -> Path:
    """A fresh, empty data directory for one test."""
    home = tmp_path / "tryon-home"
    monkeypatch.setenv("TRYON_HOME", str(home))
    monkeypatch.delenv("TRYON_DATABASE_URL", raising=False)
    return home
