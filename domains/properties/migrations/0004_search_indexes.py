from django.db import migrations

from backend.db import postgres_sql


class Migration(migrations.Migration):
    """Search on PostgreSQL (see domains/properties/search.py, which spells the same
    expressions):

    - full-text: a generated tsvector column (title A, place B, description C; the `english`
      configuration, immutable as a generated column needs) with a GIN index over published
      listings;
    - typos: pg_trgm and a trigram GIN index on title, city and country;
    - country: an index on lower(country), as search compares it case-insensitively.
    The models do not know the column; nothing but these queries reads it.
    """

    dependencies = [("properties", "0003_seed_amenities")]

    operations = [
        postgres_sql(
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "SELECT 1",  # other objects may use the extension: leave it
        ),
        postgres_sql(
            """
            ALTER TABLE properties_property ADD COLUMN search_document tsvector
            GENERATED ALWAYS AS (
                setweight(to_tsvector('english', coalesce(title, '')), 'A')
                || setweight(to_tsvector('english', coalesce(city, '') || ' '
                                         || coalesce(country, '')), 'B')
                || setweight(to_tsvector('english', coalesce(description, '')), 'C')
            ) STORED
            """,
            "ALTER TABLE properties_property DROP COLUMN search_document",
        ),
        postgres_sql(
            """
            CREATE INDEX property_search_document_idx ON properties_property
            USING gin (search_document)
            WHERE is_published AND deleted_at IS NULL
            """,
            "DROP INDEX property_search_document_idx",
        ),
        postgres_sql(
            """
            CREATE INDEX property_name_trgm_idx ON properties_property
            USING gin ((title || ' ' || city || ' ' || country) gin_trgm_ops)
            WHERE is_published AND deleted_at IS NULL
            """,
            "DROP INDEX property_name_trgm_idx",
        ),
        postgres_sql(
            """
            CREATE INDEX property_country_lower_idx ON properties_property (lower(country))
            WHERE is_published AND deleted_at IS NULL
            """,
            "DROP INDEX property_country_lower_idx",
        ),
    ]
