"""What a task sees and how its end is reported: :class:`TaskContext`, the worker's own
failure types, and the ``FAILURE`` built from an exception (spec 4.2, 4.3).

* **Failures** (spec 4.2): ``exceptionClass`` is the Python type's qualified name (``ValueError``
  for built-ins, ``module.Class`` otherwise), ``message`` is ``str(exc)`` (``null`` when the
  exception has no arguments), ``stackTrace`` is the formatted traceback with causes. All three
  texts are cut to 32 KiB of UTF-8, keeping the head and the tail (a Python traceback ends with
  the exception line), and cut further if needed so that the payload fits both ``maxFrameLength``
  and the 1 MiB control-message limit (spec 6). A name that is not valid UTF-8, refused by the
  allow-list or unknown, an input that is not one JSON document (or nests deeper than 500), and
  an output that cannot be encoded, nests deeper than 500 or exceeds ``maxFrameLength`` are
  failures too, with the worker's own exception types (:class:`TaskNotAllowedError`,
  :class:`UnknownTaskError`, :class:`InputDecodeError`, :class:`OutputEncodeError`). Any
  ``BaseException`` a task raises (``SystemExit`` included) is reported as a failure; the worker
  keeps serving.
* **Out of memory**: a ``MemoryError`` raised while a task runs (by the task, or while decoding
  its input or encoding its output) is that task's failure like any other exception, reported as
  ``exceptionClass`` ``MemoryError``: Python raises it for a single allocation that fails, after
  which the process is usually fine. A ``MemoryError`` in the worker's own code (reading frames,
  building a reply, parsing the bootstrap line, loading a tasks module) ends the process with 3,
  the code spec 9 reserves for running out of memory; no other failure uses 3.
"""

from __future__ import annotations

import dataclasses
import threading
import traceback
from typing import Any, Callable, Optional

from .wire import (
    CANCELLATION_EXCEPTION,
    MAX_CONTROL_MESSAGE,
    STAGE_INPUT,
    STAGE_OUTPUT,
    Failure,
    encode_message,
)

TEXT_LIMIT = 32 * 1024
"""Where a failure's texts are cut, in UTF-8 bytes (spec 4.2)."""


class TaskCancelled(Exception):
    """Raised by :meth:`TaskContext.check_cancelled`; reported as ``CancellationException``."""


class TaskNotAllowedError(ValueError):
    """The ``TASK`` names a task that the pool's ``allowedTasks`` refuses (spec 4.1)."""


class UnknownTaskError(LookupError):
    """The ``TASK`` names a task this worker has not registered, or is not valid UTF-8."""


class InputDecodeError(ValueError):
    """The ``TASK`` input is not exactly one UTF-8 JSON document nesting at most 500 levels; or the
    inputs of a ``BATCH`` are not one JSON array of 1 to 65,536 such documents. Its ``FAILURE``
    has the stage ``"input"`` (spec 4.2): the worker raises it, a task should not."""


class OutputEncodeError(ValueError):
    """The task's output cannot be encoded as JSON, nests deeper than 500 levels, or is larger
    than ``maxFrameLength``. Its ``FAILURE`` has the stage ``"output"`` (spec 4.2): the worker
    raises it, a task should not."""


class TaskContext:
    """What a running task may know about itself; see :func:`current_context`."""

    def __init__(self, task_id: int, name: str, attempt: int, worker_id: int) -> None:
        self.task_id = task_id
        self.name = name
        self.attempt = attempt
        """1 the first time the task is sent, one more for each worker that died running it."""
        self.worker_id = worker_id
        self._cancelled = threading.Event()

    def is_cancelled(self) -> bool:
        """Tells whether the supervisor has sent ``CANCEL`` for this task."""
        return self._cancelled.is_set()

    def check_cancelled(self) -> None:
        """Raises :class:`TaskCancelled` if the supervisor has cancelled this task."""
        if self._cancelled.is_set():
            raise TaskCancelled(f"task {self.task_id} was cancelled")

    def cancel(self) -> None:
        """Marks the task cancelled (the worker calls this on ``CANCEL``)."""
        self._cancelled.set()


_current = threading.local()


def current_context() -> TaskContext:
    """Returns the context of the task running on the calling thread.

    :raises RuntimeError: outside a task (e.g. on a thread the task started itself)
    """
    context = getattr(_current, "context", None)
    if context is None:
        raise RuntimeError("no forkpool task is running on this thread")
    return context


def call_in_context(context: TaskContext, task: Callable[[Any], Any], task_input: Any) -> Any:
    """Calls ``task(task_input)`` with ``context`` as the calling thread's :func:`current_context`."""
    _current.context = context
    try:
        return task(task_input)
    finally:
        _current.context = None


def qualified_name(cls: type) -> str:
    """``ValueError`` for built-ins, ``module.Outer.Inner`` otherwise."""
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def cut_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """Returns ``text`` as valid UTF-8 of at most ``limit`` bytes, keeping its head and tail.

    A cut text gets a marker line in the middle. Lone surrogates (which UTF-8 cannot carry)
    become backslash escapes first.
    """
    data = text.encode("utf-8", "backslashreplace")
    if len(data) <= limit:
        return data.decode("utf-8")
    marker = f"\n... [cut, {len(data)} bytes in all] ...\n"
    keep = limit - len(marker.encode())
    if keep < 0:
        return data[:limit].decode("utf-8", "ignore")
    head = data[: keep // 2].decode("utf-8", "ignore")  # "ignore" drops a split character
    tail = data[len(data) - (keep - keep // 2) :].decode("utf-8", "ignore")
    return head + marker + tail


def failure_from_exception(task_id: int, exc: BaseException) -> Failure:
    """Describes ``exc`` as a ``FAILURE`` for ``task_id`` (texts cut to 32 KiB each), with the
    stage of spec 4.2 for the worker's own :class:`InputDecodeError` and :class:`OutputEncodeError`."""
    if isinstance(exc, TaskCancelled):
        exception_class = CANCELLATION_EXCEPTION
    else:
        exception_class = qualified_name(type(exc))
    try:
        message = str(exc) if exc.args else None
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails
        message = f"<unprintable {type(exc).__name__}>"
    stack_trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    if isinstance(exc, InputDecodeError):
        stage: Optional[str] = STAGE_INPUT
    elif isinstance(exc, OutputEncodeError):
        stage = STAGE_OUTPUT
    else:
        stage = None
    return Failure(
        task_id,
        cut_text(exception_class),
        None if message is None else cut_text(message),
        cut_text(stack_trace),
        stage=stage,
    )


def cancellation_failure(task_id: int, index: Optional[int] = None) -> Failure:
    """The ``FAILURE`` that answers a task cancelled before it started (spec 4.3), or a batch
    cancelled before its input ``index`` started (spec 4.5)."""
    if index is None:
        message = f"task {task_id} was cancelled before it started"
    else:
        message = f"batch {task_id} was cancelled before its input {index} started"
    stack_trace = f"{CANCELLATION_EXCEPTION}: {message}\n"
    return Failure(task_id, CANCELLATION_EXCEPTION, message, stack_trace, index)


def fitted_failure_payload(failure: Failure, max_frame_length: int) -> Optional[bytes]:
    """Encodes ``failure``, cutting its texts further until the payload fits both
    ``max_frame_length`` and the control-message limit (spec 4.2, 6).

    Texts of at most 32 KiB of UTF-8 are always within the 262,144-character string limit.
    """
    fit = min(max_frame_length, MAX_CONTROL_MESSAGE)
    limit = TEXT_LIMIT
    while True:
        message = None if failure.message is None else cut_text(failure.message, limit)
        candidate = dataclasses.replace(
            failure,
            exception_class=cut_text(failure.exception_class, limit),
            message=message,
            stack_trace=cut_text(failure.stack_trace, limit),
        )
        payload = encode_message(candidate).payload
        if len(payload) <= fit:
            return payload
        if limit == 0:
            return None
        limit //= 2


