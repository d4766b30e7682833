"""The renderer: projection, occlusion by the body, texture, light, threads."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import trimesh

from render import (
    GarmentMesh,
    Lighting,
    Material,
    Renderer,
    RenderInputError,
    project_points,
)
from tests.render.conftest import SIZE, box, quad, save_png

WHITE = Material(base_colour=(1.0, 1.0, 1.0), sheen=0.0)


def covered_bbox(coverage: np.ndarray) -> tuple[int, int, int, int]:
    """Pixel-edge bbox (u0, u1, v0, v1) of the pixels covered more than half."""
    rows, cols = np.nonzero(coverage > 0.5)
    return cols.min(), cols.max() + 1, rows.min(), rows.max() + 1


@pytest.mark.parametrize(
    "x0, x1, y0, y1",
    [
        (0.10, 0.30, -0.04, 0.02),  # right of the axis: tests x
        (-0.05, 0.01, 0.08, 0.20),  # below the axis: tests y
        (-0.35, -0.15, -0.25, -0.10),  # left and above: both signs
    ],
)
def test_a_rectangle_renders_where_the_pinhole_projection_puts_it(
    renderer, K, output_dir, x0, x1, y0, y1
):
    vertices, faces = quad(x0, x1, y0, y1, z=2.0)

    layers = renderer.render(GarmentMesh(vertices, faces), WHITE, K)

    corners = project_points(K, vertices)  # (4, 2)
    expected = (corners[:, 0].min(), corners[:, 0].max())
    expected += (corners[:, 1].min(), corners[:, 1].max())
    save_png(output_dir / f"render_rectangle_{x0:+.2f}_{y0:+.2f}.png", layers.rgba)
    assert np.allclose(covered_bbox(layers.coverage), expected, atol=1.0)
    assert np.allclose(layers.depth[layers.coverage > 0], 2.0, atol=1e-3)
    assert layers.rgba.shape == (SIZE[1], SIZE[0], 4)
    assert layers.rgba.flags.c_contiguous


def test_a_right_triangle_is_not_mirrored(renderer, K):
    # Right angle at the top-left in the image (x right, y down).
    vertices = np.array([[-0.2, -0.2, 2.0], [0.2, -0.2, 2.0], [-0.2, 0.2, 2.0]])
    faces = np.array([[0, 1, 2]])

    layers = renderer.render(GarmentMesh(vertices, faces), WHITE, K)

    (u0, v0), (u1, _), (_, v1) = project_points(K, vertices)
    near_top_left = layers.coverage[int(v0) + 3, int(u0) + 3]
    near_bottom_right = layers.coverage[int(v1) - 3, int(u1) - 3]
    assert (near_top_left, near_bottom_right) == (1.0, 0.0)


def test_an_occluder_in_front_hides_exactly_its_silhouette(renderer, K, output_dir):
    garment = GarmentMesh(*quad(-0.4, 0.4, -0.3, 0.3, z=2.0))
    # A box straddling the optical axis: its silhouette is its front face.
    body_vertices, body_faces = box(-0.1, 0.05, -0.1, 0.1, 1.5, 1.6)

    layers = renderer.render(garment, WHITE, K, body_vertices, body_faces)

    save_png(output_dir / "render_occluder_in_front.png", layers.rgba)
    front = body_vertices[body_vertices[:, 2] < 1.55]  # (4, 3)
    (u0, v0), (u1, v1) = (
        project_points(K, front).min(0),
        project_points(K, front).max(0),
    )
    rows, cols = np.mgrid[0 : SIZE[1], 0 : SIZE[0]] + 0.5  # pixel centres
    inside = (cols > u0 + 1) & (cols < u1 - 1) & (rows > v0 + 1) & (rows < v1 - 1)
    outside = (cols < u0 - 1) | (cols > u1 + 1) | (rows < v0 - 1) | (rows > v1 + 1)
    unoccluded = renderer.render(garment, WHITE, K).coverage
    assert np.all(layers.coverage[inside] == 0.0)
    assert np.all(layers.rgba[inside] == 0.0)
    assert np.array_equal(layers.coverage[outside], unoccluded[outside])
    assert np.all(layers.depth[inside] == 0.0)


def test_an_occluder_behind_changes_nothing(renderer, K, output_dir):
    garment = GarmentMesh(*quad(-0.4, 0.4, -0.3, 0.3, z=2.0))
    body_vertices, body_faces = box(-0.1, 0.05, -0.1, 0.1, 2.2, 2.4)

    behind = renderer.render(garment, WHITE, K, body_vertices, body_faces)
    alone = renderer.render(garment, WHITE, K)

    save_png(output_dir / "render_occluder_behind.png", behind.rgba)

    assert np.array_equal(behind.coverage, alone.coverage)
    assert np.allclose(behind.rgba, alone.rgba, atol=2.0 / 255.0)


def test_the_back_of_a_garment_hides_behind_the_body(renderer, K, output_dir):
    # A "shirt": a front panel at 1.8 m, a larger back panel at 2.2 m,
    # and a torso box between them.
    front, front_faces = quad(-0.15, 0.15, -0.2, 0.2, z=1.8)
    back, back_faces = quad(-0.3, 0.3, -0.25, 0.25, z=2.2)
    vertices = np.vstack([front, back])
    faces = np.vstack([front_faces, back_faces + 4])
    body_vertices, body_faces = box(-0.2, 0.2, -0.22, 0.22, 1.9, 2.1)

    layers = renderer.render(
        GarmentMesh(vertices, faces), WHITE, K, body_vertices, body_faces
    )

    save_png(output_dir / "render_shirt_back_hidden.png", layers.rgba)
    visible_depths = np.unique(np.round(layers.depth[layers.coverage == 1.0], 3))
    ((centre_u, centre_v),) = project_points(K, np.array([[0.0, 0.0, 1.8]]))
    ((torso_side_u, _),) = project_points(K, np.array([[0.18, 0.0, 1.9]]))
    assert layers.depth[int(centre_v), int(centre_u)] == pytest.approx(1.8, abs=1e-3)
    assert layers.coverage[int(centre_v), int(torso_side_u)] == 0.0  # body, not back
    assert visible_depths.tolist() == pytest.approx([1.8, 2.2])  # back shows around it


def test_a_texture_is_mapped_with_v_up(renderer, K, output_dir):
    vertices, faces = quad(-0.2, 0.2, -0.2, 0.2, z=2.0)
    uvs = np.array([[0.0, 1.0], [1.0, 1.0], [1.0, 0.0], [0.0, 0.0]])  # top: v=1
    texture = np.zeros((8, 8, 3), np.uint8)
    texture[:4] = (255, 0, 0)  # top rows of the image red
    texture[4:] = (0, 0, 255)

    material = Material(base_colour=(1.0, 1.0, 1.0), texture=texture, sheen=0.0)
    layers = renderer.render(GarmentMesh(vertices, faces, uvs=uvs), material, K)

    save_png(output_dir / "render_texture_v_up.png", layers.rgba)

    (_, top), (_, bottom) = project_points(K, vertices[[0, 2]])
    column = int(K[0, 2])
    upper = layers.rgba[int(top + 0.25 * (bottom - top)), column]
    lower = layers.rgba[int(top + 0.75 * (bottom - top)), column]
    assert upper[0] > 0.8 and upper[2] < 0.2
    assert lower[2] > 0.8 and lower[0] < 0.2


@pytest.mark.parametrize(
    "direction, brighter, darker",
    [
        ((-1.0, 0.0, -0.3), "left", "right"),  # light on the image's left
        ((0.0, -1.0, -0.3), "top", "bottom"),  # light above
    ],
)
def test_a_sphere_is_brighter_on_the_side_of_the_light(
    renderer, K, direction, brighter, darker, output_dir
):
    sphere = trimesh.creation.icosphere(subdivisions=3, radius=0.3)
    garment = GarmentMesh(np.asarray(sphere.vertices) + (0.0, 0.0, 2.0), sphere.faces)

    layers = renderer.render(garment, WHITE, K, lighting=Lighting(direction=direction))

    save_png(output_dir / f"render_sphere_lit_{brighter}.png", layers.rgba)

    u, v = int(K[0, 2]), int(K[1, 2])
    offset = 25  # pixels, inside the sphere's 39-pixel radius
    probes = {
        "left": layers.rgba[v, u - offset, 0],
        "right": layers.rgba[v, u + offset, 0],
        "top": layers.rgba[v - offset, u, 0],
        "bottom": layers.rgba[v + offset, u, 0],
    }
    assert probes[brighter] > probes[darker] + 0.1


def test_other_threads_and_sizes_render_the_same_scene(renderer, K):
    garment = GarmentMesh(*quad(-0.2, 0.1, -0.1, 0.2, z=2.0))
    here = renderer.render(garment, WHITE, K)
    results = []

    def render_elsewhere() -> None:
        results.append(renderer.render(garment, WHITE, K))

    threads = [threading.Thread(target=render_elsewhere) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    small = renderer.render(garment, WHITE, K, size=(120, 90))
    again = renderer.render(garment, WHITE, K)

    assert len(results) == 3
    assert all(np.array_equal(r.rgba, here.rgba) for r in results)
    assert small.coverage.shape == (90, 120)
    assert np.array_equal(again.rgba, here.rgba)


def test_an_occluder_wound_the_other_way_hides_the_same(renderer, K):
    garment = GarmentMesh(*quad(-0.4, 0.4, -0.3, 0.3, z=2.0))
    body_vertices, body_faces = box(-0.1, 0.05, -0.1, 0.1, 1.5, 1.6)

    outward = renderer.render(garment, WHITE, K, body_vertices, body_faces)
    inward = renderer.render(garment, WHITE, K, body_vertices, body_faces[:, ::-1])

    assert np.array_equal(outward.coverage, inward.coverage)


@pytest.mark.parametrize(
    "colour",
    [(0.8, 0.3, 0.2), (0.2, 0.5, 0.9)],  # a red and a blue cloth
)
def test_cloth_facing_a_frontal_light_shows_its_own_colour(renderer, K, colour):
    # Matte, no sheen, light from the camera: ambient + diffuse = 1.
    material = Material(base_colour=colour, roughness=1.0, sheen=0.0)
    lighting = Lighting(direction=(0.0, 0.0, -1.0))
    garment = GarmentMesh(*quad(-0.2, 0.2, -0.2, 0.2, z=2.0))

    layers = renderer.render(garment, material, K, lighting=lighting)

    centre = layers.rgba[int(K[1, 2]), int(K[0, 2])]
    assert centre[:3] == pytest.approx(colour, abs=0.03)


def test_a_garment_partly_outside_the_image_is_clipped(renderer, K):
    # Reaches beyond the right and bottom edges.
    vertices, faces = quad(0.2, 2.0, 0.1, 2.0, z=2.0)

    layers = renderer.render(GarmentMesh(vertices, faces), WHITE, K)

    (u0, v0) = project_points(K, vertices[:1])[0]
    expected = (u0, SIZE[0], v0, SIZE[1])
    assert np.allclose(covered_bbox(layers.coverage), expected, atol=1.0)


def test_a_garment_outside_the_image_renders_nothing(renderer, K):
    vertices, faces = quad(3.0, 4.0, 0.0, 1.0, z=2.0)

    layers = renderer.render(GarmentMesh(vertices, faces), WHITE, K)

    assert layers.window is None
    assert set(layers.timings_ms) == {"scene", "gl", "post"}
    assert layers.coverage.shape == SIZE[::-1] and not layers.coverage.any()


def test_a_garment_through_the_near_plane_still_renders(renderer, K):
    # One corner behind the camera: the whole image is rendered.
    vertices = np.array([[-0.3, -0.2, 2.0], [0.3, -0.2, 2.0], [0.0, 0.3, -0.5]])

    layers = renderer.render(GarmentMesh(vertices, np.array([[0, 1, 2]])), WHITE, K)

    assert layers.window == (0, 0, *SIZE)
    assert layers.coverage.any()


@pytest.mark.parametrize(
    "front_z, hidden",
    [
        (1.995, False),  # 5 mm in front: cloth dipping into the body stays
        (1.98, True),  # 2 cm in front: the body hides the cloth
    ],
)
def test_the_body_hides_cloth_only_a_centimetre_in_front(renderer, K, front_z, hidden):
    garment = GarmentMesh(*quad(-0.3, 0.3, -0.2, 0.2, z=2.0))
    body_vertices, body_faces = box(-0.1, 0.1, -0.1, 0.1, front_z, 2.1)

    layers = renderer.render(garment, WHITE, K, body_vertices, body_faces)

    centre = layers.coverage[int(K[1, 2]), int(K[0, 2])]
    assert centre == (0.0 if hidden else 1.0)


@pytest.mark.parametrize(
    "vertices, faces, message",
    [
        # A diverged simulation.
        (
            [[0.0, 0.0, 2.0], [np.nan, 0.0, 2.0], [0.0, 0.1, 2.0]],
            [[0, 1, 2]],
            "vertices must be finite, got 1 NaN or infinite values",
        ),
        # A face pointing past the last vertex.
        (
            [[0.0, 0.0, 2.0], [0.1, 0.0, 2.0], [0.0, 0.1, 2.0]],
            [[0, 1, 3]],
            "faces must index the 3 vertices, got indices 0..3",
        ),
        # Vertices given as a flat list.
        ([0.0, 0.0, 2.0], [[0, 1, 2]], "vertices must have shape (V, 3), got (3,)"),
    ],
)
def test_bad_garment_meshes_are_refused(renderer, K, vertices, faces, message):
    garment = GarmentMesh(np.array(vertices), np.array(faces))

    with pytest.raises(RenderInputError) as error:
        renderer.render(garment, WHITE, K)

    assert str(error.value) == message


def test_a_large_window_is_rendered_smaller_and_enlarged(K, output_dir):
    vertices, faces = quad(-0.3, 0.35, -0.25, 0.2, z=2.0)
    garment = GarmentMesh(vertices, faces)

    # A cap of 4000 pixels: about a quarter of the window's side.
    with Renderer(*SIZE, max_render_px=4000) as small:
        layers = small.render(garment, WHITE, K)

    save_png(output_dir / "render_enlarged.png", layers.rgba)
    corners = project_points(K, vertices)  # (4, 2)
    expected = (corners[:, 0].min(), corners[:, 0].max())
    expected += (corners[:, 1].min(), corners[:, 1].max())
    assert np.allclose(covered_bbox(layers.coverage), expected, atol=3.0)
    assert layers.coverage.shape == SIZE[::-1]
    assert np.allclose(layers.depth[layers.coverage == 1.0], 2.0, atol=1e-3)
    assert np.all(layers.depth[layers.coverage == 0.0] == 0.0)


def test_closing_one_renderer_leaves_the_others_working(renderer, K):
    garment = GarmentMesh(*quad(-0.2, 0.1, -0.1, 0.2, z=2.0))
    before = renderer.render(garment, WHITE, K)

    first, second = Renderer(*SIZE), Renderer(*SIZE)
    first.close()
    from_second = second.render(garment, WHITE, K)
    second.close()
    after = renderer.render(garment, WHITE, K)

    assert np.array_equal(from_second.rgba, before.rgba)
    assert np.array_equal(after.rgba, before.rgba)


def test_a_plain_pyrender_delete_elsewhere_does_not_break_a_renderer(K):
    # pyrender's own delete() (as a preview writer would call it) ends EGL
    # for the whole process; a live renderer must keep working and close.
    from render._gl import import_pyrender

    pyrender = import_pyrender()
    garment = GarmentMesh(*quad(-0.2, 0.1, -0.1, 0.2, z=2.0))
    with Renderer(*SIZE) as ours:
        before = ours.render(garment, WHITE, K)
        theirs = pyrender.OffscreenRenderer(32, 32)
        theirs.delete()
        after = ours.render(garment, WHITE, K)

    assert np.array_equal(after.rgba, before.rgba)
