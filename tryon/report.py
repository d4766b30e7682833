"""The try-on report: what one try-on found, as JSON (DESIGN.md's contract).

Sections: ``image`` (size, intrinsics and where they came from), ``pose``
(landmarks), ``body`` (height, measurements), ``garment`` (id, name,
category, size), ``fit`` (score, recommended size, regions with ease,
strain and label, p95 strain, a sentence), ``quality`` (penetration,
edge strain, solver account, known limits), ``lighting`` and
``timings_ms``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["build_report", "describe_fit", "LABELS"]

LABELS = ("too tight", "snug", "good", "relaxed", "too loose")

# Regions named in the sentence, in the order a person reads a garment.
REGION_WORDS = {
    "shoulders": "the shoulders",
    "chest": "the chest",
    "waist": "the waist",
    "hips": "the hips",
    "sleeves": "the sleeves",
}

# Length labels in words (the vocabulary is about girth: a hem is not
# "tight", it is short).
LENGTH_WORDS = {
    "too tight": "too short",
    "snug": "a little short",
    "good": "the right length",
    "relaxed": "a little long",
    "too loose": "too long",
}

# Share of the person near the garment that it leaves uncovered, above
# which the report says that their own clothes show.
UNCOVERED_NOTE_THRESHOLD = 0.15


def _round_list(array: np.ndarray, digits: int) -> list:
    return np.round(np.asarray(array, dtype=np.float64), digits).tolist()


def _regions(fit) -> dict[str, dict[str, Any]]:
    regions = {}
    for name, region in fit.regions.items():
        regions[name] = {
            "ease_cm": round(float(region.ease_cm), 1),
            "strain": round(float(region.strain), 4),
            "label": region.label,
        }
    return regions


def describe_fit(regions: dict[str, dict[str, Any]], recommended: str) -> str:
    """The fit in words: "snug at the chest, good at the waist; M suits you best"."""
    parts = [
        LENGTH_WORDS[region["label"]]
        if name == "length"
        else f"{region['label']} at {REGION_WORDS.get(name, name)}"
        for name, region in regions.items()
    ]
    sentence = ", ".join(parts) if parts else "no regions measured"
    return f"{sentence[0].upper()}{sentence[1:]}; {recommended} suits you best."


def build_report(
    *,
    intrinsics,
    pose_result,
    posed,
    garment,
    size: str,
    fit,
    recommended: str,
    drape_result,
    lighting,
    uncovered: float,
    timings: dict[str, float],
    source: str,
) -> dict[str, Any]:
    """Assemble the report of one try-on from the stages' results.

    ``fit`` is the ``garments.fit.FitReport`` of the size tried on and
    ``recommended`` the size the estimate of every size chose.
    """
    width, height = pose_result.image_size
    regions = _regions(fit)
    notes = []
    if uncovered > UNCOVERED_NOTE_THRESHOLD:
        notes.append(
            "your own clothes or skin show beside the garment in "
            f"{uncovered:.0%} of the area around it; the picture does not "
            "erase what you are wearing"
        )
    settle = drape_result.settle
    return {
        "source": source,
        "image": {
            "width": int(width),
            "height": int(height),
            "intrinsics": {"K": intrinsics.K.tolist()},
            "intrinsics_source": intrinsics.source,
        },
        "pose": {
            "detected": True,
            "landmarks_px": _round_list(pose_result.landmarks_px, 2),
            "world_landmarks_m": _round_list(pose_result.world_landmarks, 4),
        },
        "body": {
            "height_m": round(pose_result.measurements["height"] / 100.0, 3),
            "measurements_cm": {
                k: round(float(v), 1)
                for k, v in pose_result.measurements.values_cm.items()
            },
            "measurement_methods": dict(pose_result.measurements.methods),
            "reprojection_error_px": round(float(posed.reprojection_error_px), 2),
        },
        "garment": {
            "id": garment.id,
            "name": garment.name,
            "category": garment.category,
            "size": size,
            "fabric": garment.fabric,
        },
        "fit": {
            "score": round(float(fit.score), 3),
            "recommended_size": recommended,
            "regions": regions,
            "strain_p95": round(float(fit.strain_p95), 4),
            "labels": list(LABELS),
            "summary": describe_fit(regions, recommended),
        },
        "quality": {
            "penetration_ratio": round(float(fit.penetration_ratio), 4),
            "edge_strain_p95": round(float(fit.edge_strain_p95), 4),
            "solver_iterations": int(settle.iterations),
            "solver_residual": float(settle.residual),
            "converged": bool(settle.converged),
            "person_uncovered_ratio": round(float(uncovered), 3),
            "notes": notes,
        },
        "lighting": lighting.as_dict(),
        "timings_ms": dict(timings),
    }
