"""The evidence kinds and the visit's set-up: one module per kind, each with its SQL.

Importing the package registers the features' before-commit hooks with the core.
"""

from irp_field.evidence import toc_days as _toc_days  # noqa: F401  (registers its hook)
