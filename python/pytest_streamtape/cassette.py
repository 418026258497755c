"""Where a test's cassette lives: `<test file's folder>/cassettes/<module>/<test name>/NNN.tape.jsonl`."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-\[\]=,+]")


def safe_name(name: str) -> str:
    """A test or cassette name as one folder name (path separators and odd characters become `_`)."""
    cleaned = _UNSAFE.sub("_", name)
    return "_" + cleaned if cleaned in ("", ".", "..") else cleaned


def name_of_test(item: pytest.Item) -> str:
    """The test's name, with its class (`TestChat.test_stream`) and parameters (`test_x[a]`)."""
    cls = getattr(item, "cls", None)
    return f"{cls.__name__}.{item.name}" if cls is not None else item.name


def cassette_folder(item: pytest.Item, cassette: str | None) -> Path:
    """The cassette folder of `item`, or of the test named `cassette` in the same module."""
    path = Path(str(item.path))
    return path.parent / "cassettes" / path.stem / safe_name(cassette or name_of_test(item))


def tapes(folder: Path) -> list[Path]:
    """The tapes of a cassette in the order replay loads them (by name); none when it does not exist."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.endswith(".tape.jsonl") and not p.name.startswith("."))


def clear(folder: Path) -> None:
    """Deletes a cassette's tapes (mode rewrite); other files in the folder stay."""
    for tape in tapes(folder):
        tape.unlink()
