"""Tests of the Python forkpool worker (the package ``forkpool_worker``): codec against the golden
frames, CountPrimes against the Java task's results, and the worker, run by its launcher script,
as a real process against a fake supervisor.

Run with ``cd worker-python && PYTHONDONTWRITEBYTECODE=1 python3 -m unittest discover -s src/test/python -v``.
Every worker process runs with a timeout and is killed (with its session) in cleanup; nothing
writes ``__pycache__`` into the repository.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import secrets
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ next to the sources, however the suite is run

HERE = Path(__file__).resolve().parent
MODULE_ROOT = HERE.parents[2]  # worker-python/
SOURCE_DIR = MODULE_ROOT / "src" / "main" / "python"
WORKER_SCRIPT = SOURCE_DIR / "forkpool_worker.py"
SAMPLE_TASKS = HERE / "sample_tasks.py"
GOLDEN_DIR = MODULE_ROOT.parent / "worker-bootstrap" / "src" / "test" / "resources" / "golden"
PROTOCOL_MD = MODULE_ROOT.parent / "docs" / "PROTOCOL.md"

sys.path.insert(0, str(SOURCE_DIR))
import forkpool_worker as fw  # noqa: E402

COUNT_PRIMES = "io.forkpool.examples.CountPrimes"
CANCELLATION = "java.util.concurrent.CancellationException"
TIMEOUT = 5.0


# ------------------------------------------------------------------------------------------------
# Golden frames (spec 3: "A worker in another language can test itself against them")
# ------------------------------------------------------------------------------------------------


def read_hex(path: Path) -> bytes:
    """The bytes of an annotated hex file: hex pairs, '#' starts a comment."""
    data = bytearray()
    for line in path.read_text().splitlines():
        data += bytes.fromhex(line.split("#", 1)[0])
    return bytes(data)


BIG_ID = 1108152157446  # 0x010203040506, above 2^32

GOLDEN_BATCH_INPUTS = b'[{"from":0,"to":10},{"from":10,"to":20},{"from":20,"to":30}]'

GOLDEN_MESSAGES = {
    "hello.hex": fw.Hello(1, 4242, "9f86d081884c7d659a2feaa0c55ad015", "java 17.0.15"),
    "hello-features.hex": fw.Hello(1, 4242, "9f86d081884c7d659a2feaa0c55ad015", "java 17.0.15", ("batch", "ping")),
    "task.hex": fw.TaskRequest(7, "io.forkpool.examples.CountPrimes", 1, b'{"from":0,"to":100}'),
    "task-retry.hex": fw.TaskRequest(BIG_ID, "com.example.\u00dcn\u00efcode$Inner", 3, b"null"),
    "result.hex": fw.Result(7, b"25"),
    "failure.hex": fw.Failure(
        8,
        "java.lang.IllegalStateException",
        "bad input",
        "java.lang.IllegalStateException: bad input\n\tat com.example.Task.execute(Task.java:9)\n",
    ),
    "failure-null-message.hex": fw.Failure(
        BIG_ID,
        "ValueError",
        None,
        'Traceback (most recent call last):\n  File "t\u00e2che.py", line 1, in run\nValueError\n',
    ),
    "cancel.hex": fw.Cancel(9),
    "shutdown.hex": fw.Shutdown(),
    "status.hex": fw.Status(12345678, 268435456),
    "batch.hex": fw.BatchRequest(10, "io.forkpool.examples.CountPrimes", 1, GOLDEN_BATCH_INPUTS),
    "batch-result.hex": fw.Result(10, b"[4,4,2]"),
    "batch-failure.hex": fw.Failure(11, "java.lang.IllegalArgumentException", "to < from", "", 1),
    "batch-failure-whole.hex": fw.Failure(
        12,
        "forkpool.TaskNotAllowed",
        "com.example.Evil is not in the pool's task allow-list [io.forkpool.examples.*]",
        "",
        0,
    ),
    "batch-cancelled.hex": fw.Failure(
        13, "java.util.concurrent.CancellationException", "batch 13 was cancelled while input 2 ran", "", 2
    ),
    "ping.hex": fw.Ping(BIG_ID),
    "pong.hex": fw.Pong(BIG_ID),
}

GOLDEN_BOOTSTRAP = "bootstrap.json"
GOLDEN_BOOTSTRAP_VALUE = fw.Bootstrap(
    1, "/tmp/forkpool-123/w0-1.sock", "9f86d081884c7d659a2feaa0c55ad015", 0, 67108864, 4242, 1795806000123, ("*",)
)


def unescape(text: str) -> str:
    """Undoes the golden comments' \\uXXXX escapes."""
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


class GoldenFramesTest(unittest.TestCase):
    """Every golden file decodes to the message its comment describes and encodes back exactly."""

    def test_every_golden_file_is_covered(self):
        files = sorted(p.name for p in GOLDEN_DIR.iterdir())
        self.assertEqual(sorted([*GOLDEN_MESSAGES, GOLDEN_BOOTSTRAP]), files)

    def test_decode_then_encode_is_byte_exact(self):
        for name, expected in GOLDEN_MESSAGES.items():
            with self.subTest(name):
                data = read_hex(GOLDEN_DIR / name)
                message = fw.decode_message(fw.decode_frame(data))
                self.assertEqual(expected, message)
                self.assertEqual(data, fw.encode_frame(fw.encode_message(message)))

    def test_encode_from_values_is_byte_exact(self):
        for name, message in GOLDEN_MESSAGES.items():
            with self.subTest(name):
                self.assertEqual(read_hex(GOLDEN_DIR / name), fw.encode_frame(fw.encode_message(message)))

    def test_bootstrap_line_parses_and_reencodes_byte_exact(self):
        data = (GOLDEN_DIR / GOLDEN_BOOTSTRAP).read_bytes()
        self.assertTrue(data.endswith(b"}\n"))
        self.assertEqual(1, data.count(b"\n"))
        parsed = fw.Bootstrap.parse(data)
        self.assertEqual(GOLDEN_BOOTSTRAP_VALUE, parsed)
        self.assertEqual(data, parsed.encode())
        self.assertEqual(data, GOLDEN_BOOTSTRAP_VALUE.encode())
        self.assertEqual(fw.TaskAllowList(["*"]), parsed.allow_list())

    def test_bootstrap_line_is_the_spec_example(self):
        lines = [line for line in PROTOCOL_MD.read_text().splitlines() if line.startswith('{"protocolVersion"')]
        self.assertEqual(1, len(lines), "one bootstrap example in PROTOCOL.md")
        self.assertEqual((GOLDEN_DIR / GOLDEN_BOOTSTRAP).read_text(), lines[0] + "\n")

    def test_annotations_agree_with_bytes(self):
        for path in GOLDEN_DIR.glob("*.hex"):
            with self.subTest(path.name):
                text = path.read_text(encoding="utf-8")
                self.assertTrue(text.isascii(), "non-ASCII characters are escaped in the comments")
                data = read_hex(path)
                length, kind, flags, correlation = struct.unpack(">IBBq", data[:14])
                self.assertEqual(len(data) - 14, length)
                self.assertEqual(0, flags)
                declared = re.search(r"# payload length (\d+)", text)
                self.assertEqual(length, int(declared.group(1)))
                self.assertIn(f"# type 0x{kind:02x}", text)
                self.assertIn(f"# correlation id {correlation}\n", text)
                first_line = text.splitlines()[0]
                self.assertTrue(first_line.startswith(f"# {fw.MessageType(kind).name}"), first_line)
                payload = data[14:]
                json_start = first_line.find(": {")
                if json_start >= 0:  # HELLO, FAILURE, STATUS quote their payload, \uXXXX-escaped
                    quoted = first_line[json_start + 2 :]
                    self.assertEqual(json.loads(quoted), json.loads(payload))
                    self.assertEqual(json.dumps(json.loads(payload), separators=(",", ":")), quoted)
                if kind in (fw.MessageType.TASK, fw.MessageType.BATCH):
                    task = re.search(
                        r"u16 name length (\d+), name (\S+)(?: \(UTF-8\))?, attempt (\d+), inputs? (.+)$", first_line
                    )
                    self.assertIsNotNone(task, first_line)
                    message = fw.decode_message(fw.decode_frame(data))
                    self.assertEqual(unescape(task.group(2)), message.name)
                    self.assertEqual(int(task.group(1)), len(message.name.encode("utf-8")))
                    self.assertEqual(int(task.group(3)), message.attempt)
                    raw = message.input if kind == fw.MessageType.TASK else message.inputs
                    self.assertEqual(json.loads(task.group(4)), json.loads(raw))
                if kind == fw.MessageType.RESULT:
                    self.assertEqual(json.loads(first_line.rsplit(" ", 1)[1]), json.loads(payload))
                if correlation > 2**32:
                    self.assertIn(f"{correlation}", first_line)

    def test_hello_lists_the_batch_and_ping_features_in_the_golden_layout(self):
        # What the worker sends (its FEATURES), with the golden file's pid and runtime.
        hello = fw.Hello(1, 4242, "9f86d081884c7d659a2feaa0c55ad015", "java 17.0.15", fw.FEATURES)
        self.assertEqual(("batch", "ping"), fw.FEATURES)
        self.assertEqual(read_hex(GOLDEN_DIR / "hello-features.hex"), fw.encode_frame(fw.encode_message(hello)))

    def test_spec_section_3_example(self):
        data = bytes.fromhex("00000002 11 00 0000000000000001 3432")
        self.assertEqual(fw.Result(1, b"42"), fw.decode_message(fw.decode_frame(data)))
        self.assertEqual(data, fw.encode_frame(fw.encode_message(fw.Result(1, b"42"))))


class CodecTest(unittest.TestCase):
    """Header and layout checks of spec 3 and 4.1."""

    def header(self, length, kind=0x10, flags=0, correlation=1):
        return struct.pack(">IBBq", length, kind, flags, correlation)

    def test_header_violations(self):
        cases = {
            "top bit": self.header(0x8000_0000),
            "all ones": self.header(0xFFFF_FFFF),
            "above max": self.header(101),
            "flags": self.header(0, flags=1),
            "unknown type": self.header(0, kind=0x02),
        }
        for name, header in cases.items():
            with self.subTest(name), self.assertRaises(fw.ProtocolViolation):
                fw.check_header(header, 100)

    def test_length_equal_to_max_and_zero_are_valid(self):
        self.assertEqual((100, 0x10, 1), fw.check_header(self.header(100), 100))
        self.assertEqual((0, 0x10, 1), fw.check_header(self.header(0), 100))

    def test_task_layout_violations(self):
        for payload in [
            b"",
            b"\x00",
            b"\x00\x00\x01{}",
            b"\x00\x05abcde",
            b"\x00\x03ab",
            b"\x00\x01a\x00null",  # attempt 0
            b"\x00\x01a\x65null",  # attempt 101: spec 6 caps it at 100
            b"\x00\x01a\xffnull",
        ]:
            with self.subTest(payload), self.assertRaises(fw.ProtocolViolation):
                fw.decode_message(fw.Frame(fw.MessageType.TASK, 1, payload))

    def test_batch_layout_violations_are_those_of_task(self):
        for payload in [
            b"",
            b"\x00",
            b"\x00\x00\x01[1]",  # name length 0
            b"\x00\x05abcde",  # no room for the attempt byte
            b"\x00\x03ab",
            b"\x00\x01a\x00[1]",  # attempt 0
            b"\x00\x01a\x65[1]",  # attempt 101
        ]:
            with self.subTest(payload), self.assertRaisesRegex(fw.ProtocolViolation, "^BATCH "):
                fw.decode_message(fw.Frame(fw.MessageType.BATCH, 1, payload))

    def test_batch_inputs_are_not_parsed_by_the_codec(self):
        # Everything about the array is a task failure (spec 4.5), so the codec keeps the bytes.
        for inputs in (b"", b"{", b"[]", b"7", b"[1,2]"):
            with self.subTest(inputs):
                frame = fw.Frame(fw.MessageType.BATCH, 5, b"\x00\x01a\x02" + inputs)
                message = fw.decode_message(frame)
                self.assertEqual(fw.BatchRequest(5, "a", 2, inputs), message)
                self.assertEqual(frame, fw.encode_message(message))

    def test_decode_batch_inputs(self):
        self.assertEqual([1, None, {"a": []}], fw.decode_batch_inputs(b' [1, null, {"a": []}] '))
        self.assertEqual(65_536, len(fw.decode_batch_inputs(b"[" + b",".join([b"0"] * 65_536) + b"]")))
        not_arrays = {
            "empty payload": b"",
            "empty array": b"[]",
            "65,537 elements": b"[" + b",".join([b"0"] * 65_537) + b"]",
            "object": b'{"from":0,"to":10}',
            "number": b"7",
            "null": b"null",
            "string": b'"[1]"',
            "not JSON": b"[1,",
            "two documents": b"[1] [2]",
            "NaN": b"[NaN]",
            "not UTF-8": b'["\xff"]',
        }
        for name, data in not_arrays.items():
            with self.subTest(name), self.assertRaises(fw.InputDecodeError):
                fw.decode_batch_inputs(data)

    def test_failure_stage_is_optional_written_after_the_index_and_unknown_ones_read_as_absent(self):
        failure = fw.Failure(3, "E", None, "", 1, "input")
        payload = fw.encode_message(failure).payload
        self.assertEqual(b'{"exceptionClass":"E","message":null,"stackTrace":"","index":1,"stage":"input"}', payload)
        self.assertEqual(failure, fw.decode_message(fw.Frame(fw.MessageType.FAILURE, 3, payload)))
        self.assertNotIn(b"stage", fw.encode_message(fw.Failure(3, "E", None, "", 1)).payload)
        later = fw.Frame(fw.MessageType.FAILURE, 3, payload.replace(b'"input"', b'"linking"'))
        self.assertIsNone(fw.decode_message(later).stage)

    def test_failure_index_is_optional_and_written_last(self):
        failure = fw.Failure(3, "E", None, "", 0)
        payload = fw.encode_message(failure).payload
        self.assertEqual(b'{"exceptionClass":"E","message":null,"stackTrace":"","index":0}', payload)
        self.assertEqual(failure, fw.decode_message(fw.Frame(fw.MessageType.FAILURE, 3, payload)))
        self.assertNotIn(b"index", fw.encode_message(fw.Failure(3, "E", None, "")).payload)
        with_null = fw.Frame(fw.MessageType.FAILURE, 3, payload.replace(b"0}", b"null}"))
        self.assertIsNone(fw.decode_message(with_null).index)
        for bad in (b'"1"', b"-1", b"1.5", b"true", b"{}", b'""'):
            with self.subTest(bad), self.assertRaises(fw.ProtocolViolation):
                fw.decode_message(fw.Frame(fw.MessageType.FAILURE, 3, payload.replace(b"0}", bad + b"}")))

    def test_hello_features_are_optional_strings(self):
        hello = lambda tail: fw.decode_message(  # noqa: E731
            fw.Frame(fw.MessageType.HELLO, 0, b'{"protocolVersion":1,"pid":1,"token":"t","runtime":"r"' + tail + b"}")
        )
        self.assertEqual((), hello(b"").features)
        self.assertEqual((), hello(b',"features":[]').features)
        self.assertEqual((), hello(b',"features":null').features)
        self.assertEqual(("batch", "future"), hello(b',"features":["batch","future"]').features)
        for bad in (b',"features":"batch"', b',"features":[1]', b',"features":{}', b',"features":""', b',"features":0'):
            with self.subTest(bad), self.assertRaises(fw.ProtocolViolation):
                hello(bad)

    def test_attempt_range(self):
        message = fw.decode_message(fw.Frame(fw.MessageType.TASK, 1, b"\x00\x01a\x64null"))
        self.assertEqual(100, message.attempt)
        for attempt in (0, 101):
            with self.subTest(attempt), self.assertRaises(ValueError):
                fw.encode_message(fw.TaskRequest(1, "a", attempt, b"null"))

    def test_control_message_limits(self):
        def failure(payload):
            return fw.decode_message(fw.Frame(fw.MessageType.FAILURE, 1, payload))

        def encoded(**fields):
            value = {"exceptionClass": "E", "message": None, "stackTrace": "", **fields}
            return json.dumps(value, ensure_ascii=False).encode("utf-8")

        self.assertEqual(262_144, len(failure(encoded(stackTrace="x" * 262_144)).stack_trace))
        self.assertEqual(131_072, len(failure(encoded(message="\U0001F600" * 131_072)).message))
        too_long = {
            "stackTrace": encoded(stackTrace="x" * 262_145),
            "message in UTF-16 characters": encoded(message="\U0001F600" * 131_073),
            "unknown field's key": encoded(extra={"k" * 262_145: 1}),
            "above 1 MiB with short strings": encoded(pad=["x" * 1000] * 1100),
        }
        for name, payload in too_long.items():
            with self.subTest(name), self.assertRaises(fw.ProtocolViolation):
                failure(payload)
        deep = b'{"exceptionClass":"E","message":null,"stackTrace":"","x":' + b"[" * 500 + b"]" * 500 + b"}"
        with self.assertRaises(fw.ProtocolViolation):
            failure(deep)
        self.assertEqual("E", failure(deep.replace(b"[", b"", 1).replace(b"]", b"", 1)).exception_class)

    def test_status_fields_default_to_0_but_must_be_integers(self):
        status = lambda payload: fw.decode_message(fw.Frame(fw.MessageType.STATUS, 0, payload))  # noqa: E731
        self.assertEqual(fw.Status(0, 0), status(b"{}"))
        self.assertEqual(fw.Status(5, -1), status(b'{"heapUsed":5,"heapMax":-1,"gcCount":3}'))
        for bad in (b"[]", b"null", b'{"heapUsed":"5"}', b'{"heapUsed":1.5}', b'{"heapMax":true}'):
            with self.subTest(bad), self.assertRaises(fw.ProtocolViolation):
                status(bad)

    def test_nesting_depth(self):
        self.assertEqual(0, fw.nesting_depth(7))
        self.assertEqual(1, fw.nesting_depth([]))
        self.assertEqual(3, fw.nesting_depth({"a": [1, {"b": 2}], "c": []}))
        deep = fw.decode_json(b"[" * 501 + b"]" * 501)
        self.assertTrue(fw.nests_too_deeply(b"[" * 501, deep))
        self.assertFalse(fw.nests_too_deeply(b"[" * 500, deep[0]))
        self.assertFalse(fw.nests_too_deeply(b'"' + b"[" * 600 + b'"', "[" * 600))  # brackets in a string

    def test_task_with_empty_input_decodes(self):
        message = fw.decode_message(fw.Frame(fw.MessageType.TASK, 1, b"\x00\x01a\x02"))
        self.assertEqual(fw.TaskRequest(1, "a", 2, b""), message)

    def test_non_empty_cancel_shutdown_ping_and_pong_are_violations(self):
        for kind in (fw.MessageType.CANCEL, fw.MessageType.SHUTDOWN, fw.MessageType.PING, fw.MessageType.PONG):
            with self.subTest(kind), self.assertRaises(fw.ProtocolViolation):
                fw.decode_message(fw.Frame(kind, 1, b"x"))

    def test_truncated_frame(self):
        data = fw.encode_frame(fw.encode_message(fw.Result(3, b"[1,2,3]")))
        for cut in (5, 14, len(data) - 1):
            with self.subTest(cut), self.assertRaises(fw.ProtocolViolation):
                fw.decode_frame(data[:cut])

    def test_failure_texts_are_cut_to_32_kib_of_utf8(self):
        text = "head " + "é€😀" * 20_000 + " tail"
        cut = fw.cut_text(text)
        self.assertLessEqual(len(cut.encode("utf-8")), 32 * 1024)
        self.assertTrue(cut.startswith("head "))
        self.assertTrue(cut.endswith(" tail"))
        self.assertTrue("[cut, " in cut, "no cut marker")
        self.assertEqual("short", fw.cut_text("short"))
        self.assertEqual("\\udc80", fw.cut_text("\udc80"))  # a lone surrogate becomes an escape


class BootstrapTest(unittest.TestCase):
    """The bootstrap line of spec 2.2: required and optional fields, types, ranges, defaults."""

    GOOD = {"protocolVersion": 1, "socketPath": "/s", "token": "t", "maxFrameLength": 1024}

    def parse(self, **fields):
        """Parses GOOD with ``fields`` changed (a value of ... removes the field)."""
        value = {k: v for k, v in {**self.GOOD, **fields}.items() if v is not ...}
        return fw.Bootstrap.parse(json.dumps(value).encode() + b"\n")

    def test_without_allowed_tasks_like_a_first_revision_supervisor(self):
        line = (
            b'{"protocolVersion":1,"socketPath":"/tmp/forkpool-123/w0-1.sock",'
            b'"token":"9f86d081884c7d659a2feaa0c55ad015","workerId":0,"maxFrameLength":67108864,'
            b'"supervisorPid":4242,"supervisorStartMillis":1795806000123}\n'
        )
        self.assertEqual(GOLDEN_BOOTSTRAP_VALUE, fw.Bootstrap.parse(line))

    def test_unknown_fields_ignored_and_optional_fields_default(self):
        b = self.parse(x=[1, {"y": None}], allowedTasksV2="anything")
        self.assertEqual((0, 0, 0), (b.worker_id, b.supervisor_pid, b.supervisor_start_millis))
        self.assertEqual(("*",), b.allowed_tasks)
        self.assertEqual(b'{"protocolVersion":1,"socketPath":"/s","token":"t","workerId":0,"maxFrameLength":1024,'
                         b'"supervisorPid":0,"supervisorStartMillis":0,"allowedTasks":["*"]}\n', b.encode())

    def test_max_frame_length_range_is_inclusive(self):
        self.assertEqual(1024, self.parse(maxFrameLength=1024).max_frame_length)
        self.assertEqual(1 << 30, self.parse(maxFrameLength=1 << 30).max_frame_length)
        for bad in (1023, (1 << 30) + 1, 2**31 - 1, 2**31, 9999999999, 0, -1):
            with self.subTest(bad), self.assertRaisesRegex(fw.BootstrapError, r"maxFrameLength.*\[1024, 1073741824\]"):
                self.parse(maxFrameLength=bad)

    def test_optional_integers_must_not_be_negative(self):
        b = self.parse(workerId=7, supervisorPid=2**40, supervisorStartMillis=1795806000123)
        self.assertEqual((7, 2**40, 1795806000123), (b.worker_id, b.supervisor_pid, b.supervisor_start_millis))
        for name in ("workerId", "supervisorPid", "supervisorStartMillis"):
            with self.subTest(name), self.assertRaisesRegex(fw.BootstrapError, name):
                self.parse(**{name: -1})

    def test_optional_integers_have_the_spec_upper_bounds(self):
        b = self.parse(workerId=2**31 - 1, supervisorPid=2**63 - 1, supervisorStartMillis=2**63 - 1)
        self.assertEqual((2**31 - 1, 2**63 - 1, 2**63 - 1), (b.worker_id, b.supervisor_pid, b.supervisor_start_millis))
        for name, value in (("workerId", 2**31), ("supervisorPid", 2**63), ("supervisorStartMillis", 2**63)):
            with self.subTest(name), self.assertRaisesRegex(fw.BootstrapError, f"{name}.*{value}"):
                self.parse(**{name: value})

    def test_a_relative_socket_path_is_refused(self):
        self.assertEqual("/tmp/forkpool-1/w0.sock", self.parse(socketPath="/tmp/forkpool-1/w0.sock").socket_path)
        for path in ("w0.sock", "tmp/w0.sock", "./w0.sock"):
            with self.subTest(path), self.assertRaisesRegex(fw.BootstrapError, "socketPath.*absolute"):
                self.parse(socketPath=path)

    def test_allowed_tasks(self):
        entries = ["com.example.*", "org.acme.Outer$Inner", "*", "\u00fcber.T\u00e2che", "_.$"]
        self.assertEqual(tuple(entries), self.parse(allowedTasks=entries).allowed_tasks)
        self.assertEqual(("*",), self.parse(allowedTasks=None).allowed_tasks)  # null means the default
        bad = [[], "*", {"a": 1}, [1], ["*", None], [""], ["com..X"], ["com.*.Foo"], ["com.example.**"],
               ["com.example."], [".Foo"], ["1com.Foo"], ["com/example/Foo"], ["com.example.Foo;"], [" "], ["*.*"]]
        for value in bad:
            with self.subTest(value), self.assertRaisesRegex(fw.BootstrapError, "allowedTasks"):
                self.parse(allowedTasks=value)

    def test_bad_lines(self):
        bad = {
            "empty": b"",
            "not json": b"not json",
            "array": b"[1]",
            "byte-order mark": b"\xef\xbb\xbf" + json.dumps(self.GOOD).encode(),
            "not UTF-8": b"\xff\xfe{}",
            "NaN": b'{"protocolVersion":1,"socketPath":"/s","token":"t","maxFrameLength":NaN}',
            "two documents": json.dumps(self.GOOD).encode() * 2,
            "nested 501 deep": json.dumps({**self.GOOD, "x": 0}).encode().replace(
                b"0}", b"[" * 500 + b"]" * 500 + b"}"
            ),
        }
        for name, line in bad.items():
            with self.subTest(name), self.assertRaises(fw.BootstrapError):
                fw.Bootstrap.parse(line)
        self.parse(x=json.loads("[" * 499 + "]" * 499))  # 500 levels with the line's own object

    def test_missing_and_mistyped_fields(self):
        cases = {
            "protocolVersion": [..., 2, 0, True, 1.0, "1", None],
            "socketPath": [..., "", 1, None, ["/s"]],
            "token": [..., "", 1, None],
            "maxFrameLength": [..., 4096.0, 1e4, "4096", True, None],
            "workerId": ["zero", 1.5, None, False],
            "supervisorPid": [42.0, "42", None],
            "supervisorStartMillis": [1.7958e12, None],
        }
        for name, values in cases.items():
            for value in values:
                expected = "version" if name == "protocolVersion" else name
                with self.subTest(name=name, value=value), self.assertRaisesRegex(fw.BootstrapError, expected):
                    self.parse(**{name: value})

    def test_version_mismatch_message_names_both_versions(self):
        with self.assertRaisesRegex(fw.BootstrapError, r"version 2.*version 1"):
            self.parse(protocolVersion=2)


class TaskAllowListTest(unittest.TestCase):
    """The allow-list rules of spec 4.1 (the same cases as the Java TaskAllowListTest, minus the
    JDK namespaces that only the Java worker refuses)."""

    def test_any(self):
        allow = fw.TaskAllowList(["*"])
        for name in ("com.example.CountPrimes", "CountPrimes", "a.b$C", "\u00fc"):
            self.assertTrue(allow.allows(name), name)

    def test_package_pattern_covers_the_package_and_those_below_but_not_lookalikes(self):
        allow = fw.TaskAllowList(["com.example.*"])
        self.assertTrue(allow.allows("com.example.X"))
        self.assertTrue(allow.allows("com.example.sub.Y"))
        self.assertTrue(allow.allows("com.example.Outer$Inner"))
        self.assertFalse(allow.allows("com.examplex.Y"))
        self.assertFalse(allow.allows("com.Example.X"))
        self.assertFalse(allow.allows("com.example"))
        self.assertFalse(allow.allows("org.com.example.X"))

    def test_exact_name_covers_exactly_that_name(self):
        allow = fw.TaskAllowList(["com.example.Count", "org.acme.Outer$Inner"])
        self.assertTrue(allow.allows("com.example.Count"))
        self.assertTrue(allow.allows("org.acme.Outer$Inner"))
        for name in ("com.example.CountEvil", "com.example.Count$Inner", "org.acme.Outer", "com.example.count"):
            self.assertFalse(allow.allows(name), name)

    def test_a_method_is_allowed_exactly_when_its_class_is(self):
        allow = fw.TaskAllowList(["com.example.Count", "org.acme.tasks.*"])
        self.assertTrue(allow.allows("com.example.Count::count"))
        self.assertTrue(allow.allows("org.acme.tasks.Primes::count"))
        for name in ("com.example.CountEvil::count", "com.example::Count", "org.acme.tasks::count"):
            self.assertFalse(allow.allows(name), name)

    def test_refusal_names_the_name_and_the_list(self):
        allow = fw.TaskAllowList(["com.example.*", "a.B"])
        refusal = allow.refusal("org.evil.Task")
        self.assertIsInstance(refusal, fw.TaskNotAllowedError)
        self.assertEqual("org.evil.Task is not in the pool's task allow-list [com.example.*, a.B]", str(refusal))

    def test_malformed_entries_are_rejected_naming_them(self):
        for bad in ("", " ", "com..Foo", "com.example.", ".Foo", "com.*.Foo", "com.example.**", "com/example/Foo",
                    "com.example.Foo;", "1com.Foo", "*.*", "com.example.*.*", "a-b.C", "a.\u00b7b"):
            with self.subTest(bad), self.assertRaisesRegex(ValueError, re.escape(json.dumps(bad))):
                fw.TaskAllowList([bad])
        with self.assertRaisesRegex(ValueError, "at least one entry"):
            fw.TaskAllowList([])

    def test_java_identifier_characters(self):
        for good in ("$", "_", "\u00e9t\u00e9", "a1", "\u03c0", "a\u0301", "x\u200by"):  # \u200b is a Java-ignorable Cf
            self.assertTrue(fw.TaskAllowList.is_valid_entry(good), repr(good))
        for bad in ("1a", "a b", "a+b", "\u00b7", "a\u2028b"):
            self.assertFalse(fw.TaskAllowList.is_valid_entry(bad), repr(bad))


class MemoryStatusTest(unittest.TestCase):
    """STATUS of spec 4.4: RSS, and RLIMIT_AS or -1."""

    @unittest.skipUnless(os.path.exists("/proc/self/statm"), "needs /proc")
    def test_heap_max_is_rlimit_as_or_minus_1(self):
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        try:
            resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, hard))
            status = fw.memory_status()
            self.assertGreater(status.heap_used, 0)
            self.assertEqual(-1, status.heap_max)
            limit = 1 << 44 if hard == resource.RLIM_INFINITY else hard
            resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
            self.assertEqual(limit, fw.memory_status().heap_max)
        except ValueError:  # a hard limit is set: RLIM_INFINITY is not allowed
            self.assertEqual(hard, fw.memory_status().heap_max)
        finally:
            resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


# ------------------------------------------------------------------------------------------------
# CountPrimes: the same results as the Java task (trial division, Jackson 3 input decoding)
# ------------------------------------------------------------------------------------------------


def java_is_prime(n: int) -> bool:
    """A transcription of CountPrimes.isPrime(long)."""
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    return all(n % d for d in range(3, math.isqrt(n) + 1, 2))


class CountPrimesTest(unittest.TestCase):
    def test_small_ranges_match_trial_division(self):
        rng = random.Random(42)
        for _ in range(200):
            start = rng.randint(-50, 2_000_000)
            end = start + rng.randint(0, 2_000)
            with self.subTest(start=start, end=end):
                self.assertEqual(sum(map(java_is_prime, range(start, end))), fw.count_primes(start, end))

    def test_segment_boundaries(self):
        self.assertEqual(
            fw.count_primes(0, 3_000_000), fw.count_primes(0, 1 << 20) + fw.count_primes(1 << 20, 3_000_000)
        )

    def test_known_counts(self):
        self.assertEqual(78_498, fw.count_primes(0, 1_000_000))
        self.assertEqual(664_579, fw.count_primes(0, 10_000_000))
        self.assertEqual(25, fw.count_primes(0, 100))

    def test_counts_computed_by_the_java_task(self):
        # Computed once with io.forkpool.examples.CountPrimes.execute on JDK 17.
        c = (1 << 20) + 1
        java = [
            (c * c - 3000, c * c + 3000, 215),
            ((1 << 40) - 3000, (1 << 40) + 3000, 218),
            (9223372036854775600, 9223372036854775807, 2),
            (4611686018427387904, 4611686018427388004, 0),
            (-9223372036854775808, -9223372036854775700, 0),
            (1_000_000_000_000, 1_000_000_010_000, 335),
            (3215031751, 3215031752, 0),  # a strong pseudoprime to bases 2, 3, 5, 7
            (1 << 40, (1 << 40) + 24, 1),
        ]
        for start, end, expected in java:
            with self.subTest(start=start, end=end):
                self.assertEqual(expected, fw.count_primes(start, end))

    def test_input_decoding_is_strict_as_the_java_workers(self):
        # As the Java worker's data mapper reads a Range (spec section 5): JSON integers only,
        # missing fields 0, unknown fields refused, no coercion from floats or strings.
        ok = {
            '{"from":0,"to":100}': 25,
            '{"from":-10,"to":3}': 1,
            '{"from":5,"to":5}': 0,
            '{"to":100}': 25,
            "{}": 0,
            '{"from":0,"from":50,"to":100}': 10,
            '{"from":9223372036854775800,"to":9223372036854775807}': 0,
            '{"from":-9223372036854775808,"to":-9223372036854775807}': 0,
        }
        for text, expected in ok.items():
            with self.subTest(text):
                self.assertEqual(expected, fw.count_primes_task(fw.decode_json(text.encode())))
        refused = [
            '{"from":5,"to":4}',
            '{"from":true,"to":100}',
            '{"from":null,"to":100}',
            '{"from":1.9,"to":100.7}',
            '{"from":"0","to":"100"}',
            '{"from":0,"to":100,"x":1}',
            '{"from":0,"to":1e2}',
            '{"from":0,"to":100.0}',
            '{"from":0,"to":" 100"}',
            '{"from":0,"to":9223372036854775808}',
            '{"from":0,"to":1e30}',
            '{"from":0,"to":"1e2"}',
            '{"from":0,"to":""}',
            '{"from":0,"to":[1]}',
            '{"from":0,"to":{}}',
            "[0,100]",
            "null",
            "7",
        ]
        for text in refused:
            with self.subTest(text), self.assertRaises((TypeError, ValueError)):
                fw.count_primes_task(fw.decode_json(text.encode()))


# ------------------------------------------------------------------------------------------------
# The worker as a process, against a fake supervisor
# ------------------------------------------------------------------------------------------------


def start_millis_of(pid: int) -> int:
    """The process start time the JDK reports on Linux: btime + starttime / CLK_TCK."""
    with open("/proc/stat") as f:
        btime = next(int(line.split()[1]) for line in f if line.startswith("btime "))
    with open(f"/proc/{pid}/stat", "rb") as f:
        stat = f.read()
    start_ticks = int(stat[stat.rfind(b")") + 2 :].split()[19])
    return btime * 1000 + start_ticks * 1000 // os.sysconf("SC_CLK_TCK")


def dead_pid() -> int:
    """The pid of a process that has already exited (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=TIMEOUT)
    return child.pid


class FakeSupervisor:
    """Plays the supervisor's side: a 0700 directory, a listening socket, the worker process."""

    def __init__(self, test: unittest.TestCase, max_frame_length: int = 1 << 20, **bootstrap_fields):
        self.test = test
        self.directory = tempfile.mkdtemp(prefix="forkpool-py-")  # mode 0700
        self.socket_path = os.path.join(self.directory, "w3.sock")
        self.token = secrets.token_hex(16)
        self.max_frame_length = max_frame_length
        self.bootstrap = {
            "protocolVersion": 1,
            "socketPath": self.socket_path,
            "token": self.token,
            "workerId": 3,
            "maxFrameLength": max_frame_length,
            "supervisorPid": os.getpid(),
            "supervisorStartMillis": start_millis_of(os.getpid()),
            "aFieldFromTheFuture": {"ignored": True},
            **bootstrap_fields,
        }
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(self.socket_path)
        self.listener.listen(1)
        self.listener.settimeout(TIMEOUT)
        self.conn = None
        self.proc = None
        self.statuses = []
        self.expected_heap_max = fw.address_space_limit()  # the worker inherits this process's limit
        test.addCleanup(self.close)

    # -- process ----------------------------------------------------------------------------

    def start(self, bootstrap_line: bytes = None, command=None):
        """Starts the worker (in a session of its own, like the supervisor) and writes the line."""
        self.stdout_path = os.path.join(self.directory, "stdout.txt")
        self.stderr_path = os.path.join(self.directory, "stderr.txt")
        command = command or [sys.executable, "-B", str(WORKER_SCRIPT), "--tasks-module", str(SAMPLE_TASKS)]
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=out, stderr=err, start_new_session=True
            )
        if bootstrap_line is None:
            bootstrap_line = json.dumps(self.bootstrap).encode() + b"\n"
        self.proc.stdin.write(bootstrap_line)
        self.proc.stdin.flush()
        return self

    def connect(self):
        """Starts the worker, accepts its connection and checks its HELLO."""
        if self.proc is None:
            self.start()
        self.conn, _ = self.listener.accept()
        self.conn.settimeout(TIMEOUT)
        os.unlink(self.socket_path)  # as the supervisor does
        self.reader = fw.FrameReader(self.conn, self.max_frame_length)
        hello = self.receive()
        self.test.assertIsInstance(hello, fw.Hello)
        self.test.assertEqual(fw.Hello(1, self.proc.pid, self.token, hello.runtime, ("batch", "ping")), hello)
        self.test.assertRegex(hello.runtime, r"^python 3\.\d+")
        return self

    def wait_exit(self, timeout: float = TIMEOUT) -> int:
        return self.proc.wait(timeout=timeout)

    def wait_readable(self, timeout: float = TIMEOUT):
        """Waits until the worker has sent something that this side has not read."""
        readable, _, _ = select.select([self.conn], [], [], timeout)
        self.test.assertTrue(readable, "the worker sent nothing")

    def stdout(self) -> str:
        return Path(self.stdout_path).read_text()

    def stderr(self) -> str:
        return Path(self.stderr_path).read_text()

    def close(self):
        """Kills whatever is left of the worker's session and removes the directory."""
        if self.proc is not None:
            if self.proc.poll() is None:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            try:
                self.proc.stdin.close()
            except OSError:
                pass
            self.proc.wait(timeout=TIMEOUT)
        for s in (self.conn, self.listener):
            if s is not None:
                s.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    # -- frames -----------------------------------------------------------------------------

    def send(self, *messages):
        self.conn.sendall(b"".join(fw.encode_frame(fw.encode_message(m)) for m in messages))

    def send_raw(self, data: bytes):
        self.conn.sendall(data)

    def task(self, task_id: int, name: str, value, attempt: int = 1):
        self.send(fw.TaskRequest(task_id, name, attempt, json.dumps(value).encode()))

    def receive(self):
        """The next message; STATUS frames are checked, kept in ``statuses`` and skipped."""
        while True:
            frame = self.reader.read()
            self.test.assertIsNotNone(frame, "the worker closed the socket")
            message = fw.decode_message(frame)
            if not isinstance(message, fw.Status):
                return message
            self.test.assertEqual(0, frame.correlation_id)
            self.test.assertGreater(message.heap_used, 0)
            self.test.assertEqual(self.expected_heap_max, message.heap_max)  # RLIMIT_AS, or -1
            self.statuses.append((time.monotonic(), message))

    def replies(self, count: int) -> dict:
        """The next ``count`` replies by task id; fails on a second reply for one id."""
        replies = {}
        for _ in range(count):
            reply = self.receive()
            self.test.assertIsInstance(reply, (fw.Result, fw.Failure))
            self.test.assertNotIn(reply.task_id, replies)
            replies[reply.task_id] = reply
        return replies

    def result(self, task_id: int, name: str, value, attempt: int = 1):
        """Runs one task and returns its decoded RESULT output."""
        self.task(task_id, name, value, attempt)
        reply = self.receive()
        self.test.assertIsInstance(reply, fw.Result, reply)
        self.test.assertEqual(task_id, reply.task_id)
        return json.loads(reply.output)

    def next_status(self) -> fw.Status:
        """Reads frames up to the next STATUS, which ``receive`` would skip."""
        frame = self.reader.read()
        self.test.assertIsNotNone(frame, "the worker closed the socket")
        message = fw.decode_message(frame)
        self.test.assertIsInstance(message, fw.Status)
        return message

    def batch(self, task_id: int, name: str, values=None, attempt: int = 1, raw_inputs: bytes = None):
        """Sends a BATCH of ``values`` (JSON-encoded), or of ``raw_inputs`` as they are."""
        inputs = json.dumps(values, separators=(",", ":")).encode() if raw_inputs is None else raw_inputs
        self.send(fw.BatchRequest(task_id, name, attempt, inputs))

    def batch_result(self, task_id: int, name: str, values, attempt: int = 1) -> list:
        """Runs one batch and returns its RESULT, decoded: one output per input."""
        self.batch(task_id, name, values, attempt)
        reply = self.receive()
        self.test.assertIsInstance(reply, fw.Result, reply)
        self.test.assertEqual(task_id, reply.task_id)
        outputs = json.loads(reply.output)
        self.test.assertEqual(len(values), len(outputs))
        return outputs

    def batch_failure(self, task_id: int, name: str, values=None, raw_inputs: bytes = None) -> fw.Failure:
        """Runs one batch that must fail and returns its FAILURE (which has an index)."""
        self.batch(task_id, name, values, raw_inputs=raw_inputs)
        reply = self.receive()
        self.test.assertIsInstance(reply, fw.Failure, reply)
        self.test.assertEqual(task_id, reply.task_id)
        self.test.assertIsNotNone(reply.index)
        return reply

    def gate(self):
        """A gate for ``test.Gate`` tasks: returns ``(path, accept)``; ``accept()`` waits (at most
        TIMEOUT) until such a task has started and returns the connection that lets it go."""
        path = os.path.join(self.directory, "gate.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.test.addCleanup(listener.close)
        listener.bind(path)
        listener.listen(1)
        listener.settimeout(TIMEOUT)

        def accept():
            conn, _ = listener.accept()
            self.test.addCleanup(conn.close)
            conn.settimeout(TIMEOUT)
            self.test.assertEqual(b"started", conn.recv(7))
            return conn

        return path, accept

    def failure(self, task_id: int, name: str, value=None, raw_input: bytes = None) -> fw.Failure:
        """Runs one task that must fail and returns its FAILURE."""
        if raw_input is None:
            self.task(task_id, name, value)
        else:
            self.send(fw.TaskRequest(task_id, name, 1, raw_input))
        reply = self.receive()
        self.test.assertIsInstance(reply, fw.Failure, reply)
        self.test.assertEqual(task_id, reply.task_id)
        return reply


class WorkerProcessTest(unittest.TestCase):
    """The worker script against a fake supervisor: tasks, replies and exit codes."""

    def supervisor(self, **kwargs) -> FakeSupervisor:
        return FakeSupervisor(self, **kwargs)

    def test_primes_below_one_million_in_chunks(self):
        s = self.supervisor().connect()
        chunk = 100_000
        for i, start in enumerate(range(0, 1_000_000, chunk), start=1):
            s.task(i, COUNT_PRIMES, {"from": start, "to": start + chunk})
        replies = s.replies(10)
        counts = [json.loads(replies[i].output) for i in range(1, 11)]
        self.assertEqual([9592, 8392, 8013, 7863, 7678, 7560, 7445, 7408, 7323, 7224], counts)
        self.assertEqual(78_498, sum(counts))
        self.assertEqual(b"9592", replies[1].output)
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())

    def test_count_primes_edge_cases(self):
        s = self.supervisor().connect()
        self.assertEqual(0, s.result(1, COUNT_PRIMES, {"from": 5, "to": 5}))
        self.assertEqual(1, s.result(2, COUNT_PRIMES, {"from": -10, "to": 3}))
        self.assertEqual(0, s.result(3, COUNT_PRIMES, {"from": -(2**63), "to": -(2**63) + 100}))
        self.assertEqual(2, s.result(4, COUNT_PRIMES, {"from": 2**63 - 207, "to": 2**63 - 1}))
        self.assertEqual("ValueError", s.failure(5, COUNT_PRIMES, {"from": 0, "to": 100, "unknown": 1}).exception_class)
        failure = s.failure(6, COUNT_PRIMES, {"from": 5, "to": 4})
        self.assertEqual("ValueError", failure.exception_class)
        self.assertEqual("range ends before it starts: [5, 4)", failure.message)
        self.assertEqual("TypeError", s.failure(7, COUNT_PRIMES, None).exception_class)
        self.assertEqual("ValueError", s.failure(8, COUNT_PRIMES, {"from": 0, "to": 2**63}).exception_class)

    def test_task_failures_keep_the_worker_serving(self):
        s = self.supervisor().connect()
        failure = s.failure(1, "test.Raise", "x")
        self.assertEqual("ValueError", failure.exception_class)
        self.assertEqual("bad input: x", failure.message)
        self.assertIn("Traceback (most recent call last)", failure.stack_trace)
        self.assertIn("KeyError: 'missing'", failure.stack_trace)  # the cause
        self.assertIn("direct cause", failure.stack_trace)
        self.assertTrue(failure.stack_trace.rstrip().endswith("ValueError: bad input: x"))

        self.assertEqual("sample_tasks.CustomError", s.failure(2, "test.RaiseCustom").exception_class)
        no_message = s.failure(3, "test.RaiseWithoutMessage")
        self.assertEqual(("RuntimeError", None), (no_message.exception_class, no_message.message))
        self.assertEqual("SystemExit", s.failure(4, "test.Exit", 3).exception_class)

        huge = s.failure(5, "test.RaiseHuge", 200_000)
        self.assertLessEqual(len(huge.message.encode()), 32 * 1024)
        self.assertLessEqual(len(huge.stack_trace.encode()), 32 * 1024)
        self.assertTrue(huge.stack_trace.rstrip().endswith("é"))

        unknown = s.failure(6, "com.example.Nope", {})
        self.assertEqual("forkpool_worker.UnknownTaskError", unknown.exception_class)
        self.assertIn("com.example.Nope", unknown.message)

        for i, raw in enumerate([b"{", b"", b"1 2", b'{"from":NaN}', b"\xff", b"[" * 5000], start=7):
            with self.subTest(raw=raw[:10]):
                bad = s.failure(i, COUNT_PRIMES, raw_input=raw)
                self.assertEqual(("forkpool_worker.InputDecodeError", "input"), (bad.exception_class, bad.stage))

        nan = s.failure(20, "test.NaN")
        self.assertEqual(("forkpool_worker.OutputEncodeError", "output"), (nan.exception_class, nan.stage))
        too_big = s.failure(21, "test.HugeOutput", 2 << 20)
        self.assertEqual(("forkpool_worker.OutputEncodeError", "output"), (too_big.exception_class, too_big.stage))
        self.assertIsNone(failure.stage)  # the task raised
        self.assertIsNone(unknown.stage)
        self.assertIn("maxFrameLength", too_big.message)

        self.assertEqual(78_498, s.result(22, COUNT_PRIMES, {"from": 0, "to": 1_000_000}))
        self.assertEqual({"a": [1, None, "é"]}, s.result(23, "test.Echo", {"a": [1, None, "é"]}))
        self.assertIsNone(s.result(24, "test.Echo", None))

    def test_task_context_and_stdio(self):
        s = self.supervisor().connect()
        context = s.result(9, "test.Context", None, attempt=3)
        self.assertEqual(
            {"taskId": 9, "name": "test.Context", "attempt": 3, "workerId": 3, "cancelled": False}, context
        )
        self.assertEqual("printed", s.result(10, "test.Print", "hello from a task"))
        self.assertEqual("", s.result(11, "test.ReadStdin", None))  # fd 0 is /dev/null for tasks
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())
        self.assertIn("hello from a task", s.stdout())
        self.assertIn("to stderr: hello from a task", s.stderr())

    def test_status_reports_are_well_formed_and_spaced(self):
        s = self.supervisor().connect()
        for i in range(1, 31):
            s.task(i, "test.Sleep", 0.01)
        s.replies(30)
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())
        while True:  # drain STATUS frames sent after the last reply
            frame = s.reader.read()
            if frame is None:
                break
            s.statuses.append((0, fw.decode_message(frame)))
        self.assertGreaterEqual(len(s.statuses), 1)
        self.assertLess(len(s.statuses), 30)

    def test_cancel_before_start_during_run_and_after_answer(self):
        s = self.supervisor().connect()
        s.task(1, "test.Sleep", 0.5)
        s.task(2, "test.Echo", "never runs")
        s.task(3, "test.Echo", "runs")
        s.send(fw.Cancel(2), fw.Cancel(99))  # 99 is unknown: ignored
        first = s.receive()  # the cancellation is answered at once, before task 1 ends
        self.assertEqual(fw.Failure, type(first))
        self.assertEqual((2, CANCELLATION), (first.task_id, first.exception_class))
        replies = s.replies(2)
        self.assertEqual(b"0.5", replies[1].output)
        self.assertEqual(b'"runs"', replies[3].output)
        s.send(fw.Cancel(1), fw.Cancel(2))  # already answered: ignored

        s.task(4, "test.CooperativeSleep", 3.0)
        time.sleep(0.2)
        started = time.monotonic()
        s.send(fw.Cancel(4))
        cancelled = s.receive()
        self.assertLess(time.monotonic() - started, 0.5)  # within the supervisor's grace period
        self.assertEqual((4, CANCELLATION), (cancelled.task_id, cancelled.exception_class))

        s.task(5, COUNT_PRIMES, {"from": 0, "to": 10**10})  # polls the flag between segments
        time.sleep(0.2)
        s.send(fw.Cancel(5))
        cancelled = s.receive()
        self.assertEqual((5, CANCELLATION), (cancelled.task_id, cancelled.exception_class))
        self.assertEqual("still here", s.result(6, "test.Echo", "still here"))

    def test_ping_is_answered_at_once_while_a_task_runs(self):
        s = self.supervisor().connect()
        path, accept = s.gate()
        s.task(1, "test.Gate", path)
        release = accept()  # task 1 is running, and stays so until the gate lets it go
        s.send(fw.Ping(BIG_ID), fw.Ping(-7))  # any probe number, echoed as it is
        self.assertEqual(fw.Pong(BIG_ID), s.receive())
        self.assertEqual(fw.Pong(-7), s.receive())
        release.sendall(b"go")
        self.assertEqual(fw.Result(1, b'"released"'), s.receive())
        s.send(fw.Ping(0))  # and while idle
        self.assertEqual(fw.Pong(0), s.receive())

    def test_a_reply_is_on_the_socket_before_the_next_task_starts(self):
        # Spec 4.2: a task that kills the process must not take an earlier task's reply with it.
        s = self.supervisor().connect()
        path, accept = s.gate()
        # One write, so that task 2 is queued when task 1's reply is made.
        s.send(fw.TaskRequest(1, "test.Echo", 1, b'"first"'), fw.TaskRequest(2, "test.Gate", 1, json.dumps(path).encode()))
        release = accept()  # task 2 has started: task 1's reply must already be readable
        readable, _, _ = select.select([s.conn], [], [], 0)
        self.assertTrue(readable, "task 1's reply was not written before task 2 started")
        self.assertEqual(fw.Result(1, b'"first"'), s.receive())
        release.sendall(b"go")
        self.assertEqual(fw.Result(2, b'"released"'), s.receive())

    def test_shutdown_exits_0_at_once_without_answering_held_tasks(self):
        # Spec 8: the supervisor sends SHUTDOWN only once it no longer waits for the tasks.
        s = self.supervisor().connect()
        marker = Path(s.directory) / "ran"
        s.task(1, "test.Sleep", 10)
        s.task(2, "test.Touch", str(marker))
        time.sleep(0.1)
        started = time.monotonic()
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertIsNone(s.reader.read(), "no reply after SHUTDOWN")
        self.assertFalse(marker.exists(), "a queued task ran after SHUTDOWN")

    def test_socket_closed_at_frame_boundary_exits_0(self):
        s = self.supervisor().connect()
        s.task(1, "test.Sleep", 10)
        started = time.monotonic()
        s.conn.close()
        s.conn = None
        self.assertEqual(0, s.wait_exit())
        self.assertLess(time.monotonic() - started, 1.0)

    def test_socket_reset_while_reading_exits_65(self):
        # Closing an AF_UNIX socket with unread data in it resets the connection: the worker's
        # read fails with ECONNRESET instead of seeing a clean end of stream.
        s = self.supervisor().connect()
        s.task(1, "test.Echo", "unread")
        s.wait_readable()
        time.sleep(0.05)
        s.conn.close()
        s.conn = None
        self.assertEqual(65, s.wait_exit())
        self.assertRegex(s.stderr(), r"socket (read|write) failed")

    def test_socket_reset_while_writing_exits_65(self):
        s = self.supervisor(max_frame_length=4 << 20).connect()
        s.task(1, "test.HugeOutput", 3 << 20)  # far more than the socket buffer holds
        s.wait_readable()
        time.sleep(0.2)  # the worker is now blocked in the middle of the RESULT frame
        s.conn.close()
        s.conn = None
        self.assertEqual(65, s.wait_exit())
        self.assertRegex(s.stderr(), r"socket (read|write) failed")

    def test_write_error_with_the_supervisor_end_open_exits_65(self):
        # shutdown(SHUT_RD) here makes the worker's writes fail (EPIPE) while its reads still
        # block: a socket error, not a close.
        s = self.supervisor().connect()
        s.conn.shutdown(socket.SHUT_RD)
        started = time.monotonic()
        s.task(1, "test.Echo", "cannot be sent")
        self.assertEqual(65, s.wait_exit())
        self.assertLess(time.monotonic() - started, 1.0)
        self.assertIn("socket write failed", s.stderr())

    def test_lifeline_closed_exits_67_at_once(self):
        s = self.supervisor().connect()
        s.task(1, "test.Sleep", 10)
        time.sleep(0.1)
        started = time.monotonic()
        s.proc.stdin.close()
        self.assertEqual(67, s.wait_exit())
        self.assertLess(time.monotonic() - started, 1.0)

    def test_supervisor_gone_exits_67(self):
        for fields in ({"supervisorPid": dead_pid(), "supervisorStartMillis": 0}, {"supervisorStartMillis": 1000}):
            with self.subTest(fields):
                s = self.supervisor(**fields).start()
                self.assertEqual(67, s.wait_exit())
                self.assertIn("is gone", s.stderr())

    def test_unknown_supervisor_disables_the_watch(self):
        s = self.supervisor(supervisorPid=0, supervisorStartMillis=0).connect()
        self.assertEqual(25, s.result(1, COUNT_PRIMES, {"from": 0, "to": 100}))

    def assert_bootstrap_refused(self, lines: dict):
        """Starts one worker per line, all at once, and checks each exits 64 with one stderr line."""
        started = {}
        for name, line in lines.items():
            s = self.supervisor().start(bootstrap_line=line)
            s.proc.stdin.close()
            started[name] = s
        for name, s in started.items():
            with self.subTest(name):
                self.assertEqual(64, s.wait_exit())
                self.assertEqual(1, len(s.stderr().splitlines()), s.stderr())

    def test_bad_bootstrap_exits_64(self):
        good = {"protocolVersion": 1, "socketPath": "/nonexistent", "token": "0" * 32, "maxFrameLength": 1024}
        line = lambda **fields: json.dumps({**good, **fields}).encode() + b"\n"  # noqa: E731
        self.assert_bootstrap_refused(
            {
                "nothing at all": b"",
                "not json": b"hello\n",
                "missing token": json.dumps({k: v for k, v in good.items() if k != "token"}).encode() + b"\n",
                "version 2": line(protocolVersion=2),
                "too long": b"{" + b" " * 16_400 + b"\n",
                "no newline": json.dumps(good).encode(),  # then end of input
                "too small for HELLO": line(maxFrameLength=1024, token="t" * 2000),
            }
        )

    def test_bootstrap_ranges_and_allowed_tasks_exit_64(self):
        s = self.supervisor()
        line = lambda **fields: json.dumps({**s.bootstrap, **fields}).encode() + b"\n"  # noqa: E731
        self.assert_bootstrap_refused(
            {
                "maxFrameLength 1023": line(maxFrameLength=1023),
                "maxFrameLength 2^30 + 1": line(maxFrameLength=(1 << 30) + 1),
                "maxFrameLength 2^31 - 1": line(maxFrameLength=2**31 - 1),
                "maxFrameLength 4096.0": line(maxFrameLength=4096.0),
                "workerId -1": line(workerId=-1),
                "supervisorPid null": line(supervisorPid=None),
                "allowedTasks empty": line(allowedTasks=[]),
                "allowedTasks malformed": line(allowedTasks=["com.example.*", "com..X"]),
                "allowedTasks a string": line(allowedTasks="*"),
            }
        )

    def test_smallest_max_frame_length_is_served(self):
        s = self.supervisor(max_frame_length=1024).connect()
        self.assertEqual("x" * 1000, s.result(1, "test.Echo", "x" * 1000))  # a 1,014-byte TASK
        failure = s.failure(2, "test.RaiseHuge", 4000)  # a 4,000-byte message, cut to fit the frame
        self.assertEqual("ValueError", failure.exception_class)
        self.assertLessEqual(len(fw.encode_message(failure).payload), 1024)
        self.assertTrue(failure.stack_trace.rstrip().endswith("\u00e9"))
        too_big = s.failure(3, "test.HugeOutput", 1023)  # 1,025 bytes of JSON
        self.assertEqual("forkpool_worker.OutputEncodeError", too_big.exception_class)
        self.assertIn("maxFrameLength", too_big.message)
        self.assertEqual("y" * 1022, s.result(4, "test.HugeOutput", 1022).replace("x", "y"))  # exactly 1,024

    def test_version_mismatch_names_both_versions(self):
        s = self.supervisor(protocolVersion=2).start()
        self.assertEqual(64, s.wait_exit())
        self.assertRegex(s.stderr(), r"version 2.*version 1")

    def test_longest_bootstrap_line_is_accepted(self):
        s = self.supervisor()
        line = json.dumps(s.bootstrap).encode()
        padded = line[:-1] + b"," + b'"pad":"' + b"p" * (16_384 - len(line) - 10) + b'"}\n'
        self.assertEqual(16_384, len(padded))
        s.start(bootstrap_line=padded).connect()

    def test_connect_failure_exits_65(self):
        s = self.supervisor(socketPath="/nonexistent-dir/forkpool.sock").start()
        self.assertEqual(65, s.wait_exit())

    def test_supervisor_violations_exit_66(self):
        header = lambda length, kind, flags=0, cid=1: struct.pack(">IBBq", length, kind, flags, cid)  # noqa: E731
        task = lambda cid, payload: header(len(payload), 0x10, 0, cid) + payload  # noqa: E731
        batch = lambda cid, payload: header(len(payload), 0x14, 0, cid) + payload  # noqa: E731
        cases = {
            "length above maxFrameLength": header(4096 + 1, 0x10),
            "length with the top bit set": header(0xFFFF_FFF0, 0x10),
            "non-zero flags": header(0, 0x20, flags=0x80, cid=0),
            "unknown type": header(0, 0x7F),
            "HELLO from the supervisor": header(2, 0x01, cid=0) + b"{}",
            "RESULT from the supervisor": header(1, 0x11) + b"1",
            "STATUS from the supervisor, not parsed": header(1, 0x30, cid=0) + b"{",
            "name length 0": task(1, b"\x00\x00\x01null"),
            "no room for attempt": task(1, b"\x00\x04test"),
            "attempt 0": task(1, b"\x00\x01a\x00null"),
            "attempt 101": task(1, b"\x00\x01a\x65null"),
            "task id 0": task(0, b"\x00\x01a\x01null"),
            "negative task id": task(-5, b"\x00\x01a\x01null"),
            "CANCEL with payload": header(1, 0x13) + b"x",
            "PING with payload": header(1, 0x21) + b"x",
            "PONG from the supervisor": header(0, 0x31),
            "SHUTDOWN with correlation id": header(0, 0x20, cid=5),
            "end of stream inside a header": header(0, 0x20, cid=0)[:7],
            "end of stream inside a payload": header(10, 0x10) + b"\x00\x01a",
            "duplicate held task id": task(1, b"\x00\x0atest.Sleep\x011") + task(1, b"\x00\x0atest.Sleep\x011"),
            "BATCH name length 0": batch(1, b"\x00\x00\x01[1]"),
            "BATCH without attempt": batch(1, b"\x00\x09test.Echo"),
            "BATCH name overrunning the payload": batch(1, b"\x00\xfftest.Echo\x01[1]"),
            "BATCH attempt 0": batch(1, b"\x00\x09test.Echo\x00[1]"),
            "BATCH attempt 101": batch(1, b"\x00\x09test.Echo\x65[1]"),
            "BATCH id 0": batch(0, b"\x00\x09test.Echo\x01[1]"),
            "BATCH with the id of a held TASK": (
                task(1, b"\x00\x0atest.Sleep\x011") + batch(1, b"\x00\x09test.Echo\x01[1]")
            ),
        }
        for name, data in cases.items():
            with self.subTest(name):
                s = self.supervisor(max_frame_length=4096).connect()
                s.send_raw(data)
                s.conn.shutdown(socket.SHUT_WR)  # the truncated cases need end of stream
                self.assertEqual(66, s.wait_exit())
                self.assertEqual(1, len(s.stderr().splitlines()), s.stderr())
                self.assertIn("protocol violation", s.stderr())

    def test_library_mode_with_own_tasks(self):
        s = self.supervisor()
        script = Path(s.directory) / "my_worker.py"
        script.write_text(
            textwrap.dedent(
                f"""
                import sys
                sys.path.insert(0, {str(SOURCE_DIR)!r})
                import forkpool_worker

                def shout(text):
                    return text.upper()

                forkpool_worker.serve({{"my.Shout": shout}}, send_status=False)
                """
            )
        )
        s.start(command=[sys.executable, "-B", str(script)]).connect()
        self.assertEqual("HEY", s.result(1, "my.Shout", "hey"))
        self.assertEqual(25, s.result(2, COUNT_PRIMES, {"from": 0, "to": 100}))
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())
        self.assertEqual([], s.statuses)

    def test_more_than_1024_unanswered_tasks_is_a_violation(self):
        s = self.supervisor().connect()
        s.task(1, "test.Sleep", 10)
        s.send_raw(b"".join(fw.encode_frame(fw.encode_message(fw.TaskRequest(i, "test.Echo", 1, b"1")))
                            for i in range(2, 1025)))
        s.task(1025, "test.Echo", 1)
        self.assertEqual(66, s.wait_exit())
        self.assertIn("above the limit of 1024", s.stderr())

    def test_allow_list_refuses_without_running_and_serves_on(self):
        s = self.supervisor(allowedTasks=["test.Echo", "test.Sleep", "io.forkpool.examples.*", "test.sub.*"]).connect()
        marker = Path(s.directory) / "ran"
        refused = s.failure(1, "test.Touch", str(marker))
        self.assertEqual("forkpool_worker.TaskNotAllowedError", refused.exception_class)
        self.assertEqual(
            "test.Touch is not in the pool's task allow-list "
            "[test.Echo, test.Sleep, io.forkpool.examples.*, test.sub.*]",
            refused.message,
        )
        self.assertFalse(marker.exists(), "a refused task ran")
        # Refused before its input is even looked at; unknown names under an allowed pattern are
        # unknown; a name that is not UTF-8 fails before the list is consulted.
        bad_input = s.failure(2, "test.Raise", raw_input=b"{not json")
        self.assertEqual("forkpool_worker.TaskNotAllowedError", bad_input.exception_class)
        unknown = s.failure(3, "test.sub.Nope", {})
        self.assertEqual("forkpool_worker.UnknownTaskError", unknown.exception_class)
        not_utf8 = s.failure(4, "test.Echo\udcff", 1)
        self.assertEqual("forkpool_worker.UnknownTaskError", not_utf8.exception_class)
        self.assertIn("not valid UTF-8", not_utf8.message)
        self.assertEqual("served", s.result(5, "test.Echo", "served"))
        self.assertEqual(25, s.result(6, COUNT_PRIMES, {"from": 0, "to": 100}))
        self.assertEqual(25, s.result(60, "io.forkpool.examples.Primes::count", {"from": 0, "to": 100}))
        s.task(7, "test.Sleep", 0.3)
        s.task(8, "test.Print", "refused while another task runs")
        s.send(fw.Cancel(99))
        replies = s.replies(2)
        self.assertEqual("forkpool_worker.TaskNotAllowedError", replies[8].exception_class)
        self.assertEqual(b"0.3", replies[7].output)
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())
        self.assertNotIn("refused while another task runs", s.stdout())

    def test_nesting_limit_of_task_data(self):
        s = self.supervisor().connect()
        self.assertEqual(1, fw.nesting_depth(s.result(1, "test.Echo", [])))
        deep_input = s.failure(2, "test.Echo", raw_input=b"[" * 501 + b"]" * 501)
        self.assertEqual("forkpool_worker.InputDecodeError", deep_input.exception_class)
        self.assertIn("500", deep_input.message)
        self.assertEqual(500, fw.nesting_depth(s.result(3, "test.Echo", json.loads("[" * 500 + "]" * 500))))
        self.assertEqual(500, fw.nesting_depth(s.result(4, "test.Nest", 500)))
        deep_output = s.failure(5, "test.Nest", 501)
        self.assertEqual("forkpool_worker.OutputEncodeError", deep_output.exception_class)

    def test_memory_error_in_a_task_is_a_task_failure(self):
        s = self.supervisor().connect()
        failure = s.failure(1, "test.Allocate", 1 << 62)
        self.assertEqual("MemoryError", failure.exception_class)
        self.assertEqual(1000, s.result(2, "test.Allocate", 1000))
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())

    @unittest.skipUnless(hasattr(__import__("resource"), "prlimit") and os.path.exists("/proc/self/status"), "Linux")
    def test_out_of_memory_outside_a_task_exits_3_and_status_reports_rlimit_as(self):
        import resource

        s = self.supervisor(max_frame_length=1 << 30).connect()
        self.assertEqual("warm", s.result(1, "test.Echo", "warm"))  # every thread has run
        self.assertEqual(s.expected_heap_max, s.next_status().heap_max)  # the first reply's STATUS
        with open(f"/proc/{s.proc.pid}/status") as f:
            size = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
        limit = size + (128 << 20)
        resource.prlimit(s.proc.pid, resource.RLIMIT_AS, (limit, resource.RLIM_INFINITY))
        s.expected_heap_max = limit
        time.sleep(0.06)  # STATUS comes at most every 50 ms
        s.task(2, "test.Echo", "ok")
        self.assertEqual("ok", json.loads(s.receive().output))
        self.assertEqual(limit, s.next_status().heap_max)
        # A TASK of 512 MiB (within maxFrameLength): the reader's buffer cannot grow that far.
        s.send_raw(struct.pack(">IBBq", 512 << 20, 0x10, 0, 3))
        chunk = bytes(1 << 20)
        try:
            for _ in range(256):
                s.conn.sendall(chunk)
        except OSError:
            pass  # the worker is gone
        self.assertEqual(3, s.wait_exit())
        self.assertIn("out of memory", s.stderr())

    def test_bad_command_line_exits_1(self):
        s = self.supervisor().start(command=[sys.executable, "-B", str(WORKER_SCRIPT), "--no-such-option"])
        self.assertEqual(1, s.wait_exit())
        self.assertIn("--no-such-option", s.stderr())

    def test_bad_tasks_module_exits_1(self):
        command = [sys.executable, "-B", str(WORKER_SCRIPT), "--tasks-module", "/nonexistent.py"]
        s = self.supervisor().start(command=command)
        self.assertEqual(1, s.wait_exit())


class BatchTest(unittest.TestCase):
    """BATCH (spec 4.5) against the worker process: one reply per batch, outputs in order, the
    index of the first failing input, cancellation."""

    def supervisor(self, **kwargs) -> FakeSupervisor:
        return FakeSupervisor(self, **kwargs)

    def test_golden_batch_gives_the_golden_result(self):
        s = self.supervisor().connect()
        s.send(fw.BatchRequest(10, COUNT_PRIMES, 1, GOLDEN_BATCH_INPUTS))
        reply = s.receive()
        self.assertEqual(fw.decode_message(fw.decode_frame(read_hex(GOLDEN_DIR / "batch-result.hex"))), reply)
        self.assertEqual(b"[4,4,2]", reply.output)

    def test_inputs_run_in_order_with_the_batch_context(self):
        s = self.supervisor().connect()
        chunks = [{"from": start, "to": start + 100_000} for start in range(0, 1_000_000, 100_000)]
        self.assertEqual([9592, 8392, 8013, 7863, 7678, 7560, 7445, 7408, 7323, 7224],
                         s.batch_result(1, COUNT_PRIMES, chunks))
        self.assertEqual([1, 2, 3, 4, 5], s.batch_result(2, "test.Counted", [0] * 5))
        values = [None, 0, -1.5, "\u00e9\U0001F600", [1, [2]], {"a": {"b": None}}, True, ""]
        self.assertEqual(values, s.batch_result(3, "test.Echo", values))
        context = {"taskId": 2**40, "name": "test.Context", "attempt": 7, "workerId": 3, "cancelled": False}
        self.assertEqual([context] * 3, s.batch_result(2**40, "test.Context", [None] * 3, attempt=7))
        self.assertEqual([6], s.batch_result(4, "test.Counted", [0]))  # one input is a batch too
        self.assertEqual([7, 8], s.batch_result(5, "test.Counted", [0, 0]))
        s.send(fw.Shutdown())
        self.assertEqual(0, s.wait_exit())

    def test_first_failing_input_fails_the_batch_and_later_inputs_do_not_run(self):
        s = self.supervisor().connect()
        failure = s.batch_failure(1, "test.Counted", [0, 0, "fail", 0, "fail"])
        self.assertEqual((2, "ValueError", "call 3 fails"), (failure.index, failure.exception_class, failure.message))
        self.assertIn("Traceback (most recent call last)", failure.stack_trace)
        self.assertEqual([4], s.batch_result(2, "test.Counted", [0]))  # inputs 3 and 4 never ran
        first = s.batch_failure(3, "test.Counted", ["fail", 0])
        self.assertEqual(0, first.index)
        self.assertEqual([6], s.batch_result(4, "test.Counted", [0]))
        last = s.batch_failure(5, "test.Counted", [0, 0, "fail"])
        self.assertEqual(2, last.index)

        ranges = [{"from": 0, "to": 10}, {"from": 5, "to": 4}, {"from": 20, "to": 30}]
        bad_range = s.batch_failure(6, COUNT_PRIMES, ranges)
        self.assertEqual((1, "ValueError", "range ends before it starts: [5, 4)"),
                         (bad_range.index, bad_range.exception_class, bad_range.message))
        self.assertEqual(2, s.batch_failure(7, COUNT_PRIMES, [{}, {"to": 3}, None]).index)  # TypeError
        self.assertEqual(1, s.batch_failure(8, COUNT_PRIMES, [{}, {"to": "ten"}]).index)
        nan = s.batch_failure(9, "test.NaN", [1, 2])
        self.assertEqual((0, "forkpool_worker.OutputEncodeError", "output"),
                         (nan.index, nan.exception_class, nan.stage))
        self.assertIsNone(failure.stage)
        self.assertEqual(3, s.batch_failure(10, "test.Nest", [1, 500, 2, 501]).index)
        self.assertEqual("SystemExit", s.batch_failure(11, "test.Exit", [0]).exception_class)
        self.assertEqual([10], s.batch_result(12, "test.Counted", [0]))  # it served on throughout

    def test_an_input_nesting_deeper_than_500_fails_at_its_index(self):
        s = self.supervisor().connect()
        deepest = json.loads("[" * 500 + "]" * 500)
        self.assertEqual([1, 500], [fw.nesting_depth(v) for v in s.batch_result(1, "test.Echo", [[], deepest])])
        too_deep = s.batch_failure(2, "test.Counted", [0, 0, [deepest]])
        self.assertEqual((2, "forkpool_worker.InputDecodeError"), (too_deep.index, too_deep.exception_class))
        self.assertIn("500", too_deep.message)
        # Every input is checked before any runs: the two before it did not run either.
        self.assertEqual([1], s.batch_result(3, "test.Counted", [0]))
        # Deeper than Python's parser goes (how deep depends on the version), the whole array does
        # not parse and the batch fails at index 0; for an array of one that is its index anyway.
        very_deep = s.batch_failure(4, "test.Counted", raw_inputs=b"[" * 5001 + b"]" * 5001)
        self.assertEqual((0, "forkpool_worker.InputDecodeError"), (very_deep.index, very_deep.exception_class))
        self.assertEqual([2], s.batch_result(5, "test.Counted", [0]))

    def test_inputs_that_are_not_an_array_of_1_to_65536_fail_at_index_0_without_running(self):
        s = self.supervisor(max_frame_length=4 << 20).connect()
        cases = {
            "empty array": b"[]",
            "65,537 inputs": b"[" + b",".join([b"0"] * 65_537) + b"]",
            "object": b'{"from":0,"to":10}',
            "number": b"0",
            "null": b"null",
            "no inputs at all": b"",
            "not JSON": b"[0,0",
            "a failing input after a syntax error": b'[0,"fail",}',
            "two arrays": b"[0] [0]",
            "NaN": b"[0,NaN]",
            "not UTF-8": b'[0,"\xff"]',
        }
        for i, (name, raw) in enumerate(cases.items(), start=1):
            with self.subTest(name):
                failure = s.batch_failure(i, "test.Counted", raw_inputs=raw)
                self.assertEqual((0, "forkpool_worker.InputDecodeError", "input"),
                                 (failure.index, failure.exception_class, failure.stage))
        self.assertEqual([1], s.batch_result(100, "test.Counted", [0]))  # nothing ran before
        self.assertEqual(list(range(2, 65_538)), s.batch_result(101, "test.Counted", [0] * 65_536))

    def test_refused_or_unknown_names_fail_at_index_0_without_running_or_parsing(self):
        s = self.supervisor(allowedTasks=["test.Counted", "test.Echo", "test.sub.*"]).connect()
        marker = Path(s.directory) / "ran"
        refused = s.batch_failure(1, "test.Touch", [str(marker)])
        self.assertEqual((0, "forkpool_worker.TaskNotAllowedError", None),
                         (refused.index, refused.exception_class, refused.stage))
        self.assertIn("test.Touch is not in the pool's task allow-list", refused.message)
        self.assertFalse(marker.exists(), "a refused batch ran")
        not_parsed = s.batch_failure(2, "test.Raise", raw_inputs=b"not even JSON")
        self.assertEqual((0, "forkpool_worker.TaskNotAllowedError"), (not_parsed.index, not_parsed.exception_class))
        unknown = s.batch_failure(3, "test.sub.Nope", [0])
        self.assertEqual((0, "forkpool_worker.UnknownTaskError"), (unknown.index, unknown.exception_class))
        not_utf8 = s.batch_failure(4, "test.Counted\udcff", [0])
        self.assertEqual((0, "forkpool_worker.UnknownTaskError"), (not_utf8.index, not_utf8.exception_class))
        self.assertEqual([1, 2], s.batch_result(5, "test.Counted", [0, 0]))

    def test_an_output_that_takes_the_result_past_max_frame_length_fails_at_its_index(self):
        s = self.supervisor(max_frame_length=1024).connect()
        # Outputs of 302 bytes ("x" * 300): "[" + 3 * 303 bytes + 114 for "x" * 111 + "]" = 1,024.
        exact = s.batch_result(1, "test.HugeOutput", [300, 300, 300, 111])
        self.assertEqual([300, 300, 300, 111], [len(x) for x in exact])
        past = s.batch_failure(2, "test.HugeOutput", [300, 300, 300, 112, 1])
        self.assertEqual((3, "forkpool_worker.OutputEncodeError"), (past.index, past.exception_class))
        self.assertIn("maxFrameLength 1024", past.message)
        alone = s.batch_failure(3, "test.HugeOutput", [1, 1022])  # fits a TASK's RESULT, not a batch's
        self.assertEqual(1, alone.index)
        self.assertEqual("x" * 1022, s.result(4, "test.HugeOutput", 1022))
        self.assertEqual(["x"], s.batch_result(5, "test.HugeOutput", [1]))

    def test_cancel_stops_the_running_input_and_starts_no_further_one(self):
        s = self.supervisor().connect()
        s.batch(1, "test.Counted", [0, 0, 5.0, 0, 0])
        time.sleep(0.3)
        started = time.monotonic()
        s.send(fw.Cancel(1))
        cancelled = s.receive()
        self.assertLess(time.monotonic() - started, 0.5)  # within the supervisor's grace period
        self.assertEqual((1, CANCELLATION, 2), (cancelled.task_id, cancelled.exception_class, cancelled.index))
        self.assertEqual([4], s.batch_result(2, "test.Counted", [0]))  # inputs 3 and 4 never ran
        s.send(fw.Cancel(1), fw.Cancel(2))  # already answered: ignored

        s.batch(3, COUNT_PRIMES, [{"from": 0, "to": 10}, {"from": 0, "to": 10**10}, {}])  # polls the flag
        time.sleep(0.3)
        s.send(fw.Cancel(3))
        cancelled = s.receive()
        self.assertEqual((3, CANCELLATION, 1), (cancelled.task_id, cancelled.exception_class, cancelled.index))

        # An input that ignores the flag runs to its end; the batch still ends there, cancelled.
        s.batch(4, "test.Sleep", [0.4, 0.4])
        time.sleep(0.1)
        started = time.monotonic()
        s.send(fw.Cancel(4))
        cancelled = s.receive()
        self.assertLess(time.monotonic() - started, 0.6)  # the second input never started
        self.assertEqual((4, CANCELLATION, 0), (cancelled.task_id, cancelled.exception_class, cancelled.index))
        self.assertEqual([5], s.batch_result(5, "test.Counted", [0]))

    def test_cancel_before_the_batch_starts_answers_at_once_with_index_0(self):
        s = self.supervisor().connect()
        s.task(1, "test.Sleep", 0.5)
        s.batch(2, "test.Counted", [0, 0])
        s.batch(3, "test.Counted", [0])
        s.send(fw.Cancel(2))
        first = s.receive()  # before task 1 ends
        self.assertEqual(fw.Failure, type(first))
        self.assertEqual((2, CANCELLATION, 0), (first.task_id, first.exception_class, first.index))
        replies = s.replies(2)
        self.assertEqual(b"0.5", replies[1].output)
        self.assertIsNone(getattr(replies[1], "index", None))
        self.assertEqual(b"[1]", replies[3].output)  # batch 2 never ran

    def test_a_batch_is_one_of_the_1024_unanswered_tasks(self):
        s = self.supervisor().connect()
        s.task(1, "test.Sleep", 10)
        s.send_raw(b"".join(fw.encode_frame(fw.encode_message(fw.BatchRequest(i, "test.Echo", 1, b"[1,2]")))
                            for i in range(2, 1025)))
        s.batch(1025, "test.Echo", [1])
        self.assertEqual(66, s.wait_exit())
        self.assertIn("BATCH 1025 would be unanswered task number 1025", s.stderr())


if __name__ == "__main__":
    unittest.main()
