from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from domains.payments.models import Payment, ProviderEvent
from tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"amount": 0}, "payment_amount_gt_0"),
        ({"refunded_amount": -1}, "payment_refund_within_amount"),
        ({"refunded_amount": Decimal("100000")}, "payment_refund_within_amount"),
        ({"status": "PAID"}, "payment_status_valid"),
    ],
)
def test_check_constraints(changes, constraint):
    payment = PaymentFactory()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(**changes)


def test_one_payment_per_booking():
    payment = PaymentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(booking=payment.booking)


def test_provider_reference_is_unique():
    payment = PaymentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentFactory(provider_reference=payment.provider_reference)


def test_event_ids_are_unique():
    from django.utils import timezone

    ProviderEvent.objects.create(
        event_id="evt_1", type="x", outcome="applied", created=timezone.now()
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProviderEvent.objects.create(
            event_id="evt_1", type="x", outcome="applied", created=timezone.now()
        )
