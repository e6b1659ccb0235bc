"""The shortest correct forkpool worker: what docs/PROTOCOL.md requires (MUST), nothing optional.

    python3 minimal.py

No BATCH, PING or STATUS (its HELLO lists no features), no backup watch of the supervisor, no
check the spec leaves optional; one task, io.forkpool.examples.CountPrimes. A CANCEL for a task
that has not started is answered at once; a running task is not stopped (the supervisor kills
the worker 500 ms after the CANCEL). The package forkpool_worker/ next to this
file is the full worker; conformance.py checks both against the spec.
"""

import json
import math
import os
import platform
import socket
import struct
import sys
import threading
import traceback
from collections import deque

HEADER = struct.Struct(">IBBq")  # length u32, type u8, flags u8, correlation id i64 (spec 3)
HELLO, TASK, RESULT, FAILURE, CANCEL, SHUTDOWN = 0x01, 0x10, 0x11, 0x12, 0x13, 0x20
CANCELLED = "java.util.concurrent.CancellationException"
MAX_CONTROL = 1 << 20  # the control-message limit (spec 6)


SEND_LOCK = threading.Lock()  # frames go out whole, one at a time


def fail(code, reason=None):
    """Exits with ``code`` (spec 9), never in the middle of a frame (spec 3): waits up to 1 s."""
    if reason:
        sys.stderr.write(f"minimal worker: {reason}\n")
        sys.stderr.flush()
    SEND_LOCK.acquire(timeout=1.0)
    os._exit(code)


def no_constant(name):
    raise ValueError(f"{name} is not JSON")  # json accepts NaN and Infinity unless told not to


def read_bootstrap():
    """Spec 2.2: one line, read a byte at a time so that nothing after it is consumed."""
    line = b""
    while not line.endswith(b"\n"):
        byte = os.read(0, 1)
        if not byte or len(line) >= 16_384:
            fail(64, "no bootstrap line, or one without '\\n' within 16,384 bytes")
        line += byte
    try:
        fields = json.loads(line.decode("utf-8"), parse_constant=no_constant)
    except ValueError as e:
        fail(64, f"bootstrap line is not JSON: {e}")
    if not isinstance(fields, dict):
        fail(64, "bootstrap line is not a JSON object")
    if type(fields.get("protocolVersion")) is not int or fields["protocolVersion"] != 1:
        fail(64, f"supervisor speaks protocol version {fields.get('protocolVersion')}, this worker version 1")
    for name in ("socketPath", "token"):
        if not isinstance(fields.get(name), str) or not fields[name]:
            fail(64, f"bootstrap field {name} is missing or not a non-empty string")
    for name, low, high, required in (("maxFrameLength", 1024, 1 << 30, True), ("workerId", 0, 2**31 - 1, False),
                                      ("supervisorPid", 0, 2**63 - 1, False),
                                      ("supervisorStartMillis", 0, 2**63 - 1, False)):
        value = fields.get(name, None if required else 0)
        if type(value) is not int or not low <= value <= high:
            fail(64, f"bootstrap field {name} is missing, not an integer or outside [{low}, {high}]")
    allowed = ["*"] if fields.get("allowedTasks") is None else fields["allowedTasks"]
    if not isinstance(allowed, list) or not allowed or not all(map(valid_entry, allowed)):
        fail(64, f"bootstrap field allowedTasks is malformed: {allowed}")
    fields["allowedTasks"] = allowed
    return fields


def valid_entry(entry):
    """An allow-list entry (spec 4.1): "*", or dotted identifiers with an optional ".*"."""
    if entry == "*":
        return True
    parts = entry.split(".") if isinstance(entry, str) else [""]
    parts = parts[:-1] if len(parts) > 1 and parts[-1] == "*" else parts
    return all(p and (p[0].isalpha() or p[0] in "_$") and p.replace("$", "_").isidentifier() for p in parts)


def allowed(entries, name):
    name = name.split("::", 1)[0]
    return any(e == "*" or e == name or (e.endswith(".*") and name.startswith(e[:-1])) for e in entries)


def lifeline():
    """Spec 2.4: end of file (or an error) on standard input means the supervisor is gone."""
    try:
        while os.read(0, 4096):
            pass
    finally:
        os._exit(67)


def count_primes(task_input):
    """io.forkpool.examples.CountPrimes: {"from": a, "to": b} -> the number of primes in [a, b)."""
    if not isinstance(task_input, dict) or set(task_input) - {"from", "to"}:
        raise ValueError(f"not a Range: {task_input!r}")
    start, end = task_input.get("from", 0), task_input.get("to", 0)
    if type(start) is not int or type(end) is not int or not -(2**63) <= start <= end < 2**63:
        raise ValueError(f"not a Range: {task_input!r}")
    return sum(1 for n in range(max(start, 2), end) if all(n % d for d in range(2, math.isqrt(n) + 1)))


TASKS = {"io.forkpool.examples.CountPrimes": count_primes}


class Worker:
    def __init__(self, bootstrap, sock):
        self.max_frame = bootstrap["maxFrameLength"]
        self.allowed = bootstrap["allowedTasks"]
        self.sock = sock
        self.tasks = deque()  # (task id, name, input bytes) not started yet, in arrival order
        self.ready = threading.Condition()

    def send(self, kind, correlation_id, payload):
        try:
            with SEND_LOCK:
                self.sock.sendall(HEADER.pack(len(payload), kind, 0, correlation_id) + payload)
        except OSError as e:
            fail(65, f"socket write failed: {e}")

    def read_exactly(self, count, at_boundary):
        data = b""
        while len(data) < count:
            try:
                chunk = self.sock.recv(min(count - len(data), 1 << 20))
            except OSError as e:
                fail(65, f"socket read failed: {e}")
            if not chunk:
                if at_boundary and not data:
                    fail(0)  # spec 7: the supervisor closed the socket at a frame boundary
                fail(66, "protocol violation: end of stream inside a frame")
            data += chunk
        return data

    def read_frames(self):
        """Spec 3, 4, 7: the reader, on the main thread, also while a task runs."""
        while True:
            length, kind, flags, correlation_id = HEADER.unpack(self.read_exactly(14, True))
            if length > self.max_frame:  # also a length with the top bit set; before allocating
                fail(66, f"protocol violation: frame length {length}")
            if flags or kind not in (TASK, CANCEL, SHUTDOWN):
                fail(66, f"protocol violation: flags {flags}, type 0x{kind:02x} from the supervisor")
            payload = self.read_exactly(length, False)
            if kind == SHUTDOWN:
                fail(0)
            if kind == CANCEL:  # spec 4.3: a task not started is answered now and never runs
                with self.ready:
                    queued = [task for task in self.tasks if task[0] == correlation_id]
                    for task in queued:
                        self.tasks.remove(task)
                if queued:
                    self.send(FAILURE, correlation_id, self.failure(CANCELLED, "cancelled before it started", ""))
                continue
            with self.ready:
                name_length = struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 0
                if name_length == 0 or len(payload) < 3 + name_length or not 1 <= payload[2 + name_length] <= 100:
                    fail(66, "protocol violation: malformed TASK (name length or attempt)")
                name = payload[2:2 + name_length].decode("utf-8", "replace")
                self.tasks.append((correlation_id, name, payload[3 + name_length:]))
                self.ready.notify()

    def run_tasks(self):
        """Spec 4.1, 4.2: one at a time, in order; each reply is written before the next starts."""
        while True:
            with self.ready:
                self.ready.wait_for(lambda: self.tasks)
                task_id, name, task_input = self.tasks.popleft()
            kind, payload = self.execute(name, task_input)
            self.send(kind, task_id, payload)

    def execute(self, name, task_input):
        try:
            if not allowed(self.allowed, name):
                raise PermissionError(f"{name} is not in the pool's task allow-list {self.allowed}")
            if name not in TASKS:
                raise LookupError(f"no task named {name} in this worker")
            value = json.loads(task_input.decode("utf-8"), parse_constant=no_constant)
            output = json.dumps(TASKS[name](value), ensure_ascii=False, allow_nan=False).encode("utf-8")
            if len(output) > self.max_frame:
                raise ValueError(f"output of {len(output)} bytes exceeds maxFrameLength {self.max_frame}")
            return RESULT, output
        except Exception as e:  # a task failure, never the worker's: it serves on
            trace = "".join(traceback.format_exception(type(e), e, e.__traceback__))
            return FAILURE, self.failure(type(e).__name__, str(e), trace)

    def failure(self, exception_class, message, trace):
        """Spec 4.2: the FAILURE payload, its texts cut until it fits (spec 6 and maxFrameLength)."""
        cut = 32_768
        while True:
            fields = {"exceptionClass": exception_class, "message": message[:cut], "stackTrace": trace[-cut:]}
            payload = json.dumps(fields, ensure_ascii=False).encode("utf-8", "replace")
            if len(payload) <= min(self.max_frame, MAX_CONTROL):
                return payload
            if cut == 0:
                fail(1, f"a FAILURE of {exception_class} does not fit maxFrameLength {self.max_frame}")
            cut //= 2


def main():
    bootstrap = read_bootstrap()
    threading.Thread(target=lifeline, daemon=True).start()
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(bootstrap["socketPath"])
    except (OSError, ValueError) as e:
        fail(65, f"cannot connect to {bootstrap['socketPath']}: {e}")
    worker = Worker(bootstrap, sock)
    runtime = f"python {platform.python_version()} (minimal)"
    hello = {"protocolVersion": 1, "pid": os.getpid(), "token": bootstrap["token"], "runtime": runtime}
    worker.send(HELLO, 0, json.dumps(hello).encode("utf-8"))
    threading.Thread(target=worker.run_tasks, daemon=True).start()
    worker.read_frames()


if __name__ == "__main__":
    main()
