"""Receivers: cache invalidation for site settings and menu; news for announced papers."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pages.models import MenuItem, NewsItem, SiteSettings, clear_site_cache
from research.models import Publication
from research.signals import publication_announced


@receiver([post_save, post_delete], sender=SiteSettings)
@receiver([post_save, post_delete], sender=MenuItem)
def site_context_changed(sender, **kwargs):
    clear_site_cache()


@receiver(publication_announced, sender=Publication)
def draft_news_for_publication(sender, publication, **kwargs):
    """A draft news item "Paper accepted at <venue>: <title>" linking to the paper.

    Returns the new item, or None when one already existed."""
    news, created = NewsItem.objects.draft_announcement(publication)
    return news if created else None
