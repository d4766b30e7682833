"""Photo mode: one person's landmarks, mask and measurements in one photo."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from pose.backend import MediaPipeSolutionsBackend, PoseBackend, RawPose
from pose.errors import NoPersonFound
from pose.image import LoadedImage, to_rgb8
from pose.measure import check_height, measure
from pose.result import PoseResult

__all__ = ["InferenceSize", "PoseEstimator", "build_result", "prepare_input"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InferenceSize:
    """Bounds on the long side of the image handed to the model, pixels.

    Attributes:
        max_side: larger photos are shrunk to this (the model works at
            256 px inside; more only costs time).
        min_side: smaller pictures are enlarged to this, which helps the
            person detector with tiny thumbnails.
    """

    max_side: int = 1280
    min_side: int = 320


def prepare_input(
    image: np.ndarray | LoadedImage, size: InferenceSize
) -> tuple[np.ndarray, np.ndarray]:
    """The photo as 8-bit RGB and the (possibly resized) model input.

    Args:
        image: (H, W[, C]) pixels of any dtype that ``to_rgb8`` accepts, or
            a loaded image.
        size: bounds of the model input's long side.

    Returns:
        (H, W, 3) uint8 photo and (h, w, 3) uint8 C-contiguous model input.
    """
    import cv2

    rgb = image.rgb if isinstance(image, LoadedImage) else to_rgb8(image)
    long_side = max(rgb.shape[:2])
    if size.min_side <= long_side <= size.max_side:
        return rgb, rgb
    factor = (size.max_side if long_side > size.max_side else size.min_side) / long_side
    new_size = (
        max(1, round(rgb.shape[1] * factor)),
        max(1, round(rgb.shape[0] * factor)),
    )
    interpolation = cv2.INTER_AREA if factor < 1.0 else cv2.INTER_LINEAR
    small = cv2.resize(rgb, new_size, interpolation=interpolation)
    logger.debug("model input resized from %s to %s", rgb.shape[1::-1], new_size)
    return rgb, np.ascontiguousarray(small)


def _full_resolution_mask(
    mask: np.ndarray | None, image_size: tuple[int, int]
) -> np.ndarray | None:
    """The model's mask resized to (H, W) of the photo."""
    if mask is None:
        return None
    if mask.shape[1] == image_size[0] and mask.shape[0] == image_size[1]:
        return np.ascontiguousarray(mask, dtype=np.float32)
    import cv2

    return cv2.resize(mask, image_size, interpolation=cv2.INTER_LINEAR)


def build_result(
    raw: RawPose,
    image_size: tuple[int, int],
    height_cm: float | None,
    timings_ms: dict[str, float],
    landmarks: np.ndarray | None = None,
    world_landmarks: np.ndarray | None = None,
) -> PoseResult:
    """Turn a backend's output into a :class:`PoseResult` for the photo.

    Args:
        raw: the backend's output for the model input.
        image_size: (width, height) of the photo in pixels.
        height_cm: the person's height, or None for the default.
        timings_ms: timings so far; "mask" and "measure" are added.
        landmarks: (L, 4) normalised landmarks replacing ``raw``'s (for
            smoothed video), or None.
        world_landmarks: (L, 3) metres replacing ``raw``'s, or None.

    Returns:
        Landmarks in the photo's pixels, mask at its resolution, and the
        measurements.
    """
    landmarks = raw.landmarks if landmarks is None else landmarks
    world = raw.world_landmarks if world_landmarks is None else world_landmarks
    width, height = image_size
    landmarks_px = np.empty((landmarks.shape[0], 3), dtype=np.float32)  # (L, 3)
    landmarks_px[:, 0] = landmarks[:, 0] * width
    landmarks_px[:, 1] = landmarks[:, 1] * height
    landmarks_px[:, 2] = landmarks[:, 3]

    start = time.perf_counter()
    mask = _full_resolution_mask(raw.mask, image_size)
    timings_ms["mask"] = (time.perf_counter() - start) * 1000.0

    start = time.perf_counter()
    measurements = measure(landmarks_px, world, mask, image_size, height_cm)
    timings_ms["measure"] = (time.perf_counter() - start) * 1000.0
    return PoseResult(
        landmarks_px=landmarks_px,
        world_landmarks=np.asarray(world, dtype=np.float32),
        mask=mask,
        image_size=image_size,
        measurements=measurements,
        timings_ms=timings_ms,
    )


class PoseEstimator:
    """Pose of one person in unrelated photos, with a warm model.

    Thread-safe: calls from several threads share one model, one at a
    time.

    Args:
        model_complexity: BlazePose 0 (lite) or 1 (full, the default).
        segmentation: compute the person mask (needed for occlusion and
            for mask-based widths).
        backend: a backend to use instead of MediaPipe's (for tests or
            another model).
        inference_size: bounds of the model input's long side.

    Example:
        >>> estimator = PoseEstimator()
        >>> result = estimator.estimate(load_image("me.jpg").rgb, height_cm=172)
        >>> result.measurements["hip_girth"]
    """

    def __init__(
        self,
        model_complexity: int = 1,
        segmentation: bool = True,
        *,
        backend: PoseBackend | None = None,
        inference_size: InferenceSize = InferenceSize(),
    ) -> None:
        self.backend = backend or MediaPipeSolutionsBackend(
            static_image_mode=True,
            model_complexity=model_complexity,
            segmentation=segmentation,
        )
        self.inference_size = inference_size

    def estimate(
        self, rgb: np.ndarray | LoadedImage, height_cm: float | None = None
    ) -> PoseResult:
        """Find the person in a photo.

        Args:
            rgb: (H, W, 3) uint8 RGB as the user sees it (greyscale, RGBA
                and 16-bit arrays are converted), or a loaded image.
            height_cm: the person's height, or None for the default.

        Returns:
            Landmarks in the photo's pixels, world landmarks, mask and
            measurements.

        Raises:
            NoPersonFound: nobody was found.
            HeightOutOfRange: ``height_cm`` is not a human height.
            NotAnImage: ``rgb`` is not an image array.
        """
        height_cm = check_height(height_cm)
        timings: dict[str, float] = {}
        start = time.perf_counter()
        photo, model_input = prepare_input(rgb, self.inference_size)
        timings["prepare"] = (time.perf_counter() - start) * 1000.0

        start = time.perf_counter()
        raw = self.backend.infer(model_input)
        timings["inference"] = (time.perf_counter() - start) * 1000.0
        if raw is None:
            logger.debug("no person found in a %dx%d photo", *photo.shape[1::-1])
            raise NoPersonFound()
        image_size = (int(photo.shape[1]), int(photo.shape[0]))
        return build_result(raw, image_size, height_cm, timings)

    def close(self) -> None:
        """Release the model."""
        self.backend.close()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
