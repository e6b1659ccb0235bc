"""The wire codec: frames (spec 3), messages (spec 4), JSON (spec 5) and limits (spec 6).

Pure functions and value types, no I/O except :class:`FrameReader`, which reads frames from a
socket. The supervisor's side uses the same codec (the conformance kit does), so every message
both encodes and decodes. What the worker does with a violation:

* **Protocol violations** by the supervisor (spec 3, 4, 6, 7) are reported on stderr as one line
  and end the process with 66: a length with the top bit set or above ``maxFrameLength`` (checked
  before anything is allocated), non-zero flags, an unknown type, a message that only a worker
  sends (rejected before its payload is parsed), a malformed ``TASK`` or ``BATCH`` (name length
  0 or overrunning the payload, attempt 0 or above 100), end of stream inside a frame; and, among
  the checks spec 7 leaves optional, all of them: a ``TASK`` or ``BATCH`` id that is not positive
  or that of a task the worker still holds, one beyond the 1,024 unanswered tasks of spec 6, a
  ``CANCEL`` with a payload or a non-positive id, a ``SHUTDOWN`` with a payload or a non-zero id;
  and, always, a ``PING`` with a payload.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import socket
import struct
from typing import Any, Optional, Union

PROTOCOL_VERSION = 1

# Limits (spec 6).
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

READ_CHUNK = 1 << 20
"""The most a payload buffer grows by per read: it grows only as bytes arrive (spec 3)."""

CANCELLATION_EXCEPTION = "java.util.concurrent.CancellationException"
"""The exceptionClass spec 4.3 prescribes for a task cancelled before (or, here, while) running."""

STAGE_INPUT = "input"
"""A ``FAILURE``'s stage (spec 4.2) when the input did not decode: the task never ran."""
STAGE_OUTPUT = "output"
"""A ``FAILURE``'s stage (spec 4.2) when the output could not be encoded or did not fit."""


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
    the correlation-id rules, are the receiver's business (see ``handler.Worker._dispatch``). A ``TASK``
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


