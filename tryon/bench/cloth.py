"""Benchmarks of the cloth solver: settling a garment, throughput, pypbd.

The garment scene is a MakeHuman outfit on its MakeHuman body when the
shared test data is present (the outfit's top subdivided once, to about
4.5k vertices), otherwise a procedural tube around a capsule.
"""

from __future__ import annotations

import atexit
import importlib.util
import logging
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import trimesh

from garments.cloth import (
    FABRICS,
    ClothSolver,
    SolverSettings,
    edge_strain,
    mesh_edges,
    penetration_ratio,
    vertex_masses,
)
from garments.colliders import MeshCollider
from tryon.bench import TESTDATA, Case, benchmark

logger = logging.getLogger(__name__)

DECIMETRE = 0.1
SETTLE_BUDGET_MS = 500.0
HANGING_CELLS = 30  # 31 x 31 vertices
HANGING_SIZE_M = 0.5
HANGING_FRAMES = 60  # frames simulated before comparing strain
FRAME_S = 1.0 / 60.0
SUBSTEPS = 20


def _load_makehuman(path: Path, weld: bool) -> trimesh.Trimesh:
    mesh = trimesh.load(path, process=False)
    mesh.apply_scale(DECIMETRE)
    mesh.merge_vertices(
        merge_tex=True, merge_norm=True, digits_vertex=3 if weld else None
    )
    mesh.update_faces(mesh.nondegenerate_faces(height=1e-5))
    mesh.remove_unreferenced_vertices()
    return mesh


def _makehuman_scene() -> tuple[np.ndarray, np.ndarray, MeshCollider, np.ndarray]:
    """Sport suit on the female body: top subdivided, leggings by the waist."""
    outfit = _load_makehuman(
        TESTDATA / "garments/makehuman/female_sportsuit01.obj", weld=True
    )
    body = _load_makehuman(TESTDATA / "bodies/female_generic.obj", weld=False)
    top, leggings = sorted(
        outfit.split(only_watertight=False), key=lambda part: -part.bounds[1, 1]
    )
    top_vertices, top_faces = trimesh.remesh.subdivide(top.vertices, top.faces)
    vertices = np.concatenate([top_vertices, leggings.vertices])
    faces = np.concatenate([top_faces, leggings.faces + len(top_vertices)])
    # the leggings' elastic waistband: their top centimetre stays put
    upper = leggings.vertices[:, 1].max() - 0.01
    band = len(top_vertices) + np.flatnonzero(leggings.vertices[:, 1] > upper)
    return vertices, faces, MeshCollider(body.vertices, body.faces), band


def _procedural_scene() -> tuple[np.ndarray, np.ndarray, MeshCollider, np.ndarray]:
    """A tube of 5k vertices around a capsule, held at its top ring."""
    capsule = trimesh.creation.capsule(height=0.6, radius=0.15, count=[24, 24])
    around, rows = 100, 50
    angle = np.linspace(0.0, 2.0 * np.pi, around, endpoint=False)
    height = np.linspace(-0.25, 0.25, rows)
    grid_angle, grid_height = np.meshgrid(angle, height, indexing="ij")
    vertices = np.stack(
        [
            0.17 * np.cos(grid_angle).ravel(),
            grid_height.ravel(),
            0.17 * np.sin(grid_angle).ravel(),
        ],
        axis=1,
    )
    ids = np.arange(around * rows).reshape(around, rows)
    ring = np.roll(ids, -1, axis=0)
    a, b = ids[:, :-1].ravel(), ring[:, :-1].ravel()
    c, d = ring[:, 1:].ravel(), ids[:, 1:].ravel()
    faces = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
    band = ids[:, -1]
    return vertices, faces, MeshCollider(capsule.vertices, capsule.faces), band


def _garment_solver() -> tuple[ClothSolver, np.ndarray, str]:
    if (TESTDATA / "garments/makehuman/female_sportsuit01.obj").exists():
        vertices, faces, collider, band = _makehuman_scene()
        scene = "makehuman female_sportsuit01"
    else:
        vertices, faces, collider, band = _procedural_scene()
        scene = "procedural tube on a capsule"
    solver = ClothSolver(
        vertices,
        faces,
        FABRICS["jersey"],
        collider=collider,
        attachments=(band, vertices[band]),
        settings=SolverSettings(attachment_compliance=1e-4),
    )
    return solver, vertices, scene


@benchmark("drape_settle_5k", "settle a ~5k-vertex garment on a body from its start")
def drape_settle() -> Case:
    solver, start, scene = _garment_solver()

    def settle():
        solver.set_state(start)
        return solver.settle()

    began = time.process_time()
    result = settle()
    cpu_ms = (time.process_time() - began) * 1000.0
    strain = edge_strain(result.vertices, solver.edges, solver.rest_lengths)
    drift = np.linalg.norm(result.vertices - start, axis=1)
    extra = {
        "scene": scene,
        "vertices": len(start),
        "iterations": result.iterations,
        "residual": round(result.residual, 4),
        "converged": str(result.converged),
        "strain_p95": round(float(np.percentile(strain, 95)), 4),
        "penetration_start": round(penetration_ratio(start, solver.collider), 4),
        "penetration_end": round(
            penetration_ratio(result.vertices, solver.collider), 4
        ),
        "drift_max_m": round(float(drift.max()), 4),
        # CPU time of one settle in this process: what the wall time would
        # be on an otherwise idle core (the machine is shared)
        "settle_cpu_ms": round(cpu_ms, 1),
    }
    return Case(subject=settle, budget_ms=SETTLE_BUDGET_MS, extra=extra)


@benchmark("cloth_throughput", "XPBD constraint projections per second")
def cloth_throughput() -> Case:
    solver, start, scene = _garment_solver()
    settings = solver.settings
    stretch = SUBSTEPS * settings.stretch_iterations * len(solver.edges)
    bending = SUBSTEPS // settings.bending_interval * len(solver.bending.hinges)
    projections = stretch + bending

    def frame():
        solver.set_state(start)
        solver.step()

    runs, cpu_runs = [], []
    for _ in range(5):
        began, cpu_began = time.perf_counter(), time.process_time()
        frame()
        runs.append(time.perf_counter() - began)
        cpu_runs.append(time.process_time() - cpu_began)
    per_second = projections / statistics.median(runs)
    extra = {
        "scene": scene,
        "projections_per_frame": projections,
        "projections_per_second": round(per_second),
        "projections_per_cpu_second": round(projections / statistics.median(cpu_runs)),
        "vertices_substeps_per_second": round(
            len(start) * SUBSTEPS / statistics.median(runs)
        ),
    }
    return Case(subject=frame, extra=extra)


def _hanging_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pypbd regular triangle model's layout: vertex k = row * n + column."""
    count = HANGING_CELLS + 1
    ticks = np.linspace(-HANGING_SIZE_M / 2, HANGING_SIZE_M / 2, count)
    column, row = np.meshgrid(ticks, ticks, indexing="xy")
    vertices = np.stack([column.ravel(), np.ones(count * count), row.ravel()], axis=1)
    ids = np.arange(count * count).reshape(count, count)
    a, b = ids[:-1, :-1].ravel(), ids[:-1, 1:].ravel()
    c, d = ids[1:, 1:].ravel(), ids[1:, :-1].ravel()
    faces = np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])
    pinned = np.zeros(count * count, dtype=bool)
    pinned[[0, count - 1]] = True
    return vertices, faces, pinned


def _pypbd_hanging(masses: np.ndarray, pinned: np.ndarray):
    """The same hanging square in pypbd; returns (step, positions, faces)."""
    import pypbd

    fabric = FABRICS["woven_cotton"]
    simulation = pypbd.Simulation.getCurrent()
    simulation.initDefault()
    model = simulation.getModel()
    flat_to_xz = np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]])
    corner = -HANGING_SIZE_M / 2
    triangles = model.addRegularTriangleModel(
        HANGING_CELLS + 1,
        HANGING_CELLS + 1,
        translation=[corner, 1.0, corner],
        rotation=flat_to_xz,
        scale=[HANGING_SIZE_M, HANGING_SIZE_M],
        testMesh=False,
    )
    particles = model.getParticles()
    for index, mass in enumerate(masses):
        particles.setMass(index, 0.0 if pinned[index] else float(mass))
    # 4: XPBD distance constraints; 3: XPBD isometric bending
    stiffness = 1.0 / fabric.stretch_compliance
    model.addClothConstraints(
        triangles, 4, stiffness, stiffness, stiffness, stiffness, 0.3, 0.3, False, False
    )
    model.addBendingConstraints(triangles, 3, 1.0 / fabric.bending_compliance)
    time_step = simulation.getTimeStep()
    time_step.setValueUInt(pypbd.TimeStepController.NUM_SUB_STEPS, SUBSTEPS)
    time_step.setValueUInt(pypbd.TimeStepController.MAX_ITERATIONS, 1)
    pypbd.TimeManager.getCurrent().setTimeStepSize(FRAME_S)
    mesh = triangles.getParticleMesh()  # keep it alive while copying
    faces = np.array(mesh.getFaces(), dtype=np.int64).reshape(-1, 3)

    def step():
        time_step.step(model)

    def positions():
        return np.array(particles.getVertices())

    return step, positions, faces


class _PypbdWorker:
    """pypbd's hanging square in a child process with one OpenMP thread.

    pypbd parallelises with its own OpenMP runtime, which spins badly on a
    shared two-core machine and cannot be told to use one thread once the
    process has started; a child started with ``OMP_NUM_THREADS=1`` can.
    Our solver also runs on one thread. A step costs one pipe round trip
    (tens of microseconds) on top of pypbd's own work.
    """

    def __init__(self) -> None:
        environment = dict(os.environ, OMP_NUM_THREADS="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tryon.bench.cloth", "--pypbd-worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        if self._ask("ready") != "ready":
            raise RuntimeError("the pypbd worker did not start")

    def _ask(self, command: str) -> str:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.process.stdout.readline().strip()

    def step(self) -> None:
        self._ask("step")

    def strain_p95(self, frames: int) -> float:
        return float(self._ask(f"frames {frames}"))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=10)


def _serve_pypbd() -> None:
    """The worker's loop: answer the commands of :class:`_PypbdWorker`."""
    vertices, faces, pinned = _hanging_grid()
    try:
        masses = vertex_masses(vertices, faces, FABRICS["woven_cotton"].density)
        step, positions, pypbd_faces = _pypbd_hanging(masses, pinned)
    except ImportError:
        print("missing", flush=True)
        return
    edges = mesh_edges(pypbd_faces)
    start = positions()
    rest = np.linalg.norm(start[edges[:, 1]] - start[edges[:, 0]], axis=1)
    for line in sys.stdin:
        command = line.split()
        if command == ["ready"]:
            print("ready", flush=True)
        elif command == ["step"]:
            step()
            print("ok", flush=True)
        elif command and command[0] == "frames":
            for _ in range(int(command[1])):
                step()
            strain = edge_strain(positions(), edges, rest)
            print(float(np.percentile(strain, 95)), flush=True)


@benchmark("cloth_vs_pypbd", "hanging cloth frame: tryon XPBD vs pypbd")
def cloth_vs_pypbd() -> Case:
    vertices, faces, pinned = _hanging_grid()
    fabric = FABRICS["woven_cotton"]
    solver = ClothSolver(vertices, faces, fabric, pinned=pinned)
    edges = mesh_edges(faces)
    rest = np.linalg.norm(vertices[edges[:, 1]] - vertices[edges[:, 0]], axis=1)
    for _ in range(HANGING_FRAMES):
        solver.step()
    ours = edge_strain(solver.vertices, edges, rest)
    extra: dict[str, float | str] = {
        "frames": HANGING_FRAMES,
        "substeps": SUBSTEPS,
        "strain_p95": round(float(np.percentile(ours, 95)), 5),
    }
    if importlib.util.find_spec("pypbd") is None:
        logger.info("pypbd is not installed; cloth_vs_pypbd runs without it")
        return Case(subject=solver.step, extra=extra)
    worker = _PypbdWorker()
    atexit.register(worker.close)
    theirs = worker.strain_p95(HANGING_FRAMES)
    extra["pypbd_strain_p95"] = round(theirs, 5)
    extra["strain_ratio"] = round(float(np.percentile(ours, 95)) / max(theirs, 1e-9), 3)
    extra["pypbd_setup"] = (
        "XPBD distance + XPBD isometric bending (ours: dihedral), "
        "1 OpenMP thread in a child process"
    )
    return Case(
        subject=solver.step,
        reference=worker.step,
        reference_name="pypbd (PositionBasedDynamics), same substeps",
        extra=extra,
    )


if __name__ == "__main__" and sys.argv[1:] == ["--pypbd-worker"]:
    _serve_pypbd()
