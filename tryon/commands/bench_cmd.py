"""``tryon bench``: run the registered benchmarks, print a table, write JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform

from tryon import bench
from tryon.errors import InputError
from tryon.settings import Settings


def _format_row(result: bench.Result) -> str:
    ratio = "" if result.ratio is None else f"{result.ratio:.2f}"
    reference = (
        ""
        if result.reference_median_ms is None
        else f"{result.reference_median_ms:.1f}"
    )
    budget = "" if result.budget_ms is None else f"{result.budget_ms:.0f}"
    return (
        f"{result.name:<34} {result.median_ms:>10.1f} {reference:>10} "
        f"{ratio:>6} {budget:>8}  {result.reference_name}"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    os.environ.setdefault("PYOPENGL_PLATFORM", "egl")
    bench.load_all()
    if args.list:
        for name, (description, _) in sorted(bench.REGISTRY.items()):
            print(f"{name:<34} {description}")
        return 0
    names = sorted(bench.REGISTRY)
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = sorted(set(wanted) - set(names))
        if unknown:
            raise InputError(
                f"unknown benchmark(s) {', '.join(unknown)}; see `tryon bench --list`"
            )
        names = wanted
    print(
        f"{'benchmark':<34} {'median ms':>10} {'ref ms':>10} "
        f"{'ratio':>6} {'budget':>8}  reference"
    )
    results = []
    for name in names:
        case = bench.REGISTRY[name][1]()
        result = bench.run_case(name, case, args.repeat)
        results.append(result)
        print(_format_row(result), flush=True)
        for key, value in result.extra.items():
            print(f"    {key}: {value}")
    if args.json:
        payload = {
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            "repeat": args.repeat,
            "results": [r.as_dict() for r in results],
        }
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=2)
    return 0
