"""Import a Hugo site (Hugo Blox / Wowchemy and plain themes): files -> portal objects.

`reader` reads the site safely (front matter, config, paths that stay inside the
site), `site` models Hugo's rules (sections, bundles, languages, URLs), one mapper
module per content kind maps files onto the content models, `report` says what
became of every file; `importer` runs it all inside one transaction.
"""

from importers.hugo.importer import HugoImporter
from importers.hugo.report import ImportFailed

__all__ = ["HugoImporter", "ImportFailed"]
