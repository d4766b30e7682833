"""Size grading of a garment about the body's anchors, and garment measures.

A garment is stored in its base size, fitted to the canonical mannequin.
:func:`grade` turns it into another size of its size chart the way a
pattern grader does, region by region rather than with one uniform scale:

1. Girths: at the chest, waist and hip anchor heights the garment's torso
   girth (convex hull of its horizontal slice, what a tape measure reads)
   is changed by the chart's increment for that size. Each anchor gets a
   horizontal scale factor about the body's vertical axis; between anchor
   heights the factor is interpolated linearly, above the chest and below
   the hips it is held.
2. Sleeves: the part of the garment beyond the shoulders is scaled about
   the shoulder point by the chart's sleeve length ratio.
3. Length: the part of the garment below its lowest covered anchor (hips
   for trousers and long tops, waist or chest for shorter ones) is
   stretched vertically so that the hem moves by the chart's length
   increment.

Size charts are in centimetres: ``{size: {chest, waist, hip, length,
sleeve}}``, a key left out where it does not apply. Only differences
between sizes are used, so garment measurements and body measurements
charts grade alike.

Anchors are the body's landmark heights in the canonical frame (metres):
``{name: y}`` or ``{name: point (3,)}`` or ``{name: points (n, 3)}`` for
paired ones (shoulders, wrists), with names ``neck``, ``shoulders``,
``chest``, ``waist``, ``hips``, ``crotch``, ``knees``, ``ankles``,
``wrists``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import ConvexHull, QhullError

__all__ = [
    "CHART_KEYS",
    "SIZE_INCREMENTS_CM",
    "STANDARD_SIZES",
    "UnknownSize",
    "anchor_height",
    "anchor_points",
    "default_size_chart",
    "grade",
    "measure_garment",
    "proportional_anchors",
    "sleeve_weights",
    "slice_components",
    "torso_girth",
]

logger = logging.getLogger(__name__)

STANDARD_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
CHART_KEYS = ("chest", "waist", "hip", "length", "sleeve")

# Increments between neighbouring sizes, cm (typical ready-to-wear grading).
SIZE_INCREMENTS_CM: Mapping[str, float] = {
    "chest": 5.0,
    "waist": 5.0,
    "hip": 5.0,
    "length": 1.5,
    "sleeve": 1.0,
}

# Chart key -> anchor name of the height where it is measured.
GIRTH_ANCHORS = {"chest": "chest", "waist": "waist", "hip": "hips"}

# Width of the blend from torso to sleeve beyond the shoulder point, metres.
SLEEVE_BLEND_M = 0.03

# Sleeve points lie outside a cone from the shoulder down: tan(20 degrees).
ARM_CONE_SLOPE = 0.364

# A girth anchor counts as covered when the hem is this far below it, metres.
COVER_MARGIN_M = 0.04

CM = 0.01


class UnknownSize(ValueError):
    """A size that is not in the garment's size chart."""

    user_error = True


def anchor_points(anchors: Mapping[str, object], name: str) -> np.ndarray | None:
    """The anchor as (n, 3) points, or None when it is a bare height or absent."""
    value = anchors.get(name)
    if value is None:
        return None
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return None
    return array.reshape(-1, 3)


def anchor_height(anchors: Mapping[str, object], name: str) -> float | None:
    """The anchor's height (y, metres), or None when absent.

    Paired anchors (several points) give their mean height.
    """
    value = anchors.get(name)
    if value is None:
        return None
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return float(array)
    return float(array.reshape(-1, 3)[:, 1].mean())


def proportional_anchors(body_vertices: np.ndarray) -> dict[str, object]:
    """Anchors from average adult proportions of a body's height.

    For bodies that come without anchors (for example a scanned or
    downloaded mesh in the canonical frame, A-pose). Heights are fractions
    of the standing height above the soles; shoulder points are placed at
    the torso's widest extent near shoulder height.

    Args:
        body_vertices: (V, 3) body in the canonical frame, metres.

    Returns:
        Anchor dict (see the module docstring).

    Note:
        Proportions are averages; a body with unusual proportions gets
        anchors off by a few centimetres.
    """
    vertices = np.asarray(body_vertices, dtype=np.float64)
    floor = vertices[:, 1].min()
    height = vertices[:, 1].max() - floor
    fractions = {
        "neck": 0.845,
        "shoulders": 0.815,
        "chest": 0.725,
        "waist": 0.625,
        "hips": 0.53,
        "crotch": 0.475,
        "knees": 0.285,
        "ankles": 0.045,
        "wrists": 0.485,
    }
    anchors: dict[str, object] = {
        name: floor + fraction * height for name, fraction in fractions.items()
    }
    shoulder_y = anchors["shoulders"]
    # Shoulder joints sit about 0.1 of the height either side of the axis.
    half = 0.1 * height
    anchors["shoulders"] = np.array([[half, shoulder_y, 0.0], [-half, shoulder_y, 0.0]])
    return anchors


def slice_components(
    vertices: np.ndarray, faces: np.ndarray, height: float
) -> list[np.ndarray]:
    """Connected pieces of the mesh's cross-section at height ``y``.

    Args:
        vertices: (V, 3) float, metres, Y up.
        faces: (F, 3) int triangles.
        height: y of the horizontal cutting plane, metres.

    Returns:
        One (N, 2) float64 array of (x, z) crossing points per connected
        piece of the section (a closed loop around a body part, or an open
        chain for an open garment edge).
    """
    vertices = np.asarray(vertices, dtype=np.float64)
    faces = np.asarray(faces, dtype=np.int64)
    signed = vertices[:, 1] - height  # (V,)
    signed = np.where(signed == 0.0, 1e-12, signed)
    corner = signed[faces]  # (F, 3)
    crossing = (corner.min(axis=1) < 0) & (corner.max(axis=1) > 0)
    faces = faces[crossing]
    if len(faces) == 0:
        return []

    # 1. The two crossed edges of every cut face, named by vertex pair.
    starts = faces
    ends = np.roll(faces, -1, axis=1)  # (F, 3) edges 01, 12, 20
    crossed = np.sign(signed[starts]) != np.sign(signed[ends])  # (F, 3)
    low = np.minimum(starts, ends)[crossed].reshape(-1, 2)  # (F, 2)
    high = np.maximum(starts, ends)[crossed].reshape(-1, 2)
    keys = low * len(vertices) + high
    unique, inverse = np.unique(keys.ravel(), return_inverse=True)
    inverse = inverse.reshape(-1, 2)

    # 2. Crossing point on every edge.
    a = unique // len(vertices)
    b = unique % len(vertices)
    t = signed[a] / (signed[a] - signed[b])
    points = vertices[a] + t[:, None] * (vertices[b] - vertices[a])  # (N, 3)

    # 3. Pieces: edges joined through the faces they share.
    graph = coo_matrix(
        (np.ones(len(inverse)), (inverse[:, 0], inverse[:, 1])),
        shape=(len(unique), len(unique)),
    )
    count, labels = connected_components(graph, directed=False)
    return [points[labels == label][:, [0, 2]] for label in range(count)]


def _hull_perimeter(points: np.ndarray) -> float:
    """Perimeter of the convex hull of (N, 2) points, 0 when degenerate."""
    if len(points) < 3:
        return 0.0
    try:
        return float(ConvexHull(points).area)  # a 2-D hull's area is its length
    except QhullError:
        return 0.0


def torso_girth(
    vertices: np.ndarray, faces: np.ndarray, height: float
) -> tuple[float, np.ndarray] | None:
    """Girth of the torso at height ``y``: what a tape measure reads.

    The pieces of the horizontal section that straddle the vertical axis
    (x = 0) are the torso (arms, hands and sleeves lie to the sides, legs
    below the crotch do not straddle it); the girth is the perimeter of
    their convex hull.

    Args:
        vertices: (V, 3) float, metres, canonical frame.
        faces: (F, 3) int.
        height: y of the measurement, metres.

    Returns:
        (girth in metres, (2,) hull centre (x, z)) or None when no piece
        straddles the axis there.
    """
    pieces = [
        piece
        for piece in slice_components(vertices, faces, height)
        if piece[:, 0].min() < 0.0 < piece[:, 0].max()
    ]
    if not pieces:
        return None
    points = np.concatenate(pieces)  # (N, 2)
    centre = 0.5 * (points.min(axis=0) + points.max(axis=0))
    return _hull_perimeter(points), centre


def _chart_row(chart: Mapping[str, Mapping[str, float]], size: str) -> Mapping:
    if size not in chart:
        raise UnknownSize(
            f"size {size!r} is not in the size chart; choose one of {', '.join(chart)}"
        )
    return chart[size]


def _increment_m(base: Mapping, target: Mapping, key: str) -> float | None:
    """target - base for ``key`` in metres, or None when either lacks it."""
    if key not in base or key not in target:
        return None
    return (float(target[key]) - float(base[key])) * CM


def _girth_knots(
    vertices: np.ndarray,
    faces: np.ndarray,
    base: Mapping,
    target: Mapping,
    anchors: Mapping[str, object],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Heights, horizontal scale factors and z centres at the girth anchors.

    Returns:
        heights (K,), factors (K,), centres_z (K,), sorted by height; K may
        be 0 when the chart has no girth or no anchor is known.
    """
    rows = []
    for key, anchor in GIRTH_ANCHORS.items():
        height = anchor_height(anchors, anchor)
        increment = _increment_m(base, target, key)
        if height is None or increment is None:
            continue
        measured = torso_girth(vertices, faces, height)
        if measured is not None and measured[0] > 0.05:
            girth, centre = measured
            rows.append((height, (girth + increment) / girth, centre[1]))
        elif float(base[key]) > 0:
            # Not covered here: keep the chart's own ratio for the band.
            rows.append((height, float(target[key]) / float(base[key]), np.nan))
    if not rows:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    rows.sort()
    heights, factors, centres = (np.array(column) for column in zip(*rows, strict=True))
    if np.all(np.isnan(centres)):
        centres[:] = np.median(vertices[:, 2])
    else:
        centres[np.isnan(centres)] = np.nanmean(centres)
    return heights, factors, centres


def sleeve_weights(
    vertices: np.ndarray, anchors: Mapping[str, object]
) -> tuple[np.ndarray, np.ndarray | None]:
    """(V,) weight of sleeve membership and (V, 3) shoulder pivots or None."""
    shoulders = anchor_points(anchors, "shoulders")
    if shoulders is None or len(shoulders) < 2:
        return np.zeros(len(vertices)), None
    shoulder_x = float(np.abs(shoulders[:, 0]).mean())
    shoulder_y = float(shoulders[:, 1].mean())
    # Beyond a cone opening downwards from the shoulder (torso and legs
    # stay inside it, arms in an A-pose lie outside).
    drop = np.clip(shoulder_y - vertices[:, 1], 0.0, None)  # (V,)
    lateral = np.abs(vertices[:, 0]) - shoulder_x - ARM_CONE_SLOPE * drop
    weights = np.clip(lateral / SLEEVE_BLEND_M, 0.0, 1.0)
    weights = weights * (vertices[:, 1] <= shoulder_y + 0.1)
    left = shoulders[np.argmax(shoulders[:, 0])]
    right = shoulders[np.argmin(shoulders[:, 0])]
    pivots = np.where(vertices[:, :1] >= 0, left, right)  # (V, 3)
    return weights, pivots


def _length_reference(vertices: np.ndarray, anchors: Mapping[str, object]) -> float:
    """Height above which the garment keeps its length (see module doc)."""
    hem = vertices[:, 1].min()
    covered = [
        height
        for name in ("chest", "waist", "hips")
        if (height := anchor_height(anchors, name)) is not None
        and height > hem + COVER_MARGIN_M
    ]
    return min(covered) if covered else float(vertices[:, 1].max())


def grade(
    rest_vertices: np.ndarray,
    size_chart: Mapping[str, Mapping[str, float]],
    base_size: str,
    size: str,
    anchors: Mapping[str, object],
    faces: np.ndarray | None = None,
) -> np.ndarray:
    """The garment in another size of its size chart.

    Args:
        rest_vertices: (V, 3) garment in the base size at rest, canonical
            frame, metres.
        size_chart: {size: {chest, waist, hip, length, sleeve}} in cm.
        base_size: the size ``rest_vertices`` is in.
        size: the size wanted.
        anchors: body anchors in the canonical frame (module docstring).
        faces: (F, 3) garment triangles; needed to measure the garment's
            own girths so that each girth changes by exactly the chart's
            increment. Without them the chart's girth ratios are applied.

    Returns:
        (V, 3) float32 graded garment vertices, canonical frame, metres.

    Raises:
        UnknownSize: ``size`` or ``base_size`` is not in the chart.
        ValueError: ``rest_vertices`` is not (V, 3).
    """
    vertices = np.asarray(rest_vertices, dtype=np.float64)
    if vertices.ndim != 2 or vertices.shape[1] != 3:
        raise ValueError(
            f"rest_vertices must have shape (V, 3), got {tuple(vertices.shape)}"
        )
    base = _chart_row(size_chart, base_size)
    target = _chart_row(size_chart, size)
    if size == base_size:
        return vertices.astype(np.float32)

    # 1. Girths: horizontal scaling about the vertical axis, per height band.
    if faces is None:
        knots = _chart_girth_knots(base, target, anchors)
        knots[2][:] = np.median(vertices[:, 2])
    else:
        knots = _girth_knots(vertices, faces, base, target, anchors)
    graded = _scale_horizontally(vertices, *knots)

    # 2. Sleeves: carried along with the shoulder, then scaled about it.
    sleeve, pivots = sleeve_weights(vertices, anchors)
    if pivots is not None:
        moved = _scale_horizontally(pivots, *knots)  # (V, 3)
        graded += sleeve[:, None] * (vertices + moved - pivots - graded)
        ratio = _ratio(base, target, "sleeve")
        graded += (sleeve * (ratio - 1.0))[:, None] * (graded - moved)

    # 3. Length: stretch below the lowest covered anchor.
    length_increment = _increment_m(base, target, "length")
    if length_increment:
        reference = _length_reference(vertices, anchors)
        drop = reference - vertices[:, 1].min()
        if drop > 1e-3:
            below = np.clip(reference - graded[:, 1], 0.0, None)  # (V,)
            graded[:, 1] -= (1.0 - sleeve) * below * (length_increment / drop)

    logger.debug("graded %s -> %s: girth factors %s", base_size, size, knots[1])
    return graded.astype(np.float32)


def _ratio(base: Mapping, target: Mapping, key: str) -> float:
    """target / base for ``key``, 1 when either lacks it."""
    if key not in base or key not in target or float(base[key]) <= 0:
        return 1.0
    return float(target[key]) / float(base[key])


def _scale_horizontally(
    points: np.ndarray, heights: np.ndarray, factors: np.ndarray, centres: np.ndarray
) -> np.ndarray:
    """Scale x about 0 and z about the band centre by the band's factor.

    Args:
        points: (N, 3) canonical frame, metres.
        heights, factors, centres: (K,) knots sorted by height; factors and
            centres are interpolated linearly in height, held beyond.

    Returns:
        (N, 3) float64 scaled points (a copy when K is 0).
    """
    scaled = np.array(points, dtype=np.float64)
    if len(heights) == 0:
        return scaled
    factor = np.interp(points[:, 1], heights, factors)  # (N,)
    centre_z = np.interp(points[:, 1], heights, centres)  # (N,)
    scaled[:, 0] = points[:, 0] * factor
    scaled[:, 2] = centre_z + (points[:, 2] - centre_z) * factor
    return scaled


def _chart_girth_knots(
    base: Mapping, target: Mapping, anchors: Mapping[str, object]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Knots from chart ratios alone (no garment faces to measure)."""
    rows = sorted(
        (height, float(target[key]) / float(base[key]))
        for key, anchor in GIRTH_ANCHORS.items()
        if (height := anchor_height(anchors, anchor)) is not None
        and key in base
        and key in target
        and float(base[key]) > 0
    )
    if not rows:
        return np.zeros(0), np.zeros(0), np.zeros(0)
    heights, factors = (np.array(column) for column in zip(*rows, strict=True))
    return heights, factors, np.zeros_like(heights)


def measure_garment(
    vertices: np.ndarray, faces: np.ndarray, anchors: Mapping[str, object]
) -> dict[str, float]:
    """A garment's own chart row, measured on its mesh (cm).

    Girths are convex-hull perimeters of the torso section at the chest,
    waist and hip anchor heights (left out where the garment does not
    reach); ``length`` is the vertical extent from the top to the hem;
    ``sleeve`` is the farthest sleeve point from the shoulder point (left
    out for garments without sleeves past the shoulders).

    Args:
        vertices: (V, 3) garment at rest on the body, canonical frame, m.
        faces: (F, 3) int.
        anchors: the body's anchors (module docstring).

    Returns:
        {key: cm} with keys among :data:`CHART_KEYS`.
    """
    vertices = np.asarray(vertices, dtype=np.float64)
    row: dict[str, float] = {}
    hem = vertices[:, 1].min()
    for key, anchor in GIRTH_ANCHORS.items():
        height = anchor_height(anchors, anchor)
        if height is None or height < hem + COVER_MARGIN_M:
            continue
        if height > vertices[:, 1].max() - COVER_MARGIN_M:
            continue
        measured = torso_girth(vertices, faces, height)
        if measured is not None:
            row[key] = round(measured[0] / CM, 1)
    row["length"] = round((vertices[:, 1].max() - hem) / CM, 1)
    sleeve, pivots = sleeve_weights(vertices, anchors)
    if pivots is not None and np.any(sleeve >= 1.0):
        reach = np.linalg.norm(vertices - pivots, axis=1)[sleeve >= 1.0]
        if reach.max() > 0.08:
            row["sleeve"] = round(float(reach.max()) / CM, 1)
    return row


def default_size_chart(
    base_row_cm: Mapping[str, float],
    base_size: str = "M",
    sizes: Sequence[str] = STANDARD_SIZES,
    increments_cm: Mapping[str, float] = SIZE_INCREMENTS_CM,
) -> dict[str, dict[str, float]]:
    """A size chart from one measured row and standard increments.

    For garments imported without a chart: the base size gets
    ``base_row_cm`` (for example from :func:`measure_garment`), every other
    size steps by ``increments_cm`` per size (5 cm girths, 1.5 cm length,
    1 cm sleeve by default).

    Args:
        base_row_cm: {key: cm} of the base size.
        base_size: label of the base size, one of ``sizes``.
        sizes: labels in ascending order.
        increments_cm: per-size step of each key, cm.

    Returns:
        {size: {key: cm}} for every size.

    Raises:
        UnknownSize: ``base_size`` is not one of ``sizes``.
    """
    sizes = list(sizes)
    if base_size not in sizes:
        raise UnknownSize(
            f"base size {base_size!r} is not one of the sizes {', '.join(sizes)}"
        )
    origin = sizes.index(base_size)
    return {
        size: {
            key: round(float(value) + (index - origin) * increments_cm.get(key, 0), 1)
            for key, value in base_row_cm.items()
        }
        for index, size in enumerate(sizes)
    }
