"""Background work of listings."""

from celery import shared_task

from domains.properties import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def delete_stored_file(name: str) -> None:
    """Delete a removed photo's file from the media storage (S3 may be slow or briefly down)."""
    services.stored_file_delete(name=name)
