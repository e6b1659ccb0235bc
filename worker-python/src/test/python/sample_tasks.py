"""Tasks the integration tests load into the worker with ``--tasks-module``.

The import below is the worker's own package (``forkpool_worker/``, which the launcher script
``forkpool_worker.py`` runs), so it shares the worker's context and exception types.
"""

import socket
import sys
import time

import forkpool_worker


class CustomError(Exception):
    """An exception type that is not a built-in, to check qualified names."""


def echo(value):
    """Returns its input unchanged."""
    return value


def raise_value_error(value):
    """Raises a ValueError caused by a KeyError (to check that causes are printed)."""
    try:
        {}["missing"]
    except KeyError as e:
        raise ValueError(f"bad input: {value}") from e


def raise_custom(value):
    """Raises a non-built-in exception."""
    raise CustomError("custom")


def raise_without_message(value):
    """Raises an exception without arguments: its FAILURE message is null."""
    raise RuntimeError()


def raise_huge(size):
    """Raises an exception whose message (and so stack trace) is ``size`` bytes long."""
    raise ValueError("é" * (size // 2))


def call_exit(code):
    """Calls sys.exit: in a worker thread that is just another exception."""
    sys.exit(code)


def sleep(seconds):
    """Sleeps without looking at cancellation; returns its input."""
    time.sleep(seconds)
    return seconds


def cooperative_sleep(seconds):
    """Sleeps in 10 ms steps, stopping with TaskCancelled once the task is cancelled."""
    context = forkpool_worker.current_context()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        context.check_cancelled()
        time.sleep(0.01)
    return seconds


def print_text(text):
    """Prints to stdout and stderr: free text that must not disturb the protocol."""
    print(text)
    print("to stderr: " + text, file=sys.stderr)
    return "printed"


def describe_context(value):
    """Returns what the task context says."""
    context = forkpool_worker.current_context()
    return {
        "taskId": context.task_id,
        "name": context.name,
        "attempt": context.attempt,
        "workerId": context.worker_id,
        "cancelled": context.is_cancelled(),
    }


def huge_output(size):
    """Returns a string of ``size`` characters."""
    return "x" * size


def not_a_number(value):
    """Returns NaN, which JSON cannot carry."""
    return float("nan")


def read_stdin(value):
    """Reads standard input: the worker has pointed fd 0 at /dev/null, so this is empty."""
    return sys.stdin.read()


def allocate(size):
    """Allocates ``size`` bytes: far too many raises MemoryError inside the task."""
    return len(bytearray(size))


def nest(depth):
    """Returns ``depth`` nested arrays: ``[[...]]``."""
    value = []
    for _ in range(depth - 1):
        value = [value]
    return value


_calls = 0


def counted(value):
    """Counts its calls and returns the count so far, to show which inputs of a batch ran: a
    number sleeps that many seconds first (stopping once cancelled), ``"fail"`` raises."""
    global _calls
    _calls += 1
    if value == "fail":
        raise ValueError(f"call {_calls} fails")
    if value:
        cooperative_sleep(value)
    return _calls


def gate(path):
    """Connects to the test's Unix socket ``path``, says ``started`` and waits there until the
    test sends a byte: a task that runs exactly as long as the test wants, without sleeping."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(path)
        conn.sendall(b"started")
        if not conn.recv(1):
            raise RuntimeError("the gate closed without letting the task go")
    return "released"


def touch(path):
    """Creates the file ``path``: proof that the task ran."""
    with open(path, "w"):
        pass
    return path


TASKS = {
    "test.Echo": echo,
    "test.Raise": raise_value_error,
    "test.RaiseCustom": raise_custom,
    "test.RaiseWithoutMessage": raise_without_message,
    "test.RaiseHuge": raise_huge,
    "test.Exit": call_exit,
    "test.Sleep": sleep,
    "test.CooperativeSleep": cooperative_sleep,
    "test.Print": print_text,
    "test.Context": describe_context,
    "test.HugeOutput": huge_output,
    "test.NaN": not_a_number,
    "test.ReadStdin": read_stdin,
    "test.Allocate": allocate,
    "test.Nest": nest,
    "test.Touch": touch,
    "test.Gate": gate,
    "test.Counted": counted,
}
