"""Shared abstract models: timestamps, publishing state, Markdown rendering, links.

`airml` imports no app; the apps build their content models on these pieces.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from airml.markdown import render_markdown
from airml.validators import validate_link


class LinkField(models.CharField):
    """A link button's target: a full web address, or a path on this site (a file an
    import stored under /media/). URLField would refuse the path when an editor saves."""

    default_validators = [validate_link]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ListingView(models.TextChoices):
    """How a list of things is shown; each value is one `templates/listing/<view>.html`."""

    LIST = "list", _("List: title and key facts")
    COMPACT = "compact", _("Compact: title, summary, facts")
    CARD = "card", _("Cards with image")
    CITATION = "citation", _("Citation: formatted reference")
    SHOWCASE = "showcase", _("Showcase: alternating image and text")
    NEWS = "news", _("News: one line per item, [Mon YYYY] Title")


def choice_label(choices, value):
    """`get_FOO_display()` without its cost: Django rebuilds and hashes the whole
    choice list (a translation per lazy label) on every call, which listings of
    hundreds of links pay for each one."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())

    def visible_to(self, user):
        """Staff see drafts (as previews); everyone else sees published items only."""
        if user.is_authenticated and user.is_staff:
            return self.all()
        return self.published()


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


class MarkdownModel(models.Model):
    """Renders each Markdown source field to its `*_html` twin on save.

    Subclasses list the pairs in `markdown_fields`, e.g. `{"body": "body_html"}`.
    """

    markdown_fields = {}

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            fields = set(update_fields)
            fields |= {t for s, t in self.markdown_fields.items() if s in fields}
            kwargs["update_fields"] = fields
        super().save(*args, **kwargs)

    def render_markdown_fields(self):
        for source, target in self.markdown_fields.items():
            setattr(self, target, render_markdown(getattr(self, source)))


class PublishableModel(TimeStampedModel):
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PUBLISHED,
        db_index=True,
        help_text=_("Drafts are visible only to signed-in staff, as a marked preview."),
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        default=timezone.now,
        db_index=True,
        help_text=_("A published item appears on the site from this moment on."),
    )

    objects = PublishedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()


class NamedLink(models.Model):
    """A named extra link ("Supplementary material", "Blog post") on some item."""

    name = models.CharField(_("name"), max_length=80)
    url = models.URLField(_("URL"), max_length=500)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class LinkCheck(models.Model):
    """The last result of checking one external link (`manage.py check_content
    --links`, run outside any request); content health lists the failures."""

    url = models.URLField(_("URL"), max_length=500, unique=True)
    status = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)

    class Meta:
        verbose_name = _("link check")

    def __str__(self):
        return self.url

    @property
    def ok(self):
        return not self.error and self.status is not None and self.status < 400
