"""A change to a person's links touches the person (`modified`), so that what is built
from the person and kept by version (the listing cards, see people_tags) is rebuilt."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from people.models import Person, SocialLink


@receiver(post_save, sender=SocialLink, dispatch_uid="people-link-saved")
@receiver(post_delete, sender=SocialLink, dispatch_uid="people-link-deleted")
def touch_person(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata and restores keep the stored times
        return
    Person.objects.filter(pk=instance.person_id).update(modified=timezone.now())
