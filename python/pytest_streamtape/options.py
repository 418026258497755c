"""The arguments of `@pytest.mark.streamtape(...)`, checked, and the replay options they become."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import pytest

MARKER = "streamtape"


@dataclass(frozen=True)
class MarkerOptions:
    """One test's settings, merged from its markers (the closest marker wins per argument)."""

    cassette: str | None = None
    """Another test's cassette (same module) to use instead of this test's own."""
    faults: tuple[str, ...] = ()
    """`streamtape replay --fault` specs, applied to every replayed response."""
    speed: float | None = None
    """Replay this many times faster than recorded."""
    instant: bool = False
    """Ignore recorded timing: send as fast as the client reads."""
    match: str | None = None
    """`request` (default), `path` or `sequence`."""
    ignore_fields: tuple[str, ...] = ()
    """JSON body fields left out of matching (`metadata.session`)."""
    repeat: bool = False
    """Serve each recording as often as it is asked."""
    upstream: tuple[str, ...] = ()
    """Where recording forwards for this test (added before `--streamtape-upstream`)."""

    def replay_args(self) -> list[str]:
        """The `streamtape replay` options these settings give."""
        args: list[str] = []
        if self.speed is not None:
            args += ["--speed", repr(float(self.speed))]
        if self.instant:
            args.append("--instant")
        if self.match is not None:
            args += ["--match", self.match]
        for f in self.ignore_fields:
            args += ["--ignore-field", f]
        for f in self.faults:
            args += ["--fault", f]
        if self.repeat:
            args.append("--repeat")
        return args


def _strings(name: str, value: Any) -> tuple[str, ...]:
    """A string or a list of strings as a tuple; anything else is a usage error."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Sequence) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise pytest.UsageError(f"streamtape marker: {name}= takes a string or a list of strings, not {value!r}")


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise pytest.UsageError(f"streamtape marker: {name}= takes True or False, not {value!r}")
    return value


def _convert(name: str, value: Any) -> Any:
    if name in ("faults", "ignore_fields", "upstream"):
        return _strings(name, value)
    if name in ("instant", "repeat"):
        return _flag(name, value)
    if name == "speed":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise pytest.UsageError(f"streamtape marker: speed= takes a number, not {value!r}")
        return float(value)
    if not isinstance(value, str):
        raise pytest.UsageError(f"streamtape marker: {name}= takes a string, not {value!r}")
    return value


def options_for(item: pytest.Item) -> MarkerOptions:
    """The item's merged marker options; unknown or ill-typed arguments are a `pytest.UsageError`."""
    known = set(MarkerOptions.__dataclass_fields__)
    merged: dict[str, Any] = {}
    for mark in reversed(list(item.iter_markers(MARKER))):  # farthest first: closer markers override
        if mark.args:
            raise pytest.UsageError(f"{item.nodeid}: the streamtape marker takes keyword arguments only, got {mark.args!r}")
        for name, value in mark.kwargs.items():
            if name not in known:
                raise pytest.UsageError(
                    f"{item.nodeid}: unknown streamtape marker argument {name}= (known: {', '.join(sorted(known))})")
            merged[name] = _convert(name, value)
    return MarkerOptions(**merged)


MARKER_HELP = (
    "streamtape(cassette=None, faults=[], speed=None, instant=False, match=None, ignore_fields=[], repeat=False, "
    "upstream=[]): replay this test's recorded LLM traffic with streamtape (see docs/pytest.md)")
