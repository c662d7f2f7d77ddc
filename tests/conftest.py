"""Shared fixtures: the world every test runs in, a private data folder for every test,
and visits to work on.

Tests own their world: whatever a test relies on from the process (the time zone, the
umask, the terminal's width, animations, colour, how a writer waits for the disk) is set
here for every test, never inherited from the shell that started pytest. Markers
(``tui``, ``snapshot``, ``property``, ``crash``) are given by what a test is, so that the
edit-test loop can leave the slow kinds out (CONTRIBUTING.md).
"""

from __future__ import annotations

import contextlib
import gc
import inspect
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import textual.constants
from forking import ForkServer
from hypothesis import is_hypothesis_test

from irp_field.core import connection
from irp_field.core.visit_file import VisitFile
from irp_field.interchange import samples
from irp_field.interchange.bundle import build_from_bundle

# The kinds of test, by what they are (file names and fixtures), for ``-m``.
_CRASH_FILES = {
    "test_hardening_crash.py",
    "test_hardening_tui_kill.py",
    "test_merge_kill.py",
    "test_hardening_concurrency.py",
    "test_temporary_copies_kill.py",
}
_TUI_FILES = {"test_layers.py"}  # imports the app in subprocesses


def pytest_configure(config: pytest.Config) -> None:
    """Before the workers start: the test files' rewritten asserts compiled once, here,
    rather than once by each of six workers (about five seconds of CPU each, when the
    environment forbids bytecode caches; PYTHONDONTWRITEBYTECODE is set on CI's machine)."""
    _collect_garbage_less_often()
    _parse_each_stylesheet_once()
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", default=0):
        return
    _compile_test_files(config, Path(__file__).parent)


def _collect_garbage_less_often() -> None:
    """A Textual test makes and drops widgets, styles and messages by the hundred thousand,
    and Python's default (a young collection every 700 new objects) walked them about
    2,400 times in a file of UI tests. Every 10,000 new objects instead: the same garbage
    is freed, in larger and fewer sweeps (the collector's CPU in a worker fell by about
    a third). A worker holds at most a few megabytes more between sweeps; the tests that
    measure memory measure other processes or tracemalloc's peaks of their own work."""
    gc.set_threshold(10_000, 50, 100)


def _parse_each_stylesheet_once() -> None:
    """Every app a UI test starts parses the same CSS again (its own, every widget's
    defaults, the theme's), about a tenth of the CPU of a UI test; a worker starts some
    hundreds of apps. Textual keeps what it parsed per stylesheet, so per app; here it is
    kept per process, keyed as Textual keys it plus the theme's variables that the parse
    reads. Textual's private method, so only a speed-up: a Textual without it, or with
    another signature, parses as before. The rules are read, never changed, once parsed
    (Textual already hands the same ones to every parse of one stylesheet)."""
    try:
        from textual.css.stylesheet import Stylesheet

        parse_rules = Stylesheet._parse_rules
        params = list(inspect.signature(parse_rules).parameters)
    except (ImportError, AttributeError, TypeError, ValueError):
        return
    if params != ["self", "css", "read_from", "is_default_rules", "tie_breaker", "scope"]:
        return
    parsed: dict[tuple[object, ...], Any] = {}

    def parse_once(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope, _variables(self))
        if key not in parsed:
            parsed[key] = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
        return parsed[key]

    Stylesheet._parse_rules = parse_once  # type: ignore[method-assign]


def _variables(stylesheet: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(stylesheet._variables.items()))


def _compile_test_files(config: pytest.Config, folder: Path) -> None:
    """pytest's own cache of rewritten test files (``__pycache__/*-pytest-*.pyc``), which
    every worker reads; pytest's private helpers, so only a speed-up: a pytest that has
    changed them rewrites in each worker as before. A fresh clone has none: the files
    are rewritten by two processes (a forked child takes every other file), as the
    workers start only once this is done and the machine has two cores."""
    try:
        from _pytest.assertion import rewrite

        state = config.stash[rewrite.assertstate_key]

        def pyc(source: Path) -> Path:
            return Path(rewrite.get_cache_dir(source) / (source.name[:-3] + rewrite.PYC_TAIL))

        def compile_all(sources: list[Path]) -> None:
            for source in sources:
                if rewrite.try_makedirs(pyc(source).parent):
                    stat, code = rewrite._rewrite_test(source, config)
                    rewrite._write_pyc(state, code, stat, pyc(source))

        stale = [
            s for s in sorted(folder.glob("test_*.py")) if rewrite._read_pyc(s, pyc(s)) is None
        ]
    except (ImportError, AttributeError, TypeError, KeyError):
        return
    _in_two(compile_all, stale)


def _in_two(work: Callable[[list[Path]], None], items: list[Path]) -> None:
    """``work`` over ``items``, half of them in a forked child where there is fork."""
    if sys.platform == "win32" or len(items) < 8:
        with contextlib.suppress(ImportError, AttributeError, TypeError, KeyError):
            work(items)
        return
    child = os.fork()
    if child == 0:  # the child: its half, then gone without running pytest's exit
        try:
            work(items[1::2])
        finally:
            os._exit(0)
    with contextlib.suppress(ImportError, AttributeError, TypeError, KeyError):
        work(items[0::2])
    os.waitpid(child, 0)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What is loaded by now (the modules, the collected tests) lives as long as the
    process: moved out of the collector's sight, so that each full collection, and pytest's
    five at the end, does not walk it again (the garbage collector's time in a worker fell
    by about 40%)."""
    gc.collect()
    gc.freeze()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    _mark_by_kind(items)
    # The costliest files first (pyproject's `--no-loadscope-reorder` keeps this order; by
    # default xdist hands out the files with the most tests first, which put the one-test
    # properties, crashes and the keystroke sheets last, and the run waited on them). The
    # cost is guessed from what a test is; tests never depend on order.
    cost: dict[Path, float] = {}
    for item in items:
        cost[item.path] = cost.get(item.path, 0.0) + _guessed_seconds(item)
    order = {item: index for index, item in enumerate(items)}
    items.sort(key=lambda item: (-cost[item.path], str(item.path), order[item]))


def _guessed_seconds(item: pytest.Item) -> float:
    """A rough guess of a test's wall time on a busy worker, by its kind."""
    for kind, seconds in _GUESSED_SECONDS:
        if item.get_closest_marker(kind):
            return seconds
    return 0.05


_GUESSED_SECONDS = (("slow", 20.0), ("property", 15.0), ("crash", 10.0), ("tui", 2.0))


def _mark_by_kind(items: list[pytest.Item]) -> None:
    for item in items:
        name = item.path.name
        fixtures = getattr(item, "fixturenames", ())
        function = getattr(item, "function", None)
        drives_the_ui = inspect.iscoroutinefunction(function)  # every async test is Pilot's
        if (
            name.startswith("test_tui_")
            or name in _TUI_FILES
            or "snap_compare" in fixtures
            or drives_the_ui
        ):
            item.add_marker(pytest.mark.tui)
        if "snap_compare" in fixtures:
            item.add_marker(pytest.mark.snapshot)
        if name in _CRASH_FILES:
            item.add_marker(pytest.mark.crash)
        if function is not None and is_hypothesis_test(function):  # or marked by hand
            item.add_marker(pytest.mark.property)


@pytest.fixture(autouse=True)
def fixed_world(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's environment as every test expects it, whatever the shell had."""
    monkeypatch.setenv("TZ", "UTC")
    if hasattr(time, "tzset"):  # POSIX only; Windows takes TZ as it comes
        time.tzset()
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "24")
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    for colour in ("FORCE_COLOR", "NO_COLOR", "TERM_PROGRAM"):
        monkeypatch.delenv(colour, raising=False)
    # Animations end where they end on a loaded machine: pictures are taken without them.
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")
    # Writers do not wait for the disk, except in the tests that prove durability.
    if not request.node.get_closest_marker("crash"):
        monkeypatch.setattr(connection, "SYNCHRONOUS", "OFF")
    # Datasette, once imported in a worker, prints every failing SQL function's traceback.
    sqlite3.enable_callback_tracebacks(False)
    old_umask = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old_umask)


@pytest.fixture(autouse=True)
def irp_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data folder through IRP_FIELD_HOME, never the user's."""
    home = tmp_path_factory.mktemp("irp-home")
    monkeypatch.setenv("IRP_FIELD_HOME", str(home))
    monkeypatch.setenv("IRP_FIELD_USER", "Test Inspector")
    return home


@pytest.fixture(scope="session")
def fork_server() -> Iterator[ForkServer]:
    """Writers and merges for the kill tests, forked from one clean process per worker
    (tests/forking.py): the children skip the interpreter's start and irp-field's imports."""
    server = ForkServer()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def hull_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Hull sample built once per session; copy it with ``hull_path`` before writing."""
    folder = tmp_path_factory.mktemp("hull-template")
    built = build_from_bundle(samples.sample_bundle(), folder / "hull.db", user="Sara Pennington")
    _TEMPLATE_BYTES[built] = built.read_bytes()
    return built


_TEMPLATE_BYTES: dict[Path, bytes] = {}


@pytest.fixture(autouse=True)
def template_untouched(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test that uses the shared sample leaves it as built: one that wrote to it (a
    redacted export of it keeps its key in it, and its first writer gives it a laptop id
    of its own) changed what every later test of its worker started from, and a forged
    history then passed the merge in one test out of a few, by test order alone."""
    yield
    if "hull_template" not in request.fixturenames:
        return
    for path, built in _TEMPLATE_BYTES.items():
        wal = Path(f"{path}-wal")
        touched = path.read_bytes() != built or (wal.exists() and wal.stat().st_size > 0)
        assert not touched, f"{request.node.nodeid} wrote to the shared Hull sample {path}"


@pytest.fixture
def hull_path(hull_template: Path, tmp_path: Path) -> Path:
    """A private copy of the Hull sample visit file."""
    import sqlite3

    target = tmp_path / "hull.db"
    source = sqlite3.connect(hull_template)
    copy = sqlite3.connect(target)
    with copy:
        source.backup(copy)
    source.close()
    copy.close()
    return target


@pytest.fixture
def hull(hull_path: Path) -> Iterator[VisitFile]:
    with VisitFile.open(hull_path, user="Jade Richards") as visit:
        yield visit


@pytest.fixture
def empty_visit(tmp_path: Path) -> Iterator[VisitFile]:
    """A visit with nothing in it yet, on the Hull sample's dates (evidence is dated
    inside its visit, or an import refuses it)."""
    with VisitFile.create(
        tmp_path / "empty.db",
        establishment="HMP Test",
        start_date="2022-03-14",
        end_date="2022-03-16",
        user="Test Inspector",
    ) as visit:
        yield visit
