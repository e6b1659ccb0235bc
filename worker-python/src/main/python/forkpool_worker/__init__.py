"""A forkpool worker in Python: protocol version 1, written from ``docs/PROTOCOL.md`` alone.

The supervisor (a Java ``WorkerPool``) starts the worker as a process, writes one bootstrap line
to its standard input and then talks to it over a Unix domain socket with length-prefixed frames.
This package implements the worker side of that protocol with the standard library only, one
module per concern, in the order a reader meets them:

==============  ==============================================================================
``wire``        the codec: frames (spec 3), messages (4), JSON (5), limits (6); pure functions
``bootstrap``   the bootstrap line (2.2), the task allow-list (4.1), the lifeline and the
                supervisor watch (2.4)
``tasks``       what a task sees (:class:`TaskContext`) and the ``FAILURE`` of an exception (4.2)
``handler``     serving one connection: reading frames, running tasks, replies, cancellation,
                batches, ``PING``, ``STATUS``, ending (4, 7, 8)
``cli``         :func:`serve` and the command line :func:`main`
``exits``       exit codes (9) and the ways the process ends
``examples``    the example task ``io.forkpool.examples.CountPrimes``, not part of the protocol
==============  ==============================================================================

``minimal.py`` next to this package is the same protocol without any optional feature, in one
short file; ``conformance.py`` checks any worker command against the specification.

Running it
==========

As a script::

    python3 forkpool_worker.py [--tasks-module PATH.py ...] [--no-status]

Each ``--tasks-module`` is a Python file that defines ``TASKS = {name: function}``; its tasks are
registered next to the example task ``io.forkpool.examples.CountPrimes`` (module ``examples``;
also named ``io.forkpool.examples.Primes::count``). The script is a launcher for this package,
next to it (``import forkpool_worker`` finds the package: a package wins over a module of the
same name). Neither the package nor a tasks module gets a ``__pycache__`` written next to it.

As a library, from your own worker script::

    import forkpool_worker

    def greet(name):
        return "hello " + name

    forkpool_worker.serve({"com.example.Greet": greet})   # never returns

A task is a callable taking the decoded JSON input (``dict``, ``list``, ``str``, ``int``,
``float``, ``bool`` or ``None``) and returning a JSON-encodable value. While it runs,
:func:`current_context` gives its :class:`TaskContext` (task id, attempt, worker id, cancellation).

Exit codes (spec 9): 0 ``SHUTDOWN`` or socket closed; 1 the worker failed by itself (a
``--tasks-module`` could not be loaded, bad command-line arguments, a failure that cannot fit a
frame, an unexpected internal error); 3 out of memory outside a task (see :mod:`.tasks`), never anything
else; 64 bad bootstrap line; 65 cannot connect, or the socket failed; 66 supervisor protocol
violation; 67 lifeline closed or supervisor gone.

Nothing protocol-related is written to standard output; standard error gets one-line reasons.
"""

from __future__ import annotations

from .bootstrap import Bootstrap, BootstrapError, TaskAllowList, read_bootstrap_line
from .cli import load_tasks_module, main, serve
from .examples import COUNT_PRIMES, count_primes, count_primes_task, is_prime
from .handler import FEATURES, address_space_limit, decode_batch_inputs, decode_task_input, memory_status
from .tasks import (
    InputDecodeError,
    OutputEncodeError,
    TaskCancelled,
    TaskContext,
    TaskNotAllowedError,
    UnknownTaskError,
    current_context,
    cut_text,
)
from .wire import (
    PROTOCOL_VERSION,
    BatchRequest,
    Cancel,
    Failure,
    Frame,
    FrameReader,
    Hello,
    MessageType,
    Ping,
    Pong,
    ProtocolViolation,
    Result,
    Shutdown,
    Status,
    TaskRequest,
    check_header,
    decode_frame,
    decode_json,
    decode_message,
    encode_frame,
    encode_message,
    nesting_depth,
    nests_too_deeply,
)

# A FAILURE's exceptionClass is the type's qualified name (spec 4.2): the worker's own failures
# are reported under the package's public name, whichever module defines them.
for _error in (TaskCancelled, TaskNotAllowedError, UnknownTaskError, InputDecodeError, OutputEncodeError):
    _error.__module__ = __name__
del _error

__all__ = [
    "PROTOCOL_VERSION",
    "MessageType",
    "Frame",
    "FrameReader",
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
    "check_header",
    "encode_frame",
    "decode_frame",
    "encode_message",
    "decode_message",
    "decode_json",
    "nesting_depth",
    "nests_too_deeply",
    "Bootstrap",
    "BootstrapError",
    "TaskAllowList",
    "read_bootstrap_line",
    "TaskContext",
    "TaskCancelled",
    "TaskNotAllowedError",
    "UnknownTaskError",
    "InputDecodeError",
    "OutputEncodeError",
    "current_context",
    "cut_text",
    "decode_task_input",
    "decode_batch_inputs",
    "memory_status",
    "address_space_limit",
    "COUNT_PRIMES",
    "count_primes",
    "count_primes_task",
    "is_prime",
    "FEATURES",
    "load_tasks_module",
    "serve",
    "main",
]
