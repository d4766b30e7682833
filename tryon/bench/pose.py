"""Benchmark of the pose stage: one 640 x 480 photo, warm models.

The subject is ``pose.PoseEstimator.estimate`` (input conversion,
MediaPipe BlazePose full with segmentation, mask at full resolution,
measurements). The reference is MediaPipe's ``mp.solutions.pose.Pose``
called directly on the same array with the same options, timed in the
same run. The photo is a 640 x 480 test photo, or scikit-image's
astronaut resized to 640 x 480 when the test data folder is absent.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tryon.bench import TESTDATA, Case, benchmark

logger = logging.getLogger(__name__)

WIDTH, HEIGHT = 640, 480
BUDGET_MS = 50.0
PHOTO = ("photos", "people", "COCO_val2014_000000000589.jpg")


def benchmark_photo() -> np.ndarray:
    """(480, 640, 3) uint8: a person photo at exactly 640 x 480."""
    from PIL import Image

    import pose

    folder = Path(os.environ.get("TRYON_TESTDATA", TESTDATA))
    path = folder.joinpath(*PHOTO)
    if path.is_file():
        rgb = pose.load_image(path).rgb
    else:
        from skimage import data

        logger.info("test data absent; benchmarking on scikit-image's astronaut")
        rgb = data.astronaut()
    resized = Image.fromarray(rgb).resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)
    return np.ascontiguousarray(np.asarray(resized))


def _mediapipe_direct():
    """MediaPipe's own pose graph with the options tryon uses for photos."""
    from mediapipe.python.solutions import pose as mp_pose

    return mp_pose.Pose(
        static_image_mode=True,
        model_complexity=1,
        smooth_landmarks=False,
        enable_segmentation=True,
    )


@benchmark(
    "pose_photo_640x480",
    "pose of one 640x480 photo (landmarks, full mask, measurements) vs MediaPipe",
)
def pose_photo() -> Case:
    import pose

    rgb = benchmark_photo()
    estimator = pose.PoseEstimator()
    graph = _mediapipe_direct()
    result = estimator.estimate(rgb)
    reference = graph.process(rgb)
    found = reference.pose_landmarks is not None
    return Case(
        subject=lambda: estimator.estimate(rgb),
        reference=lambda: graph.process(rgb),
        reference_name="mediapipe solutions.pose.process (same options)",
        budget_ms=BUDGET_MS,
        warmup=2,
        extra={
            "photo": "x".join(map(str, rgb.shape[1::-1])),
            "person_found_by_reference": str(found),
            "visible_landmarks": int((result.landmarks_px[:, 2] >= 0.5).sum()),
        },
    )


def benchmark_frames(count: int = 30) -> list[np.ndarray]:
    """``count`` (480, 640, 3) uint8 video frames (the street video, or the
    benchmark photo repeated when the test data folder is absent)."""
    import cv2

    folder = Path(os.environ.get("TRYON_TESTDATA", TESTDATA))
    video = cv2.VideoCapture(str(folder / "video" / "street_walk.mp4"))
    frames = []
    while video.isOpened() and len(frames) < count:
        ok, bgr = video.read()
        if not ok:
            break
        rgb = cv2.cvtColor(cv2.resize(bgr, (WIDTH, HEIGHT)), cv2.COLOR_BGR2RGB)
        frames.append(np.ascontiguousarray(rgb))
    video.release()
    return frames or [benchmark_photo()] * count


class _Cycle:
    """Calls ``process`` on the next frame each time (wrapping around)."""

    def __init__(
        self, frames: list[np.ndarray], process: Callable[[np.ndarray, int], object]
    ) -> None:
        self.frames = frames
        self.process = process
        self.index = 0

    def __call__(self) -> object:
        frame = self.frames[self.index % len(self.frames)]
        self.index += 1
        return self.process(frame, self.index)


@benchmark(
    "pose_stream_640x480",
    "one tracked video frame at 640x480 (smoothed landmarks, mask, "
    "measurements) vs MediaPipe video mode",
)
def pose_stream() -> Case:
    from mediapipe.python.solutions import pose as mp_pose

    import pose

    frames = benchmark_frames()
    stream = pose.PoseStream()
    graph = mp_pose.Pose(
        static_image_mode=False, model_complexity=1, enable_segmentation=True
    )
    rate = 25.0
    return Case(
        subject=_Cycle(frames, lambda f, i: stream.process(f, i / rate)),
        reference=_Cycle(frames, lambda f, i: graph.process(f)),
        reference_name="mediapipe solutions.pose.process, video mode",
        budget_ms=100.0,  # 10 frames a second for the whole webcam frame
        warmup=3,
        extra={"frames": len(frames)},
    )
