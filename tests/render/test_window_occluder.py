"""The rendered window and the occluder's trimming, against simple geometry."""

from __future__ import annotations

import numpy as np
import pytest
import trimesh

from render import project_points
from render.occluder import trim_occluder
from render.window import WINDOW_STEP_PX, garment_window

K = np.array([[500.0, 0.0, 320.0], [0.0, 500.0, 240.0], [0.0, 0.0, 1.0]])
SIZE = (640, 480)


def test_the_window_holds_the_projection_in_whole_steps():
    vertices = np.array([[-0.1, -0.2, 2.0], [0.15, 0.05, 2.0], [0.0, 0.1, 2.5]])

    window = garment_window(K, vertices, SIZE, znear=0.05)

    pixels = project_points(K, vertices)
    assert window.left <= pixels[:, 0].min()
    assert window.left + window.width >= pixels[:, 0].max()
    assert window.top <= pixels[:, 1].min()
    assert window.top + window.height >= pixels[:, 1].max()
    assert window.width % WINDOW_STEP_PX == 0 and window.height % WINDOW_STEP_PX == 0
    shifted = window.intrinsics(K)
    assert shifted[0, 2] == K[0, 2] - window.left
    assert shifted[1, 2] == K[1, 2] - window.top


def test_a_window_at_the_edge_grows_inwards():
    # Projects to columns 620..635, 20 pixels from the right edge.
    vertices = np.array([[0.6, 0.0, 1.0], [0.63, 0.01, 1.0], [0.61, 0.02, 1.0]])

    window = garment_window(K, vertices, SIZE, znear=0.05)

    assert window.left + window.width == SIZE[0]
    assert window.width == WINDOW_STEP_PX


@pytest.fixture(scope="module")
def sphere() -> tuple[np.ndarray, np.ndarray]:
    mesh = trimesh.creation.icosphere(subdivisions=3, radius=0.3)
    return np.asarray(mesh.vertices) + (0.0, 0.0, 2.0), np.asarray(mesh.faces)


@pytest.mark.parametrize("flip", [False, True])  # outward and inward winding
def test_only_triangles_facing_the_camera_are_kept(sphere, flip):
    vertices, faces = sphere
    if flip:
        faces = faces[:, ::-1]

    kept = trim_occluder(vertices, faces, K, (0, 0, *SIZE), 10.0, 0.05)

    # Reference: the outward face normal points at the camera.
    corners = vertices[kept]  # (F', 3, 3)
    normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
    centres = corners.mean(axis=1)
    assert np.all(np.einsum("ij,ij->i", normals, -centres) > 0)
    radial = np.einsum("ij,ij->i", normals, centres - (0.0, 0.0, 2.0))
    assert np.all(radial > 0)  # wound outward
    assert 0.4 * len(faces) < len(kept) < 0.6 * len(faces)


def test_triangles_behind_the_garment_or_beside_the_window_go(sphere):
    vertices, faces = sphere

    behind = trim_occluder(vertices, faces, K, (0, 0, *SIZE), 1.75, 0.05)
    beside = trim_occluder(vertices, faces, K, (0, 0, 100, 100), 10.0, 0.05)

    assert np.all(vertices[behind][:, :, 2].min(axis=1) <= 1.75)
    assert 0 < len(behind) < 0.5 * len(faces)
    assert len(beside) == 0  # the sphere projects around the image centre
