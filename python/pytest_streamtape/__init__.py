"""pytest-streamtape: record LLM streams once with streamtape and replay them in tests, chunk for chunk.

Mark a test `@pytest.mark.streamtape` (or use the `streamtape` fixture); see docs/pytest.md.
"""
from .modes import RecordMode
from .session import Streamtape

__all__ = ["RecordMode", "Streamtape"]
