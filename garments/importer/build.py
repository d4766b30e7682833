"""Turn a parsed mesh into garments on the canonical mannequin.

Steps: detect units and up axis (or take them from the flags) and move the
mesh into the canonical frame; remove degenerate triangles; weld vertices
for simulation (the render mesh keeps its UV seams); split the outfit into
its garments (connected pieces); make each garment's winding consistent
and outward; name it by its shape (openings and length); bring the
simulation mesh to 1.5k-5k vertices; place it on the mannequin by its
category (neckline at the neck for tops and dresses, waistband at the
waist for bottoms), settle and bind it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from garments.errors import MeshImportError
from garments.grading import default_size_chart, measure_garment
from garments.importer.fitting import (
    MannequinMesh,
    fit_on_mannequin,
)
from garments.importer.geometry import (
    GARMENT_EXTENT,
    UNITS,
    connected_pieces,
    count_openings,
    degenerate_faces,
    detect_units,
    detect_up_axis,
    is_upside_down,
    join_dress,
    orient_outward,
    sim_resolution,
    to_canonical,
)
from garments.importer.loader import RawMesh, weld
from garments.importer.placement import place_on_mannequin
from garments.importer.report import ImportReport, PartReport
from garments.model import (
    CATEGORIES,
    DEFAULT_SIZES,
    Garment,
    GarmentAsset,
    RenderMesh,
    content_hash,
)

__all__ = ["ImportResult", "build_garments"]

logger = logging.getLogger(__name__)

# Parts with fewer triangles than this share of the file are not garments.
MIN_PART_SHARE = 0.03

# Parts no larger than this look like accessories, metres.
ACCESSORY_SIZE = 0.3

# Pieces smaller than this (collars, labels, buttons) are left out, metres.
MIN_PART_SIZE = 0.15

# Weld distance for the simulation mesh, metres.
WELD_TOLERANCE = 5e-4

# Share of vertices inside the mannequin that earns a warning.
MAX_PENETRATION = 0.01

# A garment hung from the neck that reaches this far is a dress, metres.
DRESS_LENGTH = 0.8

DEFAULT_FABRIC = {
    "top": "jersey",
    "bottom": "woven_cotton",
    "dress": "woven_cotton",
    "outerwear": "wool",
}


@dataclass(frozen=True)
class ImportResult:
    """Garments made from one file, not yet in the catalog.

    Attributes:
        parts: (Garment, GarmentAsset) per garment found.
        report: what was detected and repaired.
    """

    parts: tuple[tuple[Garment, GarmentAsset], ...]
    report: ImportReport


def _detect_category(
    vertices: np.ndarray, openings: int, mannequin: MannequinMesh
) -> str:
    """Category from openings and length (vertices in metres, Y up)."""
    height = float(np.ptp(vertices[:, 1]))
    if openings >= 4:
        return "dress" if height > DRESS_LENGTH else "top"
    if openings in (2, 3):
        return "bottom"
    # Fall back on where the widest slice sits.
    y = vertices[:, 1]
    upper = np.ptp(vertices[y > np.median(y), 0])
    lower = np.ptp(vertices[y <= np.median(y), 0])
    return "top" if upper >= lower else "bottom"


def _labels(value: str | list[str] | None) -> list[str] | None:
    """A list of labels from a list or a comma-separated string."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.split(",")
    labels = [str(item).strip() for item in value if str(item).strip()]
    return labels or None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "garment"


@dataclass(frozen=True)
class _Part:
    name: str
    category: str
    detected: bool
    faces: np.ndarray  # (M, 3) indices into the render vertices
    openings: int


@dataclass(frozen=True)
class _Prepared:
    """A file's mesh in the canonical frame, with its simulation weld.

    Attributes:
        vertices: (N, 3) render vertices, metres, canonical frame.
        faces: (M, 3) render triangles (degenerate ones removed).
        welded: (V, 3) simulation vertices.
        sim_faces: (M, 3) the same triangles on ``welded``.
        weld_map: (N,) welded index of every render vertex.
        units, up: the units and up axis used.
    """

    vertices: np.ndarray
    faces: np.ndarray
    welded: np.ndarray
    sim_faces: np.ndarray
    weld_map: np.ndarray
    units: str
    up: str


def _check_overrides(units: str | None, up: str | None, category: str | None) -> None:
    if units is not None and units not in UNITS:
        raise MeshImportError(f"units {units!r} is unknown; use m, dm, cm or mm")
    if up is not None and up not in ("y", "z"):
        raise MeshImportError(f"up axis {up!r} is unknown; use y or z")
    if category is not None and category not in CATEGORIES:
        raise MeshImportError(
            f"category {category!r} is unknown; use one of {', '.join(CATEGORIES)}"
        )


def _normalise(
    raw: RawMesh, units: str | None, up: str | None, repairs: list[str]
) -> _Prepared:
    """Units, up axis, degenerate triangles, the weld and the way up (1-4)."""
    # 1. Units and up axis: detected from the size and shape unless given.
    units = units or detect_units(raw.vertices, raw.name)
    extent = float(np.ptp(raw.vertices, axis=0).max()) * UNITS[units]
    if not GARMENT_EXTENT[0] <= extent <= GARMENT_EXTENT[1]:
        raise MeshImportError(
            f"{raw.name}: the mesh is {extent:.3g} m across in {units}, not "
            "garment-sized; check --units"
        )
    detected_up = up is None
    up = up or detect_up_axis(raw.vertices * UNITS[units])
    vertices = to_canonical(raw.vertices, units, up)
    if raw.polygons:
        repairs.append(f"triangulated {raw.polygons} quads and polygons")

    # 2. Degenerate triangles.
    faces = raw.faces
    bad = degenerate_faces(vertices, faces)
    if bad.any():
        repairs.append(f"removed {int(bad.sum())} degenerate triangles")
        faces = faces[~bad]

    # 3. Weld for simulation; the render mesh keeps its UV seams.
    welded, sim_faces, weld_map = weld(vertices, faces, WELD_TOLERANCE)
    merged = len(np.unique(faces)) - len(np.unique(sim_faces))
    if merged > 0:
        repairs.append(
            f"welded {merged} duplicate vertices (UV seams, split corners) "
            "for simulation"
        )
    if count_openings(sim_faces) == 0:
        raise MeshImportError(
            f"{raw.name}: the mesh is a closed solid, not a garment; garments "
            "are open cloth surfaces with openings for the body"
        )

    # 4. The way up, from the openings of the largest piece (when detected).
    if detected_up:
        largest = connected_pieces(sim_faces, len(welded))[0]
        if is_upside_down(welded, sim_faces[largest]):
            # Half a turn about the front axis keeps the front in front.
            turn = np.array([-1.0, -1.0, 1.0])
            vertices, welded = vertices * turn, welded * turn
            repairs.append("turned the garment the right way up (by its openings)")
    return _Prepared(vertices, faces, welded, sim_faces, weld_map, units, up)


def _split(
    mesh: _Prepared,
    mannequin: MannequinMesh,
    category: str | None,
    warnings: list[str],
) -> list[_Part]:
    """The outfit's garments: connected pieces, a bodice and its skirt as one."""
    pieces = connected_pieces(mesh.sim_faces, len(mesh.welded))
    pieces, joined = join_dress(pieces, mesh.welded, mesh.sim_faces)
    if joined:
        warnings.append(
            "a skirt hangs from a bodice: imported as one dress; import the "
            "pieces as separate files if they are sold apart"
        )
    large = [p for p in pieces if _is_garment_piece(mesh, p)]
    if len(pieces) > len(large):
        warnings.append(
            f"left out {len(pieces) - len(large)} small pieces (buttons, labels "
            "or trims) that are not simulated"
        )
    return _name_parts(
        large, mesh.welded, mesh.sim_faces, mesh.faces, mannequin, category
    )


def _is_garment_piece(mesh: _Prepared, piece: np.ndarray) -> bool:
    """Large enough, in triangles and in metres, to be a garment."""
    if len(piece) < MIN_PART_SHARE * len(mesh.sim_faces):
        return False
    points = mesh.welded[np.unique(mesh.sim_faces[piece])]
    return float(np.ptp(points, axis=0).max()) >= MIN_PART_SIZE


def _part_warnings(report: PartReport) -> list[str]:
    """What a merchandiser should check about one imported garment."""
    warnings = []
    size = max(report.height_m, report.width_m)
    if size < ACCESSORY_SIZE:
        warnings.append(
            f"{report.name}: only {size:.2f} m across; looks like shoes, a hat "
            "or gloves, not a garment to try on"
        )
    if report.penetration_ratio > MAX_PENETRATION:
        warnings.append(
            f"{report.name}: {report.penetration_ratio:.1%} of its vertices stay "
            "inside the mannequin; check its placement"
        )
    return warnings


def build_garments(
    raw: RawMesh,
    mannequin: MannequinMesh,
    *,
    name: str | None = None,
    category: str | None = None,
    units: str | None = None,
    up: str | None = None,
    fabric: str | None = None,
    colour: str | None = None,
    price: float | None = None,
    sizes: str | list[str] | None = None,
    tags: str | list[str] | None = None,
    settle: bool = True,
) -> ImportResult:
    """Garments from a validated mesh; see the module docstring for the steps.

    Args:
        raw: the parsed, validated mesh.
        mannequin: the canonical mannequin to fit onto.
        name, category, units, up, fabric, colour, price, sizes, tags: what
            the merchandiser gave (None: detected or defaulted). Sizes and
            tags may be lists or comma-separated text.
        settle: settle each garment with the cloth solver.

    Raises:
        MeshImportError: not garment-sized, a closed solid, or a bad
            override.
    """
    _check_overrides(units, up, category)
    repairs: list[str] = []
    warnings: list[str] = []
    mesh = _normalise(raw, units, up, repairs)
    parts = _split(mesh, mannequin, category, warnings)

    # 5-8. Each garment: winding, resolution, placement, fit and binding.
    built = []
    for part in parts:
        part_fabric = fabric or DEFAULT_FABRIC[part.category]
        asset, part_report = _build_part(
            raw, part, mesh, part_fabric, mannequin, settle, repairs
        )
        warnings += _part_warnings(part_report)
        built.append((part, part_fabric, asset, part_report))
    report = ImportReport(
        source_file=raw.name,
        format=raw.format,
        units=mesh.units,
        units_detected=units is None,
        up_axis=mesh.up,
        up_detected=up is None,
        parts=tuple(b[3] for b in built),
        repairs=tuple(dict.fromkeys(repairs)),
        warnings=tuple(warnings),
    )

    # 9. Catalog metadata, with a size chart measured on the garment.
    label = name or raw.name.split(".")[0].replace("_", " ").replace("-", " ")
    label = label.strip() if name else label.strip().title()
    metadata = {"colour": colour, "price": price, "tags": _labels(tags)}
    garments = []
    for part, part_fabric, asset, _ in built:
        title = f"{label} {part.name}" if len(built) > 1 else label
        garment = _garment(
            title, part, part_fabric, asset, mannequin, raw, report,
            _labels(sizes), metadata,
        )  # fmt: skip
        garments.append((garment, asset))
    return ImportResult(parts=tuple(garments), report=report)


def _name_parts(
    pieces: list[np.ndarray],
    welded: np.ndarray,
    sim_faces: np.ndarray,
    faces: np.ndarray,
    mannequin: MannequinMesh,
    category: str | None,
) -> list[_Part]:
    parts = []
    taken: dict[str, int] = {}
    for piece in pieces:
        openings = count_openings(sim_faces[piece])
        piece_vertices = welded[np.unique(sim_faces[piece])]
        found = category or _detect_category(piece_vertices, openings, mannequin)
        taken[found] = taken.get(found, 0) + 1
        label = found if taken[found] == 1 else f"{found}-{taken[found]}"
        parts.append(_Part(label, found, category is None, faces[piece], openings))
    return parts


@dataclass(frozen=True)
class _PartMesh:
    """One garment cut out of the file's mesh, consistently wound.

    Attributes:
        render_ids: (R,) the file's vertices used by the garment.
        render_faces: (G, 3) its triangles on those vertices.
        render_to_sim: (R,) simulation vertex of each render vertex.
        sim_vertices: (V, 3) welded vertices, metres, canonical frame.
        sim_faces: (G, 3) the same triangles on them.
    """

    render_ids: np.ndarray
    render_faces: np.ndarray
    render_to_sim: np.ndarray
    sim_vertices: np.ndarray
    sim_faces: np.ndarray


def _cut_part(mesh: _Prepared, part: _Part, repairs: list[str]) -> _PartMesh:
    """The part's render and simulation meshes, wound consistently outward."""
    # Render mesh: the file's vertices used by this part.
    render_ids = np.unique(part.faces)
    render_local = np.full(len(mesh.vertices), -1, dtype=np.int64)
    render_local[render_ids] = np.arange(len(render_ids))
    render_faces = render_local[part.faces]

    # Simulation mesh: the welded vertices used by this part.
    sim_ids = np.unique(mesh.weld_map[render_ids])
    sim_local = np.full(len(mesh.welded), -1, dtype=np.int64)
    sim_local[sim_ids] = np.arange(len(sim_ids))
    sim_vertices = mesh.welded[sim_ids]
    sim_faces = sim_local[mesh.weld_map[part.faces]]
    render_to_sim = sim_local[mesh.weld_map[render_ids]]

    sim_faces, flipped, turned = orient_outward(sim_vertices, sim_faces)
    if flipped:
        repairs.append(f"{part.name}: fixed the winding of {flipped} triangles")
    if turned:
        repairs.append(f"{part.name}: turned the normals outward")
    render_faces = _match_winding(render_faces, render_to_sim, sim_faces)
    return _PartMesh(render_ids, render_faces, render_to_sim, sim_vertices, sim_faces)


def _render_mesh(
    raw: RawMesh,
    cut: _PartMesh,
    render_vertices: np.ndarray,
    sim_vertices: np.ndarray,
    sim_faces: np.ndarray,
    direct: bool,
) -> RenderMesh:
    """The render mesh tied to the simulation mesh (directly or by faces)."""
    from garments.binding import closest_points_on_mesh

    count = len(cut.render_ids)
    if direct:
        sim_index = cut.render_to_sim.astype(np.int32)
        face_index = np.zeros(count, dtype=np.int32)
        barycentrics = np.tile(np.float32([1, 0, 0]), (count, 1))
    else:
        sim_index = np.full(count, -1, dtype=np.int32)
        face_index, barycentrics, _ = closest_points_on_mesh(
            render_vertices, sim_vertices, sim_faces
        )
    uvs = raw.uvs[cut.render_ids] if raw.uvs is not None else np.zeros((count, 2))
    return RenderMesh(
        vertices=render_vertices.astype(np.float32),
        faces=cut.render_faces.astype(np.int32),
        uvs=uvs.astype(np.float32),
        sim_index=sim_index,
        sim_faces=np.asarray(face_index, dtype=np.int32),
        sim_barycentrics=np.asarray(barycentrics, dtype=np.float32),
        sim_offsets=np.zeros(count, dtype=np.float32),
        texture=raw.texture,
    )


def _build_part(
    raw: RawMesh,
    part: _Part,
    mesh: _Prepared,
    fabric: str,
    mannequin: MannequinMesh,
    settle: bool,
    repairs: list[str],
) -> tuple[GarmentAsset, PartReport]:
    """Simulation and render meshes of one garment, fitted and bound."""
    cut = _cut_part(mesh, part, repairs)

    # Place on the mannequin, then bring the simulation mesh to size.
    placed = place_on_mannequin(cut.sim_vertices, part.category, mannequin)
    shift = placed[0] - cut.sim_vertices[0]
    sim_vertices, sim_faces, changed, direct = sim_resolution(placed, cut.sim_faces)
    if changed:
        repairs.append(f"{part.name}: {changed}")

    # Fit (lift out, settle, bind); the render mesh follows.
    fit = fit_on_mannequin(
        sim_vertices, sim_faces, part.category, fabric, mannequin, settle=settle
    )
    render_vertices = mesh.vertices[cut.render_ids] + shift
    render = _render_mesh(raw, cut, render_vertices, sim_vertices, sim_faces, direct)
    render = replace(render, vertices=render.follow(fit.vertices, sim_faces))
    asset = GarmentAsset(
        vertices=fit.vertices,
        faces=sim_faces.astype(np.int32),
        render=render,
        binding_faces=fit.binding.face_index.astype(np.int32),
        binding_barycentrics=fit.binding.barycentrics.astype(np.float32),
        binding_offsets=fit.binding.offsets.astype(np.float32),
        anchor_vertices=fit.anchor_vertices,
    )
    extent = np.ptp(fit.vertices, axis=0)
    report = PartReport(
        name=part.name,
        category=part.category,
        category_detected=part.detected,
        vertices=len(cut.render_ids),
        faces=len(cut.render_faces),
        sim_vertices=len(sim_vertices),
        sim_faces=len(sim_faces),
        openings=part.openings,
        height_m=round(float(extent[1]), 3),
        width_m=round(float(extent[0]), 3),
        penetration_ratio=round(fit.penetration_ratio, 5),
        settled=fit.settled,
    )
    return asset, report


def _match_winding(
    render_faces: np.ndarray, render_to_sim: np.ndarray, sim_faces: np.ndarray
) -> np.ndarray:
    """Give each render triangle the winding of its simulation triangle."""
    as_sim = render_to_sim[render_faces]  # (G, 3)
    # Same cyclic order: some rotation of as_sim equals sim_faces.
    same = np.zeros(len(render_faces), dtype=bool)
    for shift in range(3):
        same |= np.all(np.roll(as_sim, shift, axis=1) == sim_faces, axis=1)
    fixed = render_faces.copy()
    fixed[~same] = fixed[~same][:, [0, 2, 1]]
    return fixed


def _garment(
    label: str,
    part: _Part,
    fabric: str,
    asset: GarmentAsset,
    mannequin: MannequinMesh,
    raw: RawMesh,
    report: ImportReport,
    sizes: list[str] | None,
    metadata: Mapping[str, object],
) -> Garment:
    """Catalog metadata; the base size's chart row is measured on the mesh."""
    sizes = list(sizes or DEFAULT_SIZES)
    base = "M" if "M" in sizes else sizes[(len(sizes) - 1) // 2]
    measured = measure_garment(asset.vertices, asset.faces, mannequin.anchors)
    key = content_hash(
        [asset.vertices, asset.faces, asset.render.faces, asset.render.uvs]
        + ([asset.render.texture] if asset.render.texture is not None else [])
    )
    price = metadata.get("price")
    garment = Garment(
        id=_slug(label),
        name=label,
        category=part.category,
        fabric=fabric,
        colour=metadata.get("colour") or _mean_colour(asset.render.texture),
        price=float(price) if price is not None else 0.0,
        tags=tuple(metadata.get("tags") or ()),
        sizes=tuple(sizes),
        base_size=base,
        size_chart=default_size_chart(measured, base, sizes),
        source_file=raw.name,
        mesh_key=key,
        import_report=report.to_dict(),
    )
    return garment.with_fields()


def _mean_colour(texture: np.ndarray | None) -> str:
    if texture is None:
        return "#8a8f99"
    mean = texture.reshape(-1, 3).mean(axis=0).astype(int)
    return "#{:02x}{:02x}{:02x}".format(*mean)
