"""Database helpers for migrations: operations that only PostgreSQL can run.

Exclusion constraints, GIN/GiST and trigram indexes are kept out of the models' `Meta` (they
break SQLite's `migrate` and `full_clean`) and added with these operations, which skip other
databases. The service layer gives the friendly errors on both; these guarantee them on
PostgreSQL under any concurrency.
"""

from django.db import migrations


def postgres_sql(sql: str, reverse_sql: str) -> migrations.RunPython:
    """A migration operation that runs `sql` on PostgreSQL and nothing elsewhere."""

    def forward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    def backward(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql)

    return migrations.RunPython(forward, backward, elidable=False)
