"""Benchmarks of the garment importer and the procedural generator.

- ``garments_import_outfit``: a MakeHuman outfit (T-shirt and trousers,
  quads, decimetres) read, checked, split, placed on the canonical
  mannequin and bound, without the cloth solver; the reference is
  trimesh's bare load of the same file.
- ``garments_import_settled``: the same import with the solver settling
  each garment (120 substeps).
- ``garments_procedural_tshirt``: cutting and sewing the bundled T-shirt's
  panels (no fitting).

Each needs the shared test data (the first two) and the canonical
mannequin, built once before timing.
"""

from __future__ import annotations

import logging
from pathlib import Path

from tryon.bench import TESTDATA, Case, benchmark

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
OUTFIT = TESTDATA / "garments" / "makehuman" / "male_casualsuit04.obj"


def _import_case(settle: bool) -> Case:
    import trimesh

    from garments.importer import import_mesh
    from tryon.catalog import canonical_mannequin

    if not OUTFIT.exists():
        raise FileNotFoundError(f"test data {OUTFIT} is absent")
    mannequin = canonical_mannequin()
    reports = []

    def subject() -> None:
        reports.append(import_mesh(OUTFIT, mannequin, settle=settle).report)

    case = Case(
        subject=subject,
        reference=lambda: trimesh.load(str(OUTFIT), process=False),
        reference_name="trimesh.load (parse only)",
    )
    subject()
    report = reports[-1]
    case.extra["parts"] = ", ".join(p.category for p in report.parts)
    case.extra["sim_vertices"] = ", ".join(str(p.sim_vertices) for p in report.parts)
    case.extra["penetration_ratio_max"] = max(p.penetration_ratio for p in report.parts)
    return case


@benchmark("garments_import_outfit", "import a 2-part MakeHuman outfit (no solver)")
def import_outfit() -> Case:
    return _import_case(settle=False)


@benchmark("garments_import_settled", "import a 2-part MakeHuman outfit, settled")
def import_settled() -> Case:
    return _import_case(settle=True)


@benchmark("garments_procedural_tshirt", "cut and sew the procedural T-shirt")
def procedural_tshirt() -> Case:
    from garments import procedural

    chart = procedural.size_chart("tshirt")

    def subject() -> None:
        pattern = procedural.garment_pattern("tshirt", chart["M"])
        procedural.make_panels(pattern)

    return Case(subject=subject)
