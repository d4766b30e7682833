"""Buying and returning through the shopper app's API, as one browser session."""

from __future__ import annotations

import pytest

from tests.conftest import require_testdata
from tests.ui.test_load import first_garment


def test_try_on_buy_and_return_with_a_reason(live_server):
    from gradio_client import Client, handle_file

    photo = str(require_testdata("photos", "coco", "000000000785.jpg"))
    garment = first_garment(live_server.home)
    if garment is None:
        pytest.skip("the catalog is not available")
    shopper = "test-shopper-orders"
    client = Client(live_server.url + "/", verbose=False)
    picture, report, *_ = client.predict(
        handle_file(photo), None, garment, None, shopper, api_name="/try_on_photo"
    )
    assert picture
    if "not available yet" in report:
        pytest.skip("the try-on pipeline is not available; nothing to buy")

    note = client.predict(shopper, api_name="/buy")
    assert note.startswith(f"Bought {garment} in size ")
    # Pressing Buy again for the same try-on does not order twice.
    assert client.predict(shopper, api_name="/buy") == note

    table, choices = client.predict(shopper, api_name="/my_orders")
    rows = table["data"]
    assert len(rows) == 1 and rows[0][3] == garment and rows[0][6] == ""
    line = str(rows[0][0])

    # A return needs a reason from the fixed taxonomy.
    with pytest.raises(Exception) as refused:
        client.predict(line, None, "", shopper, api_name="/return_order")
    assert "pick a reason for the return, then press Return it" in str(refused.value)
    with pytest.raises(Exception) as refused:
        client.predict(line, "too tight", "", shopper, api_name="/return_order")
    assert "too tight is not in the list of choices" in str(refused.value)

    done = client.predict(
        line, "too small", "tight at the waist", shopper, api_name="/return_order"
    )
    assert done == "Return recorded (too small). Reload your orders to see it."
    table, _ = client.predict(shopper, api_name="/my_orders")
    assert table["data"][0][6] == "too small"


def test_sizes_side_by_side_are_the_best_size_and_its_neighbours(live_server):
    from gradio_client import Client, handle_file

    photo = str(require_testdata("photos", "coco", "000000000785.jpg"))
    garment = first_garment(live_server.home)
    if garment is None:
        pytest.skip("the catalog is not available")
    client = Client(live_server.url + "/", verbose=False)
    _, report, sizes, *_ = client.predict(
        handle_file(photo),
        None,
        garment,
        None,
        "test-shopper-sizes",
        api_name="/try_on_photo",
    )
    if "not available yet" in report:
        pytest.skip("the try-on pipeline is not available")
    recommended = report.split(" suits you best")[0].rsplit(" ", 1)[-1]
    gallery = client.predict(
        None, garment, "test-shopper-sizes", api_name="/compare_sizes"
    )
    captions = [item["caption"].split(":")[0] for item in gallery]
    assert recommended in captions and 1 < len(captions) <= 3


def test_a_bad_file_gets_its_one_line_message_and_no_traceback(live_server, tmp_path):
    from gradio_client import Client, handle_file

    bogus = tmp_path / "holiday.jpg"
    bogus.write_text("not an image")
    client = Client(live_server.url + "/", verbose=False)
    with pytest.raises(Exception) as caught:
        client.predict(
            handle_file(str(bogus)),
            None,
            first_garment(live_server.home),
            None,
            "test-shopper-errors",
            api_name="/try_on_photo",
        )
    message = str(caught.value)
    assert (
        "holiday.jpg is not an image we can read (JPEG, PNG, WebP or HEIC); "
        "choose a photo file"
    ) in message
    assert "Traceback" not in message
