"""The mesh importer on real garment files and on awkward or broken meshes."""

from __future__ import annotations

import bz2
import zipfile
from pathlib import Path

import numpy as np
import pytest

from garments.errors import MeshImportError
from garments.importer import (
    Limits,
    build_garments,
    import_mesh,
    parse_file,
    penetration_ratio,
    validate,
)
from tests.conftest import require_testdata

# Largest share of garment vertices allowed inside the mannequin.
MAX_PENETRATION = 0.01

# file -> (units, up axis, categories of its parts in order)
GARMENTS = {
    "makehuman/male_casualsuit04.obj": ("dm", "y", ["bottom", "top"]),
    "makehuman/female_casualsuit02.obj": ("dm", "y", ["bottom", "top"]),
    "makehuman/female_elegantsuit01.obj": ("dm", "y", ["dress"]),
    "makehuman/female_sportsuit01.obj": ("dm", "y", ["top", "bottom"]),
    "arcsim/tshirt.obj": ("m", "z", ["top"]),
    "arcsim/pants3.obj": ("m", "z", ["bottom"]),
}


@pytest.fixture(scope="module")
def mannequin():
    from tryon.catalog import canonical_mannequin

    return canonical_mannequin()


@pytest.fixture(scope="module")
def imported(mannequin):
    """Every test garment imported once (without the solver, for speed)."""
    folder = require_testdata("garments")
    return {
        name: import_mesh(folder / name, mannequin, settle=False) for name in GARMENTS
    }


@pytest.mark.parametrize("name", list(GARMENTS))
def test_units_up_axis_and_parts_are_detected(imported, name):
    units, up, categories = GARMENTS[name]
    report = imported[name].report
    assert report.units == units and report.units_detected
    assert report.up_axis == up and report.up_detected
    assert [part.category for part in report.parts] == categories


@pytest.mark.parametrize("name", list(GARMENTS))
def test_garments_sit_on_the_mannequin_without_penetration(imported, mannequin, name):
    for _garment, asset in imported[name].parts:
        assert penetration_ratio(asset.vertices, mannequin) < MAX_PENETRATION
        # The binding to the mannequin gives the rest shape back.
        from garments.binding import Binding

        binding = Binding(
            asset.binding_faces,
            asset.binding_barycentrics,
            asset.binding_offsets,
            mannequin.faces,
        )
        np.testing.assert_allclose(
            binding.apply(mannequin.vertices), asset.vertices, atol=1e-4
        )
        assert 1000 <= len(asset.vertices) <= 5000


@pytest.mark.parametrize("name", list(GARMENTS))
def test_parts_are_placed_by_their_category(imported, mannequin, name):
    from garments.grading import anchor_height

    waist = anchor_height(mannequin.anchors, "waist")
    neck = anchor_height(mannequin.anchors, "neck")
    for garment, asset in imported[name].parts:
        top = asset.vertices[:, 1].max()
        if garment.category == "bottom":
            assert waist - 0.1 < top < waist + 0.1
        else:
            assert neck - 0.1 < top < neck + 0.1
        # Centred on the body's vertical axis.
        centre = (asset.vertices[:, 0].max() + asset.vertices[:, 0].min()) / 2
        assert abs(centre) < 0.03


def test_render_mesh_keeps_uv_seams_and_follows_the_simulation(imported):
    result = imported["makehuman/male_casualsuit04.obj"]
    for _, asset in result.parts:
        render = asset.render
        assert len(render.vertices) > len(np.unique(render.sim_index))
        follow = render.follow(asset.vertices, asset.faces)
        np.testing.assert_allclose(follow, render.vertices, atol=1e-5)
    assert any("welded" in repair for repair in result.report.repairs)
    assert any("triangulated" in repair for repair in result.report.repairs)


def test_inconsistent_winding_is_repaired(imported):
    import trimesh

    result = imported["makehuman/female_elegantsuit01.obj"]
    assert any("winding" in repair for repair in result.report.repairs)
    _, asset = result.parts[0]
    mesh = trimesh.Trimesh(asset.vertices, asset.faces, process=False)
    assert mesh.is_winding_consistent


def test_settling_with_the_cloth_solver_keeps_the_garment_out(mannequin):
    path = require_testdata("garments", "arcsim", "pants3.obj")
    result = import_mesh(path, mannequin, settle=True)
    (_garment, asset), report = result.parts[0], result.report
    assert report.parts[0].settled
    assert penetration_ratio(asset.vertices, mannequin) < MAX_PENETRATION


def test_flags_override_detection(mannequin):
    path = require_testdata("garments", "arcsim", "pants3.obj")
    raw = parse_file(path)
    result = build_garments(
        raw,
        mannequin,
        settle=False,
        units="m",
        up="z",
        category="bottom",
        name="Sewn trousers",
        fabric="denim",
        colour="#112233",
        price=30.0,
        sizes=["S", "M", "L"],
        tags=["test"],
    )
    report = result.report
    assert not report.units_detected and not report.up_detected
    garment, _ = result.parts[0]
    assert garment.name == "Sewn trousers" and garment.id == "sewn-trousers"
    assert garment.fabric == "denim" and garment.colour == "#112233"
    assert garment.sizes == ("S", "M", "L") and garment.base_size == "M"
    assert set(garment.size_chart) == {"S", "M", "L"}


def test_archives_are_read(tmp_path, mannequin):
    source = require_testdata("garments", "arcsim", "pants3.obj")
    packed = tmp_path / "pants.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(source, "pants3.obj")
    compressed = tmp_path / "pants3.obj.bz2"
    compressed.write_bytes(bz2.compress(source.read_bytes()))
    for path in (packed, compressed):
        raw = parse_file(path)
        validate(raw)
        assert len(raw.faces) == 188
    assert parse_file(packed).format == "obj in zip"


def _write_obj(path: Path, vertices: np.ndarray, faces: np.ndarray) -> Path:
    lines = [f"v {x} {y} {z}" for x, y, z in vertices]
    lines += [f"f {a + 1} {b + 1} {c + 1}" for a, b, c in faces]
    path.write_text("\n".join(lines) + "\n")
    return path


def _grid(count: int = 12) -> tuple[np.ndarray, np.ndarray]:
    """A flat square sheet of (count x count) vertices, 0.6 m wide, z = 0."""
    u, v = np.meshgrid(np.linspace(0, 0.6, count), np.linspace(0, 0.6, count))
    vertices = np.column_stack([u.ravel(), v.ravel(), np.zeros(u.size)])
    faces = []
    for i in range(count - 1):
        for j in range(count - 1):
            a = i * count + j
            faces += [[a, a + 1, a + count], [a + 1, a + count + 1, a + count]]
    return vertices, np.array(faces)


def test_flat_sewing_pattern_is_refused(tmp_path):
    path = _write_obj(tmp_path / "pattern.obj", *_grid())
    with pytest.raises(MeshImportError) as error:
        validate(parse_file(path))
    assert str(error.value) == (
        "pattern.obj: the mesh is flat (every z is equal), a 2-D sewing pattern "
        "rather than a garment; sew it into a 3-D garment first"
    )


def test_nan_coordinates_are_refused(tmp_path):
    vertices, faces = _grid()
    vertices = np.vstack([vertices[:-1], [[np.nan, 0.0, 0.1]]])
    vertices[:, 2] = np.linspace(0, 0.3, len(vertices))
    path = _write_obj(tmp_path / "nan.obj", vertices, faces)
    with pytest.raises(MeshImportError, match="NaN or infinite vertex coordinates"):
        validate(parse_file(path))


def test_not_garment_sized_is_refused(tmp_path, mannequin):
    vertices, faces = _grid()
    vertices = vertices * 100_000.0
    vertices[:, 2] = np.linspace(0, 10_000.0, len(vertices))
    path = _write_obj(tmp_path / "huge.obj", vertices, faces)
    raw = parse_file(path)
    with pytest.raises(MeshImportError) as error:
        build_garments(raw, mannequin, settle=False)
    assert str(error.value) == (
        "huge.obj: the mesh is 6e+04 units across, not garment-sized in m, dm, "
        "cm or mm; give --units if it is a garment"
    )


def test_limits_against_abuse(tmp_path):
    source = require_testdata("garments", "arcsim", "pants3.obj")
    packed = tmp_path / "big.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(source, "pants3.obj")
    with pytest.raises(MeshImportError) as error:
        parse_file(packed, Limits(max_expanded_mb=0.001))
    assert str(error.value) == (
        "big.zip: the archive expands to more than 0 MB; send the mesh file itself"
    )
    with pytest.raises(MeshImportError) as error:
        parse_file(source, Limits(max_faces=100))
    assert str(error.value) == (
        "pants3.obj: the mesh has 188 triangles, more than the 100 limit; "
        "decimate it first"
    )


def test_report_reads_well(imported):
    report = imported["makehuman/male_casualsuit04.obj"].report
    assert "triangulated 1620 quads and polygons" in report.repairs
    text = report.to_text().splitlines()
    assert text[0] == "male_casualsuit04.obj (obj)"
    assert text[1] == "  units: dm (detected), up axis: Y (detected)"
    assert text[2].startswith("  part bottom: bottom (detected), 971 vertices")
    data = report.to_dict()
    assert [p["category"] for p in data["parts"]] == ["bottom", "top"]
    assert data["units"] == "dm" and data["up_axis"] == "y"


def test_dense_meshes_are_decimated_for_simulation(tmp_path, mannequin):
    import trimesh

    from garments import procedural

    # A procedural T-shirt subdivided to about 9k vertices, written in cm.
    chart = procedural.size_chart("tshirt")
    mesh = procedural.make_panels(procedural.garment_pattern("tshirt", chart["M"]))
    vertices, faces = trimesh.remesh.subdivide(mesh.vertices, mesh.faces)
    path = tmp_path / "dense_tee.obj"
    trimesh.Trimesh(vertices * 100.0, faces, process=False).export(path)
    result = import_mesh(path, mannequin, settle=False)
    report = result.report
    assert report.units == "cm" and report.parts[0].category == "top"
    assert any("decimated" in repair for repair in report.repairs)
    _, asset = result.parts[0]
    assert 1500 <= len(asset.vertices) <= 5000
    assert len(asset.render.vertices) == len(vertices)
    assert penetration_ratio(asset.vertices, mannequin) < MAX_PENETRATION
    np.testing.assert_allclose(
        asset.render.follow(asset.vertices, asset.faces),
        asset.render.vertices,
        atol=1e-5,
    )


@pytest.fixture(scope="module")
def trousers_files(tmp_path_factory):
    """Procedural trousers written in every format (textured where it can be)."""
    import trimesh

    from garments import procedural
    from garments.importer.preview import garment_trimesh

    folder = tmp_path_factory.mktemp("formats")
    chart = procedural.size_chart("trousers")
    render = procedural.make_panels(
        procedural.garment_pattern("trousers", chart["M"])
    ).render
    texture = procedural.texture_tile("denim", "#2c4a7a", size=64)
    textured = garment_trimesh(render.vertices, render.faces, render.uvs, texture, "")
    plain = trimesh.Trimesh(render.vertices, render.faces, process=False)
    files = {}
    for suffix in ("glb", "obj", "stl", "ply", "off"):
        path = folder / f"trousers.{suffix}"
        if suffix == "glb":
            trimesh.Scene(textured).export(path)
        elif suffix == "obj":
            textured.export(path)
        else:
            plain.export(path)
        files[suffix] = path
    return files


# Each format of the same trousers: same garment, texture where it is kept.
@pytest.mark.parametrize(
    "suffix, textured",
    [("glb", True), ("obj", True), ("stl", False), ("ply", False), ("off", False)],
)
def test_every_format_imports_the_same_garment(
    trousers_files, mannequin, suffix, textured
):
    result = import_mesh(trousers_files[suffix], mannequin, settle=False)
    report = result.report
    assert (report.units, report.up_axis) == ("m", "y")
    assert [(p.category, p.openings) for p in report.parts] == [("bottom", 3)]
    _, asset = result.parts[0]
    assert (asset.render.texture is not None) == textured
    assert penetration_ratio(asset.vertices, mannequin) < MAX_PENETRATION


def test_textured_obj_in_a_zip_keeps_its_texture(trousers_files, tmp_path, mannequin):
    folder = trousers_files["obj"].parent
    packed = tmp_path / "trousers.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        for path in folder.iterdir():
            if path.suffix in (".obj", ".mtl", ".png", ".jpg"):
                archive.write(path, path.name)
    result = import_mesh(packed, mannequin, settle=False)
    assert result.report.format == "obj in zip"
    _, asset = result.parts[0]
    assert asset.render.texture is not None


@pytest.mark.parametrize("name", ["arcsim/pants3.obj", "arcsim/tshirt.obj"])
def test_upside_down_files_are_turned_the_right_way_up(tmp_path, mannequin, name):
    from garments.importer.geometry import is_upside_down

    raw = parse_file(require_testdata("garments", *name.split("/")))
    # Half a turn about the file's y axis: Z-up becomes Z-down.
    flipped = raw.vertices * np.array([-1.0, 1.0, -1.0])
    path = _write_obj(tmp_path / Path(name).name, flipped, raw.faces)
    result = import_mesh(path, mannequin, settle=False)
    assert "turned the garment the right way up (by its openings)" in (
        result.report.repairs
    )
    garment, asset = result.parts[0]
    assert garment.category == GARMENTS[name][2][0]
    assert not is_upside_down(asset.vertices, asset.faces)
