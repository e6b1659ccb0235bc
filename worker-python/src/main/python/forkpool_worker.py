"""Runs the Python reference worker; the command a pool starts::

    python3 forkpool_worker.py [--tasks-module PATH.py ...] [--no-status]

The worker is the package ``forkpool_worker/`` next to this file, which ``import forkpool_worker``
finds (a package wins over a module of the same name); read its ``__init__`` first.
"""

import sys

sys.dont_write_bytecode = True  # no __pycache__ next to the package or a --tasks-module

import forkpool_worker  # noqa: E402 - the package, not this file

if __name__ == "__main__":
    forkpool_worker.main()
