"""Benchmarks of the whole try-on: a warm photo at 720 x 960, webcam frames.

Both run on a private data directory with the bundled catalog, on a photo
of the shared test data when it is there (the skier) and otherwise on
scikit-image's astronaut, so that they run on any machine.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from tryon.bench import TESTDATA, Case, benchmark, video_frames

# The skier of the COCO test photos, full body.
TESTDATA_PHOTO = TESTDATA / "photos" / "coco" / "000000000785.jpg"


def _photo_720x960() -> np.ndarray:
    """(960, 720, 3) uint8: a person, resized to the benchmark's size."""
    from PIL import Image

    if TESTDATA_PHOTO.exists():
        image = Image.open(TESTDATA_PHOTO).convert("RGB")
    else:
        from skimage import data

        image = Image.fromarray(data.astronaut())
    return np.asarray(image.resize((720, 960)))


def _session():
    from tryon.pipeline import TryOnSession
    from tryon.settings import load_settings

    home = tempfile.mkdtemp(prefix="tryon-bench-")
    settings = load_settings({**os.environ, "TRYON_HOME": home})
    session = TryOnSession(settings, record_events=False)
    top = next(g for g in session.catalog.list() if g.category == "top")
    return session, top


@benchmark("tryon_photo_720x960", "warm photo try-on at 720x960, end to end")
def photo_try_on() -> Case:
    session, top = _session()
    photo = _photo_720x960()
    stages: dict[str, list[float]] = {}

    def subject():
        result = session.try_on(photo, top.id)
        for stage, ms in result.timings_ms.items():
            stages.setdefault(stage, []).append(ms)

    case = Case(subject=subject, budget_ms=1000.0, warmup=1)

    def fill_extra():
        for stage, runs in stages.items():
            case.extra[f"median_{stage}_ms"] = round(float(np.median(runs)), 1)

    case.subject = _after(subject, fill_extra)
    return case


def _after(function, then):
    def run():
        function()
        then()

    return run


@benchmark("webcam_frame_640x480", "one warm live frame at 640x480 (fps = 1000/ms)")
def webcam_frame() -> Case:
    session, top = _session()
    frames = video_frames(60)
    state = {"value": None, "index": 0, "drawn": 0}

    def subject():
        index = state["index"] % len(frames)
        state["index"] += 1
        result, state["value"] = session.webcam_frame(
            frames[index], top.id, None, state["value"], timestamp_s=index / 25.0
        )
        state["drawn"] += result is not None

    case = Case(subject=subject, budget_ms=100.0, warmup=5)

    def fill_extra():
        case.extra["frames_with_garment"] = state["drawn"]
        case.extra["frames"] = state["index"]

    case.subject = _after(subject, fill_extra)
    return case
