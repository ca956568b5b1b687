"""Keep stored citations current when a person's cited fields change or a person goes.

Saving a publication with its authors refreshes its citation where it is saved (the
admin, the imports call `research.citations.refresh`); no signal does it again. A
person is saved in `people`, which knows nothing of research, so these receivers
re-format that person's papers, and only when what citations show of them changed.
"""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from people.models import Person
from research.citations import PERSON_CITED_FIELDS, cited_person, refresh
from research.models import Authorship, Publication


def _authored(person_pk):
    return Publication.objects.filter(authorships__person=person_pk).distinct()


@receiver(pre_save, sender=Person, dispatch_uid="research-person-cited-check")
def person_saving(sender, instance, raw=False, **kwargs):
    """Note whether the save changes a cited field (one query; none for a new person,
    who has no papers yet)."""
    instance._cited_changed = False
    if raw or instance._state.adding or instance.pk is None:
        return
    saved = Person.objects.only(*PERSON_CITED_FIELDS).filter(pk=instance.pk).first()
    instance._cited_changed = saved is not None and cited_person(saved) != cited_person(instance)


@receiver(post_save, sender=Person, dispatch_uid="research-person-cited-refresh")
def person_saved(sender, instance, raw=False, **kwargs):
    if not raw and getattr(instance, "_cited_changed", False):
        refresh(_authored(instance.pk))


@receiver(pre_delete, sender=Person, dispatch_uid="research-person-deleting")
def person_deleting(sender, instance, **kwargs):
    """Keep a deleted member's name in the author lists (as a plain name)."""
    Authorship.objects.filter(person=instance, name="").update(name=instance.name[:200])
    instance._authored = list(_authored(instance.pk).values_list("pk", flat=True))


@receiver(post_delete, sender=Person, dispatch_uid="research-person-deleted")
def person_deleted(sender, instance, **kwargs):
    refresh(Publication.objects.filter(pk__in=getattr(instance, "_authored", [])))
