"""A phone photo (HEIC, rotated by its EXIF orientation) through the shopper API."""

from __future__ import annotations

from PIL import Image

from tests.conftest import require_testdata
from tests.ui.test_load import first_garment

EXIF_ORIENTATION = 0x0112
ROTATED_90_CW = 6  # the camera was held upright; pixels are stored sideways


def test_heic_with_exif_rotation_is_shown_upright(live_server, tmp_path):
    from gradio_client import Client, handle_file
    from pillow_heif import register_heif_opener

    register_heif_opener()
    source = Image.open(require_testdata("photos", "coco", "000000000785.jpg"))
    width, height = source.size  # 640 x 425, landscape
    exif = Image.Exif()
    exif[EXIF_ORIENTATION] = ROTATED_90_CW
    phone_photo = tmp_path / "IMG_0001.HEIC"
    source.save(phone_photo, exif=exif.tobytes(), quality=85)

    client = Client(live_server.url + "/", verbose=False)
    picture, report, *_ = client.predict(
        handle_file(str(phone_photo)),
        None,
        first_garment(live_server.home),
        None,
        "test-shopper-phone",
        api_name="/try_on_photo",
    )
    # Shown as the phone showed it: portrait, turned a quarter.
    assert Image.open(picture).size == (height, width)
    assert report
