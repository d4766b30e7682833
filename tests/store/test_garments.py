"""Garment records in the store: insert, replace, update, list, remove."""

from __future__ import annotations

import pytest

from tryon.errors import InputError, NotFound


def tee(**changes) -> dict:
    record = {
        "id": "tee-01",
        "name": "Plain tee",
        "category": "top",
        "fabric": "jersey",
        "colour": "#112233",
        "price": 19.5,
        "tags": ["basic", "cotton"],
        "sizes": ["S", "M", "L"],
        "base_size": "M",
        "size_chart": {
            "S": {"chest": 92.0, "waist": 84.0, "length": 68.0},
            "M": {"chest": 98.0, "waist": 90.0, "length": 70.0},
            "L": {"chest": 104.0, "waist": 96.0, "length": 72.0},
        },
        "source_file": "tee.obj",
        "mesh_key": "abc123",
        "import_report": {"units": "cm", "problems": []},
    }
    record.update(changes)
    return record


def test_put_then_get_gives_the_record_back(store):
    store.put_garment(tee())
    assert store.get_garment("tee-01") == tee()


def test_unknown_keys_are_kept(store):
    store.put_garment(tee(description="soft", parts=["body", "sleeves"]))
    found = store.get_garment("tee-01")
    assert found["description"] == "soft"
    assert found["parts"] == ["body", "sleeves"]


def test_put_replaces_the_garment_and_its_sizes(store):
    store.put_garment(tee())
    smaller_chart = {"XS": {"chest": 86.0}, "S": {"chest": 92.0}}
    store.put_garment(tee(name="Tee v2", sizes=["XS", "S"], size_chart=smaller_chart))
    found = store.get_garment("tee-01")
    assert found["name"] == "Tee v2"
    assert found["sizes"] == ["XS", "S"]
    assert found["size_chart"] == smaller_chart
    assert len(store.list_garments()) == 1


def test_update_changes_only_the_given_fields(store):
    store.put_garment(tee())
    updated = store.update_garment("tee-01", price=25.0, tags=["sale"])
    assert updated == tee(price=25.0, tags=["sale"])
    assert store.get_garment("tee-01") == updated


def test_update_of_a_missing_garment_raises_not_found(store):
    with pytest.raises(NotFound) as caught:
        store.update_garment("nope", price=1.0)
    assert str(caught.value) == "there is no garment 'nope'; see tryon garments list"


def test_list_is_ordered_by_name(store):
    store.put_garment(tee(id="b", name="Zip hoodie"))
    store.put_garment(tee(id="a", name="Anorak"))
    assert [g["id"] for g in store.list_garments()] == ["a", "b"]


def test_remove(store):
    store.put_garment(tee())
    assert store.remove_garment("tee-01") is True
    assert store.remove_garment("tee-01") is False
    assert store.get_garment("tee-01") is None
    assert store.list_garments() == []


def test_a_record_without_a_name_is_refused(store):
    with pytest.raises(InputError) as caught:
        store.put_garment({"id": "x", "category": "top"})
    assert str(caught.value) == "garment record has no 'name'; give the garment a name"
    assert store.get_garment("x") is None
