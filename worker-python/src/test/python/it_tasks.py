"""Tasks that PythonWorkerIT and PythonLifelineIT register with ``--tasks-module``.

Each key is the binary name of a stub class in ``io.forkpool.python.PythonTasks`` (Java test
sources): the Java side submits the stub, the Python worker runs the function of the same name.
"""

import os
import sys
import tempfile
import time

_STUBS = "io.forkpool.python.PythonTasks$"


def raise_value_error(message):
    """Raises ValueError with the input as its message."""
    raise ValueError(message)


def spin(seconds):
    """Keeps a core busy in pure Python for ``seconds``; returns how many loops it made."""
    deadline = time.monotonic() + seconds
    loops = 0
    while time.monotonic() < deadline:
        loops += 1
    return loops


def spin_at_gate(gate):
    """Arrives at a test-support Gate, then keeps a core busy until the gate is released.

    ``gate`` is the gate's directory (``io.forkpool.testsupport.Gate``): arriving creates a
    uniquely named file ``started-*`` in it, the release is the file ``release`` appearing there.
    Spins in pure Python, looking at the gate every millisecond, for at most 600 s; returns how
    many loops it made.
    """
    fd, _ = tempfile.mkstemp(prefix="started-%d-" % os.getpid(), dir=gate)
    os.close(fd)
    release = os.path.join(gate, "release")
    deadline = time.monotonic() + 600
    next_look = 0.0
    loops = 0
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        if now >= next_look:
            if os.path.exists(release):
                break
            next_look = now + 0.001
        loops += 1
    return loops


def exit_now(code):
    """Ends the whole worker process at once, as a crash would."""
    sys.stdout.flush()
    os._exit(code)


def shout(text):
    """Prints to both output streams, including text that looks like a frame, then upper-cases."""
    print("\x00\x00\x00\x02\x11\x00 not a frame", flush=True)
    print("shouting " + text, file=sys.stderr, flush=True)
    return text.upper()


def pid(_ignored):
    """Returns the worker's process id."""
    return os.getpid()


TASKS = {
    _STUBS + "Raise": raise_value_error,
    _STUBS + "Spin": spin,
    _STUBS + "SpinAtGate": spin_at_gate,
    _STUBS + "Exit": exit_now,
    _STUBS + "Shout": shout,
    _STUBS + "Pid": pid,
}
