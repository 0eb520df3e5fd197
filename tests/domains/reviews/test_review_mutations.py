"""reviewCreate and reviewRespond: who may, when, once, and the listing's aggregates."""

from datetime import date, timedelta

import pytest
from django.core import mail
from strawberry.relay import to_base64

from domains.bookings.models import BookingStatus
from domains.reviews.models import Review
from tests.factories import BookingFactory, PropertyFactory, ReviewFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE = """
mutation ($input: ReviewCreateInput!) {
  reviewCreate(input: $input) {
    review {
      id rating comment createdAt author { id name }
      property { id averageRating reviewCount ratingHistogram { rating count } }
    }
    booking { id canReview }
    errors { field code message }
  }
}
"""
RESPOND = """
mutation ($input: ReviewRespondInput!) {
  reviewRespond(input: $input) {
    review { id response respondedAt }
    errors { field code message }
  }
}
"""


def completed_stay(**kwargs):
    kwargs.setdefault("check_in", date.today() - timedelta(days=4))
    kwargs.setdefault("check_out", date.today() - timedelta(days=1))
    return BookingFactory(status=BookingStatus.COMPLETED, **kwargs)


def review_input(booking, rating=5, comment="Lovely place."):
    return {
        "input": {
            "bookingId": to_base64("Booking", booking.pk),
            "rating": rating,
            "comment": comment,
        }
    }


def create(gql, booking, **kwargs):
    return gql.login(booking.guest)(CREATE, review_input(booking, **kwargs))["data"]["reviewCreate"]


def codes(payload):
    return [(e["field"], e["code"]) for e in payload["errors"]]


def test_guest_reviews_a_completed_stay_and_the_host_hears_of_it(
    gql, django_capture_on_commit_callbacks
):
    stay = completed_stay()
    with django_capture_on_commit_callbacks(execute=True):
        payload = create(gql, stay, rating=4, comment="Great view, noisy street.")
    assert payload["errors"] == []
    review = payload["review"]
    assert review["rating"] == 4 and review["comment"] == "Great view, noisy street."
    assert review["author"] == {"id": to_base64("User", stay.guest_id), "name": stay.guest.name}
    assert review["property"]["averageRating"] == 4.0
    assert review["property"]["reviewCount"] == 1
    assert review["property"]["ratingHistogram"] == [
        {"rating": 5, "count": 0},
        {"rating": 4, "count": 1},
        {"rating": 3, "count": 0},
        {"rating": 2, "count": 0},
        {"rating": 1, "count": 0},
    ]
    assert payload["booking"] == {"id": to_base64("Booking", stay.pk), "canReview": False}
    assert [m.to for m in mail.outbox] == [[stay.property.host.email]]
    assert "4-star" in mail.outbox[0].subject


def test_aggregates_follow_every_review(gql):
    listing = PropertyFactory()
    for rating in (5, 4, 4, 1):
        payload = create(gql, completed_stay(property=listing), rating=rating)
        assert payload["errors"] == []
    listing.refresh_from_db()
    assert listing.review_count == 4
    assert str(listing.rating_average) == "3.50"
    assert listing.rating_histogram == [1, 0, 0, 2, 1]


def test_signed_out_reviewers_are_unauthenticated(gql):
    result = gql(CREATE, review_input(completed_stay()))
    assert result["data"] is None
    assert result["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_somebody_elses_booking_is_not_found(gql):
    payload = gql.login(UserFactory())(CREATE, review_input(completed_stay()))
    assert codes(payload["data"]["reviewCreate"]) == [("bookingId", "NOT_FOUND")]


@pytest.mark.parametrize("bad_id", ["nonsense", to_base64("Property", 1), to_base64("Booking", 0)])
def test_malformed_booking_ids_are_not_found(gql, bad_id):
    payload = gql.login(UserFactory())(
        CREATE, {"input": {"bookingId": bad_id, "rating": 5, "comment": "x"}}
    )["data"]["reviewCreate"]
    assert codes(payload) == [("bookingId", "NOT_FOUND")]


def test_the_host_may_see_the_booking_but_not_review_it(gql):
    stay = completed_stay()
    payload = gql.login(stay.property.host)(CREATE, review_input(stay))["data"]["reviewCreate"]
    assert codes(payload) == [("bookingId", "FORBIDDEN")]


@pytest.mark.parametrize(
    "status",
    [
        BookingStatus.PENDING,
        BookingStatus.CONFIRMED,
        BookingStatus.CANCELLED,
        BookingStatus.DECLINED,
        BookingStatus.EXPIRED,
    ],
)
def test_only_completed_stays_can_be_reviewed(gql, status):
    stay = completed_stay()
    stay.status = status
    stay.save()
    assert codes(create(gql, stay)) == [("bookingId", "INVALID_STATE")]


def test_the_review_window_closes_after_14_days(gql):
    last_day = completed_stay(
        check_in=date.today() - timedelta(days=17), check_out=date.today() - timedelta(days=14)
    )
    assert create(gql, last_day)["errors"] == []
    too_late = completed_stay(
        check_in=date.today() - timedelta(days=18), check_out=date.today() - timedelta(days=15)
    )
    assert codes(create(gql, too_late)) == [("bookingId", "REVIEW_WINDOW_CLOSED")]


def test_one_review_per_stay(gql):
    stay = completed_stay()
    assert create(gql, stay)["errors"] == []
    assert codes(create(gql, stay)) == [("bookingId", "ALREADY_REVIEWED")]
    assert Review.objects.filter(booking=stay).count() == 1


@pytest.mark.parametrize(
    ("rating", "comment", "expected"),
    [
        (0, "ok", [("rating", "INVALID")]),
        (6, "ok", [("rating", "INVALID")]),
        (5, "   ", [("comment", "REQUIRED")]),
        (5, "x" * 2001, [("comment", "INVALID")]),
        (9, "", [("rating", "INVALID"), ("comment", "REQUIRED")]),
    ],
)
def test_bad_rating_or_comment(gql, rating, comment, expected):
    stay = completed_stay()
    assert codes(create(gql, stay, rating=rating, comment=comment)) == expected
    assert not Review.objects.exists()


def test_comments_are_stored_and_returned_as_plain_text(gql):
    text = "<script>alert('x')</script> & <b>bold</b>\nsecond line"
    review = create(gql, completed_stay(), comment=text)["review"]
    assert review["comment"] == text
    assert Review.objects.get().comment == text


def respond(gql, user, review, response="Thank you for staying!"):
    variables = {"input": {"reviewId": to_base64("Review", review.pk), "response": response}}
    return gql.login(user)(RESPOND, variables)["data"]["reviewRespond"]


def test_host_responds_once_and_the_guest_hears_of_it(gql, django_capture_on_commit_callbacks):
    review = ReviewFactory()
    with django_capture_on_commit_callbacks(execute=True):
        payload = respond(gql, review.property.host, review)
    assert payload["errors"] == []
    assert payload["review"]["response"] == "Thank you for staying!"
    assert payload["review"]["respondedAt"]
    assert [m.to for m in mail.outbox] == [[review.author.email]]
    assert codes(respond(gql, review.property.host, review, "Again")) == [
        ("reviewId", "ALREADY_RESPONDED")
    ]
    review.refresh_from_db()
    assert review.response == "Thank you for staying!"


def test_only_the_listings_host_may_respond(gql):
    review = ReviewFactory()
    assert codes(respond(gql, review.author, review)) == [("reviewId", "FORBIDDEN")]
    assert codes(respond(gql, UserFactory(is_host=True), review)) == [("reviewId", "FORBIDDEN")]


def test_response_window_closes_14_days_after_the_review(gql):
    from django.utils import timezone

    review = ReviewFactory()
    Review.objects.filter(pk=review.pk).update(created_at=timezone.now() - timedelta(days=15))
    assert codes(respond(gql, review.property.host, review)) == [
        ("reviewId", "REVIEW_WINDOW_CLOSED")
    ]


def test_empty_response_and_unknown_review(gql):
    review = ReviewFactory()
    assert codes(respond(gql, review.property.host, review, " \n ")) == [("response", "REQUIRED")]
    variables = {"input": {"reviewId": "garbage", "response": "Hi"}}
    payload = gql.login(review.property.host)(RESPOND, variables)["data"]["reviewRespond"]
    assert codes(payload) == [("reviewId", "NOT_FOUND")]


def test_can_review_is_true_until_the_review_exists(gql):
    stay = completed_stay()
    query = "query ($id: ID!) { node(id: $id) { ... on Booking { canReview } } }"
    variables = {"id": to_base64("Booking", stay.pk)}
    assert gql.login(stay.guest)(query, variables)["data"]["node"] == {"canReview": True}
    assert gql.login(stay.property.host)(query, variables)["data"]["node"] == {"canReview": False}
    create(gql, stay)
    assert gql.login(stay.guest)(query, variables)["data"]["node"] == {"canReview": False}
