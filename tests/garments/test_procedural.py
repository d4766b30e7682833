"""Procedural garments: topology, sizes, textures, the bundled catalog."""

from __future__ import annotations

import json

import numpy as np
import pytest

from garments import procedural
from garments.model import DEFAULT_SIZES, GarmentAsset, mesh_edges

# Openings of each kind: neckline, hem and two sleeves; waist and hem;
# waist and two legs.
OPENINGS = {
    "tshirt": 4,
    "longsleeve": 4,
    "dress": 4,
    "skirt": 2,
    "trousers": 3,
    "shorts": 3,
}


def _edge_uses(faces: np.ndarray) -> np.ndarray:
    pairs = np.sort(
        np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1
    )
    _, uses = np.unique(pairs, axis=0, return_counts=True)
    return uses


def _boundary_loops(faces: np.ndarray) -> int:
    from garments.importer.geometry import count_openings

    return count_openings(faces)


@pytest.fixture(scope="module")
def meshes() -> dict[str, procedural.PatternMesh]:
    chart = {kind: procedural.size_chart(kind) for kind in procedural.KINDS}
    return {
        kind: procedural.make_panels(procedural.garment_pattern(kind, chart[kind]["M"]))
        for kind in procedural.KINDS
    }


@pytest.mark.parametrize("kind", procedural.KINDS)
def test_panels_are_a_manifold_with_the_kinds_openings(meshes, kind):
    mesh = meshes[kind]
    uses = _edge_uses(mesh.faces)
    assert uses.max() <= 2  # no edge shared by three triangles
    assert _boundary_loops(mesh.faces) == OPENINGS[kind]
    # Euler characteristic of a sphere with k holes: 2 - k.
    edges = len(mesh_edges(mesh.faces))
    euler = len(mesh.vertices) - edges + len(mesh.faces)
    assert euler == 2 - OPENINGS[kind]


@pytest.mark.parametrize("kind", procedural.KINDS)
def test_simulation_mesh_size_and_consistent_winding(meshes, kind):
    import trimesh

    mesh = meshes[kind]
    assert 1000 <= len(mesh.vertices) <= 5000
    shape = trimesh.Trimesh(mesh.vertices, mesh.faces, process=False)
    assert shape.is_winding_consistent


@pytest.mark.parametrize("kind", procedural.KINDS)
def test_render_mesh_follows_the_simulation_mesh(meshes, kind):
    mesh = meshes[kind]
    render = mesh.render
    assert len(render.uvs) == len(render.vertices)
    np.testing.assert_allclose(render.vertices, mesh.vertices[render.sim_index])
    moved = mesh.vertices + np.float32([0.1, -0.2, 0.3])
    np.testing.assert_allclose(
        render.follow(moved, mesh.faces), moved[render.sim_index], atol=1e-6
    )


@pytest.mark.parametrize("kind", procedural.KINDS)
def test_size_chart_grows_with_the_size(kind):
    chart = procedural.size_chart(kind)
    assert list(chart) == list(DEFAULT_SIZES)
    for key in chart["M"]:
        values = [chart[size][key] for size in DEFAULT_SIZES]
        assert values == sorted(values)


def test_garment_width_follows_the_chart():
    # The chest girth of the flat pattern's torso (an ellipse) is the chart's.
    chart = procedural.size_chart("tshirt")
    body = procedural.default_mannequin()
    pattern = procedural.garment_pattern("tshirt", chart["M"], body)
    torso = pattern.bands[0]
    t = (body.chest_y - torso.start[1]) / (torso.end[1] - torso.start[1])
    width, depth = torso.profile(np.array([t]))
    a, b = float(width[0]), float(depth[0])
    perimeter = np.pi * (3 * (a + b) - np.sqrt((3 * a + b) * (a + 3 * b)))
    assert perimeter * 100 == pytest.approx(chart["M"]["chest"], abs=0.5)


@pytest.mark.parametrize("weave", ["jersey", "twill", "denim", "plain"])
def test_texture_tiles(weave):
    tile = procedural.texture_tile(weave, "#336699", size=64)
    assert tile.shape == (64, 64, 3) and tile.dtype == np.uint8
    assert 20 < tile.mean() < 235


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        procedural.size_chart("hat")


def test_bundled_catalog_is_complete():
    from tryon.catalog import BUNDLED_CATALOG

    records = json.loads((BUNDLED_CATALOG / "catalog.json").read_text("utf-8"))
    kinds = {r["source_file"].split(":")[1] for r in records}
    assert kinds == set(procedural.KINDS)
    for record in records:
        assert record["sizes"] == list(DEFAULT_SIZES)
        asset = GarmentAsset.load(BUNDLED_CATALOG / record["mesh_key"])
        assert 1000 <= len(asset.vertices) <= 5000
        assert asset.render.texture is not None
        # Bound to the canonical mannequin.
        assert asset.binding_faces.min() >= 0
        assert record["import_report"]["penetration_ratio"] < 0.01


def test_bundled_assets_are_the_generators_cut():
    # Faces and UVs come from the cut alone (settling moves vertices only),
    # so the committed assets must match what the generator cuts today.
    from tryon.catalog import BUNDLED_CATALOG, canonical_mannequin

    mannequin = canonical_mannequin()
    proportions = procedural.mannequin_from_body(mannequin.vertices, mannequin.anchors)
    records = json.loads((BUNDLED_CATALOG / "catalog.json").read_text("utf-8"))
    for entry, record in zip(procedural.DEFAULT_CATALOG, records, strict=True):
        assert record["id"] == entry.id
        chart = procedural.size_chart(entry.kind)
        pattern = procedural.garment_pattern(entry.kind, chart["M"], proportions)
        panels = procedural.make_panels(pattern)
        asset = GarmentAsset.load(BUNDLED_CATALOG / record["mesh_key"])
        np.testing.assert_array_equal(asset.faces, panels.faces)
        np.testing.assert_array_equal(asset.render.uvs, panels.render.uvs)
