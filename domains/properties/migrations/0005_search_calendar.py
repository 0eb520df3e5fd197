from django.db import migrations

from backend.db import postgres_sql

# Each listing carries its taken nights as a bit string (`calendar_taken`, bit i = night
# `calendar_start + i`), kept by triggers on bookings and blocks in the same transaction as the
# change. Search tests availability on the row, and a covering index lets it answer "city +
# dates + guests" from the index alone (an index-only scan) instead of probing the bookings of
# every candidate. The bit string is bounded (nights up to a horizon: at most 2,000 bits), so
# the index entry stays small whatever the calendar looks like.
#
# Source of truth stays the bookings and blocks tables (domains/bookings/availability.py, and
# the exclusion constraint for bookings); this is a derived copy.
CALENDAR_FUNCTION = """
CREATE OR REPLACE FUNCTION properties_refresh_calendar(pid bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    -- A day of margin: the application's "today" may be behind the database's.
    base date := current_date - 1;
    horizon date := current_date + 1999;
    taken datemultirange;
    night daterange;
    bits text := '';
    day date := base;
BEGIN
    -- Serialise with any other change of this listing's calendar: each statement of this
    -- (volatile) function then reads the committed bookings and blocks of the others.
    PERFORM 1 FROM properties_property WHERE id = pid FOR UPDATE;
    -- Nights from `base` up to the horizon (search looks at most BOOKING_MAX_DAYS_AHEAD plus
    -- SEARCH_MAX_NIGHTS ahead and asks the bookings table beyond it): at most 2,000 bits.
    SELECT coalesce(range_agg(daterange(greatest(first_night, base), least(stop, horizon))),
                    '{}')
      INTO taken
      FROM (
        SELECT check_in AS first_night, check_out AS stop FROM bookings_booking
         WHERE property_id = pid AND status IN ('PENDING', 'CONFIRMED') AND check_out > base
        UNION ALL
        SELECT start_date, end_date FROM properties_blockedperiod
         WHERE property_id = pid AND end_date > base
      ) AS ranges
     WHERE first_night < horizon;
    FOR night IN SELECT unnest(taken) LOOP
        bits := bits || repeat('0', lower(night) - day) || repeat('1', upper(night) - lower(night));
        day := upper(night);
    END LOOP;
    UPDATE properties_property SET calendar_start = base, calendar_taken = bits::varbit
     WHERE id = pid
       AND (calendar_start, calendar_taken) IS DISTINCT FROM (base, bits::varbit);
END
$$;

CREATE OR REPLACE FUNCTION properties_calendar_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM properties_refresh_calendar(NEW.property_id);
    END IF;
    IF TG_OP = 'DELETE' OR OLD.property_id IS DISTINCT FROM NEW.property_id THEN
        PERFORM properties_refresh_calendar(OLD.property_id);
    END IF;
    RETURN NULL;
END
$$;
"""

TRIGGERS = """
CREATE TRIGGER booking_calendar_insert_delete AFTER INSERT OR DELETE ON bookings_booking
    FOR EACH ROW EXECUTE FUNCTION properties_calendar_changed();
CREATE TRIGGER booking_calendar_update AFTER UPDATE ON bookings_booking
    FOR EACH ROW WHEN (
        OLD.status IS DISTINCT FROM NEW.status
        OR OLD.check_in IS DISTINCT FROM NEW.check_in
        OR OLD.check_out IS DISTINCT FROM NEW.check_out
        OR OLD.property_id IS DISTINCT FROM NEW.property_id
    ) EXECUTE FUNCTION properties_calendar_changed();
CREATE TRIGGER block_calendar_insert_delete AFTER INSERT OR DELETE ON properties_blockedperiod
    FOR EACH ROW EXECUTE FUNCTION properties_calendar_changed();
CREATE TRIGGER block_calendar_update AFTER UPDATE ON properties_blockedperiod
    FOR EACH ROW WHEN (
        OLD.start_date IS DISTINCT FROM NEW.start_date
        OR OLD.end_date IS DISTINCT FROM NEW.end_date
        OR OLD.property_id IS DISTINCT FROM NEW.property_id
    ) EXECUTE FUNCTION properties_calendar_changed();
"""

DROP_TRIGGERS = """
DROP TRIGGER booking_calendar_insert_delete ON bookings_booking;
DROP TRIGGER booking_calendar_update ON bookings_booking;
DROP TRIGGER block_calendar_insert_delete ON properties_blockedperiod;
DROP TRIGGER block_calendar_update ON properties_blockedperiod;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("properties", "0004_search_indexes"),
        ("bookings", "0002_no_overlapping_bookings"),
    ]

    operations = [
        postgres_sql(
            """
            ALTER TABLE properties_property
                ADD COLUMN calendar_start date NOT NULL DEFAULT '2000-01-01',
                ADD COLUMN calendar_taken varbit NOT NULL DEFAULT B''
            """,
            """
            ALTER TABLE properties_property
                DROP COLUMN calendar_start, DROP COLUMN calendar_taken
            """,
        ),
        postgres_sql(
            CALENDAR_FUNCTION,
            "DROP FUNCTION properties_calendar_changed(); "
            "DROP FUNCTION properties_refresh_calendar(bigint)",
        ),
        postgres_sql(TRIGGERS, DROP_TRIGGERS),
        postgres_sql(
            """
            SELECT properties_refresh_calendar(property_id)
              FROM (SELECT property_id FROM bookings_booking
                    UNION SELECT property_id FROM properties_blockedperiod) AS listings
            """,
            "SELECT 1",
        ),
        # The common search (a city, dates, guests; any sort but text and distance) from the
        # index alone: every column that search reads for it is in the index (`city` too: the
        # planner wants the column behind lower(city)).
        postgres_sql(
            """
            CREATE INDEX property_city_search_idx ON properties_property
                (lower(city), max_guests)
                INCLUDE (city, min_nights, max_nights, price_per_night, currency,
                         rating_average, review_count, created_at, id, instant_book,
                         property_type, calendar_start, calendar_taken)
            WHERE is_published AND deleted_at IS NULL
            """,
            "DROP INDEX property_city_search_idx",
        ),
    ]
