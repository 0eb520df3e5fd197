"""The database refuses listings, photos and blocks that break the invariants."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from domains.properties.models import BlockedPeriod, Property
from tests.factories import BlockedPeriodFactory, PropertyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"latitude": 90.5}, "property_latitude_range"),
        ({"latitude": -91}, "property_latitude_range"),
        ({"longitude": 180.01}, "property_longitude_range"),
        ({"price_per_night": 0}, "property_price_gt_0"),
        ({"price_per_night": -5}, "property_price_gt_0"),
        ({"cleaning_fee": -1}, "property_cleaning_gte_0"),
        ({"max_guests": 0}, "property_guests_gte_1"),
        ({"min_nights": 0}, "property_min_nights_gte_1"),
        ({"min_nights": 10, "max_nights": 5}, "property_nights_ordered"),
        ({"rating_average": 6}, "property_rating_average_range"),
        ({"rating_average": 0.5}, "property_rating_average_range"),
        ({"property_type": "CASTLE"}, "property_type_valid"),
        ({"cancellation_policy": "NONE"}, "property_policy_valid"),
    ],
)
def test_check_constraints(changes, constraint):
    listing = PropertyFactory()
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        Property.objects.filter(pk=listing.pk).update(**changes)


def test_blocked_period_dates_ordered():
    block = BlockedPeriodFactory()
    with pytest.raises(IntegrityError, match="blocked_period_dates_ordered"), transaction.atomic():
        BlockedPeriod.objects.filter(pk=block.pk).update(end_date=block.start_date)


def test_overlapping_blocks_are_refused_by_postgres(on_postgres):
    block = BlockedPeriodFactory()
    with pytest.raises(IntegrityError, match="blocked_period_no_overlap"), transaction.atomic():
        BlockedPeriod.objects.create(
            property=block.property,
            start_date=block.start_date + timedelta(days=1),
            end_date=block.end_date + timedelta(days=1),
        )


def test_adjacent_blocks_are_allowed(on_postgres):
    block = BlockedPeriodFactory()
    BlockedPeriod.objects.create(
        property=block.property,
        start_date=block.end_date,
        end_date=block.end_date + timedelta(days=2),
    )
    assert block.property.blocked_periods.count() == 2
