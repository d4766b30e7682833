"""Offline evaluation on a time split of simulated traffic."""

from __future__ import annotations

import json

import pytest

from tryon.cli import main
from tryon.recommend.evaluate import hit_and_ndcg

# Wide & Deep must beat popularity on HitRate@10 by at least this much
# (measured with this seed: see the test's message on failure).
MIN_MARGIN = 0.05


def test_wide_deep_beats_popularity(evaluation):
    wide_deep = evaluation.models["wide_deep"]["hit_rate@10"]
    popularity = evaluation.models["popularity"]["hit_rate@10"]
    margin = wide_deep - popularity
    message = f"wide_deep {wide_deep:.3f} vs popularity {popularity:.3f}"
    assert margin >= MIN_MARGIN, message
    assert (
        evaluation.models["wide_deep"]["ndcg@10"]
        > evaluation.models["popularity"]["ndcg@10"]
    )


def test_evaluation_covers_the_baselines(evaluation):
    assert {"wide_deep", "popularity", "cooccurrence"} <= set(evaluation.models)
    assert evaluation.synthetic is True
    assert evaluation.garments == 48
    assert evaluation.test_shoppers > 50
    for metrics in evaluation.models.values():
        assert set(metrics) == {"hit_rate@10", "ndcg@10"}
        assert 0.0 <= metrics["ndcg@10"] <= metrics["hit_rate@10"] <= 1.0


@pytest.mark.parametrize(
    ("ranked", "relevant", "expected"),
    [
        (["a", "b", "c"], {"a"}, (1.0, 1.0)),  # first place: perfect
        (["b", "a", "c"], {"a"}, (1.0, 1 / 1.584962500721156)),  # 1 / log2(3)
        (["b", "c"], {"a"}, (0.0, 0.0)),  # missed
        (["a", "x", "b"], {"a", "b"}, (1.0, (1 + 0.5) / (1 + 1 / 1.584962500721156))),
    ],
)
def test_hit_and_ndcg_reference(ranked, relevant, expected):
    hit, ndcg = hit_and_ndcg(ranked, relevant, k=10)
    assert (hit, ndcg) == pytest.approx(expected)


def test_evaluate_command_writes_the_json(evaluation, tryon_home, monkeypatch, capsys):
    # The command's own work is tested above; here only its output.
    monkeypatch.setattr(
        "tryon.commands.recommend_cmd.evaluate", lambda log, k: evaluation
    )
    monkeypatch.setattr(
        "tryon.commands.recommend_cmd.load_event_log", lambda store: _NonEmptyLog()
    )
    path = tryon_home / "evaluation.json"
    assert main(["recommend", "--evaluate", "--json", str(path)]) == 0
    written = json.loads(path.read_text())
    assert written["models"]["wide_deep"] == evaluation.models["wide_deep"]
    assert written["models"]["popularity"] == evaluation.models["popularity"]
    assert "offline evaluation (synthetic data)" in capsys.readouterr().out


class _NonEmptyLog:
    class purchases:  # noqa: N801 - stands in for a DataFrame attribute
        empty = False
