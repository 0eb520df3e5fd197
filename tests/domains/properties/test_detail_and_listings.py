"""PropertyDetail (photos, amenities, host, reviews connection) and User.listings, with query
counts that do not grow with the lists."""

from datetime import timedelta

import pytest
from django.utils import timezone
from strawberry.relay import to_base64

from domains.properties.models import Amenity, Property, PropertyPhoto
from domains.reviews.models import Review
from tests.domains.properties.documents import DETAIL, MY_LISTINGS
from tests.factories import PropertyFactory, ReviewFactory, UserFactory, amenity

pytestmark = pytest.mark.django_db

SIZE = {"width": 800, "height": 600}

PROFILE = """
query UserProfile($id: ID!) {
  node(id: $id) {
    ... on User { id name listings(first: 6) { totalCount edges { node { id title city } } } }
  }
}
"""


def detail(gql, listing, reviews_first=None) -> dict:
    variables = {"id": to_base64("Property", listing.pk)}
    if reviews_first is not None:
        variables["reviewsFirst"] = reviews_first
    result = gql(DETAIL, variables)
    assert "errors" not in result, result
    return result["data"]["node"]


def furnished(n: int) -> Property:
    """A listing with n photos, n amenities and n reviews (the newest last)."""
    listing = PropertyFactory()
    listing.amenities.set(Amenity.objects.all()[:n])
    for position in range(n):
        PropertyPhoto.objects.create(
            property=listing, image=f"p/{position}.jpg", position=position, **SIZE
        )
    for i in range(n):
        review = ReviewFactory(booking__property=listing, rating=1 + i % 5, comment=f"Stay {i}")
        Review.objects.filter(pk=review.pk).update(
            created_at=timezone.now() - timedelta(days=n - i)
        )
    return listing


def test_detail_shows_photos_amenities_host_and_newest_reviews_first(gql):
    listing = furnished(3)
    node = detail(gql, listing, reviews_first=2)
    assert [p["position"] for p in node["photos"]] == [0, 1, 2]
    assert node["coverPhoto"]["id"] == node["photos"][0]["id"]
    assert len(node["amenities"]) == 3
    assert node["host"]["name"] == listing.host.name and node["host"]["dateJoined"]
    reviews = node["reviews"]
    assert reviews["totalCount"] == 3 and reviews["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["comment"] for e in reviews["edges"]] == ["Stay 2", "Stay 1"]
    author = reviews["edges"][0]["node"]["author"]
    assert author["name"] and author["avatar"] is None


def test_reviews_page_on(gql):
    listing = furnished(3)
    query = """query ($id: ID!, $after: String) { node(id: $id) { ... on Property {
      reviews(first: 2, after: $after) { edges { node { comment } } pageInfo { hasNextPage } }
    } } }"""
    variables = {"id": to_base64("Property", listing.pk)}
    first = gql(query, variables)["data"]["node"]["reviews"]
    after = to_base64("arrayconnection", 1)
    second = gql(query, {**variables, "after": after})["data"]["node"]["reviews"]
    assert [e["node"]["comment"] for e in first["edges"]] == ["Stay 2", "Stay 1"]
    assert [e["node"]["comment"] for e in second["edges"]] == ["Stay 0"]
    assert second["pageInfo"]["hasNextPage"] is False


def test_a_listing_without_reviews_has_an_empty_connection(gql, django_assert_num_queries):
    listing = PropertyFactory()
    with django_assert_num_queries(5):  # no COUNT for an empty first page
        node = detail(gql, listing)
    assert node["reviews"]["totalCount"] == 0 and node["reviews"]["edges"] == []


def test_an_empty_page_of_reviews_still_counts_them(gql):
    listing = furnished(2)
    query = """query ($id: ID!, $after: String) { node(id: $id) { ... on Property {
      zero: reviews(first: 0) { totalCount edges { cursor } }
      past: reviews(first: 5, after: $after) { totalCount edges { cursor } }
    } } }"""
    variables = {"id": to_base64("Property", listing.pk), "after": to_base64("arrayconnection", 1)}
    node = gql(query, variables)["data"]["node"]
    assert node["zero"] == {"totalCount": 2, "edges": []}
    assert node["past"] == {"totalCount": 2, "edges": []}


def test_detail_query_count_does_not_grow_with_its_lists(gql, django_assert_num_queries):
    small, large = furnished(1), furnished(5)
    # The listing with its host, amenities, photos, cover photo, reviews page with authors.
    for listing in (small, large):
        with django_assert_num_queries(5):
            node = detail(gql, listing, reviews_first=5)
        assert len(node["reviews"]["edges"]) == len(node["photos"])


def test_detail_signed_in_costs_one_query_more_for_the_viewer(gql, django_assert_num_queries):
    listing = furnished(2)
    client = gql.login(UserFactory())
    with django_assert_num_queries(6):
        detail(client, listing)


# --- User.listings -------------------------------------------------------------------------------


def _listings_of_a_host():
    host = UserFactory(is_host=True)
    for title, published, age in [("Old", True, 9), ("Draft", False, 5), ("New", True, 1)]:
        listing = PropertyFactory(host=host, title=title, is_published=published)
        Property.objects.filter(pk=listing.pk).update(
            created_at=timezone.now() - timedelta(days=age)
        )
    PropertyFactory(host=host, title="Deleted", deleted_at=timezone.now())
    PropertyFactory(title="Somebody else's")
    return host


def test_my_listings_are_all_of_mine_newest_first(gql):
    host = _listings_of_a_host()
    me = gql.login(host)(MY_LISTINGS, {})["data"]["me"]
    listings = me["listings"]
    assert [e["node"]["title"] for e in listings["edges"]] == ["New", "Draft", "Old"]
    assert [e["node"]["isPublished"] for e in listings["edges"]] == [True, False, True]
    assert listings["totalCount"] == 3


def test_another_members_listings_are_the_published_ones(gql):
    host = _listings_of_a_host()
    variables = {"id": to_base64("User", host.pk)}
    for client in (gql, gql.login(UserFactory())):
        listings = client(PROFILE, variables)["data"]["node"]["listings"]
        assert [e["node"]["title"] for e in listings["edges"]] == ["New", "Old"]
        assert listings["totalCount"] == 2


def test_my_listings_page_on(gql):
    host = _listings_of_a_host()
    client = gql.login(host)
    first = client(MY_LISTINGS, {"first": 2})["data"]["me"]["listings"]
    assert first["pageInfo"]["hasNextPage"] is True
    after = first["pageInfo"]["endCursor"]
    rest = client(MY_LISTINGS, {"first": 2, "after": after})["data"]["me"]["listings"]
    assert [e["node"]["title"] for e in rest["edges"]] == ["Old"]


def test_my_listings_query_count_does_not_grow_with_the_page(gql, django_assert_num_queries):
    host = UserFactory(is_host=True)
    for i in range(20):
        listing = PropertyFactory(host=host)
        PropertyPhoto.objects.create(property=listing, image=f"p/{i}.jpg", **SIZE)
    client = gql.login(host)
    # The viewer, the page with totalCount and host, the cover photos.
    for first in (1, 20):
        with django_assert_num_queries(3):
            page = client(MY_LISTINGS, {"first": first})["data"]["me"]["listings"]
        assert len(page["edges"]) == first


def test_amenities_of_a_listing(gql):
    listing = PropertyFactory()
    listing.amenities.set([amenity("pool")])
    assert detail(gql, listing)["amenities"] == [{"code": "pool", "name": "Pool"}]


def test_attributes_take_strawberrys_basic_path_and_lists_do_not():
    """domains/properties/graphql/fields.py: columns and the host skip the resolver machinery;
    lists keep it (their querysets need the optimizer's hooks)."""
    from domains.properties.graphql.types import PropertyNode

    fields = {f.python_name: f for f in PropertyNode.__strawberry_definition__.fields}
    assert all(fields[name].is_basic_field for name in ("title", "latitude", "host"))
    assert not any(fields[name].is_basic_field for name in ("amenities", "photos", "reviews"))
