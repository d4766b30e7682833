"""Fabric presets: the physical parameters of the cloth simulation."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FABRICS", "Fabric"]


@dataclass(frozen=True)
class Fabric:
    """What a fabric weighs and how it resists stretching and bending.

    Attributes:
        name: the preset's key in :data:`FABRICS`.
        density: areal density, kg/m^2.
        stretch_compliance: inverse of the membrane stretch stiffness,
            m/N (strain per newton of tension per metre of width). The
            solver applies it per edge; on a regular mesh that is close to
            independent of the resolution.
        bending_compliance: inverse of the flexural rigidity, 1/(N m).
            The solver scales it per hinge by the hinge's area over its
            squared length, so it too is close to resolution-independent.
        friction: Coulomb friction coefficient against colliders.
        damping: velocity damping rate, 1/s (velocity decays as
            exp(-damping t)).
        thickness: metres; the cloth keeps this far from colliders.
        strain_limit: the stretch (length ratio minus 1) at which the
            fabric is at its limit, shown as red in fit maps.
    """

    name: str
    density: float
    stretch_compliance: float
    bending_compliance: float
    friction: float
    damping: float
    thickness: float
    strain_limit: float


# Orders of magnitude from published fabric measurements (Kawabata-style
# tensile and bending tests): knits stretch far more than wovens; denim
# is the heaviest and stiffest, silk the lightest and most pliant.
FABRICS: dict[str, Fabric] = {
    "jersey": Fabric(
        name="jersey",
        density=0.18,
        stretch_compliance=5e-3,
        bending_compliance=2e5,
        friction=0.5,
        damping=1.0,
        thickness=0.0008,
        strain_limit=0.25,
    ),
    "woven_cotton": Fabric(
        name="woven_cotton",
        density=0.15,
        stretch_compliance=5e-4,
        bending_compliance=1e5,
        friction=0.45,
        damping=1.0,
        thickness=0.0005,
        strain_limit=0.04,
    ),
    "denim": Fabric(
        name="denim",
        density=0.40,
        stretch_compliance=2e-4,
        bending_compliance=2e4,
        friction=0.5,
        damping=1.0,
        thickness=0.001,
        strain_limit=0.05,
    ),
    "silk": Fabric(
        name="silk",
        density=0.08,
        stretch_compliance=1e-3,
        bending_compliance=5e5,
        friction=0.2,
        damping=0.5,
        thickness=0.0002,
        strain_limit=0.04,
    ),
    "wool": Fabric(
        name="wool",
        density=0.30,
        stretch_compliance=1.5e-3,
        bending_compliance=1e5,
        friction=0.55,
        damping=1.0,
        thickness=0.0015,
        strain_limit=0.08,
    ),
}
