"""Benchmarks of the render stage: render and composite, warm.

The scene is built in code: a folded tube "shirt" of 5000 vertices around
an ellipsoid "torso" of 6082 vertices (the occluder), 1.6 m in front of a
camera with the default intrinsics of the image. Two sizes: a 720 x 960
photo (DESIGN.md's budget: 150 ms) and a 640 x 480 webcam frame (no budget
of its own; the whole frame has 100 ms). The reference is a bare pyrender
render of the same garment mesh (one warm OffscreenRenderer, the same
size, a plain material, no occluder, no compositing), timed in the same
run.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from tryon.bench import Case, benchmark

# Distance of the torso from the camera, metres.
TORSO_DEPTH_M = 1.6


def folded_tube(around: int = 50, along: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """An open tube with vertical folds, like a shirt's body.

    Returns:
        (around * along, 3) float32 vertices (camera frame, metres) and
        (F, 3) int faces.
    """
    angle = np.linspace(0.0, 2.0 * np.pi, around, endpoint=False)  # (a,)
    height = np.linspace(-0.45, 0.25, along)  # (l,), y down
    angles, heights = np.meshgrid(angle, height)  # (l, a)
    folds = 1.0 + 0.04 * np.sin(9.0 * angles) * (0.5 + heights)
    x = 0.19 * folds * np.cos(angles)
    z = TORSO_DEPTH_M + 0.13 * folds * np.sin(angles)
    vertices = np.stack([x, heights, z], axis=-1).reshape(-1, 3)  # (V, 3)

    # Two triangles per quad, wrapping around.
    rows, cols = np.mgrid[0 : along - 1, 0:around]
    a = rows * around + cols
    b = rows * around + (cols + 1) % around
    c = a + around
    d = b + around
    faces = np.concatenate(
        [np.stack([a, b, d], -1).reshape(-1, 3), np.stack([a, d, c], -1).reshape(-1, 3)]
    )
    return vertices.astype(np.float32), faces


def torso() -> tuple[np.ndarray, np.ndarray]:
    """A closed ellipsoid of about 6k vertices inside the tube."""
    import trimesh

    sphere = trimesh.creation.uv_sphere(radius=1.0, count=[40, 80])
    scale = np.array([0.17, 0.5, 0.11])
    vertices = np.asarray(sphere.vertices) * scale + (0.0, -0.1, TORSO_DEPTH_M)
    return vertices.astype(np.float32), np.asarray(sphere.faces)


def photo(width: int, height: int) -> np.ndarray:
    """(H, W, 3) uint8 seeded noise standing in for a photo."""
    generator = np.random.default_rng(0)
    return generator.integers(0, 256, (height, width, 3), dtype=np.uint8)


def person_mask(K: np.ndarray, width: int, height: int) -> np.ndarray:
    """(H, W) float32 mask of a 0.5 x 1.6 m person around the torso."""
    mask = np.zeros((height, width), np.float32)
    half_width = 0.25 * K[0, 0] / TORSO_DEPTH_M
    top = K[1, 2] - 0.7 * K[1, 1] / TORSO_DEPTH_M
    bottom = K[1, 2] + 0.9 * K[1, 1] / TORSO_DEPTH_M
    left, right = K[0, 2] - half_width, K[0, 2] + half_width
    mask[max(0, int(top)) : int(bottom), max(0, int(left)) : int(right)] = 1.0
    return mask


@benchmark(
    "render_composite_720x960",
    "render (5k-vertex garment, 6k-vertex occluder) + composite, 720x960, warm",
)
def render_composite_photo() -> Case:
    return _render_composite(720, 960, budget_ms=150.0)


@benchmark(
    "render_composite_640x480",
    "the same at a webcam frame's 640x480, warm",
)
def render_composite_webcam() -> Case:
    return _render_composite(640, 480, budget_ms=None)


def _render_composite(width: int, height: int, budget_ms: float | None) -> Case:
    import render

    garment_vertices, garment_faces = folded_tube()
    body_vertices, body_faces = torso()
    picture = photo(width, height)
    K = render.intrinsics_for_image(width, height).K
    mask = person_mask(K, width, height)
    lighting = render.estimate_lighting(picture, mask)
    garment = render.GarmentMesh(garment_vertices, garment_faces)
    material = render.material_for("#3a6ea5", "jersey")
    renderer = render.Renderer(width, height)
    renderer.warm_up()
    stages: dict[str, list[float]] = {
        "gl": [],
        "post": [],
        "scene": [],
        "composite": [],
        "subject_cpu": [],
        "reference_cpu": [],
    }

    def subject() -> None:
        cpu_start = time.process_time()
        layers = renderer.render(
            garment, material, K, body_vertices, body_faces, lighting
        )
        start = time.perf_counter()
        render.composite(picture, layers, mask)
        stages["composite"].append((time.perf_counter() - start) * 1000.0)
        stages["subject_cpu"].append((time.process_time() - cpu_start) * 1000.0)
        for key in ("scene", "gl", "post"):
            stages[key].append(layers.timings_ms[key])
        _summarise(case, stages)

    bare = _bare_pyrender(garment_vertices, garment_faces, K, (width, height))

    def reference() -> None:
        cpu_start = time.process_time()
        bare()
        stages["reference_cpu"].append((time.process_time() - cpu_start) * 1000.0)

    case = Case(
        subject=subject,
        reference=reference,
        reference_name="bare pyrender render of the same mesh",
        budget_ms=budget_ms,
        warmup=2,
        extra={
            "garment_vertices": len(garment_vertices),
            "occluder_vertices": len(body_vertices),
        },
    )
    return case


def _summarise(case: Case, stages: dict[str, list[float]]) -> None:
    """Stage medians into the case's extra figures.

    The CPU figures count every thread of the process (the rasteriser's
    too): less sensitive than wall time to other work on the machine.
    """
    case.extra.update(
        {
            f"{name}_median_ms": round(statistics.median(runs), 2)
            for name, runs in stages.items()
            if runs
        }
    )


def _bare_pyrender(
    vertices: np.ndarray, faces: np.ndarray, K: np.ndarray, size: tuple[int, int]
):
    """A plain pyrender render of the mesh, as a pyrender user writes it."""
    import os

    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    import pyrender
    import trimesh

    offscreen = pyrender.OffscreenRenderer(*size)
    camera = pyrender.IntrinsicsCamera(K[0, 0], K[1, 1], K[0, 2], K[1, 2])
    camera_pose = np.diag([1.0, -1.0, -1.0, 1.0])
    material = pyrender.MetallicRoughnessMaterial(baseColorFactor=(0.2, 0.4, 0.7, 1.0))

    def reference() -> None:
        mesh = trimesh.Trimesh(vertices, faces, process=False)
        scene = pyrender.Scene(bg_color=(0, 0, 0, 0), ambient_light=(0.3, 0.3, 0.3))
        scene.add(pyrender.Mesh.from_trimesh(mesh, material=material))
        scene.add(camera, pose=camera_pose)
        scene.add(pyrender.DirectionalLight(intensity=3.0), pose=camera_pose)
        offscreen.render(scene, flags=pyrender.RenderFlags.RGBA)

    return reference
