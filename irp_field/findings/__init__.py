"""Findings paragraphs: figure references in a Jinja2 sandbox, numbering, and the sync.

Nothing here imports textual; jinja2 is imported only when a paragraph is rendered.
"""
