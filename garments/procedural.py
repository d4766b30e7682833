"""Procedural garments: the bundled catalog, made the way clothes are made.

Each garment is cut from a flat pattern seen from the front (a union of
straight "bands": torso, sleeves, legs, each with a width along its
axis), triangulated once, and used twice, as a front and a back panel.
The panels are inflated to the body's depth (an elliptical cross-section
across each band) and sewn where they meet; the hem, cuffs, neckline and
waistband stay open. Widths and depths come from the garment's size chart
(cm) and the mannequin's proportions, so the garment sits on the canonical
mannequin with the chart's ease.

Run ``python -m assets.generate`` to regenerate the bundled catalog
(``assets/catalog``); the cut is deterministic, and so is the fit on a
given mannequin and cloth solver.

Frame: canonical body frame, metres (Y up, +Z front, +X the person's left,
origin midway between the hip joints).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from scipy.spatial import Delaunay

from garments.model import DEFAULT_SIZES, RenderMesh

if TYPE_CHECKING:
    from garments.importer.fitting import MannequinMesh
    from garments.model import Garment, GarmentAsset

__all__ = [
    "CATEGORY_OF_KIND",
    "DEFAULT_CATALOG",
    "KINDS",
    "Band",
    "CatalogEntry",
    "Mannequin",
    "Pattern",
    "PatternMesh",
    "build_asset",
    "default_mannequin",
    "garment_pattern",
    "make_panels",
    "mannequin_from_body",
    "scaled_mannequin",
    "size_chart",
    "texture_tile",
]

logger = logging.getLogger(__name__)

KINDS = ("tshirt", "longsleeve", "dress", "skirt", "trousers", "shorts")

# Body girths (cm) a size is cut for, XS..XXL; the garment adds ease.
_BODY_CHEST = (82.0, 88.0, 94.0, 100.0, 108.0, 116.0)
_BODY_WAIST = (66.0, 72.0, 78.0, 84.0, 92.0, 100.0)
_BODY_HIP = (88.0, 94.0, 100.0, 106.0, 112.0, 118.0)


@dataclass(frozen=True)
class Mannequin:
    """Proportions of the mannequin a garment is cut for.

    Heights are y coordinates (metres, canonical frame); widths and depths
    are half-widths (x) and half-depths (z) of the body's cross-section;
    ``centre_z`` is the z of the cross-section's middle.

    Attributes:
        neck_y, shoulder_y, armpit_y, chest_y, waist_y, hip_y, crotch_y,
        knee_y, ankle_y: anchor heights.
        neck_half_width, shoulder_x: neck half-width; x of the shoulder
            joints.
        chest, waist, hip: (half_width, half_depth, centre_z) of the torso
            cross-sections.
        neck_depth: half-depth of the neck.
        shoulder: (3,) left shoulder joint; wrist: (3,) left wrist.
        hip_joint: (3,) left hip joint; ankle: (3,) left ankle.
        arm_radius, wrist_radius, thigh_radius, knee_radius, ankle_radius:
            limb radii.
    """

    neck_y: float = 0.57
    shoulder_y: float = 0.52
    armpit_y: float = 0.39
    chest_y: float = 0.34
    waist_y: float = 0.17
    hip_y: float = -0.01
    crotch_y: float = -0.08
    knee_y: float = -0.41
    ankle_y: float = -0.80
    neck_half_width: float = 0.06
    neck_depth: float = 0.055
    shoulder_x: float = 0.175
    chest: tuple[float, float, float] = (0.165, 0.115, 0.005)
    waist: tuple[float, float, float] = (0.14, 0.10, 0.0)
    hip: tuple[float, float, float] = (0.175, 0.12, -0.01)
    shoulder: tuple[float, float, float] = (0.175, 0.49, 0.0)
    wrist: tuple[float, float, float] = (0.50, 0.08, 0.0)
    hip_joint: tuple[float, float, float] = (0.09, 0.0, 0.0)
    ankle: tuple[float, float, float] = (0.11, -0.80, 0.0)
    arm_radius: float = 0.05
    wrist_radius: float = 0.03
    thigh_radius: float = 0.085
    knee_radius: float = 0.055
    ankle_radius: float = 0.04


def default_mannequin() -> Mannequin:
    """Proportions of an average adult of 1.70 m in A-pose."""
    return Mannequin()


@dataclass(frozen=True)
class Band:
    """A straight strip of the flat pattern, seen from the front.

    Attributes:
        start, end: (2,) x, y of the band's axis ends, metres.
        t: (K,) increasing stations along the axis, 0..1.
        half_width: (K,) half-width of the strip at each station, metres.
        half_depth: (K,) half-depth of the inflated cross-section, metres.
        open_start, open_end: whether the end caps are openings (hem,
            cuff, neckline) rather than seams or hidden inside another
            band.
        seam_falloff: length over which a sewn end cap closes, metres.
    """

    start: tuple[float, float]
    end: tuple[float, float]
    t: tuple[float, ...]
    half_width: tuple[float, ...]
    half_depth: tuple[float, ...]
    open_start: bool = False
    open_end: bool = False
    seam_falloff: float = 0.0

    def local(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
        """Axis parameter ``t`` (P,), signed lateral offset ``s`` (P,), length."""
        start = np.asarray(self.start)
        axis = np.asarray(self.end) - start
        length = float(np.linalg.norm(axis))
        u = axis / length
        n = np.array([-u[1], u[0]])
        rel = points - start
        return rel @ u / length, rel @ n, length

    def profile(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Half-width and half-depth at stations ``t`` (clamped to 0..1)."""
        t = np.clip(t, 0.0, 1.0)
        return np.interp(t, self.t, self.half_width), np.interp(
            t, self.t, self.half_depth
        )

    def outside(self, points: np.ndarray) -> np.ndarray:
        """(P,) approximate signed distance to the strip, negative inside."""
        t, s, length = self.local(points)
        width, _ = self.profile(t)
        return np.maximum.reduce([np.abs(s) - width, -t * length, (t - 1.0) * length])

    def bulge(self, points: np.ndarray) -> np.ndarray:
        """(P,) how far the inflated panel stands off the seam plane, metres."""
        t, s, length = self.local(points)
        width, depth = self.profile(t)
        across = np.sqrt(np.clip(1.0 - (s / width) ** 2, 0.0, 1.0))
        inside = (t >= -1e-6) & (t <= 1 + 1e-6)
        height = depth * across
        if self.seam_falloff > 0:
            ends = []
            if not self.open_start:
                ends.append(t * length)
            if not self.open_end:
                ends.append((1.0 - t) * length)
            if ends:
                gap = np.minimum.reduce(ends)
                height *= np.sqrt(np.clip(gap / self.seam_falloff, 0.0, 1.0))
        return np.where(inside, height, 0.0)

    def on_open_cap(self, points: np.ndarray, tolerance: float) -> np.ndarray:
        """(P,) bool: points on an open end cap (not at its corners)."""
        t, s, length = self.local(points)
        width, _ = self.profile(t)
        within = np.abs(s) < width - tolerance
        hit = np.zeros(len(points), dtype=bool)
        if self.open_start:
            hit |= within & (np.abs(t * length) < tolerance)
        if self.open_end:
            hit |= within & (np.abs((t - 1.0) * length) < tolerance)
        return hit

    def cap_shift(self, points: np.ndarray) -> np.ndarray:
        """(P, 2) shift that moves points onto the nearest end cap line."""
        t, _, length = self.local(points)
        start = np.asarray(self.start)
        u = (np.asarray(self.end) - start) / length
        along = np.where(t < 0.5, -t * length, (1.0 - t) * length)
        return along[:, None] * u[None, :]


@dataclass(frozen=True)
class Pattern:
    """A flat pattern: bands, and the z centre line of the body.

    Attributes:
        kind: garment kind (one of :data:`KINDS`).
        bands: the strips whose union is the pattern.
        centre_y: (K,) heights at which ``centre_z`` is given.
        centre_z: (K,) z of the seam plane at those heights (the middle of
            the body's cross-section).
    """

    kind: str
    bands: tuple[Band, ...]
    centre_y: tuple[float, ...]
    centre_z: tuple[float, ...]

    def outside(self, points: np.ndarray) -> np.ndarray:
        """(P,) approximate signed distance to the pattern, negative inside."""
        return np.minimum.reduce([band.outside(points) for band in self.bands])

    def bulge(self, points: np.ndarray) -> np.ndarray:
        """(P,) half-thickness of the inflated garment at flat points."""
        return np.maximum.reduce([band.bulge(points) for band in self.bands])

    def seam_z(self, y: np.ndarray) -> np.ndarray:
        """(P,) z of the seam plane at heights ``y``."""
        return np.interp(y, self.centre_y, self.centre_z)


@dataclass(frozen=True)
class PatternMesh:
    """A garment sewn from a front and a back panel.

    Attributes:
        vertices: (V, 3) float32 simulation vertices, metres, canonical.
        faces: (F, 3) int32, outward normals.
        render: render mesh (front and back panels split along the seams).
        flat: (V, 2) flat pattern coordinates of each vertex, metres.
    """

    vertices: np.ndarray
    faces: np.ndarray
    render: RenderMesh
    flat: np.ndarray = field(repr=False)


def _ellipse_axes(girth_cm: float, ratio: float) -> tuple[float, float]:
    """Half-axes (a, b) in metres of an ellipse with ``b = ratio * a``."""
    a = 1.0
    b = ratio
    # Ramanujan's approximation of the perimeter.
    perimeter = math.pi * (3 * (a + b) - math.sqrt((3 * a + b) * (a + 3 * b)))
    scale = girth_cm / 100.0 / perimeter
    return a * scale, b * scale


def size_chart(
    kind: str, sizes: Sequence[str] = DEFAULT_SIZES
) -> dict[str, dict[str, float]]:
    """Garment measurements (cm) per size for a procedural garment.

    Args:
        kind: one of :data:`KINDS`.
        sizes: six labels, smallest first.

    Returns:
        size -> {chest, waist, hip, length, sleeve} with the keys that
        apply to the kind.

    Raises:
        ValueError: ``kind`` is unknown or ``sizes`` is not six labels.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    if len(sizes) != len(_BODY_CHEST):
        raise ValueError(f"sizes must hold {len(_BODY_CHEST)} labels, got {sizes}")
    # Ease (cm) added to the body girths, and lengths of the base size M.
    ease = {
        "tshirt": (10, 14, 10),
        "longsleeve": (10, 14, 10),
        "dress": (8, 8, 12),
        "skirt": (0, 2, 8),
        "trousers": (0, 2, 8),
        "shorts": (0, 2, 10),
    }[kind]
    length_m = {
        "tshirt": 68.0,
        "longsleeve": 70.0,
        "dress": 100.0,
        "skirt": 55.0,
        "trousers": 100.0,
        "shorts": 45.0,
    }[kind]
    sleeve_m = {"tshirt": 20.0, "longsleeve": 60.0, "dress": 58.0}.get(kind)
    chart = {}
    for i, size in enumerate(sizes):
        step = i - 2  # M is the base
        row = {
            "waist": _BODY_WAIST[i] + ease[1],
            "hip": _BODY_HIP[i] + ease[2],
            "length": length_m + 1.5 * step,
        }
        if kind in ("tshirt", "longsleeve", "dress"):
            row["chest"] = _BODY_CHEST[i] + ease[0]
        if sleeve_m is not None:
            row["sleeve"] = sleeve_m + (1.0 if kind != "tshirt" else 0.5) * step
        chart[size] = row
    return chart


def _torso_band(
    body: Mannequin, row: Mapping[str, float], hem_y: float, hem_flare: float
) -> Band:
    """The torso strip from the hem up to the neckline."""
    ratio_chest = body.chest[1] / body.chest[0]
    ratio_waist = body.waist[1] / body.waist[0]
    ratio_hip = body.hip[1] / body.hip[0]
    chest = _ellipse_axes(row["chest"], ratio_chest)
    waist = _ellipse_axes(row["waist"], ratio_waist)
    hip = _ellipse_axes(row["hip"], ratio_hip)
    ease = 0.015
    neck = (body.neck_half_width + ease, body.neck_depth + ease)
    # The shoulder line is cut flatter than the body's so that the sleeve
    # roots lie inside the torso strip; the cloth settles onto the body.
    shoulder_w = body.shoulder_x + 0.07
    stations_y = [
        hem_y,
        body.hip_y,
        body.waist_y,
        body.chest_y,
        body.shoulder_y + 0.02,
        body.neck_y,
    ]
    hem_w = max(hip[0], waist[0]) + hem_flare
    widths = [hem_w, hip[0], waist[0], chest[0], shoulder_w, neck[0]]
    depths = [hip[1] + 0.3 * hem_flare, hip[1], waist[1], chest[1], 0.09, neck[1]]
    if hem_y > body.hip_y:
        stations_y, widths, depths = stations_y[1:], widths[1:], depths[1:]
        widths[0] = max(hip[0], waist[0])
        depths[0] = max(hip[1], waist[1])
        stations_y[0] = hem_y
    return _vertical_band(stations_y, widths, depths, open_start=True, open_end=True)


def _vertical_band(
    stations_y: Sequence[float],
    widths: Sequence[float],
    depths: Sequence[float],
    *,
    open_start: bool,
    open_end: bool,
    seam_falloff: float = 0.0,
) -> Band:
    """A band along the body's vertical axis between two heights."""
    y0, y1 = stations_y[0], stations_y[-1]
    t = tuple((y - y0) / (y1 - y0) for y in stations_y)
    return Band(
        start=(0.0, y0),
        end=(0.0, y1),
        t=t,
        half_width=tuple(widths),
        half_depth=tuple(depths),
        open_start=open_start,
        open_end=open_end,
        seam_falloff=seam_falloff,
    )


def _limb_band(
    start: np.ndarray,
    end: np.ndarray,
    length: float,
    radii: Sequence[float],
    stations: Sequence[float],
    inset: float,
) -> Band:
    """A sleeve or trouser leg along a limb, open at its far end.

    Args:
        start, end: (2,) x, y of the limb's joint ends (shoulder to wrist,
            hip to ankle).
        length: how far the strip runs from ``start`` along the limb.
        radii: cross-section radii at ``stations`` (fractions of length).
        inset: how far the strip starts before ``start`` (hidden inside the
            torso).
    """
    u = (end - start) / np.linalg.norm(end - start)
    first = start - inset * u
    total = inset + length
    t = [0.0] + [(inset + s * length) / total for s in stations]
    widths = [radii[0]] + list(radii)
    return Band(
        start=tuple(first),
        end=tuple(first + total * u),
        t=tuple(t),
        half_width=tuple(widths),
        half_depth=tuple(widths),
        open_end=True,
    )


def garment_pattern(
    kind: str, row: Mapping[str, float], body: Mannequin | None = None
) -> Pattern:
    """The flat pattern of a procedural garment in one size.

    Args:
        kind: one of :data:`KINDS`.
        row: the size chart row (cm) of that size.
        body: the mannequin's proportions (default: :func:`default_mannequin`).

    Raises:
        ValueError: ``kind`` is unknown.
    """
    body = body or default_mannequin()
    centre_y = (body.crotch_y, body.hip_y, body.waist_y, body.chest_y, body.neck_y)
    centre_z = (body.hip[2], body.hip[2], body.waist[2], body.chest[2], 0.0)
    if kind in ("tshirt", "longsleeve", "dress"):
        bands = _top_bands(kind, row, body)
    elif kind == "skirt":
        bands = (_skirt_band(row, body),)
    elif kind in ("trousers", "shorts"):
        bands = _bottom_bands(kind, row, body)
    else:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return Pattern(kind, bands, centre_y, centre_z)


def _top_bands(kind: str, row: Mapping[str, float], body: Mannequin) -> tuple:
    """Torso and two sleeves of a T-shirt, shirt or dress."""
    hem_y = body.neck_y - row["length"] / 100.0
    flare = 0.10 if kind == "dress" else 0.0
    torso = _torso_band(body, row, hem_y, flare)
    shoulder = np.array(body.shoulder[:2])
    wrist = np.array(body.wrist[:2])
    arm = float(np.linalg.norm(wrist - shoulder))
    sleeve = min(row["sleeve"] / 100.0, arm + 0.02)
    ease = 0.025 if kind != "tshirt" else 0.035
    radii = (body.arm_radius + ease, body.arm_radius + ease)
    stations = (0.0, 1.0)
    if sleeve > 0.4 * arm:
        radii = radii + (body.wrist_radius + ease,)
        stations = (0.0, 0.4 * arm / sleeve, 1.0)
    bands = [torso]
    for side in (1.0, -1.0):
        mirror = np.array([side, 1.0])
        bands.append(
            _limb_band(shoulder * mirror, wrist * mirror, sleeve, radii, stations, 0.0)
        )
    return tuple(bands)


def _skirt_band(row: Mapping[str, float], body: Mannequin) -> Band:
    """A flared skirt from the waist down."""
    waist = _ellipse_axes(row["waist"], body.waist[1] / body.waist[0])
    hip = _ellipse_axes(row["hip"], body.hip[1] / body.hip[0])
    hem_y = body.waist_y - row["length"] / 100.0
    return _vertical_band(
        [hem_y, body.hip_y, body.waist_y],
        [hip[0] + 0.08, hip[0], waist[0]],
        [hip[1] + 0.03, hip[1], waist[1]],
        open_start=True,
        open_end=True,
    )


def _bottom_bands(kind: str, row: Mapping[str, float], body: Mannequin) -> tuple:
    """Pelvis and two legs of trousers or shorts."""
    waist = _ellipse_axes(row["waist"], body.waist[1] / body.waist[0])
    hip = _ellipse_axes(row["hip"], body.hip[1] / body.hip[0])
    seat_y = body.crotch_y - 0.025
    thigh = max(hip[0] / 2.0, body.thigh_radius + 0.015)
    # The legs part 2 cm apart at the crotch seam, under the pelvis strip.
    hip_joint = np.array([thigh + 0.01, body.hip_joint[1]])
    seat = max(hip[0], 2 * thigh + 0.02)
    pelvis = _vertical_band(
        [seat_y, body.hip_y, body.waist_y],
        [seat, seat, waist[0]],
        [hip[1], hip[1], waist[1]],
        open_start=False,
        open_end=True,
        seam_falloff=0.06,
    )
    ankle = np.array(body.ankle[:2])
    leg = float(np.linalg.norm(ankle - hip_joint))
    length = row["length"] / 100.0 - (body.waist_y - hip_joint[1])
    length = min(length, leg + 0.02)
    knee_t = (hip_joint[1] - body.knee_y) / (hip_joint[1] - ankle[1])
    radii = [thigh, body.knee_radius + 0.04, body.ankle_radius + 0.05]
    stations = [0.0, knee_t * leg / length, 1.0]
    if length < knee_t * leg:  # shorts end above the knee
        end_radius = min(thigh, np.interp(length / leg, [0, knee_t], radii[:2]) + 0.01)
        radii = [thigh, end_radius]
        stations = [0.0, 1.0]
    bands = [pelvis]
    for side in (1.0, -1.0):
        mirror = np.array([side, 1.0])
        bands.append(
            _limb_band(hip_joint * mirror, ankle * mirror, length, radii, stations, 0.0)
        )
    return tuple(bands)


def _contours(pattern: Pattern, step: float) -> list[np.ndarray]:
    """Closed outlines of the pattern, each (N, 2) x, y in metres."""
    from skimage.measure import find_contours

    corners = []
    for band in pattern.bands:
        reach = max(band.half_width) + 0.05
        for end in (band.start, band.end):
            corners.append(np.asarray(end) - reach)
            corners.append(np.asarray(end) + reach)
    low = np.min(corners, axis=0)
    high = np.max(corners, axis=0)
    xs = np.arange(low[0], high[0] + step, step)
    ys = np.arange(low[1], high[1] + step, step)
    grid = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1)  # (X, Y, 2)
    distance = pattern.outside(grid.reshape(-1, 2)).reshape(grid.shape[:2])
    outlines = []
    for contour in find_contours(distance, 0.0):
        outlines.append(low + contour * step)
    return outlines


def _resample_closed(outline: np.ndarray, spacing: float) -> np.ndarray:
    """Points evenly spaced along a closed polyline (last point dropped)."""
    closed = np.vstack([outline, outline[:1]])
    seg = np.linalg.norm(np.diff(closed, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(seg)])
    count = max(8, int(round(arc[-1] / spacing)))
    samples = np.linspace(0.0, arc[-1], count, endpoint=False)
    return np.stack(
        [np.interp(samples, arc, closed[:, 0]), np.interp(samples, arc, closed[:, 1])],
        axis=1,
    )


def _flat_mesh(pattern: Pattern, spacing: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Triangulate the pattern: (P, 2) points, (T, 3) CCW triangles, and the
    number of boundary points (they come first)."""
    step = spacing / 4.0
    boundary = np.vstack(
        [_resample_closed(c, spacing) for c in _contours(pattern, step)]
    )
    # Interior points on a hexagonal lattice, kept clear of the outline.
    low, high = boundary.min(axis=0), boundary.max(axis=0)
    row_step = spacing * math.sqrt(3) / 2
    rows = []
    for i, y in enumerate(np.arange(low[1], high[1], row_step)):
        xs = np.arange(low[0] + (i % 2) * spacing / 2, high[0], spacing)
        rows.append(np.stack([xs, np.full_like(xs, y)], axis=1))
    lattice = np.vstack(rows)
    lattice = lattice[pattern.outside(lattice) < -0.5 * spacing]
    points = np.vstack([boundary, lattice])
    triangles = _triangulate(pattern, points, spacing)
    # An inner edge between two outline points would be sewn twice (once
    # per panel): split it with a point in its middle.
    for _ in range(5):
        bridges = _bridging_edges(triangles, len(points))
        if len(bridges) == 0:
            break
        points = np.vstack([points, points[bridges].mean(axis=1)])
        triangles = _triangulate(pattern, points, spacing)
    # Counter-clockwise in x, y: the front panel's normals point to +z.
    a, b, c = (points[triangles[:, k]] for k in range(3))
    cross = (b - a)[:, 0] * (c - a)[:, 1] - (b - a)[:, 1] * (c - a)[:, 0]
    triangles[cross < 0] = triangles[cross < 0][:, [0, 2, 1]]
    return points, triangles.astype(np.int64), len(boundary)


def _triangulate(pattern: Pattern, points: np.ndarray, spacing: float) -> np.ndarray:
    """Delaunay triangles of ``points`` that lie inside the pattern."""
    triangles = Delaunay(points).simplices
    corners = points[triangles]  # (T, 3, 2)
    keep = pattern.outside(corners.mean(axis=1)) < 0
    edges = np.linalg.norm(corners - np.roll(corners, 1, axis=1), axis=2)
    keep &= edges.max(axis=1) < 2.2 * spacing
    return triangles[keep]


def _bridging_edges(triangles: np.ndarray, count: int) -> np.ndarray:
    """(K, 2) inner edges (two triangles) whose ends are both on the outline."""
    pairs = np.sort(
        np.concatenate(
            [triangles[:, [0, 1]], triangles[:, [1, 2]], triangles[:, [2, 0]]]
        ),
        axis=1,
    )
    unique, uses = np.unique(pairs, axis=0, return_counts=True)
    on_edge = _boundary_vertices(triangles, count)
    inner = unique[uses == 2]
    return inner[on_edge[inner[:, 0]] & on_edge[inner[:, 1]]]


def _boundary_vertices(triangles: np.ndarray, count: int) -> np.ndarray:
    """(count,) bool: vertices on an edge used by a single triangle."""
    pairs = np.concatenate(
        [triangles[:, [0, 1]], triangles[:, [1, 2]], triangles[:, [2, 0]]]
    )
    pairs.sort(axis=1)
    unique, uses = np.unique(pairs, axis=0, return_counts=True)
    flags = np.zeros(count, dtype=bool)
    flags[unique[uses == 1].ravel()] = True
    return flags


def make_panels(
    pattern: Pattern, spacing: float = 0.018, tile: float = 0.12
) -> PatternMesh:
    """Sew the front and back panels of a pattern into a garment mesh.

    Args:
        pattern: the flat pattern.
        spacing: target edge length, metres.
        tile: size of one texture tile on the garment, metres.

    Returns:
        PatternMesh: welded simulation mesh, split render mesh with UVs.
    """
    points, triangles, _ = _flat_mesh(pattern, spacing)
    used = np.unique(triangles)
    remap = -np.ones(len(points), dtype=np.int64)
    remap[used] = np.arange(len(used))
    points, triangles = points[used], remap[triangles]
    n = len(points)

    # Open where a point lies on a hem, cuff, neckline or waistband.
    on_edge = _boundary_vertices(triangles, n)
    tolerance = spacing * 0.3
    opening = np.zeros(n, dtype=bool)
    for band in pattern.bands:
        hit = on_edge & band.on_open_cap(points, tolerance)
        points[hit] += band.cap_shift(points[hit])
        opening |= hit
    sewn = on_edge & ~opening

    bulge = pattern.bulge(points)
    bulge[sewn] = 0.0
    seam = pattern.seam_z(points[:, 1])
    front = np.column_stack([points, seam + bulge])
    back = np.column_stack([points, seam - bulge])

    # Sewn points are shared by both panels; the others get a back copy.
    back_index = np.where(sewn, np.arange(n), n + np.cumsum(~sewn) - 1)
    vertices = np.vstack([front, back[~sewn]]).astype(np.float32)
    faces = np.vstack([triangles, back_index[triangles][:, [0, 2, 1]]])

    render_vertices = np.vstack([front, back]).astype(np.float32)
    render_faces = np.vstack([triangles, (triangles + n)[:, [0, 2, 1]]])
    uvs = np.vstack(
        [points / tile, np.column_stack([0.5 - points[:, 0], points[:, 1]]) / tile]
    ).astype(np.float32)
    sim_index = np.concatenate([np.arange(n), back_index]).astype(np.int32)
    count = len(render_vertices)
    render = RenderMesh(
        vertices=render_vertices,
        faces=render_faces.astype(np.int32),
        uvs=uvs,
        sim_index=sim_index,
        sim_faces=np.zeros(count, dtype=np.int32),
        sim_barycentrics=np.tile(np.float32([1, 0, 0]), (count, 1)),
        sim_offsets=np.zeros(count, dtype=np.float32),
    )
    flat = np.vstack([points, points[~sewn]]).astype(np.float32)
    return PatternMesh(vertices, faces.astype(np.int32), render, flat)


def texture_tile(weave: str, colour: str, size: int = 256) -> np.ndarray:
    """A seamless fabric texture tile, tinted with ``colour``.

    Args:
        weave: "jersey" (knitted V rows), "twill" (diagonal ribs),
            "denim" (blue-white twill) or "plain" (fine crosshatch).
        colour: base colour as ``#rrggbb``.
        size: tile width and height in pixels.

    Returns:
        (size, size, 3) uint8 RGB, tiling without seams.

    Raises:
        ValueError: ``weave`` is unknown.
    """
    base = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], float) / 255
    y, x = np.mgrid[0:size, 0:size] / size * 2 * math.pi
    if weave == "jersey":
        # Columns of interlocking V stitches.
        column = np.abs(np.sin(16 * x))
        shade = 0.82 + 0.18 * np.abs(np.sin(16 * x + 0.8 * np.sign(np.sin(32 * y))))
        shade *= 0.9 + 0.1 * column
    elif weave in ("twill", "denim"):
        shade = 0.8 + 0.2 * (0.5 + 0.5 * np.sin(24 * (x + y)))
    elif weave == "plain":
        shade = 0.88 + 0.06 * np.sin(48 * x) + 0.06 * np.sin(48 * y)
    else:
        raise ValueError(f"weave must be jersey, twill, denim or plain, got {weave!r}")
    rgb = base[None, None, :] * shade[..., None]
    if weave == "denim":
        white = 0.5 + 0.5 * np.sin(24 * (x - y))
        rgb = rgb * (1 - 0.25 * white[..., None]) + 0.25 * white[..., None]
    rng = np.random.default_rng(7)
    rgb *= 1 + 0.03 * rng.standard_normal((size, size, 1))
    return (np.clip(rgb, 0, 1) * 255).astype(np.uint8)


def scaled_mannequin(body: Mannequin, factor: float) -> Mannequin:
    """``body`` with its cross-sections scaled by ``factor`` (limbs too)."""

    def axes(values: tuple[float, float, float]) -> tuple[float, float, float]:
        return (values[0] * factor, values[1] * factor, values[2])

    return replace(
        body,
        chest=axes(body.chest),
        waist=axes(body.waist),
        hip=axes(body.hip),
        arm_radius=body.arm_radius * factor,
        thigh_radius=body.thigh_radius * factor,
    )


@dataclass(frozen=True)
class CatalogEntry:
    """One garment of the bundled catalog.

    Attributes:
        id, name, kind, fabric, weave, colour, price, tags: its metadata;
        ``kind`` is one of :data:`KINDS`, ``weave`` names the texture.
    """

    id: str
    name: str
    kind: str
    fabric: str
    weave: str
    colour: str
    price: float
    tags: tuple[str, ...]


DEFAULT_CATALOG = (
    CatalogEntry("tee-navy", "Classic T-shirt", "tshirt", "jersey", "jersey",
                 "#1f3a68", 19.0, ("basics", "cotton", "short sleeve")),
    CatalogEntry("tee-coral", "Classic T-shirt, coral", "tshirt", "jersey",
                 "jersey", "#e0674f", 19.0, ("basics", "cotton", "short sleeve")),
    CatalogEntry("shirt-oxford", "Oxford long-sleeve shirt", "longsleeve",
                 "woven_cotton", "plain", "#8fb3d9", 39.0,
                 ("smart", "cotton", "long sleeve")),
    CatalogEntry("dress-silk", "Silk midi dress", "dress", "silk", "plain",
                 "#a0203c", 89.0, ("evening", "silk", "long sleeve")),
    CatalogEntry("skirt-wool", "A-line wool skirt", "skirt", "wool", "twill",
                 "#4a4a52", 49.0, ("smart", "wool")),
    CatalogEntry("trousers-chino", "Chino trousers", "trousers", "woven_cotton",
                 "twill", "#c2a878", 45.0, ("casual", "cotton")),
    CatalogEntry("jeans-indigo", "Straight jeans", "trousers", "denim", "denim",
                 "#2c4a7a", 59.0, ("casual", "denim")),
    CatalogEntry("shorts-denim", "Denim shorts", "shorts", "denim", "denim",
                 "#5b7fb0", 35.0, ("summer", "denim")),
)  # fmt: skip

CATEGORY_OF_KIND = {
    "tshirt": "top",
    "longsleeve": "top",
    "dress": "dress",
    "skirt": "bottom",
    "trousers": "bottom",
    "shorts": "bottom",
}


def build_asset(
    entry: CatalogEntry,
    body_proportions: Mannequin | None = None,
    mannequin: MannequinMesh | None = None,
    *,
    settle: bool = True,
) -> tuple[GarmentAsset, Garment]:
    """Make the asset and metadata of one bundled garment in its base size M.

    Args:
        entry: the catalog entry.
        body_proportions: proportions to cut for (default mannequin).
        mannequin: a ``garments.importer.fitting.MannequinMesh`` to fit and
            bind to, or None to leave the asset unbound.
        settle: settle with the cloth solver when fitting.

    Returns:
        (GarmentAsset, Garment) with ``mesh_key`` the asset's content hash.
    """
    from garments.importer.fitting import fit_on_mannequin
    from garments.model import Garment, GarmentAsset, content_hash

    chart = size_chart(entry.kind)
    pattern = garment_pattern(entry.kind, chart["M"], body_proportions)
    panels = make_panels(pattern)
    vertices = panels.vertices
    count = len(vertices)
    binding_faces = np.full(count, -1, dtype=np.int32)
    barycentrics = np.zeros((count, 3), dtype=np.float32)
    offsets = np.zeros((count, 3), dtype=np.float32)
    held = np.zeros(count, dtype=bool)
    report: dict = {"kind": entry.kind, "vertices": count, "faces": len(panels.faces)}
    if mannequin is not None:
        category = CATEGORY_OF_KIND[entry.kind]
        fit = fit_on_mannequin(
            vertices, panels.faces, category, entry.fabric, mannequin, settle=settle
        )
        vertices = fit.vertices
        binding_faces = fit.binding.face_index.astype(np.int32)
        barycentrics = fit.binding.barycentrics.astype(np.float32)
        offsets = fit.binding.offsets.astype(np.float32)
        held = fit.anchor_vertices
        report.update(
            settled=fit.settled,
            solver_iterations=fit.iterations,
            penetration_ratio=round(fit.penetration_ratio, 5),
        )
    render = replace(
        panels.render,
        vertices=vertices[panels.render.sim_index],
        texture=texture_tile(entry.weave, entry.colour),
    )
    asset = GarmentAsset(
        vertices=vertices,
        faces=panels.faces,
        render=render,
        binding_faces=binding_faces,
        binding_barycentrics=barycentrics,
        binding_offsets=offsets,
        anchor_vertices=held,
    )
    key = content_hash(
        [vertices, panels.faces, render.uvs, render.texture, binding_faces, offsets]
    )
    garment = Garment(
        id=entry.id,
        name=entry.name,
        category=CATEGORY_OF_KIND[entry.kind],
        fabric=entry.fabric,
        colour=entry.colour,
        price=entry.price,
        tags=entry.tags,
        sizes=DEFAULT_SIZES,
        base_size="M",
        size_chart=chart,
        source_file=f"procedural:{entry.kind}",
        mesh_key=key,
        import_report=report,
    )
    return asset, garment


def _section(vertices: np.ndarray, height: float, reach: float) -> tuple:
    """(half_width, half_depth, centre_z) of the body slice at ``height``."""
    near = vertices[(np.abs(vertices[:, 1] - height) < 0.012)]
    near = near[np.abs(near[:, 0]) < reach]
    if len(near) < 8:
        return None
    low, high = near.min(axis=0), near.max(axis=0)
    return (
        float(max(-low[0], high[0])),
        float((high[2] - low[2]) / 2),
        float((high[2] + low[2]) / 2),
    )


def mannequin_from_body(
    vertices: np.ndarray, anchors: Mapping[str, object]
) -> Mannequin:
    """Proportions measured on a mannequin mesh and its anchors.

    Args:
        vertices: (V, 3) body vertices, metres, canonical frame.
        anchors: anchor heights and points (see ``garments.grading``).

    Returns:
        The proportions; what cannot be measured keeps the defaults.
    """
    from garments.grading import anchor_height, anchor_points

    body = default_mannequin()
    fields: dict[str, object] = {}
    for name, key in (
        ("neck", "neck_y"),
        ("shoulder_top", "shoulder_y"),
        ("chest", "chest_y"),
        ("waist", "waist_y"),
        ("hips", "hip_y"),
        ("crotch", "crotch_y"),
        ("knees", "knee_y"),
        ("ankles", "ankle_y"),
    ):
        height = anchor_height(anchors, name)
        if height is not None:
            fields[key] = height
    for name, key in (
        ("shoulders", "shoulder"),
        ("wrists", "wrist"),
        ("hip_joints", "hip_joint"),
    ):
        points = anchor_points(anchors, name)
        if points is not None:
            left = points[np.argmax(points[:, 0])]
            fields[key] = tuple(float(v) for v in left)
    shoulder_x = fields.get("shoulder", body.shoulder)[0]
    fields["shoulder_x"] = shoulder_x
    for key, height_key in (("chest", "chest_y"), ("waist", "waist_y")):
        measured = _section(vertices, fields.get(height_key, 0.0), shoulder_x + 0.03)
        if measured is not None:
            fields[key] = measured
    measured = _section(vertices, fields.get("hip_y", body.hip_y), 0.3)
    if measured is not None:
        fields["hip"] = measured
    neck = _section(vertices, fields.get("neck_y", body.neck_y) + 0.03, 0.1)
    if neck is not None:
        fields["neck_half_width"] = neck[0]
        fields["neck_depth"] = neck[1]
    return replace(body, **fields)
