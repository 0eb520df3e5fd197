"""Helpers for writing models from services."""

from collections.abc import Iterable

from django.db import models


def validate(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """`full_clean()` before a save (field validators, choices, lengths, uniqueness), minus the
    check constraints: the database holds those on every write anyway, and Django would check
    each one with its own query inside a savepoint (three statements a constraint: 27 of the
    40 statements of a booking). Services raise the friendly errors before this runs.

    Exclude foreign keys the service loaded itself: validating them re-reads the rows."""
    instance.full_clean(exclude=list(exclude), validate_constraints=False)
