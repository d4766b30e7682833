"""The ``tryon`` command line.

The parser below is the contract that scripts and the team's checks rely
on (see DESIGN.md); every flag is documented in ``--help``. Each
subcommand's work lives in ``tryon.commands.<name>.run(args) -> int``,
imported only when that subcommand runs, so that ``tryon --help`` is fast
and needs neither mediapipe nor OpenGL.

Exit status: 0 on success, 2 for bad input (one line on stderr that says
what was wrong and what to do), 1 for anything else.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from tryon.errors import is_user_error
from tryon.logs import configure_logging
from tryon.settings import load_settings

__all__ = ["build_parser", "main"]

logger = logging.getLogger(__name__)

SIZES_HELP = "size label, for example M or 38 (default: the recommended size)"


def _add_serve(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="run the web app (shopper, merchant, analyst)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--port", type=int, default=7860, help="port to listen on")
    p.set_defaults(command_module="serve")


def _add_pose(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("pose", help="landmarks, mask and measurements of a person")
    p.add_argument("photo", help="photo file (JPEG, PNG, WebP, HEIC)")
    p.add_argument(
        "--height-cm", type=float, help="the person's height (default: typical adult)"
    )
    p.add_argument("--out", help="write the photo with landmarks drawn to this PNG")
    p.add_argument("--json", help="write landmarks and measurements to this JSON")
    p.set_defaults(command_module="pose_cmd")


def _add_fit(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fit", help="try a garment on the person in a photo")
    p.add_argument("photo", help="photo file (JPEG, PNG, WebP, HEIC)")
    p.add_argument("--garment", required=True, help="garment id (tryon garments list)")
    p.add_argument("--size", help=SIZES_HELP)
    p.add_argument("--height-cm", type=float, help="the person's height")
    p.add_argument("--out", required=True, help="the try-on picture (PNG)")
    p.add_argument("--report", help="write the try-on report to this JSON")
    p.add_argument(
        "--mask", help="write the garment's visible coverage to this PNG (0/255)"
    )
    p.add_argument(
        "--fit-map", help="also write the strain fit-map picture to this PNG"
    )
    p.set_defaults(command_module="fit_cmd")


def _add_garments(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("garments", help="the garment catalog")
    gsub = p.add_subparsers(dest="garments_command", required=True)

    ls = gsub.add_parser("list", help="list the garments")
    ls.add_argument("--json", action="store_true", help="print a JSON array")

    show = gsub.add_parser("show", help="one garment with its import report")
    show.add_argument("id", help="garment id")
    show.add_argument("--json", action="store_true", help="print JSON")

    imp = gsub.add_parser(
        "import", help="import a mesh file; what is left out is detected"
    )
    imp.add_argument("file", help="OBJ, GLB/glTF, PLY, STL, OFF, or a .zip/.bz2")
    imp.add_argument("--name", help="display name (default: from the file)")
    imp.add_argument(
        "--category",
        choices=["top", "bottom", "dress", "outerwear"],
        help="garment category (default: detected from the shape)",
    )
    imp.add_argument(
        "--units", choices=["m", "dm", "cm", "mm"], help="units of the file"
    )
    imp.add_argument("--up", choices=["y", "z"], help="up axis of the file")
    imp.add_argument(
        "--fabric",
        choices=["jersey", "woven_cotton", "denim", "silk", "wool"],
        help="fabric preset (default: by category)",
    )
    imp.add_argument("--colour", help="base colour as #rrggbb")
    imp.add_argument("--price", type=float, help="price in the store's currency")
    imp.add_argument("--sizes", help="comma-separated size labels (default XS..XXL)")
    imp.add_argument("--tags", help="comma-separated tags")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")

    prev = gsub.add_parser("preview", help="the garment on the mannequin")
    prev.add_argument("id", help="garment id")
    prev.add_argument("--size", help="size label (default: the base size)")
    prev.add_argument("--out", required=True, help="FILE.png or FILE.glb")

    rm = gsub.add_parser("remove", help="remove a garment from the catalog")
    rm.add_argument("id", help="garment id")
    p.set_defaults(command_module="garments_cmd")


def _add_simulate(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate", help="write synthetic (labelled) shopper traffic to the store"
    )
    p.add_argument("--shoppers", type=int, default=500, help="number of shoppers")
    p.add_argument("--days", type=int, default=60, help="days of traffic")
    p.add_argument("--seed", type=int, default=0, help="random seed")
    p.set_defaults(command_module="simulate_cmd")


def _add_recommend(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("recommend", help="recommendations and their evaluation")
    p.add_argument("shopper", nargs="?", help="shopper id")
    p.add_argument("--k", type=int, default=10, help="number of items")
    p.add_argument(
        "--evaluate",
        action="store_true",
        help="offline evaluation on a time split of the store's events",
    )
    p.add_argument("--json", help="with --evaluate: write the metrics to this JSON")
    p.add_argument(
        "--retrain",
        action="store_true",
        help="retrain the model on every event in the store before recommending",
    )
    p.set_defaults(command_module="recommend_cmd")


def _add_report(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="the analysts' reports")
    p.add_argument(
        "kind",
        choices=["returns", "fit", "conversion"],
        help="returns by garment, size and reason; fit label against return "
        "reason; conversion from try-on to purchase",
    )
    p.add_argument("--since", help="first day, YYYY-MM-DD (default: all)")
    p.add_argument("--csv", help="also write the table to this CSV file")
    p.set_defaults(command_module="report_cmd")


def _add_bench(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bench", help="performance benchmarks (table and JSON)")
    p.add_argument("--json", help="write the results to this JSON file")
    p.add_argument(
        "--only",
        help="comma-separated benchmark names (default: all); see --list",
    )
    p.add_argument("--list", action="store_true", help="list the benchmarks")
    p.add_argument("--repeat", type=int, default=7, help="timed runs per benchmark")
    p.set_defaults(command_module="bench_cmd")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, every flag with its help."""
    parser = argparse.ArgumentParser(
        prog="tryon",
        description="tryon: an open virtual fitting room.",
        epilog="Data directory: $TRYON_HOME (default ~/.tryon).",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="log debug messages"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for add in (
        _add_serve,
        _add_pose,
        _add_fit,
        _add_garments,
        _add_simulate,
        _add_recommend,
        _add_report,
        _add_bench,
    ):
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``tryon`` command; returns the exit status."""
    args = build_parser().parse_args(argv)
    # Headless OpenGL (EGL on Mesa) unless the caller chose a platform.
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    settings = load_settings()
    configure_logging("DEBUG" if args.verbose else settings.log_level)
    module = importlib.import_module(f"tryon.commands.{args.command_module}")
    try:
        return int(module.run(args, settings) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # the one place that turns errors into statuses
        if is_user_error(error):
            print(f"tryon: error: {error}", file=sys.stderr)
            return 2
        logger.exception("tryon %s failed", args.command)
        return 1


if __name__ == "__main__":
    sys.exit(main())
