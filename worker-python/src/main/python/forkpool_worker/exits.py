"""Exit codes (spec 9) and the ways the worker ends its process.

Every way out goes through :func:`exit_flushed`, :func:`exit_out_of_memory` or
:func:`internal_error`: ``os._exit`` with a code of spec section 9, after flushing what tasks
printed, without waiting for any thread or running ``atexit`` hooks.
"""

from __future__ import annotations

import os
import sys

# Exit codes (spec 9).
EXIT_OK = 0
EXIT_WORKER_ERROR = 1
EXIT_OUT_OF_MEMORY = 3
EXIT_BAD_BOOTSTRAP = 64
EXIT_SOCKET_FAILED = 65
EXIT_CONNECT_FAILED = EXIT_SOCKET_FAILED
EXIT_PROTOCOL_VIOLATION = 66
EXIT_LIFELINE = 67


def log(message: str) -> None:
    """Writes one line to standard error (free text for the supervisor's log)."""
    line = " ".join(message.split("\n")) + "\n"
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def flush_stdio() -> None:
    """Flushes standard output and error (spec 1: output still in a buffer dies with the process)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def exit_flushed(code: int) -> None:
    """Flushes what tasks printed, then ends the process without waiting for any thread."""
    flush_stdio()
    os._exit(code)


OUT_OF_MEMORY_LINE = b"forkpool worker: out of memory (MemoryError outside a task); exiting with code 3\n"


def exit_out_of_memory() -> None:
    """Ends the process with 3, writing a prepared line (no allocation needed) to stderr."""
    try:
        flush_stdio()
        os.write(2, OUT_OF_MEMORY_LINE)
    except BaseException:  # noqa: BLE001 - exit 3 whatever happens
        pass
    os._exit(EXIT_OUT_OF_MEMORY)


def internal_error(where: str, error: BaseException) -> None:
    """Ends the process with 1 after an exception the worker did not expect (a bug)."""
    if isinstance(error, MemoryError):
        exit_out_of_memory()
    try:
        log(f"forkpool worker: internal error in the {where}: {type(error).__name__}: {error}")
    except BaseException:  # noqa: BLE001
        pass
    exit_flushed(EXIT_WORKER_ERROR)


