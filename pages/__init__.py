"""Site-level content: settings, menu, pages with sections, news."""
