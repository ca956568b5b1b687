"""factory_boy factories for every content model (the only factory tool we use)."""

import datetime
import io
from typing import NamedTuple

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from news.models import Event, NewsItem
from pages.models import MenuItem, Page, Section, SectionPhoto
from people.models import Group, Person, SocialLink
from research.citations import refresh
from research.models import Authorship, Project, Publication, ResearchDirection, Tag


def image_file(name="photo.jpg", fmt="JPEG", size=(40, 30), color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("pw-for-tests-123")


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    order = factory.Sequence(lambda n: n)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    first_name = factory.Sequence(lambda n: f"Ada{n}")
    last_name = factory.Sequence(lambda n: f"Lovelace{n}")
    slug = factory.Sequence(lambda n: f"person-{n}")
    role = "PhD student"
    short_bio = "Works on robust learning."

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(extracted)


class SocialLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialLink

    person = factory.SubFactory(PersonFactory)
    kind = SocialLink.Kind.GITHUB
    url = "https://github.com/example"


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchDirection

    title = factory.Sequence(lambda n: f"Direction {n}")
    slug = factory.Sequence(lambda n: f"direction-{n}")
    summary = "A **direction** summary."
    order = factory.Sequence(lambda n: n)


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    title = factory.Sequence(lambda n: f"Project {n}")
    slug = factory.Sequence(lambda n: f"project-{n}")
    summary = "A project summary."
    date = datetime.date(2024, 1, 1)


class PublicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Publication

    title = factory.Sequence(lambda n: f"Robust Paper {n}")
    slug = factory.Sequence(lambda n: f"paper{n}")
    date = datetime.date(2024, 5, 1)
    venue = "International Conference on Learning Representations"
    venue_short = "ICLR"
    abstract = "We study *robustness*."

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:  # the one save path: the citation is formatted by citations.refresh
            refresh([instance])


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authorship

    publication = factory.SubFactory(PublicationFactory)
    name = factory.Sequence(lambda n: f"Author {n}")
    order = factory.Sequence(lambda n: n)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:  # as the admin does once the authors are saved
            refresh([instance.publication])


class NewsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"News {n}")
    slug = factory.Sequence(lambda n: f"news-{n}")
    date = datetime.date(2025, 3, 1)
    body = "Some *news*."


class PageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page {n}")
    slug = factory.Sequence(lambda n: f"page-{n}")
    body = "Page text."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    page = factory.SubFactory(PageFactory)
    kind = Section.Kind.MARKDOWN
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "Section text."
    order = factory.Sequence(lambda n: n)


class MenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenuItem

    label = factory.Sequence(lambda n: f"Item {n}")
    url = factory.Sequence(lambda n: f"/item-{n}/")
    order = factory.Sequence(lambda n: n)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Talk {n}")
    slug = factory.Sequence(lambda n: f"talk-{n}")
    event_name = "Workshop on Robust Learning"
    location = "Zurich"
    date = factory.LazyFunction(lambda: timezone.make_aware(datetime.datetime(2025, 6, 12, 14, 0)))
    summary = "A talk about robust models."


class SectionPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectionPhoto

    section = factory.SubFactory(SectionFactory, kind=Section.Kind.HERO)
    image = factory.LazyFunction(lambda: image_file(size=(800, 600)))
    alt = "The lab team in front of the building"
    caption = "The team"
    order = factory.Sequence(lambda n: n)


class PublicType(NamedTuple):
    """A public type as the admin tests see it: how to make one, where it lives, and
    its Markdown text field."""

    factory: type[factory.django.DjangoModelFactory]
    url: str  # with {} for the slug
    text_field: str


# Every type with a public page, a slug, a Preview button and slug redirects.
PUBLIC_TYPES = {
    "person": PublicType(PersonFactory, "/people/{}/", "bio"),
    "publication": PublicType(PublicationFactory, "/publications/{}/", "abstract"),
    "project": PublicType(ProjectFactory, "/projects/{}/", "body"),
    "direction": PublicType(DirectionFactory, "/research/{}/", "body"),
    "news": PublicType(NewsFactory, "/news/{}/", "body"),
    "event": PublicType(EventFactory, "/events/{}/", "body"),
    "page": PublicType(PageFactory, "/{}/", "body"),
}
