"""The task handler: serving one connection (spec 4, 7, 8).

* **Connection** (spec 2.3): connects to ``socketPath`` (failure: exit 65) and sends ``HELLO``,
  which lists both optional features, ``"features":["batch","ping"]``.
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
* **Cancellation** (spec 4.3): Python cannot interrupt a thread, so:

  - a ``CANCEL`` for a task that has not started is answered at once with a ``FAILURE`` whose
    ``exceptionClass`` is ``java.util.concurrent.CancellationException``; the task never runs;
  - a ``CANCEL`` for the running task sets its :class:`TaskContext` flag. A task that polls
    :meth:`TaskContext.is_cancelled` or calls :meth:`TaskContext.check_cancelled` (which raises
    :class:`TaskCancelled`) stops early and is answered with a ``CancellationException``
    failure. A task that ignores the flag runs on and its reply is whatever it produces; the
    supervisor kills the worker if it still runs 500 ms after the ``CANCEL``. The example
    CountPrimes polls the flag between sieve segments;
  - a ``CANCEL`` for a task already answered, or never received, is ignored.

* **Ending** (spec 7, 8): ``SHUTDOWN`` makes the worker stop reading and exit 0 at once, without
  running or answering the tasks it still holds (the supervisor sends it only when it no longer
  waits for them). The socket closing at a frame boundary ends the worker with 0 at once. An
  error reading or writing the socket ends it with 65: a reset, a frame cut after some of its
  bytes went out, a broken pipe while the supervisor's end is still open. A frame that cannot
  even start because the supervisor has just closed its end may be a clean close: that is left
  to the reader, which finds the end of stream (0) or the reset (65). Of its own accord the
  worker never stops in the middle of a frame it writes (it waits up to 1 s for one to finish);
  only the lifeline (spec 2.4) and a failed socket cut one.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import platform
import select
import socket
import threading
import time
from typing import Any, Callable, Mapping, Optional, Union

from .bootstrap import Bootstrap
from .exits import (
    EXIT_OK,
    EXIT_PROTOCOL_VIOLATION,
    EXIT_SOCKET_FAILED,
    EXIT_WORKER_ERROR,
    exit_flushed,
    exit_out_of_memory,
    flush_stdio,
    internal_error,
    log,
)
from .tasks import (
    InputDecodeError,
    OutputEncodeError,
    TaskCancelled,
    TaskContext,
    TaskNotAllowedError,
    UnknownTaskError,
    call_in_context,
    cancellation_failure,
    failure_from_exception,
    fitted_failure_payload,
)
from .wire import (
    CANCELLATION_EXCEPTION,
    MAX_BATCH_INPUTS,
    MAX_NESTING,
    MAX_TASKS_IN_FLIGHT,
    PROTOCOL_VERSION,
    BatchRequest,
    Cancel,
    Failure,
    Frame,
    FrameReader,
    Hello,
    Message,
    MessageType,
    Ping,
    Pong,
    ProtocolViolation,
    Result,
    Shutdown,
    Status,
    TaskRequest,
    decode_json,
    decode_message,
    encode_frame,
    encode_json,
    encode_message,
    input_nests_too_deeply,
    nests_too_deeply,
)

FEATURES = ("batch", "ping")
"""The optional messages this worker accepts, listed in its ``HELLO`` (spec 2.3): ``BATCH`` (4.5)
and ``PING`` (4.6)."""

SOCKET_CLOSE_GRACE_SECONDS = 1.0
"""How long a writer that found the supervisor's end closed leaves the reader to tell a clean
end of stream (exit 0) from a reset (exit 65) before exiting 65 itself."""

STATUS_MIN_INTERVAL_SECONDS = 0.05


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


class Worker:
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
        log(f"forkpool worker {self._bootstrap.worker_id}: {message}")

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
            payload = fitted_failure_payload(reply, self._bootstrap.max_frame_length)
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
        exit_flushed(code)

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
                flush_stdio()
                with self._lock:
                    del self._held[reply.task_id]
                    self._lock.notify_all()
                # Written before the next task is taken (spec 4.2), outside the lock: the reader
                # never waits for a write.
                self._send_reply(reply)
                del reply
                self._maybe_send_status()
        except MemoryError:
            exit_out_of_memory()
        except BaseException as e:  # noqa: BLE001 - a bug in the worker itself
            internal_error("task thread", e)

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
        output = call_in_context(job.context, task, task_input)
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


