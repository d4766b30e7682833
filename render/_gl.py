"""Lazy import of pyrender on a headless OpenGL platform."""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["import_pyrender"]


def import_pyrender() -> ModuleType:
    """Import pyrender, choosing EGL (headless) unless told otherwise.

    PyOpenGL reads ``PYOPENGL_PLATFORM`` once, on its first import, so the
    default has to be set before anything imports OpenGL.
    """
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    import pyrender  # noqa: PLC0415

    return pyrender
