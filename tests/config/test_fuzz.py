"""Property-based fuzzing: mutated sample configs give clean errors only (no crash, no traceback,
no hang), through the real CLI entry point (in-process: pycapnp runs in a forked child)."""
from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cfg_helpers import DATA, run_cli

SAMPLES = {name: (DATA / name / "config.capnp").read_text() for name in ("bindings", "durable", "disk", "hello_sw")}

TOKENS = ["(", ")", "[", "]", "=", ",", ";", ":", ".", '"', "@0x1;", "embed", "embed \"worker.js\"", ".w",
          "const", "void", "true", "0x\"00\"", "name", "worker", "service", "http", "\"main\"", "\"\"",
          "compatibilityDate = \"2024-01-01\"", "address = \"*:0\"", "\n", "#", "\\", "ünï", "\x01", "99999999999",
          "-1", "[[[[", "))))", "using X = import \"/workerd/workerd.capnp\";", "import \"/nope.capnp\"",
          "durableObjectNamespace = \"X\"", "inherit = \"main\"", "globalOutbound = \"nope\""]


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SAMPLES)))
    text = SAMPLES[name]
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "dup-line", "swap-lines", "replace-string"]))
        n = len(text)
        if op == "delete" and n:
            a = draw(st.integers(0, n - 1))
            b = draw(st.integers(a, min(n, a + 40)))
            text = text[:a] + text[b:]
        elif op == "insert":
            a = draw(st.integers(0, n))
            tok = draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8)))
            text = text[:a] + tok + text[a:]
        elif op in ("dup-line", "swap-lines"):
            lines = text.split("\n")
            i = draw(st.integers(0, len(lines) - 1))
            j = draw(st.integers(0, len(lines) - 1))
            if op == "dup-line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            parts = text.split('"')
            if len(parts) > 2:
                k = draw(st.integers(0, (len(parts) - 2) // 2)) * 2 + 1
                parts[k] = draw(st.one_of(st.sampled_from(["", "main", "nope", "*:99999", "2999-01-01", "{",
                                                            "unix:", "[::1]:80", "public", "Counter"]),
                                          st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                                                         blacklist_characters='"\\\n'),
                                                  max_size=10)))
                text = '"'.join(parts)
    return name, text


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    base = tmp_path_factory.mktemp("fuzz")
    for name in SAMPLES:
        shutil.copytree(DATA / name, base / name)
    return base


def assert_clean(code, out: bytes, err: str):
    assert code in (0, 1), (code, out, err)
    text = out.decode("utf-8", "replace") + err
    assert "Traceback" not in text and "internal error" not in text, text
    if code == 1:
        assert text.strip(), "an error exit must say why"


@settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 200)), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(case=mutated())
def test_mutated_configs_fail_cleanly(workdir, case):
    name, text = case
    path = workdir / name / "fuzz.capnp"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code, out, err = run_cli(["check", str(path), "--json"])
    assert_clean(code, out, err)
    code, out, err = run_cli(["check", str(path)])
    assert_clean(code, out, err)


@pytest.fixture(scope="module")
def plan_bytes(workdir):
    code, data, err = run_cli(["compile", str(workdir / "bindings" / "config.capnp")])
    assert code == 0, err
    return data


@settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", 150)), deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.integers(0, 10 ** 6), st.integers(0, 255)), min_size=1, max_size=8),
       cut=st.one_of(st.none(), st.integers(0, 10 ** 6)))
def test_mutated_binary_plans_fail_cleanly(workdir, plan_bytes, edits, cut):
    data = bytearray(plan_bytes)
    for pos, val in edits:
        data[pos % len(data)] = val
    if cut is not None:
        data = data[: cut % (len(data) + 1)]
    path = workdir / "fuzz.bin"
    path.write_bytes(bytes(data))
    code, out, err = run_cli(["check", "-b", str(path)])
    assert_clean(code, out, err)
