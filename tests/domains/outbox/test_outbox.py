"""The outbox: a task requested by a committed change runs, even after a broker outage; one
requested by a rolled-back change never does."""

from datetime import timedelta

import pytest
from celery import shared_task
from django.db import transaction
from django.utils import timezone

from backend.celery import app as celery_app
from domains.outbox import services as outbox
from domains.outbox.models import OutboxTask

pytestmark = pytest.mark.django_db(transaction=True)

RUNS: list[tuple] = []


@shared_task(name="tests.outbox.record")
def record(*args):
    RUNS.append(args)


@pytest.fixture(autouse=True)
def _clean_runs():
    RUNS.clear()


@pytest.fixture
def broker_down():
    """The app publishes to a broker that is not there (a closed port), as during an outage."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    _forget_connections()
    yield
    celery_app.conf.task_always_eager, celery_app.conf.broker_url = saved
    _forget_connections()


def _forget_connections():
    # The app keeps its broker connections and producers in pools made from the broker URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_a_committed_request_runs_and_leaves_nothing_behind():
    with transaction.atomic():
        outbox.enqueue(record, 1, "a")
        assert RUNS == []  # not before the commit
    assert RUNS == [(1, "a")]
    assert not OutboxTask.objects.exists()


def test_a_rolled_back_request_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue(record, 2)
        raise RuntimeError("the change fails")
    assert RUNS == [] and not OutboxTask.objects.exists()


def test_a_request_made_while_the_broker_is_down_runs_later(broker_down):
    with transaction.atomic():
        outbox.enqueue(record, 3)
    entry = OutboxTask.objects.get()
    assert entry.attempts == 1 and entry.last_error
    assert RUNS == []
    # The broker is back (eager stands in for it); beat's flush sends what was left.
    celery_app.conf.task_always_eager = True
    assert outbox.flush(older_than=timedelta(0)) == 1
    assert RUNS == [(3,)]
    assert not OutboxTask.objects.exists()


def test_flush_leaves_young_entries_to_their_own_attempt():
    entry = OutboxTask.objects.create(task=record.name, args=[4])
    assert outbox.flush() == 0
    OutboxTask.objects.filter(pk=entry.pk).update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox.flush() == 1 and RUNS == [(4,)]


def test_flush_stops_while_the_broker_is_still_down(broker_down):
    for n in range(3):
        OutboxTask.objects.create(task=record.name, args=[n])
    OutboxTask.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    assert outbox.flush() == 0
    assert OutboxTask.objects.count() == 3
    assert sorted(OutboxTask.objects.values_list("attempts", flat=True)) == [0, 0, 1]
