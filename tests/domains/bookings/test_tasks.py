"""The beat's sweeps: unpaid holds expire and release their dates, unanswered paid requests
expire with a full refund, stays complete after check-out. Running them twice changes
nothing more."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from domains.bookings import tasks
from domains.bookings.availability import is_available
from domains.bookings.models import BookingStatus
from domains.payments.models import PaymentStatus
from tests.domains.bookings.helpers import booking
from tests.factories import BookingFactory, PaymentFactory, PropertyFactory

pytestmark = pytest.mark.django_db


def past_hold(**fields):
    return BookingFactory(hold_expires_at=timezone.now() - timedelta(seconds=1), **fields)


def sweep(capture, task) -> int:
    with capture(execute=True):
        return task.delay().get()


def test_an_unpaid_hold_expires_and_frees_its_dates(django_capture_on_commit_callbacks, mailoutbox):
    expired = past_hold()
    live = BookingFactory()  # its hold is still running
    assert not is_available(
        property_id=expired.property_id, check_in=expired.check_in, check_out=expired.check_out
    )
    assert sweep(django_capture_on_commit_callbacks, tasks.expire_holds) == 1
    expired.refresh_from_db()
    live.refresh_from_db()
    assert (expired.status, live.status) == (BookingStatus.EXPIRED, BookingStatus.PENDING)
    assert is_available(
        property_id=expired.property_id, check_in=expired.check_in, check_out=expired.check_out
    )
    # the guest hears of it; the host never heard of an unpaid hold
    assert [m.to for m in mailoutbox] == [[expired.guest.email]]
    assert sweep(django_capture_on_commit_callbacks, tasks.expire_holds) == 0  # idempotent


def test_failed_payment_still_expires_but_processing_waits(django_capture_on_commit_callbacks):
    failed = PaymentFactory(booking=past_hold(), status=PaymentStatus.FAILED)
    processing = PaymentFactory(booking=past_hold(), status=PaymentStatus.PROCESSING)
    assert sweep(django_capture_on_commit_callbacks, tasks.expire_holds) == 1
    failed.booking.refresh_from_db()
    processing.booking.refresh_from_db()
    assert failed.booking.status == BookingStatus.EXPIRED
    assert processing.booking.status == BookingStatus.PENDING
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED  # the dev provider confirmed the cancellation


def test_a_paid_request_the_host_left_unanswered_expires_refunded(flow, user, mailoutbox):
    listing = PropertyFactory(instant_book=False)
    made = flow.paid_booking(user, listing)
    stored = booking(made["id"])
    stored.hold_expires_at = timezone.now() - timedelta(minutes=1)
    stored.save()
    mailoutbox.clear()
    assert sweep(flow.capture, tasks.expire_holds) == 1
    stored.refresh_from_db()
    assert stored.status == BookingStatus.EXPIRED
    assert stored.refund_amount == stored.total
    assert stored.payment.status == PaymentStatus.REFUNDED
    assert {m.to[0] for m in mailoutbox} == {user.email, listing.host.email}


def test_confirmed_stays_complete_after_check_out(django_capture_on_commit_callbacks):
    today = date.today()
    over = BookingFactory(
        status=BookingStatus.CONFIRMED,
        check_in=today - timedelta(days=3),
        check_out=today,
    )
    ongoing = BookingFactory(
        status=BookingStatus.CONFIRMED,
        check_in=today - timedelta(days=1),
        check_out=today + timedelta(days=1),
    )
    pending = BookingFactory(check_in=today - timedelta(days=3), check_out=today)
    assert sweep(django_capture_on_commit_callbacks, tasks.complete_stays) == 1
    for item in (over, ongoing, pending):
        item.refresh_from_db()
    assert over.status == BookingStatus.COMPLETED
    assert ongoing.status == BookingStatus.CONFIRMED
    assert pending.status == BookingStatus.PENDING
    assert sweep(django_capture_on_commit_callbacks, tasks.complete_stays) == 0


def test_both_sweeps_are_scheduled():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"domains.bookings.tasks.expire_holds", "domains.bookings.tasks.complete_stays"} <= (
        scheduled
    )
    from celery import current_app

    assert {"domains.bookings.tasks.expire_holds", "domains.bookings.tasks.complete_stays"} <= set(
        current_app.tasks
    )
