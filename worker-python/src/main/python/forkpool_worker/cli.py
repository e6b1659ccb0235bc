"""The entry points: :func:`serve` (a worker with your own tasks) and :func:`main` (the command
line: ``python3 forkpool_worker.py [--tasks-module PATH.py ...] [--no-status]``).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import socket
import sys
from typing import Any, Callable, Mapping, Optional

from . import examples
from .bootstrap import Bootstrap, BootstrapError, read_bootstrap_line, start_lifeline, start_supervisor_watch
from .exits import (
    EXIT_BAD_BOOTSTRAP,
    EXIT_CONNECT_FAILED,
    EXIT_WORKER_ERROR,
    exit_flushed,
    exit_out_of_memory,
    internal_error,
    log,
)
from .handler import FEATURES, Worker, runtime_description
from .wire import MAX_CONTROL_MESSAGE, PROTOCOL_VERSION, Hello, encode_message


def serve(
    tasks: Optional[Mapping[str, Callable[[Any], Any]]] = None,
    *,
    include_builtin: bool = True,
    send_status: bool = True,
) -> None:
    """Runs this process as a forkpool worker; never returns.

    Reads the bootstrap line from standard input, starts the lifeline and the supervisor watch,
    connects, sends ``HELLO`` and serves tasks until the supervisor shuts the worker down, closes
    the socket or goes away; the process then exits with a code of spec section 9.

    Call it before anything reads standard input.

    :param tasks: task name -> function of the decoded JSON input, returning the output
    :param include_builtin: also register ``io.forkpool.examples.CountPrimes``
    :param send_status: report memory use with ``STATUS`` after tasks
    """
    try:
        _serve(tasks, include_builtin, send_status)
    except MemoryError:
        exit_out_of_memory()
    except BaseException as e:  # noqa: BLE001 - a bug in the worker itself
        internal_error("main thread", e)


def _serve(
    tasks: Optional[Mapping[str, Callable[[Any], Any]]], include_builtin: bool, send_status: bool
) -> None:
    registry: dict[str, Callable[[Any], Any]] = dict(examples.TASKS) if include_builtin else {}
    registry.update(tasks or {})
    for stream in (sys.stdout, sys.stderr):  # spec 1: output SHOULD be UTF-8
        try:
            stream.reconfigure(encoding="utf-8", errors="backslashreplace")
        except (AttributeError, OSError, ValueError):
            pass

    try:
        bootstrap = Bootstrap.parse(read_bootstrap_line(0))
        hello = Hello(PROTOCOL_VERSION, os.getpid(), bootstrap.token, runtime_description(), FEATURES)
        hello_size = len(encode_message(hello).payload)
        if hello_size > min(bootstrap.max_frame_length, MAX_CONTROL_MESSAGE):
            raise BootstrapError(
                f"maxFrameLength {bootstrap.max_frame_length} is too small for the {hello_size}-byte HELLO"
            )
    except BootstrapError as e:
        log(f"forkpool worker: {e}")
        exit_flushed(EXIT_BAD_BOOTSTRAP)

    start_lifeline()
    start_supervisor_watch(bootstrap.supervisor_pid, bootstrap.supervisor_start_millis)

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(bootstrap.socket_path)
    except (OSError, ValueError) as e:  # ValueError: a path with a NUL byte
        log(f"forkpool worker {bootstrap.worker_id}: cannot connect to {bootstrap.socket_path}: {e}")
        exit_flushed(EXIT_CONNECT_FAILED)

    Worker(bootstrap, sock, registry, send_status).serve()


def _exec_without_bytecode_cache(spec: Any, module: Any) -> None:
    """Runs a module loaded by path without writing ``__pycache__`` next to its file."""
    previous = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = previous


def load_tasks_module(path: str) -> dict[str, Callable[[Any], Any]]:
    """Loads the Python file ``path`` and returns its ``TASKS`` dict.

    :raises ImportError: when the file cannot be loaded or has no ``TASKS`` dict
    """
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    _exec_without_bytecode_cache(spec, module)
    tasks = getattr(module, "TASKS", None)
    if not isinstance(tasks, dict) or not all(isinstance(k, str) and callable(v) for k, v in tasks.items()):
        raise ImportError(f"{path} does not define TASKS = {{name: function}}")
    return tasks


class _ArgumentParser(argparse.ArgumentParser):
    """Bad command-line arguments are the worker failing by itself: exit 1 (spec 9), not 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        log(f"forkpool worker: {message} (usage: {self.format_usage().strip()})")
        exit_flushed(EXIT_WORKER_ERROR)


def main(argv: Optional[list[str]] = None) -> None:
    """The command line: ``forkpool_worker.py [--tasks-module PATH.py ...] [--no-status]``; never returns."""
    parser = _ArgumentParser(description="forkpool protocol v1 worker (Python)")
    parser.add_argument(
        "--tasks-module",
        action="append",
        default=[],
        metavar="PATH.py",
        help="a Python file defining TASKS = {name: function}; may be repeated",
    )
    parser.add_argument("--no-status", action="store_true", help="never send STATUS frames")
    args = parser.parse_args(argv)
    tasks: dict[str, Callable[[Any], Any]] = {}
    for path in args.tasks_module:
        try:
            tasks.update(load_tasks_module(path))
        except MemoryError:
            exit_out_of_memory()
        except BaseException as e:  # noqa: BLE001 - any failure to load is a configuration error
            log(f"forkpool worker: cannot load tasks module {path}: {type(e).__name__}: {e}")
            exit_flushed(EXIT_WORKER_ERROR)
    serve(tasks, send_status=not args.no_status)

