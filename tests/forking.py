"""Child processes for the kill tests, forked from a clean server instead of started anew.

The crash tests kill about 150 writers and merges. Started as ``python -c ...``, each paid
the interpreter's start and irp-field's imports (0.13-0.25 s of CPU) before it wrote a
row: about a tenth of the suite's CPU went to imports that the tests do not test.

A server process per worker imports irp-field once and forks one child per request. The
server is a process of its own, not the test's: it has opened no visit, holds no SQLite
connection and runs no thread, so its children start as clean as a new interpreter (a
fork of the test process itself would inherit SQLite's per-process lock table and the
test's disk-sync setting). Each child gets its own environment, folder, argv, stdout and
stderr, is a real process the test kills with SIGKILL, and its exit status is its own.

Elsewhere than POSIX (no ``os.fork``, no ``socket.send_fds``) a child is started anew,
as before.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from subprocess import PIPE
from typing import IO

PRELOAD = ("irp_field.replication.merge", "irp_field.core.visit_file", "irp_field.core.ids")

SERVER = r"""
import importlib, json, os, runpy, socket, sys, traceback
channel = socket.socket(fileno=int(sys.argv[1]))
for name in sys.argv[2:]:
    importlib.import_module(name)
while True:
    message, fds, _, _ = socket.recv_fds(channel, 1 << 20, 2)
    if not message:
        break
    request = json.loads(message)
    pid = os.fork()
    if pid == 0:
        channel.close()
        os.dup2(fds[0], 1)
        os.dup2(fds[1], 2)
        for fd in fds:
            os.close(fd)
        os.environ.clear()
        os.environ.update(request["env"])
        os.chdir(request["cwd"])
        sys.argv = request["argv"]
        code = 0
        try:
            if request["code"] is not None:
                exec(compile(request["code"], "<string>", "exec"), {"__name__": "__main__"})
            else:
                runpy.run_path(request["argv"][0], run_name="__main__")
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)
    for fd in fds:
        os.close(fd)
    channel.sendall(f"{pid}\n".encode())
    _, status = os.waitpid(pid, 0)
    channel.sendall(f"{os.waitstatus_to_exitcode(status)}\n".encode())
"""


class ForkServer:
    """One per worker (``fork_server`` fixture in conftest), started on first use."""

    def __init__(self) -> None:
        self._unwaited: list[Forked] = []
        if os.name != "posix":
            return
        self._mine, theirs = socket.socketpair()
        self._process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(theirs.fileno()), *PRELOAD],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        theirs.close()
        self._replies = self._mine.makefile("r")

    def start(
        self, argv: list[str], *, code: str | None = None, env: dict[str, str] | None = None
    ) -> Forked | subprocess.Popen[str]:
        """A child running ``code`` (as ``python -c code *argv``) or the script argv[0].
        A child an earlier (failed) test left running is killed first: the server serves
        one child at a time."""
        if os.name != "posix":
            command = [sys.executable, *(["-c", code, *argv[1:]] if code is not None else argv)]
            return subprocess.Popen(command, env=env, text=True, stdout=PIPE, stderr=PIPE)
        for left in self._unwaited:
            left.send_signal(signal.SIGKILL)
            left.wait()
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        request = {
            "argv": argv,
            "code": code,
            "env": dict(os.environ if env is None else env),
            "cwd": os.getcwd(),
        }
        try:
            socket.send_fds(self._mine, [json.dumps(request).encode()], [out_write, err_write])
        finally:
            os.close(out_write)
            os.close(err_write)
        pid = int(self._replies.readline())
        out = open(out_read, encoding="utf-8")  # noqa: SIM115 (closed by communicate)
        err = open(err_read, encoding="utf-8")  # noqa: SIM115 (closed by communicate)
        child = Forked(pid, out, err, self)
        self._unwaited = [child]
        return child

    def exit_code(self, child: Forked) -> int:
        self._unwaited.remove(child)
        return int(self._replies.readline())

    def close(self) -> None:
        if os.name != "posix":
            return
        for left in self._unwaited:
            left.send_signal(signal.SIGKILL)
            left.wait()
        self._replies.close()
        self._mine.close()
        self._process.wait(timeout=30)


class Forked:
    """The parts of ``subprocess.Popen`` the kill tests use."""

    def __init__(self, pid: int, stdout: IO[str], stderr: IO[str], server: ForkServer) -> None:
        self.pid = pid
        self.stdout = stdout
        self.stderr = stderr
        self.returncode: int | None = None
        self._server = server

    def send_signal(self, signal_number: int) -> None:
        if self.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it had ended by itself
                os.kill(self.pid, signal_number)

    def wait(self) -> int:
        if self.returncode is None:
            self.returncode = self._server.exit_code(self)
        return self.returncode

    def communicate(self, timeout: float | None = None) -> tuple[str, str]:
        """Everything it wrote, once it has ended; past ``timeout`` (a hang guard) it is
        killed and TimeoutExpired raised, as Popen would."""
        fired: list[bool] = []

        def kill() -> None:
            fired.append(True)
            self.send_signal(signal.SIGKILL)

        guard = threading.Timer(timeout, kill) if timeout else None
        if guard is not None:
            guard.start()
        try:
            out, err = self.stdout.read(), self.stderr.read()
        finally:
            if guard is not None:
                guard.cancel()
        self.stdout.close()
        self.stderr.close()
        self.wait()
        if fired:
            raise subprocess.TimeoutExpired("forked child", timeout or 0, out, err)
        return out, err
