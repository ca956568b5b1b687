"""What the importers remember between runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """Which object a file of an imported Hugo site became, and the file's checksum.

    Lets `import_hugo` run again: unchanged files are skipped, changed ones update
    the object they created (even if its slug was edited since).
    """

    # Never on a public page: saving one leaves cached pages valid (airml.signals).
    shown_to_visitors = False

    source = models.CharField(_("source"), max_length=500, unique=True)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    checksum = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "pages_importeditem"  # the table it had in `pages` (every row kept)
        verbose_name = _("imported item")

    def __str__(self):
        return self.source
