"""Receivers: news for announced papers, stored search documents kept current.

Cache invalidation (site settings, menu, every page) is generic: `airml.signals`.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from pages.models import NewsItem
from pages.search import KINDS, refresh_search_documents
from research.models import Publication
from research.signals import publication_announced


@receiver(publication_announced, sender=Publication)
def draft_news_for_publication(sender, publication, **kwargs):
    """A draft news item "Paper accepted at <venue>: <title>" linking to the paper.

    Returns the new item, or None when one already existed."""
    news, created = NewsItem.objects.draft_announcement(publication)
    return news if created else None


def search_document_saved(sender, instance, using, **kwargs):
    # Raw saves too: loaddata (backup restore) and reverting a version write the row
    # without its document, which is not serialized.
    refresh_search_documents(sender, [instance.pk], using=using)


for kind in KINDS:
    post_save.connect(
        search_document_saved, sender=kind.model, dispatch_uid=f"search-document-{kind.key}"
    )
