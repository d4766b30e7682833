"""Pose estimation backends behind one small protocol.

The rest of the package talks to a :class:`PoseBackend`; only
:class:`MediaPipeSolutionsBackend` knows MediaPipe. Another backend (for
example MediaPipe's Tasks API with a model file from the settings) can be
added beside it without touching the callers.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from pose.landmarks import NUM_LANDMARKS

__all__ = ["RawPose", "PoseBackend", "MediaPipeSolutionsBackend"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RawPose:
    """What a backend found in one image, before any post-processing.

    Attributes:
        landmarks: (L, 4) float32; x, y normalised to the image's width and
            height (0..1 inside the image), relative depth z, visibility.
        world_landmarks: (L, 3) float32, metres, origin midway between the
            hips, x to the image's right, y down, z away from the camera.
        mask: (h, w) float32 in 0..1 at the inference image's resolution,
            or None without segmentation.
    """

    landmarks: np.ndarray
    world_landmarks: np.ndarray
    mask: np.ndarray | None


class PoseBackend(Protocol):
    """A single-person pose model kept warm between calls."""

    name: str

    def infer(self, rgb: np.ndarray) -> RawPose | None:
        """Find one person in (H, W, 3) uint8 C-contiguous RGB, or None."""
        ...

    def close(self) -> None:
        """Release the model."""
        ...


class MediaPipeSolutionsBackend:
    """MediaPipe BlazePose through the legacy ``mp.solutions.pose`` API.

    The models are those bundled in the mediapipe 0.10.21 wheel, so nothing
    is downloaded. One graph is built lazily on the first call and reused;
    a lock serialises calls, so one backend may be shared by threads.

    Args:
        static_image_mode: True for unrelated photos (detection on every
            call), False for video frames (tracking from the last frame).
        model_complexity: 0 lite, 1 full, 2 heavy; only the full model is
            in mediapipe 0.10.21's wheel, and nothing is downloaded.
        segmentation: also compute the person mask.
        min_detection_confidence: detector threshold, 0..1.
        min_tracking_confidence: tracker threshold in video mode, 0..1.

    Raises:
        NotImplementedError: the model for ``model_complexity`` is not in
            the installed mediapipe wheel.

    Note:
        MediaPipe's own landmark smoothing is switched off; tryon smooths
        with its own One Euro filter (``pose.smoothing``) so that raw and
        smoothed landmarks can both be inspected. MediaPipe's native code
        prints start-up lines on the process's stderr; they are silenced
        while the graph is built and first run (other threads' stderr
        output in that window is lost too).
    """

    name = "mediapipe-solutions"

    def __init__(
        self,
        *,
        static_image_mode: bool = True,
        model_complexity: int = 1,
        segmentation: bool = True,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
    ) -> None:
        _check_model_bundled(model_complexity)
        self.static_image_mode = static_image_mode
        self.model_complexity = model_complexity
        self.segmentation = segmentation
        self.min_detection_confidence = min_detection_confidence
        self.min_tracking_confidence = min_tracking_confidence
        self._graph = None
        self._warm = False
        self._lock = threading.Lock()

    def infer(self, rgb: np.ndarray) -> RawPose | None:
        """Run BlazePose on one image.

        Args:
            rgb: (H, W, 3) uint8 RGB; copied if not C-contiguous.

        Returns:
            The person's landmarks and mask, or None when nobody was found.
        """
        rgb = np.ascontiguousarray(rgb, dtype=np.uint8)
        with self._lock:
            if self._warm:
                output = self._ensure_graph().process(rgb)
            else:
                start = time.perf_counter()
                with _silenced_native_stderr():
                    output = self._ensure_graph().process(rgb)
                self._warm = True
                logger.debug(
                    "MediaPipe pose graph ready (%s mode, complexity %d) in %.0f ms",
                    "photo" if self.static_image_mode else "video",
                    self.model_complexity,
                    (time.perf_counter() - start) * 1000.0,
                )
        if output.pose_landmarks is None:
            return None
        return _raw_pose(output, self.segmentation)

    def close(self) -> None:
        with self._lock:
            if self._graph is not None:
                self._graph.close()
                self._graph = None
                self._warm = False

    def _ensure_graph(self):
        """Build the MediaPipe graph on first use (stderr already silenced)."""
        if self._graph is None:
            from mediapipe.python.solutions import pose as mp_pose

            self._graph = mp_pose.Pose(
                static_image_mode=self.static_image_mode,
                model_complexity=self.model_complexity,
                smooth_landmarks=False,
                enable_segmentation=self.segmentation,
                smooth_segmentation=not self.static_image_mode,
                min_detection_confidence=self.min_detection_confidence,
                min_tracking_confidence=self.min_tracking_confidence,
            )
        return self._graph


_MODEL_FILES = {
    0: "pose_landmark_lite.tflite",
    1: "pose_landmark_full.tflite",
    2: "pose_landmark_heavy.tflite",
}


def _check_model_bundled(model_complexity: int) -> None:
    """Refuse a model the mediapipe wheel lacks (it would try to download)."""
    name = _MODEL_FILES.get(model_complexity)
    if name is None:
        raise ValueError(
            f"model_complexity must be 0, 1 or 2, got {model_complexity!r}"
        )
    spec = importlib.util.find_spec("mediapipe")
    if spec is None or not spec.submodule_search_locations:
        return  # not installed: the first inference will say so
    folder = Path(spec.submodule_search_locations[0]) / "modules" / "pose_landmark"
    if not (folder / name).is_file():
        raise NotImplementedError(
            f"model_complexity {model_complexity} needs {name}, which the "
            "installed mediapipe does not ship and which is never downloaded; "
            "use model_complexity=1 (full)"
        )


def _raw_pose(output, segmentation: bool) -> RawPose:
    """Copy MediaPipe's protobuf landmarks into arrays."""
    landmarks = np.array(
        [(p.x, p.y, p.z, p.visibility) for p in output.pose_landmarks.landmark],
        dtype=np.float32,
    )  # (L, 4)
    world = np.array(
        [(p.x, p.y, p.z) for p in output.pose_world_landmarks.landmark],
        dtype=np.float32,
    )  # (L, 3)
    mask = None
    if segmentation and output.segmentation_mask is not None:
        mask = np.asarray(output.segmentation_mask, dtype=np.float32)
    if landmarks.shape[0] != NUM_LANDMARKS:
        raise RuntimeError(
            f"MediaPipe returned {landmarks.shape[0]} landmarks, "
            f"expected {NUM_LANDMARKS}"
        )
    return RawPose(landmarks=landmarks, world_landmarks=world, mask=mask)


@contextlib.contextmanager
def _silenced_native_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null while native code starts up."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):
        # No real stderr (embedded interpreter): nothing to silence.
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
