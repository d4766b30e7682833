"""Offscreen rendering of a garment, occluded by the body, with pyrender.

One :class:`Renderer` owns one OpenGL context (EGL, headless) and is kept
warm across calls. OpenGL contexts belong to one thread at a time, so the
renderer runs every OpenGL call on its own worker thread and callers from
any thread (Gradio's workers, the webcam loop) queue on it: calls are
serialised and thread-safe.

What pyrender does and what we do: pyrender rasterises, in its FLAT mode
(colour = base colour x texture x vertex colour, no lighting), with 4x
multisampling and a depth test. The light is computed by us per vertex
(:mod:`render.shading`) and handed over as vertex colours: pyrender's
physically based shader has no cloth term and, on a CPU rasteriser, costs
more than the rest of the render. Only the rectangle around the garment's
projection is rendered (:mod:`render.window`).

How occlusion works: the body mesh (occluder) is drawn in the same pass as
the garment, with colour (0, 0, 0) and alpha 0 and depth writes on. Where
the body is in front of the garment, the depth test keeps the body's
fragment, which leaves colour 0 and alpha 0: the garment is hidden there
and the compositor shows the photo, that is the person. Where the body is
behind the garment, the garment wins. The body is moved 1 cm back along
the camera rays first (its silhouette unchanged), so that cloth dipping a
few millimetres into it, as simulated cloth does, is not cut open.
Because the pass is multisampled, the alpha channel is an anti-aliased
coverage and the colour is premultiplied by it. Only the body's triangles
that can hide the garment are drawn (:mod:`render.occluder`).
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import ModuleType

import numpy as np

from render._gl import import_pyrender, release_offscreen
from render.ambient_occlusion import screen_space_occlusion
from render.camera import OPENGL_FROM_OPENCV, ZNEAR_M, pyrender_camera
from render.errors import RenderError, RenderInputError, check_array
from render.lighting import Lighting
from render.mesh import GarmentMesh, Material
from render.occluder import trim_occluder
from render.shading import albedo_luminance, shade_vertices
from render.window import Window, garment_window

__all__ = ["RenderLayers", "Renderer"]

logger = logging.getLogger(__name__)

# Textures kept uploaded between calls (keyed by the image object).
TEXTURE_CACHE_SIZE = 8

# The body hides the garment only where it is this much in front of it:
# simulated cloth lying on the body may dip into it by a few millimetres.
OCCLUDER_TOLERANCE_M = 0.01

# Largest window rendered at full resolution, pixels (1.2 MP: a garment
# filling a 720 x 960 photo twice over); larger ones are rendered smaller.
MAX_RENDER_PX = 1_200_000

# World-space radius of the ambient occlusion neighbourhood, metres.
OCCLUSION_RADIUS_M = 0.04


@dataclass(frozen=True)
class RenderLayers:
    """What one render produced, at the image's size.

    Attributes:
        rgba: (H, W, 4) float32 in 0..1; colour is sRGB-encoded and
            PREMULTIPLIED by alpha; alpha is the garment's visible coverage
            (anti-aliased, 4x multisampling: steps of 0.25 at edges).
        depth: (H, W) float32, metres along the camera's z of the visible
            garment; 0 where no garment is visible.
        coverage: (H, W) float32 in 0..1, the same as ``rgba[..., 3]``.
        timings_ms: "scene", "gl", "post" (ambient occlusion and copies).
        window: (left, top, width, height) of the rectangle that was
            rendered; the layers are zero outside it. None when nothing of
            the garment falls in the image.
    """

    rgba: np.ndarray
    depth: np.ndarray
    coverage: np.ndarray
    timings_ms: dict[str, float] = field(default_factory=dict)
    window: tuple[int, int, int, int] | None = None


class Renderer:
    """A warm offscreen renderer for garments over photos.

    Args:
        width: image width in pixels.
        height: image height in pixels.
        ambient_occlusion: darken folds with screen-space occlusion.
        max_render_px: a garment window larger than this many pixels (a
            phone photo at full resolution) is rendered at a reduced scale
            and enlarged: its edges are then softer, its cost bounded.

    Example:
        >>> renderer = Renderer(720, 960)
        >>> layers = renderer.render(mesh, material, K, body_v, body_f, light)
        >>> renderer.close()
    """

    def __init__(
        self,
        width: int,
        height: int,
        *,
        ambient_occlusion: bool = True,
        max_render_px: int = MAX_RENDER_PX,
    ):
        _check_size(width, height)
        self._size = (int(width), int(height))
        self._ambient_occlusion = ambient_occlusion
        self._max_render_px = int(max_render_px)
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="render-gl")
        self._lock = threading.Lock()
        self._textures: dict[int, tuple[np.ndarray, object]] = {}
        self._offscreen = None
        self._closed = False
        try:
            self._executor.submit(self._create_context).result()
        except BaseException:
            self._executor.shutdown(wait=False)
            raise

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) of the images rendered next."""
        return self._size

    def resize(self, width: int, height: int) -> None:
        """Render at ``width`` x ``height`` from now on (keeps the context)."""
        _check_size(width, height)
        self._size = (int(width), int(height))

    def render(
        self,
        garment: GarmentMesh,
        material: Material,
        K: np.ndarray,
        occluder_vertices: np.ndarray | None = None,
        occluder_faces: np.ndarray | None = None,
        lighting: Lighting | None = None,
        *,
        size: tuple[int, int] | None = None,
    ) -> RenderLayers:
        """Render ``garment`` as seen by the camera ``K``.

        Args:
            garment: the garment, camera frame (OpenCV), metres.
            material: its look.
            K: (3, 3) intrinsics of the photo, pixels.
            occluder_vertices: (V, 3) metres, camera frame: the body, which
                hides the garment where it is in front of it; or None.
            occluder_faces: (F, 3) int faces of the occluder.
            lighting: the photo's light; None for the default light.
            size: (width, height) to render this call at (the framebuffer
                is resized, the context kept); None for :attr:`size`.

        Returns:
            The garment's layers (see :class:`RenderLayers`).

        Raises:
            RenderInputError: on arrays of the wrong shape.
            RenderError: when the renderer was closed.
        """
        if size is not None:
            _check_size(*size)
        garment = garment.checked()
        K = check_array("K", K, (3, 3)).astype(np.float64)
        occluder = _checked_occluder(occluder_vertices, occluder_faces)
        size = self._size if size is None else (int(size[0]), int(size[1]))
        job = (garment, material, K, occluder, lighting or Lighting(), size)
        with self._lock:
            if self._closed:
                raise RenderError("the renderer was closed; make a new Renderer")
            future = self._executor.submit(self._render_job, *job)
        return future.result()

    def warm_up(self) -> None:
        """Compile the shaders used by :meth:`render` (first call is slow)."""
        triangle = np.array([[-0.1, -0.1, 1.0], [0.1, -0.1, 1.0], [0.0, 0.1, 1.0]])
        faces = np.array([[0, 1, 2]])
        uvs = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, 1.0]])
        K = np.array([[100.0, 0, 32], [0, 100.0, 32], [0, 0, 1]])
        texture = np.full((4, 4, 3), 200, np.uint8)
        size = (64, 64)
        plain = GarmentMesh(triangle, faces, vertex_colours=np.ones((3, 3)))
        textured = GarmentMesh(triangle, faces, uvs=uvs, vertex_colours=np.ones((3, 3)))
        self.render(plain, Material(), K, triangle + [0, 0, 1], faces, size=size)
        self.render(textured, Material(texture=texture), K, size=size)

    def close(self) -> None:
        """Release the OpenGL context and the worker thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            self._executor.submit(self._delete_context).result()
        self._executor.shutdown(wait=True)

    def __enter__(self) -> Renderer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # The methods below run on the worker thread only.

    def _create_context(self) -> None:
        start = time.perf_counter()
        try:
            pyrender = import_pyrender()
            self._offscreen = pyrender.OffscreenRenderer(*self._size)
        except Exception as error:
            platform = os.environ.get("PYOPENGL_PLATFORM", "")
            raise RenderError(
                f"no OpenGL context through PYOPENGL_PLATFORM={platform!r} "
                f"({type(error).__name__}: {error}); install Mesa's EGL "
                "(libegl1, libegl-mesa0, libgl1-mesa-dri) and set it to 'egl' "
                "before anything imports OpenGL"
            ) from error
        logger.info(
            "OpenGL context for %dx%d made in %.0f ms",
            *self._size,
            (time.perf_counter() - start) * 1000.0,
        )

    def _delete_context(self) -> None:
        if self._offscreen is not None:
            try:
                release_offscreen(self._offscreen)
            except Exception as error:
                # Someone else's pyrender delete() may have ended EGL for the
                # process; the context is gone either way.
                logger.warning("OpenGL context not released cleanly: %s", error)
            self._offscreen = None
        self._textures.clear()

    def _render_job(
        self,
        garment: GarmentMesh,
        material: Material,
        K: np.ndarray,
        occluder: tuple[np.ndarray, np.ndarray] | None,
        lighting: Lighting,
        size: tuple[int, int],
    ) -> RenderLayers:
        pyrender = import_pyrender()
        timings: dict[str, float] = {}

        # 1. The scene: the camera of the garment's window, the garment
        # shaded per vertex, the body's triangles that can hide it.
        start = time.perf_counter()
        window = garment_window(K, garment.vertices, size, ZNEAR_M)
        if window is None:
            logger.debug("garment outside the image; nothing to render")
            timings.update(scene=_since_ms(start), gl=0.0, post=0.0)
            return _empty_layers(size, timings, None)
        render_size, render_K = _render_scale(window, K, self._max_render_px)
        scene = pyrender.Scene(bg_color=(0.0, 0.0, 0.0, 0.0))
        camera = pyrender_camera(render_K)
        scene.add(camera, pose=OPENGL_FROM_OPENCV)
        scene.add(self._garment_mesh(pyrender, garment, material, lighting))
        if occluder is not None:
            faces = trim_occluder(
                *occluder,
                K,
                (window.left, window.top, window.width, window.height),
                float(garment.vertices[:, 2].max()),
                ZNEAR_M,
            )
            if len(faces):
                pushed = _pushed_back(occluder[0], OCCLUDER_TOLERANCE_M)
                scene.add(_occluder_mesh(pyrender, pushed, faces))
        timings["scene"] = _since_ms(start)

        # 2. One multisampled, depth-tested, unlit pass over the window.
        start = time.perf_counter()
        offscreen = self._offscreen
        if (offscreen.viewport_width, offscreen.viewport_height) != render_size:
            offscreen.viewport_width, offscreen.viewport_height = render_size
        flags = pyrender.RenderFlags.RGBA | pyrender.RenderFlags.FLAT
        colour, depth = offscreen.render(scene, flags=flags)
        timings["gl"] = _since_ms(start)

        # 3. Layers: premultiplied colour, coverage, garment depth, folds.
        start = time.perf_counter()
        layers = self._layers(colour, depth, render_K, window, size, timings)
        timings["post"] = _since_ms(start)
        return layers

    def _layers(
        self,
        colour: np.ndarray,
        depth: np.ndarray,
        K: np.ndarray,
        window: Window,
        size: tuple[int, int],
        timings: dict[str, float],
    ) -> RenderLayers:
        rgba = colour.astype(np.float32) * np.float32(1.0 / 255.0)  # (h, w, 4)
        coverage = rgba[..., 3]  # (h, w)
        depth = _fill_edge_depth(np.ascontiguousarray(depth, np.float32), coverage)
        if self._ambient_occlusion and np.any(coverage > 0):
            rendered = depth[coverage > 0]
            radius = K[0, 0] * OCCLUSION_RADIUS_M / float(np.median(rendered))
            factor = screen_space_occlusion(depth, max(1, round(radius)))
            rgba[..., :3] *= factor[..., None]
        garment_depth = np.where(coverage > 0, depth, np.float32(0.0))
        if rgba.shape[:2] != (window.height, window.width):
            rgba, garment_depth = _enlarged(rgba, garment_depth, window)
            coverage = rgba[..., 3]

        # Into full-size layers, zero outside the window.
        layers = _empty_layers(size, timings, window)
        rows, cols = window.slices
        layers.rgba[rows, cols] = rgba
        layers.coverage[rows, cols] = coverage
        layers.depth[rows, cols] = garment_depth
        return layers

    def _garment_mesh(
        self,
        pyrender: ModuleType,
        garment: GarmentMesh,
        material: Material,
        lighting: Lighting,
    ) -> object:
        """The garment with our per-vertex shading as vertex colours."""
        shading = shade_vertices(
            garment.vertices,
            garment.faces,
            material,
            lighting,
            albedo_luminance(material),
        )  # (V, 3), sRGB-encoded
        colours = np.ones((len(shading), 4), dtype=np.float32)  # (V, 4)
        colours[:, :3] = shading
        if garment.vertex_colours is not None:
            colours[:, :3] *= garment.vertex_colours

        texture = None
        uvs = None
        if material.texture is not None and garment.uvs is not None:
            texture = self._texture(pyrender, material.texture)
            uvs = garment.uvs
        # FLAT mode uses the factor as it is: sRGB-encoded.
        flat = pyrender.MetallicRoughnessMaterial(
            baseColorFactor=(*material.base_colour, 1.0),
            baseColorTexture=texture,
            doubleSided=True,
        )
        primitive = pyrender.Primitive(
            positions=garment.vertices,
            texcoord_0=uvs,
            color_0=colours,
            indices=garment.faces,
            material=flat,
        )
        return pyrender.Mesh([primitive], name="garment")

    def _texture(self, pyrender: ModuleType, image: np.ndarray) -> object:
        """The uploaded texture of ``image`` (cached by object identity)."""
        key = id(image)
        cached = self._textures.get(key)
        if cached is not None and cached[0] is image:
            return cached[1]
        image = check_array("texture", image, (None, None, None), "(h, w, 3|4)")
        if image.shape[2] not in (3, 4) or image.dtype != np.uint8:
            raise RenderInputError(
                f"texture must be (h, w, 3|4) uint8, got {image.shape} {image.dtype}"
            )
        channels = "RGB" if image.shape[2] == 3 else "RGBA"
        texture = pyrender.Texture(
            source=np.ascontiguousarray(image), source_channels=channels
        )
        if len(self._textures) >= TEXTURE_CACHE_SIZE:
            self._textures.pop(next(iter(self._textures)))
        self._textures[key] = (image, texture)
        return texture


def _render_scale(
    window: Window, K: np.ndarray, max_render_px: int
) -> tuple[tuple[int, int], np.ndarray]:
    """Size to render the window at, and the intrinsics for that size.

    The window itself when it has at most ``max_render_px`` pixels;
    otherwise the window scaled down to about that many. In the continuous
    pixel convention a scaling multiplies focal lengths and principal point
    alike.
    """
    window_K = window.intrinsics(K)
    area = window.width * window.height
    if area <= max_render_px:
        return (window.width, window.height), window_K
    scale = math.sqrt(max_render_px / area)
    width = max(1, round(window.width * scale))
    height = max(1, round(window.height * scale))
    scaling = np.diag([width / window.width, height / window.height, 1.0])
    logger.debug(
        "window %dx%d rendered at %dx%d", window.width, window.height, width, height
    )
    return (width, height), scaling @ window_K


def _enlarged(
    rgba: np.ndarray, depth: np.ndarray, window: Window
) -> tuple[np.ndarray, np.ndarray]:
    """Layers rendered at a reduced scale brought to the window's size.

    Colour and coverage are interpolated (premultiplied, so edges stay
    right); depth takes the nearest sample, never a mix with empty pixels.
    """
    import cv2  # noqa: PLC0415

    size = (window.width, window.height)
    rgba = cv2.resize(rgba, size, interpolation=cv2.INTER_LINEAR)
    depth = cv2.resize(depth, size, interpolation=cv2.INTER_NEAREST)
    depth[rgba[..., 3] <= 0] = 0.0
    return rgba, depth


def _empty_layers(
    size: tuple[int, int], timings: dict[str, float], window: Window | None
) -> RenderLayers:
    """Layers of nothing at ``size`` (width, height), to be filled in."""
    width, height = size
    return RenderLayers(
        rgba=np.zeros((height, width, 4), np.float32),
        depth=np.zeros((height, width), np.float32),
        coverage=np.zeros((height, width), np.float32),
        timings_ms=timings,
        window=None
        if window is None
        else (window.left, window.top, window.width, window.height),
    )


def _fill_edge_depth(depth: np.ndarray, coverage: np.ndarray) -> np.ndarray:
    """Depth at edge pixels whose depth sample missed the garment.

    The multisampled depth buffer is resolved by picking one sample per
    pixel, so a pixel partly covered by the garment can read 0 (nothing)
    while its coverage is up to 0.75. Such pixels take the largest depth
    of their 3 x 3 neighbourhood.
    """
    import cv2  # noqa: PLC0415

    missed = (depth == 0) & (coverage > 0)  # (H, W)
    if not missed.any():
        return depth
    neighbours = cv2.dilate(depth, np.ones((3, 3), np.uint8))  # (H, W)
    return np.where(missed, neighbours, depth)


def _occluder_mesh(
    pyrender: ModuleType, vertices: np.ndarray, faces: np.ndarray
) -> object:
    """The body as an invisible depth writer: colour 0, alpha 0.

    Its faces are already trimmed to those facing the camera; it is drawn
    without culling, so a body wound either way round works.
    """
    hidden = pyrender.MetallicRoughnessMaterial(
        baseColorFactor=(0.0, 0.0, 0.0, 0.0), doubleSided=True
    )
    primitive = pyrender.Primitive(positions=vertices, indices=faces, material=hidden)
    return pyrender.Mesh([primitive], name="occluder")


def _pushed_back(vertices: np.ndarray, distance: float) -> np.ndarray:
    """``vertices`` moved ``distance`` metres away from the camera.

    Along the rays through the camera centre, so the silhouette in the
    image is unchanged.
    """
    lengths = np.linalg.norm(vertices, axis=1, keepdims=True)  # (V, 1)
    scale = 1.0 + distance / np.maximum(lengths, 1e-9)
    return (vertices * scale).astype(np.float32)


def _checked_occluder(
    vertices: np.ndarray | None, faces: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray] | None:
    if vertices is None and faces is None:
        return None
    if vertices is None or faces is None:
        raise RenderInputError(
            "occluder_vertices and occluder_faces must be given together"
        )
    vertices = check_array("occluder_vertices", vertices, (None, 3), "(V, 3)")
    faces = check_array("occluder_faces", faces, (None, 3), "(F, 3)")
    return (
        np.ascontiguousarray(vertices, dtype=np.float32),
        np.ascontiguousarray(faces, dtype=np.uint32),
    )


def _check_size(width: int, height: int) -> None:
    if width <= 0 or height <= 0:
        raise RenderInputError(f"image size must be positive, got {width} x {height}")


def _since_ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000.0
