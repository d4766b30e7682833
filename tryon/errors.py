"""Errors of the tryon layer.

Convention shared by every package (``pose``, ``garments``, ``render``,
``tryon``): an exception that is the user's to fix (bad file, nobody in
the photo, unknown garment) carries the class attribute
``user_error = True`` and a one-line message that says what was wrong
and what to do. The command line turns those into exit status 2 and the
web app into a message; anything else is a bug (exit status 1).
"""

from __future__ import annotations

__all__ = ["TryOnError", "InputError", "NotFound", "is_user_error"]


class TryOnError(Exception):
    """Base of the errors raised by the ``tryon`` package."""

    user_error = False


class InputError(TryOnError):
    """The input is not usable; the message says what to do."""

    user_error = True


class NotFound(InputError):
    """A garment, shopper or order that does not exist."""


def is_user_error(error: BaseException) -> bool:
    """Whether ``error`` is the user's to fix (see the module docstring)."""
    return bool(getattr(error, "user_error", False))
