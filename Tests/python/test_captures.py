"""The sample tapes in captures/ are exactly what scripts/make_captures.py generates."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_captures_match_their_generator():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_captures.py"), "--check"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
