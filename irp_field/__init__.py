"""irp-field: offline evidence capture, live figures and team merge for prison inspectors."""

__version__ = "0.14.0"
