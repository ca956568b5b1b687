"""Import a Hugo Blox / Wowchemy site: files -> portal objects, idempotently.

`reader` reads the site safely (front matter, config, paths that stay inside the
site), `shortcodes` turns Hugo shortcodes into Markdown, `importer` maps it all
onto the content models inside one transaction.
"""

from pages.hugo.importer import HugoImporter, ImportFailed

__all__ = ["HugoImporter", "ImportFailed"]
