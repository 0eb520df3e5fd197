"""Cache invalidation: the cached amenity catalogue goes whenever an amenity changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from domains.properties import selectors
from domains.properties.models import Amenity


@receiver(post_save, sender=Amenity, dispatch_uid="properties.amenity_saved")
@receiver(post_delete, sender=Amenity, dispatch_uid="properties.amenity_deleted")
def amenity_changed(**kwargs) -> None:
    # Now (so this process does not read the old list) and after the commit (so a request that
    # refilled the cache from the old rows in between does not keep them).
    selectors.forget_amenities()
    transaction.on_commit(selectors.forget_amenities)
