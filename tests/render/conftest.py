"""Fixtures of the render suite: one warm renderer for every test."""

from __future__ import annotations

import os

import numpy as np
import pytest

# PyOpenGL picks its platform once, on first import: headless EGL.
os.environ.setdefault("PYOPENGL_PLATFORM", "egl")

from render import Renderer  # noqa: E402

# Image size of the scene tests (width, height).
SIZE = (240, 180)


@pytest.fixture(scope="session")
def renderer():
    """One OpenGL context shared by the suite."""
    with Renderer(*SIZE) as shared:
        yield shared


@pytest.fixture(scope="session")
def K() -> np.ndarray:
    """Intrinsics with an off-centre principal point, so a wrong sign shows."""
    return np.array([[260.0, 0.0, 131.0], [0.0, 250.0, 83.0], [0.0, 0.0, 1.0]])


def quad(x0: float, x1: float, y0: float, y1: float, z: float) -> tuple:
    """A rectangle facing the camera: (4, 3) vertices and (2, 3) faces."""
    vertices = np.array(
        [[x0, y0, z], [x1, y0, z], [x1, y1, z], [x0, y1, z]], dtype=np.float64
    )
    faces = np.array([[0, 1, 2], [0, 2, 3]])
    return vertices, faces


def box(x0: float, x1: float, y0: float, y1: float, z0: float, z1: float) -> tuple:
    """A closed axis-aligned box: (8, 3) vertices and (12, 3) faces."""
    import trimesh

    mesh = trimesh.creation.box(bounds=[[x0, y0, z0], [x1, y1, z1]])
    return np.asarray(mesh.vertices), np.asarray(mesh.faces)


def save_png(path, image: np.ndarray) -> None:
    """Write an (H, W) or (H, W, 3|4) image, uint8 or float 0..1, as PNG."""
    from PIL import Image

    if image.dtype != np.uint8:
        image = np.clip(np.rint(image * 255.0), 0, 255).astype(np.uint8)
    Image.fromarray(image).save(path)
