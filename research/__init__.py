"""Research: directions, publications with ordered authors, projects and tags."""
