"""Review lists: newest first, public, and a query count that does not grow with the page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from strawberry.relay import to_base64

from domains.reviews.models import Review
from domains.reviews.services import property_rating_refresh
from tests.factories import PropertyFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

PROPERTY_REVIEWS = """
query PropertyReviews($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Property {
      id averageRating reviewCount ratingHistogram { rating count }
      reviews(first: $first, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id rating comment response createdAt author { id name } } }
      }
    }
  }
}
"""
USER_REVIEWS = """
query ($id: ID!, $first: Int) {
  node(id: $id) {
    ... on User {
      reviews(first: $first) { totalCount edges { node { id rating property { id title } } } }
    }
  }
}
"""


def reviews_of(listing, count):
    reviews = [ReviewFactory(booking__property=listing, rating=1 + i % 5) for i in range(count)]
    # Distinct, known ages: the newest is the last made.
    now = timezone.now()
    for age, review in enumerate(reversed(reviews)):
        Review.objects.filter(pk=review.pk).update(created_at=now - timedelta(hours=age))
    property_rating_refresh(property_id=listing.pk)
    return reviews


def test_property_reviews_newest_first_with_pages(gql):
    listing = PropertyFactory()
    reviews = reviews_of(listing, 5)
    variables = {"id": to_base64("Property", listing.pk), "first": 2}
    node = gql(PROPERTY_REVIEWS, variables)["data"]["node"]
    page = node["reviews"]
    assert page["totalCount"] == 5 and page["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in page["edges"]] == [
        to_base64("Review", r.pk) for r in reversed(reviews[-2:])
    ]
    assert node["reviewCount"] == 5
    assert sum(bucket["count"] for bucket in node["ratingHistogram"]) == 5
    rest = gql(PROPERTY_REVIEWS, {**variables, "after": page["pageInfo"]["endCursor"], "first": 10})
    ids = [e["node"]["id"] for e in rest["data"]["node"]["reviews"]["edges"]]
    assert ids == [to_base64("Review", r.pk) for r in reversed(reviews[:3])]


@pytest.mark.parametrize("signed_in", [False, True])
def test_property_reviews_query_count_does_not_grow_with_the_page(gql, signed_in):
    listing = PropertyFactory()
    reviews_of(listing, 20)
    client = gql.login(UserFactory()) if signed_in else gql
    counts = []
    for first in (1, 20):
        with CaptureQueriesContext(connection) as queries:
            result = client(
                PROPERTY_REVIEWS, {"id": to_base64("Property", listing.pk), "first": first}
            )
        assert len(result["data"]["node"]["reviews"]["edges"]) == first
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3 + signed_in


def test_user_reviews_are_public_and_batched(gql, django_assert_max_num_queries):
    author = UserFactory()
    for _ in range(6):
        ReviewFactory(booking__guest=author)
    variables = {"id": to_base64("User", author.pk), "first": 6}
    with django_assert_max_num_queries(4):  # the viewer, the member, the page, its listings
        page = gql.login(UserFactory())(USER_REVIEWS, variables)["data"]["node"]["reviews"]
    assert page["totalCount"] == 6
    assert len({e["node"]["property"]["id"] for e in page["edges"]}) == 6
