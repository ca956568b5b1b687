"""The AIR-ML Lab portal project package: settings, URLs, the Markdown pipeline."""
