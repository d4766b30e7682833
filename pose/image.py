"""Reading photos as people send them: any common format, any orientation.

:func:`load_image` accepts a path, the bytes of an upload or an array, and
returns C-contiguous 8-bit RGB with the EXIF orientation applied, so that
pixel coordinates everywhere in tryon are those of the photo as the user
sees it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pose.errors import NotAnImage

__all__ = ["LoadedImage", "load_image", "to_rgb8"]

logger = logging.getLogger(__name__)

_EXIF_IFD = 0x8769
_FOCAL_LENGTH_35MM = 0xA405
_FORMATS = "JPEG, PNG, WebP or HEIC"
_HEIF_REGISTERED = False


@dataclass(frozen=True)
class LoadedImage:
    """A decoded photo.

    Attributes:
        rgb: (H, W, 3) uint8, C-contiguous, EXIF orientation applied.
        focal_length_35mm: the 35 mm-equivalent focal length in millimetres
            from EXIF, or None when the file does not say.
        source_format: the decoder's format name ("JPEG", "PNG", "HEIF",
            ...) or "array" for arrays.
    """

    rgb: np.ndarray
    focal_length_35mm: float | None = None
    source_format: str = "array"

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels."""
        return int(self.rgb.shape[1]), int(self.rgb.shape[0])


def load_image(source: str | Path | bytes | np.ndarray) -> LoadedImage:
    """Decode a photo into upright 8-bit RGB.

    Args:
        source: a file path, the bytes of an image file, or an array
            (H, W), (H, W, 1), (H, W, 3) or (H, W, 4) of uint8, uint16 or
            float in 0..1.

    Returns:
        The photo, with the EXIF orientation applied and its 35 mm focal
        length when the EXIF data has one.

    Raises:
        NotAnImage: the file does not exist or cannot be decoded, or the
            array has an unusable shape.
    """
    if isinstance(source, np.ndarray):
        return LoadedImage(rgb=to_rgb8(source, "the array"))
    if isinstance(source, bytes | bytearray | memoryview):
        return _decode(io.BytesIO(bytes(source)), "the uploaded file")
    path = Path(source)
    if not path.is_file():
        raise NotAnImage(f"{path.name or path} does not exist; choose a photo file")
    return _decode(path, path.name)


def _decode(stream: io.BytesIO | Path, name: str) -> LoadedImage:
    from PIL import Image, ImageOps, UnidentifiedImageError

    _register_heif()
    try:
        with _open_checked(Image, stream, name) as image:
            image.load()
            focal = _focal_length_35mm(image)
            upright = ImageOps.exif_transpose(image)
            source_format = image.format or "unknown"
            array = _pil_to_array(upright)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        logger.debug("cannot decode %s", name, exc_info=True)
        raise NotAnImage(
            f"{name} is not an image we can read ({_FORMATS}); choose a photo file"
        ) from error
    rgb = to_rgb8(array, name)
    logger.debug(
        "decoded %s: %s %dx%d, focal 35mm %s",
        name,
        source_format,
        rgb.shape[1],
        rgb.shape[0],
        focal,
    )
    return LoadedImage(rgb=rgb, focal_length_35mm=focal, source_format=source_format)


def _open_checked(image_module, stream: io.BytesIO | Path, name: str):
    """``PIL.Image.open``, with decompression bombs as a user error."""
    try:
        return image_module.open(stream)
    except image_module.DecompressionBombError as error:
        raise NotAnImage(
            f"{name} has too many pixels to open safely; choose a photo of "
            "at most about 100 megapixels"
        ) from error


def _register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF files (once per process)."""
    global _HEIF_REGISTERED
    if _HEIF_REGISTERED:
        return
    try:
        from pillow_heif import register_heif_opener

        register_heif_opener()
    except ImportError:
        logger.debug("pillow-heif is not installed; HEIC is unsupported")
    _HEIF_REGISTERED = True


def _focal_length_35mm(image) -> float | None:
    """The EXIF FocalLengthIn35mmFilm tag in millimetres, if present."""
    try:
        value = image.getexif().get_ifd(_EXIF_IFD).get(_FOCAL_LENGTH_35MM)
    except Exception:  # EXIF blocks in the wild are often malformed
        logger.debug("unreadable EXIF block", exc_info=True)
        return None
    if not value:
        return None
    return float(value)


def _pil_to_array(image) -> np.ndarray:
    """Pixels of a Pillow image as an array, alpha composited on white."""
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("LA", "PA"):
        image = image.convert("RGBA")
    if image.mode == "CMYK" or image.mode == "YCbCr" or image.mode == "1":
        image = image.convert("RGB")
    if image.mode.startswith("I;16"):
        return np.asarray(image).astype(np.uint16)
    return np.asarray(image)


def to_rgb8(array: np.ndarray, name: str = "the array") -> np.ndarray:
    """Convert greyscale, RGBA, 16-bit or float pixels to (H, W, 3) uint8.

    Alpha is composited on white. 16-bit and 32-bit integer pixels are
    scaled from their full range; floats are taken as 0..1.

    Args:
        array: (H, W), (H, W, 1), (H, W, 3) or (H, W, 4) pixels.
        name: how to call the input in an error message.

    Returns:
        (H, W, 3) uint8, C-contiguous.

    Raises:
        NotAnImage: the shape is not one of the above or the image is empty.
    """
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)):
        raise NotAnImage(
            f"{name} has shape {array.shape}, expected (H, W), (H, W, 3) or "
            "(H, W, 4); choose a photo file"
        )
    if array.shape[0] < 2 or array.shape[1] < 2:
        raise NotAnImage(f"{name} is empty; choose a photo file")
    unit = _to_unit_float(array) if array.dtype != np.uint8 else None
    if unit is None:
        pixels = array
    else:
        pixels = np.clip(unit * 255.0 + 0.5, 0, 255).astype(np.uint8)
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[:, :, None], 3, axis=2)
    elif pixels.shape[2] == 4:
        pixels = _composite_on_white(pixels)
    return np.ascontiguousarray(pixels, dtype=np.uint8)


def _to_unit_float(array: np.ndarray) -> np.ndarray:
    """Non-uint8 pixels scaled to 0..1 by their type's range."""
    if array.dtype == np.uint16:
        return array.astype(np.float32) / 65535.0
    if np.issubdtype(array.dtype, np.integer):
        # Pillow's 32-bit mode "I" holds 16-bit PNGs; scale by what is used.
        top = 65535.0 if array.max(initial=0) > 255 else 255.0
        return array.astype(np.float32) / top
    return np.nan_to_num(array.astype(np.float32))


def _composite_on_white(rgba: np.ndarray) -> np.ndarray:
    """(H, W, 4) uint8 straight alpha over a white background -> (H, W, 3)."""
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255.0
    colour = rgba[:, :, :3].astype(np.float32)
    return (colour * alpha + 255.0 * (1.0 - alpha) + 0.5).astype(np.uint8)
