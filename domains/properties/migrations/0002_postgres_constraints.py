from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from backend.db import postgres_sql


class Migration(migrations.Migration):
    """A host's blocked periods of one property never overlap (the service merges them), and
    the rating sort's index (NULLS LAST in an index is PostgreSQL-only)."""

    dependencies = [("properties", "0001_initial")]

    operations = [
        BtreeGistExtension(),
        postgres_sql(
            """
            ALTER TABLE properties_blockedperiod ADD CONSTRAINT blocked_period_no_overlap
            EXCLUDE USING gist (
                property_id WITH =,
                daterange(start_date, end_date, '[)') WITH &&
            )
            """,
            "ALTER TABLE properties_blockedperiod DROP CONSTRAINT blocked_period_no_overlap",
        ),
        postgres_sql(
            """
            CREATE INDEX property_rating_idx ON properties_property
                (rating_average DESC NULLS LAST, created_at DESC)
            WHERE is_published AND deleted_at IS NULL
            """,
            "DROP INDEX property_rating_idx",
        ),
    ]
