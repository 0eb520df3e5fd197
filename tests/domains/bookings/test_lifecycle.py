"""The reservation lifecycle through the API and the dev provider's signed webhook events:
instant book, requests (accept and decline, in either order with the payment), cancellations
with refunds by policy, and the e-mails of each step."""

from decimal import Decimal

import pytest

from domains.bookings.models import BookingStatus
from domains.payments.models import PaymentStatus
from domains.properties.models import CancellationPolicy
from tests.domains.bookings.documents import ACCEPT, CANCEL, CREATE, DECLINE
from tests.domains.bookings.helpers import booking, booking_input
from tests.factories import PropertyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def instant():
    return PropertyFactory(instant_book=True)


@pytest.fixture
def request_only():
    return PropertyFactory(instant_book=False)


def codes(result) -> list[tuple[str | None, str]]:
    return [(error["field"], error["code"]) for error in result["errors"]]


def recipients(mailoutbox) -> set[tuple[str, str]]:
    return {(message.to[0], message.subject) for message in mailoutbox}


def test_instant_book_is_confirmed_when_paid(flow, user, instant, mailoutbox):
    made = flow.book(user, instant)
    payment = flow.start_payment(user, made["id"])
    assert payment["status"] == "REQUIRES_PAYMENT"
    assert booking(made["id"]).status == BookingStatus.PENDING
    assert mailoutbox == []
    flow.provider(made["id"])
    stored = booking(made["id"])
    assert stored.status == BookingStatus.CONFIRMED and stored.confirmed_at is not None
    assert stored.payment.status == PaymentStatus.SUCCEEDED
    assert recipients(mailoutbox) == {
        (user.email, f"Your stay at {instant.title} is confirmed"),
        (instant.host.email, f"New reservation: {user.name} at {instant.title}"),
    }
    host_mail = next(m for m in mailoutbox if m.to == [instant.host.email])
    assert user.email not in host_mail.body


def test_a_failed_payment_leaves_the_booking_pending_and_a_retry_confirms(flow, user, instant):
    made = flow.book(user, instant)
    flow.start_payment(user, made["id"])
    flow.provider(made["id"], "failed")
    stored = booking(made["id"])
    assert (stored.status, stored.payment.status) == (BookingStatus.PENDING, PaymentStatus.FAILED)
    again = flow.start_payment(user, made["id"])  # the same PaymentIntent, paid again
    assert again["providerReference"] == stored.payment.provider_reference
    flow.provider(made["id"], "succeeded")
    assert booking(made["id"]).status == BookingStatus.CONFIRMED


def test_a_paid_request_waits_for_the_host_then_accept_confirms(
    flow, user, request_only, mailoutbox, settings
):
    settings.BOOKING_HOST_RESPONSE_HOURS = 24
    made = flow.paid_booking(user, request_only)
    stored = booking(made["id"])
    assert stored.status == BookingStatus.PENDING
    assert stored.payment.status == PaymentStatus.SUCCEEDED
    # the hold now lasts as long as the host may take to answer
    assert (stored.hold_expires_at - stored.payment.updated_at).total_seconds() > 23 * 3600
    assert recipients(mailoutbox) == {
        (user.email, f"Your request to stay at {request_only.title} was sent"),
        (request_only.host.email, f"New booking request for {request_only.title}"),
    }
    mailoutbox.clear()
    result = flow.act(request_only.host, ACCEPT, "bookingAccept", {"id": made["id"]})
    assert result["errors"] == []
    assert result["booking"]["status"] == "CONFIRMED"
    assert {subject for _, subject in recipients(mailoutbox)} == {
        f"Your stay at {request_only.title} is confirmed",
        f"New reservation: {user.name} at {request_only.title}",
    }


def test_accept_first_then_pay_confirms(flow, user, request_only):
    made = flow.book(user, request_only)
    accepted = flow.act(request_only.host, ACCEPT, "bookingAccept", {"id": made["id"]})
    assert accepted["errors"] == [] and accepted["booking"]["status"] == "PENDING"
    flow.start_payment(user, made["id"])
    flow.provider(made["id"])
    assert booking(made["id"]).status == BookingStatus.CONFIRMED


def test_who_may_answer_a_request(flow, user, request_only, instant):
    made = flow.book(user, request_only)
    own = flow.act(user, ACCEPT, "bookingAccept", {"id": made["id"]})
    assert codes(own) == [("id", "FORBIDDEN")]
    stranger = flow.act(UserFactory(is_host=True), ACCEPT, "bookingAccept", {"id": made["id"]})
    assert codes(stranger) == [("id", "NOT_FOUND")] and stranger["booking"] is None
    declined_by_guest = flow.act(user, DECLINE, "bookingDecline", {"id": made["id"]})
    assert codes(declined_by_guest) == [("id", "FORBIDDEN")]
    staff = flow.act(UserFactory(is_staff=True), ACCEPT, "bookingAccept", {"id": made["id"]})
    assert codes(staff) == [("id", "FORBIDDEN")]
    instant_booking = flow.book(UserFactory(), instant)
    not_a_request = flow.act(instant.host, ACCEPT, "bookingAccept", {"id": instant_booking["id"]})
    assert codes(not_a_request) == [("id", "INVALID_STATE")]
    assert (
        flow.act(request_only.host, ACCEPT, "bookingAccept", {"id": "bad"})["errors"][0]["code"]
        == "NOT_FOUND"
    )


def test_decline_refunds_in_full_and_frees_the_dates(flow, user, request_only, mailoutbox):
    made = flow.paid_booking(user, request_only)
    mailoutbox.clear()
    result = flow.act(
        request_only.host, DECLINE, "bookingDecline", {"id": made["id"], "reason": "Renovating"}
    )
    assert result["errors"] == []
    declined = result["booking"]
    assert declined["status"] == "DECLINED" and declined["canCancel"] is False
    stored = booking(made["id"])
    assert stored.refund_amount == stored.total
    assert stored.cancellation_reason == "Renovating"
    # the provider confirmed the refund through the webhook (charge.refunded)
    assert stored.payment.status == PaymentStatus.REFUNDED
    assert stored.payment.refunded_amount == stored.total
    assert any("Renovating" in m.body for m in mailoutbox if m.to == [user.email])
    # the dates are free for somebody else
    flow.book(UserFactory(), request_only)


def test_declining_twice_or_after_accepting_is_invalid(flow, user, request_only):
    made = flow.book(user, request_only)
    flow.act(request_only.host, ACCEPT, "bookingAccept", {"id": made["id"]})
    again = flow.act(request_only.host, ACCEPT, "bookingAccept", {"id": made["id"]})
    assert codes(again) == [("id", "INVALID_STATE")]
    declined = flow.act(request_only.host, DECLINE, "bookingDecline", {"id": made["id"]})
    assert codes(declined) == [("id", "INVALID_STATE")]


@pytest.mark.parametrize(
    ("policy", "days_ahead", "refund", "payment_status"),
    [
        (CancellationPolicy.FLEXIBLE, 3, "total", PaymentStatus.REFUNDED),
        (CancellationPolicy.MODERATE, 10, "total", PaymentStatus.REFUNDED),
        (CancellationPolicy.MODERATE, 3, "half", PaymentStatus.PARTIALLY_REFUNDED),
        (CancellationPolicy.STRICT, 10, "half", PaymentStatus.PARTIALLY_REFUNDED),
        (CancellationPolicy.STRICT, 3, "none", PaymentStatus.SUCCEEDED),
    ],
)
def test_guest_cancellation_refunds_by_policy(
    flow, user, mailoutbox, policy, days_ahead, refund, payment_status
):
    listing = PropertyFactory(instant_book=True, cancellation_policy=policy)
    made = flow.paid_booking(user, listing, days_ahead=days_ahead)
    mailoutbox.clear()
    result = flow.act(user, CANCEL, "bookingCancel", {"id": made["id"], "reason": "Plans changed"})
    assert result["errors"] == []
    assert result["booking"]["status"] == "CANCELLED"
    stored = booking(made["id"])
    expected = {
        "total": stored.total,
        "half": ((stored.subtotal + stored.cleaning_fee) / 2).quantize(Decimal("0.01")),
        "none": Decimal("0"),
    }[refund]
    assert stored.refund_amount == expected
    assert stored.cancelled_by == user
    assert stored.payment.refunded_amount == expected
    assert stored.payment.status == payment_status
    assert {m.to[0] for m in mailoutbox} == {user.email, listing.host.email}


def test_host_cancellation_is_refunded_in_full(flow, user):
    listing = PropertyFactory(instant_book=True, cancellation_policy=CancellationPolicy.STRICT)
    made = flow.paid_booking(user, listing, days_ahead=2)
    result = flow.act(listing.host, CANCEL, "bookingCancel", {"id": made["id"]})
    assert result["errors"] == []
    stored = booking(made["id"])
    assert stored.refund_amount == stored.total == stored.payment.refunded_amount
    assert stored.payment.status == PaymentStatus.REFUNDED


def test_cancelling_an_unpaid_booking_cancels_its_payment(flow, user, instant):
    made = flow.book(user, instant)
    flow.start_payment(user, made["id"])
    result = flow.act(user, CANCEL, "bookingCancel", {"id": made["id"]})
    assert result["errors"] == [] and result["booking"]["status"] == "CANCELLED"
    stored = booking(made["id"])
    assert stored.refund_amount is None
    # the dev provider confirmed the cancellation (payment_intent.canceled)
    assert stored.payment.status == PaymentStatus.FAILED


def test_a_payment_arriving_after_the_booking_ended_is_refunded_in_full(flow, user, instant):
    made = flow.book(user, instant)
    flow.start_payment(user, made["id"])
    stored = booking(made["id"])
    payment = stored.payment
    # the guest cancels while their (slow) payment is processing, and it then succeeds
    flow.provider(payment, "processing")
    flow.act(user, CANCEL, "bookingCancel", {"id": made["id"]})
    flow.provider(payment, "succeeded")
    stored.refresh_from_db()
    payment.refresh_from_db()
    assert stored.status == BookingStatus.CANCELLED
    assert stored.refund_amount == stored.total
    assert (payment.status, payment.refunded_amount) == (PaymentStatus.REFUNDED, stored.total)


def test_cancel_rules(flow, user, instant):
    made = flow.book(user, instant)
    stranger = flow.act(UserFactory(), CANCEL, "bookingCancel", {"id": made["id"]})
    assert codes(stranger) == [("id", "NOT_FOUND")]
    staff = flow.act(UserFactory(is_staff=True), CANCEL, "bookingCancel", {"id": made["id"]})
    assert codes(staff) == [("id", "FORBIDDEN")]
    assert flow.act(user, CANCEL, "bookingCancel", {"id": made["id"]})["errors"] == []
    again = flow.act(user, CANCEL, "bookingCancel", {"id": made["id"]})
    assert codes(again) == [("id", "INVALID_STATE")]
    too_long = flow.act(user, CANCEL, "bookingCancel", {"id": made["id"], "reason": "x" * 1001})
    assert codes(too_long) == [("reason", "INVALID")]


def test_a_started_stay_cannot_be_cancelled(flow, user, instant, settings):
    settings.BOOKING_CHECK_IN_HOUR = 0  # the stay starts at midnight of its first day
    made = flow.paid_booking(user, instant, days_ahead=0)
    assert made["canCancel"] is False
    result = flow.act(user, CANCEL, "bookingCancel", {"id": made["id"]})
    assert codes(result) == [("id", "INVALID_STATE")]
    assert booking(made["id"]).status == BookingStatus.CONFIRMED


def test_unauthenticated_mutations_are_refused(gql):
    for document, name in ((CANCEL, "x"), (ACCEPT, "x"), (DECLINE, "x")):
        body = gql(document, {"input": {"id": "x"}})
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED", name
    body = gql(CREATE, {"input": booking_input(PropertyFactory())})
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
