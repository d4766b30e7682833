"""Video mode: track one person across frames and smooth the landmarks."""

from __future__ import annotations

import logging
import threading
import time

import numpy as np

from pose.backend import MediaPipeSolutionsBackend, PoseBackend
from pose.estimator import InferenceSize, build_result, prepare_input
from pose.image import LoadedImage
from pose.result import PoseResult
from pose.smoothing import OneEuroFilter, OneEuroSettings, object_scale

__all__ = ["PoseStream"]

logger = logging.getLogger(__name__)

DEFAULT_SMOOTHING = OneEuroSettings()
DEFAULT_INFERENCE_SIZE = InferenceSize()


class PoseStream:
    """Landmarks of one person in consecutive video (webcam) frames.

    MediaPipe tracks the person from frame to frame (detection only when
    tracking is lost); the landmarks are then smoothed by a One Euro filter,
    image landmarks in pixels and world landmarks in metres, with speeds in
    person sizes per second (see ``pose.smoothing``), as MediaPipe's own
    landmark smoothing does. The filter restarts when the person is lost.

    Args:
        model_complexity: BlazePose 0 (lite) or 1 (full).
        segmentation: compute the person mask for every frame.
        smoothing: One Euro parameters, or None to return raw landmarks.
        backend: a video-mode backend instead of MediaPipe's.
        inference_size: bounds of the model input's long side.

    Attributes:
        last_raw_landmarks_px: (L, 3) the last frame's landmarks before
            smoothing (x, y pixels, visibility), or None when the last frame
            had nobody; for checking the filter.

    Note:
        A stream follows one person; with several people in view it keeps
        the one it tracks and may switch when tracking is lost.
    """

    def __init__(
        self,
        model_complexity: int = 1,
        segmentation: bool = True,
        *,
        smoothing: OneEuroSettings | None = DEFAULT_SMOOTHING,
        backend: PoseBackend | None = None,
        inference_size: InferenceSize = DEFAULT_INFERENCE_SIZE,
    ) -> None:
        self.backend = backend or MediaPipeSolutionsBackend(
            static_image_mode=False,
            model_complexity=model_complexity,
            segmentation=segmentation,
        )
        self.inference_size = inference_size
        self._image_filter = None if smoothing is None else OneEuroFilter(smoothing)
        self._world_filter = None if smoothing is None else OneEuroFilter(smoothing)
        self._lock = threading.Lock()
        self.last_raw_landmarks_px: np.ndarray | None = None

    def process(
        self,
        rgb: np.ndarray | LoadedImage,
        timestamp_s: float,
        height_cm: float | None = None,
    ) -> PoseResult | None:
        """Track the person in the next frame.

        Args:
            rgb: (H, W, 3) uint8 RGB frame.
            timestamp_s: the frame's time in seconds, increasing.
            height_cm: the person's height, or None for the default.

        Returns:
            The smoothed pose, or None when nobody is in the frame.
        """
        with self._lock:
            return self._process(rgb, timestamp_s, height_cm)

    def _process(
        self,
        rgb: np.ndarray | LoadedImage,
        timestamp_s: float,
        height_cm: float | None,
    ) -> PoseResult | None:
        timings: dict[str, float] = {}
        start = time.perf_counter()
        frame, model_input = prepare_input(rgb, self.inference_size)
        timings["prepare"] = (time.perf_counter() - start) * 1000.0

        start = time.perf_counter()
        raw = self.backend.infer(model_input)
        timings["inference"] = (time.perf_counter() - start) * 1000.0
        image_size = (int(frame.shape[1]), int(frame.shape[0]))
        if raw is None:
            self.reset()
            return None
        self.last_raw_landmarks_px = _to_pixels(raw.landmarks, image_size)

        start = time.perf_counter()
        landmarks, world = self._smooth(
            raw.landmarks, raw.world_landmarks, timestamp_s, image_size
        )
        timings["smooth"] = (time.perf_counter() - start) * 1000.0
        return build_result(raw, image_size, height_cm, timings, landmarks, world)

    def _smooth(
        self,
        landmarks: np.ndarray,
        world: np.ndarray,
        timestamp_s: float,
        image_size: tuple[int, int],
    ) -> tuple[np.ndarray, np.ndarray]:
        """One Euro filtered (L, 4) normalised and (L, 3) world landmarks.

        The image landmarks are filtered in pixels (x, y, and z on x's
        scale), so that speeds along both axes count alike.
        """
        if self._image_filter is None or self._world_filter is None:
            return landmarks, world
        to_pixels = np.array([image_size[0], image_size[1], image_size[0]])
        pixels = landmarks[:, :3] * to_pixels  # (L, 3)
        filtered = self._image_filter(pixels, timestamp_s, object_scale(pixels))
        smoothed = landmarks.copy()
        smoothed[:, :3] = filtered / to_pixels
        smoothed_world = self._world_filter(world, timestamp_s, object_scale(world))
        return smoothed.astype(np.float32), smoothed_world.astype(np.float32)

    def reset(self) -> None:
        """Forget the tracked person's history."""
        self.last_raw_landmarks_px = None
        for smoother in (self._image_filter, self._world_filter):
            if smoother is not None:
                smoother.reset()

    def close(self) -> None:
        """Release the model."""
        self.backend.close()

    def __enter__(self) -> PoseStream:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def _to_pixels(landmarks: np.ndarray, image_size: tuple[int, int]) -> np.ndarray:
    """(L, 4) normalised landmarks -> (L, 3) x, y pixels and visibility."""
    width, height = image_size
    return np.stack(
        [landmarks[:, 0] * width, landmarks[:, 1] * height, landmarks[:, 3]], axis=1
    ).astype(np.float32)
