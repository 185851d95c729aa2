"""Loading text and binary configs: file IDs, embeds, const selection, stdin, capnp errors."""
from __future__ import annotations

import os
import stat

import pytest

from cfg_helpers import DATA, HEADER, ROOT, run_cli, worker_config
from workerd_py.config import ConfigError, load_plan, loader


def test_config_without_file_id_loads_and_temp_copy_is_removed(cfgdir):
    path = cfgdir.write(worker_config())
    plan = load_plan(path)
    assert plan.services["main"].body.modules[0].content.startswith("export default")
    assert sorted(os.listdir(cfgdir.path)) == ["config.capnp", "worker.js"]


def test_config_with_file_id_loads(cfgdir):
    path = cfgdir.write("@0xd0c1a5e0f0b0c0a1;\n" + worker_config())
    assert load_plan(path).const == "config"


def test_relative_embed_from_another_cwd(cfgdir, tmp_path, monkeypatch):
    path = cfgdir.write(worker_config(), **{"lib__x.js": "export const x = 1;\n"})
    monkeypatch.chdir("/")
    plan = load_plan(path)
    assert "fetch" in plan.services["main"].body.modules[0].content


def test_line_numbers_survive_the_injected_id(cfgdir):
    text = worker_config().replace("services = [", "servces = [")
    path = cfgdir.write(text)
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    (d,) = e.value.diagnostics
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "servces" in l)
    assert (d.file, d.line) == (path, line)
    assert d.column == text.splitlines()[line - 1].index("servces") + 1
    assert "servces" in d.message


def test_error_on_first_line_has_the_users_column(cfgdir):
    path = cfgdir.write('using Workerd = import "/workerd/workerd.capnp"; const config :Workerd.Config = (bogus = 1);\n')
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    (d,) = e.value.diagnostics
    assert d.line == 1 and "bogus" in d.message
    assert d.column == open(path).read().index("bogus") + 1


def test_missing_embed_names_the_file(cfgdir):
    path = cfgdir.write(worker_config(modules='(name = "worker", esModule = embed "nope.js")'))
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    (d,) = e.value.diagnostics
    assert d.code == "capnp-embed" and "nope.js" in d.message and d.line == 11


def test_parse_error_is_clean(cfgdir):
    path = cfgdir.write(HEADER + "const config :Workerd.Config = (services = [(name = \"a\" ];\n")
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    assert e.value.diagnostics[0].code == "capnp-parse"
    assert e.value.diagnostics[0].file == path


def test_const_named_on_command_line(cfgdir):
    text = worker_config() + "const other :Workerd.Config = (services = [(name = \"main\", worker = .w)]);\n"
    path = cfgdir.write(text)
    assert load_plan(path, const="other").const == "other"
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    d = e.value.diagnostics[0]
    assert d.code == "const-ambiguous" and "config, other" in d.message


def test_const_missing_or_not_a_config(cfgdir):
    path = cfgdir.write(worker_config())
    with pytest.raises(ConfigError) as e:
        load_plan(path, const="nope")
    assert e.value.diagnostics[0].code == "const-not-found"
    assert "'nope'" in e.value.diagnostics[0].message and "config" in e.value.diagnostics[0].message
    with pytest.raises(ConfigError) as e:
        load_plan(path, const="w")
    assert "not a Config constant" in e.value.diagnostics[0].message
    assert e.value.diagnostics[0].line == 10


def test_no_config_const(cfgdir):
    path = cfgdir.write(HEADER + 'const x :Text = "a";\n')
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    assert e.value.diagnostics[0].code == "const-none"


@pytest.mark.parametrize("content,code", [
    (None, "io"),
    (b"\xff\xfe not utf8", "text-invalid"),
    (b"abc\0def", "binary-invalid"),
    (b"#" * 5000 + b"\nabc\0def", "text-invalid"),
])
def test_unreadable_inputs(tmp_path, content, code):
    p = tmp_path / "c.capnp"
    if content is not None:
        p.write_bytes(content)
    with pytest.raises(ConfigError) as e:
        load_plan(str(p))
    assert e.value.diagnostics[0].code == code


def test_directory_is_not_a_config(tmp_path):
    with pytest.raises(ConfigError) as e:
        load_plan(str(tmp_path))
    assert "directory" in e.value.diagnostics[0].message


def test_import_path(cfgdir, tmp_path):
    lib = tmp_path / "libdir"
    lib.mkdir()
    (lib / "shared.capnp").write_text('@0xe1e2e3e4e5e6e7e8;\nconst date :Text = "2024-01-01";\n')
    text = worker_config('compatibilityDate = Shared.date,').replace(
        HEADER, HEADER + 'using Shared = import "/shared.capnp";\n')
    path = cfgdir.write(text)
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    assert e.value.diagnostics[0].code == "capnp-import"
    plan = load_plan(path, import_paths=[str(lib)])
    assert plan.services["main"].body.compatibility_date == "2024-01-01"


def test_import_path_must_exist(cfgdir):
    path = cfgdir.write(worker_config())
    with pytest.raises(ConfigError) as e:
        load_plan(path, import_paths=["/nonexistent/dir"])
    assert e.value.diagnostics[0].code == "import-path"


def test_stdin(cfgdir):
    cfgdir.write(worker_config())
    text = (cfgdir.path / "config.capnp").read_bytes()
    code, out, err = run_cli(["check", "-"], stdin=text, cwd=str(cfgdir.path))
    assert code == 0, err
    assert not [f for f in os.listdir(cfgdir.path) if f.startswith(".")]


def test_binary_round_trip(cfgdir, tmp_path):
    path = cfgdir.write(worker_config())
    out = tmp_path / "plan.bin"
    code, _, err = run_cli(["compile", path, "-o", str(out)])
    assert code == 0, err
    text_plan = load_plan(path)
    bin_plan = load_plan(str(out), binary=True)
    assert bin_plan.services["main"].body == text_plan.services["main"].body
    assert bin_plan.sockets[0].service == text_plan.sockets[0].service
    code, _, err = run_cli(["check", "-b", str(out)])
    assert code == 0, err


def test_binary_from_stdin(cfgdir, tmp_path):
    path = cfgdir.write(worker_config())
    code, data, err = run_cli(["compile", path])
    assert code == 0 and data[:4] != b"", err
    code, _, err = run_cli(["check", "-b", "-"], stdin=data)
    assert code == 0, err


@pytest.mark.parametrize("data", [b"", b"garbage", b"\0" * 8, b"\x00\x00\x00\x00\xff\xff\xff\x7f" + b"\0" * 8,
                                  os.urandom(64)])
def test_bad_binary_is_a_clean_error(tmp_path, data):
    p = tmp_path / "bad.bin"
    p.write_bytes(data)
    try:
        plan = load_plan(str(p), binary=True)
    except ConfigError as e:
        assert e.diagnostics and all(d.code == "binary-invalid" for d in e.diagnostics)
        assert all(d.file == str(p) for d in e.diagnostics)
        return
    # an all-zero message is a valid empty Config: only the implicit "internet" service
    assert list(plan.services) == ["internet"]


def test_text_config_given_as_binary(cfgdir):
    path = cfgdir.write(worker_config())
    with pytest.raises(ConfigError) as e:
        load_plan(path, binary=True)
    assert e.value.diagnostics[0].code == "binary-invalid"


def test_read_only_folder_falls_back_and_embeds_still_work(cfgdir):
    if os.geteuid() == 0:
        # root ignores permissions: simulate with a failing open in the folder
        import unittest.mock as m
        real_open = os.open

        def deny(path, flags, mode=0o777, *a, **k):
            if str(path).startswith(str(cfgdir.path)) and flags & os.O_CREAT:
                raise PermissionError(13, "Permission denied")
            return real_open(path, flags, mode, *a, **k)
        path = cfgdir.write(worker_config())
        with m.patch("os.open", deny):
            plan = load_plan(path)
    else:
        path = cfgdir.write(worker_config())
        os.chmod(cfgdir.path, stat.S_IRUSR | stat.S_IXUSR)
        try:
            plan = load_plan(path)
        finally:
            os.chmod(cfgdir.path, stat.S_IRWXU)
    assert plan.services["main"].body.modules[0].content.startswith("export default")
    assert sorted(os.listdir(cfgdir.path)) == ["config.capnp", "worker.js"]


def test_same_config_loads_twice_in_one_process(cfgdir):
    path = cfgdir.write("@0xd0c1a5e0f0b0c0a2;\n" + worker_config())
    load_plan(path)
    load_plan(path)


def test_repo_schema_symlink_points_at_the_package_schema():
    link = ROOT / "schema" / "workerd.capnp"
    assert link.resolve() == loader.SCHEMA_FILE.resolve()
    assert "@0xe6afd26682091c01;" in loader.SCHEMA_FILE.read_text()


def test_imported_files_without_id_load_and_errors_name_them(cfgdir):
    """workerd accepts imported capnp files without an ID; so do we (copies, like the config's)."""
    main = HEADER + 'using W = import "sub/w.capnp";\nconst config :Workerd.Config = (\n' \
                    '  services = [ (name = "main", worker = W.w) ],\n);\n'
    sub = HEADER + '\nconst w :Workerd.Worker = (serviceWorkerScript = "addEventListener(\'fetch\', e => {});",' \
                   ' compatibilityDate = "2024-01-01");\n'
    path = cfgdir.write(main, **{"sub__w.capnp": sub})
    plan = load_plan(path)
    assert plan.services["main"].body.is_service_worker
    (cfgdir.path / "sub" / "w.capnp").write_text(sub.replace("compatibilityDate", "compatibilityDat"))
    with pytest.raises(ConfigError) as e:
        load_plan(path)
    (d,) = e.value.diagnostics
    assert d.file == os.path.join(str(cfgdir.path), "sub", "w.capnp") and d.line == 3
    assert d.column == sub.splitlines()[2].index("compatibilityDate") + 1
    assert sorted(os.listdir(cfgdir.path / "sub")) == ["w.capnp"]
    assert sorted(os.listdir(cfgdir.path)) == ["config.capnp", "sub", "worker.js"]


def test_binary_is_detected_without_b(cfgdir, tmp_path):
    """`workerd serve plan.bin` (DESIGN.md): a framed message is recognized without -b."""
    path = cfgdir.write(worker_config())
    out = tmp_path / "plan.bin"
    assert run_cli(["compile", path, "-o", str(out)])[0] == 0
    assert load_plan(str(out)).services["main"].body == load_plan(path).services["main"].body


def test_loading_from_a_threaded_process_uses_a_fresh_interpreter(cfgdir):
    """A server loading configs (e.g. --watch) has threads; the parser then runs in a subprocess."""
    import threading
    path = cfgdir.write(worker_config())
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        plan = load_plan(path)
        with pytest.raises(ConfigError) as e:
            load_plan(cfgdir.write(worker_config().replace("services", "servces")))
    finally:
        stop.set()
        t.join()
    assert plan.services["main"].body.modules[0].name == "worker"
    assert e.value.diagnostics[0].code == "capnp-unknown-field" and e.value.diagnostics[0].line == 3
