"""Benchmarks of draping: a full drape, and the size recommendation.

Scene: the bundled catalog garment with the most vertices, on a body
built from measurements bigger than the canonical mannequin (so the
garment is carried to another shape), posed with the arms lowered a
little and placed 2.5 m in front of an OpenCV camera.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

from garments.binding import bind
from garments.cloth import FABRICS, ClothSolver
from garments.drape import DrapeBody, drape, size_garment
from garments.fit import recommend_size
from garments.model import GarmentAsset
from tryon.bench import Case, benchmark

logger = logging.getLogger(__name__)

CATALOG = Path(__file__).resolve().parents[2] / "assets" / "catalog"
DRAPE_BUDGET_MS = 500.0

# A shopper one size up from the canonical mannequin, cm.
SHOPPER_CM = {
    "height": 176.0,
    "chest_girth": 102.0,
    "waist_girth": 88.0,
    "hip_girth": 104.0,
}


def _largest_garment() -> tuple[dict, GarmentAsset]:
    """The bundled garment with the most simulation vertices."""
    records = json.loads((CATALOG / "catalog.json").read_text())
    assets = {r["id"]: GarmentAsset.load(CATALOG / r["mesh_key"]) for r in records}
    record = max(records, key=lambda r: len(assets[r["id"]].vertices))
    return record, assets[record["id"]]


def _arms_lowered(body) -> np.ndarray:
    """(J, 4, 4) rest -> camera: shoulders turned 10 degrees down, 2.5 m away."""
    from tryon.body.posing import forward_kinematics

    rotations = np.tile(np.eye(3), (len(body.joints), 1, 1))
    for name, sign in (("left_shoulder", -1.0), ("right_shoulder", 1.0)):
        angle = np.radians(10.0) * sign
        cos, sin = np.cos(angle), np.sin(angle)
        joint = body.joint_names.index(name)
        rotations[joint] = [[cos, -sin, 0.0], [sin, cos, 0.0], [0.0, 0.0, 1.0]]
    posed = forward_kinematics(body, rotations)  # (J, 4, 4)
    camera_from_body = np.diag([1.0, -1.0, -1.0, 1.0])
    camera_from_body[2, 3] = 2.5
    return camera_from_body @ posed


def _scene():
    from tryon.body import build_body, canonical_body
    from tryon.body.collider import BodyCollider

    record, asset = _largest_garment()
    mannequin = canonical_body()
    shopper = build_body(SHOPPER_CM)
    transforms = _arms_lowered(shopper)
    body = DrapeBody(
        rest_vertices=shopper.vertices,
        skin_weights=shopper.skin_weights,
        joint_transforms=transforms,
        collider=BodyCollider.from_body(shopper, transforms),
        down=transforms[0, :3, :3] @ np.array([0.0, -1.0, 0.0]),
    )
    return record, asset, mannequin, shopper, body


@benchmark(
    "drape_5k_on_body",
    "bundled garment graded one size up, bound, carried to a shopper's shape, "
    "skinned to a pose and settled against the body collider",
)
def drape_on_body() -> Case:
    record, asset, mannequin, _, body = _scene()
    fabric = FABRICS[record["fabric"]]
    chart, base = record["size_chart"], record["base_size"]
    size = record["sizes"][min(record["sizes"].index(base) + 1, len(chart) - 1)]
    results = []

    def subject():
        sized = size_garment(
            asset.vertices,
            asset.faces,
            chart,
            base,
            size,
            mannequin.vertices,
            mannequin.faces,
            mannequin.anchors,
        )
        results.append(
            drape(
                sized.rest_vertices,
                asset.faces,
                fabric,
                sized.binding,
                body,
                anchor_vertices=asset.anchor_vertices,
            )
        )

    case = Case(subject=subject, budget_ms=DRAPE_BUDGET_MS, warmup=1)
    # the first drape of a garment and size builds its solver's constraints;
    # the timed ones (another photo) take them from the solver's cache
    ClothSolver.clear_cache()
    subject()
    last = results[-1]
    case.extra.update(
        cold_setup_ms=round(last.timings_ms["setup"], 1),
        garment=record["id"],
        vertices=float(len(asset.vertices)),
        solver_iterations=float(last.settle.iterations),
        converged=str(last.settle.converged),
        penetration_ratio=round(last.penetration_ratio, 4),
        strain_p95=round(float(np.percentile(last.strain, 95)), 4),
        **{
            f"{stage}_ms": round(milliseconds, 1)
            for stage, milliseconds in last.timings_ms.items()
        },
    )
    return case


@benchmark(
    "recommend_size_all_sizes",
    "ease-based fit estimate of every size of a bundled garment on a shopper",
)
def recommend_all_sizes() -> Case:
    from tryon.body import build_body, canonical_body

    record, asset = _largest_garment()
    mannequin = canonical_body()
    shopper = build_body(SHOPPER_CM)
    chosen = []

    def subject():
        size, _ = recommend_size(
            asset.vertices,
            asset.faces,
            record["size_chart"],
            record["base_size"],
            record["sizes"],
            mannequin.anchors,
            shopper.vertices,
            shopper.faces,
            shopper.anchors,
            strain_limit=FABRICS[record["fabric"]].strain_limit,
            category=record["category"],
        )
        chosen.append(size)

    case = Case(subject=subject, warmup=1)
    subject()
    case.extra.update(
        garment=record["id"], sizes=float(len(record["sizes"])), recommended=chosen[-1]
    )
    return case


@benchmark(
    "drape_warm_frame",
    "webcam frame: the previous frame's settled garment re-skinned to a pose "
    "turned 3 degrees and settled for a few iterations",
)
def drape_warm_frame() -> Case:
    record, asset, mannequin, shopper, body = _scene()
    fabric = FABRICS[record["fabric"]]
    sized = size_garment(
        asset.vertices,
        asset.faces,
        record["size_chart"],
        record["base_size"],
        record["base_size"],
        mannequin.vertices,
        mannequin.faces,
        mannequin.anchors,
    )
    first = drape(
        sized.rest_vertices,
        asset.faces,
        fabric,
        sized.binding,
        body,
        anchor_vertices=asset.anchor_vertices,
    )
    turned = _turned(body, 3.0)
    results = []

    def subject():
        results.append(
            drape(
                sized.rest_vertices,
                asset.faces,
                fabric,
                sized.binding,
                turned,
                anchor_vertices=asset.anchor_vertices,
                previous=first,
            )
        )

    case = Case(subject=subject, warmup=1)
    subject()
    last = results[-1]
    case.extra.update(
        garment=record["id"],
        solver_iterations=float(last.settle.iterations),
        penetration_ratio=round(last.penetration_ratio, 4),
    )
    return case


def _turned(body: DrapeBody, degrees: float) -> DrapeBody:
    """The same body turned about the camera's vertical axis."""
    from tryon.body.collider import BodyCollider

    angle = np.radians(degrees)
    turn = np.eye(4)
    turn[[0, 0, 2, 2], [0, 2, 0, 2]] = [
        np.cos(angle),
        np.sin(angle),
        -np.sin(angle),
        np.cos(angle),
    ]
    centre = np.eye(4)
    centre[2, 3] = 2.5
    back = np.linalg.inv(centre)
    transforms = centre @ turn @ back @ body.joint_transforms
    return DrapeBody(
        rest_vertices=body.rest_vertices,
        skin_weights=body.skin_weights,
        joint_transforms=transforms,
        collider=BodyCollider(field=body.collider.field, joint_transforms=transforms),
        down=body.down,
    )


@benchmark(
    "bind_5k_to_mannequin",
    "closest-point binding of 5k garment points to the canonical mannequin; "
    "reference: trimesh.proximity.closest_point on the same points",
)
def bind_to_mannequin() -> Case:
    import trimesh

    from tryon.body import canonical_body

    _, asset = _largest_garment()
    mannequin = canonical_body()
    rng = np.random.default_rng(0)
    extra = 5000 - len(asset.vertices)
    jitter = rng.normal(scale=0.005, size=(max(extra, 0), 3))
    picks = rng.integers(0, len(asset.vertices), size=max(extra, 0))
    points = np.concatenate([asset.vertices, asset.vertices[picks] + jitter])[:5000]
    mesh = trimesh.Trimesh(mannequin.vertices, mannequin.faces, process=False)

    case = Case(
        subject=lambda: bind(points, mannequin.vertices, mannequin.faces),
        reference=lambda: trimesh.proximity.closest_point(mesh, points),
        reference_name="trimesh closest_point",
        budget_ms=100.0,
    )
    binding = bind(points, mannequin.vertices, mannequin.faces)
    _, exact, _ = trimesh.proximity.closest_point(mesh, points)
    distance = np.linalg.norm(
        binding.apply(mannequin.vertices) - points, axis=1
    )  # round trip
    case.extra.update(
        points=float(len(points)),
        body_faces=float(len(mannequin.faces)),
        round_trip_max_m=float(distance.max()),
        offset_vs_exact_max_m=float(
            np.abs(np.linalg.norm(binding.offsets, axis=1) - exact).max()
        ),
    )
    return case
