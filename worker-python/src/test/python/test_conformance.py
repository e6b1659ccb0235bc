"""Tests of the conformance kit itself: it fails a worker that breaks the spec, and its list of
known failures neither hides a new failure nor outlives a fix.

ConformanceKitIT (Java) runs the whole kit against the three workers that pass it; these tests
run single cases against broken copies of ``minimal.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

sys.dont_write_bytecode = True

SOURCE_DIR = Path(__file__).resolve().parents[2] / "main" / "python"
KIT = SOURCE_DIR / "conformance.py"
MINIMAL = SOURCE_DIR / "minimal.py"
UNKNOWN_TYPE = "violation exits 66: unknown type 0x7f"
COUNT = r"4\.1 +TASK CountPrimes"


class ConformanceKitTest(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="forkpool-kit-test-")
        self.addCleanup(shutil.rmtree, self.directory, True)

    def worker(self, *replacements) -> str:
        """A copy of minimal.py with each ``(old, new)`` text replaced (each must occur)."""
        text = MINIMAL.read_text()
        for old, new in replacements:
            self.assertIn(old, text)
            text = text.replace(old, new)
        path = os.path.join(self.directory, "worker.py")
        Path(path).write_text(text)
        return path

    def kit(self, worker: str, *options: str) -> "tuple[int, str]":
        completed = subprocess.run(
            [sys.executable, str(KIT), "--jobs", "2", *options, "--", sys.executable, worker],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=120,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        )
        return completed.returncode, completed.stdout.decode()

    def test_minimal_passes_the_cases_run_here(self):
        code, output = self.kit(str(MINIMAL), "--only", f"{UNKNOWN_TYPE}|{COUNT}")
        self.assertEqual(0, code, output)
        self.assertIn("2 passed, 0 failed, 0 skipped, 0 known failures", output)

    def test_a_wrong_exit_code_fails_the_case_and_the_run(self):
        broken = self.worker(('fail(66, f"protocol violation: flags', 'fail(0, f"protocol violation: flags'))
        code, output = self.kit(broken, "--only", UNKNOWN_TYPE)
        self.assertEqual(1, code, output)
        self.assertRegex(output, r"FAIL 7 +violation exits 66: unknown type 0x7f  -- exit code 0, expected 66")

    def test_a_wrong_result_fails(self):
        broken = self.worker(("return sum(1 for n", "return 1 + sum(1 for n"))
        code, output = self.kit(broken, "--only", COUNT)
        self.assertEqual(1, code, output)
        self.assertIn("expected RESULT 1108152157446 25, got RESULT 1108152157446 (b'26')", output)

    def test_a_known_failure_is_reported_but_does_not_fail_the_run(self):
        broken = self.worker(('fail(66, f"protocol violation: flags', 'fail(0, f"protocol violation: flags'))
        code, output = self.kit(broken, "--only", UNKNOWN_TYPE, "--known-failure", "unknown type")
        self.assertEqual(0, code, output)
        self.assertIn("KNOWN 7", output)
        self.assertIn("0 passed, 0 failed, 0 skipped, 1 known failures", output)

    def test_a_known_failure_that_passes_fails_the_run(self):
        code, output = self.kit(str(MINIMAL), "--only", UNKNOWN_TYPE, "--known-failure", "unknown type")
        self.assertEqual(1, code, output)
        self.assertIn("listed as a known failure, but it did not fail (PASS): remove it from the list", output)


if __name__ == "__main__":
    unittest.main()
