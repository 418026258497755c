"""Paths and corpus helpers for the replay end-to-end tests (a uniquely named module, so test files
never import another folder's conftest by accident)."""
import json
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BIN = os.environ.get("STREAMTAPE_BIN", str(ROOT / ".build/debug/streamtape"))
CORPUS = ROOT / "Tests/StreamtapeCoreTests/Fixtures/real-streams"


def corpus_names(dialect=None):
    """Corpus stream names, optionally only those of one dialect."""
    names = sorted(p.name[:-4] for p in CORPUS.glob("*.sse"))
    return [n for n in names if dialect is None or expected(n)["dialect"] == dialect]


def expected(name):
    """The `.expected.json` beside a corpus stream."""
    return json.loads((CORPUS / f"{name}.expected.json").read_text())


def sse_path(name):
    return str(CORPUS / f"{name}.sse")
