"""What this build is: its version and licence, for Help ▸ About and ``--version``.

The version is declared here once; pyproject.toml reads it (setuptools ``attr:``)
without importing anything, so start-up pays nothing for it either.
"""
from __future__ import annotations

import html

__version__ = "0.1.0"
LICENCE = "MIT"
COPYRIGHT = "Copyright (c) 2026 The Stepwise developers"
SUMMARY = "Back-propagation and Newton's method, one visible step at a time."


def version_text() -> str:
    """``stepwise --version``: "stepwise 0.1.0 (MIT licence)"."""
    return f"stepwise {__version__} ({LICENCE} licence)"


def about_html() -> str:
    """Help ▸ About: name, version, what it is, licence, what it is built with."""
    parts = (f"<h3>Stepwise {html.escape(__version__)}</h3>",
             f"<p>{html.escape(SUMMARY)}</p>",
             "<p>Built with PySide6, pyqtgraph, NumPy, SymPy and matplotlib.</p>",
             f"<p>{html.escape(COPYRIGHT)}.<br>Free software under the {LICENCE} licence: "
             "use, copy, change and share it; it comes with no warranty.</p>")
    return "".join(parts)
