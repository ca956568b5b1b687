"""Receivers: news for announced papers.

Cache invalidation (site settings, menu, every page) is generic: `airml.signals`.
"""

from django.dispatch import receiver

from pages.models import NewsItem
from research.models import Publication
from research.signals import publication_announced


@receiver(publication_announced, sender=Publication)
def draft_news_for_publication(sender, publication, **kwargs):
    """A draft news item "Paper accepted at <venue>: <title>" linking to the paper.

    Returns the new item, or None when one already existed."""
    news, created = NewsItem.objects.draft_announcement(publication)
    return news if created else None
