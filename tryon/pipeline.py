"""The try-on chain: a photo and a garment in, the garment on the person out.

One :class:`TryOnSession` keeps what is slow to make warm (the MediaPipe
graph, the OpenGL context, the catalog's meshes, each garment's binding
to the mannequin in each size) and runs, for one photo:

1. pose: landmarks, world landmarks, person mask and measurements;
2. body: the mannequin shaped by the measurements, posed as in the photo
   and placed in the camera frame, with its collider;
3. drape: the garment graded to the size, carried onto this body, skinned
   into the pose and settled by the cloth solver; fit measures;
4. render: the draped garment from the photo's camera, the body as
   occluder, lit like the photo;
5. composite: the garment over the photo, and the fit-map picture.

Webcam frames run the same chain but keep the body shape and the settled
garment of the previous frame (:class:`WebcamState`), so that a frame
costs a pose update, a re-skinning, a few solver iterations and a render.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from pose import Landmark
from tryon.errors import InputError
from tryon.report import build_report
from tryon.settings import Settings, load_settings

__all__ = ["TryOnResult", "TryOnSession", "WebcamState", "required_parts"]

logger = logging.getLogger(__name__)

# Solver substeps a live frame may spend on re-settling the warm garment
# (one solver frame of this many substeps; a cold drape takes up to 60).
WEBCAM_SUBSTEPS = 10


def required_parts(category: str) -> list[Landmark]:
    """The landmarks a garment of ``category`` needs in the picture."""
    shoulders = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]
    hips = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]
    knees = [Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE]
    if category in ("top", "outerwear"):
        return shoulders + hips
    if category == "bottom":
        return hips + knees
    return shoulders + hips + knees


@dataclass(frozen=True)
class TryOnResult:
    """One try-on.

    Attributes:
        picture: (H, W, 3) uint8, the photo with the garment on the person.
        fit_map: (H, W, 3) uint8, the same with the garment coloured by
            strain and a legend.
        garment_mask: (H, W) uint8, 255 where the garment is visible.
        report: the try-on report of DESIGN.md (JSON-able dict).
        timings_ms: milliseconds per stage (also in the report).
    """

    picture: np.ndarray
    fit_map: np.ndarray
    garment_mask: np.ndarray
    report: dict[str, Any]
    timings_ms: dict[str, float]


@dataclass
class WebcamState:
    """What a live session keeps from one frame to the next."""

    garment_id: str | None = None
    size: str | None = None
    body: Any = None
    drape: Any = None
    fit: Any = None
    down: np.ndarray | None = None
    stream: Any = None
    frames: int = 0
    started: float = field(default_factory=time.perf_counter)


class _Clock:
    """Milliseconds per stage of one try-on."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.mark = self.start
        self.timings: dict[str, float] = {}

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = (now - self.mark) * 1000.0
        self.mark = now

    def total(self) -> dict[str, float]:
        self.timings["total"] = (time.perf_counter() - self.start) * 1000.0
        return {k: round(v, 2) for k, v in self.timings.items()}


class TryOnSession:
    """Runs try-ons with warm models; safe to share between threads.

    Args:
        settings: the installation's settings (default: from the
            environment).
        catalog: a ``tryon.catalog.Catalog`` (default: the data
            directory's).
        record_events: write a try-on event to the store per try-on.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        catalog=None,
        record_events: bool = True,
    ) -> None:
        self.settings = settings or load_settings()
        if catalog is None:
            from tryon.catalog import Catalog

            catalog = Catalog(self.settings)
        self.catalog = catalog
        self.record_events = record_events
        self._estimator = None
        self._renderer = None
        self._lock = threading.Lock()
        self._bindings: dict[tuple[str, str], Any] = {}
        self._sizes: dict[tuple[str, int], tuple[Any, str, dict]] = {}

    # -- warm parts ----------------------------------------------------

    @property
    def estimator(self):
        with self._lock:
            if self._estimator is None:
                from pose import PoseEstimator

                self._estimator = PoseEstimator()
            return self._estimator

    @property
    def renderer(self):
        with self._lock:
            if self._renderer is None:
                from render import Renderer

                self._renderer = Renderer(720, 960)
            return self._renderer

    def warm_up(self) -> None:
        """Load the pose model and compile the shaders before the first use."""
        self.estimator  # noqa: B018 - builds the MediaPipe graph
        self.renderer.warm_up()
        self.catalog.list()

    def close(self) -> None:
        """Release the OpenGL context."""
        with self._lock:
            if self._renderer is not None:
                self._renderer.close()
                self._renderer = None

    # -- photo ---------------------------------------------------------

    def try_on(
        self,
        image: str | Path | bytes | np.ndarray,
        garment_id: str,
        size: str | None = None,
        height_cm: float | None = None,
        *,
        source: str = "photo",
        shopper_id: str | None = None,
        fit_map: bool = True,
    ) -> TryOnResult:
        """Try garment ``garment_id`` on the person in ``image``.

        Args:
            image: a photo file, its bytes, or (H, W, 3) uint8 RGB pixels.
            garment_id: a garment of the catalog.
            size: one of the garment's sizes; None for the recommended one.
            height_cm: the person's height, when they gave it.
            source: "photo" or "webcam", recorded with the event.
            shopper_id: the anonymous shopper, for the event.
            fit_map: also render the fit map (a second render); without
                it ``TryOnResult.fit_map`` is the try-on picture.

        Returns:
            The :class:`TryOnResult`.

        Raises:
            pose.NotAnImage, pose.NoPersonFound, pose.BodyPartsOutOfFrame,
            tryon.errors.NotFound, tryon.errors.InputError: the user's to
                fix, each with a one-line message.
        """
        from pose import load_image

        clock = _Clock()
        garment = self.catalog.get(garment_id)
        _check_size_label(garment, size)
        loaded = load_image(image)
        clock.lap("decode")

        pose_result = self.estimator.estimate(loaded.rgb, height_cm=height_cm)
        self._require_parts(pose_result, garment.category)
        clock.lap("pose")

        run = self._chain(
            loaded, pose_result, garment, size, clock, source=source, fit_map=fit_map
        )
        self._record(run.report, shopper_id, source)
        logger.info(
            "try-on %s size %s: fit %.2f, %.0f ms",
            garment.id,
            run.report["garment"]["size"],
            run.report["fit"]["score"],
            run.timings["total"],
        )
        return TryOnResult(
            run.picture, run.fit_map, run.garment_mask, run.report, run.timings
        )

    # -- webcam --------------------------------------------------------

    def webcam_frame(
        self,
        rgb: np.ndarray,
        garment_id: str,
        size: str | None,
        state: WebcamState | None = None,
        *,
        timestamp_s: float | None = None,
        shopper_id: str | None = None,
    ) -> tuple[TryOnResult | None, WebcamState]:
        """One live frame: pose update, re-skin, a few solver steps, render.

        The state keeps the pose tracker, the body shape (built on the
        first frame) and the settled garment, which the next frame
        re-skins and settles for a few solver iterations only. The fit map
        is not drawn for live frames.

        Returns (None, state) when nobody is in the frame; the caller
        shows the frame as it is.
        """
        from pose import PoseStream, to_rgb8

        clock = _Clock()
        garment = self.catalog.get(garment_id)
        _check_size_label(garment, size)
        if state is None or (state.garment_id, state.size) != (garment_id, size):
            state = WebcamState(garment_id=garment_id, size=size)
        if state.stream is None:
            state.stream = PoseStream()
        rgb = np.ascontiguousarray(to_rgb8(rgb))
        if timestamp_s is None:
            timestamp_s = time.perf_counter() - state.started
        pose_result = state.stream.process(rgb, timestamp_s)
        clock.lap("pose")
        if pose_result is None:
            # Keep the body and the settled garment: the next frame with a
            # person re-skins them from their rest-frame shape.
            return None, state

        run = self._chain(
            _Frame(rgb),
            pose_result,
            garment,
            size,
            clock,
            source="webcam",
            state=state,
        )
        state.body, state.drape, state.fit = run.body, run.drape, run.fit
        state.frames += 1
        if state.frames == 1:
            self._record(run.report, shopper_id, "webcam")
        result = TryOnResult(
            run.picture, run.picture, run.garment_mask, run.report, run.timings
        )
        return result, state

    def _chain(
        self,
        loaded,
        pose_result,
        garment,
        size: str | None,
        clock: _Clock,
        *,
        source: str,
        state: WebcamState | None = None,
        fit_map: bool = False,
    ) -> _Run:
        """Body, drape, render and composite for one found person."""
        body = None if state is None else state.body
        body, posed, collider, intrinsics = self._body(pose_result, loaded, body)
        clock.lap("body")

        if state is not None and state.down is None:
            camera_from_body = np.asarray(posed.camera_from_body, dtype=np.float64)
            state.down = camera_from_body[:3, :3] @ np.array([0.0, -1.0, 0.0])
        fit, recommended, drape_result, size = self._drape_and_fit(
            garment,
            size,
            body,
            posed,
            collider,
            previous=None if state is None else state.drape,
            down=None if state is None else state.down,
            previous_fit=None if state is None else state.fit,
        )
        clock.lap("drape")

        layers, fit_layers, lighting = self._render(
            garment,
            drape_result,
            loaded.rgb,
            pose_result,
            body,
            posed,
            intrinsics,
            fit_map=fit_map,
        )
        clock.lap("render")

        picture, fit_map, mask, uncovered = self._composite(
            loaded.rgb, layers, fit_layers, pose_result, garment
        )
        clock.lap("composite")

        timings = clock.total()
        report = build_report(
            intrinsics=intrinsics,
            pose_result=pose_result,
            posed=posed,
            garment=garment,
            size=size,
            fit=fit,
            recommended=recommended,
            drape_result=drape_result,
            lighting=lighting,
            uncovered=uncovered,
            timings=timings,
            source=source,
        )
        return _Run(picture, fit_map, mask, report, timings, body, drape_result, fit)

    # -- stages ----------------------------------------------------------

    def _require_parts(self, pose_result, category: str) -> None:
        from pose import require_visible

        require_visible(
            pose_result,
            required_parts(category),
            f"try on a {category}",
        )

    def _body(self, pose_result, loaded, body=None):
        from render import intrinsics_for_image
        from tryon.body import BodyCollider, build_body, pose_body

        width, height = pose_result.image_size
        intrinsics = intrinsics_for_image(
            width, height, getattr(loaded, "focal_length_35mm", None)
        )
        if body is None:
            body = build_body(pose_result.measurements.values_cm)
        posed = pose_body(body, pose_result, intrinsics.K)
        collider = BodyCollider.from_posed(posed)
        return body, posed, collider, intrinsics

    def _binding(self, garment, size: str):
        """The graded garment and its binding to the mannequin (cached)."""
        from garments.binding import bind
        from tryon.catalog import canonical_mannequin

        key = (garment.mesh_key, size)
        with self._lock:
            cached = self._bindings.get(key)
        if cached is not None:
            return cached
        graded = self.catalog.sized_vertices(garment.id, size)
        mannequin = canonical_mannequin()
        binding = bind(graded, mannequin.vertices, mannequin.faces)
        with self._lock:
            self._bindings[key] = (graded, binding)
        return graded, binding

    def _drape_and_fit(
        self,
        garment,
        size,
        body,
        posed,
        collider,
        previous=None,
        *,
        down=None,
        previous_fit=None,
    ):
        """Drape the garment on the posed body and measure its fit.

        Live frames pass the previous frame's drape (warm start), the down
        direction of the first frame (the camera does not move; the
        person's estimated lean is noisy) and its fit, which is carried
        over with this frame's quality figures instead of measured again.
        """
        from garments.cloth import FABRICS
        from garments.drape import DrapeBody, DrapeSettings, drape

        asset = self.catalog.asset(garment.id)
        fabric = FABRICS.get(garment.fabric, FABRICS["jersey"])
        recommended = self.recommend_size(garment, body)
        size = size or recommended
        graded, binding = self._binding(garment, size)
        if down is None:
            camera_from_body = np.asarray(posed.camera_from_body, dtype=np.float64)
            down = camera_from_body[:3, :3] @ np.array([0.0, -1.0, 0.0])
        drape_body = DrapeBody(
            rest_vertices=body.vertices,
            skin_weights=body.skin_weights,
            joint_transforms=posed.joint_transforms,
            collider=collider,
            down=down,
        )
        settings = DrapeSettings()
        if previous is not None:
            solver = replace(settings.solver, substeps=WEBCAM_SUBSTEPS)
            settings = replace(settings, solver=solver, warm_iterations=WEBCAM_SUBSTEPS)
        result = drape(
            graded,
            asset.faces,
            fabric,
            binding,
            drape_body,
            anchor_vertices=asset.anchor_vertices,
            previous=previous,
            settings=settings,
        )
        if previous is not None and previous_fit is not None:
            fit = dataclasses.replace(
                previous_fit,
                penetration_ratio=result.penetration_ratio,
                solver_iterations=result.settle.iterations,
                converged=result.settle.converged,
            )
        else:
            fit = self._fit(garment, size, body, result, fabric, graded, asset)
        return fit, recommended, result, size

    def _fit(self, garment, size, body, result, fabric, graded, asset):
        """Fit of the drape, with ease from the size's rest estimate.

        See ``garments.fit.combine_fit``: the photo's pose changes what a
        drape measures, the rest estimate does not.
        """
        from garments.fit import combine_fit, design_hem_drop, fit_report
        from tryon.catalog import canonical_mannequin

        mannequin = canonical_mannequin()
        draped = fit_report(
            result.rest_frame_vertices,
            asset.faces,
            graded,
            body.vertices,
            body.faces,
            body.anchors,
            strain_limit=fabric.strain_limit,
            category=garment.category,
            design_hem_drop_m=design_hem_drop(
                asset.vertices, mannequin.anchors, garment.category
            ),
            penetration_ratio=result.penetration_ratio,
            solver_iterations=result.settle.iterations,
            converged=result.settle.converged,
            # Strain as simulated: undoing the pose distorts edges at the
            # armpits and would read as stretch.
            strain_vertices=result.vertices,
        )
        estimate = self._size_estimates(garment, body)[1][size]
        return combine_fit(
            estimate,
            draped,
            strain_limit=fabric.strain_limit,
            category=garment.category,
        )

    def recommend_size(self, garment, body) -> str:
        """The size of ``garment`` that suits ``body`` best (no simulation).

        Every size is graded and its ease estimated against this body's
        girths (``garments.fit.recommend_size``); cached per garment and
        body shape.
        """
        return self._size_estimates(garment, body)[0]

    def _size_estimates(self, garment, body) -> tuple[str, dict[str, Any]]:
        """The recommended size and the rest estimate of every size."""
        from garments.cloth import FABRICS
        from garments.fit import recommend_size
        from tryon.catalog import canonical_mannequin

        key = (garment.mesh_key, id(body))
        with self._lock:
            cached = self._sizes.get(key)
        if cached is not None and cached[0] is body:
            return cached[1], cached[2]
        asset = self.catalog.asset(garment.id)
        fabric = FABRICS.get(garment.fabric, FABRICS["jersey"])
        size, estimates = recommend_size(
            asset.vertices,
            asset.faces,
            garment.size_chart,
            garment.base_size,
            garment.sizes,
            canonical_mannequin().anchors,
            body.vertices,
            body.faces,
            body.anchors,
            strain_limit=fabric.strain_limit,
            category=garment.category,
        )
        by_size = {estimate.size: estimate.report for estimate in estimates}
        with self._lock:
            if len(self._sizes) > 64:
                self._sizes.clear()
            self._sizes[key] = (body, size, by_size)
        return size, by_size

    def _render(
        self,
        garment,
        drape_result,
        rgb,
        pose_result,
        body,
        posed,
        intrinsics,
        *,
        fit_map: bool = True,
    ):
        from garments.cloth import FABRICS
        from render import (
            GarmentMesh,
            estimate_lighting,
            material_for,
            strain_colours,
        )

        asset = self.catalog.asset(garment.id)
        height, width = rgb.shape[:2]
        vertices = asset.render.follow(drape_result.vertices, asset.faces)
        lighting = estimate_lighting(rgb, pose_result.mask)
        material = material_for(garment.colour, garment.fabric, asset.render.texture)
        mesh = GarmentMesh(vertices, asset.render.faces, asset.render.uvs)
        layers = self.renderer.render(
            mesh,
            material,
            intrinsics.K,
            posed.vertices,
            body.faces,
            lighting,
            size=(width, height),
        )
        fit_layers = None
        if fit_map:
            fabric = FABRICS.get(garment.fabric, FABRICS["jersey"])
            strain = _render_values(asset.render, asset.faces, drape_result.strain)
            colours = strain_colours(strain, fabric.strain_limit)
            plain = replace(material, texture=None, base_colour=(1.0, 1.0, 1.0))
            fit_mesh = GarmentMesh(vertices, asset.render.faces, None, colours)
            fit_layers = self.renderer.render(
                fit_mesh,
                plain,
                intrinsics.K,
                posed.vertices,
                body.faces,
                lighting,
                size=(width, height),
            )
        return layers, fit_layers, lighting

    def _composite(self, rgb, layers, fit_layers, pose_result, garment):
        from garments.cloth import FABRICS
        from render import composite, draw_legend
        from tryon.occlusion import head_mask, hide_garment

        # The person's head stays in front of the garment.
        head = head_mask(pose_result.landmarks_px, pose_result.mask)
        layers = hide_garment(layers, head)
        if fit_layers is not None:
            fit_layers = hide_garment(fit_layers, head)
        result = composite(rgb, layers, pose_result.mask)
        fit_map = result.picture
        if fit_layers is not None:
            fabric = FABRICS.get(garment.fabric, FABRICS["jersey"])
            fit = composite(rgb, fit_layers, pose_result.mask)
            fit_map = draw_legend(fit.picture, fabric.strain_limit)
        return (
            result.picture,
            fit_map,
            result.garment_mask,
            result.person_uncovered_ratio,
        )

    def _record(self, report: dict, shopper_id: str | None, source: str) -> str:
        """Write the try-on event; returns the shopper id used."""
        if not self.record_events:
            return shopper_id or ""
        store = self.catalog.store
        if shopper_id is None:
            shopper_id = store.new_shopper()
        store.record_tryon(
            shopper_id,
            report["garment"]["id"],
            report["garment"]["size"],
            measurements_cm=report["body"]["measurements_cm"],
            fit=report["fit"],
            timings_ms=report["timings_ms"],
            source=source,
        )
        return shopper_id


@dataclass(frozen=True)
class _Run:
    """What one pass of the chain made, before it becomes a result."""

    picture: np.ndarray
    fit_map: np.ndarray
    garment_mask: np.ndarray
    report: dict[str, Any]
    timings: dict[str, float]
    body: Any
    drape: Any
    fit: Any


@dataclass(frozen=True)
class _Frame:
    """A webcam frame standing in for a loaded photo (no EXIF)."""

    rgb: np.ndarray
    focal_length_35mm: float | None = None
    source: str = "webcam"


def _check_size_label(garment, size: str | None) -> None:
    if size is not None and size not in garment.sizes:
        raise InputError(
            f"size {size!r} is not a size of {garment.name}; "
            f"choose one of {', '.join(garment.sizes)}"
        )


def _render_values(
    render_mesh, sim_faces: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Per-simulation-vertex ``values`` (V,) carried to the render mesh (R,).

    A render vertex that follows one simulation vertex takes its value;
    one that follows a simulation face takes the barycentric blend.
    """
    values = np.asarray(values, dtype=np.float64)
    corners = values[sim_faces[render_mesh.sim_faces]]  # (R, 3)
    out = np.einsum("rk,rk->r", render_mesh.sim_barycentrics, corners)
    direct = render_mesh.sim_index >= 0
    out[direct] = values[render_mesh.sim_index[direct]]
    return out
