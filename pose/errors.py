"""Errors of the pose package.

Each error the user can fix carries ``user_error = True`` and a one-line
message that says what was wrong and what to do (the convention of
``tryon.errors``, restated here because ``pose`` imports nothing of ours).
"""

from __future__ import annotations

__all__ = [
    "PoseError",
    "NotAnImage",
    "NoPersonFound",
    "BodyPartsOutOfFrame",
    "HeightOutOfRange",
]


class PoseError(Exception):
    """Base of the errors raised by the ``pose`` package."""

    user_error = False


class NotAnImage(PoseError):
    """The input could not be decoded as a photo."""

    user_error = True


class NoPersonFound(PoseError):
    """Pose estimation found nobody in the image."""

    user_error = True

    def __init__(
        self,
        message: str = (
            "nobody was found in the photo; use a photo where one person is "
            "clearly visible"
        ),
    ) -> None:
        super().__init__(message)


class BodyPartsOutOfFrame(PoseError):
    """Body parts needed for a purpose are outside the picture.

    Attributes:
        parts: the missing parts in words, for example ``("hips",)``.
        purpose: what the parts were needed for, for example "trousers".
    """

    user_error = True

    def __init__(self, message: str, parts: tuple[str, ...], purpose: str) -> None:
        super().__init__(message)
        self.parts = parts
        self.purpose = purpose


class HeightOutOfRange(PoseError):
    """The height given for the person is not a human height in cm."""

    user_error = True
