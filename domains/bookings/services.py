"""Bookings: quote, book, accept, decline, cancel, expire and complete a stay.

Money: a booking is paid when it is made (requests included) and refunded through the provider
when it ends early (`domains.bookings.policies` says how much). Payment statuses come from the
provider's webhook, which calls `booking_payment_received` and `booking_payment_changed` here.

Locks: the listing row while booking (the host's date blocks lock it too), then the booking row,
then its payment row, always in this order.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from domains.bookings import availability, errors, selectors, tasks
from domains.bookings.events import publish_booking_updated
from domains.bookings.models import ACTIVE_STATUSES, Booking, BookingStatus
from domains.bookings.policies import cancellation_refund, has_started
from domains.bookings.pricing import PriceQuote, price_quote
from domains.outbox import services as outbox
from domains.payments import services as payment_services
from domains.payments.models import Payment, PaymentStatus
from domains.properties.models import Property
from domains.properties.selectors import property_visibility
from domains.shared.errors import DomainError, Forbidden, InvalidState, NotFound, ValidationFailed
from domains.shared.models import validate
from domains.shared.text import plain_text

MESSAGE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 1000
IDEMPOTENCY_KEY_MAX_LENGTH = 64


# --- input -----------------------------------------------------------------------------------
def _clean_text(value: str | None, *, field: str, max_length: int) -> str:
    """Plain text (`plain_text`), at most `max_length` characters."""
    text = plain_text(value)
    if len(text) > max_length:
        raise DomainError(f"At most {max_length} characters.", field=field)
    return text


def _clean_idempotency_key(value: str | None) -> str | None:
    key = (value or "").strip()
    if not key:
        return None
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not (key.isascii() and key.isprintable()):
        raise DomainError(
            f"Use up to {IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters.",
            field="idempotency_key",
        )
    return key


def _viewer(user):
    return user if user is not None and user.is_authenticated else None


def _listing(*, property_id: int | None, viewer, lock: bool) -> Property:
    listings = Property.objects.filter(property_visibility(_viewer(viewer)))
    if lock:
        listings = listings.select_for_update()
    listing = listings.filter(pk=property_id).first() if property_id else None
    if listing is None:
        raise NotFound("No such listing.", field="property_id")
    return listing


def _check_stay(
    *, listing: Property, viewer, check_in: date, check_out: date, guests: int
) -> PriceQuote:
    """The price of the stay, once every rule of the listing allows it."""
    today = timezone.now().date()
    problems: list[DomainError] = []
    if check_in < today:
        problems.append(DomainError("Check-in cannot be in the past.", field="check_in"))
    elif check_in > today + timedelta(days=settings.BOOKING_MAX_DAYS_AHEAD):
        problems.append(
            DomainError(
                f"Stays start at most {settings.BOOKING_MAX_DAYS_AHEAD} days ahead.",
                field="check_in",
            )
        )
    if check_out <= check_in:
        problems.append(DomainError("Check-out must be after check-in.", field="check_out"))
    if guests < 1:
        problems.append(DomainError("A stay is for one guest or more.", field="guests"))
    if problems:
        raise ValidationFailed(problems)
    viewer = _viewer(viewer)
    if viewer is not None and listing.host_id == viewer.pk:
        raise errors.OwnListing(field="property_id")
    if not listing.is_published:
        raise errors.NotPublished(field="property_id")
    if guests > listing.max_guests:
        raise errors.TooManyGuests(
            f"The place sleeps at most {listing.max_guests} guests.", field="guests"
        )
    nights = (check_out - check_in).days
    if nights < listing.min_nights:
        raise errors.MinNights(
            f"The shortest stay is {listing.min_nights} nights.", field="check_out"
        )
    if nights > listing.max_nights:
        raise errors.MaxNights(
            f"The longest stay is {listing.max_nights} nights.", field="check_out"
        )
    if not availability.is_available(
        property_id=listing.pk, check_in=check_in, check_out=check_out
    ):
        raise errors.DatesUnavailable()
    return price_quote(listing=listing, check_in=check_in, check_out=check_out)


# --- side effects ----------------------------------------------------------------------------
def _notify(booking: Booking, *, email: str | None = None, host: bool = True) -> None:
    """Live update to the guest and the host, and the e-mails of `email`, after the commit."""
    publish_booking_updated(
        booking_id=booking.pk, guest_id=booking.guest_id, host_id=booking.property.host_id
    )
    if email:
        roles = ("guest", "host") if host else ("guest",)
        booking_id = booking.pk
        for role in roles:
            outbox.enqueue(tasks.send_booking_email, booking_id, email, role)


def _save(booking: Booking, fields: list[str]) -> None:
    # The idempotency key's uniqueness is the database's to check (it races otherwise).
    validate(booking, exclude=["idempotency_key", "guest", "property"])
    booking.save(update_fields=[*fields, "updated_at"])


def _violated(error: IntegrityError, constraint: str, *columns: str) -> bool:
    """Whether the error is `constraint` (PostgreSQL names it; SQLite names the columns)."""
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    if name:
        return name == constraint
    text = str(error)
    return constraint in text or (bool(columns) and all(column in text for column in columns))


# --- quote and book --------------------------------------------------------------------------
def booking_quote(
    *, viewer, property_id: int | None, check_in: date, check_out: date, guests: int
) -> PriceQuote:
    """The price of a stay, with the same checks as booking it (anybody may ask)."""
    listing = _listing(property_id=property_id, viewer=viewer, lock=False)
    return _check_stay(
        listing=listing, viewer=viewer, check_in=check_in, check_out=check_out, guests=guests
    )


def _replay(
    existing: Booking, *, property_id: int, check_in: date, check_out: date, guests: int
) -> Booking:
    """The booking an idempotency key made, if the request is the same one again."""
    same = (existing.property_id, existing.check_in, existing.check_out, existing.guests) == (
        property_id,
        check_in,
        check_out,
        guests,
    )
    if not same:
        raise DomainError(
            "This idempotency key was used for another booking.", field="idempotency_key"
        )
    return existing


def _unpaid_pending_count(guest) -> int:
    return (
        Booking.objects.filter(guest=guest, status=BookingStatus.PENDING)
        .exclude(payment__status__in=payment_services.PAID_STATUSES)
        .count()
    )


@transaction.atomic
def booking_create(
    *,
    guest,
    property_id: int | None,
    check_in: date,
    check_out: date,
    guests: int,
    message: str | None = None,
    idempotency_key: str | None = None,
) -> Booking:
    """Book a stay: PENDING, holding its dates for BOOKING_HOLD_MINUTES until it is paid.

    The listing's row lock serialises bookings of one listing (and the host's date blocks),
    so the availability check and the insert cannot race; on PostgreSQL the exclusion
    constraint still turns any lost race into DATES_UNAVAILABLE. The same idempotency key from
    the same guest returns the booking it made."""
    message = _clean_text(message, field="message", max_length=MESSAGE_MAX_LENGTH)
    key = _clean_idempotency_key(idempotency_key)
    listing = _listing(property_id=property_id, viewer=guest, lock=True)
    request = {"property_id": listing.pk, "check_in": check_in, "check_out": check_out}
    if key:
        existing = Booking.objects.filter(guest=guest, idempotency_key=key).first()
        if existing is not None:
            return _replay(existing, **request, guests=guests)
    quote = _check_stay(
        listing=listing, viewer=guest, check_in=check_in, check_out=check_out, guests=guests
    )
    if _unpaid_pending_count(guest) >= settings.BOOKING_MAX_PENDING_PER_GUEST:
        raise errors.TooManyPending()
    booking = Booking(
        guest=guest,
        property=listing,
        check_in=check_in,
        check_out=check_out,
        guests=guests,
        status=BookingStatus.PENDING,
        **quote.snapshot(),
        instant_book=listing.instant_book,
        cancellation_policy=listing.cancellation_policy,
        message=message,
        idempotency_key=key,
        hold_expires_at=timezone.now() + timedelta(minutes=settings.BOOKING_HOLD_MINUTES),
    )
    validate(booking, exclude=["idempotency_key", "guest", "property"])
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if _violated(error, "booking_no_overlap"):
            raise errors.DatesUnavailable() from None
        if key and _violated(error, "booking_idempotency_key_unique", "idempotency_key"):
            # The same key from a concurrent retry (of another listing) won the insert.
            existing = Booking.objects.filter(guest=guest, idempotency_key=key).first()
            if existing is not None:
                return _replay(existing, **request, guests=guests)
        raise
    return booking


# --- the host's answer -----------------------------------------------------------------------
def _hold_over(booking: Booking, now: datetime) -> bool:
    return booking.hold_expires_at is not None and booking.hold_expires_at <= now


def _confirm(booking: Booking, now: datetime) -> list[str]:
    booking.status = BookingStatus.CONFIRMED
    booking.confirmed_at = now
    booking.hold_expires_at = None
    return ["status", "confirmed_at", "hold_expires_at"]


def _is_paid(payment: Payment | None) -> bool:
    return payment is not None and payment.status in payment_services.PAID_STATUSES


@transaction.atomic
def booking_accept(*, host, booking_id: int | None) -> Booking:
    """The host accepts a request: CONFIRMED once it is paid as well (in either order)."""
    booking = selectors.lock_visible_booking(actor=host, booking_id=booking_id)
    if booking.property.host_id != host.pk:
        raise Forbidden("Only the host can accept a request.", field="id")
    if booking.status != BookingStatus.PENDING or booking.instant_book:
        raise InvalidState("Only a pending request can be accepted.", field="id")
    if booking.accepted_at is not None:
        raise InvalidState("The request is accepted already.", field="id")
    now = timezone.now()
    if _hold_over(booking, now):
        raise InvalidState("The request has expired.", field="id")
    payment = payment_services.lock_booking_payment(booking)
    booking.accepted_at = now
    fields = ["accepted_at"]
    confirmed = _is_paid(payment)
    if confirmed:
        fields += _confirm(booking, now)
    _save(booking, fields)
    _notify(booking, email="confirmed" if confirmed else None)
    return booking


def _end(booking: Booking, *, status: str, actor, reason: str, now: datetime) -> list[str]:
    booking.status = status
    booking.cancelled_at = now
    booking.cancelled_by = actor
    booking.cancellation_reason = reason
    return ["status", "cancelled_at", "cancelled_by", "cancellation_reason"]


def _settle(booking: Booking, payment: Payment | None, refund) -> list[str]:
    """Refund `refund` of a received payment, or cancel one nobody completed."""
    if _is_paid(payment):
        booking.refund_amount = payment_services.payment_request_refund(
            payment=payment, amount=refund
        ) + (booking.refund_amount or 0)
        return ["refund_amount"]
    if payment is not None:
        payment_services.payment_cancel_open(payment=payment)
    return []


@transaction.atomic
def booking_decline(*, host, booking_id: int | None, reason: str | None = None) -> Booking:
    """The host declines a request: DECLINED, the dates released, any payment refunded in
    full."""
    reason = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    booking = selectors.lock_visible_booking(actor=host, booking_id=booking_id)
    if booking.property.host_id != host.pk:
        raise Forbidden("Only the host can decline a request.", field="id")
    if booking.status != BookingStatus.PENDING or booking.instant_book:
        raise InvalidState("Only a pending request can be declined.", field="id")
    if booking.accepted_at is not None:
        raise InvalidState("The request is accepted; cancel the booking instead.", field="id")
    now = timezone.now()
    payment = payment_services.lock_booking_payment(booking)
    fields = _end(booking, status=BookingStatus.DECLINED, actor=host, reason=reason, now=now)
    fields += _settle(booking, payment, booking.total)
    _save(booking, fields)
    _notify(booking, email="declined")
    return booking


def can_cancel(*, booking: Booking, viewer, now: datetime | None = None) -> bool:
    """Whether `viewer` may cancel `booking` now: its guest or host, active, not started."""
    return (
        viewer is not None
        and viewer.pk in (booking.guest_id, booking.property.host_id)
        and booking.status in ACTIVE_STATUSES
        and not has_started(booking, now or timezone.now())
    )


@transaction.atomic
def booking_cancel(*, actor, booking_id: int | None, reason: str | None = None) -> Booking:
    """The guest or the host cancels before check-in: CANCELLED, the dates released at once;
    the host's cancellation is refunded in full, the guest's by the cancellation policy."""
    reason = _clean_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    booking = selectors.lock_visible_booking(actor=actor, booking_id=booking_id)
    if actor.pk not in (booking.guest_id, booking.property.host_id):
        raise Forbidden("Only the guest or the host can cancel a booking.", field="id")
    now = timezone.now()
    if booking.status not in ACTIVE_STATUSES:
        raise InvalidState("Only a pending or confirmed booking can be cancelled.", field="id")
    if has_started(booking, now):
        raise InvalidState("The stay has started; contact support.", field="id")
    by_host = actor.pk == booking.property.host_id
    refund = cancellation_refund(booking=booking, by_host=by_host, now=now)
    payment = payment_services.lock_booking_payment(booking)
    fields = _end(booking, status=BookingStatus.CANCELLED, actor=actor, reason=reason, now=now)
    fields += _settle(booking, payment, refund)
    _save(booking, fields)
    _notify(booking, email="cancelled")
    return booking


# --- what the payment provider tells -----------------------------------------------------------
def booking_payment_received(*, booking: Booking, payment: Payment) -> None:
    """The booking's payment succeeded (booking and payment locked by the caller).

    Instant book, or a request the host accepted already: CONFIRMED. A request: it stays
    PENDING, now waiting BOOKING_HOST_RESPONSE_HOURS for the host. A booking that ended
    meanwhile (expired, cancelled, declined): the money goes back in full."""
    now = timezone.now()
    if booking.status == BookingStatus.PENDING:
        if booking.instant_book or booking.accepted_at is not None:
            _save(booking, _confirm(booking, now))
            _notify(booking, email="confirmed")
        else:
            booking.hold_expires_at = now + timedelta(hours=settings.BOOKING_HOST_RESPONSE_HOURS)
            _save(booking, ["hold_expires_at"])
            _notify(booking, email="requested")
        return
    if booking.status not in ACTIVE_STATUSES and booking.status != BookingStatus.COMPLETED:
        _save(booking, _settle(booking, payment, payment.amount))
    _notify(booking)


def booking_payment_changed(*, booking: Booking) -> None:
    """Any other change of the booking's payment: the guest and the host hear of it."""
    _notify(booking)


# --- time ------------------------------------------------------------------------------------
@transaction.atomic
def booking_expire(*, booking_id: int, now: datetime | None = None) -> bool:
    """EXPIRED: a PENDING booking past its hold, unpaid (or a paid request the host left
    unanswered, refunded in full). A payment still processing keeps it until it settles."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("property")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.status != BookingStatus.PENDING or not _hold_over(booking, now):
        return False
    payment = payment_services.lock_booking_payment(booking)
    if payment is not None and payment.status == PaymentStatus.PROCESSING:
        return False
    paid = _is_paid(payment)
    booking.status = BookingStatus.EXPIRED
    fields = ["status", *_settle(booking, payment, booking.total)]
    _save(booking, fields)
    # The host hears of a request that expired; an unpaid hold never reached them.
    _notify(booking, email="expired", host=paid)
    return True


@transaction.atomic
def booking_complete(*, booking_id: int, today: date | None = None) -> bool:
    """COMPLETED: a CONFIRMED booking whose check-out day has come."""
    today = today or timezone.now().date()
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("property")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None or booking.status != BookingStatus.CONFIRMED or booking.check_out > today:
        return False
    booking.status = BookingStatus.COMPLETED
    _save(booking, ["status"])
    _notify(booking)
    return True
