"""The try-on report and the body measurements, told in words and tables."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["fit_in_words", "measurements_markdown", "report_markdown"]

# Region names as a shopper reads them.
_REGION_WORDS = {
    "chest": "the chest",
    "waist": "the waist",
    "hips": "the hips",
    "hip": "the hips",
    "shoulders": "the shoulders",
    "shoulder": "the shoulders",
    "length": "the length",
    "sleeve": "the sleeves",
    "sleeves": "the sleeves",
    "inseam": "the inseam",
    "thigh": "the thighs",
    "thighs": "the thighs",
}

_MEASUREMENT_WORDS = {
    "height": "height",
    "shoulder_width": "shoulder width",
    "chest_girth": "chest",
    "waist_girth": "waist",
    "hip_girth": "hips",
    "arm_length": "arm length",
    "torso_length": "torso length",
    "inseam": "inseam",
}


def _region_phrase(name: str, label: str) -> str:
    where = _REGION_WORDS.get(name, f"the {name.replace('_', ' ')}")
    if label == "good":
        return f"a good fit at {where}"
    return f"{label} at {where}"


def fit_in_words(fit: Mapping[str, Any]) -> str:
    """One sentence about the fit, for example
    "snug at the chest, relaxed at the waist; M suits you best".

    Args:
        fit: the ``fit`` part of a try-on report (``regions``,
            ``recommended_size``).
    """
    regions: Mapping[str, Mapping[str, Any]] = fit.get("regions") or {}
    phrases = [
        _region_phrase(name, str(region.get("label", "")))
        for name, region in regions.items()
        if region.get("label")
    ]
    sentence = ", ".join(phrases) if phrases else "no fit regions were measured"
    recommended = fit.get("recommended_size")
    if recommended:
        sentence += f"; {recommended} suits you best"
    return sentence[0].upper() + sentence[1:]


def _region_rows(regions: Mapping[str, Mapping[str, Any]]) -> list[str]:
    rows = ["| region | fit | ease (cm) | stretch |", "|---|---|---:|---:|"]
    for name, region in regions.items():
        ease = region.get("ease_cm")
        strain = region.get("strain")
        ease_text = "" if ease is None else f"{float(ease):+.1f}"
        strain_text = "" if strain is None else f"{100 * float(strain):.1f} %"
        rows.append(
            f"| {name} | {region.get('label', '')} | {ease_text} | {strain_text} |"
        )
    return rows


def report_markdown(report: Mapping[str, Any]) -> str:
    """The fit report of one try-on as Markdown: a sentence, then a table."""
    fit = report.get("fit") or {}
    garment = report.get("garment") or {}
    lines = [
        f"### {garment.get('name', 'Garment')}, size {garment.get('size', '?')}",
        f"**{fit_in_words(fit)}.**",
    ]
    score = fit.get("score")
    if score is not None:
        lines.append(f"Fit score {100 * float(score):.0f} / 100.")
    regions = fit.get("regions") or {}
    if regions:
        lines += [""] + _region_rows(regions)
    total = (report.get("timings_ms") or {}).get("total")
    if total is not None:
        lines.append(f"\n_Made in {float(total) / 1000:.2f} s._")
    return "\n".join(lines)


def measurements_markdown(values_cm: Mapping[str, float], note: str = "") -> str:
    """Body measurements as a Markdown table (centimetres)."""
    lines = ["| measurement | cm |", "|---|---:|"]
    for key, value in values_cm.items():
        name = _MEASUREMENT_WORDS.get(key, key.replace("_", " "))
        lines.append(f"| {name} | {float(value):.0f} |")
    if note:
        lines = [note, ""] + lines
    return "\n".join(lines)
