"""Where the rating aggregates should come from: denormalised columns (what the code does) or
computed from the reviews table when read (what a dataloader or an annotation would do).

    DATABASE_URL=postgres://...bench10k .venv/bin/python -m bench.reviews_aggregates

Times, on the benchmark data, the SQL of a search page sorted by rating with a minimum rating
(London, 20 results) both ways, the extra query a dataloader would add to a page that only
shows the aggregates, and the write the columns cost: recomputing one listing's aggregates.
"""

import os
import statistics
import time

import psycopg

RUNS = 200

COLUMNS = """
SELECT id FROM properties_property
 WHERE is_published AND deleted_at IS NULL AND lower(city) = 'london'
   AND rating_average >= 4
 ORDER BY rating_average DESC NULLS LAST, created_at DESC LIMIT 20
"""
COMPUTED = """
SELECT p.id FROM properties_property p
  JOIN (SELECT property_id, avg(rating) AS average FROM reviews_review GROUP BY property_id) r
    ON r.property_id = p.id
 WHERE p.is_published AND p.deleted_at IS NULL AND lower(p.city) = 'london' AND r.average >= 4
 ORDER BY r.average DESC, p.created_at DESC LIMIT 20
"""
LOADER = """
SELECT property_id, count(*), avg(rating), count(*) FILTER (WHERE rating = 5),
       count(*) FILTER (WHERE rating = 4), count(*) FILTER (WHERE rating = 3),
       count(*) FILTER (WHERE rating = 2), count(*) FILTER (WHERE rating = 1)
  FROM reviews_review WHERE property_id = ANY(%s) GROUP BY property_id
"""
REFRESH = """
SELECT rating, count(*) FROM reviews_review WHERE property_id = %s GROUP BY rating
"""


def timed(cursor, sql, params=None) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


def main() -> None:
    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM properties_property")
        listings = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM reviews_review")
        reviews = cursor.fetchone()[0]
        cursor.execute(
            "SELECT id FROM properties_property WHERE review_count > 0 ORDER BY id LIMIT 20"
        )
        page = [row[0] for row in cursor.fetchall()]
        print(f"{listings} listings, {reviews} reviews; median / p95 of {RUNS} runs, ms")
        for label, sql, params in [
            ("search by rating, columns", COLUMNS, None),
            ("search by rating, computed from reviews", COMPUTED, None),
            ("aggregates of a 20-listing page, one extra query", LOADER, (page,)),
            ("one listing's aggregates recomputed (per review write)", REFRESH, (page[0],)),
        ]:
            median, p95 = timed(cursor, sql, params)
            print(f"  {label:58} {median:6.2f} / {p95:6.2f}")


if __name__ == "__main__":
    main()
