"""The example task every reference worker provides: ``io.forkpool.examples.CountPrimes``
(``{"from": a, "to": b}`` -> the number of primes in ``[a, b)``), also named
``io.forkpool.examples.Primes::count``. Not part of the protocol: the CLI registers :data:`TASKS`
next to the tasks modules it is given; :func:`forkpool_worker.serve` does unless told not to.
"""

from __future__ import annotations

import bisect
import itertools
import math
from typing import Any, Callable, Optional

from .tasks import current_context

_I64_MIN = -(2**63)
_I64_MAX = 2**63 - 1

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




def _jackson_long(value: Any, name: str) -> int:
    """Reads a JSON value as a Java ``long`` as the Java worker does: strictly (spec section 5).

    Only a JSON integer within a long's range is a long: a float (``1.5``, ``1.0``, ``1e2``), a
    string (``"25"``), a boolean, ``null``, an array or an object is refused, with no coercion.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"Cannot deserialize value of type `long` for {name!r} from {value!r}: not a JSON integer")
    if not _I64_MIN <= value <= _I64_MAX:
        raise ValueError(f"Numeric value ({value}) out of range of `long` for {name!r}")
    return value


def count_primes_task(range_input: Any) -> int:
    """The ``io.forkpool.examples.CountPrimes`` task: ``{"from": a, "to": b}`` -> primes in [a, b).

    Decodes the input the way the Java worker's data mapper does (missing fields are 0, unknown
    ones are refused, numbers are JSON integers only, ``to < from`` is refused like ``Range``'s
    constructor), then counts. Polls the task's cancellation flag between sieve segments.
    """
    if range_input is None:
        raise TypeError("CountPrimes input is null")  # Java: NullPointerException in execute()
    if not isinstance(range_input, dict):
        raise TypeError(f"CountPrimes input must be a JSON object, got {type(range_input).__name__}")
    unknown = sorted(set(range_input) - {"from", "to"})
    if unknown:
        raise ValueError(f"Unrecognized field {unknown[0]!r} of io.forkpool.examples.Range (known: from, to)")
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

TASKS: "dict[str, Callable[[Any], Any]]" = {COUNT_PRIMES: count_primes_task, PRIMES_COUNT: count_primes_task}


