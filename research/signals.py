"""Keep stored citations and BibTeX current when authors or people change."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from people.models import Person
from research.citations import refresh_publication
from research.models import Authorship, Publication


@receiver([post_save, post_delete], sender=Authorship)
def authorship_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    publication = Publication.objects.filter(pk=instance.publication_id).first()
    if publication is not None:
        refresh_publication(publication)


@receiver(post_save, sender=Person)
def person_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    for publication in Publication.objects.filter(authorships__person=instance).distinct():
        refresh_publication(publication)


@receiver(pre_delete, sender=Person)
def person_deleting(sender, instance, **kwargs):
    """Keep a deleted member's name in the author lists (as a plain name)."""
    Authorship.objects.filter(person=instance, name="").update(name=instance.name[:200])
    instance._authored = list(
        Publication.objects.filter(authorships__person=instance).values_list("pk", flat=True)
    )


@receiver(post_delete, sender=Person)
def person_deleted(sender, instance, **kwargs):
    for publication in Publication.objects.filter(pk__in=getattr(instance, "_authored", [])):
        refresh_publication(publication)
