"""Import of merchandisers' garment meshes, and fitting onto the mannequin."""

from garments.importer.fitting import (
    FitOnBody,
    MannequinMesh,
    fit_on_mannequin,
    penetration_ratio,
    push_outside,
)
from garments.importer.preview import write_preview

__all__ = [
    "FitOnBody",
    "MannequinMesh",
    "fit_on_mannequin",
    "penetration_ratio",
    "push_outside",
    "write_preview",
]
