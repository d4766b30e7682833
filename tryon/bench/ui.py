"""Benchmarks of the web app: live mode per frame, and upload to picture.

- ``webcam_fps_640x480`` times the shopper app's own live-mode handler
  (what the server runs per streamed frame) on 640 x 480 frames of the
  test video, outside the browser: the browser path (fake camera, frame
  encoding, websocket) is covered by the browser test, not timed here.
  The handler runs the try-on's ``webcam_frame`` when the pipeline is
  complete, and pose tracking alone otherwise; ``extra["path"]`` says
  which one was timed.
- ``upload_to_first_picture`` starts ``tryon serve`` on a loopback port
  and times one photo try-on through the server's API with Gradio's
  Python client: upload, queue, try-on, picture back.

Both run on a private data directory with the bundled catalog.
"""

from __future__ import annotations

import atexit
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tryon.bench import TESTDATA, TESTDATA_VIDEO, Case, benchmark, video_frames

TESTDATA_PHOTO = TESTDATA / "photos" / "coco" / "000000000785.jpg"
REPO = Path(__file__).resolve().parents[2]

WEBCAM_BUDGET_MS = 100.0  # 10 frames a second
PHOTO_BUDGET_MS = 1000.0  # photo try-on end to end, warm
SERVER_START_TIMEOUT_S = 240.0


def _private_settings():
    from tryon.settings import load_settings

    home = tempfile.mkdtemp(prefix="tryon-bench-ui-")
    return load_settings({**os.environ, "TRYON_HOME": home})


def _top_id(services) -> str | None:
    catalog = services.catalog_or_none()
    if catalog is None:
        return None
    tops = [g.id for g in catalog.list() if g.category == "top"]
    return tops[0] if tops else None


@benchmark(
    "webcam_fps_640x480",
    "shopper live mode: the server's per-frame handler on 640x480 video frames",
)
def webcam_fps() -> Case:
    """Times the live-mode handler per frame; extra: path and frames a second."""
    from ui.services import Services
    from ui.shopper_actions import live_handler

    services = Services(_private_settings())
    garment = _top_id(services)
    path = "try-on" if services.has_pipeline() and garment else "pose only"
    handle = live_handler(services)
    frames = video_frames()
    state: dict[str, object] = {"live": None, "index": 0}

    times_ms: list[float] = []

    def subject() -> None:
        frame = frames[state["index"] % len(frames)]
        state["index"] += 1
        start = time.perf_counter()
        _, state["live"] = handle(frame, garment, None, state["live"])
        times_ms.append((time.perf_counter() - start) * 1000.0)
        # Warm-up frames included; the table's median is the timed runs'.
        case.extra["frames_per_second"] = round(1000.0 / statistics.median(times_ms), 2)

    case = Case(subject=subject, budget_ms=WEBCAM_BUDGET_MS, warmup=5)
    case.extra["path"] = path
    case.extra["frames_from"] = (
        "street_walk.mp4" if TESTDATA_VIDEO.exists() else "astronaut"
    )
    return case


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_server(home: Path) -> str:
    """``tryon serve`` in a subprocess; its URL. Stopped at exit."""
    import requests

    port = _free_port()
    env = {**os.environ, "TRYON_HOME": str(home), "GRADIO_ANALYTICS_ENABLED": "False"}
    env.pop("TRYON_DATABASE_URL", None)
    log = open(home / "server.log", "w")  # noqa: SIM115 (closed at exit)
    process = subprocess.Popen(
        [sys.executable, "-m", "tryon", "serve", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    atexit.register(process.terminate)
    atexit.register(log.close)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"tryon serve exited; see {home / 'server.log'}")
        try:
            if requests.get(url + "/config", timeout=2).status_code == 200:
                return url
        except requests.ConnectionError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"tryon serve did not start; see {home / 'server.log'}")


def _photo_path(home: Path) -> Path:
    if TESTDATA_PHOTO.exists():
        return TESTDATA_PHOTO
    from PIL import Image
    from skimage import data

    path = home / "astronaut.png"
    Image.fromarray(data.astronaut()).save(path)
    return path


@benchmark(
    "upload_to_first_picture",
    "photo upload to the first try-on picture through tryon serve (gradio_client)",
)
def upload_to_first_picture() -> Case:
    """Times one photo try-on through a running ``tryon serve``."""
    from gradio_client import Client, handle_file

    from ui.services import Services

    settings = _private_settings()
    services = Services(settings)
    garment = _top_id(services)
    path = "try-on" if services.has_pipeline() and garment else "pose only"
    url = _start_server(settings.home)
    client = Client(url + "/", verbose=False)
    photo = str(_photo_path(settings.home))

    def subject() -> None:
        picture = client.predict(
            handle_file(photo),
            None,
            garment,
            None,
            "bench-shopper",
            api_name="/try_on_photo",
        )[0]
        if not picture:
            raise RuntimeError("the server sent no picture")

    case = Case(subject=subject, budget_ms=PHOTO_BUDGET_MS, warmup=2)
    case.extra["path"] = path
    return case
