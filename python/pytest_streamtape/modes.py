"""Record modes, named as pytest-recording names them, and what each asks of `streamtape replay`."""
from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from .cassette import tapes


class RecordMode(str, enum.Enum):
    """When a test's traffic is recorded instead of only replayed."""

    NONE = "none"
    """Replay only; a request no recording matches fails the test. The default."""
    ONCE = "once"
    """Record when the cassette does not exist yet, otherwise replay only."""
    NEW_EPISODES = "new_episodes"
    """Replay, and record requests no recording matches as new tapes."""
    ALL = "all"
    """Record every request again, as new tapes after the existing ones."""
    REWRITE = "rewrite"
    """Delete the cassette, then record every request."""


MODE_NAMES = [m.value for m in RecordMode]


@dataclass(frozen=True)
class Plan:
    """How one test's replay server runs."""

    replay_existing: bool
    """Whether the cassette's tapes are loaded and served."""
    record: bool
    """Whether misses are forwarded upstream and recorded into the cassette."""
    clear_first: bool
    """Whether the cassette's tapes are deleted before the test."""


def plan(mode: RecordMode, cassette: Path) -> Plan:
    """What `mode` means for a cassette in its present state."""
    exists = bool(tapes(cassette))
    if mode is RecordMode.NONE:
        return Plan(replay_existing=True, record=False, clear_first=False)
    if mode is RecordMode.ONCE:
        return Plan(replay_existing=exists, record=not exists, clear_first=False)
    if mode is RecordMode.NEW_EPISODES:
        return Plan(replay_existing=exists, record=True, clear_first=False)
    if mode is RecordMode.ALL:
        return Plan(replay_existing=False, record=True, clear_first=False)
    return Plan(replay_existing=False, record=True, clear_first=True)
