from celery import shared_task

from domains.outbox import services


@shared_task
def flush_outbox() -> int:
    """Send the tasks a broker outage left in the outbox."""
    return services.flush()
