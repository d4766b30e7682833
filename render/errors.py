"""Errors of the render package and its one input-checking helper."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["RenderError", "RenderInputError", "check_array"]


class RenderError(Exception):
    """Base of the errors raised by ``render``; a bug, not the user's to fix."""

    user_error = False


class RenderInputError(RenderError, ValueError):
    """An argument has the wrong shape, type or range (a caller's bug)."""


def check_array(
    name: str, array: object, shape: Sequence[int | None], letters: str = ""
) -> np.ndarray:
    """Return ``array`` as an ndarray after checking its shape.

    Args:
        name: the argument's name, for the message.
        array: the value to check.
        shape: the expected shape; None marks a free dimension.
        letters: the shape spelt with the project's letters, for the
            message (for example "(V, 3)"); derived from ``shape`` if empty.

    Returns:
        The value as an ndarray (no copy when it already is one).

    Raises:
        RenderInputError: when the number or size of the dimensions differs.
    """
    array = np.asarray(array)
    wanted = (
        letters or "(" + ", ".join("n" if s is None else str(s) for s in shape) + ")"
    )
    if array.ndim != len(shape) or any(
        s is not None and s != actual
        for s, actual in zip(shape, array.shape, strict=True)
    ):
        raise RenderInputError(
            f"{name} must have shape {wanted}, got {tuple(array.shape)}"
        )
    return array
