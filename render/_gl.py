"""Lazy import of pyrender on a headless OpenGL platform."""

from __future__ import annotations

import os
from types import ModuleType

__all__ = ["import_pyrender", "release_offscreen"]


def import_pyrender() -> ModuleType:
    """Import pyrender, choosing EGL (headless) unless told otherwise.

    PyOpenGL reads ``PYOPENGL_PLATFORM`` once, on its first import, so the
    default has to be set before anything imports OpenGL.
    """
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    import pyrender  # noqa: PLC0415

    return pyrender


def release_offscreen(offscreen: object) -> None:
    """Free a pyrender OffscreenRenderer without ending EGL for the process.

    pyrender's own ``delete()`` calls ``eglTerminate`` on the EGL display,
    which is one per process: every other renderer's context dies with it.
    Here the renderer's GL objects and its context are released and the
    display is left initialised.

    Args:
        offscreen: a ``pyrender.OffscreenRenderer``, used on this thread.
    """
    platform = offscreen._platform  # noqa: SLF001  (pyrender has no API)
    platform.make_current()
    offscreen._renderer.delete()  # noqa: SLF001
    display = getattr(platform, "_egl_display", None)
    context = getattr(platform, "_egl_context", None)
    if display is not None and context is not None:
        from OpenGL import EGL  # noqa: PLC0415

        EGL.eglMakeCurrent(
            display, EGL.EGL_NO_SURFACE, EGL.EGL_NO_SURFACE, EGL.EGL_NO_CONTEXT
        )
        EGL.eglDestroyContext(display, context)
        platform._egl_context = None  # noqa: SLF001
        platform._egl_display = None  # noqa: SLF001
    else:
        platform.delete_context()
    offscreen._renderer = None  # noqa: SLF001
    offscreen._platform = None  # noqa: SLF001
