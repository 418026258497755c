"""Finding the `streamtape` executable."""
from __future__ import annotations

import os
import shutil

import pytest


def find_binary() -> str:
    """The streamtape executable: `$STREAMTAPE_BIN`, else `streamtape` on `PATH`.

    Raises `pytest.UsageError` naming both when neither gives an executable file.
    """
    configured = os.environ.get("STREAMTAPE_BIN")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise pytest.UsageError(
            f"pytest-streamtape: STREAMTAPE_BIN is {configured!r}, which is not an executable file; "
            "point it at the streamtape binary, or unset it to use the streamtape on PATH")
    found = shutil.which("streamtape")
    if found:
        return found
    raise pytest.UsageError(
        "pytest-streamtape: the streamtape binary was not found: set STREAMTAPE_BIN to its path "
        "or put streamtape on PATH (build it with `swift build --product streamtape`)")
