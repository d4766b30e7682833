"""Benchmarks of the body: posing per frame, and collider queries.

Scene: the skier of the COCO test photos (whole body, turning), posed
with its PoseResult from ``pose.PoseEstimator`` (computed once, untimed);
without the test data, the canonical mannequin seen 3 m in front of a
camera stands in. The body is built from the photo's measurements.

- ``body_pose_and_collider``: what a webcam frame costs the body stage
  once the person's body exists: ``build_body`` (a cache hit for the same
  person), ``pose_body`` (bone rotations, forward kinematics, camera
  placement, skinning) and a ``BodyCollider`` for the pose. The
  reference is a rigid ``garments.colliders.MeshCollider`` built on the
  posed mesh at the same grid spacing (what re-gridding the body every
  frame would cost).
  Cold costs per new person (building the body, sampling its rest field)
  are measured once and reported as extras.
- ``collider_query_10k``: ``BodyCollider.query`` of 10k points within 4 cm
  of the posed surface; the reference is the rigid ``MeshCollider``
  query of the same points.
"""

from __future__ import annotations

import logging
import os
import statistics
import time
from pathlib import Path

import numpy as np

from tryon.bench import TESTDATA, Case, benchmark

logger = logging.getLogger(__name__)

PHOTO = ("photos", "coco", "000000000785.jpg")
POSE_TARGET_MS = 5.0  # a webcam frame's share for the body (10 fps overall)
QUERY_POINTS = 10_000


def _pose_result():
    """(PoseResult, K) of the benchmark photo, or of a synthetic view."""
    from render import intrinsics_for_image

    folder = Path(os.environ.get("TRYON_TESTDATA", TESTDATA))
    path = folder.joinpath(*PHOTO)
    if path.is_file():
        import pose

        with pose.PoseEstimator() as estimator:
            result = estimator.estimate(pose.load_image(path).rgb)
        return result, intrinsics_for_image(*result.image_size).K
    logger.info("test data absent; benchmarking the body on a synthetic view")
    return _synthetic_result()


def _synthetic_result():
    """The canonical mannequin's own landmarks, seen from 3 m."""
    from pose.result import Measurements, PoseResult
    from render import intrinsics_for_image
    from tryon.body import canonical_body
    from tryon.body.posing import CANONICAL_FROM_MEDIAPIPE, project, rest_landmarks

    rest = rest_landmarks(canonical_body())
    camera = rest * (1.0, -1.0, -1.0) + (0.0, 0.1, 3.0)
    intrinsics = intrinsics_for_image(640, 480).K
    landmarks_px = np.column_stack([project(camera, intrinsics), np.ones(len(rest))])
    world = rest @ CANONICAL_FROM_MEDIAPIPE.T
    result = PoseResult(
        landmarks_px.astype(np.float32),
        world.astype(np.float32),
        None,
        (640, 480),
        Measurements({"height": 170.0}, {}),
    )
    return result, intrinsics


def _cold_ms(function, repeat: int = 3) -> float:
    """Median wall time of ``function`` in milliseconds."""
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        runs.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(runs)


def _cpu_ms(function, repeat: int = 15) -> float:
    """Median CPU time of this process for ``function``, milliseconds (less
    sensitive than wall time to other work on a shared machine)."""
    function()
    runs = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        runs.append((time.process_time() - start) * 1000.0)
    return statistics.median(runs)


@benchmark(
    "body_pose_and_collider",
    "pose the person's body from a PoseResult and make its collider (warm)",
)
def body_pose_and_collider() -> Case:
    from garments.colliders import MeshCollider
    from tryon.body import BodyCollider, build_body, pose_body, rest_field
    from tryon.body.collider import GRID_SPACING, _build_field
    from tryon.body.model import _cached_body
    from tryon.body.shape import resolve_shape

    result, intrinsics = _pose_result()
    measurements = result.measurements.values_cm
    body = build_body(measurements)
    rest_field(body)  # the per-person field, built once
    posed = pose_body(body, result, intrinsics)

    def subject():
        frame_body = build_body(measurements)  # cached: the same person
        posed = pose_body(frame_body, result, intrinsics)
        return BodyCollider.from_posed(posed)

    def reference():
        return MeshCollider(posed.vertices, body.faces, spacing=GRID_SPACING)

    items = tuple(sorted(measurements.items()))
    vertices = body.vertices.astype(np.float64)
    extra = {
        "pose_body_ms": round(
            _cold_ms(lambda: pose_body(body, result, intrinsics), repeat=20), 2
        ),
        "subject_cpu_ms": round(_cpu_ms(subject), 2),
        "build_body_cold_ms": round(
            _cold_ms(lambda: _cached_body.__wrapped__(items)), 1
        ),
        "resolve_shape_ms": round(_cold_ms(lambda: resolve_shape(measurements)), 2),
        "rest_field_cold_ms": round(
            _cold_ms(
                lambda: _build_field(
                    vertices,
                    body.faces,
                    body.joints.astype(np.float64),
                    body.bone_ends.astype(np.float64),
                    body.skin_weights,
                ),
                repeat=1,
            ),
            1,
        ),
        "reprojection_error_px": round(posed.reprojection_error_px, 2),
        "vertices": len(body.vertices),
        "target_ms": POSE_TARGET_MS,
    }
    return Case(
        subject=subject,
        reference=reference,
        reference_name="MeshCollider on the posed mesh",
        extra=extra,
    )


@benchmark("collider_query_10k", "BodyCollider.query of 10k points near the body")
def collider_query_10k() -> Case:
    import torch
    import trimesh

    from garments.colliders import MeshCollider
    from tryon.body import BodyCollider, build_body, pose_body
    from tryon.body.collider import GRID_SPACING

    result, intrinsics = _pose_result()
    body = build_body(result.measurements.values_cm)
    posed = pose_body(body, result, intrinsics)
    collider = BodyCollider.from_posed(posed)
    rigid = MeshCollider(posed.vertices, body.faces, spacing=GRID_SPACING)
    mesh = trimesh.Trimesh(posed.vertices, body.faces, process=False)
    points, face = trimesh.sample.sample_surface(mesh, QUERY_POINTS, seed=0)
    offsets = np.random.default_rng(0).uniform(-0.04, 0.04, (QUERY_POINTS, 1))
    points = torch.tensor(
        points + offsets * mesh.face_normals[face], dtype=torch.float32
    )
    return Case(
        subject=lambda: collider.query(points),
        reference=lambda: rigid.query(points),
        reference_name="MeshCollider.query (one rigid grid)",
        extra={
            "points": QUERY_POINTS,
            "subject_cpu_ms": round(_cpu_ms(lambda: collider.query(points)), 2),
            "reference_cpu_ms": round(_cpu_ms(lambda: rigid.query(points)), 2),
        },
    )
