"""The transactional outbox: a task requested by a service survives a broker (Redis) outage.

`enqueue(task, *args)` writes the request in the service's transaction; after the commit it is
handed to the broker and the row deleted. When the broker cannot take it, the row stays and
`flush_outbox` (Celery beat) sends it later. A task may therefore run twice in rare cases
(sent, then the row's deletion failed): tasks are written to be idempotent.
"""

import logging
from datetime import timedelta

from celery import Task, current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from domains.outbox.models import OutboxTask

logger = logging.getLogger(__name__)

# What the broker raises when it cannot be reached.
BROKER_ERRORS = (OperationalError, ConnectionError, OSError)


def _send(entry: OutboxTask, task: Task) -> bool:
    """Hand one entry to the broker; True when it took it (the entry is then deleted)."""
    try:
        task.apply_async(args=entry.args)
    except BROKER_ERRORS as error:
        OutboxTask.objects.filter(pk=entry.pk).update(
            attempts=entry.attempts + 1, last_error=str(error)[:500]
        )
        logger.warning("outbox: %s kept for later, the broker refused it: %s", entry, error)
        return False
    OutboxTask.objects.filter(pk=entry.pk).delete()
    return True


def enqueue(task: Task, *args) -> None:
    """Run `task(*args)` in a worker once the current transaction commits (never if it rolls
    back), even if the broker is down at that moment. `args` must be JSON values."""
    entry = OutboxTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: _send(entry, task))


def flush(*, older_than: timedelta = timedelta(seconds=30), batch: int = 500) -> int:
    """Send the entries left behind; returns how many the broker took. Entries younger than
    `older_than` are still on their way through `enqueue`'s own attempt."""
    sent = 0
    # Outside a worker (a shell, a management command) the domains' task modules may not be
    # imported yet, and with them their tasks' names unknown.
    current_app.loader.import_default_modules()
    with transaction.atomic():
        entries = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(created_at__lt=timezone.now() - older_than)
            .order_by("id")[:batch]
        )
        for entry in entries:
            task = current_app.tasks.get(entry.task)
            if task is None:
                logger.error("outbox: no task named %s; entry %s kept", entry.task, entry.pk)
                continue
            if not _send(entry, task):
                break  # the broker is still down: try again at the next flush
            sent += 1
    return sent
