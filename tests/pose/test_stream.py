"""Video mode on a street video: smoothing removes jitter without lagging."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import pose
from tests.conftest import require_testdata

FRAMES = 100
# What the One Euro filter at MediaPipe's defaults must achieve on this
# video (deterministic: same frames, same model).
MAX_JITTER_RATIO = 0.7  # smoothed over raw mean acceleration
MAX_LAG_FRAMES = 2
MAX_MEAN_OFFSET_PX = 8.0  # smoothed to raw at the best lag, 1280x720 frames


@dataclass(frozen=True)
class Tracks:
    """(T, L, 2) raw and smoothed pixels, (T, L) raw visibility."""

    raw: np.ndarray
    smoothed: np.ndarray
    visibility: np.ndarray


@pytest.fixture(scope="module")
def tracks() -> Tracks:
    import cv2

    video = cv2.VideoCapture(str(require_testdata("video", "street_walk.mp4")))
    rate = video.get(cv2.CAP_PROP_FPS)
    raw, smoothed, visibility = [], [], []
    # No mask: it is not what is tested here, and it costs time.
    with pose.PoseStream(segmentation=False) as stream:
        for index in range(FRAMES):
            ok, bgr = video.read()
            if not ok:
                break
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            result = stream.process(rgb, timestamp_s=index / rate)
            if result is None:
                raw.append(np.full((pose.NUM_LANDMARKS, 3), np.nan))
                smoothed.append(np.full((pose.NUM_LANDMARKS, 3), np.nan))
            else:
                raw.append(stream.last_raw_landmarks_px)
                smoothed.append(result.landmarks_px)
            visibility.append(raw[-1][:, 2])
    video.release()
    raw_array, smoothed_array = np.array(raw), np.array(smoothed)
    return Tracks(
        raw=raw_array[:, :, :2],
        smoothed=smoothed_array[:, :, :2],
        visibility=np.nan_to_num(np.array(visibility)),
    )


def mean_acceleration(track: np.ndarray, visible: np.ndarray) -> float:
    """Mean |x[t+1] - 2 x[t] + x[t-1]| in px/frame^2 over visible triples."""
    acceleration = np.linalg.norm(track[2:] - 2 * track[1:-1] + track[:-2], axis=2)
    seen = visible[2:] & visible[1:-1] & visible[:-2] & np.isfinite(acceleration)
    return float(acceleration[seen].mean())


def mean_offset(smoothed: np.ndarray, raw: np.ndarray, lag: int) -> float:
    """Mean distance between smoothed[t] and raw[t - lag], pixels."""
    if lag > 0:
        smoothed, raw = smoothed[lag:], raw[:-lag]
    elif lag < 0:
        smoothed, raw = smoothed[:lag], raw[-lag:]
    return float(np.nanmean(np.linalg.norm(smoothed - raw, axis=2)))


def test_a_person_is_tracked(tracks):
    found = np.isfinite(tracks.raw[:, 0, 0])
    assert len(found) == FRAMES
    assert found.mean() >= 0.9


def test_smoothing_reduces_jitter(tracks):
    visible = tracks.visibility >= 0.5
    raw = mean_acceleration(tracks.raw, visible)
    smoothed = mean_acceleration(tracks.smoothed, visible)
    print(
        f"mean acceleration raw {raw:.2f}, smoothed {smoothed:.2f} px/frame^2, "
        f"ratio {smoothed / raw:.3f}"
    )
    assert smoothed / raw < MAX_JITTER_RATIO


def test_smoothing_lags_little(tracks):
    offsets = {
        lag: mean_offset(tracks.smoothed, tracks.raw, lag) for lag in range(-4, 6)
    }
    best = min(offsets, key=offsets.get)
    print(f"best lag {best} frames, mean offset {offsets[best]:.2f} px")
    assert 0 <= best <= MAX_LAG_FRAMES
    assert offsets[best] <= MAX_MEAN_OFFSET_PX


class ScriptedBackend:
    """A backend that replays prepared poses (None: nobody in the frame)."""

    name = "scripted"

    def __init__(self, poses: list[pose.RawPose | None]) -> None:
        self.poses = list(poses)

    def infer(self, rgb: np.ndarray) -> pose.RawPose | None:
        return self.poses.pop(0)

    def close(self) -> None:
        pass


def _still_person(rng: np.random.Generator) -> pose.RawPose:
    """A standing person's landmarks with 2 px of noise on a 640x480 frame."""
    landmarks = np.zeros((pose.NUM_LANDMARKS, 4), dtype=np.float32)
    landmarks[:, 0] = np.linspace(0.4, 0.6, pose.NUM_LANDMARKS)
    landmarks[:, 1] = np.linspace(0.1, 0.9, pose.NUM_LANDMARKS)
    landmarks[:, 3] = 1.0
    landmarks[:, 0] += rng.normal(0.0, 2.0 / 640, pose.NUM_LANDMARKS)
    landmarks[:, 1] += rng.normal(0.0, 2.0 / 480, pose.NUM_LANDMARKS)
    world = np.zeros((pose.NUM_LANDMARKS, 3), dtype=np.float32)
    world[:, 1] = np.linspace(-0.9, 0.8, pose.NUM_LANDMARKS)
    return pose.RawPose(landmarks=landmarks, world_landmarks=world, mask=None)


def _run(stream: pose.PoseStream, frames: int) -> list[pose.PoseResult | None]:
    frame = np.zeros((480, 640, 3), dtype=np.uint8)
    return [stream.process(frame, timestamp_s=i / 30.0) for i in range(frames)]


def test_stream_smooths_a_still_person():
    rng = np.random.default_rng(2)
    backend = ScriptedBackend([_still_person(rng) for _ in range(60)])
    results = _run(pose.PoseStream(backend=backend), 60)
    raw_rng = np.random.default_rng(2)
    raw = np.array([_still_person(raw_rng).landmarks[:, 0] * 640 for _ in range(60)])
    smoothed = np.array([r.landmarks_px[:, 0] for r in results])
    # MediaPipe's defaults (beta 40) trade some jitter for little lag.
    assert smoothed[30:].std(axis=0).mean() < raw[30:].std(axis=0).mean() / 1.5


def test_stream_restarts_after_losing_the_person():
    rng = np.random.default_rng(3)
    poses = [_still_person(rng) for _ in range(5)] + [None, _still_person(rng)]
    stream = pose.PoseStream(backend=ScriptedBackend(poses))
    results = _run(stream, 7)
    assert results[5] is None
    # The first pose after the gap passes unfiltered.
    np.testing.assert_allclose(
        results[6].landmarks_px[:, :2], stream.last_raw_landmarks_px[:, :2], atol=1e-3
    )


def test_stream_without_smoothing_returns_raw_landmarks():
    rng = np.random.default_rng(4)
    stream = pose.PoseStream(
        backend=ScriptedBackend([_still_person(rng) for _ in range(3)]),
        smoothing=None,
    )
    frame = np.zeros((480, 640, 3), dtype=np.uint8)
    for index in range(3):
        result = stream.process(frame, timestamp_s=index / 30.0)
        np.testing.assert_array_equal(result.landmarks_px, stream.last_raw_landmarks_px)
