"""Reading photos: formats, EXIF orientation and focal length, odd pixels."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

import pose

ORIENTATION = 0x0112
EXIF_IFD = 0x8769
FOCAL_35MM = 0xA405
NOT_AN_IMAGE = (
    "{} is not an image we can read (JPEG, PNG, WebP or HEIC); choose a photo file"
)


@pytest.fixture()
def asymmetric() -> np.ndarray:
    """(60, 90, 3) uint8 with distinct quadrants, so rotations show."""
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 255, size=(60, 90, 3), dtype=np.uint8)
    pixels[:10, :20] = (255, 0, 0)
    return pixels


def test_text_file_is_not_an_image(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a photo\n")
    with pytest.raises(pose.NotAnImage) as caught:
        pose.load_image(path)
    assert str(caught.value) == NOT_AN_IMAGE.format("notes.txt")
    assert caught.value.user_error is True


def test_garbage_bytes_are_not_an_image():
    with pytest.raises(pose.NotAnImage) as caught:
        pose.load_image(b"\x00\x01garbage")
    assert str(caught.value) == NOT_AN_IMAGE.format("the uploaded file")


def test_missing_file(tmp_path):
    with pytest.raises(pose.NotAnImage) as caught:
        pose.load_image(tmp_path / "gone.jpg")
    assert str(caught.value) == "gone.jpg does not exist; choose a photo file"


# Each EXIF orientation and the PIL transform that makes the stored pixels
# from the upright ones (so that a viewer applying the tag shows them
# upright).
STORED_FROM_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,  # viewer turns it 90 degrees clockwise
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", sorted(STORED_FROM_UPRIGHT))
def test_exif_orientation_is_applied(tmp_path, asymmetric, orientation):
    stored = Image.fromarray(asymmetric).transpose(STORED_FROM_UPRIGHT[orientation])
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    path = tmp_path / "rotated.png"
    stored.save(path, exif=exif.tobytes())
    np.testing.assert_array_equal(pose.load_image(path).rgb, asymmetric)


def test_focal_length_from_exif(asymmetric):
    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[FOCAL_35MM] = 26
    buffer = io.BytesIO()
    Image.fromarray(asymmetric).save(buffer, format="JPEG", exif=exif.tobytes())
    loaded = pose.load_image(buffer.getvalue())
    assert loaded.focal_length_35mm == 26.0
    assert loaded.source_format == "JPEG"


def test_no_focal_length_without_exif(tmp_path, asymmetric):
    path = tmp_path / "plain.png"
    Image.fromarray(asymmetric).save(path)
    assert pose.load_image(path).focal_length_35mm is None


@pytest.mark.parametrize("extension", ["webp", "heic"])
def test_other_formats(tmp_path, extension):
    import pillow_heif

    pillow_heif.register_heif_opener()  # so that Pillow can write HEIC here
    rows, cols = np.mgrid[0:64, 0:96]
    smooth = np.stack([rows * 4, cols * 2, 255 - rows * 2], axis=2).astype(np.uint8)
    path = tmp_path / f"photo.{extension}"
    Image.fromarray(smooth).save(path, quality=95)
    loaded = pose.load_image(path)
    assert loaded.rgb.shape == smooth.shape
    # Lossy codecs: the mean error stays within a few grey levels.
    assert np.abs(loaded.rgb.astype(int) - smooth).mean() < 4


def test_sixteen_bit_png(tmp_path):
    ramp = (np.arange(64 * 32, dtype=np.uint32).reshape(32, 64) * 32).astype(np.uint16)
    path = tmp_path / "deep.png"
    Image.fromarray(ramp).save(path)
    rgb = pose.load_image(path).rgb
    expected = np.round(ramp / 65535.0 * 255.0).astype(np.uint8)
    assert rgb.shape == (32, 64, 3)
    assert np.abs(rgb[:, :, 0].astype(int) - expected).max() <= 1


def test_rgba_is_composited_on_white():
    rgba = np.zeros((4, 4, 4), dtype=np.uint8)
    rgba[:, :, 0] = 200
    rgba[:2, :, 3] = 255  # top half opaque red-ish, bottom transparent
    rgb = pose.to_rgb8(rgba)
    np.testing.assert_array_equal(rgb[0, 0], [200, 0, 0])
    np.testing.assert_array_equal(rgb[3, 0], [255, 255, 255])


# Arrays of the shapes and types people pass.
@pytest.mark.parametrize(
    "pixels",
    [
        np.full((5, 6), 7, dtype=np.uint8),  # greyscale
        np.full((5, 6, 1), 7, dtype=np.uint8),  # greyscale with a channel
        np.full((5, 6, 3), 7 * 257, dtype=np.uint16),  # 16-bit colour
        np.full((5, 6, 3), 7 / 255.0, dtype=np.float32),  # float 0..1
    ],
)
def test_arrays_become_rgb8(pixels):
    rgb = pose.to_rgb8(pixels)
    assert rgb.dtype == np.uint8 and rgb.shape == (5, 6, 3)
    assert rgb.flags["C_CONTIGUOUS"]
    assert (rgb == 7).all()


def test_bad_array_shape():
    with pytest.raises(pose.NotAnImage) as caught:
        pose.to_rgb8(np.zeros((4, 4, 2), dtype=np.uint8))
    assert str(caught.value) == (
        "the array has shape (4, 4, 2), expected (H, W), (H, W, 3) or (H, W, 4); "
        "choose a photo file"
    )


def test_decompression_bomb(tmp_path, asymmetric, monkeypatch):
    path = tmp_path / "huge.png"
    Image.fromarray(asymmetric).save(path)
    # Pretend the limit is tiny, so that this small photo is a "bomb".
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(pose.NotAnImage) as caught:
        pose.load_image(path)
    assert str(caught.value) == (
        "huge.png has too many pixels to open safely; choose a photo of at most "
        "about 100 megapixels"
    )
