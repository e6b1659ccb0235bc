#!/usr/bin/env python3
"""The conformance kit: checks any forkpool worker command against docs/PROTOCOL.md.

    python3 conformance.py [options] -- <worker command...>

for example ``-- python3 minimal.py``, ``-- python3 forkpool_worker.py``, or the Java worker:
``-- java -XX:+ExitOnOutOfMemoryError -cp <class path> io.forkpool.worker.WorkerMain``.

The kit plays the supervisor (spec 2): for each case it makes a directory only its user can
read, binds a Unix domain socket in it, starts the command with an argument list (no shell) in a
session of its own, under ``setpriv --pdeathsig KILL --`` where that exists, with only the
environment variables a pool passes by default, and writes the bootstrap line to its standard
input, which it then keeps open as the lifeline. It checks every frame the worker sends as the
supervisor does (spec 7) and every exit code (spec 9). Cases that need a task use the example task
``io.forkpool.examples.CountPrimes`` (``{"from":0,"to":100}`` gives 25), which every worker that
is checked must provide; ``{"from":0,"to":10**15}`` serves as a task that runs for a long time, and
``{"from":10**12,"to":10**12+10000}`` as one that ends, but not at once.

Each case prints PASS, FAIL or SKIP (the worker does not list the optional feature the case
needs) with its spec section; a PASS may carry a note on a SHOULD the worker does not follow or
a choice the spec leaves to it. The exit status is 0 when no case failed, 1 otherwise, 2 for a
usage error. Every worker is SIGKILLed with its session when its case ends. Standard library
only, Python 3.8 or later; the codec is the Python worker's (``forkpool_worker/wire.py``), which
is itself checked against the golden files.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import secrets
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, List, Optional

sys.dont_write_bytecode = True  # no __pycache__ next to the sources
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from forkpool_worker import bootstrap, wire  # noqa: E402

EXAMPLE = "io.forkpool.examples.CountPrimes"
SMALL = {"from": 0, "to": 100}
SMALL_COUNT = 25
LONG = {"from": 0, "to": 10**15}
MEDIUM = {"from": 10**12, "to": 10**12 + 10_000}  # about a second for trial division in Java
CANCELLATION = "java.util.concurrent.CancellationException"
BIG_ID = 0x010203040506  # above 2^32, as in the golden files
ENVIRONMENT = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM")
WORKER_SENT = {wire.MessageType.HELLO, wire.MessageType.RESULT, wire.MessageType.FAILURE,
               wire.MessageType.STATUS, wire.MessageType.PONG}
DEFAULT_GOLDEN = Path(__file__).resolve().parents[4] / "worker-bootstrap" / "src" / "test" / "resources" / "golden"


class Failed(Exception):
    """The worker broke the spec; the message says how."""


class Skipped(Exception):
    """The case does not apply to this worker."""


class Options:
    """What the command line set: the worker command, time limits, where the golden files are."""

    def __init__(self, command: List[str], timeout: float, startup: float, golden: Path, setpriv: bool,
                 exit_within: float = 1.0):
        self.command = command
        self.exit_within = exit_within
        self.timeout = timeout
        self.startup = startup
        self.golden = golden
        prefix = ["setpriv", "--pdeathsig", "KILL", "--"] if setpriv and shutil.which("setpriv") else []
        self.prefix = prefix
        self.features: List[str] = []


def start_millis(pid: int) -> int:
    """When ``pid`` started, as the JDK computes it on Linux (spec 2.4); 0 where unknown."""
    started = bootstrap.process_start_millis(pid)
    return started if started is not None and started > 0 else 0


def read_hex(path: Path) -> bytes:
    """The bytes of an annotated golden file: hex pairs; ``#`` starts a comment."""
    return b"".join(bytes.fromhex(line.split("#", 1)[0]) for line in path.read_text().splitlines())


def task(task_id: int, value=SMALL, name: str = EXAMPLE, attempt: int = 1, raw: Optional[bytes] = None) -> bytes:
    data = json.dumps(value, separators=(",", ":")).encode() if raw is None else raw
    return wire.encode_frame(wire.encode_message(wire.TaskRequest(task_id, name, attempt, data)))


def batch(task_id: int, values=None, name: str = EXAMPLE, raw: Optional[bytes] = None) -> bytes:
    data = json.dumps(values, separators=(",", ":")).encode() if raw is None else raw
    return wire.encode_frame(wire.encode_message(wire.BatchRequest(task_id, name, 1, data)))


def frame(kind: int, correlation_id: int = 0, payload: bytes = b"", flags: int = 0) -> bytes:
    return wire.HEADER.pack(len(payload), kind, flags, correlation_id) + payload


class Worker:
    """One worker process, seen from the supervisor's side of the socket."""

    def __init__(self, options: Options, max_frame_length: int = 1 << 20, **fields):
        self.options = options
        self.directory = tempfile.mkdtemp(prefix="forkpool-kit-")  # mode 0700
        self.socket_path = os.path.join(self.directory, "w0.sock")
        self.token = secrets.token_hex(16)
        self.max_frame_length = max_frame_length
        self.bootstrap = {"protocolVersion": 1, "socketPath": self.socket_path, "token": self.token, "workerId": 0,
                          "maxFrameLength": max_frame_length, "supervisorPid": os.getpid(),
                          "supervisorStartMillis": start_millis(os.getpid()), "allowedTasks": ["*"]}
        self.bootstrap.update(fields)
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.socket_path)
        self.listener.listen(1)
        self.conn: Optional[socket.socket] = None
        self.proc: Optional[subprocess.Popen] = None
        self.held = {}  # task id -> number of BATCH inputs, or None for a TASK
        self.hello: Optional[wire.Hello] = None
        self.notes: List[str] = []

    def start(self, line: Optional[bytes] = None) -> "Worker":
        """Spawns the worker as spec 2.1 says and writes the bootstrap line (2.2)."""
        env = {name: os.environ[name] for name in ENVIRONMENT if name in os.environ}
        with open(os.path.join(self.directory, "out"), "wb") as out, open(os.path.join(self.directory, "err"), "wb") as err:
            self.proc = subprocess.Popen(self.options.prefix + self.options.command, stdin=subprocess.PIPE,
                                         stdout=out, stderr=err, env=env, start_new_session=True, close_fds=True)
        self.started = time.monotonic()
        if line is None:
            line = json.dumps(self.bootstrap, separators=(",", ":")).encode() + b"\n"
        try:
            self.proc.stdin.write(line)
            self.proc.stdin.flush()
        except OSError:
            pass  # the worker is gone already; its exit code tells why
        return self

    def connect(self) -> "Worker":
        """Starts the worker if needed, accepts its one connection and checks its HELLO (2.3)."""
        if self.proc is None:
            self.start()
        readable, _, _ = select.select([self.listener], [], [], self.options.startup)
        if not readable:
            raise Failed(f"no connection within {self.options.startup:.0f} s of the spawn "
                         f"(exit code {self.proc.poll()}; stderr: {self.stderr_tail()})")
        self.conn, _ = self.listener.accept()
        os.unlink(self.socket_path)  # as the supervisor does
        self.conn.settimeout(self.options.timeout)
        self.reader = wire.FrameReader(self.conn, self.max_frame_length)
        first = self.frame(self.options.startup - (time.monotonic() - self.started))
        if first is None or first.type != wire.MessageType.HELLO or first.correlation_id != 0:
            raise Failed(f"the first frame is not a HELLO with correlation id 0: {first}")
        try:
            hello = wire.decode_message(first)
        except wire.ProtocolViolation as e:
            raise Failed(f"invalid HELLO: {e}") from None
        if hello.protocol_version != 1 or hello.token != self.token:
            raise Failed(f"HELLO protocolVersion {hello.protocol_version} or token {hello.token!r} is wrong")
        self.hello = hello
        return self

    def frame(self, timeout: Optional[float] = None) -> Optional[wire.Frame]:
        """The next frame, checked as the supervisor checks it (3, 7); ``None`` at a clean close."""
        self.conn.settimeout(self.options.timeout if timeout is None else max(timeout, 0.001))
        try:
            received = self.reader.read()
        except wire.ProtocolViolation as e:
            raise Failed(f"the worker sent a bad frame: {e}") from None
        except socket.timeout:
            raise Failed(f"the worker sent nothing within {self.conn.gettimeout():.1f} s") from None
        except OSError as e:
            raise Failed(f"socket error reading from the worker: {e}") from None
        if received is not None and received.type not in WORKER_SENT:
            raise Failed(f"the worker sent a {wire.MessageType(received.type).name}, which only a supervisor sends")
        return received

    def receive(self, timeout: Optional[float] = None):
        """The next message other than STATUS, checked against what the worker holds (4, 7)."""
        while True:
            received = self.frame(timeout)
            if received is None:
                raise Failed(f"the worker closed the socket (exit code {self.proc.poll()})")
            try:
                message = wire.decode_message(received)
            except wire.ProtocolViolation as e:
                raise Failed(f"invalid {wire.MessageType(received.type).name} from the worker: {e}") from None
            if isinstance(message, wire.Hello):
                raise Failed("a second HELLO")
            if isinstance(message, wire.Status):
                if received.correlation_id != 0:
                    raise Failed(f"STATUS with correlation id {received.correlation_id}")
                continue
            if isinstance(message, (wire.Result, wire.Failure)):
                self.check_reply(message)
            return message

    def check_reply(self, reply) -> None:
        if reply.task_id not in self.held:
            raise Failed(f"a reply for task {reply.task_id}, which the worker does not hold")
        inputs = self.held.pop(reply.task_id)
        if isinstance(reply, wire.Result):
            try:
                output = json.loads(reply.output.decode("utf-8"), parse_constant=reject_constant)
            except ValueError as e:
                raise Failed(f"RESULT {reply.task_id} is not one JSON document: {e}: {reply.output[:80]!r}") from None
            if inputs is not None and (not isinstance(output, list) or len(output) != inputs):
                raise Failed(f"RESULT of BATCH {reply.task_id} is not an array of {inputs} outputs: {reply.output[:80]!r}")
        elif inputs is not None and reply.index is None:
            raise Failed(f"FAILURE of BATCH {reply.task_id} has no index")
        elif inputs is None and reply.index is not None:
            self.notes.append(f"FAILURE of TASK {reply.task_id} has an index")

    def send(self, *frames: bytes) -> None:
        """Sends frames in one write, noting the tasks and batches among them as held."""
        for data in frames:
            if len(data) >= 14 and data[4] in (wire.MessageType.TASK, wire.MessageType.BATCH):
                task_id = wire.HEADER.unpack(data[:14])[3]
                self.held[task_id] = batch_size(data) if data[4] == wire.MessageType.BATCH else None
        self.conn.sendall(b"".join(frames))

    def result(self, task_id: int, value=SMALL, name: str = EXAMPLE):
        """Runs one task; returns its output, decoded."""
        self.send(task(task_id, value, name))
        reply = self.receive()
        if not isinstance(reply, wire.Result) or reply.task_id != task_id:
            raise Failed(f"expected the RESULT of task {task_id}, got {describe(reply)}")
        return json.loads(reply.output)

    def failure(self, data: bytes, task_id: int) -> wire.Failure:
        """Sends one task or batch that must fail; returns its FAILURE."""
        self.send(data)
        reply = self.receive()
        if not isinstance(reply, wire.Failure) or reply.task_id != task_id:
            raise Failed(f"expected a FAILURE for task {task_id}, got {describe(reply)}")
        return reply

    def serves_on(self, task_id: int = 999_001) -> None:
        """Checks that the worker still answers CountPrimes correctly."""
        output = self.result(task_id)
        if output != SMALL_COUNT or type(output) is not int:
            raise Failed(f"CountPrimes {SMALL} gave {output!r}, not {SMALL_COUNT}")

    def wait_exit(self, codes, within: Optional[float] = None) -> float:
        """Waits for the process to exit with one of ``codes``; returns how long it took."""
        start = time.monotonic()
        try:
            code = self.proc.wait(timeout=self.options.timeout if within is None else within)
        except subprocess.TimeoutExpired:
            raise Failed(f"still running {time.monotonic() - start:.2f} s later; expected exit {codes}") from None
        if code not in codes:
            raise Failed(f"exit code {code}, expected {' or '.join(map(str, codes))} (stderr: {self.stderr_tail()})")
        return time.monotonic() - start

    def stderr(self) -> str:
        return Path(self.directory, "err").read_text("utf-8", "replace")

    def stderr_tail(self) -> str:
        lines = self.stderr().strip().splitlines()
        return " | ".join(lines[-3:]) if lines else "(empty)"

    def close(self) -> None:
        """SIGKILLs the worker's session and removes the directory."""
        if self.proc is not None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            for stream in (self.proc.stdin,):
                try:
                    stream.close()
                except OSError:
                    pass
            self.proc.wait()
        for s in (self.conn, self.listener):
            if s is not None:
                s.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def batch_size(data: bytes) -> int:
    """How many inputs a BATCH frame carries; 0 when they are not an array (the batch must fail)."""
    try:
        inputs = json.loads(wire.decode_message(wire.decode_frame(data)).inputs)
    except (ValueError, wire.ProtocolViolation):
        return 0
    return len(inputs) if isinstance(inputs, list) else 0


def reject_constant(name: str):
    raise ValueError(f"{name} is not JSON (spec 5)")


def describe(message) -> str:
    if isinstance(message, wire.Failure):
        return f"FAILURE {message.task_id} ({message.exception_class}: {message.message})"
    if isinstance(message, wire.Result):
        return f"RESULT {message.task_id} ({message.output[:60]!r})"
    return repr(message)


# --------------------------------------------------------------------------------------------
# The cases: each takes a function that makes Workers (closed when the case ends) and returns
# an optional note.
# --------------------------------------------------------------------------------------------

CASES = []


class Case:
    def __init__(self, section: str, title: str, feature: Optional[str], run: Callable):
        self.section, self.title, self.feature, self.run = section, title, feature, run


def case(section: str, title: str, feature: Optional[str] = None):
    def register(run):
        CASES.append(Case(section, title, feature, run))
        return run
    return register


@case("2.3", "HELLO: first frame, version 1, the token, valid fields")
def hello(make):
    w = make().connect()
    notes = [] if w.hello.pid == w.proc.pid else [f"HELLO pid {w.hello.pid} is not the spawned process {w.proc.pid}"]
    unknown = [f for f in w.hello.features if f not in ("batch", "ping")]
    return "; ".join(notes + ([f"lists unknown features {unknown}"] if unknown else [])) or None


@case("2.2", "the bootstrap's optional fields may be absent, unknown fields are ignored")
def bootstrap_minimal(make):
    w = make()
    for name in ("workerId", "supervisorPid", "supervisorStartMillis", "allowedTasks"):
        del w.bootstrap[name]
    w.bootstrap["aFieldFromTheFuture"] = {"ignored": [True]}
    w.connect().serves_on()


@case("2.2", "allowedTasks null means [\"*\"]; workerId up to 2^31-1")
def bootstrap_nulls(make):
    make(allowedTasks=None, workerId=2**31 - 1).connect().serves_on()


BAD_BOOTSTRAPS = {
    "no line at all": b"",
    "not JSON": b"hello\n",
    "a JSON array": b"[1]\n",
    "no newline, then end of input": None,
    "longer than 16,384 bytes": b"{" + b" " * 16_400 + b"\n",
    "protocolVersion 2": {"protocolVersion": 2},
    "protocolVersion 1.0": {"protocolVersion": 1.0},
    "no protocolVersion": {"protocolVersion": ...},
    "no socketPath": {"socketPath": ...},
    "empty socketPath": {"socketPath": ""},
    "no token": {"token": ...},
    "empty token": {"token": ""},
    "token a number": {"token": 7},
    "no maxFrameLength": {"maxFrameLength": ...},
    "maxFrameLength 1023": {"maxFrameLength": 1023},
    "maxFrameLength 2^30 + 1": {"maxFrameLength": 2**30 + 1},
    "maxFrameLength 4096.0": {"maxFrameLength": 4096.0},
    "maxFrameLength \"4096\"": {"maxFrameLength": "4096"},
    "workerId -1": {"workerId": -1},
    "workerId 2^31": {"workerId": 2**31},
    "supervisorPid null": {"supervisorPid": None},
    "supervisorStartMillis -1": {"supervisorStartMillis": -1},
    "allowedTasks []": {"allowedTasks": []},
    "allowedTasks a string": {"allowedTasks": "*"},
    "allowedTasks [\"com..X\"]": {"allowedTasks": ["com.example.*", "com..X"]},
    "allowedTasks [7]": {"allowedTasks": [7]},
}


def bad_bootstrap_case(title, change):
    def run(make):
        w = make()
        if isinstance(change, dict):
            fields = dict(w.bootstrap)
            for name, value in change.items():
                if value is ...:
                    del fields[name]
                else:
                    fields[name] = value
            line = json.dumps(fields).encode() + b"\n"
        else:
            line = json.dumps(w.bootstrap).encode() if change is None else change
        w.start(line)
        w.proc.stdin.close()  # end of input: the line is all there is
        w.wait_exit({64})
        if not w.stderr().strip():
            raise Failed("exit 64 without a reason on standard error")
        if title == "protocolVersion 2" and not (re.search(r"\b2\b", w.stderr()) and re.search(r"\b1\b", w.stderr())):
            raise Failed(f"the reason does not name both versions: {w.stderr_tail()}")
    case("2.2", f"bad bootstrap line exits 64: {title}")(run)


for _title, _change in BAD_BOOTSTRAPS.items():
    bad_bootstrap_case(_title, _change)


@case("2.2", "the longest bootstrap line, 16,384 bytes, is accepted")
def bootstrap_longest(make):
    w = make()
    line = json.dumps(w.bootstrap).encode()
    padded = line[:-1] + b',"pad":"' + b"p" * (16_384 - len(line) - 10) + b'"}\n'
    assert len(padded) == 16_384
    w.start(padded).connect().serves_on()


@case("2.3", "cannot connect: exit 65")
def connect_failure(make):
    w = make(socketPath="/nonexistent-forkpool-kit/w0.sock").start()
    w.wait_exit({65})


@case("2.4", "lifeline closed while idle: exit 67 at once")
def lifeline_idle(make):
    w = make().connect()
    w.proc.stdin.close()
    return f"exited {w.wait_exit({67}, within=w.options.exit_within) * 1000:.0f} ms after the lifeline closed"


@case("2.4", "lifeline closed while a task runs: exit 67 at once")
def lifeline_busy(make):
    w = make().connect()
    w.send(task(1, LONG))
    ping_if_possible(w)
    w.proc.stdin.close()
    return f"exited {w.wait_exit({67}, within=w.options.exit_within) * 1000:.0f} ms after the lifeline closed"


def ping_if_possible(w: Worker) -> None:
    """Makes sure the worker has read what was sent, where it can tell (a PONG)."""
    if "ping" in w.hello.features:
        w.send(frame(wire.MessageType.PING, 5))
        if w.receive() != wire.Pong(5):
            raise Failed("no PONG for PING 5")


@case("2.4", "backup watch: a supervisorPid that is gone ends the worker with 67 (SHOULD)")
def supervisor_gone(make):
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    w = make(supervisorPid=child.pid, supervisorStartMillis=0).start()
    try:
        w.wait_exit({67}, within=w.options.exit_within + 2.0)
    except Failed as e:
        return f"no backup watch (a SHOULD): {e}"


@case("4.1", "TASK CountPrimes {from:0,to:100} -> RESULT 25, with a 64-bit id and attempt 3")
def count_primes(make):
    w = make().connect()
    w.send(task(BIG_ID, attempt=3))
    reply = w.receive()
    if not isinstance(reply, wire.Result) or json.loads(reply.output) != SMALL_COUNT or reply.task_id != BIG_ID:
        raise Failed(f"expected RESULT {BIG_ID} 25, got {describe(reply)}")
    if reply.output != b"25":
        return f"RESULT payload {reply.output!r} is not the compact 25"


def golden(options: Options, name: str) -> bytes:
    path = options.golden / name
    if not path.is_file():
        raise Skipped(f"no golden file {path}")
    return read_hex(path)


def with_example_name(data: bytes) -> bytes:
    """A golden TASK or BATCH, under the example task's name if it uses another."""
    message = wire.decode_message(wire.decode_frame(data))
    if message.name == EXAMPLE:
        return data
    return wire.encode_frame(wire.encode_message(dataclasses.replace(message, name=EXAMPLE)))


@case("3", "golden task.hex gives the value of golden result.hex")
def golden_task(make):
    w = make()
    sent = with_example_name(golden(w.options, "task.hex"))
    expected = golden(w.options, "result.hex")
    w.connect()
    w.send(sent)
    reply = w.receive()
    want = wire.decode_message(wire.decode_frame(expected))
    if not isinstance(reply, wire.Result) or reply.task_id != want.task_id or json.loads(reply.output) != json.loads(want.output):
        raise Failed(f"expected {describe(want)}, got {describe(reply)}")
    if wire.encode_frame(wire.encode_message(reply)) != expected:
        return "the RESULT is equal in value, not byte for byte"


@case("4.1", "many tasks in one write: exactly one reply each")
def pipelined(make):
    w = make().connect()
    ranges = {i: {"from": i * 100, "to": i * 100 + 100} for i in range(1, 51)}
    w.send(*(task(i, r) for i, r in ranges.items()))
    expected = {1: 21, 2: 16, 3: 16, 4: 17, 5: 14}  # primes in [100, 200) ... [500, 600)
    seen = {}
    for _ in ranges:
        reply = w.receive()
        if not isinstance(reply, wire.Result):
            raise Failed(f"expected a RESULT, got {describe(reply)}")
        seen[reply.task_id] = json.loads(reply.output)
    wrong = {i: seen[i] for i in expected if seen.get(i) != expected[i]}
    if wrong:
        raise Failed(f"wrong counts {wrong}, expected {expected}")
    in_order = list(seen) == sorted(seen)
    return None if in_order else "replies came out of order (allowed)"


def check_failure(reply: wire.Failure, stage: Optional[str] = None, no_stage: bool = False) -> Optional[str]:
    if not reply.exception_class:
        raise Failed("FAILURE with an empty exceptionClass")
    if no_stage and reply.stage is not None:
        raise Failed(f"FAILURE has stage {reply.stage!r} where it must be absent")
    if stage is not None and reply.stage != stage:
        return f"FAILURE {reply.exception_class} has no stage {stage!r} (a SHOULD)"
    return None


@case("4.1", "an unknown task name is a FAILURE without stage; the worker serves on")
def unknown_task(make):
    w = make().connect()
    reply = w.failure(task(1, {}, name="com.example.NoSuchTask\u00e9"), 1)
    check_failure(reply, no_stage=True)
    w.serves_on()
    return f"exceptionClass {reply.exception_class}"


@case("4.1", "a task name that is not UTF-8 is a FAILURE, not a violation")
def name_not_utf8(make):
    w = make().connect()
    payload = b"\x00\x05ab\xff\xfec\x01{}"
    w.failure(frame(wire.MessageType.TASK, 1, payload), 1)
    w.serves_on()


ALLOW_LISTS = [
    (["io.forkpool.examples.*"], True), (["io.forkpool.*"], True), (["io.forkpool.examples.CountPrimes"], True),
    (["com.example.*", "io.forkpool.examples.CountPrimes"], True), (["io.forkpool.example.*"], False),
    (["io.forkpool.examples.CountPrime"], False), (["com.example.*"], False), (["io.forkpool.examples.CountPrimes.*"], False),
]


@case("4.1", "allowedTasks: *, package patterns and exact names; a refusal is a FAILURE without stage")
def allow_list(make):
    for entries, allowed in ALLOW_LISTS:
        w = make(allowedTasks=entries).connect()
        if allowed:
            w.serves_on(1)
        else:
            check_failure(w.failure(task(1), 1), no_stage=True)


@case("4.1", "a refused task's input is not even decoded")
def refused_before_decoding(make):
    w = make(allowedTasks=["com.example.*"]).connect()
    check_failure(w.failure(task(1, raw=b"{not json"), 1), no_stage=True)


INPUT_FAILURES = {"empty input": b"", "not JSON": b"{", "two documents": b"1 2", "NaN": b'{"from":NaN,"to":1}',
                  "not UTF-8": b'{"from":0,"to":"\xff"}'}


@case("4.1", "input that is not one JSON document is a FAILURE (stage input SHOULD); the worker serves on")
def bad_inputs(make):
    w = make().connect()
    notes = []
    for i, (title, raw) in enumerate(INPUT_FAILURES.items(), start=1):
        try:
            note = check_failure(w.failure(task(i, raw=raw), i), stage="input")
        except Failed as e:
            raise Failed(f"{title}: {e}") from None
        if note:
            notes.append(f"{title}: {note}")
    w.serves_on()
    return "; ".join(notes) or None


@case("4.2", "a task that throws (Range to < from, null input) is a FAILURE; the worker serves on")
def task_throws(make):
    w = make().connect()
    w.failure(task(1, {"from": 5, "to": 4}), 1)
    w.failure(task(2, None), 2)
    w.serves_on()


@case("6", "maxFrameLength 1,024: a TASK of exactly 1,024 bytes is served, a FAILURE fits")
def smallest_frames(make):
    w = make(max_frame_length=1024).connect()
    raw = json.dumps(SMALL).encode()
    prefix = 2 + len(EXAMPLE.encode()) + 1
    w.send(task(1, raw=raw + b" " * (1024 - prefix - len(raw))))
    reply = w.receive()
    if not isinstance(reply, wire.Result) or json.loads(reply.output) != SMALL_COUNT:
        raise Failed(f"expected RESULT 25 for a 1,024-byte TASK, got {describe(reply)}")
    w.failure(task(2, {}, name="com.example." + "N" * 1000), 2)  # the FAILURE names it: cut to fit
    w.serves_on()


def violation_case(section: str, title: str, data: Callable[[Worker], bytes], eof: bool = False, feature=None):
    def run(make):
        w = make(max_frame_length=4096).connect()
        if feature is not None and feature not in w.hello.features:
            raise Skipped(f"the worker does not list {feature!r}")
        w.conn.sendall(data(w))
        if eof:
            w.conn.shutdown(socket.SHUT_WR)
        w.wait_exit({66})
        if not w.stderr().strip():
            raise Failed("exit 66 without a reason on standard error")
    case(section, f"violation exits 66: {title}")(run)


def _unless(feature: str, kind: int) -> Callable[[Worker], bytes]:
    def data(w: Worker) -> bytes:
        if feature in w.hello.features:
            raise Skipped(f"the worker lists {feature!r}: type 0x{kind:02x} is known to it")
        payload = b"\x00\x01a\x01[1]" if kind == wire.MessageType.BATCH else b""
        return frame(kind, 1, payload)
    return data


TASK_T, BATCH_T = wire.MessageType.TASK, wire.MessageType.BATCH
for _title, _data, _eof, _feature in [
    ("length above maxFrameLength", lambda w: wire.HEADER.pack(4097, TASK_T, 0, 1), False, None),
    ("length with the top bit set", lambda w: wire.HEADER.pack(0xFFFF_FFF0, TASK_T, 0, 1), False, None),
    ("non-zero flags", lambda w: frame(wire.MessageType.SHUTDOWN, 0, flags=0x80), False, None),
    ("unknown type 0x7f", lambda w: frame(0x7F, 1), False, None),
    ("HELLO from the supervisor", lambda w: frame(wire.MessageType.HELLO, 0, b"{}"), False, None),
    ("RESULT from the supervisor", lambda w: frame(wire.MessageType.RESULT, 1, b"1"), False, None),
    ("FAILURE from the supervisor", lambda w: frame(wire.MessageType.FAILURE, 1, b"{}"), False, None),
    ("STATUS from the supervisor", lambda w: frame(wire.MessageType.STATUS, 0, b"{"), False, None),
    ("PONG from the supervisor", lambda w: frame(wire.MessageType.PONG, 1), False, None),
    ("BATCH to a worker without \"batch\"", _unless("batch", BATCH_T), False, None),
    ("PING to a worker without \"ping\"", _unless("ping", wire.MessageType.PING), False, None),
    ("TASK name length 0", lambda w: frame(TASK_T, 1, b"\x00\x00\x01null"), False, None),
    ("TASK without room for the attempt", lambda w: frame(TASK_T, 1, b"\x00\x04test"), False, None),
    ("TASK name overrunning the payload", lambda w: frame(TASK_T, 1, b"\x00\xffab\x01null"), False, None),
    ("TASK with a 1-byte payload", lambda w: frame(TASK_T, 1, b"\x00"), False, None),
    ("TASK attempt 0", lambda w: frame(TASK_T, 1, b"\x00\x01a\x00null"), False, None),
    ("TASK attempt 101", lambda w: frame(TASK_T, 1, b"\x00\x01a\x65null"), False, None),
    ("BATCH name length 0", lambda w: frame(BATCH_T, 1, b"\x00\x00\x01[1]"), False, "batch"),
    ("BATCH without room for the attempt", lambda w: frame(BATCH_T, 1, b"\x00\x04test"), False, "batch"),
    ("BATCH attempt 0", lambda w: frame(BATCH_T, 1, b"\x00\x01a\x00[1]"), False, "batch"),
    ("BATCH attempt 101", lambda w: frame(BATCH_T, 1, b"\x00\x01a\x65[1]"), False, "batch"),
    ("PING with a payload", lambda w: frame(wire.MessageType.PING, 1, b"x"), False, "ping"),
    ("end of stream inside a header", lambda w: frame(wire.MessageType.SHUTDOWN)[:7], True, None),
    ("end of stream inside a payload", lambda w: wire.HEADER.pack(10, TASK_T, 0, 1) + b"\x00\x01a", True, None),
]:
    violation_case("7", _title, _data, _eof, _feature)


def optional_check_case(title: str, data: bytes, codes=(66,)):
    """A check spec 7 leaves to the worker (MAY): exit 66, or serve on."""
    def run(make):
        w = make().connect()
        w.send(data)  # a TASK among them is held, and may be answered
        try:
            code = w.proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            w.send(task(999_002))
            while True:
                reply = w.receive()
                if isinstance(reply, wire.Result) and reply.task_id == 999_002:
                    if json.loads(reply.output) != SMALL_COUNT:
                        raise Failed(f"CountPrimes gave {reply.output!r}")
                    return "not checked: the worker serves on (allowed)"
        if code not in codes:
            raise Failed(f"exit code {code}, expected {' or '.join(map(str, codes))} or serving on")
        return "checked: exit 66" if code == 66 else f"not checked: exit {code} (allowed)"
    case("7", f"optional check (MAY): {title}")(run)


optional_check_case("TASK with id 0", task(0))
optional_check_case("TASK with a negative id", task(-5))
optional_check_case("CANCEL with a payload", frame(wire.MessageType.CANCEL, 1, b"x"))
optional_check_case("CANCEL with id 0", frame(wire.MessageType.CANCEL, 0))
optional_check_case("SHUTDOWN with a payload", frame(wire.MessageType.SHUTDOWN, 0, b"x"), codes=(66, 0))
optional_check_case("SHUTDOWN with a non-zero id", frame(wire.MessageType.SHUTDOWN, 7), codes=(66, 0))


def cancelled_while_queued(w: Worker, queued: bytes) -> wire.Failure:
    """Sends a task that takes a while, ``queued`` (id 2) and a CANCEL for it; returns the reply
    to 2, which may come at once or when its turn comes (spec 4.3)."""
    started = time.monotonic()
    w.send(task(1, MEDIUM), queued, frame(wire.MessageType.CANCEL, 2))
    reply = w.receive(timeout=60.0)
    if reply.task_id == 1:  # the worker answers it when its turn comes, after task 1
        reply = w.receive()
    if not isinstance(reply, wire.Failure) or reply.task_id != 2 or reply.exception_class != CANCELLATION:
        raise Failed(f"expected FAILURE 2 {CANCELLATION}, got {describe(reply)}")
    w.notes.append(f"answered after {(time.monotonic() - started) * 1000:.0f} ms")
    return reply


@case("4.3", "CANCEL of a task not started: FAILURE CancellationException")
def cancel_queued(make):
    cancelled_while_queued(make().connect(), task(2))


def cancelled_while_running(w: Worker, data: bytes):
    """Sends task or batch 1, which runs for a long time, then a CANCEL for it; returns the reply
    if it comes within the supervisor's 500 ms, else None (the worker lets it run on)."""
    w.send(data)
    ping_if_possible(w)
    w.send(frame(wire.MessageType.CANCEL, 1))
    try:
        return w.receive(timeout=0.5)
    except Failed:
        return None


@case("4.3", "CANCEL of the running task: it stops (a FAILURE, CancellationException SHOULD) or runs on")
def cancel_running(make):
    w = make().connect()
    reply = cancelled_while_running(w, task(1, LONG))
    if reply is None:
        return "the task runs on (allowed: the supervisor kills the worker 500 ms after the CANCEL)"
    if not isinstance(reply, (wire.Failure, wire.Result)) or reply.task_id != 1:
        raise Failed(f"expected the reply to task 1, got {describe(reply)}")
    w.serves_on()
    if not isinstance(reply, wire.Failure) or reply.exception_class != CANCELLATION:
        return f"stopped, answered {describe(reply)}, not {CANCELLATION} (a SHOULD)"
    return "stopped with CancellationException"


@case("4.3", "CANCEL of an answered or unknown task is ignored")
def cancel_ignored(make):
    w = make().connect()
    w.serves_on(1)
    w.send(frame(wire.MessageType.CANCEL, 1), frame(wire.MessageType.CANCEL, 12345))
    w.serves_on(2)


def need(w: Worker, feature: str) -> None:
    if feature not in w.hello.features:
        raise Skipped(f"the worker does not list {feature!r}")


@case("4.5", "golden batch.hex gives the value of golden batch-result.hex", feature="batch")
def golden_batch(make):
    w = make()
    sent = with_example_name(golden(w.options, "batch.hex"))
    want = wire.decode_message(wire.decode_frame(golden(w.options, "batch-result.hex")))
    w.connect()
    need(w, "batch")
    w.send(sent)
    reply = w.receive()
    if not isinstance(reply, wire.Result) or reply.task_id != want.task_id or json.loads(reply.output) != json.loads(want.output):
        raise Failed(f"expected {describe(want)}, got {describe(reply)}")


@case("4.5", "BATCH failures: the array (index 0), an element (its index), an unknown name (index 0)", feature="batch")
def batch_failures(make):
    w = make().connect()
    need(w, "batch")
    notes = []
    for i, (raw, index, stage) in enumerate([(b"[]", 0, "input"), (b"{}", 0, "input"), (b"[1", 0, "input"),
                                            (b"[" + b",".join([b"{}"] * 65_537) + b"]", 0, "input")], start=1):
        reply = w.failure(batch(i, raw=raw), i)
        if reply.index != index:
            raise Failed(f"BATCH inputs {raw[:20]!r}: index {reply.index}, expected {index}")
        note = check_failure(reply, stage=stage)
        if note:
            notes.append(f"inputs {raw[:10]!r}: {note}")
    element = w.failure(batch(10, [{"from": 0, "to": 10}, {"from": 5, "to": 4}, {"from": 20, "to": 30}]), 10)
    if element.index != 1:
        raise Failed(f"a failing element 1 gave index {element.index}")
    unknown = w.failure(batch(11, [SMALL], name="com.example.NoSuchTask"), 11)
    if unknown.index != 0 or unknown.stage is not None:
        raise Failed(f"an unknown name gave index {unknown.index}, stage {unknown.stage}")
    w.send(batch(12, [SMALL, {"from": 100, "to": 200}]))
    reply = w.receive()
    if not isinstance(reply, wire.Result) or json.loads(reply.output) != [25, 21]:
        raise Failed(f"expected RESULT [25,21], got {describe(reply)}")
    return "; ".join(notes) or None


@case("4.5", "CANCEL of a BATCH not started: FAILURE CancellationException, index 0", feature="batch")
def batch_cancel_queued(make):
    w = make().connect()
    need(w, "batch")
    reply = cancelled_while_queued(w, batch(2, [SMALL, SMALL]))
    if reply.index != 0:
        raise Failed(f"the FAILURE of a batch cancelled before it started has index {reply.index}, not 0")


@case("4.5", "CANCEL of a running BATCH: FAILURE CancellationException at the running index, or runs on", feature="batch")
def batch_cancel_running(make):
    w = make().connect()
    need(w, "batch")
    reply = cancelled_while_running(w, batch(1, [SMALL, LONG, SMALL]))
    if reply is None:
        return "the batch runs on (allowed: the supervisor kills the worker 500 ms after the CANCEL)"
    if not isinstance(reply, wire.Failure) or reply.exception_class != CANCELLATION or reply.index not in (0, 1):
        raise Failed(f"expected FAILURE {CANCELLATION} index 1 (or 0), got {describe(reply)} index {reply.index}")
    w.serves_on()


@case("4.6", "golden ping.hex is answered with golden pong.hex, while idle and while a task runs", feature="ping")
def golden_ping(make):
    w = make()
    ping, pong = golden(w.options, "ping.hex"), golden(w.options, "pong.hex")
    w.connect()
    need(w, "ping")
    for busy in (False, True):
        if busy:
            w.send(task(1, LONG))
        w.send(ping, frame(wire.MessageType.PING, -7))
        for expected in (pong, frame(wire.MessageType.PONG, -7)):
            got = w.frame(timeout=2.0)
            while got is not None and got.type == wire.MessageType.STATUS:
                got = w.frame(timeout=2.0)
            if got is None or wire.encode_frame(got) != expected:
                raise Failed(f"expected PONG bytes {expected.hex()}, got {got}")


@case("8", "golden shutdown.hex: exit 0 at once")
def shutdown(make):
    w = make()
    data = golden(w.options, "shutdown.hex")
    w.connect().serves_on()
    w.conn.sendall(data)
    took = w.wait_exit({0}, within=w.options.exit_within)
    extra = w.frame(timeout=0.5)
    while extra is not None:
        if extra.type != wire.MessageType.STATUS:
            raise Failed(f"a {wire.MessageType(extra.type).name} after SHUTDOWN")
        extra = w.frame(timeout=0.5)
    return f"exited {took * 1000:.0f} ms after SHUTDOWN"


@case("8", "SHUTDOWN and lifeline closed while a task runs and one waits: exit 0 or 67 at once")
def shutdown_busy(make):
    w = make().connect()
    w.send(task(1, LONG), task(2))
    ping_if_possible(w)
    w.conn.sendall(frame(wire.MessageType.SHUTDOWN))
    w.proc.stdin.close()
    took = w.wait_exit({0, 67}, within=w.options.exit_within)
    return f"exit {w.proc.returncode} after {took * 1000:.0f} ms"


@case("7", "the socket closed at a frame boundary: exit 0 at once")
def socket_closed(make):
    w = make().connect()  # nothing unread: a close with unread frames may read as a reset (65)
    w.conn.close()
    w.conn = None
    took = w.wait_exit({0}, within=w.options.exit_within)
    return f"exited {took * 1000:.0f} ms after the close"


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


def run_case(options: Options, c: Case):
    """Runs one case; returns (outcome, detail)."""
    workers: List[Worker] = []

    def make(**kwargs) -> Worker:
        w = Worker(options, **kwargs)
        workers.append(w)
        return w

    try:
        if c.feature is not None and c.feature not in options.features:
            raise Skipped(f"the worker does not list {c.feature!r}")
        note = c.run(make)
        notes = [n for w in workers for n in w.notes] + ([note] if note else [])
        return "PASS", "; ".join(notes)
    except Skipped as e:
        return "SKIP", str(e)
    except Failed as e:
        return "FAIL", str(e)
    except Exception as e:  # noqa: BLE001 - a bug in the kit or an unexpected worker reaction
        return "FAIL", f"{type(e).__name__}: {e} ({traceback.format_exc().strip().splitlines()[-2].strip()})"
    finally:
        for w in workers:
            w.close()


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--" in argv:
        split = argv.index("--")
        argv, command = argv[:split], argv[split + 1:]
    else:
        command = []
    parser = argparse.ArgumentParser(description="Checks a forkpool worker command against protocol version 1.",
                                     usage="%(prog)s [options] -- <worker command...>")
    parser.add_argument("--only", metavar="REGEX", help="run only the cases whose section or title matches")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--jobs", type=int, default=4, help="cases run at once (default 4)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for a reply or an exit")
    parser.add_argument("--startup", type=float, default=30.0, help="seconds from spawn to HELLO (spec 2.3)")
    parser.add_argument("--exit-within", type=float, default=1.0,
                        help="seconds in which an exit 'at once' must come (default 1, as spec 8 allows after "
                             "SHUTDOWN; more on a loaded machine: the times are printed)")
    parser.add_argument("--golden", type=Path, default=DEFAULT_GOLDEN, help="the golden files' directory")
    parser.add_argument("--no-setpriv", action="store_true", help="do not run the worker under setpriv --pdeathsig")
    parser.add_argument("--known-failure", metavar="REGEX", action="append", default=[],
                        help="a case (section and title) known to fail: reported KNOWN, and FAIL if it passes")
    args = parser.parse_args(argv)
    cases = [c for c in CASES if not args.only or re.search(args.only, f"{c.section} {c.title}")]
    if args.list:
        for c in cases:
            print(f"{c.section:4} {c.title}")
        return 0
    if not command:
        parser.error("no worker command after --")
    options = Options(command, args.timeout, args.startup, args.golden, not args.no_setpriv, args.exit_within)
    print(f"forkpool conformance kit, protocol version 1: {' '.join(command)}", flush=True)
    probe = Worker(options)
    try:
        probe.connect()
        options.features = list(probe.hello.features)
        print(f"worker runtime {probe.hello.runtime!r}, features {options.features}", flush=True)
    except Failed as e:
        print(f"FAIL 2.3  the worker does not start: {e}")
        return 1
    finally:
        probe.close()
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0, "KNOWN": 0}
    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        futures = [pool.submit(run_case, options, c) for c in cases]
        for c, future in zip(cases, futures):
            outcome, detail = future.result()
            if any(re.search(known, f"{c.section} {c.title}") for known in args.known_failure):
                outcome, detail = ("KNOWN", detail) if outcome == "FAIL" else (
                    "FAIL", f"listed as a known failure, but it did not fail ({outcome}): remove it from the list")
            counts[outcome] += 1
            print(f"{outcome} {c.section:4} {c.title}" + (f"  -- {detail}" if detail else ""), flush=True)
    print(f"{counts['PASS']} passed, {counts['FAIL']} failed, {counts['SKIP']} skipped, {counts['KNOWN']} known failures")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
