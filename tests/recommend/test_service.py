"""Serving: the saved model, cold start, the fit re-ranking, explanations."""

from __future__ import annotations

import numpy as np
import pytest

from tests.recommend.catalog import garment_records
from tests.store.backends import fresh_store
from tryon.errors import InputError
from tryon.recommend.events import (
    garment_rows,
    load_event_log,
    load_shopper_events,
    load_shopper_log,
)
from tryon.recommend.features import profile_of, shopper_profiles
from tryon.recommend.ranking import FIT_PENALTY, score_catalog
from tryon.recommend.service import Recommender, load_model
from tryon.recommend.wide_deep import TrainSettings

# Few epochs: these tests check the plumbing, not the model's quality.
QUICK = TrainSettings(epochs=3)
BIG_BODY = {"height": 180, "chest_girth": 150, "waist_girth": 140, "hip_girth": 150}


@pytest.fixture(scope="module")
def recommender(traffic, tmp_path_factory):
    models = tmp_path_factory.mktemp("models")
    service = Recommender(traffic, models)
    service.train(QUICK)
    return service


def a_shopper_with_a_kept_purchase(store) -> tuple[str, set[str]]:
    kept = load_event_log(store).kept()
    shopper = kept["shopper_id"].value_counts().index[0]
    return shopper, set(kept.loc[kept["shopper_id"] == shopper, "garment_id"])


def test_the_saved_model_gives_the_same_recommendations(recommender, traffic):
    shopper, _ = a_shopper_with_a_kept_purchase(traffic)
    fresh = Recommender(traffic, recommender.path.parent)
    assert fresh.recommend(shopper, k=10) == recommender.recommend(shopper, k=10)


def test_kept_purchases_are_not_recommended_again(recommender, traffic):
    shopper, owned = a_shopper_with_a_kept_purchase(traffic)
    garments = {item.garment_id for item in recommender.recommend(shopper, k=44)}
    assert garments.isdisjoint(owned)


def test_cold_start_ranks_by_popularity(recommender, traffic):
    items = recommender.recommend("never-seen", k=5)
    kept = load_event_log(traffic).kept()["garment_id"].value_counts()
    assert items[0].garment_id == kept.index[0]
    assert [i.score for i in items] == sorted((i.score for i in items), reverse=True)
    assert all(i.explanation == "popular with shoppers" for i in items)
    assert all(i.size is None for i in items)  # no measurements, no size


def test_a_body_beyond_the_chart_is_warned_and_ranked_lower(recommender, traffic):
    traffic.record_tryon(
        "big-shopper", "top-00", "XXL", measurements_cm=BIG_BODY, synthetic=True
    )
    items = recommender.recommend("big-shopper", k=3)
    assert items[0].fit_label == "too tight"
    assert items[0].explanation.startswith("ranked lower: likely too tight at the ")
    assert items[0].explanation.endswith(" in your size (XXL)")

    # The re-ranking multiplies by the penalty of each garment's label.
    log = load_shopper_log(traffic, "big-shopper")
    profile = shopper_profiles(log)["big-shopper"]
    garments = log.garments.to_dict("records")
    trained = recommender.model()
    plain = score_catalog(trained, "big-shopper", profile, garments, fit_aware=False)
    aware = score_catalog(trained, "big-shopper", profile, garments)
    penalties = np.array([FIT_PENALTY[fit.label] for fit in aware.fits])
    assert aware.scores == pytest.approx(plain.scores * penalties)


def test_a_good_fit_is_explained(recommender, traffic):
    body = {"height": 165, "chest_girth": 94, "waist_girth": 78, "hip_girth": 100}
    traffic.record_tryon("m-shopper", "top-00", "M", measurements_cm=body)
    items = recommender.recommend("m-shopper", k=48)
    tops = [i for i in items if i.garment_id.startswith("top-")]
    assert tops[0].explanation.startswith("fits you well in size M")


def test_k_must_be_positive(recommender):
    with pytest.raises(InputError) as caught:
        recommender.recommend("anyone", k=0)
    assert str(caught.value) == "--k must be 1 or more, got 0"


def test_an_empty_store_cannot_train(tmp_path):
    with fresh_store("sqlite", tmp_path) as store:
        for record in garment_records(per_category=1):
            store.put_garment(record)
        with pytest.raises(InputError) as caught:
            Recommender(store, tmp_path / "models").recommend("x")
    assert str(caught.value) == (
        "the store has no kept purchase to learn from; "
        "run tryon simulate or record orders first"
    )


def test_serving_profiles_match_the_training_profiles(traffic):
    # The fast per-request profile against the pandas one used in training.
    reference = shopper_profiles(load_event_log(traffic))
    garments = {g["garment_id"]: g for g in garment_rows(traffic)}
    for shopper in sorted(reference)[:80]:
        fast = profile_of(load_shopper_events(traffic, shopper), garments)
        slow = reference[shopper]
        np.testing.assert_allclose(fast.category_share, slow.category_share)
        np.testing.assert_allclose(fast.family_share, slow.family_share)
        assert fast.log_budget == pytest.approx(slow.log_budget)
        assert fast.interactions == pytest.approx(slow.interactions)
        assert fast.measurements == slow.measurements
    assert profile_of(load_shopper_events(traffic, "nobody"), garments) is None


def test_a_model_of_another_format_is_not_loaded(recommender, tmp_path):
    import torch

    path = tmp_path / "wide_deep.pt"
    torch.save({"format": 1, "state": {}}, path)
    # Recommender.model() then trains a new one instead.
    assert load_model(path) is None
    assert load_model(recommender.path) is not None


def test_new_history_after_training_blends_in_content(recommender, traffic):
    for garment in ("top-01", "top-07", "top-01"):  # red tops
        traffic.record_tryon("after-training", garment, "M")
    events = load_shopper_events(traffic, "after-training")
    garments = garment_rows(traffic)
    profile = profile_of(events, {g["garment_id"]: g for g in garments})
    scored = score_catalog(recommender.model(), "after-training", profile, garments)
    assert scored.mode == "content_blend"
    items = recommender.recommend("after-training", k=5)
    assert sum(item.garment_id.startswith("top-") for item in items) >= 4
