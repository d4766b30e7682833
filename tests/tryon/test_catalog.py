"""The catalog: bundled garments, imports through the CLI, atomicity, previews."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from garments.procedural import DEFAULT_CATALOG
from tests.conftest import require_testdata
from tryon.catalog import Catalog
from tryon.cli import main
from tryon.errors import NotFound
from tryon.settings import load_settings

BUNDLED_IDS = sorted(entry.id for entry in DEFAULT_CATALOG)

# Every awkward file, and why it is refused (none of them is a garment).
ODD_FILES = {
    "empty.obj": "empty.obj: the file holds no triangles; export the garment as a mesh",
    "busted.STL": "busted.STL: the mesh is a closed solid, not a garment; "
    "garments are open cloth surfaces with openings for the body",
    "soup.stl": "soup.stl: the mesh is 100 separate pieces of at most 1 "
    "triangles, not a cloth surface; export the garment as connected surfaces",
    "notenoughindices.obj": "notenoughindices.obj: the mesh has only 1 "
    "triangles, too few for a garment; export the full garment",
    "negative_indices.obj": "negative_indices.obj: the mesh has only 12 "
    "triangles, too few for a garment; export the full garment",
    "nancolor.obj": "nancolor.obj: the mesh has only 12 triangles, too few for "
    "a garment; export the full garment",
    "polygonfaces.obj": "polygonfaces.obj: the mesh has only 3 triangles, too "
    "few for a garment; export the full garment",
    "whitespace.off": "whitespace.off: the mesh has only 12 triangles, too few "
    "for a garment; export the full garment",
    "counter.unitsmm.STL": "counter.unitsmm.STL: the mesh is a closed solid, "
    "not a garment; garments are open cloth surfaces with openings for the body",
    "capsule.obj": "capsule.obj: the mesh is a closed solid, not a garment; "
    "garments are open cloth surfaces with openings for the body",
    "AlphaBlendModeTest.glb": "AlphaBlendModeTest.glb: the mesh is 19 separate "
    "pieces of at most 18 triangles, not a cloth surface; export the garment as "
    "connected surfaces",
}


def _catalog_state(home) -> tuple[list[str], list[str]]:
    catalog = Catalog(load_settings())
    ids = sorted(g.id for g in catalog.list())
    meshes = sorted(p.name for p in (home / "meshes").iterdir())
    return ids, meshes


def test_new_data_directory_shows_the_bundled_catalog(tryon_home, capsys):
    assert main(["garments", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(g["id"] for g in listed) == BUNDLED_IDS
    for garment in listed:
        assert {"id", "name", "category", "sizes"} <= set(garment)
        assert garment["sizes"] == ["XS", "S", "M", "L", "XL", "XXL"]
    # Seeding happens once: a removed bundled garment stays removed.
    assert main(["garments", "remove", "tee-coral"]) == 0
    catalog = Catalog(load_settings())
    assert catalog.ensure_default_catalog() == 0
    assert "tee-coral" not in {g.id for g in catalog.list()}


def test_show_and_unknown_garment(tryon_home, capsys):
    assert main(["garments", "show", "jeans-indigo", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["category"] == "bottom" and shown["fabric"] == "denim"
    assert main(["garments", "show", "nope"]) == 2
    assert capsys.readouterr().err.strip() == (
        "tryon: error: there is no garment 'nope'; see `tryon garments list`"
    )


@pytest.mark.parametrize("name", sorted(ODD_FILES))
def test_odd_files_are_refused_with_one_line(tryon_home, capsys, name):
    path = require_testdata("meshes_odd", name)
    before = _catalog_state(tryon_home)
    capsys.readouterr()
    assert main(["garments", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == f"tryon: error: {ODD_FILES[name]}\n"
    assert _catalog_state(tryon_home) == before


def test_import_through_the_cli_adds_every_part(tryon_home, capsys, monkeypatch):
    from garments.importer import fitting

    # The solver is tested elsewhere; skipping it keeps this test fast.
    monkeypatch.setattr(fitting, "_settle", lambda *args: None)
    path = require_testdata("garments", "makehuman", "male_casualsuit04.obj")
    assert main(["garments", "import", str(path), "--json", "--price", "25"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["units"] == "dm" and report["up_axis"] == "y"
    assert report["garment_ids"] == [
        "male-casualsuit04-bottom",
        "male-casualsuit04-top",
    ]
    catalog = Catalog(load_settings())
    top = catalog.get("male-casualsuit04-top")
    assert top.category == "top" and top.price == 25.0
    assert top.import_report["units"] == "dm"
    asset = catalog.asset(top.id)
    folder = tryon_home / "meshes" / top.mesh_key
    assert (folder / "asset.npz").exists()
    assert (folder / "source" / "male_casualsuit04.obj").read_bytes() == (
        path.read_bytes()
    )
    assert asset.vertices.shape[1] == 3
    # Removing takes the asset directory with it.
    assert main(["garments", "remove", top.id]) == 0
    assert not (tryon_home / "meshes" / top.mesh_key).exists()
    with pytest.raises(NotFound):
        catalog.get(top.id)


def test_import_failing_half_way_leaves_the_catalog_unchanged(tryon_home, monkeypatch):
    catalog = Catalog(load_settings())
    before = _catalog_state(tryon_home)
    written = []
    original = catalog._write_asset

    def write_then_remember(key, asset, source=None):
        made = original(key, asset, source)
        written.extend(made)
        return made

    def fail(record):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(catalog, "_write_asset", write_then_remember)
    monkeypatch.setattr(catalog.store, "put_garment", fail)
    path = require_testdata("garments", "arcsim", "pants3.obj")
    with pytest.raises(RuntimeError, match="the database went away"):
        catalog.import_file(path, settle=False)
    assert written  # the asset had been written before the failure
    monkeypatch.undo()
    assert _catalog_state(tryon_home) == before
    assert not [p for p in (tryon_home / "meshes").iterdir() if p.name[0] == "."]


def test_update_checks_its_fields(tryon_home):
    catalog = Catalog(load_settings())
    updated = catalog.update("tee-navy", price=21.5, tags=["basics"])
    assert catalog.get("tee-navy").price == 21.5
    assert updated.tags == ("basics",)
    from garments.errors import MeshImportError

    with pytest.raises(MeshImportError, match="colour 'blue' is not #rrggbb"):
        catalog.update("tee-navy", colour="blue")


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """One seeded catalog shared by the preview tests."""
    home = tmp_path_factory.mktemp("preview-home")
    settings = load_settings({"TRYON_HOME": str(home)})
    return Catalog(settings)


@pytest.mark.parametrize("garment_id", BUNDLED_IDS)
def test_every_bundled_garment_previews_in_every_size(bundled, tmp_path, garment_id):
    import trimesh

    garment = bundled.get(garment_id)
    heights = []
    for size in garment.sizes:
        out = bundled.preview(garment_id, size, tmp_path / f"{size}.glb")
        scene = trimesh.load(out, force="scene")
        assert {"garment", "body"} <= set(scene.graph.nodes)
        vertices = scene.geometry["garment"].vertices
        assert np.all(np.isfinite(vertices))
        heights.append(np.ptp(vertices[:, 1]))
    # Longer in larger sizes (the chart adds length per size).
    assert heights[-1] > heights[0]


@pytest.mark.parametrize("garment_id", ["dress-silk", "jeans-indigo"])
def test_png_preview(bundled, tmp_path, garment_id):
    from PIL import Image

    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    out = bundled.preview(garment_id, "L", tmp_path / "preview.png")
    picture = np.asarray(Image.open(out).convert("RGB"))
    assert picture.shape == (768, 512, 3)
    # Something besides the white background and the grey body was drawn.
    colourful = np.ptp(picture.astype(int), axis=2) > 40
    assert colourful.mean() > 0.02


def test_preview_refuses_unknown_size_and_format(bundled, tmp_path):
    from tryon.errors import InputError

    with pytest.raises(InputError) as error:
        bundled.preview("tee-navy", "XXXL", tmp_path / "x.glb")
    assert str(error.value) == (
        "size 'XXXL' is not a size of tee-navy; use one of XS, S, M, L, XL, XXL"
    )
    with pytest.raises(InputError) as error:
        bundled.preview("tee-navy", "M", tmp_path / "x.jpg")
    assert str(error.value) == "preview file x.jpg must end in .png or .glb"


def test_cli_preview_writes_a_glb(tryon_home, tmp_path, capsys):
    import trimesh

    out = tmp_path / "skirt.glb"
    assert (
        main(["garments", "preview", "skirt-wool", "--size", "S", "--out", str(out)])
        == 0
    )
    scene = trimesh.load(out, force="scene")
    assert {"garment", "body"} <= set(scene.graph.nodes)
    assert (
        main(["garments", "preview", "skirt-wool", "--size", "Q", "--out", str(out)])
        == 2
    )
    assert capsys.readouterr().err.strip() == (
        "tryon: error: size 'Q' is not a size of skirt-wool; "
        "use one of XS, S, M, L, XL, XXL"
    )


def test_orphan_asset_directories_are_collected(tryon_home):
    catalog = Catalog(load_settings())
    catalog.list()
    orphan = tryon_home / "meshes" / "0123456789abcdef"
    orphan.mkdir()
    (tryon_home / "meshes" / ".tmp-leftover").mkdir()
    assert sorted(catalog.collect_garbage()) == [".tmp-leftover", "0123456789abcdef"]
    for garment in catalog.list():
        assert (tryon_home / "meshes" / garment.mesh_key / "asset.npz").exists()


def test_garment_records_round_trip(bundled):
    from garments.model import Garment

    garment = bundled.get("dress-silk")
    record = json.loads(json.dumps(garment.to_record()))
    again = Garment.from_record(record)
    assert again == garment and hash(again) == hash(garment)
    assert again.size_chart["XL"]["chest"] > again.size_chart["M"]["chest"]


def test_asset_save_and_load_round_trip(bundled, tmp_path):
    from garments.model import GarmentAsset

    asset = bundled.asset("tee-navy")
    asset.save(tmp_path / "copy")
    again = GarmentAsset.load(tmp_path / "copy")
    np.testing.assert_array_equal(again.vertices, asset.vertices)
    np.testing.assert_array_equal(again.render.uvs, asset.render.uvs)
    np.testing.assert_array_equal(again.render.texture, asset.render.texture)
    np.testing.assert_array_equal(again.binding_offsets, asset.binding_offsets)
