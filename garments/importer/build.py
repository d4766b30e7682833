"""Turn a parsed mesh into garments on the canonical mannequin.

Steps: detect units and up axis (or take them from the flags) and move the
mesh into the canonical frame; remove degenerate triangles; weld vertices
for simulation (the render mesh keeps its UV seams); split the outfit into
its garments (connected pieces); make each garment's winding consistent
and outward; name it by its shape (openings and length); bring the
simulation mesh to 1.5k-6k vertices; place it on the mannequin by its
category (neckline at the neck for tops and dresses, waistband at the
waist for bottoms), settle and bind it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from garments.errors import MeshImportError
from garments.grading import anchor_height, default_size_chart, measure_garment
from garments.importer.fitting import (
    MannequinMesh,
    fit_on_mannequin,
    penetration_ratio,
)
from garments.importer.loader import RawMesh, weld
from garments.importer.report import ImportReport, PartReport
from garments.model import (
    CATEGORIES,
    DEFAULT_SIZES,
    Garment,
    GarmentAsset,
    RenderMesh,
    content_hash,
)

__all__ = [
    "UNITS",
    "ImportResult",
    "build_garments",
    "detect_units",
    "detect_up_axis",
]

logger = logging.getLogger(__name__)

UNITS = {"m": 1.0, "dm": 0.1, "cm": 0.01, "mm": 0.001}

# Largest extent of a garment on a person, metres (a glove to a gown).
GARMENT_EXTENT = (0.25, 2.5)
TYPICAL_EXTENT = 0.8

# Simulation mesh resolution, vertices.
MIN_SIM_VERTICES = 1500
MAX_SIM_VERTICES = 6000

# Parts with fewer triangles than this share of the file are not garments.
MIN_PART_SHARE = 0.03

# Parts no larger than this look like accessories, metres.
ACCESSORY_SIZE = 0.3

# Pieces smaller than this (collars, labels, buttons) are left out, metres.
MIN_PART_SIZE = 0.15

# A garment hung from the neck that reaches this far is a dress, metres.
DRESS_LENGTH = 0.8

# Heights tried around the anchor when placing a garment, metres.
PLACEMENT_DROPS = (0.02, 0.0, -0.02, -0.04, -0.06)

# Leg alignment: slice half-height, fade-in below the crotch, and how far
# out from the middle body points count as legs (not hands), metres.
LEG_SLICE = 0.01
LEG_FADE = 0.12
LEG_REACH = 0.3
LEG_SMOOTHING = 9

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


def detect_units(vertices: np.ndarray, name: str) -> str:
    """The unit in which the mesh has the size of a garment.

    Header claims are not trusted: only the size of the thing decides.

    Raises:
        MeshImportError: no unit makes it garment-sized.
    """
    extent = float(np.ptp(vertices, axis=0).max())
    fits = {
        unit: abs(np.log(extent * scale / TYPICAL_EXTENT))
        for unit, scale in UNITS.items()
        if GARMENT_EXTENT[0] <= extent * scale <= GARMENT_EXTENT[1]
    }
    if not fits:
        raise MeshImportError(
            f"{name}: the mesh is {extent:.3g} units across, not garment-sized "
            "in m, dm, cm or mm; give --units if it is a garment"
        )
    return min(fits, key=fits.get)


def detect_up_axis(vertices: np.ndarray) -> str:
    """ "y" or "z": a garment on a person is taller than it is deep."""
    extent = np.ptp(vertices, axis=0)
    return "z" if extent[2] > extent[1] else "y"


def _to_canonical(vertices: np.ndarray, units: str, up: str) -> np.ndarray:
    """Scale to metres and turn Z-up into Y-up (front -Y becomes +Z)."""
    scaled = vertices * UNITS[units]
    if up == "z":
        scaled = np.column_stack([scaled[:, 0], scaled[:, 2], -scaled[:, 1]])
    return scaled


def _degenerate(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """(M,) bool: triangles with a repeated corner or no area."""
    repeated = (
        (faces[:, 0] == faces[:, 1])
        | (faces[:, 1] == faces[:, 2])
        | (faces[:, 2] == faces[:, 0])
    )
    corners = vertices[faces]
    area = np.linalg.norm(
        np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0]), axis=1
    )
    return repeated | (area < 1e-12)


def _pieces(faces: np.ndarray, count: int) -> list[np.ndarray]:
    """Face indices of each connected piece (sharing vertices), largest first."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows = np.repeat(np.arange(len(faces)), 3)
    graph = coo_matrix((np.ones(len(rows)), (rows, faces.ravel())), (len(faces), count))
    adjacency = graph @ graph.T
    _, labels = connected_components(adjacency, directed=False)
    pieces = [np.flatnonzero(labels == k) for k in np.unique(labels)]
    return sorted(pieces, key=len, reverse=True)


def _border_vertices(faces: np.ndarray) -> np.ndarray:
    """Vertices on an edge used by one triangle only."""
    edges = np.sort(
        np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1
    )
    unique, uses = np.unique(edges, axis=0, return_counts=True)
    return np.unique(unique[uses == 1])


def _join_dress(
    pieces: list[np.ndarray], vertices: np.ndarray, faces: np.ndarray
) -> tuple[list[np.ndarray], bool]:
    """Join a skirt to the bodice it hangs from, making a dress.

    A piece with two openings (a tube: a skirt) whose waist lies inside the
    lower edge of a piece above it that has sleeves or a neckline (three
    or more openings) is one garment with it.

    Returns:
        the pieces, and whether a skirt was joined.
    """
    spans = [vertices[np.unique(faces[p])][:, 1] for p in pieces]
    openings = [_openings(faces[p]) for p in pieces]
    for j, skirt in enumerate(spans):
        if openings[j] != 2:
            continue
        for i, bodice in enumerate(spans):
            if i == j or openings[i] < 3 or bodice.max() <= skirt.max():
                continue
            if bodice.min() < skirt.max() < bodice.min() + 0.15:
                joined = np.concatenate([pieces[i], pieces[j]])
                rest = [p for k, p in enumerate(pieces) if k not in (i, j)]
                return sorted([joined, *rest], key=len, reverse=True), True
    return pieces, False


def _openings(faces: np.ndarray) -> int:
    """Boundary loops of a triangle mesh (neckline, hem, cuffs, legs...)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    edges = np.sort(
        np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]), axis=1
    )
    unique, uses = np.unique(edges, axis=0, return_counts=True)
    border = unique[uses == 1]
    if len(border) == 0:
        return 0
    nodes, local = np.unique(border, return_inverse=True)
    local = local.reshape(-1, 2)
    graph = coo_matrix(
        (np.ones(len(local)), (local[:, 0], local[:, 1])), (len(nodes), len(nodes))
    )
    return int(connected_components(graph, directed=False)[0])


def _orient(vertices: np.ndarray, faces: np.ndarray) -> tuple[np.ndarray, int, bool]:
    """Consistent winding with outward normals.

    Returns:
        faces, how many were flipped to agree, and whether all were then
        turned outward.
    """
    import trimesh

    mesh = trimesh.Trimesh(vertices, faces, process=False)
    before = mesh.faces.copy()
    trimesh.repair.fix_winding(mesh)
    fixed = np.asarray(mesh.faces)
    flipped = int(np.any(fixed != before, axis=1).sum())
    # Outward: normals point away from the vertical axis of the garment.
    centre = (vertices.min(axis=0) + vertices.max(axis=0)) / 2
    away = mesh.triangles_center - centre
    away[:, 1] = 0.0
    outward = np.einsum("fk,fk->f", mesh.face_normals, away) * mesh.area_faces
    turned = bool(outward.sum() < 0)
    if turned:
        fixed = fixed[:, [0, 2, 1]]
    return fixed, flipped, turned


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


def _resolution(
    vertices: np.ndarray, faces: np.ndarray
) -> tuple[np.ndarray, np.ndarray, str | None, bool]:
    """Subdivide small meshes, cluster large ones.

    Returns:
        vertices, faces, what was done (or None), and whether the original
        vertices are still the first ones (so the render map holds).
    """
    import trimesh

    done = None
    steps = 0
    while len(vertices) < MIN_SIM_VERTICES and len(faces) * 4 <= 2 * MAX_SIM_VERTICES:
        vertices, faces = trimesh.remesh.subdivide(vertices, faces)
        steps += 1
    if steps:
        done = f"subdivided {steps} times to {len(vertices)} simulation vertices"
        return vertices, faces, done, True
    if len(vertices) <= MAX_SIM_VERTICES:
        return vertices, faces, None, True
    count = len(vertices)
    extent = float(np.ptp(vertices, axis=0).max())
    cell = extent / 200.0
    while len(vertices) > MAX_SIM_VERTICES:
        keys = np.round(vertices / cell).astype(np.int64)
        _, first, inverse = np.unique(
            keys, axis=0, return_index=True, return_inverse=True
        )
        merged = inverse.ravel()[faces]
        keep = ~_degenerate(vertices[first], merged)
        candidate = vertices[first], np.unique(np.sort(merged[keep], axis=1), axis=0)
        if len(candidate[0]) <= MAX_SIM_VERTICES:
            vertices, faces = candidate
            break
        cell *= 1.25
    done = f"decimated from {count} to {len(vertices)} simulation vertices"
    return vertices, faces, done, False


def _place(vertices: np.ndarray, category: str, mannequin: MannequinMesh) -> np.ndarray:
    """Move a garment onto the mannequin by its category's anchor."""
    body = np.asarray(mannequin.vertices)
    if category == "bottom":
        anchor = anchor_height(mannequin.anchors, "waist")
        reference = anchor_height(mannequin.anchors, "hips")
        top = (anchor if anchor is not None else 0.15) + 0.02
    else:
        anchor = anchor_height(mannequin.anchors, "neck")
        reference = anchor_height(mannequin.anchors, "chest")
        top = (anchor if anchor is not None else 0.55) + 0.01
    reference = reference if reference is not None else 0.0
    slice_ = body[np.abs(body[:, 1] - reference) < 0.02]
    slice_ = slice_[np.abs(slice_[:, 0]) < 0.25] if len(slice_) else body
    centre_z = (slice_[:, 2].min() + slice_[:, 2].max()) / 2
    low, high = vertices.min(axis=0), vertices.max(axis=0)
    shift = np.array(
        [-(low[0] + high[0]) / 2, top - high[1], centre_z - (low[2] + high[2]) / 2]
    )
    placed = vertices + shift
    if category == "bottom":
        placed = _align_legs(placed, body, anchor_height(mannequin.anchors, "crotch"))
    # The garment's own rise or shoulder line may differ from the
    # mannequin's: take the height, near the anchor, that goes least into
    # the body (the highest among equals).
    inside = [
        penetration_ratio(placed + [0.0, drop, 0.0], mannequin)
        for drop in PLACEMENT_DROPS
    ]
    best = PLACEMENT_DROPS[int(np.argmin(inside))]
    return placed + [0.0, best, 0.0]


def _side_centres(
    points: np.ndarray, side: float, levels: np.ndarray, reach: float
) -> np.ndarray:
    """x of the middle of one side's slice at each level (NaN where empty)."""
    centres = np.full(len(levels), np.nan)
    half = points[(side * points[:, 0] > 0) & (np.abs(points[:, 0]) < reach)]
    for k, level in enumerate(levels):
        near = half[np.abs(half[:, 1] - level) < LEG_SLICE]
        if len(near) >= 3:
            centres[k] = (near[:, 0].min() + near[:, 0].max()) / 2
    return centres


def _align_legs(
    vertices: np.ndarray, body: np.ndarray, crotch: float | None
) -> np.ndarray:
    """Move each trouser leg sideways onto the mannequin's leg.

    Garments made for a body standing with its feet closer or farther apart
    would otherwise cut through the mannequin's legs. Below the crotch,
    each leg's centre line is shifted to the body's, fading in over
    :data:`LEG_FADE` so the seat is untouched.
    """
    if crotch is None:
        return vertices
    bottom = max(vertices[:, 1].min(), body[:, 1].min())
    levels = np.arange(crotch - LEG_SLICE, bottom, -2 * LEG_SLICE)
    if len(levels) < 2:
        return vertices
    moved = vertices.copy()
    for side in (1.0, -1.0):
        garment = _side_centres(vertices, side, levels, 1.0)
        target = _side_centres(body, side, levels, LEG_REACH)
        known = np.isfinite(garment) & np.isfinite(target)
        if known.sum() < 2:
            continue
        # Smooth along the leg: slices of a coarse mesh are ragged.
        offsets = _smooth((target - garment)[known], LEG_SMOOTHING)
        shift = np.interp(vertices[:, 1], levels[known][::-1], offsets[::-1])
        fade = np.clip((crotch - vertices[:, 1]) / LEG_FADE, 0.0, 1.0)
        mine = side * vertices[:, 0] > 0
        moved[mine, 0] += (fade * shift)[mine]
    return moved


def _smooth(values: np.ndarray, width: int) -> np.ndarray:
    """Moving average over ``width`` samples (shorter at the ends)."""
    kernel = np.ones(min(width, len(values)))
    total = np.convolve(values, kernel, mode="same")
    count = np.convolve(np.ones_like(values), kernel, mode="same")
    return total / count


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

    Raises:
        MeshImportError: not garment-sized, or a bad override.
    """
    if units is not None and units not in UNITS:
        raise MeshImportError(f"units {units!r} is unknown; use m, dm, cm or mm")
    if up is not None and up not in ("y", "z"):
        raise MeshImportError(f"up axis {up!r} is unknown; use y or z")
    if category is not None and category not in CATEGORIES:
        raise MeshImportError(
            f"category {category!r} is unknown; use one of {', '.join(CATEGORIES)}"
        )
    sizes, tags = _labels(sizes), _labels(tags)
    repairs: list[str] = []
    warnings: list[str] = []
    units_detected, up_detected = units is None, up is None
    units = units or detect_units(raw.vertices, raw.name)
    vertices = raw.vertices * UNITS[units]
    extent = float(np.ptp(vertices, axis=0).max())
    if not GARMENT_EXTENT[0] <= extent <= GARMENT_EXTENT[1]:
        raise MeshImportError(
            f"{raw.name}: the mesh is {extent:.3g} m across in {units}, not "
            "garment-sized; check --units"
        )
    up = up or detect_up_axis(vertices)
    vertices = _to_canonical(raw.vertices, units, up)
    if raw.polygons:
        repairs.append(f"triangulated {raw.polygons} quads and polygons")

    # Remove degenerate triangles, then weld for simulation.
    faces = raw.faces
    bad = _degenerate(vertices, faces)
    if bad.any():
        repairs.append(f"removed {int(bad.sum())} degenerate triangles")
        faces = faces[~bad]
    welded, sim_faces, weld_map = weld(vertices, faces, 5e-4)
    used = np.unique(sim_faces)
    merged = len(np.unique(faces)) - len(used)
    if merged > 0:
        repairs.append(f"welded {merged} duplicate vertices (UV seams) for simulation")

    if _openings(sim_faces) == 0:
        raise MeshImportError(
            f"{raw.name}: the mesh is a closed solid, not a garment; garments "
            "are open cloth surfaces with openings for the body"
        )

    # Split the outfit into its garments (a bodice and its skirt stay one).
    pieces, joined = _join_dress(_pieces(sim_faces, len(welded)), welded, sim_faces)
    if joined:
        warnings.append(
            "a skirt hangs from a bodice: imported as one dress; import the "
            "pieces as separate files if they are sold apart"
        )
    large = [
        p
        for p in pieces
        if len(p) >= MIN_PART_SHARE * len(sim_faces)
        and np.ptp(welded[np.unique(sim_faces[p])], axis=0).max() >= MIN_PART_SIZE
    ]
    small = len(pieces) - len(large)
    if small:
        warnings.append(
            f"left out {small} small pieces (buttons, labels or trims) that are "
            "not simulated"
        )
    parts = _name_parts(large, welded, sim_faces, faces, mannequin, category)
    fabric_given = fabric
    results = []
    part_reports = []
    for part in parts:
        garment_fabric = fabric_given or DEFAULT_FABRIC[part.category]
        asset, report, garment_vertices = _build_part(
            raw, part, vertices, weld_map, welded, garment_fabric, mannequin,
            settle, repairs,
        )  # fmt: skip
        part_reports.append(report)
        if max(report.height_m, report.width_m) < ACCESSORY_SIZE:
            warnings.append(
                f"{part.name}: only {max(report.height_m, report.width_m):.2f} m "
                "across; looks like shoes, a hat or gloves, not a garment to try on"
            )
        if report.penetration_ratio > 0.01:
            warnings.append(
                f"{part.name}: {report.penetration_ratio:.1%} of its vertices "
                "stay inside the mannequin; check its placement"
            )
        results.append((asset, part, garment_fabric, garment_vertices))
    report = ImportReport(
        source_file=raw.name,
        format=raw.format,
        units=units,
        units_detected=units_detected,
        up_axis=up,
        up_detected=up_detected,
        parts=tuple(part_reports),
        repairs=tuple(dict.fromkeys(repairs)),
        warnings=tuple(warnings),
    )
    stem = raw.name.split(".")[0]
    garments = []
    for asset, part, garment_fabric, garment_vertices in results:
        label = name or stem.replace("_", " ").replace("-", " ").strip().title()
        if len(results) > 1:
            label = f"{label} {part.name}"
        garment = _garment(
            label, part, garment_fabric, asset, garment_vertices, mannequin,
            raw, report, colour, price, sizes, tags,
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
        openings = _openings(sim_faces[piece])
        piece_vertices = welded[np.unique(sim_faces[piece])]
        found = category or _detect_category(piece_vertices, openings, mannequin)
        taken[found] = taken.get(found, 0) + 1
        label = found if taken[found] == 1 else f"{found}-{taken[found]}"
        parts.append(_Part(label, found, category is None, faces[piece], openings))
    return parts


def _build_part(
    raw: RawMesh,
    part: _Part,
    vertices: np.ndarray,
    weld_map: np.ndarray,
    welded: np.ndarray,
    fabric: str,
    mannequin: MannequinMesh,
    settle: bool,
    repairs: list[str],
) -> tuple[GarmentAsset, PartReport, np.ndarray]:
    """Simulation and render meshes of one garment, fitted and bound."""
    from garments.binding import closest_points_on_mesh

    # Render mesh: the file's vertices used by this part.
    render_ids = np.unique(part.faces)
    render_local = np.full(len(vertices), -1, dtype=np.int64)
    render_local[render_ids] = np.arange(len(render_ids))
    render_faces = render_local[part.faces]
    # Simulation mesh: the welded vertices used by this part.
    sim_ids = np.unique(weld_map[render_ids])
    sim_local = np.full(len(welded), -1, dtype=np.int64)
    sim_local[sim_ids] = np.arange(len(sim_ids))
    sim_vertices = welded[sim_ids]
    sim_faces = sim_local[weld_map[part.faces]]

    sim_faces, flipped, turned = _orient(sim_vertices, sim_faces)
    if flipped:
        repairs.append(f"{part.name}: fixed the winding of {flipped} triangles")
    if turned:
        repairs.append(f"{part.name}: turned the normals outward")
        render_faces = render_faces[:, [0, 2, 1]]
    render_faces = _match_winding(
        render_faces, sim_faces, sim_local, weld_map, render_ids
    )
    render_to_sim = sim_local[weld_map[render_ids]]

    placed = _place(sim_vertices, part.category, mannequin)
    shift = placed[0] - sim_vertices[0]
    sim_vertices, sim_faces, changed, direct = _resolution(placed, sim_faces)
    if changed:
        repairs.append(f"{part.name}: {changed}")
    fit = fit_on_mannequin(
        sim_vertices, sim_faces, part.category, fabric, mannequin, settle=settle
    )
    render_vertices = vertices[render_ids] + shift
    count = len(render_ids)
    if direct:
        sim_index = render_to_sim.astype(np.int32)
        face_index = np.zeros(count, dtype=np.int32)
        barycentrics = np.tile(np.float32([1, 0, 0]), (count, 1))
    else:
        sim_index = np.full(count, -1, dtype=np.int32)
        face_index, barycentrics, _ = closest_points_on_mesh(
            render_vertices, sim_vertices, sim_faces
        )
    uvs = raw.uvs[render_ids] if raw.uvs is not None else np.zeros((count, 2))
    render = RenderMesh(
        vertices=render_vertices.astype(np.float32),
        faces=render_faces.astype(np.int32),
        uvs=uvs.astype(np.float32),
        sim_index=sim_index,
        sim_faces=np.asarray(face_index, dtype=np.int32),
        sim_barycentrics=np.asarray(barycentrics, dtype=np.float32),
        sim_offsets=np.zeros(count, dtype=np.float32),
        texture=raw.texture,
    )
    render = RenderMesh(
        **{**render.__dict__, "vertices": render.follow(fit.vertices, sim_faces)}
    )
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
        vertices=count,
        faces=len(render_faces),
        sim_vertices=len(sim_vertices),
        sim_faces=len(sim_faces),
        openings=part.openings,
        height_m=round(float(extent[1]), 3),
        width_m=round(float(extent[0]), 3),
        penetration_ratio=round(fit.penetration_ratio, 5),
        settled=fit.settled,
    )
    return asset, report, fit.vertices


def _match_winding(
    render_faces: np.ndarray,
    sim_faces: np.ndarray,
    sim_local: np.ndarray,
    weld_map: np.ndarray,
    render_ids: np.ndarray,
) -> np.ndarray:
    """Give each render triangle the winding of its simulation triangle."""
    as_sim = sim_local[weld_map[render_ids]][render_faces]  # (M, 3)
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
    vertices: np.ndarray,
    mannequin: MannequinMesh,
    raw: RawMesh,
    report: ImportReport,
    colour: str | None,
    price: float | None,
    sizes: list[str] | None,
    tags: list[str] | None,
) -> Garment:
    sizes = list(sizes or DEFAULT_SIZES)
    base = sizes[len(sizes) // 2 - (1 if len(sizes) % 2 == 0 else 0)]
    if "M" in sizes:
        base = "M"
    measured = measure_garment(vertices, asset.faces, mannequin.anchors)
    chart = default_size_chart(measured, base, sizes)
    key = content_hash(
        [asset.vertices, asset.faces, asset.render.faces, asset.render.uvs]
        + ([asset.render.texture] if asset.render.texture is not None else [])
    )
    garment = Garment(
        id=_slug(label),
        name=label,
        category=part.category,
        fabric=fabric,
        colour=colour or _mean_colour(asset.render.texture),
        price=float(price) if price is not None else 0.0,
        tags=tuple(tags or ()),
        sizes=tuple(sizes),
        base_size=base,
        size_chart=chart,
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


def overrides_from(values: Mapping[str, object]) -> dict[str, object]:
    """Keep the override keys the importer knows, dropping Nones."""
    known = (
        "name", "category", "units", "up", "fabric", "colour", "price", "sizes",
        "tags",
    )  # fmt: skip
    return {k: values[k] for k in known if values.get(k) is not None}
