"""The bootstrap line (spec 2.2), the task allow-list (2.2, 4.1), the lifeline and the backup
supervisor watch (2.4): everything the worker does before it connects.

* **Bootstrap** (spec 2.2): reads standard input one byte at a time up to the first ``\\n`` (at
  most 16,384 bytes), so it never consumes a byte past the line. The line must be one JSON object
  (nesting at most 500 levels) with the integer ``protocolVersion`` 1, non-empty strings
  ``socketPath`` and ``token``, an integer ``maxFrameLength`` in [1,024, 1,073,741,824], and
  optionally the integers ``workerId`` (up to 2^31-1), ``supervisorPid`` and
  ``supervisorStartMillis`` (each up to 2^63-1; all >= 0, default 0) and ``allowedTasks``
  (default ``["*"]``). "Integer" means a JSON number without fraction or exponent; ``null`` is
  not one. Unknown fields are ignored. A missing, overlong or invalid line, a field of the wrong
  type or out of range, or a protocol version other than 1 is reported on stderr as one line and
  ends the process with 64.
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
* **Allow-list** (spec 2.2, 4.1): ``allowedTasks`` entries are ``*`` (any name), a package
  pattern ``a.b.*`` (every name starting with ``a.b.``: ``a.b.X`` and ``a.b.c.Y``, not
  ``a.bc.Y``) or an exact name; each must be ``*`` or dotted Java identifiers with an optional
  trailing ``.*``, and the list must not be empty (otherwise: exit 64). A ``TASK`` whose name the
  list refuses is answered with a ``FAILURE`` (:class:`TaskNotAllowedError`, message
  ``<name> is not in the pool's task allow-list [<entries>]``) without looking the name up or
  decoding the input; the worker serves on. Unlike the Java worker, this one has no built-in
  refusal of ``java.`` and the like: its task table holds no such names anyway.
"""

from __future__ import annotations

import dataclasses
import json
import os
import threading
import time
import unicodedata
from typing import Any, Optional, Union

from .exits import EXIT_LIFELINE, internal_error, log
from .tasks import TaskNotAllowedError
from .wire import (
    MAX_FRAME_LENGTH,
    MAX_NESTING,
    MIN_FRAME_LENGTH,
    PROTOCOL_VERSION,
    decode_json,
    encode_json,
    nests_too_deeply,
)

MAX_BOOTSTRAP_LINE = 16_384
"""The longest bootstrap line, terminator included (spec 2.2)."""

LIFELINE_POLL_SECONDS = 0.1
START_TIME_TOLERANCE_MILLIS = 2_000


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
        if not socket_path.startswith("/"):
            raise BootstrapError(f"bootstrap field 'socketPath' is not an absolute path: {shown(socket_path)}")
        token = text("token")
        max_frame_length = integer("maxFrameLength", MIN_FRAME_LENGTH, MAX_FRAME_LENGTH)
        worker_id = integer("workerId", 0, 2**31 - 1, default=0)
        supervisor_pid = integer("supervisorPid", 0, 2**63 - 1, default=0)
        supervisor_start = integer("supervisorStartMillis", 0, 2**63 - 1, default=0)
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
            internal_error("supervisor watch", e)
        log(f"forkpool worker: supervisor process {pid} (started at {start_millis}) is gone")
        os._exit(EXIT_LIFELINE)

    threading.Thread(target=watch, name="forkpool-supervisor-watch", daemon=True).start()


