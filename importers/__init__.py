"""Importers of other sites' content into the portal (Hugo today)."""
