"""Errors of the body package (see ``tryon.errors`` for the convention)."""

from __future__ import annotations

from tryon.errors import InputError, TryOnError

__all__ = ["BodyError", "BadMeasurement", "PoseNotUsable"]


class BodyError(TryOnError):
    """Base of the errors raised by ``tryon.body``."""


class BadMeasurement(InputError, BodyError):
    """A body measurement is missing a number or out of any human range."""


class PoseNotUsable(InputError, BodyError):
    """Too few body landmarks are visible to place the body in the photo."""
