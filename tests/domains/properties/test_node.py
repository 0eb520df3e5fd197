"""A listing through `node`: its fields, its visibility, and a bounded number of queries."""

import pytest
from strawberry.relay import to_base64

from tests.factories import PropertyFactory, UserFactory, amenity

pytestmark = pytest.mark.django_db

DETAIL = """
query ($id: ID!) {
  node(id: $id) {
    ... on Property {
      id title city latitude bathrooms propertyType cancellationPolicy isPublished
      pricePerNight { amount currency } cleaningFee { amount currency } averageRating
      reviewCount coverPhoto { id url } host { id name } amenities { code name }
      photos { id url caption position }
    }
  }
}
"""


def test_a_published_listing_shows_its_fields(gql, django_assert_max_num_queries):
    listing = PropertyFactory(title="Loft", city="Porto")
    listing.amenities.set([amenity("wifi"), amenity("kitchen")])
    with django_assert_max_num_queries(4):
        node = gql(DETAIL, {"id": to_base64("Property", listing.pk)})["data"]["node"]
    assert node["title"] == "Loft" and node["city"] == "Porto"
    assert node["pricePerNight"] == {"amount": "100.00", "currency": "EUR"}
    assert node["bathrooms"] == 1.5 and node["latitude"] == pytest.approx(38.722252)
    assert node["propertyType"] == "APARTMENT" and node["cancellationPolicy"] == "MODERATE"
    assert node["averageRating"] is None and node["reviewCount"] == 0
    assert node["coverPhoto"] is None and node["photos"] == []
    assert node["host"] == {"id": to_base64("User", listing.host_id), "name": listing.host.name}
    assert {a["code"] for a in node["amenities"]} == {"wifi", "kitchen"}


def test_unpublished_listing_is_visible_to_its_host_only(gql):
    listing = PropertyFactory(is_published=False)
    variables = {"id": to_base64("Property", listing.pk)}
    assert gql(DETAIL, variables)["data"]["node"] is None
    assert gql.login(UserFactory())(DETAIL, variables)["data"]["node"] is None
    assert gql.login(listing.host)(DETAIL, variables)["data"]["node"]["isPublished"] is False


def test_deleted_listing_is_gone_even_for_its_host(gql):
    from django.utils import timezone

    listing = PropertyFactory(deleted_at=timezone.now())
    variables = {"id": to_base64("Property", listing.pk)}
    assert gql.login(listing.host)(DETAIL, variables)["data"]["node"] is None


def test_amenities_list(gql):
    amenities = gql("{ amenities { code name } }")["data"]["amenities"]
    assert {"code": "wifi", "name": "Wifi"} in amenities
    assert len(amenities) == 30
