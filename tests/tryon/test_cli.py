"""The command line's contract: every subcommand documents its flags."""

from __future__ import annotations

import argparse
import subprocess
import sys

import pytest

from tryon.cli import build_parser, main

SUBCOMMANDS = [
    ["serve"],
    ["pose"],
    ["fit"],
    ["garments"],
    ["garments", "list"],
    ["garments", "show"],
    ["garments", "import"],
    ["garments", "preview"],
    ["garments", "remove"],
    ["simulate"],
    ["recommend"],
    ["report"],
    ["bench"],
]


@pytest.mark.parametrize("words", SUBCOMMANDS, ids=" ".join)
def test_every_flag_has_help(words, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*words, "--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: tryon")


def _actions(parser: argparse.ArgumentParser):
    """Every (program, action) of ``parser`` and its subcommands."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _actions(sub)
        elif action.dest != "help":
            yield parser.prog, action


def test_no_argument_is_left_without_help():
    for prog, action in _actions(build_parser()):
        assert action.help, f"{prog} {action.dest} has no help"


def test_help_is_fast_and_needs_no_heavy_imports():
    code = (
        "import sys; from tryon.cli import build_parser; build_parser(); "
        "heavy = {'mediapipe', 'pyrender', 'torch', 'gradio'} & set(sys.modules); "
        "print(sorted(heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_missing_photo_exits_2_with_one_line(tmp_path, tryon_home, capsys):
    status = main(["pose", str(tmp_path / "absent.jpg")])
    assert status == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tryon: error: ")
