"""Cache invalidation: any save or delete of site settings or menu drops the cached context."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pages.models import MenuItem, SiteSettings, clear_site_cache


@receiver([post_save, post_delete], sender=SiteSettings)
@receiver([post_save, post_delete], sender=MenuItem)
def site_context_changed(sender, **kwargs):
    clear_site_cache()
