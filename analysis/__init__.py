"""#MeToo Discourse Workbench."""
