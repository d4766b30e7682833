"""What pose estimation hands to the rest of the system."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

__all__ = ["Measurements", "PoseResult"]


@dataclass(frozen=True)
class Measurements:
    """Body measurements of one person.

    Attributes:
        values_cm: measurements in centimetres keyed ``height``,
            ``shoulder_width``, ``chest_width``, ``chest_depth``,
            ``chest_girth``, ``waist_width``, ``waist_depth``,
            ``waist_girth``, ``hip_width``, ``hip_depth``, ``hip_girth``,
            ``arm_length``, ``torso_length``, ``inseam``.
        methods: for each key, how it was obtained, in words (for example
            "given by the user", "world landmarks, shoulder to shoulder",
            "mask width at the waist line, ellipse girth").
    """

    values_cm: dict[str, float]
    methods: dict[str, str]

    def __getitem__(self, key: str) -> float:
        return self.values_cm[key]


@dataclass(frozen=True)
class PoseResult:
    """One person found in one image (or one video frame).

    Attributes:
        landmarks_px: (33, 3) float32; x, y in pixels of the image as the
            user sees it (EXIF orientation applied, original resolution)
            and visibility in 0..1. Rows follow ``pose.Landmark``.
        world_landmarks: (33, 3) float32, metres, MediaPipe's world frame
            (origin midway between the hips, x to the image's right,
            y down, z away from the camera).
        mask: (H, W) float32 in 0..1, the person's segmentation at the
            image's resolution, or None when segmentation was off.
        image_size: (width, height) of the image in pixels.
        measurements: the person's body measurements.
        timings_ms: time spent per step ("decode", "inference", ...).
    """

    landmarks_px: np.ndarray
    world_landmarks: np.ndarray
    mask: np.ndarray | None
    image_size: tuple[int, int]
    measurements: Measurements
    timings_ms: dict[str, float] = field(default_factory=dict)
