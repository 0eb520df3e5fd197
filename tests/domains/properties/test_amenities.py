"""The amenity catalogue: served from the cache, refreshed when an amenity changes."""

import pytest

from domains.properties import selectors
from domains.properties.models import Amenity

pytestmark = pytest.mark.django_db

AMENITIES = "query Amenities { amenities { code name } }"


def test_the_catalogue_is_read_once_then_served_from_the_cache(gql, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = gql(AMENITIES)["data"]["amenities"]
    with django_assert_num_queries(0):
        again = gql(AMENITIES)["data"]["amenities"]
    assert first == again
    names = [a["name"] for a in first]
    assert names == sorted(names) and {"code": "wifi", "name": "Wifi"} in first


def test_a_changed_amenity_refreshes_the_cache(gql, django_capture_on_commit_callbacks):
    gql(AMENITIES)
    with django_capture_on_commit_callbacks(execute=True):
        sauna = Amenity.objects.create(code="sauna", name="Sauna")
    assert {"code": "sauna", "name": "Sauna"} in gql(AMENITIES)["data"]["amenities"]
    assert selectors.amenity_ids_by_code()["sauna"] == sauna.pk
    with django_capture_on_commit_callbacks(execute=True):
        sauna.name = "Finnish sauna"
        sauna.save()
    assert {"code": "sauna", "name": "Finnish sauna"} in gql(AMENITIES)["data"]["amenities"]
    with django_capture_on_commit_callbacks(execute=True):
        sauna.delete()
    assert "sauna" not in {a["code"] for a in gql(AMENITIES)["data"]["amenities"]}
    assert "sauna" not in selectors.amenity_ids_by_code()
