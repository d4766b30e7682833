"""Performance benchmarks behind ``tryon bench``.

A benchmark is a function registered with :func:`benchmark` that sets up
its scene once and returns a :class:`Case`: callables to time and, where a
reference exists (MediaPipe called directly, a bare pyrender render,
pypbd), the reference timed in the same run so that the ratio means
something on a noisy machine. Medians are reported, never means.

Benchmark modules live beside this one, one per area, and are imported by
:func:`load_all`.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = [
    "Case",
    "REGISTRY",
    "Result",
    "TESTDATA",
    "TESTDATA_VIDEO",
    "benchmark",
    "load_all",
    "run_case",
    "video_frames",
]

logger = logging.getLogger(__name__)

# The shared test data beside the repository (photos, video, meshes), or
# where $TRYON_TESTDATA says; benchmarks fall back to data made in code
# when it is absent.
TESTDATA = Path(
    os.environ.get(
        "TRYON_TESTDATA", Path(__file__).resolve().parents[3] / "shared" / "testdata"
    )
)
TESTDATA_VIDEO = TESTDATA / "video" / "street_walk.mp4"


def video_frames(count: int) -> list[np.ndarray]:
    """Up to ``count`` (480, 640, 3) uint8 RGB frames of the street video.

    Without the test data: one frame, scikit-image's astronaut.
    """
    import cv2

    frames = []
    if TESTDATA_VIDEO.exists():
        capture = cv2.VideoCapture(str(TESTDATA_VIDEO))
        while len(frames) < count:
            ok, bgr = capture.read()
            if not ok:
                break
            rgb = cv2.cvtColor(cv2.resize(bgr, (640, 480)), cv2.COLOR_BGR2RGB)
            frames.append(np.ascontiguousarray(rgb))
        capture.release()
    if not frames:
        from skimage import data

        frames = [np.ascontiguousarray(cv2.resize(data.astronaut(), (640, 480)))]
    return frames


@dataclass
class Case:
    """What one benchmark times.

    Attributes:
        subject: the tryon code under test, called once per timed run.
        reference: the same work done by a reference, or None.
        reference_name: what the reference is, for the table.
        budget_ms: DESIGN.md's budget for the subject, if it has one.
        warmup: untimed calls of each callable before timing.
        extra: figures the benchmark measured besides time (strain,
            throughput, ...), filled in by the benchmark.
    """

    subject: Callable[[], object]
    reference: Callable[[], object] | None = None
    reference_name: str = ""
    budget_ms: float | None = None
    warmup: int = 1
    extra: dict[str, float | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    name: str
    median_ms: float
    runs_ms: tuple[float, ...]
    reference_name: str
    reference_median_ms: float | None
    budget_ms: float | None
    extra: dict[str, float | str]

    @property
    def ratio(self) -> float | None:
        """Subject time over reference time (1.0: as fast as the reference)."""
        if not self.reference_median_ms:
            return None
        return self.median_ms / self.reference_median_ms

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "median_ms": round(self.median_ms, 3),
            "runs_ms": [round(r, 3) for r in self.runs_ms],
            "reference": self.reference_name or None,
            "reference_median_ms": None
            if self.reference_median_ms is None
            else round(self.reference_median_ms, 3),
            "ratio": None if self.ratio is None else round(self.ratio, 3),
            "budget_ms": self.budget_ms,
            "within_budget": None
            if self.budget_ms is None
            else self.median_ms <= self.budget_ms,
            "extra": self.extra,
        }


REGISTRY: dict[str, tuple[str, Callable[[], Case]]] = {}


def benchmark(name: str, description: str) -> Callable:
    """Register a function that builds a :class:`Case` under ``name``."""

    def register(build: Callable[[], Case]) -> Callable[[], Case]:
        REGISTRY[name] = (description, build)
        return build

    return register


def load_all() -> None:
    """Import every benchmark module of this package."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")


def _time_ms(function: Callable[[], object], repeat: int) -> list[float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000.0)
    return runs


def run_case(name: str, case: Case, repeat: int) -> Result:
    """Time ``case``, interleaving subject and reference runs."""
    for _ in range(case.warmup):
        case.subject()
        if case.reference is not None:
            case.reference()
    subject_runs: list[float] = []
    reference_runs: list[float] = []
    # Interleave so that both see the same machine load.
    for _ in range(repeat):
        subject_runs += _time_ms(case.subject, 1)
        if case.reference is not None:
            reference_runs += _time_ms(case.reference, 1)
    logger.info("benchmark %s: median %.1f ms", name, statistics.median(subject_runs))
    return Result(
        name=name,
        median_ms=statistics.median(subject_runs),
        runs_ms=tuple(subject_runs),
        reference_name=case.reference_name,
        reference_median_ms=statistics.median(reference_runs)
        if reference_runs
        else None,
        budget_ms=case.budget_ms,
        extra=dict(case.extra),
    )
