"""tryon: the try-on pipeline and the services around it.

The heavy parts (MediaPipe, OpenGL, torch) load only when used: the names
below that need them are imported on first access.
"""

from __future__ import annotations

from typing import Any

from tryon.errors import InputError, NotFound, TryOnError, is_user_error
from tryon.settings import Settings, load_settings

__all__ = [
    "InputError",
    "NotFound",
    "Settings",
    "TryOnError",
    "TryOnResult",
    "TryOnSession",
    "WebcamState",
    "is_user_error",
    "load_settings",
]

_LAZY = {"TryOnResult", "TryOnSession", "WebcamState"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from tryon import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'tryon' has no attribute {name!r}")
