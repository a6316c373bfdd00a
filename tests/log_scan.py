"""A pytest plugin: no secret in any log record, over the whole run.

Every record of every logger at every level (the root and any logger with its own level are lowered
to DEBUG for the run; console handlers and pytest's log capture keep their level, so the output does
not change) goes through
a handler on the root logger, which looks in the message and any traceback for:

- an API token's plaintext (`chr_<prefix>_<secret>`),
- the factories' password and the SECRET_KEY,
- every value made by `secrets.token_urlsafe` during the run (webhook secrets, data source tokens,
  token secrets): the function is wrapped to remember what it returns.

A record found during a test fails that test's teardown, naming the logger and what leaked (so it
works the same under pytest-xdist: each worker checks its own records and reports through the test).
Records outside any test fail the session at its end (under xdist the controller collects them).
"""

import logging
import re
import secrets

import pytest

TOKEN = re.compile(r"chr_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")
RUN = re.compile(r"[A-Za-z0-9_-]{16,}")
MIN_SECRET_LENGTH = 16


class SecretScan(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.fixed: dict[str, str] = {}  # secret -> what it is
        self.made: set[str] = set()
        self.found: list[str] = []

    def remember(self, value: str) -> str:
        if len(value) >= MIN_SECRET_LENGTH:
            self.made.add(value)
        return value

    def leaks(self, text: str) -> list[str]:
        found = [f"an API token ({match[:12]}…)" for match in TOKEN.findall(text)]
        found += [what for secret, what in self.fixed.items() if secret in text]
        found += [f"a generated secret ({run[:4]}…)" for run in RUN.findall(text) if run in self.made]
        return found

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except Exception:  # a malformed record: scan its parts
            text = f"{record.msg} {record.args}"
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        text = f"{text}\n{record.exc_text or ''}\n{record.stack_info or ''}"
        for what in self.leaks(text):
            self.found.append(f"{what} in a {record.levelname} record of logger {record.name!r}")

    def take(self) -> list[str]:
        found, self.found = self.found, []
        return found


SCAN = SecretScan()
_levels: dict[logging.Logger, int] = {}
_original_token_urlsafe = secrets.token_urlsafe


def _token_urlsafe(nbytes=None):
    return SCAN.remember(_original_token_urlsafe(nbytes))


def _attach() -> None:
    """(Re)attach to the root logger and lower the levels again before each test: Django's logging
    set-up replaces the root's handlers, and pytest's log capture restores the root's level after the
    session start."""
    root = logging.getLogger()
    if SCAN not in root.handlers:
        for handler in root.handlers:
            if handler.level == logging.NOTSET:
                handler.setLevel(_levels.get(root, root.level))  # the console shows what it showed
        root.addHandler(SCAN)
    loggers = [root] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger) and logger.level > logging.DEBUG
    ]
    for logger in loggers:
        _levels.setdefault(logger, logger.level)
        logger.setLevel(logging.DEBUG)


def _fixed_secrets() -> dict[str, str]:
    from django.conf import settings

    from charter.organizations.tests.factories import PASSWORD

    return {PASSWORD: "the factories' password", settings.SECRET_KEY: "the SECRET_KEY"}


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    secrets.token_urlsafe = _token_urlsafe
    SCAN.fixed = _fixed_secrets()
    _attach()


def pytest_runtest_logstart(nodeid, location):
    # Before the phases: pytest's capture of each phase restores the root level it found at its start.
    _attach()
    session_leaks = SCAN.take()  # between tests (collection, fixtures of the session): kept for the end
    _outside.extend(session_leaks)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "teardown":
        leaks = SCAN.take()
        if leaks:
            report.outcome = "failed"
            report.longrepr = "A secret reached the logs:\n" + "\n".join(f"  - {leak}" for leak in leaks)
    return report


_outside: list[str] = []


def _report_outside(session, leaks) -> None:
    if leaks:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter:
            reporter.write_line("A secret reached the logs outside any test:", red=True)
            for leak in leaks:
                reporter.write_line(f"  - {leak}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    leaks = _outside + SCAN.take()
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: hand them to the controller
        workeroutput["secret_leaks"] = leaks
    else:
        _report_outside(session, leaks + _from_workers)
    secrets.token_urlsafe = _original_token_urlsafe
    for logger, level in _levels.items():
        logger.setLevel(level)


_from_workers: list[str] = []


class _XdistController:
    @pytest.hookimpl
    def pytest_testnodedown(self, node, error):
        _from_workers.extend(getattr(node, "workeroutput", {}).get("secret_leaks", []))


def pytest_configure(config):
    # Records are now made at every level; pytest's report and caplog capture keep showing WARNING and
    # above unless asked (`--log-level`, `caplog.set_level`), so failure reports stay readable.
    if config.getoption("log_level") is None and not config.getini("log_level"):
        config.option.log_level = "WARNING"
    if config.pluginmanager.hasplugin("xdist"):
        config.pluginmanager.register(_XdistController(), "log-scan-xdist")
