"""A forkpool worker in Python: protocol version 1, written from ``docs/PROTOCOL.md`` alone.

The supervisor (a Java ``WorkerPool``) starts this file as a process, writes one bootstrap line
to its standard input and then talks to it over a Unix domain socket with length-prefixed frames.
This module implements the worker side of that protocol with the standard library only.

Running it
==========

As a script::

    python3 forkpool_worker.py [--tasks-module PATH.py ...] [--no-status]

Each ``--tasks-module`` is a Python file that defines ``TASKS = {name: function}``; its tasks are
registered next to the built-in ``io.forkpool.examples.CountPrimes`` (also named
``io.forkpool.examples.Primes::count``). Neither this file nor a tasks
module gets a ``__pycache__`` written next to it.

As a library, from your own worker script::

    import forkpool_worker

    def greet(name):
        return "hello " + name

    forkpool_worker.serve({"com.example.Greet": greet})   # never returns

A task is a callable taking the decoded JSON input (``dict``, ``list``, ``str``, ``int``,
``float``, ``bool`` or ``None``) and returning a JSON-encodable value. While it runs,
:func:`current_context` gives its :class:`TaskContext` (task id, attempt, worker id, cancellation).

What the worker does
====================

* **Bootstrap** (spec 2.2): reads standard input one byte at a time up to the first ``\\n`` (at
  most 16,384 bytes), so it never consumes a byte past the line. The line must be one JSON object
  (nesting at most 500 levels) with the integer ``protocolVersion`` 1, non-empty strings
  ``socketPath`` and ``token``, an integer ``maxFrameLength`` in [1,024, 1,073,741,824], and
  optionally integers ``workerId``, ``supervisorPid``, ``supervisorStartMillis`` (each >= 0,
  default 0) and ``allowedTasks`` (default ``["*"]``). "Integer" means a JSON number without
  fraction or exponent; ``null`` is not one. Unknown fields are ignored. A missing, overlong or
  invalid line, a field of the wrong type or out of range, or a protocol version other than 1 is
  reported on stderr as one line and ends the process with 64.
* **Lifeline** (spec 2.4): right after the bootstrap line, fd 0 is duplicated to a close-on-exec
  descriptor that only the lifeline thread reads, and fd 0 itself is pointed at ``/dev/null``.
  Tasks and the child processes they start therefore can neither steal lifeline bytes nor keep
  the supervisor's pipe open. End-of-file or an error on the lifeline ends the process at once
  with ``os._exit(67)``: no running task is waited for, no ``atexit`` hook runs.
* **Backup watch** (spec 2.4): at start and then every 100 ms a thread checks that
  ``supervisorPid`` is alive and, on Linux, that it started at ``supervisorStartMillis`` (within
  2 s). The start time is computed the way the JDK's ``ProcessHandle.Info.startInstant()`` does on
  Linux: boot time (``btime`` in ``/proc/stat``) plus field 22 of ``/proc/<pid>/stat`` divided by
  ``SC_CLK_TCK``. Where ``/proc`` is missing only liveness is checked (``kill(pid, 0)``). A pid of
  0 disables the watch; a start time of 0 disables the start-time comparison. A dead, zombie or
  different process ends the worker with 67.
* **Connection** (spec 2.3): connects to ``socketPath`` (failure: exit 65) and sends ``HELLO``,
  which lists both optional features, ``"features":["batch","ping"]``.
* **Allow-list** (spec 2.2, 4.1): ``allowedTasks`` entries are ``*`` (any name), a package
  pattern ``a.b.*`` (every name starting with ``a.b.``: ``a.b.X`` and ``a.b.c.Y``, not
  ``a.bc.Y``) or an exact name; each must be ``*`` or dotted Java identifiers with an optional
  trailing ``.*``, and the list must not be empty (otherwise: exit 64). A ``TASK`` whose name the
  list refuses is answered with a ``FAILURE`` (:class:`TaskNotAllowedError`, message
  ``<name> is not in the pool's task allow-list [<entries>]``) without looking the name up or
  decoding the input; the worker serves on. Unlike the Java worker, this one has no built-in
  refusal of ``java.`` and the like: its task table holds no such names anyway.
* **Serving** (spec 4): the main thread reads frames; one task thread (started before ``HELLO``)
  runs tasks one at a time in arrival order and sends exactly one ``RESULT`` or ``FAILURE`` per
  ``TASK`` or ``BATCH``, written to the socket (nothing is buffered in the process) before it
  takes the next task, so a task that kills the process cannot take an earlier reply with it
  (spec 4.2). A payload buffer grows only as bytes arrive, so a header that lies about
  its length costs nothing. Standard output and error are switched to UTF-8 and flushed after
  every task (spec 1).
* **PING** (spec 4.6): the main thread answers each ``PING`` at once with a ``PONG`` carrying the
  same correlation id, also while a task runs; frames from both threads are written whole, one at
  a time (one lock).
* **Batches** (spec 4.5): a ``BATCH`` is a ``TASK`` whose input is a JSON array of 1 to 65,536
  inputs. It is held, queued and cancelled as one task; the task runs once per input, in order,
  each with the batch's id and attempt in its :class:`TaskContext`. The reply is one ``RESULT``
  holding the array of outputs in order, or one ``FAILURE`` with an ``index``: that of the first
  input that fails (the task raises, its output cannot be encoded or would take the ``RESULT``
  past ``maxFrameLength``), the later inputs not run. Every input is checked before any runs: one
  nesting deeper than 500 levels fails at its own index, and a name that is refused or unknown,
  or inputs that are not such an array (also: nested too deeply for Python's parser, which then
  cannot say where), fail at index 0; nothing runs then. A
  ``CANCEL`` sets the context's flag and starts no further input: the reply is a
  ``CancellationException`` ``FAILURE`` whose ``index`` is the input that was running (whatever
  it did after the flag was set) or, when none was, the next one (0 for a batch not started).
  Standard output and error are flushed once per batch.
* **STATUS** (spec 4.4): after a reply, at most every 50 ms, ``heapUsed`` is the resident set size
  (from ``/proc/self/statm``; no ``STATUS`` where that is unknown) and ``heapMax`` the soft
  address-space limit (``RLIMIT_AS``), or -1 when it is unlimited or unknown. Disable with
  ``--no-status`` or ``serve(..., send_status=False)``.
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
* **Cancellation** (spec 4.3): Python cannot interrupt a thread, so:

  - a ``CANCEL`` for a task that has not started is answered at once with a ``FAILURE`` whose
    ``exceptionClass`` is ``java.util.concurrent.CancellationException``; the task never runs;
  - a ``CANCEL`` for the running task sets its :class:`TaskContext` flag. A task that polls
    :meth:`TaskContext.is_cancelled` or calls :meth:`TaskContext.check_cancelled` (which raises
    :class:`TaskCancelled`) stops early and is answered with a ``CancellationException``
    failure. A task that ignores the flag runs on and its reply is whatever it produces; the
    supervisor kills the worker if it still runs 500 ms after the ``CANCEL``. The built-in
    CountPrimes polls the flag between sieve segments;
  - a ``CANCEL`` for a task already answered, or never received, is ignored.

* **Protocol violations** by the supervisor (spec 3, 4, 6, 7) are reported on stderr as one line
  and end the process with 66: a length with the top bit set or above ``maxFrameLength`` (checked
  before anything is allocated), non-zero flags, an unknown type, a message that only a worker
  sends (rejected before its payload is parsed), a malformed ``TASK`` or ``BATCH`` (name length
  0 or overrunning the payload, attempt 0 or above 100), end of stream inside a frame; and, among
  the checks spec 7 leaves optional, all of them: a ``TASK`` or ``BATCH`` id that is not positive
  or that of a task the worker still holds, one beyond the 1,024 unanswered tasks of spec 6, a
  ``CANCEL`` with a payload or a non-positive id, a ``SHUTDOWN`` with a payload or a non-zero id;
  and, always, a ``PING`` with a payload.
* **Ending** (spec 7, 8): ``SHUTDOWN`` makes the worker stop reading and exit 0 at once, without
  running or answering the tasks it still holds (the supervisor sends it only when it no longer
  waits for them). The socket closing at a frame boundary ends the worker with 0 at once. An
  error reading or writing the socket ends it with 65: a reset, a frame cut after some of its
  bytes went out, a broken pipe while the supervisor's end is still open. A frame that cannot
  even start because the supervisor has just closed its end may be a clean close: that is left
  to the reader, which finds the end of stream (0) or the reset (65). Of its own accord the
  worker never stops in the middle of a frame it writes (it waits up to 1 s for one to finish);
  only the lifeline (spec 2.4) and a failed socket cut one.

Exit codes (spec 9): 0 ``SHUTDOWN`` or socket closed; 1 the worker failed by itself (a
``--tasks-module`` could not be loaded, bad command-line arguments, a failure that cannot fit a
frame, an unexpected internal error); 3 out of memory outside a task (see above), never anything
else; 64 bad bootstrap line; 65 cannot connect, or the socket failed; 66 supervisor protocol
violation; 67 lifeline closed or supervisor gone.

Nothing protocol-related is written to standard output; standard error gets one-line reasons.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import dataclasses
import enum
import importlib.util
import itertools
import json
import math
import os
import platform
import re
import select
import socket
import struct
import sys
import threading
import time
import traceback
import unicodedata
from typing import Any, Callable, Mapping, Optional, Union

__all__ = [
    "PROTOCOL_VERSION",
    "MessageType",
    "Frame",
    "ProtocolViolation",
    "Hello",
    "TaskRequest",
    "BatchRequest",
    "Result",
    "Failure",
    "Cancel",
    "Shutdown",
    "Status",
    "Ping",
    "Pong",
    "encode_frame",
    "decode_frame",
    "encode_message",
    "decode_message",
    "Bootstrap",
    "BootstrapError",
    "TaskAllowList",
    "TaskContext",
    "TaskCancelled",
    "TaskNotAllowedError",
    "UnknownTaskError",
    "InputDecodeError",
    "OutputEncodeError",
    "current_context",
    "count_primes",
    "count_primes_task",
    "is_prime",
    "BUILTIN_TASKS",
    "FEATURES",
    "serve",
    "main",
]

PROTOCOL_VERSION = 1

# Exit codes (spec 9).
EXIT_OK = 0
EXIT_WORKER_ERROR = 1
EXIT_OUT_OF_MEMORY = 3
EXIT_BAD_BOOTSTRAP = 64
EXIT_SOCKET_FAILED = 65
EXIT_CONNECT_FAILED = EXIT_SOCKET_FAILED
EXIT_PROTOCOL_VIOLATION = 66
EXIT_LIFELINE = 67

# Limits (spec 6).
MAX_BOOTSTRAP_LINE = 16_384
"""The longest bootstrap line, terminator included (spec 2.2)."""

MIN_FRAME_LENGTH = 1024
MAX_FRAME_LENGTH = 1 << 30
"""The range of the bootstrap's ``maxFrameLength`` (spec 2.2, 6)."""

MAX_CONTROL_MESSAGE = 1 << 20
"""The largest ``HELLO``, ``FAILURE`` or ``STATUS`` payload, in bytes (spec 6)."""

MAX_CONTROL_STRING = 262_144
"""The longest string in a control message, in (UTF-16) characters (spec 6)."""

MAX_NESTING = 500
"""The deepest nesting of arrays and objects in any JSON (spec 6)."""

MAX_ATTEMPT = 100
"""The highest ``TASK`` attempt number (spec 4.1, 6)."""

MAX_TASKS_IN_FLIGHT = 1024
"""The most unanswered tasks a supervisor may send a worker (spec 4.1, 6)."""

MAX_BATCH_INPUTS = 65_536
"""The most inputs in one ``BATCH`` (spec 4.5, 6)."""

FEATURES = ("batch", "ping")
"""The optional messages this worker accepts, listed in its ``HELLO`` (spec 2.3): ``BATCH`` (4.5)
and ``PING`` (4.6)."""

TEXT_LIMIT = 32 * 1024
"""Where a failure's texts are cut, in UTF-8 bytes (spec 4.2)."""

READ_CHUNK = 1 << 20
"""The most a payload buffer grows by per read: it grows only as bytes arrive (spec 3)."""

SOCKET_CLOSE_GRACE_SECONDS = 1.0
"""How long a writer that found the supervisor's end closed leaves the reader to tell a clean
end of stream (exit 0) from a reset (exit 65) before exiting 65 itself."""

LIFELINE_POLL_SECONDS = 0.1
START_TIME_TOLERANCE_MILLIS = 2_000
STATUS_MIN_INTERVAL_SECONDS = 0.05

CANCELLATION_EXCEPTION = "java.util.concurrent.CancellationException"
"""The exceptionClass spec 4.3 prescribes for a task cancelled before (or, here, while) running."""

STAGE_INPUT = "input"
"""A ``FAILURE``'s stage (spec 4.2) when the input did not decode: the task never ran."""
STAGE_OUTPUT = "output"
"""A ``FAILURE``'s stage (spec 4.2) when the output could not be encoded or did not fit."""

_I64_MIN = -(2**63)
_I64_MAX = 2**63 - 1


def _log(message: str) -> None:
    """Writes one line to standard error (free text for the supervisor's log)."""
    line = " ".join(message.split("\n")) + "\n"
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


# --------------------------------------------------------------------------------------------
# Frames (spec 3)
# --------------------------------------------------------------------------------------------


class ProtocolViolation(Exception):
    """The peer broke the protocol; the stream cannot be trusted any more (spec 7)."""


class MessageType(enum.IntEnum):
    """The frame types of protocol version 1 (spec 4)."""

    HELLO = 0x01
    TASK = 0x10
    RESULT = 0x11
    FAILURE = 0x12
    CANCEL = 0x13
    BATCH = 0x14
    SHUTDOWN = 0x20
    PING = 0x21
    STATUS = 0x30
    PONG = 0x31


_KNOWN_TYPES = frozenset(int(t) for t in MessageType)

HEADER = struct.Struct(">IBBq")
"""length (u32), type (u8), flags (u8), correlation id (i64), big-endian, no padding."""


@dataclasses.dataclass(frozen=True)
class Frame:
    """One frame: a header and ``len(payload)`` payload bytes."""

    type: int
    correlation_id: int
    payload: bytes = b""
    flags: int = 0


def encode_frame(frame: Frame) -> bytes:
    """Returns the bytes of ``frame``: the 14-byte header followed by the payload."""
    return HEADER.pack(len(frame.payload), frame.type, frame.flags, frame.correlation_id) + bytes(
        frame.payload
    )


def check_header(header: bytes, max_frame_length: int) -> tuple[int, int, int]:
    """Validates a 14-byte header and returns ``(length, type, correlation_id)``.

    The length is checked first, so that nothing is allocated for a payload that is too large.

    :raises ProtocolViolation: for a length with the top bit set or above ``max_frame_length``,
        non-zero flags or an unknown type
    """
    length, frame_type, flags, correlation_id = HEADER.unpack(header)
    if length & 0x8000_0000:
        raise ProtocolViolation(f"frame length {length} has the top bit set (header {header.hex(' ')})")
    if length > max_frame_length:
        raise ProtocolViolation(
            f"frame length {length} exceeds maxFrameLength {max_frame_length} (header {header.hex(' ')})"
        )
    if flags != 0:
        raise ProtocolViolation(f"frame flags 0x{flags:02x} are not 0 (header {header.hex(' ')})")
    if frame_type not in _KNOWN_TYPES:
        raise ProtocolViolation(f"unknown frame type 0x{frame_type:02x} (header {header.hex(' ')})")
    return length, frame_type, correlation_id


def decode_frame(data: bytes, max_frame_length: int = MAX_FRAME_LENGTH) -> Frame:
    """Decodes exactly one frame from ``data``.

    :raises ProtocolViolation: for a bad header, or when ``data`` is not exactly one frame
    """
    if len(data) < HEADER.size:
        raise ProtocolViolation(f"end of data inside a frame header ({len(data)} bytes)")
    length, frame_type, correlation_id = check_header(data[: HEADER.size], max_frame_length)
    if len(data) != HEADER.size + length:
        raise ProtocolViolation(
            f"frame declares {length} payload bytes but {len(data) - HEADER.size} follow"
        )
    return Frame(frame_type, correlation_id, bytes(data[HEADER.size :]))


class FrameReader:
    """Reads frames from a connected stream socket, validating each header before its payload."""

    def __init__(self, sock: socket.socket, max_frame_length: int) -> None:
        self._sock = sock
        self._max_frame_length = max_frame_length

    def read(self) -> Optional[Frame]:
        """Returns the next frame, or ``None`` when the stream ends cleanly at a frame boundary.

        :raises ProtocolViolation: for a bad header or end of stream inside a frame
        :raises OSError: when the socket fails
        """
        header = self._read_exactly(HEADER.size, at_boundary=True)
        if header is None:
            return None
        length, frame_type, correlation_id = check_header(header, self._max_frame_length)
        payload = self._read_exactly(length, at_boundary=False) if length else b""
        return Frame(frame_type, correlation_id, payload)

    def _read_exactly(self, count: int, at_boundary: bool) -> Optional[bytes]:
        # The buffer grows only as bytes arrive (spec 3): a header that lies costs nothing.
        buffer = bytearray()
        while len(buffer) < count:
            chunk = self._sock.recv(min(count - len(buffer), READ_CHUNK))
            if not chunk:
                if at_boundary and not buffer:
                    return None
                where = "header" if at_boundary else "payload"
                raise ProtocolViolation(
                    f"end of stream inside a frame {where} after {len(buffer)} of {count} bytes"
                )
            buffer += chunk
            del chunk
        return bytes(buffer)


# --------------------------------------------------------------------------------------------
# Messages (spec 4) and JSON (spec 5)
# --------------------------------------------------------------------------------------------


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)
"""Shared (it keeps no state between calls): ``json.dumps`` with options builds one per call,
which costs more than encoding a small value, once per input of a batch."""


def encode_json(value: Any) -> bytes:
    """Encodes ``value`` as compact UTF-8 JSON (no spaces, non-ASCII kept, NaN refused)."""
    return _ENCODER.encode(value).encode("utf-8")


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON (RFC 8259)")


def decode_json(data: bytes) -> Any:
    """Decodes one RFC 8259 JSON document from UTF-8 bytes (NaN and Infinity refused).

    :raises ValueError: (``UnicodeDecodeError`` or ``json.JSONDecodeError``) when it is not one
    :raises RecursionError: for absurdly deep nesting
    """
    return json.loads(data.decode("utf-8"), parse_constant=_reject_constant)


_CONTAINERS = (dict, list, tuple)


def nesting_depth(value: Any) -> int:
    """How deeply arrays and objects nest in ``value`` (``[]`` is 1, ``[[]]`` 2, a scalar 0)."""
    deepest = 0
    stack = [(value, 1)] if isinstance(value, _CONTAINERS) else []
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, _CONTAINERS))
    return deepest


_JSON_CONTAINERS = frozenset({dict, list})


def input_nests_too_deeply(value: Any) -> bool:
    """Tells whether ``value``, as the JSON decoder makes it, nests deeper than 500 levels.

    For one input of a batch, which has no bytes of its own to count brackets in: a scalar, or
    an object or array holding no object or array, is ruled out at C speed.
    """
    kind = type(value)
    if kind not in _JSON_CONTAINERS:
        return False
    children = value.values() if kind is dict else value
    if not any(map(_JSON_CONTAINERS.__contains__, map(type, children))):
        return False
    return nesting_depth(value) > MAX_NESTING


def nests_too_deeply(data: bytes, value: Any, limit: int = MAX_NESTING) -> bool:
    """Tells whether ``value``, decoded from or encoded as ``data``, nests deeper than ``limit``.

    Counting the brackets of ``data`` first makes the usual case cost next to nothing.
    """
    if data.count(b"[") + data.count(b"{") <= limit:
        return False
    return nesting_depth(value) > limit


def _utf16_length(text: str) -> int:
    """The length of ``text`` in UTF-16 code units: Java's idea of characters."""
    if text.isascii():
        return len(text)
    return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)


def _longest_string(value: Any) -> int:
    """The longest string (key or value) in ``value``, in UTF-16 code units."""
    longest = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            longest = max(longest, _utf16_length(item))
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return longest


def _json_object(data: bytes, what: str) -> dict:
    """Decodes a control message payload within the limits of spec 6."""
    if len(data) > MAX_CONTROL_MESSAGE:
        raise ProtocolViolation(
            f"{what} payload of {len(data)} bytes exceeds the control-message limit {MAX_CONTROL_MESSAGE}"
        )
    try:
        value = decode_json(data)
    except (ValueError, RecursionError) as e:
        raise ProtocolViolation(f"{what} payload is not valid JSON: {e}") from e
    if not isinstance(value, dict):
        raise ProtocolViolation(f"{what} payload is not a JSON object")
    if nests_too_deeply(data, value):
        raise ProtocolViolation(f"{what} payload nests deeper than {MAX_NESTING} levels")
    if _longest_string(value) > MAX_CONTROL_STRING:
        raise ProtocolViolation(f"{what} payload has a string longer than {MAX_CONTROL_STRING} characters")
    return value


_MISSING = object()


def _field(obj: dict, name: str, kind: type, what: str, default: Any = _MISSING) -> Any:
    """Returns ``obj[name]`` if it is a ``kind`` (JSON true/false do not count as integers).

    A missing field is ``default`` if one is given, else a violation.
    """
    value = obj.get(name, default)
    if value is _MISSING or not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ProtocolViolation(f"{what} field {name!r} is missing or has the wrong type")
    return value


@dataclasses.dataclass(frozen=True)
class Hello:
    """``HELLO`` (0x01), worker to supervisor, correlation id 0 (spec 2.3).

    ``features`` is written only when it is not empty (absent or ``null`` means ``[]``).
    """

    protocol_version: int
    pid: int
    token: str
    runtime: str
    features: "tuple[str, ...]" = ()


@dataclasses.dataclass(frozen=True)
class TaskRequest:
    """``TASK`` (0x10), supervisor to worker (spec 4.1). ``input`` is the raw JSON document."""

    task_id: int
    name: str
    attempt: int
    input: bytes


@dataclasses.dataclass(frozen=True)
class BatchRequest:
    """``BATCH`` (0x14), supervisor to worker (spec 4.5): a ``TASK`` whose ``inputs`` are the raw
    payload after the attempt byte, meant to be one JSON array of 1 to 65,536 inputs (not parsed
    here: anything wrong with the array is a task failure, not a violation)."""

    task_id: int
    name: str
    attempt: int
    inputs: bytes


@dataclasses.dataclass(frozen=True)
class Result:
    """``RESULT`` (0x11), worker to supervisor: ``output`` is the raw JSON document (spec 4.2)."""

    task_id: int
    output: bytes


@dataclasses.dataclass(frozen=True)
class Failure:
    """``FAILURE`` (0x12), worker to supervisor (spec 4.2).

    ``index`` is the 0-based position of the failing input of a ``BATCH`` (spec 4.5), ``None``
    (not written; absent or ``null`` when read) for a ``TASK``. ``stage`` is ``"input"`` or
    ``"output"`` when the task's data could not cross (spec 4.2), ``None`` (not written) when the
    task raised, was cancelled, or its name was refused or unknown.
    """

    task_id: int
    exception_class: str
    message: Optional[str]
    stack_trace: str
    index: Optional[int] = None
    stage: Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Cancel:
    """``CANCEL`` (0x13), supervisor to worker, empty payload (spec 4.3)."""

    task_id: int


@dataclasses.dataclass(frozen=True)
class Shutdown:
    """``SHUTDOWN`` (0x20), supervisor to worker, correlation id 0, empty payload (spec 8)."""


@dataclasses.dataclass(frozen=True)
class Ping:
    """``PING`` (0x21), supervisor to worker, empty payload (spec 4.6): ``probe`` is the
    correlation id, a number the supervisor chooses."""

    probe: int


@dataclasses.dataclass(frozen=True)
class Pong:
    """``PONG`` (0x31), worker to supervisor, empty payload (spec 4.6): ``probe`` is the
    correlation id of the ``PING`` it answers."""

    probe: int


@dataclasses.dataclass(frozen=True)
class Status:
    """``STATUS`` (0x30), worker to supervisor, correlation id 0 (spec 4.4).

    ``heap_max`` is -1 when unbounded or unknown.
    """

    heap_used: int
    heap_max: int


Message = Union[Hello, TaskRequest, BatchRequest, Result, Failure, Cancel, Shutdown, Status, Ping, Pong]


def encode_message(message: Message) -> Frame:
    """Returns the frame carrying ``message``; JSON payloads keep the spec's field order."""
    if isinstance(message, Hello):
        hello = {
            "protocolVersion": message.protocol_version,
            "pid": message.pid,
            "token": message.token,
            "runtime": message.runtime,
        }
        if message.features:
            hello["features"] = list(message.features)
        return Frame(MessageType.HELLO, 0, encode_json(hello))
    if isinstance(message, TaskRequest):
        payload = _task_prefix(message.name, message.attempt) + message.input
        return Frame(MessageType.TASK, message.task_id, payload)
    if isinstance(message, BatchRequest):
        payload = _task_prefix(message.name, message.attempt) + message.inputs
        return Frame(MessageType.BATCH, message.task_id, payload)
    if isinstance(message, Result):
        return Frame(MessageType.RESULT, message.task_id, message.output)
    if isinstance(message, Failure):
        failure = {
            "exceptionClass": message.exception_class,
            "message": message.message,
            "stackTrace": message.stack_trace,
        }
        if message.index is not None:
            failure["index"] = message.index
        if message.stage is not None:
            failure["stage"] = message.stage
        return Frame(MessageType.FAILURE, message.task_id, encode_json(failure))
    if isinstance(message, Cancel):
        return Frame(MessageType.CANCEL, message.task_id)
    if isinstance(message, Shutdown):
        return Frame(MessageType.SHUTDOWN, 0)
    if isinstance(message, Status):
        payload = encode_json({"heapUsed": message.heap_used, "heapMax": message.heap_max})
        return Frame(MessageType.STATUS, 0, payload)
    if isinstance(message, Ping):
        return Frame(MessageType.PING, message.probe)
    if isinstance(message, Pong):
        return Frame(MessageType.PONG, message.probe)
    raise TypeError(f"not a protocol message: {message!r}")


def _task_prefix(name: str, attempt: int) -> bytes:
    """The name length, name and attempt that start a ``TASK`` or ``BATCH`` payload (spec 4.1)."""
    encoded = name.encode("utf-8", "surrogateescape")
    if not 1 <= len(encoded) <= 0xFFFF or not 1 <= attempt <= MAX_ATTEMPT:
        raise ValueError(f"task name must be 1..65535 bytes and attempt 1..{MAX_ATTEMPT}")
    return struct.pack(">H", len(encoded)) + encoded + bytes([attempt])


def _decode_task_prefix(payload: bytes, what: str) -> "tuple[str, int, bytes]":
    """Splits a ``TASK`` or ``BATCH`` payload into name, attempt and the rest (spec 4.1, 4.5).

    :raises ProtocolViolation: for name length 0, no room for the attempt byte, or an attempt
        outside [1, 100]
    """
    if len(payload) < 2:
        raise ProtocolViolation(f"{what} payload of {len(payload)} bytes has no name length")
    (name_length,) = struct.unpack_from(">H", payload)
    if name_length == 0:
        raise ProtocolViolation(f"{what} name length is 0")
    if 2 + name_length + 1 > len(payload):
        raise ProtocolViolation(
            f"{what} name length {name_length} leaves no room for the attempt byte "
            f"in a {len(payload)}-byte payload"
        )
    name = bytes(payload[2 : 2 + name_length]).decode("utf-8", "surrogateescape")
    attempt = payload[2 + name_length]
    if not 1 <= attempt <= MAX_ATTEMPT:
        raise ProtocolViolation(f"{what} attempt {attempt} is outside [1, {MAX_ATTEMPT}]")
    return name, attempt, bytes(memoryview(payload)[3 + name_length :])


def decode_message(frame: Frame) -> Message:
    """Decodes the message in ``frame``, whichever side sends it.

    Only the layout and the limits of spec 6 are checked here; which side may send what, and
    the correlation-id rules, are the receiver's business (see ``_Worker._dispatch``). A ``TASK``
    input and the inputs of a ``BATCH`` are not parsed: anything wrong with them is a task
    failure, not a violation. A name that is not valid UTF-8 is kept with ``surrogateescape`` (see
    :func:`is_valid_name`). A ``STATUS`` field that is missing counts as 0 (spec 4.4).

    :raises ProtocolViolation: when the payload does not have the layout of its type
    """
    kind = frame.type
    payload = frame.payload
    if kind == MessageType.HELLO:
        obj = _json_object(payload, "HELLO")
        features = obj.get("features")
        if features is None:  # absent or null: none (spec 2.3)
            features = []
        if not isinstance(features, list) or not all(isinstance(feature, str) for feature in features):
            raise ProtocolViolation("HELLO field 'features' is not an array of strings")
        return Hello(
            _field(obj, "protocolVersion", int, "HELLO"),
            _field(obj, "pid", int, "HELLO"),
            _field(obj, "token", str, "HELLO"),
            _field(obj, "runtime", str, "HELLO"),
            tuple(features),
        )
    if kind == MessageType.TASK:
        name, attempt, task_input = _decode_task_prefix(payload, "TASK")
        return TaskRequest(frame.correlation_id, name, attempt, task_input)
    if kind == MessageType.BATCH:
        name, attempt, inputs = _decode_task_prefix(payload, "BATCH")
        return BatchRequest(frame.correlation_id, name, attempt, inputs)
    if kind == MessageType.RESULT:
        return Result(frame.correlation_id, bytes(payload))
    if kind == MessageType.FAILURE:
        obj = _json_object(payload, "FAILURE")
        message = obj.get("message")
        if message is not None and not isinstance(message, str):
            raise ProtocolViolation("FAILURE field 'message' is neither a string nor null")
        index = obj.get("index")  # absent or null for a TASK
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
            raise ProtocolViolation("FAILURE field 'index' is not a non-negative integer")
        stage = obj.get("stage")  # optional; a value this reader does not know counts as absent
        return Failure(
            frame.correlation_id,
            _field(obj, "exceptionClass", str, "FAILURE"),
            message,
            _field(obj, "stackTrace", str, "FAILURE"),
            index,
            stage if stage in (STAGE_INPUT, STAGE_OUTPUT) else None,
        )
    if kind in (MessageType.CANCEL, MessageType.SHUTDOWN, MessageType.PING, MessageType.PONG):
        name = MessageType(kind).name
        if payload:
            raise ProtocolViolation(f"{name} has a {len(payload)}-byte payload; it must be empty")
        if kind == MessageType.CANCEL:
            return Cancel(frame.correlation_id)
        if kind == MessageType.PING:
            return Ping(frame.correlation_id)
        return Pong(frame.correlation_id) if kind == MessageType.PONG else Shutdown()
    if kind == MessageType.STATUS:
        obj = _json_object(payload, "STATUS")
        return Status(
            _field(obj, "heapUsed", int, "STATUS", 0), _field(obj, "heapMax", int, "STATUS", 0)
        )
    raise ProtocolViolation(f"unknown frame type 0x{kind:02x}")


# --------------------------------------------------------------------------------------------
# Bootstrap line (spec 2.2)
# --------------------------------------------------------------------------------------------


class BootstrapError(Exception):
    """The bootstrap line is missing, too long, invalid or of another protocol version."""


# The task allow-list (spec 2.2, 4.1) -----------------------------------------------------------

_JAVA_IDENTIFIER_START = frozenset({"Lu", "Ll", "Lt", "Lm", "Lo", "Nl", "Sc", "Pc"})
_JAVA_IDENTIFIER_PART = _JAVA_IDENTIFIER_START | {"Nd", "Mn", "Mc", "Cf"}


def _is_java_identifier(text: str) -> bool:
    """Java's ``isJavaIdentifierStart`` then ``isJavaIdentifierPart`` rules, by Unicode category."""
    if not text or unicodedata.category(text[0]) not in _JAVA_IDENTIFIER_START:
        return False
    for c in text[1:]:
        code = ord(c)
        ignorable = 0x00 <= code <= 0x08 or 0x0E <= code <= 0x1B or 0x7F <= code <= 0x9F
        if not ignorable and unicodedata.category(c) not in _JAVA_IDENTIFIER_PART:
            return False
    return True


class TaskAllowList:
    """The pool's task allow-list: which task names this worker may run (spec 2.2, 4.1).

    Each entry is ``*`` (any name), a package pattern such as ``com.example.*`` (every name that
    starts with ``com.example.``, so also ``com.example.sub.X``, but not ``com.examplex.Y``), or
    an exact name such as ``com.example.Outer$Inner``. The worker checks a name against the list
    before it looks the name up, and runs nothing for a name the list refuses.
    """

    ANY = "*"

    def __init__(self, entries: "Union[list[str], tuple[str, ...]]") -> None:
        """Checks the entries: at least one, each ``*`` or dotted Java identifiers with an
        optional trailing ``.*``.

        :raises ValueError: naming the first malformed entry
        """
        entries = tuple(entries)
        if not entries:
            raise ValueError('the task allow-list must have at least one entry ("*" allows any task)')
        for entry in entries:
            if not self.is_valid_entry(entry):
                raise ValueError(
                    f"malformed task allow-list entry {json.dumps(entry)}: expected \"*\", "
                    f"a package pattern such as \"com.example.*\" or a class name"
                )
        self.entries = entries
        self._any = self.ANY in entries
        self._names = frozenset(e for e in entries if not e.endswith("*"))
        self._prefixes = tuple(e[:-1] for e in entries if e.endswith(".*"))

    @staticmethod
    def is_valid_entry(entry: Any) -> bool:
        """Tells whether ``entry`` is ``*``, a package pattern or a name (dotted identifiers)."""
        if not isinstance(entry, str):
            return False
        if entry == TaskAllowList.ANY:
            return True
        parts = entry.split(".")
        if len(parts) >= 2 and parts[-1] == "*":
            parts.pop()
        return all(_is_java_identifier(part) for part in parts)

    def allows(self, name: str) -> bool:
        """Tells whether the task ``name`` may run: a class name, or a method's ``Class::method``,
        which is allowed exactly when its class part is (spec 4.1)."""
        name = name.split("::", 1)[0]
        return self._any or name in self._names or name.startswith(self._prefixes)

    def refusal(self, name: str) -> "TaskNotAllowedError":
        """The failure for a name this list refuses, naming the name and the list."""
        return TaskNotAllowedError(f"{name} is not in the pool's task allow-list [{', '.join(self.entries)}]")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TaskAllowList) and self.entries == other.entries

    def __hash__(self) -> int:
        return hash(self.entries)

    def __repr__(self) -> str:
        return f"TaskAllowList({list(self.entries)!r})"


@dataclasses.dataclass(frozen=True)
class Bootstrap:
    """The bootstrap line (spec 2.2): the fields this worker knows, in the golden file's order."""

    protocol_version: int
    socket_path: str
    token: str
    worker_id: int
    max_frame_length: int
    supervisor_pid: int
    supervisor_start_millis: int
    allowed_tasks: "tuple[str, ...]" = (TaskAllowList.ANY,)

    @classmethod
    def parse(cls, line: bytes) -> "Bootstrap":
        """Parses and validates one bootstrap line (with or without its ``\\n``).

        :raises BootstrapError: with a one-line reason
        """
        try:
            obj = decode_json(line)
        except (ValueError, RecursionError) as e:
            raise BootstrapError(f"bootstrap line is not valid UTF-8 JSON: {e}") from e
        if not isinstance(obj, dict):
            raise BootstrapError("bootstrap line is not a JSON object")
        if nests_too_deeply(line, obj):
            raise BootstrapError(f"bootstrap line nests deeper than {MAX_NESTING} levels")

        def shown(value: Any) -> str:
            text = json.dumps(value)
            return text if len(text) <= 60 else text[:57] + "..."

        def integer(name: str, low: int, high: Optional[int] = None, default: Optional[int] = None) -> int:
            if name not in obj:
                if default is None:
                    raise BootstrapError(f"bootstrap line lacks the required field {name!r}")
                return default
            value = obj[name]
            if isinstance(value, bool) or not isinstance(value, int):
                raise BootstrapError(f"bootstrap field {name!r} is not an integer: {shown(value)}")
            if value < low or (high is not None and value > high):
                where = f"[{low}, {high}]" if high is not None else f">= {low}"
                raise BootstrapError(f"bootstrap field {name!r} is {value}, it must be {where}")
            return value

        def text(name: str) -> str:
            if name not in obj:
                raise BootstrapError(f"bootstrap line lacks the required field {name!r}")
            value = obj[name]
            if not isinstance(value, str) or not value:
                raise BootstrapError(f"bootstrap field {name!r} is not a non-empty string: {shown(value)}")
            return value

        version = obj.get("protocolVersion")
        if "protocolVersion" not in obj:
            raise BootstrapError(
                f"bootstrap line lacks the required field 'protocolVersion' (this worker speaks version "
                f"{PROTOCOL_VERSION})"
            )
        if isinstance(version, bool) or not isinstance(version, int) or version != PROTOCOL_VERSION:
            raise BootstrapError(
                f"supervisor speaks protocol version {shown(version)}, "
                f"this worker speaks version {PROTOCOL_VERSION}"
            )
        socket_path = text("socketPath")
        token = text("token")
        max_frame_length = integer("maxFrameLength", MIN_FRAME_LENGTH, MAX_FRAME_LENGTH)
        worker_id = integer("workerId", 0, default=0)
        supervisor_pid = integer("supervisorPid", 0, default=0)
        supervisor_start = integer("supervisorStartMillis", 0, default=0)
        allowed = obj.get("allowedTasks")
        if allowed is None:  # absent or null: the default (spec 2.2)
            allowed = [TaskAllowList.ANY]
        if not isinstance(allowed, list) or not all(isinstance(e, str) for e in allowed):
            raise BootstrapError(f"bootstrap field 'allowedTasks' is not an array of strings: {shown(allowed)}")
        try:
            TaskAllowList(allowed)
        except ValueError as e:
            raise BootstrapError(f"bootstrap field 'allowedTasks': {e}") from e
        return cls(
            version,
            socket_path,
            token,
            worker_id,
            max_frame_length,
            supervisor_pid,
            supervisor_start,
            tuple(allowed),
        )

    def encode(self) -> bytes:
        """The bootstrap line, compact, fields in the golden file's order, with its ``\\n``."""
        return (
            encode_json(
                {
                    "protocolVersion": self.protocol_version,
                    "socketPath": self.socket_path,
                    "token": self.token,
                    "workerId": self.worker_id,
                    "maxFrameLength": self.max_frame_length,
                    "supervisorPid": self.supervisor_pid,
                    "supervisorStartMillis": self.supervisor_start_millis,
                    "allowedTasks": list(self.allowed_tasks),
                }
            )
            + b"\n"
        )

    def allow_list(self) -> TaskAllowList:
        """The ``allowedTasks`` as a :class:`TaskAllowList`."""
        return TaskAllowList(self.allowed_tasks)


def read_bootstrap_line(fd: int = 0) -> bytes:
    """Reads the bootstrap line from ``fd`` one byte at a time, never past its ``\\n``.

    :raises BootstrapError: at end of input before the ``\\n``, on a read error, or when no
        ``\\n`` comes within :data:`MAX_BOOTSTRAP_LINE` bytes
    """
    line = bytearray()
    while len(line) < MAX_BOOTSTRAP_LINE:
        try:
            byte = os.read(fd, 1)
        except OSError as e:
            raise BootstrapError(f"cannot read the bootstrap line: {e}") from e
        if not byte:
            what = "no bootstrap line" if not line else f"bootstrap line ends after {len(line)} bytes without '\\n'"
            raise BootstrapError(f"{what} on standard input")
        line += byte
        if byte == b"\n":
            return bytes(line)
    raise BootstrapError(f"bootstrap line is longer than {MAX_BOOTSTRAP_LINE} bytes")


# --------------------------------------------------------------------------------------------
# Lifeline and the backup supervisor watch (spec 2.4)
# --------------------------------------------------------------------------------------------


def start_lifeline() -> None:
    """Moves the lifeline off fd 0 and starts the thread that halts the process when it closes.

    fd 0 is duplicated to a close-on-exec descriptor read only by the lifeline thread; fd 0
    itself then points at ``/dev/null``, so nothing else in the process, and no child process,
    reads or holds the supervisor's pipe.
    """
    lifeline_fd = os.dup(0)  # os.dup returns a non-inheritable (close-on-exec) descriptor
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)

    def watch() -> None:
        try:
            while os.read(lifeline_fd, 4096):
                pass  # the supervisor writes nothing more; anything it does write is ignored
        except BaseException:  # an error counts like end-of-file: the supervisor is gone
            pass
        os._exit(EXIT_LIFELINE)

    threading.Thread(target=watch, name="forkpool-lifeline", daemon=True).start()


def _linux_boot_time_millis() -> Optional[int]:
    try:
        with open("/proc/stat", "rb") as f:
            for line in f:
                if line.startswith(b"btime "):
                    return int(line.split()[1]) * 1000
    except (OSError, ValueError, IndexError):
        pass
    return None


def process_start_millis(pid: int) -> Optional[int]:
    """Returns when ``pid`` started, in ms since the epoch, as the JDK computes it on Linux.

    :returns: ``None`` when it cannot be determined (no ``/proc``); ``-1`` when the process does
        not exist or is a zombie
    """
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            stat = f.read()
    except FileNotFoundError:
        return -1 if os.path.isdir("/proc/self") else None
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may contain anything, so split after it.
    fields = stat[stat.rfind(b")") + 2 :].split()
    if not fields or fields[0] in (b"Z", b"X", b"x"):
        return -1
    boot = _linux_boot_time_millis()
    if boot is None or len(fields) < 20:
        return None
    return boot + int(fields[19]) * 1000 // os.sysconf("SC_CLK_TCK")


def supervisor_alive(pid: int, start_millis: int) -> bool:
    """Tells whether ``pid`` names a live process that started at ``start_millis`` (+-2 s).

    A ``start_millis`` of 0 means unknown: only liveness is checked then.
    """
    started = process_start_millis(pid)
    if started == -1:
        return False
    if started is None:  # no /proc: liveness only
        try:
            os.kill(pid, 0)
        except (ProcessLookupError, OverflowError):  # no such process; no pid can be that large
            return False
        except PermissionError:
            pass
        return True
    return start_millis == 0 or abs(started - start_millis) <= START_TIME_TOLERANCE_MILLIS


def start_supervisor_watch(pid: int, start_millis: int) -> None:
    """Starts the thread that halts with 67 once the supervisor is gone (no-op for pid 0)."""
    if pid <= 0:
        return

    def watch() -> None:
        try:
            while supervisor_alive(pid, start_millis):
                time.sleep(LIFELINE_POLL_SECONDS)
        except BaseException as e:  # noqa: BLE001 - a bug in the watch; MemoryError is exit 3
            _internal_error("supervisor watch", e)
        _log(f"forkpool worker: supervisor process {pid} (started at {start_millis}) is gone")
        os._exit(EXIT_LIFELINE)

    threading.Thread(target=watch, name="forkpool-supervisor-watch", daemon=True).start()


# --------------------------------------------------------------------------------------------
# Tasks: context, cancellation, failures
# --------------------------------------------------------------------------------------------


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


def _fitted_failure_payload(failure: Failure, max_frame_length: int) -> Optional[bytes]:
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


# --------------------------------------------------------------------------------------------
# The built-in task: io.forkpool.examples.CountPrimes
# --------------------------------------------------------------------------------------------

COUNT_PRIMES = "io.forkpool.examples.CountPrimes"

_SEGMENT = 1 << 20
"""Numbers per sieve segment."""

_SIEVE_CAP = 1 << 20
"""The largest base prime the sieve uses; survivors above its square get a Miller-Rabin test."""

_MR_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
"""Miller-Rabin with the first 12 primes as bases is exact for n < 3.3 * 10^24 (Sorenson and
Webster, 2015), so for every 64-bit number."""

_base_primes: Optional[list[int]] = None


def _small_primes() -> list[int]:
    """The primes up to :data:`_SIEVE_CAP` (computed once)."""
    global _base_primes
    if _base_primes is None:
        sieve = bytearray([1]) * (_SIEVE_CAP + 1)
        sieve[0:2] = b"\x00\x00"
        for p in range(2, math.isqrt(_SIEVE_CAP) + 1):
            if sieve[p]:
                sieve[p * p :: p] = bytes(len(range(p * p, _SIEVE_CAP + 1, p)))
        _base_primes = [n for n in range(_SIEVE_CAP + 1) if sieve[n]]
    return _base_primes


def _miller_rabin(n: int) -> bool:
    """Deterministic primality for any ``n`` below 3.3 * 10^24."""
    if n < 2:
        return False
    for p in _MR_BASES:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in _MR_BASES:
        x = pow(a, d, n)
        if x == 1 or x == n - 1:
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def is_prime(n: int) -> bool:
    """Same answer as Java's ``CountPrimes.isPrime(long)``: numbers below 2 are not prime."""
    return _miller_rabin(n)


def count_primes(start: int, end: int, poll: Callable[[], None] = lambda: None) -> int:
    """Counts the primes in ``[start, end)``; the same count as Java's trial division.

    A segmented sieve of Eratosthenes (bytearray slice assignment) with base primes up to
    ``min(isqrt(end - 1), 2^20)``. When ``end`` is above 2^40 the base primes do not reach the
    square root; a number that survives them and is at least ``(2^20 + 1)^2`` is then checked by
    deterministic Miller-Rabin. ``poll`` is called between segments (to honour cancellation).
    """
    start = max(start, 2)
    if end <= start:
        return 0
    root = math.isqrt(end - 1)
    primes = _small_primes()
    limit = min(root, _SIEVE_CAP)
    base = primes[: bisect.bisect_right(primes, limit)]
    # Survivors below (limit + 1)^2 have no factor <= sqrt, so they are prime; others need a test.
    certain_below = end if limit == root else (limit + 1) ** 2
    count = 0
    for low in range(start, end, _SEGMENT):
        poll()
        high = min(low + _SEGMENT, end)
        size = high - low
        segment = bytearray([1]) * size
        for p in base:
            square = p * p
            if square >= high:
                break
            first = max(square, -(-low // p) * p) - low
            if first < size:
                segment[first::p] = bytes(len(range(first, size, p)))
        split = min(max(certain_below - low, 0), size)
        count += segment.count(1, 0, split)
        if split < size:
            survivors = itertools.compress(range(low + split, high), segment[split:])
            count += sum(1 for n in survivors if _miller_rabin(n))
    return count


_JAVA_INTEGER_TEXT = re.compile(r"[+-]?\d+")


def _jackson_long(value: Any, name: str) -> int:
    """Converts a JSON value to a Java ``long`` the way Jackson 3's defaults do for a record.

    Observed with jackson-databind 3.3.0 and a default ``JsonMapper``: integers must fit a long;
    floating-point numbers are truncated toward zero after a range check (2^63 itself saturates to
    ``Long.MAX_VALUE``); strings are trimmed and parsed like ``Long.parseLong`` (sign, Unicode
    digits); ``null``, the empty string, booleans, arrays and objects are refused.
    """
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise TypeError(f"Cannot deserialize value of type `long` for {name!r} from {value!r}")
    if isinstance(value, float):
        if not (-(2.0**63) <= value <= 2.0**63):  # also refuses inf and nan
            raise ValueError(f"Numeric value ({value}) out of range of `long` for {name!r}")
        return min(int(value), _I64_MAX)
    if isinstance(value, str):
        text = value.strip("".join(chr(c) for c in range(0x21)))  # Java's String.trim()
        if not _JAVA_INTEGER_TEXT.fullmatch(text):
            raise ValueError(f"Cannot deserialize value of type `long` for {name!r} from String {value!r}")
        value = int(text)
    if not _I64_MIN <= value <= _I64_MAX:
        raise ValueError(f"Numeric value ({value}) out of range of `long` for {name!r}")
    return value


def count_primes_task(range_input: Any) -> int:
    """The ``io.forkpool.examples.CountPrimes`` task: ``{"from": a, "to": b}`` -> primes in [a, b).

    Decodes the input the way the Java worker's Jackson does (missing fields are 0, unknown ones
    are ignored, ``to < from`` is refused like ``Range``'s constructor), then counts. Polls the
    task's cancellation flag between sieve segments.
    """
    if range_input is None:
        raise TypeError("CountPrimes input is null")  # Java: NullPointerException in execute()
    if not isinstance(range_input, dict):
        raise TypeError(f"CountPrimes input must be a JSON object, got {type(range_input).__name__}")
    start = _jackson_long(range_input.get("from", 0), "from")
    end = _jackson_long(range_input.get("to", 0), "to")
    if end < start:
        raise ValueError(f"range ends before it starts: [{start}, {end})")
    try:
        poll = current_context().check_cancelled
    except RuntimeError:
        poll = lambda: None  # noqa: E731 - called outside a worker
    return count_primes(start, end, poll)


PRIMES_COUNT = "io.forkpool.examples.Primes::count"
"""The same task named as a method, as ``pool.submit(Primes::count, range)`` names it."""

BUILTIN_TASKS: dict[str, Callable[[Any], Any]] = {COUNT_PRIMES: count_primes_task, PRIMES_COUNT: count_primes_task}


# --------------------------------------------------------------------------------------------
# The worker
# --------------------------------------------------------------------------------------------


def runtime_description() -> str:
    """The ``runtime`` of the ``HELLO``, e.g. ``python 3.11.7``."""
    implementation = platform.python_implementation()
    name = "python" if implementation == "CPython" else implementation.lower()
    return f"{name} {platform.python_version()}"


def address_space_limit() -> int:
    """The soft ``RLIMIT_AS`` in bytes, or -1 when it is unlimited or unknown."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (ImportError, AttributeError, OSError, ValueError):
        return -1
    if soft == resource.RLIM_INFINITY or soft <= 0:
        return -1
    return soft


def memory_status() -> Optional[Status]:
    """The ``STATUS`` of spec 4.4: ``heapUsed`` the resident set size, ``heapMax`` the soft
    address-space limit or -1 when unbounded or unknown; ``None`` where the RSS is unknown."""
    try:
        with open("/proc/self/statm", "rb") as f:
            resident_pages = int(f.read().split()[1])
        used = resident_pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None
    return Status(used, address_space_limit())


class _Job:
    """A task or batch the worker holds (received, not yet answered)."""

    QUEUED, RUNNING = "queued", "running"

    def __init__(self, request: Union[TaskRequest, BatchRequest], worker_id: int) -> None:
        self.request = request
        self.context = TaskContext(request.task_id, request.name, request.attempt, worker_id)
        self.state = _Job.QUEUED


_WORKER_SENT_TYPES = frozenset(
    {MessageType.HELLO, MessageType.RESULT, MessageType.FAILURE, MessageType.STATUS, MessageType.PONG}
)


def decode_task_input(data: bytes) -> Any:
    """Decodes the input of a ``TASK``: exactly one JSON document nesting at most 500 levels.

    :raises InputDecodeError: when it is not one
    """
    try:
        task_input = decode_json(data)
    except (ValueError, RecursionError) as e:
        raise InputDecodeError(f"task input is not one JSON document: {e}") from e
    if nests_too_deeply(data, task_input):
        raise InputDecodeError(f"task input nests deeper than {MAX_NESTING} levels")
    return task_input


def decode_batch_inputs(data: bytes) -> list:
    """Decodes the inputs of a ``BATCH``: one JSON array of 1 to 65,536 documents (spec 4.5).

    Whether each element nests at most 500 levels is left to the caller (see
    :func:`input_nests_too_deeply`): that is the failure of that element alone.

    :raises InputDecodeError: when ``data`` is not such an array (or nests too deeply for the
        parser, which then cannot say where)
    """
    try:
        inputs = decode_json(data)
    except (ValueError, RecursionError) as e:
        raise InputDecodeError(f"batch inputs are not one JSON document: {e}") from e
    if not isinstance(inputs, list):
        raise InputDecodeError(f"batch inputs are not a JSON array but {_json_kind(inputs)}")
    if not 1 <= len(inputs) <= MAX_BATCH_INPUTS:
        raise InputDecodeError(
            f"batch inputs are an array of {len(inputs)} elements, not 1 to {MAX_BATCH_INPUTS}"
        )
    return inputs


def _json_kind(value: Any) -> str:
    """``an object``, ``a string``, ... for messages about a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else "an object"


def is_valid_name(name: str) -> bool:
    """Tells whether a decoded task name came from valid UTF-8 (no ``surrogateescape`` bytes)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _Worker:
    """One connection's worth of serving: the reader loop (main thread) and the task thread."""

    def __init__(
        self,
        bootstrap: Bootstrap,
        sock: socket.socket,
        tasks: Mapping[str, Callable[[Any], Any]],
        send_status: bool,
    ) -> None:
        self._bootstrap = bootstrap
        self._allow_list = bootstrap.allow_list()
        self._sock = sock
        self._tasks = dict(tasks)
        self._send_status = send_status
        self._send_lock = threading.Lock()
        self._lock = threading.Condition()
        self._held: dict[int, _Job] = {}
        self._queue: collections.deque[_Job] = collections.deque()
        self._last_status = 0.0
        self._reader_thread: Optional[threading.Thread] = None
        self._write_error: Optional[OSError] = None
        self._exit_lock = threading.Lock()

    def _log(self, message: str) -> None:
        _log(f"forkpool worker {self._bootstrap.worker_id}: {message}")

    # -- sending ------------------------------------------------------------------------------

    def send(self, message: Message) -> None:
        """Writes one message; a socket that fails ends the worker (see :meth:`_write_failed`)."""
        self._send_bytes(encode_frame(encode_message(message)))

    def _send_bytes(self, data: bytes) -> None:
        with self._send_lock:
            view = memoryview(data)
            sent = 0
            try:
                while sent < len(view):
                    sent += self._sock.send(view[sent:])
                return
            except OSError as e:
                # A frame cut after some of its bytes went out is a failed write whatever the
                # errno says (Linux reports a reset to one call only, and drops it from a send
                # that had already sent something). Only a frame that could not even start, on
                # a socket the supervisor has closed, may be a clean close.
                error = e
                peer_closed = sent == 0 and isinstance(e, BrokenPipeError) and self._peer_closed()
                if not peer_closed:
                    # Recorded before the lock is released: a reader that now sees end of
                    # stream learns that it was no clean close (_exit takes this lock first).
                    self._write_error = e
        self._write_failed(error, peer_closed)

    def _write_failed(self, error: OSError, peer_closed: bool) -> None:
        """Exits 65, unless the supervisor has just closed its end of the socket.

        Then the close may have been clean, at a frame boundary (exit 0) or not (a reset: 65):
        the reader finds out from what is left to read, which it can do without blocking now.
        A write from the reader thread itself returns so that the reader carries on; one from the
        task thread gives the reader a moment, then exits 65.
        """
        if peer_closed:
            if threading.current_thread() is self._reader_thread:
                return
            time.sleep(SOCKET_CLOSE_GRACE_SECONDS)
        self._exit(EXIT_SOCKET_FAILED, f"socket write failed ({error})")

    def _peer_closed(self) -> bool:
        """Tells whether the supervisor has closed its end (hang-up without error), by poll."""
        try:
            poller = select.poll()
            poller.register(self._sock, select.POLLIN)
            events = poller.poll(0)
        except (AttributeError, OSError, ValueError):
            return False
        return any(mask & select.POLLHUP and not mask & select.POLLERR for _, mask in events)

    def _send_reply(self, reply: Union[Result, Failure]) -> None:
        if isinstance(reply, Failure):
            payload = _fitted_failure_payload(reply, self._bootstrap.max_frame_length)
            if payload is None:
                self._exit(
                    EXIT_WORKER_ERROR,
                    f"the failure of task {reply.task_id} does not fit maxFrameLength "
                    f"{self._bootstrap.max_frame_length}",
                )
            frame = Frame(MessageType.FAILURE, reply.task_id, payload)
        else:
            frame = encode_message(reply)
        self._send_bytes(encode_frame(frame))

    # -- reading (main thread) ----------------------------------------------------------------

    def serve(self) -> None:
        """Sends ``HELLO``, serves until shutdown, close, socket error or violation; never returns."""
        self._reader_thread = threading.current_thread()
        # The task thread starts first, so that a worker that has said HELLO is fully up (a
        # thread that cannot start raises here, before HELLO, instead of leaving tasks unrun).
        threading.Thread(
            target=self._run_tasks, name=f"forkpool-task-w{self._bootstrap.worker_id}", daemon=True
        ).start()
        self.send(
            Hello(PROTOCOL_VERSION, os.getpid(), self._bootstrap.token, runtime_description(), FEATURES)
        )
        reader = FrameReader(self._sock, self._bootstrap.max_frame_length)
        try:
            while True:
                frame = reader.read()
                if frame is None:
                    self._exit(EXIT_OK)  # socket closed at a frame boundary (spec 7)
                if self._dispatch(frame):
                    break
        except ProtocolViolation as e:
            self._exit(EXIT_PROTOCOL_VIOLATION, f"protocol violation: {e}")
        except OSError as e:
            self._exit(EXIT_SOCKET_FAILED, f"socket read failed ({e})")
        # SHUTDOWN (spec 8): stop reading and exit at once; the supervisor no longer waits for
        # the tasks this worker still holds.
        self._exit(EXIT_OK)

    def _exit(self, code: int, reason: Optional[str] = None) -> None:
        """Exits once no frame is half written (waiting at most 1 s for a write in progress),
        writing ``reason`` as one line to stderr. The first thread to call it decides the code;
        any other blocks until the process is gone.

        An end of stream after a write failed with an error other than a clean close is that
        error showing up on the read side: exit 65, not 0.
        """
        if not self._exit_lock.acquire(blocking=False):
            threading.Event().wait()  # another thread is ending the process
        self._send_lock.acquire(timeout=1.0)
        if code == EXIT_OK and self._write_error is not None:
            code, reason = EXIT_SOCKET_FAILED, f"socket write failed ({self._write_error})"
        if reason is not None:
            self._log(reason if code == EXIT_PROTOCOL_VIOLATION else f"{reason}; exiting")
        _exit_flushed(code)

    def _dispatch(self, frame: Frame) -> bool:
        """Acts on one frame from the supervisor; returns True for ``SHUTDOWN``.

        :raises ProtocolViolation: for a malformed frame, or one only a worker sends
        """
        if frame.type in _WORKER_SENT_TYPES:  # rejected before its payload is parsed
            kind = MessageType(frame.type).name
            raise ProtocolViolation(f"{kind} is sent by workers, not by the supervisor")
        message = decode_message(frame)
        if isinstance(message, (TaskRequest, BatchRequest)):  # a BATCH is one task (spec 4.5)
            kind = MessageType(frame.type).name
            if message.task_id <= 0:
                raise ProtocolViolation(f"{kind} correlation id {message.task_id} is not positive")
            with self._lock:
                if message.task_id in self._held:
                    raise ProtocolViolation(f"{kind} {message.task_id} is already held by this worker")
                if len(self._held) >= MAX_TASKS_IN_FLIGHT:
                    raise ProtocolViolation(
                        f"{kind} {message.task_id} would be unanswered task number {len(self._held) + 1}, "
                        f"above the limit of {MAX_TASKS_IN_FLIGHT}"
                    )
                job = _Job(message, self._bootstrap.worker_id)
                self._held[message.task_id] = job
                self._queue.append(job)
                self._lock.notify_all()
            return False
        if isinstance(message, Cancel):
            if message.task_id <= 0:
                raise ProtocolViolation(f"CANCEL correlation id {message.task_id} is not positive")
            self._cancel(message.task_id)
            return False
        if isinstance(message, Ping):
            # Answered here, at once: the task thread may be inside a task for minutes, and the
            # supervisor kills a worker that does not answer (spec 4.6).
            self.send(Pong(message.probe))
            return False
        if isinstance(message, Shutdown):
            if frame.correlation_id != 0:
                raise ProtocolViolation(f"SHUTDOWN correlation id {frame.correlation_id} is not 0")
            return True
        raise ProtocolViolation(f"unexpected {type(message).__name__}")  # unreachable

    def _cancel(self, task_id: int) -> None:
        with self._lock:
            job = self._held.get(task_id)
            if job is None:
                return  # already answered, or never received: nothing to do
            if job.state == _Job.RUNNING:
                job.context.cancel()  # a running batch also starts no further input
                return
            # Not started: answer now; the task thread skips jobs that are no longer held.
            del self._held[task_id]
            self._lock.notify_all()
        index = 0 if isinstance(job.request, BatchRequest) else None  # a batch: at its input 0
        self._send_reply(cancellation_failure(task_id, index))  # replies are sent outside the lock

    # -- running (task thread) ----------------------------------------------------------------

    def _run_tasks(self) -> None:
        try:
            while True:
                with self._lock:
                    self._lock.wait_for(lambda: self._queue)
                    job = self._queue.popleft()
                    if self._held.get(job.request.task_id) is not job:
                        continue  # cancelled before it started, already answered
                    job.state = _Job.RUNNING
                reply = self._execute(job)
                del job
                _flush_stdio()
                with self._lock:
                    del self._held[reply.task_id]
                    self._lock.notify_all()
                # Written before the next task is taken (spec 4.2), outside the lock: the reader
                # never waits for a write.
                self._send_reply(reply)
                del reply
                self._maybe_send_status()
        except MemoryError:
            _exit_out_of_memory()
        except BaseException as e:  # noqa: BLE001 - a bug in the worker itself
            _internal_error("task thread", e)

    def _execute(self, job: _Job) -> Union[Result, Failure]:
        """Runs one task; every exception on the way (MemoryError included) is its failure."""
        request = job.request
        if isinstance(request, BatchRequest):
            return self._execute_batch(job, request)
        try:
            task = self._task_named(request.name)
            # No local keeps the input: _call drops it before it encodes the output.
            return Result(request.task_id, self._call(job, task, decode_task_input(request.input)))
        except BaseException as e:  # a task failure of any kind; the worker keeps serving
            return failure_from_exception(request.task_id, e)

    def _execute_batch(self, job: _Job, request: BatchRequest) -> Union[Result, Failure]:
        """Runs a batch (spec 4.5): the task once per input, in order, stopping at the first
        failure or at a ``CANCEL``; answers with one ``RESULT`` array or one ``FAILURE`` with the
        ``index`` of the input that failed, was stopped or would have run next."""
        index = 0
        try:
            task = self._task_named(request.name)  # a refused or unknown name fails at input 0
            inputs = decode_batch_inputs(request.inputs)
            # Each input is one level below the array: with few brackets, none can be too deep.
            if request.inputs.count(b"[") + request.inputs.count(b"{") > MAX_NESTING + 1:
                # Every input is checked before any runs (spec 4.5): a too-deep one fails alone.
                for index, task_input in enumerate(inputs):
                    if input_nests_too_deeply(task_input):
                        raise InputDecodeError(f"task input nests deeper than {MAX_NESTING} levels")
                index = 0
            outputs = []
            size = 1  # the RESULT: "[", then each output followed by "," or the closing "]"
            for index in range(len(inputs)):
                if job.context.is_cancelled():
                    return cancellation_failure(request.task_id, index)
                task_input, inputs[index] = inputs[index], None
                encoded = self._call(job, task, task_input)
                del task_input
                size += len(encoded) + 1
                if size > self._bootstrap.max_frame_length:
                    raise OutputEncodeError(
                        f"the output of input {index} takes the batch's RESULT to {size} bytes, "
                        f"past maxFrameLength {self._bootstrap.max_frame_length}"
                    )
                outputs.append(encoded)
                if job.context.is_cancelled():  # it ran on regardless: it counts as stopped
                    raise TaskCancelled(f"batch {request.task_id} was cancelled while its input {index} ran")
            del inputs
            return Result(request.task_id, b"[" + b",".join(outputs) + b"]")
        except BaseException as e:  # the first failing input fails the batch; the worker serves on
            failure = failure_from_exception(request.task_id, e)
            if job.context.is_cancelled():  # however the stopped input ended (spec 4.5)
                failure = dataclasses.replace(failure, exception_class=CANCELLATION_EXCEPTION, stage=None)
            return dataclasses.replace(failure, index=index)

    def _task_named(self, name: str) -> Callable[[Any], Any]:
        """The task for ``name``; the allow-list is asked before anything is looked up (spec 4.1).

        :raises UnknownTaskError: for a name that is not valid UTF-8 or not registered
        :raises TaskNotAllowedError: for a name the allow-list refuses
        """
        if not is_valid_name(name):
            raise UnknownTaskError(f"task name {name!r} is not valid UTF-8")
        if not self._allow_list.allows(name):
            raise self._allow_list.refusal(name)  # nothing is looked up or decoded
        task = self._tasks.get(name)
        if task is None:
            raise UnknownTaskError(f"no task named {name!r} is registered in this worker")
        return task

    def _call(self, job: _Job, task: Callable[[Any], Any], task_input: Any) -> bytes:
        """Runs ``task`` on one decoded input in ``job``'s context and returns the encoded output.

        :raises OutputEncodeError: when the output cannot be encoded as JSON (NaN, Infinity, a
            type JSON lacks), exceeds ``maxFrameLength`` or nests deeper than 500 levels
        """
        _current.context = job.context
        try:
            output = task(task_input)
        finally:
            _current.context = None
        del task_input
        try:
            encoded = encode_json(output)
        except (TypeError, ValueError, RecursionError) as e:
            raise OutputEncodeError(f"task output cannot be encoded as JSON: {e}") from e
        if len(encoded) > self._bootstrap.max_frame_length:
            raise OutputEncodeError(
                f"task output of {len(encoded)} bytes exceeds maxFrameLength "
                f"{self._bootstrap.max_frame_length}"
            )
        if nests_too_deeply(encoded, output):
            raise OutputEncodeError(f"task output nests deeper than {MAX_NESTING} levels")
        return encoded

    def _maybe_send_status(self) -> None:
        if not self._send_status:
            return
        now = time.monotonic()
        if now - self._last_status < STATUS_MIN_INTERVAL_SECONDS:
            return
        status = memory_status()
        if status is not None:
            self._last_status = now
            self.send(status)


def _flush_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass


def _exit_flushed(code: int) -> None:
    """Flushes what tasks printed, then ends the process without waiting for any thread."""
    _flush_stdio()
    os._exit(code)


_OUT_OF_MEMORY_LINE = b"forkpool worker: out of memory (MemoryError outside a task); exiting with code 3\n"


def _exit_out_of_memory() -> None:
    """Ends the process with 3, writing a prepared line (no allocation needed) to stderr."""
    try:
        _flush_stdio()
        os.write(2, _OUT_OF_MEMORY_LINE)
    except BaseException:  # noqa: BLE001 - exit 3 whatever happens
        pass
    os._exit(EXIT_OUT_OF_MEMORY)


def _internal_error(where: str, error: BaseException) -> None:
    """Ends the process with 1 after an exception the worker did not expect (a bug)."""
    if isinstance(error, MemoryError):
        _exit_out_of_memory()
    try:
        _log(f"forkpool worker: internal error in the {where}: {type(error).__name__}: {error}")
    except BaseException:  # noqa: BLE001
        pass
    _exit_flushed(EXIT_WORKER_ERROR)


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
        _exit_out_of_memory()
    except BaseException as e:  # noqa: BLE001 - a bug in the worker itself
        _internal_error("main thread", e)


def _serve(
    tasks: Optional[Mapping[str, Callable[[Any], Any]]], include_builtin: bool, send_status: bool
) -> None:
    registry: dict[str, Callable[[Any], Any]] = dict(BUILTIN_TASKS) if include_builtin else {}
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
        _log(f"forkpool worker: {e}")
        _exit_flushed(EXIT_BAD_BOOTSTRAP)

    start_lifeline()
    start_supervisor_watch(bootstrap.supervisor_pid, bootstrap.supervisor_start_millis)

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(bootstrap.socket_path)
    except (OSError, ValueError) as e:  # ValueError: a path with a NUL byte
        _log(f"forkpool worker {bootstrap.worker_id}: cannot connect to {bootstrap.socket_path}: {e}")
        _exit_flushed(EXIT_CONNECT_FAILED)

    _Worker(bootstrap, sock, registry, send_status).serve()


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
        _log(f"forkpool worker: {message} (usage: {self.format_usage().strip()})")
        _exit_flushed(EXIT_WORKER_ERROR)


def main(argv: Optional[list[str]] = None) -> None:
    """The command line: ``forkpool_worker.py [--tasks-module PATH.py ...] [--no-status]``."""
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
            _exit_out_of_memory()
        except BaseException as e:  # noqa: BLE001 - any failure to load is a configuration error
            _log(f"forkpool worker: cannot load tasks module {path}: {type(e).__name__}: {e}")
            _exit_flushed(EXIT_WORKER_ERROR)
    serve(tasks, send_status=not args.no_status)


if __name__ == "__main__":
    # Run the module under its own name, so that the exception types above are reported as
    # ``forkpool_worker.X`` and a tasks module importing ``forkpool_worker`` shares them.
    if "forkpool_worker" not in sys.modules:
        _spec = importlib.util.spec_from_file_location("forkpool_worker", os.path.abspath(__file__))
        _module = importlib.util.module_from_spec(_spec)
        sys.modules["forkpool_worker"] = _module
        _previous = sys.dont_write_bytecode
        sys.dont_write_bytecode = True  # no __pycache__ next to this file or a --tasks-module
        try:
            _spec.loader.exec_module(_module)
        finally:
            sys.dont_write_bytecode = _previous
    sys.modules["forkpool_worker"].main()
