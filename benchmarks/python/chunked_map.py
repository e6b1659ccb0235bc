"""Python's ProcessPoolExecutor.map over 200,000 echo inputs, chunksize 1000: the baseline that
ColdBatchBenchmark's second batch is compared with (docs/BENCHMARKS.md). Prints the first and
second batch's inputs per second, each in a fresh pool that has started its workers."""
import sys
import time
from concurrent.futures import ProcessPoolExecutor


def echo(x):
    return x


def main():
    n = 200_000
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    inputs = list(range(n))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(echo, range(workers)))  # the workers are started, as the Java pool's are
        for batch in ("first", "second"):
            start = time.perf_counter()
            outputs = list(pool.map(echo, inputs, chunksize=1000))
            elapsed = time.perf_counter() - start
            if outputs != inputs:
                raise SystemExit("wrong outputs")
            print(f"{batch} {elapsed * 1000:.1f} ms {n / elapsed / 1e6:.2f}M inputs/s")


if __name__ == "__main__":
    main()
