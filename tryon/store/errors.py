"""Errors of the event store."""

from __future__ import annotations

from tryon.errors import InputError

__all__ = ["InvalidEvent"]


class InvalidEvent(InputError):
    """An event with a value outside the store's vocabularies or rules."""
