"""Fit measures: ease and strain per body region, labels, a score, a size.

Everything is measured at rest, in this body's canonical frame (the
settled garment brought back by inverting the skinning, see
:class:`garments.drape.DrapeResult`), against this body's rest mesh.

Regions and how their ease is measured (cm):

- ``chest``, ``waist``, ``hips``, ``shoulders``: garment girth minus body
  girth at the anchor height (``shoulders``: 4 cm below the shoulder
  anchor), both as the convex hull of the horizontal section of the torso
  (:func:`garments.grading.torso_girth`), which is what a tape measure
  reads.
- ``sleeves``: the mean gap between sleeve vertices and the body times
  2 pi (the girth ease of a round sleeve with that gap).
- ``length``: how far the hem hangs below the reference anchor on this
  body, minus how far the base size hangs below it on the canonical
  mannequin (0 = as designed; negative = shorter).

A region's strain is the 90th percentile of the vertex strain of the
garment vertices in it.

Labels, from exactly :data:`LABELS`: a girth region with negative ease or
strain above the fabric's ``strain_limit`` is "too tight"; otherwise its
ease is compared with the bands of :data:`EASE_BANDS_CM` (snug below the
first edge, good up to the second, relaxed up to the third, too loose
beyond); strain above half the limit caps the label at "snug". Length is
labelled by the hem's offset from the design: more than 6 cm short "too
tight" (too short), 2-6 cm short "snug", within 2 cm "good", 2-8 cm long
"relaxed", longer "too loose".

Score (0..1): the mean over regions of ``exp(-(d / w)^2)``, where ``d``
is how far the ease lies outside the region's good band (0 inside) and
``w`` is 4 cm on the tight side, 8 cm on the loose side,
times a strain factor ``clip(2 - 2 strain / strain_limit, 0, 1)`` (1 up
to half the limit, 0 at the limit), all times ``1 - penetration_ratio``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from garments.binding import closest_points_on_mesh
from garments.grading import (
    anchor_height,
    grade,
    sleeve_weights,
    torso_girth,
)

__all__ = [
    "EASE_BANDS_CM",
    "LABELS",
    "FitReport",
    "RegionFit",
    "SizeEstimate",
    "combine_fit",
    "estimate_fit",
    "fit_report",
    "girth_label",
    "length_label",
    "recommend_size",
    "region_girths_cm",
    "region_offsets",
    "design_hem_drop",
]

logger = logging.getLogger(__name__)

LABELS = ("too tight", "snug", "good", "relaxed", "too loose")

# Per category and region: (snug below, good below, relaxed below) ease in
# cm; ease at or beyond the last edge is "too loose". From ready-to-wear
# ease allowances (fitted to loose).
EASE_BANDS_CM: Mapping[str, Mapping[str, tuple[float, float, float]]] = {
    "top": {
        "chest": (4.0, 14.0, 24.0),
        "waist": (4.0, 18.0, 30.0),
        "hips": (2.0, 14.0, 26.0),
        "shoulders": (2.0, 16.0, 26.0),
        "sleeves": (3.0, 12.0, 22.0),
    },
    "outerwear": {
        "chest": (8.0, 20.0, 32.0),
        "waist": (8.0, 24.0, 36.0),
        "hips": (4.0, 20.0, 32.0),
        "shoulders": (4.0, 20.0, 30.0),
        "sleeves": (5.0, 16.0, 26.0),
    },
    "dress": {
        "chest": (3.0, 12.0, 22.0),
        "waist": (3.0, 14.0, 26.0),
        "hips": (3.0, 16.0, 30.0),
        "shoulders": (2.0, 16.0, 26.0),
        "sleeves": (3.0, 12.0, 22.0),
    },
    "bottom": {
        "waist": (1.0, 6.0, 12.0),
        "hips": (2.0, 10.0, 18.0),
    },
}

# Length offsets from the design, cm: (too short, short, long, too long).
LENGTH_BANDS_CM = (-6.0, -2.0, 2.0, 8.0)

# Score falloff outside the good band, cm: a tight fit costs more than a
# loose one.
SCORE_WIDTH_TIGHT_CM = 4.0
SCORE_WIDTH_LOOSE_CM = 8.0

# Half height of the band of vertices a girth region's strain is read in, m.
REGION_BAND_M = 0.04

GIRTH_REGIONS = {"chest": "chest", "waist": "waist", "hips": "hips"}

# How far above a garment's top a region's anchor may lie and still be
# measured at the top (waistbands sitting below the natural waist), m.
WAISTBAND_REACH_M = 0.08

CM = 0.01


@dataclass(frozen=True)
class RegionFit:
    """Fit of one body region.

    Attributes:
        ease_cm: garment minus body (girths) or offset from the design
            (length), centimetres.
        strain: 90th percentile of the vertex strain in the region.
        label: one of :data:`LABELS`.
    """

    ease_cm: float
    strain: float
    label: str


@dataclass(frozen=True)
class FitReport:
    """How a garment fits a body.

    Attributes:
        score: 0..1, formula in the module docstring.
        regions: {region: RegionFit}.
        strain_p95: 95th percentile of the vertex strain over the garment.
        labels: the label vocabulary, in order from tight to loose.
        penetration_ratio: share of garment vertices inside the body.
        edge_strain_p95: 95th percentile of the edge strain.
        solver_iterations: substeps the solver took (0 for an estimate).
        converged: whether the solver met its tolerances.
    """

    score: float
    regions: Mapping[str, RegionFit]
    strain_p95: float
    labels: tuple[str, ...]
    penetration_ratio: float
    edge_strain_p95: float
    solver_iterations: int
    converged: bool

    def as_dict(self) -> dict[str, object]:
        """The ``fit`` and ``quality`` parts of the try-on report (JSON-able)."""
        return {
            "fit": {
                "score": round(self.score, 4),
                "regions": {
                    name: {
                        "ease_cm": round(region.ease_cm, 1),
                        "strain": round(region.strain, 4),
                        "label": region.label,
                    }
                    for name, region in self.regions.items()
                },
                "strain_p95": round(self.strain_p95, 4),
                "labels": list(self.labels),
            },
            "quality": {
                "penetration_ratio": round(self.penetration_ratio, 4),
                "edge_strain_p95": round(self.edge_strain_p95, 4),
                "solver_iterations": self.solver_iterations,
                "converged": self.converged,
            },
        }


def _bands(category: str) -> Mapping[str, tuple[float, float, float]]:
    if category not in EASE_BANDS_CM:
        raise ValueError(
            f"category must be one of {', '.join(EASE_BANDS_CM)}, got {category!r}"
        )
    return EASE_BANDS_CM[category]


def girth_label(
    ease_cm: float, strain: float, band: tuple[float, float, float], limit: float
) -> str:
    """Label of a girth region (rules in the module docstring)."""
    if ease_cm < 0.0 or strain > limit:
        return "too tight"
    snug, good, relaxed = band
    if ease_cm < snug or strain > 0.5 * limit:
        return "snug"
    if ease_cm < good:
        return "good"
    return "relaxed" if ease_cm < relaxed else "too loose"


def length_label(offset_cm: float) -> str:
    """Label of the length (rules in the module docstring)."""
    too_short, short, long, too_long = LENGTH_BANDS_CM
    if offset_cm < too_short:
        return "too tight"
    if offset_cm < short:
        return "snug"
    if offset_cm <= long:
        return "good"
    return "relaxed" if offset_cm <= too_long else "too loose"


def _region_score(
    ease_cm: float, strain: float, band: tuple[float, float] | None, limit: float
) -> float:
    """exp(-(d / width)^2) times the strain factor (module docstring)."""
    if band is not None and ease_cm < band[0]:
        scale = (band[0] - ease_cm) / SCORE_WIDTH_TIGHT_CM
    elif band is not None and ease_cm > band[1]:
        scale = (ease_cm - band[1]) / SCORE_WIDTH_LOOSE_CM
    else:
        scale = 0.0
    strain_factor = float(np.clip(2.0 - 2.0 * strain / limit, 0.0, 1.0))
    return float(np.exp(-(scale**2))) * strain_factor


@dataclass(frozen=True)
class _Body:
    vertices: np.ndarray
    faces: np.ndarray
    anchors: Mapping[str, object]


def _girth_regions(
    garment: np.ndarray, faces: np.ndarray, body: _Body
) -> dict[str, tuple[float, float]]:
    """{region: (height m, ease cm)} for the girth regions the garment covers."""
    regions = {}
    for region, height in _covered_heights(garment, body.anchors).items():
        worn = torso_girth(garment, faces, height)
        bare = torso_girth(body.vertices, body.faces, height)
        if worn is None or bare is None:
            continue
        regions[region] = (height, (worn[0] - bare[0]) / CM)
    return regions


def _sleeve_ease(garment: np.ndarray, body: _Body) -> tuple[float, np.ndarray] | None:
    """(ease cm, (V,) bool sleeve mask) or None for a garment without sleeves."""
    weights, _ = sleeve_weights(garment, body.anchors)
    sleeve = weights >= 1.0
    if sleeve.sum() < 8:
        return None
    _, _, gap = closest_points_on_mesh(garment[sleeve], body.vertices, body.faces)
    return 2.0 * np.pi * float(gap.mean()) / CM, sleeve


def _length_reference(anchors: Mapping[str, object], category: str) -> float | None:
    name = "ankles" if category == "bottom" else "hips"
    return anchor_height(anchors, name)


def _hem_drop(vertices: np.ndarray, reference: float | None) -> float | None:
    """How far the hem (lowest garment point) hangs below ``reference``, m."""
    if reference is None:
        return None
    return reference - float(np.min(vertices[:, 1]))


def _assemble(
    regions: Mapping[str, tuple[float, float]],
    category: str,
    limit: float,
) -> tuple[dict[str, RegionFit], float]:
    """RegionFits and the mean region score from {name: (ease, strain)}."""
    bands = _bands(category)
    fits: dict[str, RegionFit] = {}
    scores = []
    for name, (ease, strain) in regions.items():
        if name == "length":
            label = length_label(ease)
            good = (LENGTH_BANDS_CM[1], LENGTH_BANDS_CM[2])
        else:
            band = bands.get(name, bands.get("chest", (2.0, 12.0, 22.0)))
            label = girth_label(ease, strain, band, limit)
            good = (band[0], band[1])
        fits[name] = RegionFit(float(ease), float(strain), label)
        scores.append(_region_score(ease, strain, good, limit))
    return fits, float(np.mean(scores)) if scores else 0.0


def _edge_strain(
    vertices: np.ndarray, faces: np.ndarray, rest_vertices: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(E,) edge strain and (V,) vertex strain (mean of incident edges)."""
    pairs = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    edges = np.unique(np.sort(pairs, axis=1), axis=0)  # (E, 2)
    rest = np.linalg.norm(
        rest_vertices[edges[:, 1]] - rest_vertices[edges[:, 0]], axis=1
    )
    now = np.linalg.norm(vertices[edges[:, 1]] - vertices[edges[:, 0]], axis=1)
    strain = now / np.maximum(rest, 1e-12) - 1.0  # (E,)
    total = np.bincount(edges.ravel(), np.repeat(strain, 2), minlength=len(vertices))
    count = np.bincount(edges.ravel(), minlength=len(vertices))
    return strain, total / np.maximum(count, 1)


def fit_report(
    garment_vertices: np.ndarray,
    faces: np.ndarray,
    rest_vertices: np.ndarray,
    body_vertices: np.ndarray,
    body_faces: np.ndarray,
    anchors: Mapping[str, object],
    *,
    strain_limit: float,
    category: str = "top",
    design_hem_drop_m: float | None = None,
    penetration_ratio: float = 0.0,
    solver_iterations: int = 0,
    converged: bool = True,
    strain_vertices: np.ndarray | None = None,
) -> FitReport:
    """Fit of a garment settled on a body, measured at rest.

    Args:
        garment_vertices: (V, 3) the settled garment in this body's rest
            canonical frame (``DrapeResult.rest_frame_vertices``), metres.
        faces: (F, 3) int garment triangles.
        rest_vertices: (V, 3) the graded garment at rest (rest lengths).
        body_vertices: (Vb, 3) this body at rest, canonical frame.
        body_faces: (Fb, 3) int, closed body mesh.
        anchors: this body's anchors (see :mod:`garments.grading`).
        strain_limit: the fabric's ``strain_limit``.
        category: top, bottom, dress or outerwear (chooses ease bands).
        design_hem_drop_m: how far the base size's hem hangs below the
            reference anchor (hips; ankles for bottoms) on the canonical
            mannequin; None leaves the length region out.
        penetration_ratio: share of garment vertices inside the posed body
            (from the collider).
        solver_iterations: substeps the solver took.
        converged: whether it met its tolerances.
        strain_vertices: (V, 3) the settled garment as simulated (target
            frame, ``DrapeResult.vertices``); strain is read from it, since
            undoing the skinning per vertex distorts edges where skinning
            weights change fast (armpits). None reads it from
            ``garment_vertices``.

    Returns:
        The :class:`FitReport`.

    Raises:
        ValueError: unknown category or mismatched shapes.

    Note:
        Girths are convex-hull perimeters of the torso section, so cloth
        pushed out locally (by an arm lowered against the side in the
        photo's pose) widens the reading; the bands and thresholds are
        ready-to-wear rules of thumb, not calibrated against returns.
    """
    garment = np.asarray(garment_vertices, dtype=np.float64)
    rest = np.asarray(rest_vertices, dtype=np.float64)
    if garment.shape != rest.shape:
        raise ValueError(
            f"rest_vertices must have the garment's shape {garment.shape}, "
            f"got {rest.shape}"
        )
    faces = np.asarray(faces, dtype=np.int64)
    body = _Body(np.asarray(body_vertices, dtype=np.float64), body_faces, anchors)
    stretched = garment if strain_vertices is None else strain_vertices
    edge_strain, strain = _edge_strain(
        np.asarray(stretched, dtype=np.float64), faces, rest
    )

    # 1. Girth regions: ease from sections, strain from the band around them.
    rows: dict[str, tuple[float, float]] = {}
    sleeve = _sleeve_ease(garment, body)
    torso = np.ones(len(garment), dtype=bool) if sleeve is None else ~sleeve[1]
    for name, (height, ease) in _girth_regions(garment, faces, body).items():
        near = torso & (np.abs(garment[:, 1] - height) < REGION_BAND_M)
        rows[name] = (ease, _p90(strain[near]))

    # 2. Sleeves and length.
    if sleeve is not None:
        rows["sleeves"] = (sleeve[0], _p90(strain[sleeve[1]]))
    drop = _hem_drop(garment, _length_reference(anchors, category))
    if drop is not None and design_hem_drop_m is not None:
        hem = garment[:, 1] < garment[:, 1].min() + REGION_BAND_M
        rows["length"] = ((drop - design_hem_drop_m) / CM, _p90(strain[hem]))

    # 3. Labels and score.
    regions, score = _assemble(rows, category, strain_limit)
    return FitReport(
        score=score * (1.0 - float(penetration_ratio)),
        regions=regions,
        strain_p95=float(np.percentile(strain, 95)),
        labels=LABELS,
        penetration_ratio=float(penetration_ratio),
        edge_strain_p95=float(np.percentile(edge_strain, 95)),
        solver_iterations=int(solver_iterations),
        converged=bool(converged),
    )


def _p90(values: np.ndarray) -> float:
    return float(np.percentile(values, 90)) if len(values) else 0.0


def design_hem_drop(
    rest_vertices: np.ndarray, canonical_anchors: Mapping[str, object], category: str
) -> float | None:
    """How far the base size's hem hangs below its reference anchor, metres.

    Args:
        rest_vertices: (V, 3) the garment in its base size on the canonical
            mannequin.
        canonical_anchors: the canonical mannequin's anchors.
        category: top, bottom, dress or outerwear.
    """
    vertices = np.asarray(rest_vertices, dtype=np.float64)
    return _hem_drop(vertices, _length_reference(canonical_anchors, category))


@dataclass(frozen=True)
class SizeEstimate:
    """The quick fit of one size, without a cloth simulation.

    Attributes:
        size: the size label.
        report: the fit report of the estimate (solver_iterations 0).
    """

    size: str
    report: FitReport


def _region_heights(anchors: Mapping[str, object]) -> dict[str, float]:
    """{region: height m} of the girth regions the anchors define."""
    heights = {
        region: anchor_height(anchors, anchor)
        for region, anchor in GIRTH_REGIONS.items()
    }
    shoulder = anchor_height(anchors, "shoulders")
    if shoulder is not None:
        heights["shoulders"] = shoulder - 0.04
    return {name: height for name, height in heights.items() if height is not None}


def _covered_heights(
    vertices: np.ndarray, anchors: Mapping[str, object]
) -> dict[str, float]:
    """Region heights the torso part of ``vertices`` spans with a margin.

    A hem just at an anchor height would otherwise be measured as a scrap
    of a section. A region whose anchor lies at most ``WAISTBAND_REACH_M``
    above the top of the garment (the waist of low-rise trousers) is
    measured just below the top instead, at the waistband.
    """
    weights, _ = sleeve_weights(vertices, anchors)
    torso = np.asarray(vertices)[weights < 1.0, 1]
    if len(torso) == 0:
        return {}
    low, high = torso.min() + REGION_BAND_M, torso.max() - REGION_BAND_M
    heights = {}
    for name, height in _region_heights(anchors).items():
        if high < height <= high + WAISTBAND_REACH_M and height > low:
            heights[name] = high
        elif low <= height <= high:
            heights[name] = height
    return heights


def region_girths_cm(
    vertices: np.ndarray,
    faces: np.ndarray,
    anchors: Mapping[str, object],
    offsets: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Torso girths (cm) at the girth regions' heights, where there is torso.

    Args:
        vertices: (V, 3) body or garment at rest, canonical frame, metres.
        faces: (F, 3) int.
        anchors: the anchors of the body the heights are taken from.
        offsets: {region: metres} to measure a body at its anchors moved
            by these (where a garment is measured off its anchor, see
            :func:`region_offsets`); None measures where the mesh's torso
            covers the region.

    Returns:
        {region: girth cm} for chest, waist, hips, shoulders (those the
        mesh's torso covers by at least ``REGION_BAND_M`` above and below,
        or those in ``offsets``).
    """
    if offsets is None:
        heights = _covered_heights(vertices, anchors)
    else:
        anchor_heights = _region_heights(anchors)
        heights = {
            region: anchor_heights[region] + offset
            for region, offset in offsets.items()
            if region in anchor_heights
        }
    girths = {}
    for region, height in heights.items():
        measured = torso_girth(vertices, faces, height)
        if measured is not None:
            girths[region] = measured[0] / CM
    return girths


def region_offsets(
    garment_vertices: np.ndarray, anchors: Mapping[str, object]
) -> dict[str, float]:
    """{region: metres} from each anchor to where the garment is measured.

    Zero where the garment covers the anchor; negative for a waistband
    below the natural waist (see ``WAISTBAND_REACH_M``).
    """
    anchor_heights = _region_heights(anchors)
    return {
        region: height - anchor_heights[region]
        for region, height in _covered_heights(garment_vertices, anchors).items()
    }


def _hanging_length(anchors: Mapping[str, object], category: str) -> float | None:
    """Body length the garment hangs along: shoulders or waist to reference."""
    top = anchor_height(anchors, "waist" if category == "bottom" else "shoulders")
    bottom = _length_reference(anchors, category)
    if top is None or bottom is None:
        return None
    return top - bottom


def estimate_fit(
    graded_vertices: np.ndarray,
    faces: np.ndarray,
    mannequin_anchors: Mapping[str, object],
    body_girths_cm: Mapping[str, float],
    anchors: Mapping[str, object],
    *,
    strain_limit: float,
    category: str = "top",
    design_hem_drop_m: float | None = None,
) -> FitReport:
    """Fit of one size without a cloth simulation: the ease-based estimate.

    Girth ease is the graded garment's rest girth (on the mannequin, at
    the mannequin's anchor heights) minus this body's girth at its own
    anchors: what the settled garment shows when it neither stretches nor
    sags. Where that is negative the body would stretch the garment by
    about ``-ease / garment girth``, which is the region's strain. Length
    is the graded hem's offset from the design, less the growth of the
    body length the garment hangs along (shoulders to hips for tops and
    dresses, waist to ankles for bottoms). Sleeves are not estimated.

    Args:
        graded_vertices: (V, 3) graded garment on the mannequin, metres.
        faces: (F, 3) int.
        mannequin_anchors: the mannequin's anchors.
        body_girths_cm: this body's :func:`region_girths_cm`.
        anchors: this body's anchors.
        strain_limit, category, design_hem_drop_m: as in :func:`fit_report`.

    Returns:
        A :class:`FitReport` with ``solver_iterations`` 0 and ``converged``
        False; its ``strain_p95`` is the largest region strain.
    """
    garment = np.asarray(graded_vertices, dtype=np.float64)
    rows: dict[str, tuple[float, float]] = {}
    for region, girth in region_girths_cm(garment, faces, mannequin_anchors).items():
        if region not in body_girths_cm:
            continue
        ease = girth - body_girths_cm[region]
        rows[region] = (ease, max(0.0, -ease) / girth)
    drop = _hem_drop(garment, _length_reference(mannequin_anchors, category))
    grown = [
        _hanging_length(anchors, category),
        _hanging_length(mannequin_anchors, category),
    ]
    if drop is not None and design_hem_drop_m is not None and None not in grown:
        offset = drop - design_hem_drop_m - (grown[0] - grown[1])
        rows["length"] = (offset / CM, 0.0)
    regions, score = _assemble(rows, category, strain_limit)
    strains = [region.strain for region in regions.values()]
    return FitReport(
        score=score,
        regions=regions,
        strain_p95=max(strains) if strains else 0.0,
        labels=LABELS,
        penetration_ratio=0.0,
        edge_strain_p95=max(strains) if strains else 0.0,
        solver_iterations=0,
        converged=False,
    )


def recommend_size(
    rest_vertices: np.ndarray,
    faces: np.ndarray,
    size_chart: Mapping[str, Mapping[str, float]],
    base_size: str,
    sizes: Sequence[str],
    mannequin_anchors: Mapping[str, object],
    body_vertices: np.ndarray,
    body_faces: np.ndarray,
    anchors: Mapping[str, object],
    *,
    strain_limit: float,
    category: str = "top",
) -> tuple[str, list[SizeEstimate]]:
    """Recommend a size from the ease-based estimate of every size.

    Each size is graded (:func:`garments.grading.grade`) and its fit
    estimated without a cloth simulation (:func:`estimate_fit`). The
    recommended size is the best-scoring size with no girth region "too
    tight" (length does not rule a size out); when every size is too tight
    somewhere, the largest.

    Args:
        rest_vertices: (V, 3) garment in ``base_size`` on the mannequin.
        faces: (F, 3) int.
        size_chart: {size: {key: cm}}.
        base_size: the size of ``rest_vertices``.
        sizes: the sizes to try, ascending.
        mannequin_anchors: the canonical mannequin's anchors (grading is
            about them).
        body_vertices: (Vb, 3) this body at rest, canonical frame.
        body_faces: (Fb, 3) int, its closed mesh.
        anchors: this body's anchors.
        strain_limit: the fabric's ``strain_limit``.
        category: top, bottom, dress or outerwear.

    Returns:
        (recommended size, the estimate of every size in ``sizes``).
    """
    drop = design_hem_drop(rest_vertices, mannequin_anchors, category)
    offsets = region_offsets(rest_vertices, mannequin_anchors)
    body_girths = region_girths_cm(body_vertices, body_faces, anchors, offsets)
    estimates = []
    for size in sizes:
        graded = grade(
            rest_vertices, size_chart, base_size, size, mannequin_anchors, faces
        )
        report = estimate_fit(
            graded,
            faces,
            mannequin_anchors,
            body_girths,
            anchors,
            strain_limit=strain_limit,
            category=category,
            design_hem_drop_m=drop,
        )
        estimates.append(SizeEstimate(size, report))
    chosen = _choose(estimates)
    logger.debug("recommended size %s of %s", chosen, list(sizes))
    return chosen, estimates


def _choose(estimates: Sequence[SizeEstimate]) -> str:
    """Best score among sizes tight nowhere around the body, else the largest.

    Only girth regions rule a size out: a hem that is too short is said in
    the report, but a bigger size, looser everywhere, does not mend it.
    """
    fitting = [
        estimate
        for estimate in estimates
        if all(
            region.label != "too tight"
            for name, region in estimate.report.regions.items()
            if name != "length"
        )
    ]
    if not fitting:
        return estimates[-1].size
    return max(fitting, key=lambda estimate: estimate.report.score).size


def combine_fit(
    estimate: FitReport,
    draped: FitReport,
    *,
    strain_limit: float,
    category: str = "top",
) -> FitReport:
    """A photo's fit: ease from the rest estimate, strain from the drape.

    A drape in the photo's pose measures ease that the pose changes: bent
    hips lift a hem, lowered arms push a shirt's sides out. The estimate
    (:func:`estimate_fit`) reads the graded garment against this body's
    girths at rest and does not depend on the pose, and it is what the
    size recommendation ranks by, so the two agree. So each region takes
    its ease from the estimate where the estimate has it (sleeves come
    from the drape) and the larger of the two strains; labels and score
    are assembled again from those, and the quality figures (penetration,
    edge strain, solver account) are the drape's.

    Args:
        estimate: :func:`estimate_fit` of the size draped.
        draped: :func:`fit_report` of the drape.
        strain_limit: the fabric's ``strain_limit``.
        category: top, bottom, dress or outerwear.

    Returns:
        The combined :class:`FitReport`.
    """
    rows: dict[str, tuple[float, float]] = {}
    for name in dict.fromkeys([*estimate.regions, *draped.regions]):
        rest = estimate.regions.get(name)
        posed = draped.regions.get(name)
        ease = (rest or posed).ease_cm
        strain = max(region.strain for region in (rest, posed) if region)
        rows[name] = (ease, strain)
    regions, score = _assemble(rows, category, strain_limit)
    return FitReport(
        score=score * (1.0 - draped.penetration_ratio),
        regions=regions,
        strain_p95=draped.strain_p95,
        labels=LABELS,
        penetration_ratio=draped.penetration_ratio,
        edge_strain_p95=draped.edge_strain_p95,
        solver_iterations=draped.solver_iterations,
        converged=draped.converged,
    )
