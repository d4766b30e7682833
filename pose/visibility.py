"""Checking that the body parts a purpose needs are in the picture."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from pose.errors import BodyPartsOutOfFrame
from pose.landmarks import Landmark
from pose.measure import in_picture
from pose.result import PoseResult

__all__ = ["PART_NAMES", "missing_parts", "require_visible"]

logger = logging.getLogger(__name__)

_L = Landmark
# Each landmark in words, as a shopper would name the body part.
PART_NAMES: dict[Landmark, str] = {
    **{
        point: "head"
        for point in (
            _L.NOSE,
            _L.LEFT_EYE_INNER,
            _L.LEFT_EYE,
            _L.LEFT_EYE_OUTER,
            _L.RIGHT_EYE_INNER,
            _L.RIGHT_EYE,
            _L.RIGHT_EYE_OUTER,
            _L.LEFT_EAR,
            _L.RIGHT_EAR,
            _L.MOUTH_LEFT,
            _L.MOUTH_RIGHT,
        )
    },
    _L.LEFT_SHOULDER: "shoulders",
    _L.RIGHT_SHOULDER: "shoulders",
    _L.LEFT_ELBOW: "elbows",
    _L.RIGHT_ELBOW: "elbows",
    **{
        point: "hands"
        for point in (
            _L.LEFT_WRIST,
            _L.RIGHT_WRIST,
            _L.LEFT_PINKY,
            _L.RIGHT_PINKY,
            _L.LEFT_INDEX,
            _L.RIGHT_INDEX,
            _L.LEFT_THUMB,
            _L.RIGHT_THUMB,
        )
    },
    _L.LEFT_HIP: "hips",
    _L.RIGHT_HIP: "hips",
    _L.LEFT_KNEE: "knees",
    _L.RIGHT_KNEE: "knees",
    _L.LEFT_ANKLE: "ankles",
    _L.RIGHT_ANKLE: "ankles",
    **{
        point: "feet"
        for point in (
            _L.LEFT_HEEL,
            _L.RIGHT_HEEL,
            _L.LEFT_FOOT_INDEX,
            _L.RIGHT_FOOT_INDEX,
        )
    },
}
# Share of the picture's size a landmark may lie outside it and still
# count as in the picture: none, since a joint on the border is a limb cut
# in half.
MARGIN = 0.0


def missing_parts(result: PoseResult, parts: Iterable[Landmark]) -> tuple[str, ...]:
    """Names of the body parts among ``parts`` not visible in the picture.

    Args:
        result: a pose.
        parts: landmarks that must be visible.

    Returns:
        Part names in words, head to toe, each once.
    """
    seen = in_picture(result.landmarks_px, result.image_size, MARGIN)
    missing = [PART_NAMES[Landmark(p)] for p in parts if not seen[int(p)]]
    order = list(dict.fromkeys(PART_NAMES.values()))
    return tuple(sorted(set(missing), key=order.index))


def _words(names: tuple[str, ...]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def require_visible(
    result: PoseResult, parts: Iterable[Landmark], purpose: str
) -> None:
    """Raise unless every landmark in ``parts`` is visible in the picture.

    A landmark counts as visible when its visibility is at least 0.5 and
    it lies inside the image.

    Note:
        On a photo cut tightly below the shoulders BlazePose sometimes
        squeezes the hips into the picture with high visibility (MediaPipe
        0.10.21 reports no separate presence score); such a photo passes.

    Args:
        result: a pose.
        parts: the landmarks the purpose needs.
        purpose: what they are needed for (kept on the error and logged,
            for example "trying on trousers").

    Raises:
        BodyPartsOutOfFrame: naming the missing parts in words, for example
            "your hips are not in the picture; step back so that your hips
            are in the picture".
    """
    missing = missing_parts(result, parts)
    if not missing:
        return
    logger.info("%s: missing %s", purpose, ", ".join(missing))
    words = _words(missing)
    raise BodyPartsOutOfFrame(
        f"your {words} are not in the picture; step back so that your {words} "
        "are in the picture",
        parts=missing,
        purpose=purpose,
    )
