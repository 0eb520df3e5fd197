"""Background tasks written in the same transaction as the change that calls for them."""

from django.db import models


class OutboxTask(models.Model):
    """A Celery task to send once its transaction commits. The row is deleted once the broker
    has it; a row left behind (the broker was down) is sent again by `flush_outbox`."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["created_at"], name="outbox_created_idx")]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
