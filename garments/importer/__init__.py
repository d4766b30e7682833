"""Import of merchandisers' garment meshes, and fitting onto the mannequin.

``import_mesh(path, mannequin, **overrides)`` parses the file (OBJ,
GLB/glTF, PLY, STL, OFF, or a .zip/.bz2 of one), validates it (refusing
with one line what cannot be a garment) and builds garments fitted to the
mannequin. Storing them is the catalog's job (``tryon.catalog``).
"""

from __future__ import annotations

from pathlib import Path

from garments.importer.build import ImportResult, build_garments
from garments.importer.fitting import (
    FitOnBody,
    MannequinMesh,
    fit_on_mannequin,
    penetration_ratio,
    push_outside,
)
from garments.importer.geometry import detect_units, detect_up_axis
from garments.importer.loader import Limits, RawMesh, parse_file, validate
from garments.importer.preview import write_preview
from garments.importer.report import ImportReport, PartReport

__all__ = [
    "FitOnBody",
    "ImportReport",
    "ImportResult",
    "Limits",
    "MannequinMesh",
    "PartReport",
    "RawMesh",
    "build_garments",
    "detect_units",
    "detect_up_axis",
    "fit_on_mannequin",
    "import_mesh",
    "parse_file",
    "penetration_ratio",
    "push_outside",
    "validate",
    "write_preview",
]


def import_mesh(
    path: Path,
    mannequin: MannequinMesh,
    *,
    limits: Limits = Limits(),  # noqa: B008
    settle: bool = True,
    **overrides: object,
) -> ImportResult:
    """Parse, validate and build the garments of a mesh file.

    Args:
        path: the file.
        mannequin: the canonical mannequin to fit onto.
        limits: size limits against abuse.
        settle: settle each garment with the cloth solver.
        **overrides: name, category, units, up, fabric, colour, price,
            sizes, tags.

    Raises:
        MeshImportError: the file is refused (one-line reason).
    """
    raw = parse_file(Path(path), limits)
    validate(raw, limits)
    return build_garments(raw, mannequin, settle=settle, **overrides)
