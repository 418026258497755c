"""The pytest side: command-line and ini options, the `streamtape` marker and fixture, and the failure
report of a request no recording matched. Registered through the `pytest11` entry point."""
from __future__ import annotations

from typing import Generator, Iterator

import pytest

from . import cassette as cassettes
from .binary import find_binary
from .environment import base_urls, patched, placeholder_keys
from .modes import MODE_NAMES, RecordMode, plan
from .options import MARKER, MARKER_HELP, MarkerOptions, options_for
from .report import explain
from .server import ReplayServer, ReplayStartError, option_error
from .session import Streamtape

MODE_KEY = pytest.StashKey[RecordMode]()
OPTIONS_KEY = pytest.StashKey[MarkerOptions]()
SESSION_KEY = pytest.StashKey[Streamtape]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """`--streamtape-mode`, `--streamtape-upstream` and the ini option `streamtape_mode`."""
    group = parser.getgroup("streamtape", "record and replay LLM streams with streamtape")
    group.addoption("--streamtape-mode", choices=MODE_NAMES, default=None,
                    help="record mode: none (default; replay only), once, new_episodes, all, rewrite")
    group.addoption("--streamtape-upstream", action="append", default=[], metavar="UPSTREAM",
                    help="where recording forwards: a base URL, a preset (openai, anthropic, gemini, ...) "
                         "or PREFIX=URL, as `streamtape record --upstream`; repeatable")
    parser.addini("streamtape_mode", "record mode when --streamtape-mode is not given (default none)", default="none")


def pytest_configure(config: pytest.Config) -> None:
    """Registers the marker and settles the record mode; an unknown ini mode is a usage error."""
    config.addinivalue_line("markers", MARKER_HELP)
    name = config.getoption("streamtape_mode") or config.getini("streamtape_mode")
    if name not in MODE_NAMES:
        raise pytest.UsageError(f"streamtape_mode = {name!r} is not a record mode (one of {', '.join(MODE_NAMES)})")
    config.stash[MODE_KEY] = RecordMode(name)


def _upstreams(config: pytest.Config, options: MarkerOptions) -> list[str]:
    """The marker's `upstream=`, else `--streamtape-upstream`."""
    return list(options.upstream) or list(config.getoption("streamtape_upstream"))


def _record_args(upstreams: list[str]) -> list[str]:
    """The replay options that forward and record misses to `upstreams`."""
    return ["--record-misses", *[a for u in upstreams for a in ("--upstream", u)]]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Checks every marked test's options before any test runs: bad ones are a usage error."""
    marked = [item for item in items if item.get_closest_marker(MARKER) is not None]
    if not marked:
        return
    binary = find_binary()
    checked: set[tuple[str, ...]] = set()
    for item in marked:
        options = options_for(item)
        item.stash[OPTIONS_KEY] = options
        args = options.replay_args()
        upstreams = _upstreams(config, options)
        if upstreams:
            args += _record_args(upstreams)
        if tuple(args) in checked:
            continue
        message = option_error(binary, args)
        if message is not None:
            raise pytest.UsageError(f"{item.nodeid}: streamtape marker: {message}")
        checked.add(tuple(args))


@pytest.fixture(autouse=True)
def _streamtape_for_marked_tests(request: pytest.FixtureRequest) -> None:
    """A test with the marker gets the server whether or not it names the fixture."""
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue("streamtape")


@pytest.fixture
def streamtape(request: pytest.FixtureRequest) -> Iterator[Streamtape]:
    """A `streamtape replay` server for this test, serving its cassette as its marker and the record mode
    say; the SDK base-URL variables point at it until the test ends."""
    item: pytest.Item = request.node
    config = request.config
    options = item.stash.get(OPTIONS_KEY, None) or options_for(item)
    mode = config.stash[MODE_KEY]
    folder = cassettes.cassette_folder(item, options.cassette)
    how = plan(mode, folder)
    if how.clear_first:
        cassettes.clear(folder)
    tapes = cassettes.tapes(folder) if how.replay_existing else []
    if not how.record and not tapes:
        pytest.fail(f"no cassette at {folder} (record mode {mode.value} only replays); "
                    "record it with --streamtape-mode=once", pytrace=False)
    args = options.replay_args()
    if how.record:
        upstreams = _upstreams(config, options)
        if not upstreams:
            pytest.fail(f"record mode {mode.value} records {folder} but no upstream is set: give "
                        "--streamtape-upstream URL (or a preset such as openai) or the marker's upstream=",
                        pytrace=False)
        args += _record_args(upstreams) + ["--into", str(folder)]
        if not options.repeat:
            args.append("--record-every-miss")
    try:
        server = ReplayServer(find_binary(), [str(folder)] if tapes else [], args)
    except ReplayStartError as error:
        pytest.fail(f"streamtape replay did not start for {folder}: {error}", pytrace=False)
    session = Streamtape(url=server.url, cassette=folder, mode=mode, recording=how.record, server=server, tapes=tapes)
    item.stash[SESSION_KEY] = session
    env = base_urls(server.url) | ({} if how.record else placeholder_keys())
    try:
        with patched(env):
            yield session
    finally:
        server.stop()
        del item.stash[SESSION_KEY]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """A request no recording matched fails the test, with the closest recordings in its own report
    (SDK exceptions keep only the 404's message)."""
    report = yield
    session = item.stash.get(SESSION_KEY, None)
    if call.when != "call" or session is None:
        return report
    try:
        misses = session.server.misses()
    except OSError as error:  # the server died: say so, with what it said
        report.outcome = "failed"
        report.longrepr = (f"{report.longrepr or ''}\n\nthe streamtape replay server did not answer "
                           f"/__streamtape/misses ({error}); its stderr:\n{session.server.stderr()}")
        return report
    if not misses:
        return report
    text = explain(misses, session.cassette, session.tapes)
    add_section = getattr(report.longrepr, "addsection", None)
    if report.failed and callable(add_section):
        add_section("streamtape: no recording matched", text)
    elif report.failed:
        report.longrepr = f"{report.longrepr}\n\n{text}"
    else:
        report.outcome = "failed"
        report.longrepr = text
    return report
