"""The XPBD cloth solver: hanging, draping, determinism, real outfits."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pytest
import torch
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from garments.cloth import (
    FABRICS,
    ClothSolver,
    SolverSettings,
    edge_strain,
    mesh_edges,
    mesh_hinges,
    penetration_ratio,
    vertex_masses,
    vertex_strain,
)
from garments.cloth.constraints import dihedral_angles, dihedral_angles_and_gradients
from garments.colliders import SphereCollider
from tests.garments.test_cloth_fixtures import (  # noqa: F401 (fixture)
    OUTFITS,
    load_makehuman,
    makehuman_bodies,
)

logger = logging.getLogger(__name__)

# Acceptance thresholds (see the cloth brief).
HANGING_STRAIN_P95 = 0.02
DROP_PENETRATION = 0.005
OUTFIT_PENETRATION = 0.01
OUTFIT_DRIFT_M = 0.05
# Parts whose top is below this height (canonical frame, metres above the
# hip joints) are bottoms, worn with a waistband.
WAIST_HEIGHT_M = 0.2


def square_cloth(cells: int, size: float, height: float) -> tuple[np.ndarray, ...]:
    """A flat square in the XZ plane at ``height``: vertices, faces, grid ids."""
    ticks = np.linspace(-size / 2, size / 2, cells + 1)
    x, z = np.meshgrid(ticks, ticks, indexing="ij")
    vertices = np.stack([x.ravel(), np.full(x.size, height), z.ravel()], axis=1)
    ids = np.arange((cells + 1) ** 2).reshape(cells + 1, cells + 1)
    a, b = ids[:-1, :-1].ravel(), ids[1:, :-1].ravel()
    c, d = ids[1:, 1:].ravel(), ids[:-1, 1:].ravel()
    faces = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
    return vertices, faces, ids


@pytest.fixture(scope="module")
def hanging():
    """A 0.5 m woven cotton square, 30 x 30 cells, hung by two corners."""
    vertices, faces, ids = square_cloth(30, 0.5, 1.0)
    pinned = np.zeros(len(vertices), dtype=bool)
    pinned[[ids[0, 0], ids[-1, 0]]] = True
    settings = SolverSettings(max_iterations=3000)
    solver = ClothSolver(
        vertices, faces, FABRICS["woven_cotton"], pinned=pinned, settings=settings
    )
    return solver, solver.settle(), vertices, pinned


def drop_on_sphere() -> tuple[ClothSolver, object]:
    vertices, faces, _ = square_cloth(20, 0.8, 0.35)
    collider = SphereCollider((0.0, 0.0, 0.0), 0.3)
    settings = SolverSettings(max_iterations=1600)
    solver = ClothSolver(
        vertices, faces, FABRICS["jersey"], collider=collider, settings=settings
    )
    return solver, solver.settle()


@pytest.fixture(scope="module")
def dropped():
    return drop_on_sphere()


def test_edges_hinges_and_masses_of_two_triangles():
    vertices = np.array([[0.0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]])
    faces = np.array([[0, 1, 2], [0, 2, 3]])
    assert mesh_edges(faces).tolist() == [[0, 1], [0, 2], [0, 3], [1, 2], [2, 3]]
    assert mesh_hinges(faces).tolist() == [[2, 0, 1, 3]]
    masses = vertex_masses(vertices, faces, density=0.2)
    assert masses.sum() == pytest.approx(0.2)  # 1 m^2 at 0.2 kg/m^2
    assert masses.tolist() == pytest.approx([0.2 / 3, 0.1 / 3, 0.2 / 3, 0.1 / 3])


def test_dihedral_gradients_match_autograd():
    generator = torch.Generator().manual_seed(0)
    positions = torch.randn(40, 3, dtype=torch.float64, generator=generator)
    hinges = torch.randint(0, 40, (25, 4), generator=generator)
    # four distinct corners per hinge
    hinges = hinges[(hinges[:, :, None] != hinges[:, None, :]).sum((1, 2)) == 12]
    positions.requires_grad_(True)
    for hinge in hinges:
        angle = dihedral_angles(positions, hinge[None])
        (reference,) = torch.autograd.grad(angle.sum(), positions)
        _, gradients = dihedral_angles_and_gradients(positions.detach(), hinge[None])
        torch.testing.assert_close(gradients[0], reference[hinge])


def test_strain_of_a_stretched_pair_of_edges():
    vertices = np.array([[0.0, 0, 0], [1.1, 0, 0], [1.1, 0.9, 0]])
    edges = np.array([[0, 1], [1, 2]])
    strain = edge_strain(vertices, edges, np.array([1.0, 1.0]))
    np.testing.assert_allclose(strain, [0.1, -0.1], atol=1e-6)
    np.testing.assert_allclose(
        vertex_strain(vertices, edges, np.array([1.0, 1.0])),
        [0.1, 0.0, -0.1],
        atol=1e-6,
    )


def test_fabric_presets_are_complete_and_physical():
    assert set(FABRICS) == {"jersey", "woven_cotton", "denim", "silk", "wool"}
    for name, fabric in FABRICS.items():
        assert fabric.name == name
        assert fabric.density > 0 and fabric.thickness > 0
        assert fabric.stretch_compliance > 0 and fabric.bending_compliance > 0
        assert 0 < fabric.friction < 1 and 0 < fabric.strain_limit < 1
    # a knit stretches more than a woven, denim is heavier than silk
    assert FABRICS["jersey"].stretch_compliance > FABRICS["denim"].stretch_compliance
    assert FABRICS["denim"].density > FABRICS["silk"].density


def test_hanging_cloth_settles_with_little_strain(hanging):
    solver, result, start, pinned = hanging
    strain = edge_strain(result.vertices, solver.edges, solver.rest_lengths)
    logger.info(
        "hanging: strain p95 %.4f, %s substeps, residual %.4f, converged %s",
        np.percentile(strain, 95),
        result.iterations,
        result.residual,
        result.converged,
    )
    assert np.percentile(strain, 95) < HANGING_STRAIN_P95
    assert result.converged
    assert result.kinetic_energy[-1] < 0.01 * max(result.kinetic_energy)
    np.testing.assert_array_equal(result.vertices[pinned], start[pinned])
    # it hangs: the free corners end well below the pins
    assert result.vertices[:, 1].min() < 1.0 - 0.4


def test_cloth_dropped_on_a_sphere_stays_outside(dropped):
    solver, result = dropped
    assert result.converged
    collider = solver.collider
    assert penetration_ratio(result.vertices, collider) < DROP_PENETRATION
    # it rests on the sphere: the centre on top, the edges hanging lower
    assert np.isfinite(result.vertices).all()
    assert result.vertices[:, 1].max() < 0.35
    assert result.vertices[:, 1].min() < 0.1


def test_same_input_gives_bit_identical_output(dropped):
    _, first = dropped
    _, second = drop_on_sphere()
    assert first.iterations == second.iterations
    assert np.array_equal(first.vertices, second.vertices)


def test_cloth_dropped_on_a_body_stays_outside(makehuman_bodies):  # noqa: F811
    _, _, collider = makehuman_bodies["female"]
    # a shawl over the shoulders, dropped from just above them
    vertices, faces, _ = square_cloth(24, 0.6, 0.72)
    vertices[:, 2] += 0.02
    settings = SolverSettings(max_iterations=400)
    solver = ClothSolver(
        vertices, faces, FABRICS["silk"], collider=collider, settings=settings
    )
    result = solver.settle()
    assert np.isfinite(result.vertices).all()
    assert penetration_ratio(result.vertices, collider) < DROP_PENETRATION
    assert result.vertices[:, 1].min() < 0.6  # it fell and draped


def test_attachments_hold_vertices_at_their_targets():
    vertices, faces, ids = square_cloth(10, 0.3, 1.0)
    held = np.array([ids[0, 0], ids[-1, 0]])
    targets = vertices[held] + np.array([0.0, 0.05, 0.0])
    solver = ClothSolver(
        vertices,
        faces,
        FABRICS["denim"],
        attachments=(held, targets),
        settings=SolverSettings(attachment_compliance=0.0, max_iterations=200),
    )
    result = solver.settle()
    np.testing.assert_allclose(result.vertices[held], targets, atol=1e-4)


def test_warm_start_from_a_settled_state_converges_at_once(dropped):
    solver, result = dropped
    solver.set_state(result.vertices)
    again = solver.settle()
    assert again.converged
    assert again.iterations <= result.iterations
    assert np.abs(again.vertices - result.vertices).max() < 0.01


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        # faces must be triangles
        ({"faces": np.zeros((2, 4))}, "faces must have shape (F, 3), got (2, 4)"),
        # one pin flag per vertex
        ({"pinned": np.zeros(3, bool)}, "pinned must have shape (4,), got (3,)"),
        # attachments index existing vertices
        (
            {"attachments": (np.array([7]), np.zeros((1, 3)))},
            "attachment indices must be in 0..3, got 7..7",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(arguments, message):
    inputs = {
        "vertices": np.array([[0.0, 0, 0], [1, 0, 0], [1, 0, 1], [0, 0, 1]]),
        "faces": np.array([[0, 1, 2], [0, 2, 3]]),
        "fabric": FABRICS["jersey"],
    }
    inputs.update(arguments)
    vertices, faces, fabric = (inputs.pop(k) for k in ("vertices", "faces", "fabric"))
    with pytest.raises(ValueError) as error:
        ClothSolver(vertices, faces, fabric, **inputs)
    assert str(error.value) == message


def mesh_parts(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(V,) int: which connected part of the mesh each vertex is in."""
    edges = mesh_edges(faces)
    graph = coo_matrix(
        (np.ones(len(edges)), (edges[:, 0], edges[:, 1])),
        shape=(len(vertices), len(vertices)),
    )
    return connected_components(graph, directed=False)[1]


def loose_parts(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(V,) bool: vertices of small separate parts (patches sewn on a part).

    The solver has no seams, so a patch that is a separate mesh part and
    rests on nothing would fall off; the tests pin those in place.
    """
    parts = mesh_parts(vertices, faces)
    sizes = np.bincount(parts)
    return np.isin(parts, np.flatnonzero(sizes < 0.15 * len(vertices)))


def waistbands(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Indices of the top centimetre of every part that ends below the chest.

    Trousers and shorts are held up by an elastic waistband or a belt,
    which the solver models as attachments to where the band starts.
    """
    parts = mesh_parts(vertices, faces)
    band = np.zeros(len(vertices), dtype=bool)
    for part in np.unique(parts):
        chosen = parts == part
        top = vertices[chosen, 1].max()
        if top < WAIST_HEIGHT_M and chosen.sum() > 0.15 * len(vertices):
            band |= chosen & (vertices[:, 1] > top - 0.01)
    return np.flatnonzero(band)


@pytest.mark.parametrize("outfit", sorted(OUTFITS))
def test_makehuman_outfit_stays_on_its_body(outfit, makehuman_bodies):  # noqa: F811
    _, _, collider = makehuman_bodies[OUTFITS[outfit]]
    vertices, faces = load_makehuman("garments", "makehuman", f"{outfit}.obj")
    start_penetration = penetration_ratio(vertices, collider)
    pinned = loose_parts(vertices, faces)
    band = waistbands(vertices, faces)
    solver = ClothSolver(
        vertices,
        faces,
        FABRICS["jersey"],
        collider=collider,
        pinned=pinned,
        attachments=(band, vertices[band]),
        settings=SolverSettings(max_iterations=400, attachment_compliance=1e-4),
    )
    result = solver.settle()
    drift = np.linalg.norm(result.vertices - vertices, axis=1)
    penetration = penetration_ratio(result.vertices, collider)
    strain = edge_strain(result.vertices, solver.edges, solver.rest_lengths)
    logger.warning(
        "%s: %s vertices (%s pinned, %s in waistbands), penetration %.4f -> "
        "%.4f, drift max %.3f m p95 %.3f m, strain p95 %.4f, %s substeps, "
        "residual %.3f, converged %s",
        outfit,
        len(vertices),
        int(pinned.sum()),
        len(band),
        start_penetration,
        penetration,
        drift.max(),
        np.percentile(drift, 95),
        np.percentile(strain, 95),
        result.iterations,
        result.residual,
        result.converged,
    )
    assert np.isfinite(result.vertices).all()
    assert penetration < OUTFIT_PENETRATION
    assert drift.max() < OUTFIT_DRIFT_M


def test_replaced_settings_take_effect_at_the_next_step():
    vertices, faces, _ = square_cloth(4, 0.2, 0.0)
    solver = ClothSolver(vertices, faces, FABRICS["wool"])
    solver.settings = dataclasses.replace(solver.settings, gravity=(0.0, 9.81, 0.0))
    solver.step()
    # it falls up, as much as free fall with damping allows in one frame
    rise = solver.vertices[:, 1].mean()
    assert 0.5 * 9.81 / 60**2 * 0.8 < rise < 0.5 * 9.81 / 60**2 * 1.2
