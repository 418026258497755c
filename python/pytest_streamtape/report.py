"""The explanation a test's failure report gets when requests matched no recording."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence


def explain(misses: Sequence[dict[str, Any]], cassette: Path, tapes: Sequence[Path]) -> str:
    """One paragraph per miss: the request, why it missed, and the closest recordings (tape file and differences)."""
    lines = [f"{len(misses)} request(s) matched no recording of cassette {cassette}:"]
    for miss in misses:
        error = miss.get("error", {})
        lines.append(f"- {error.get('message', 'no recorded exchange matches')}")
        for near in error.get("closest", []):
            index = near.get("exchange")
            name = tapes[index].name if isinstance(index, int) and 0 <= index < len(tapes) else f"exchange {index}"
            lines.append(f"  closest: {name} ({near.get('method')} {near.get('target')})")
            for difference in near.get("differences", []):
                lines.append(f"    {difference}")
    lines.append("Re-record with --streamtape-mode=rewrite (or new_episodes to add the new requests).")
    return "\n".join(lines)
