"""Without a usable OpenGL platform the renderer says what to install."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import render
try:
    render.Renderer(8, 8)
except render.RenderError as error:
    print(error)
"""


def test_an_unusable_platform_gives_a_render_error_that_says_what_to_do():
    environment = dict(os.environ, PYOPENGL_PLATFORM="no-such-platform")

    finished = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    message = finished.stdout.strip()
    assert message.startswith(
        "no OpenGL context through PYOPENGL_PLATFORM='no-such-platform' ("
    )
    assert message.endswith(
        "install Mesa's EGL (libegl1, libegl-mesa0, libgl1-mesa-dri) and set it "
        "to 'egl' before anything imports OpenGL"
    )
