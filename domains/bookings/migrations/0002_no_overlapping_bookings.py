from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from backend.db import postgres_sql


class Migration(migrations.Migration):
    """No two active (PENDING, CONFIRMED) bookings of one property overlap, on PostgreSQL.

    check_out is exclusive, so the range is '[)': one guest may check in on the day another
    checks out. The statuses must match bookings.models.ACTIVE_STATUSES.
    """

    dependencies = [("bookings", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        postgres_sql(
            """
            ALTER TABLE bookings_booking ADD CONSTRAINT booking_no_overlap
            EXCLUDE USING gist (
                property_id WITH =,
                daterange(check_in, check_out, '[)') WITH &&
            ) WHERE (status IN ('PENDING', 'CONFIRMED'))
            """,
            "ALTER TABLE bookings_booking DROP CONSTRAINT booking_no_overlap",
        ),
    ]
