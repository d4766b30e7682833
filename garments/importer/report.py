"""What the importer understood and did, for a merchandiser to read."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

__all__ = ["ImportReport", "PartReport"]


@dataclass(frozen=True)
class PartReport:
    """One garment found in the file.

    Attributes:
        name: name given to the part (by where it sits on the body).
        category: detected or given category.
        category_detected: whether ``category`` was detected.
        vertices, faces: counts in the file (render mesh).
        sim_vertices, sim_faces: counts of the simulation mesh.
        openings: boundary loops (neckline, hem, sleeves, legs...).
        height_m, width_m: size on the mannequin, metres.
        penetration_ratio: share of vertices inside the mannequin after
            fitting.
        settled: whether the cloth solver settled it on the mannequin.
    """

    name: str
    category: str
    category_detected: bool
    vertices: int
    faces: int
    sim_vertices: int
    sim_faces: int
    openings: int
    height_m: float
    width_m: float
    penetration_ratio: float
    settled: bool


@dataclass(frozen=True)
class ImportReport:
    """The import of one file.

    Attributes:
        source_file: the file's name.
        format: the mesh format read (obj, glb, ...), and the archive if any.
        units: the file's units (m, dm, cm, mm).
        units_detected: False when given with ``--units``.
        up_axis: "y" or "z".
        up_detected: False when given with ``--up``.
        parts: one entry per garment made.
        repairs: what was fixed (triangulated, welded, winding, ...).
        warnings: what a merchandiser should check.
        garment_ids: ids of the garments added to the catalog.
    """

    source_file: str
    format: str
    units: str
    units_detected: bool
    up_axis: str
    up_detected: bool
    parts: tuple[PartReport, ...]
    repairs: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    garment_ids: tuple[str, ...] = field(default=())

    def with_garment_ids(self, ids: list[str]) -> ImportReport:
        """A copy naming the garments stored in the catalog."""
        return replace(self, garment_ids=tuple(ids))

    def to_dict(self) -> dict[str, Any]:
        """JSON-able dict (lists for tuples)."""
        data = asdict(self)
        for key in ("parts", "repairs", "warnings", "garment_ids"):
            data[key] = list(data[key])
        return data

    def to_text(self) -> str:
        """A few lines a merchandiser can read."""
        how = {True: "detected", False: "given"}
        lines = [
            f"{self.source_file} ({self.format})",
            f"  units: {self.units} ({how[self.units_detected]}), "
            f"up axis: {self.up_axis.upper()} ({how[self.up_detected]})",
        ]
        for part in self.parts:
            lines.append(
                f"  part {part.name}: {part.category} "
                f"({how[part.category_detected]}), {part.vertices} vertices, "
                f"{part.faces} faces, simulated with {part.sim_vertices} "
                f"vertices; {part.openings} openings; "
                f"{part.height_m:.2f} m long, {part.width_m:.2f} m wide; "
                f"{part.penetration_ratio:.1%} inside the mannequin"
            )
        for repair in self.repairs:
            lines.append(f"  repaired: {repair}")
        for warning in self.warnings:
            lines.append(f"  warning: {warning}")
        if self.garment_ids:
            lines.append(f"  added: {', '.join(self.garment_ids)}")
        return "\n".join(lines)
