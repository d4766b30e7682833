"""Colliders: analytic shapes, and the mesh collider against analytic ones."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import trimesh

from garments.colliders import Collider, MeshCollider, PlaneCollider, SphereCollider
from tests.garments.test_cloth_fixtures import makehuman_bodies  # noqa: F401

# Grid error of the mesh collider at 1 cm spacing near a smooth surface,
# including the icosphere's own deviation from the true sphere, metres.
NEAR_SURFACE_TOLERANCE = 0.003
RADIUS = 0.3


def _random_points(count: int, scale: float, seed: int = 0) -> torch.Tensor:
    generator = np.random.default_rng(seed)
    return torch.as_tensor(
        generator.uniform(-scale, scale, (count, 3)), dtype=torch.float32
    )


@pytest.fixture(scope="module")
def sphere_mesh_collider() -> MeshCollider:
    mesh = trimesh.creation.icosphere(subdivisions=4, radius=RADIUS)
    return MeshCollider(mesh.vertices, mesh.faces, spacing=0.01)


def test_sphere_collider_matches_geometry():
    collider = SphereCollider((0.1, 0.2, 0.3), 0.5)
    points = torch.tensor([[0.1, 0.2, 0.3 + 0.7], [0.1, 0.2 - 0.2, 0.3]])
    distance, normals = collider.query(points)
    torch.testing.assert_close(distance, torch.tensor([0.2, -0.3]))
    torch.testing.assert_close(normals, torch.tensor([[0.0, 0, 1], [0, -1, 0]]))


def test_plane_collider_matches_geometry():
    collider = PlaneCollider((0.0, 1.0, 0.0), (0.0, 2.0, 0.0))
    distance, normals = collider.query(torch.tensor([[5.0, 1.5, -3.0]]))
    torch.testing.assert_close(distance, torch.tensor([0.5]))
    torch.testing.assert_close(normals, torch.tensor([[0.0, 1.0, 0.0]]))


def test_colliders_follow_the_protocol(sphere_mesh_collider):
    for collider in (
        SphereCollider((0, 0, 0), 1.0),
        PlaneCollider((0, 0, 0)),
        sphere_mesh_collider,
    ):
        assert isinstance(collider, Collider)


def test_mesh_collider_matches_a_sphere_near_its_surface(sphere_mesh_collider):
    directions = torch.nn.functional.normalize(_random_points(2000, 1.0), dim=1)
    radii = torch.linspace(RADIUS - 0.02, RADIUS + 0.02, 2000)[:, None]
    points = directions * radii
    distance, normals = sphere_mesh_collider.query(points)
    expected = radii[:, 0] - RADIUS
    assert float((distance - expected).abs().max()) < NEAR_SURFACE_TOLERANCE
    assert float((normals * directions).sum(dim=1).min()) > 0.98


def test_mesh_collider_signs_far_points(sphere_mesh_collider):
    points = _random_points(5000, 0.6, seed=1)
    distance, _ = sphere_mesh_collider.query(points)
    radius = points.norm(dim=1)
    far = (radius - RADIUS).abs() > 0.03
    inside = radius < RADIUS
    assert bool(((distance < 0) == inside)[far].all())
    # beyond the grid the distance keeps growing with the distance to the box
    outside, _ = sphere_mesh_collider.query(torch.tensor([[2.0, 0.0, 0.0]]))
    assert float(outside) == pytest.approx(2.0 - RADIUS, abs=0.02)


def test_mesh_collider_is_near_zero_on_a_body_surface(makehuman_bodies):  # noqa: F811
    body_vertices, body_faces, collider = makehuman_bodies["female"]
    body_mesh = trimesh.Trimesh(body_vertices, body_faces, process=False)
    vertices = torch.as_tensor(body_vertices, dtype=torch.float32)
    distance, _ = collider.query(vertices)
    assert float(distance.abs().mean()) < 0.0015
    # on the trunk (not fingers, toes or ears, thinner than the grid
    # resolves), a centimetre in along the normal is inside, a centimetre
    # out is not
    trunk = (vertices[:, 0].abs() < 0.2) & (vertices[:, 1].abs() < 0.5)
    normals = torch.as_tensor(np.array(body_mesh.vertex_normals), dtype=torch.float32)
    inside, _ = collider.query((vertices - 0.01 * normals)[trunk])
    outside, _ = collider.query((vertices + 0.01 * normals)[trunk])
    assert float((inside < 0).float().mean()) > 0.99
    assert float((outside > 0).float().mean()) > 0.99


@pytest.mark.parametrize(
    ("build", "message"),
    [
        # a ball needs a positive radius
        (lambda: SphereCollider((0, 0, 0), 0.0), "radius must be positive, got 0.0"),
        # a plane needs a direction
        (
            lambda: PlaneCollider((0, 0, 0), (0, 0, 0)),
            "normal must have a non-zero length, got (0, 0, 0)",
        ),
        # faces are triangles
        (
            lambda: MeshCollider(np.zeros((4, 3)), np.zeros((4, 2))),
            "faces must have shape (F, 3), got (4, 2)",
        ),
        # faces index existing vertices
        (
            lambda: MeshCollider(np.zeros((3, 3)), np.array([[0, 1, 3]])),
            "faces must index vertices 0..2, got 0..3",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(build, message):
    with pytest.raises(ValueError) as error:
        build()
    assert str(error.value) == message
