"""A fake webcam for Chromium: a .y4m file made from the test video."""

from __future__ import annotations

from pathlib import Path

import numpy as np

WIDTH, HEIGHT, FPS = 640, 360, 25


def write_y4m(video: Path, out: Path, frames: int = 100) -> Path:
    """Write ``frames`` frames of ``video``, resized to 640x360, as .y4m.

    The header is ``YUV4MPEG2 W640 H360 F25:1 Ip A1:1 C420jpeg``; each
    frame is ``FRAME`` and its I420 bytes.
    """
    import cv2

    capture = cv2.VideoCapture(str(video))
    with open(out, "wb") as handle:
        handle.write(
            f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode()
        )
        written = 0
        while written < frames:
            ok, bgr = capture.read()
            if not ok:
                break
            bgr = cv2.resize(bgr, (WIDTH, HEIGHT), interpolation=cv2.INTER_AREA)
            i420 = cv2.cvtColor(bgr, cv2.COLOR_BGR2YUV_I420)  # (H * 3 / 2, W)
            handle.write(b"FRAME\n")
            handle.write(np.ascontiguousarray(i420).tobytes())
            written += 1
    capture.release()
    if written == 0:
        raise RuntimeError(f"no frames could be read from {video}")
    return out


def write_still_y4m(photo: Path, out: Path, frames: int = 25) -> Path:
    """A fake camera that shows one photo, letterboxed to 640x360, as .y4m."""
    import cv2

    bgr = cv2.imread(str(photo))
    scale = min(WIDTH / bgr.shape[1], HEIGHT / bgr.shape[0])
    size = (int(bgr.shape[1] * scale) // 2 * 2, int(bgr.shape[0] * scale) // 2 * 2)
    canvas = np.full((HEIGHT, WIDTH, 3), 128, dtype=np.uint8)  # (H, W, 3)
    top, left = (HEIGHT - size[1]) // 2, (WIDTH - size[0]) // 2
    canvas[top : top + size[1], left : left + size[0]] = cv2.resize(bgr, size)
    i420 = np.ascontiguousarray(cv2.cvtColor(canvas, cv2.COLOR_BGR2YUV_I420))
    with open(out, "wb") as handle:
        handle.write(
            f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode()
        )
        for _ in range(frames):
            handle.write(b"FRAME\n")
            handle.write(i420.tobytes())
    return out
