"""The ``fmtcodec`` command line, end to end: click's CliRunner on ``fmtcodec.cli.cli`` and real
``python -m fmtcodec`` subprocesses.  Payloads are made with ``fmtcodec.encode`` in ``tmp_path``."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import fmtcodec
from fmtcodec import BlacklistEntry, Contact, Created, Error, Group, MailContact, Ok
from fmtcodec.cli import EXIT_FAILURE, EXIT_OK, EXIT_SERVER_ERROR, EXIT_USAGE, cli

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "spec" / "vectors"

CONTACTS = [
    Contact(phone="79161234567", name="Иван Петров", group="5", comments="VIP: звонить вечером"),
    Contact(phone="+7 (495) 123-45-67"),
]
GROUPS = [Group(id=5, name="Клиенты", number=1234, cnt=3), Group(id=6, name="Новая")]
ERROR = Error(error_code=3, error="record not found")


def run(*args: str, input: bytes | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def write(path: Path, value: object, fmt: int, charset: str = "utf-8") -> Path:
    path.write_bytes(fmtcodec.encode(value, fmt=fmt, charset=charset))
    return path


@pytest.fixture
def contacts0(tmp_path: Path) -> Path:
    return write(tmp_path / "contacts.txt", CONTACTS, 0)


@pytest.fixture
def contacts_cp1251(tmp_path: Path) -> Path:
    return write(tmp_path / "contacts-1251.txt", CONTACTS, 1, "cp1251")


@pytest.fixture
def error2(tmp_path: Path) -> Path:
    return write(tmp_path / "error.xml", ERROR, 2)


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    path = tmp_path / "broken.txt"
    path.write_bytes("id = 5, name = Клиенты, number = , cnt = 3\nid = 5x, name = x, number = , cnt = \n".encode())
    return path


BROKEN_LINE = (
    "fmtcodec: {}: fmt 0: expected an integer for `id`, got '5x' - at $[1].id, byte 55"
    " (line 2, column 6), near '5x, name = x, number = ,'\n"
)


# --------------------------------------------------------------------------------------------
# help, exit codes, the optional extra


def test_exit_codes_are_named() -> None:
    assert (EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_SERVER_ERROR) == (0, 1, 2, 3)


@pytest.mark.parametrize("command", [[], ["detect"], ["decode"], ["convert"], ["validate"]])
def test_help_shows_examples(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == EXIT_OK
    assert "Examples:" in result.stdout
    assert "  fmtcodec " in result.stdout  # example lines are kept as written (no rewrapping)


def test_main_help_lists_commands_and_exit_codes() -> None:
    result = run("--help")
    for command in ("detect", "decode", "convert", "validate"):
        assert f"  {command} " in result.stdout
    text = " ".join(result.stdout.split())
    assert "Exit codes: 0 ok, 1 decode/encode failure, 2 usage error, 3 server error reply." in text


def test_validate_help_documents_server_errors() -> None:
    text = " ".join(run("validate", "--help").stdout.split())
    assert 'counted as "server error N" in the summary and does not fail the run' in text


def test_import_fmtcodec_does_not_import_click_or_rich() -> None:
    code = "import fmtcodec, sys; assert 'click' not in sys.modules and 'rich' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_usage_error_is_exit_2() -> None:
    result = run("decode", "--type", "phones", "-")
    assert result.exit_code == EXIT_USAGE
    assert "Invalid value for '--type'" in result.stderr


def test_unsupported_charset_is_a_usage_error(contacts0: Path) -> None:
    result = run("decode", "--type", "contacts", "--charset", "latin-1", str(contacts0))
    assert result.exit_code == EXIT_USAGE
    assert "unsupported charset 'latin-1'" in result.stderr


# --------------------------------------------------------------------------------------------
# detect


def test_detect_kinds(tmp_path: Path, contacts0: Path, contacts_cp1251: Path, error2: Path) -> None:
    files = [
        contacts0,
        contacts_cp1251,
        error2,
        write(tmp_path / "groups.json", GROUPS, 3),
        write(tmp_path / "blacklist.xml", [BlacklistEntry(id=1, phone="7999")], 2, "cp1251"),
        write(tmp_path / "mail.txt", [MailContact(mail="a@b.ru")], 0),
        write(tmp_path / "empty.json", [], 3),
        write(tmp_path / "created.txt", Created(id=77), 1),
        write(tmp_path / "ok.xml", Ok(), 2),
        write(tmp_path / "error1.txt", Error(error_code=9), 1),
    ]
    result = run("detect", *map(str, files))
    assert result.exit_code == EXIT_OK, result.output
    assert result.stdout.replace(str(tmp_path) + "/", "") == (
        "contacts.txt: fmt 0, contact list, 2 records, utf-8 (valid UTF-8)\n"
        "contacts-1251.txt: fmt 1, contact list, 2 records, windows-1251 (not UTF-8, provider default)\n"
        "error.xml: fmt 2, server error 3 (record not found), utf-8 (declared)\n"
        "groups.json: fmt 3, group list, 2 records, utf-8 (valid UTF-8)\n"
        "blacklist.xml: fmt 2, blacklist, 1 record, windows-1251 (declared)\n"
        "mail.txt: fmt 0, mail contact list, 1 record, utf-8 (valid UTF-8)\n"
        "empty.json: fmt 3, list (empty), 0 records, utf-8 (valid UTF-8)\n"
        "created.txt: fmt 1, created (id 77), utf-8 (valid UTF-8)\n"
        "ok.xml: fmt 2, OK, utf-8 (declared)\n"
        "error1.txt: fmt 1, server error 9, utf-8 (valid UTF-8)\n"
    )


def test_detect_ambiguous_fmt1_row(tmp_path: Path) -> None:
    path = write(tmp_path / "phones.txt", [Contact(phone="79161234567")], 1)
    assert run("detect", str(path)).stdout == (
        f"{path}: fmt 1, contact list or group list (ambiguous), 1 record, utf-8 (valid UTF-8)\n"
    )


def test_detect_given_charset_and_json(contacts_cp1251: Path) -> None:
    result = run("detect", "--json", "--charset", "koi8-r", str(contacts_cp1251))
    assert json.loads(result.stdout) == {
        "file": str(contacts_cp1251),
        "fmt": 1,
        "kind": "contact list",
        "types": ["contacts"],
        "charset": "koi8-r",
        "charset_source": "given",
        "records": 2,
        "problem": None,
    }


def test_detect_broken_file_exits_1(broken: Path, contacts0: Path) -> None:
    result = run("detect", str(contacts0), str(broken))
    assert result.exit_code == EXIT_FAILURE
    assert result.stdout.splitlines()[1] == (
        f"{broken}: fmt 0, unknown, utf-8 (valid UTF-8): not a reply of any kind: fmt 0: expected an"
        " integer for `id`, got '5x' - at $[1].id, byte 55 (line 2, column 6), near '5x, name = x, number = ,'"
    )


def test_detect_stdin() -> None:
    result = run("detect", "-", input=fmtcodec.encode(GROUPS, fmt=2))
    assert result.stdout == "<stdin>: fmt 2, group list, 2 records, utf-8 (declared)\n"


# --------------------------------------------------------------------------------------------
# decode


def test_decode_json(contacts0: Path) -> None:
    result = run("decode", "--type", "contacts", str(contacts0))
    assert result.exit_code == EXIT_OK
    assert json.loads(result.stdout) == [
        {
            "phone": "79161234567",
            "name": "Иван Петров",
            "group": "5",
            "first_name": "",
            "last_name": "",
            "middle_name": "",
            "birthday": "",
            "id": "",
            "comments": "VIP: звонить вечером",
            "tags": "",
            "phone_other": "",
        },
        {**dict.fromkeys(Contact.__struct_fields__, ""), "phone": "+7 (495) 123-45-67"},
    ]
    assert result.stdout.startswith('[\n  {\n    "phone": "79161234567",\n')


def test_decode_windows_1251_file(contacts_cp1251: Path) -> None:
    result = run("decode", "--type", "contacts", "--to", "ndjson", str(contacts_cp1251))
    assert result.exit_code == EXIT_OK
    first = json.loads(result.stdout.splitlines()[0])
    assert (first["name"], first["comments"]) == ("Иван Петров", "VIP: звонить вечером")


def test_decode_explicit_charset_wins(tmp_path: Path) -> None:
    path = write(tmp_path / "koi8.json", GROUPS, 3, "koi8-r")
    guessed = run("decode", "--type", "groups", "--to", "ndjson", str(path))
    given = run("decode", "--type", "groups", "--charset", "koi8-r", "--to", "ndjson", str(path))
    assert json.loads(guessed.stdout.splitlines()[0])["name"] != "Клиенты"  # read as windows-1251
    assert json.loads(given.stdout.splitlines()[0])["name"] == "Клиенты"


def test_decode_ndjson_and_csv(tmp_path: Path) -> None:
    path = write(tmp_path / "groups.xml", GROUPS, 2)
    ndjson = run("decode", "--type", "groups", "--to", "ndjson", str(path))
    assert ndjson.stdout == (
        '{"id":5,"name":"Клиенты","number":1234,"cnt":3}\n{"id":6,"name":"Новая","number":null,"cnt":null}\n'
    )
    csv = run("decode", "--type", "groups", "--fmt", "2", "--to", "csv", str(path))
    assert csv.stdout == "id,name,number,cnt\n5,Клиенты,1234,3\n6,Новая,,\n"


def test_decode_csv_quotes_commas(tmp_path: Path) -> None:
    path = write(tmp_path / "c.txt", [Contact(phone="1", name='Иван "Ваня"', comments="VIP, вечером")], 0)
    result = run("decode", "--type", "contacts", "--to", "csv", str(path))
    assert result.stdout.splitlines()[1] == '1,"Иван ""Ваня""",,,,,,,"VIP, вечером",,'


def test_decode_table(tmp_path: Path) -> None:
    path = write(tmp_path / "groups.txt", GROUPS, 0)
    result = run("decode", "--type", "groups", "--to", "table", str(path))
    assert result.exit_code == EXIT_OK
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert "┃ id ┃ name    ┃ number ┃ cnt ┃" in lines
    assert "│ 5  │ Клиенты │ 1234   │ 3   │" in lines
    assert "│ 6  │ Новая   │        │     │" in lines
    assert lines[0] == "groups.txt (groups): 2 records"


def test_decode_table_leaves_out_empty_columns(contacts0: Path) -> None:
    result = run("decode", "--type", "contacts", "--to", "table", str(contacts0))
    header = next(line for line in result.stdout.splitlines() if line.startswith("┃"))
    assert header.split() == ["┃", "phone", "┃", "name", "┃", "group", "┃", "comments", "┃"]
    assert result.stdout.splitlines()[-1] == (
        "empty in every record: first_name, last_name, middle_name, birthday, id, tags, phone_other"
    )


def test_decode_other_kinds(tmp_path: Path) -> None:
    created = write(tmp_path / "created.xml", Created(id=7, element="group"), 2)
    assert run("decode", "--type", "created", str(created)).stdout == (
        '{\n  "id": 7,\n  "element": "group"\n}\n'
    )
    ok = write(tmp_path / "ok.json", Ok(), 3)
    assert run("decode", "--type", "ok", "--to", "csv", str(ok)).stdout == "result\nOK\n"
    error = write(tmp_path / "error.txt", ERROR, 0)
    result = run("decode", "--type", "error", "--to", "csv", str(error))
    assert result.exit_code == EXIT_OK  # the error was asked for
    assert result.stdout == (
        f"error_code,error,meaning\n3,record not found,{ERROR.meaning}\n"
    )


def test_decode_server_error_exits_3(error2: Path) -> None:
    result = run("decode", "--type", "contacts", str(error2))
    assert result.exit_code == EXIT_SERVER_ERROR
    assert result.stdout == ""
    assert result.stderr == (
        f"fmtcodec: {error2}: server error 3 (record not found): {ERROR.meaning}\n"
        f"  ({ERROR.meaning_ru})\n"
    )


def test_decode_broken_file_is_one_line(broken: Path) -> None:
    result = run("decode", "--type", "groups", str(broken))
    assert result.exit_code == EXIT_FAILURE
    assert result.stdout == ""
    assert result.stderr == BROKEN_LINE.format(broken)


def test_decode_debug_raises(broken: Path) -> None:
    result = run("--debug", "decode", "--type", "groups", str(broken))
    assert result.exit_code == EXIT_FAILURE
    assert isinstance(result.exception, fmtcodec.DecodeError)


def test_decode_missing_file(tmp_path: Path) -> None:
    result = run("decode", "--type", "ok", str(tmp_path / "nope.txt"))
    assert result.exit_code == EXIT_FAILURE
    assert result.stderr == f"fmtcodec: {tmp_path / 'nope.txt'}: cannot read: No such file or directory\n"


def test_decode_stdin_to_stdout() -> None:
    data = fmtcodec.encode(GROUPS, fmt=1, charset="cp1251")
    for args in (["decode", "--type", "groups", "--to", "ndjson"], ["decode", "--type", "groups", "-", "--to", "ndjson"]):
        result = run(*args, input=data)
        assert result.exit_code == EXIT_OK
        assert [json.loads(line)["name"] for line in result.stdout.splitlines()] == ["Клиенты", "Новая"]


def test_decode_vectors_if_present() -> None:
    """Every ``canon-contacts-fmtN`` vector the vector engineer made decodes through the CLI."""
    found = sorted(VECTORS.glob("canon-contacts-fmt[0-3].*")) if VECTORS.is_dir() else []
    found = [path for path in found if not path.name.endswith(".expect.json")]
    if not found:
        pytest.skip("no canon-contacts vectors yet")
    for path in found:
        result = run("decode", "--type", "contacts", "--to", "ndjson", str(path))
        assert result.exit_code == EXIT_OK, result.stderr


# --------------------------------------------------------------------------------------------
# convert


@pytest.mark.parametrize("to_fmt", [0, 1, 2, 3])
def test_convert_round_trips(contacts0: Path, to_fmt: int) -> None:
    result = run("convert", "--type", "contacts", "--to-fmt", str(to_fmt), str(contacts0))
    assert result.exit_code == EXIT_OK, result.stderr
    assert result.stdout_bytes == fmtcodec.encode(CONTACTS, fmt=to_fmt)


def test_convert_keeps_the_input_charset(contacts_cp1251: Path) -> None:
    result = run("convert", "--type", "contacts", "--to-fmt", "2", str(contacts_cp1251))
    assert result.stdout_bytes == fmtcodec.encode(CONTACTS, fmt=2, charset="cp1251")
    utf8 = run("convert", "--type", "contacts", "--to-fmt", "2", "--to-charset", "utf-8", str(contacts_cp1251))
    assert utf8.stdout_bytes == fmtcodec.encode(CONTACTS, fmt=2)


def test_convert_refuses_what_the_charset_cannot_carry(tmp_path: Path) -> None:
    path = write(tmp_path / "c.json", [Contact(phone="1", name="€")], 3)
    result = run("convert", "--type", "contacts", "--to-fmt", "0", "--to-charset", "koi8-r", str(path))
    assert result.exit_code == EXIT_FAILURE
    assert result.stdout_bytes == b""
    assert result.stderr == (
        f"fmtcodec: {path}: fmt 0 cannot carry the value: character '€' (U+20AC) at character 18 of"
        " the reply cannot be written in koi8-r\n"
    )


def test_convert_created_to_fmt2_needs_element(tmp_path: Path) -> None:
    path = write(tmp_path / "created.txt", Created(id=42), 0)
    refused = run("convert", "--type", "created", "--to-fmt", "2", str(path))
    assert refused.exit_code == EXIT_FAILURE
    assert refused.stderr == (
        f"fmtcodec: {path}: fmt 2 cannot carry the value at $.element: fmt 2 wraps the id in <phone>"
        " (contact, blacklist entry), <group> or <mail>: set Created.element"
        " (here: pass --element phone|group|mail)\n"
    )
    done = run("convert", "--type", "created", "--to-fmt", "2", "--element", "group", str(path))
    assert done.exit_code == EXIT_OK
    assert done.stdout_bytes == fmtcodec.encode(Created(id=42, element="group"), fmt=2)


def test_convert_error_to_fmt1_needs_drop_description(error2: Path) -> None:
    refused = run("convert", "--type", "error", "--to-fmt", "1", str(error2))
    assert refused.exit_code == EXIT_FAILURE
    assert refused.stderr.endswith("(here: pass --drop-description to write the code alone)\n")
    assert "fmt 1 cannot carry the value at $.error" in refused.stderr
    done = run("convert", "--type", "error", "--to-fmt", "1", "--drop-description", str(error2))
    assert (done.exit_code, done.stdout_bytes) == (EXIT_OK, b"0,-3")


def test_convert_server_error_reply_where_records_asked(error2: Path) -> None:
    result = run("convert", "--type", "groups", "--to-fmt", "0", str(error2))
    assert result.exit_code == EXIT_SERVER_ERROR


def test_convert_options_for_other_types_are_usage_errors(contacts0: Path) -> None:
    result = run("convert", "--type", "contacts", "--to-fmt", "2", "--element", "group", str(contacts0))
    assert result.exit_code == EXIT_USAGE
    assert "--element applies to --type created only" in result.stderr
    result = run("convert", "--type", "contacts", "--to-fmt", "1", "--drop-description", str(contacts0))
    assert result.exit_code == EXIT_USAGE


def test_convert_stdin_to_stdout() -> None:
    data = fmtcodec.encode(GROUPS, fmt=3)
    result = run("convert", "--type", "groups", "--to-fmt", "0", input=data)
    assert result.stdout_bytes == fmtcodec.encode(GROUPS, fmt=0)


# --------------------------------------------------------------------------------------------
# validate


def test_validate_a_thousand_files(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    good = empty = 0
    for index in range(1000):
        folder = archive / f"day{index % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        fmt = index % 4
        name = folder / f"reply{index:04}.{['txt', 'csv', 'xml', 'json'][fmt]}"
        if index in (13, 503, 998):
            name.write_bytes({1: b"garbage,that is no reply", 3: b"phone = 1, nam", 2: b"<list><contact></list>"}[fmt])
        elif index in (100, 101):
            write(name, Error(error_code=2, error="authorise error"), 0)
        elif index == 700:
            write(name, Error(error_code=9), 1)
        else:
            contacts = [Contact(phone=f"7916{index:07}", name=f"Клиент {index}", group="5")] * (index % 3)
            write(name, contacts, fmt, "cp1251" if index % 5 == 0 else "utf-8")
            # an empty list is an empty body in fmt 0 and 1: counted as empty, not as ok
            if contacts or fmt in (2, 3):
                good += 1
            else:
                empty += 1
    (archive / "README.md").write_text("what this archive is\n")
    (archive / "day1" / "reply0001.expect.json").write_text("{}")
    (archive / ".hidden").write_text("not a reply")

    result = run("validate", "--type", "contacts", str(archive))

    assert result.exit_code == EXIT_FAILURE
    lines = result.stdout.splitlines()
    assert (good, empty) == (827, 167)
    assert lines[-1] == f"1000 files: {good} ok, {empty} empty, 3 failed, 2 server error 2, 1 server error 9"
    failures = sorted(line.replace(str(archive) + "/", "") for line in lines[:-1])
    assert failures == [
        "day4/reply0998.xml: fmt 2, byte 22, 1:23: malformed XML: Opening and ending tag mismatch:"
        " contact and list",
        "day6/reply0013.csv: fmt 1, byte 0, 1:1: the row does not split into the 11 fields of a contact"
        " (phone, name, group, first_name, last_name, middle_name, birthday, id, comments, tags,"
        " phone_other) at $[0]",
        "day6/reply0503.json: fmt 0, byte 8, 1:9: expected ', name = ' after `phone` at $[0].phone",
    ]


def test_validate_server_errors_alone_pass(tmp_path: Path, error2: Path, contacts0: Path) -> None:
    result = run("validate", "--type", "contacts", str(error2), str(contacts0))
    assert result.exit_code == EXIT_OK
    assert result.stdout == "2 files: 1 ok, 0 failed, 1 server error 3\n"


def test_validate_type_error_counts_error_replies_as_ok(error2: Path, contacts0: Path) -> None:
    result = run("validate", "--type", "error", str(error2), str(contacts0))
    assert result.exit_code == EXIT_FAILURE
    assert result.stdout == (
        f"{contacts0}: fmt 0, byte 0, 1:1: expected an error reply at $\n2 files: 1 ok, 1 failed\n"
    )




# --------------------------------------------------------------------------------------------
# real processes


def python_m(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "fmtcodec", *args], input=input, capture_output=True, check=False, timeout=60
    )


def test_python_m_decode_and_pipe(contacts0: Path, broken: Path) -> None:
    decoded = python_m("decode", "--type", "contacts", str(contacts0))
    assert decoded.returncode == EXIT_OK, decoded.stderr
    assert json.loads(decoded.stdout)[0]["name"] == "Иван Петров"

    # convert | decode, through real pipes, windows-1251 on the wire
    converted = python_m("convert", "--type", "contacts", "--to-fmt", "1", "--to-charset", "windows-1251", "-",
                         input=contacts0.read_bytes())
    assert converted.stdout == fmtcodec.encode(CONTACTS, fmt=1, charset="cp1251")
    piped = python_m("decode", "--type", "contacts", "--to", "ndjson", input=converted.stdout)
    assert [json.loads(line)["phone"] for line in piped.stdout.splitlines()] == [c.phone for c in CONTACTS]

    failed = python_m("decode", "--type", "groups", str(broken))
    assert failed.returncode == EXIT_FAILURE
    assert failed.stdout == b""
    assert failed.stderr.decode() == BROKEN_LINE.format(broken)
    assert b"Traceback" not in failed.stderr


def test_python_m_help_prog_name() -> None:
    result = python_m("--help")
    assert result.returncode == EXIT_OK
    assert result.stdout.startswith(b"Usage: fmtcodec [OPTIONS] COMMAND [ARGS]...")


def test_validate_progress_bar_keeps_stdout_clean(tmp_path: Path) -> None:
    for index in range(60):
        write(tmp_path / f"r{index}.json", GROUPS, 3)
    result = run("validate", "--type", "groups", "--progress", str(tmp_path))
    assert result.exit_code == EXIT_OK
    assert result.stdout == "60 files: 60 ok, 0 failed\n"


def test_unexpected_exception_is_one_line(monkeypatch: pytest.MonkeyPatch, contacts0: Path) -> None:
    from fmtcodec.cli import decode as decode_module

    def boom(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(decode_module, "decode", boom)
    result = run("decode", "--type", "contacts", str(contacts0))
    assert result.exit_code == EXIT_FAILURE
    assert result.stderr == "fmtcodec: internal error: RuntimeError: boom (run with --debug for the traceback)\n"
    assert isinstance(run("--debug", "decode", "--type", "contacts", str(contacts0)).exception, RuntimeError)


# --------------------------------------------------------------------------------------------
# the contract of docs/cli.md, each item through a real process (issue 9)


def console_script() -> str:
    """The ``fmtcodec`` script pip installed next to this Python."""
    return str(Path(sys.executable).with_name("fmtcodec"))


def test_validate_reads_stdin() -> None:
    good = python_m("validate", "--type", "groups", "-", input=fmtcodec.encode(GROUPS, fmt=3))
    assert (good.returncode, good.stdout, good.stderr) == (EXIT_OK, b"1 file: 1 ok, 0 failed\n", b"")

    broken = python_m("validate", "--type", "groups", "-", input=b'[{"id": "x"}]')
    assert broken.returncode == EXIT_FAILURE
    assert broken.stdout.decode() == (
        "<stdin>: fmt 3, byte 8, 1:9: expected an integer for `id`, got 'x' at $[0].id\n1 file: 0 ok, 1 failed\n"
    )


def test_validate_goes_on_past_a_file_it_cannot_read(tmp_path: Path, broken: Path) -> None:
    good = write(tmp_path / "a.json", GROUPS, 3)
    missing = tmp_path / "missing.json"
    result = python_m("validate", "--type", "groups", str(good), str(missing), str(broken))
    assert result.returncode == EXIT_FAILURE
    assert result.stderr == b""
    assert result.stdout.decode() == (
        f"{missing}: cannot read: No such file or directory\n"
        f"{broken}: fmt 0, byte 55, 2:6: expected an integer for `id`, got '5x' at $[1].id\n"
        "3 files: 1 ok, 2 failed\n"
    )


def test_detect_goes_on_past_a_file_it_cannot_read(tmp_path: Path, contacts0: Path) -> None:
    missing = tmp_path / "missing.txt"
    result = python_m("detect", str(missing), str(contacts0))
    assert result.returncode == EXIT_FAILURE
    assert result.stderr.decode() == f"fmtcodec: {missing}: cannot read: No such file or directory\n"
    assert result.stdout.decode() == f"{contacts0}: fmt 0, contact list, 2 records, utf-8 (valid UTF-8)\n"


@pytest.mark.parametrize("how", ["console script", "python -m"])
def test_without_the_cli_extra_one_line_says_what_to_install(tmp_path: Path, how: str) -> None:
    # click is made to be missing: a package of that name that is not there.
    fake = tmp_path / "site" / "click"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise ModuleNotFoundError("No module named \'click\'", name="click")\n')
    command = [console_script()] if how == "console script" else [sys.executable, "-m", "fmtcodec"]
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    result = subprocess.run([*command, "--help"], env=env, capture_output=True, check=False, timeout=60)
    assert result.returncode == EXIT_FAILURE
    assert result.stdout == b""
    assert result.stderr.decode() == "fmtcodec: the command line needs click: pip install 'fmtcodec[cli]'\n"


def test_validate_progress_draws_the_bar_when_stderr_is_no_terminal(tmp_path: Path) -> None:
    for index in range(3):
        write(tmp_path / f"r{index}.json", GROUPS, 3)
    result = python_m("validate", "--type", "groups", "--progress", str(tmp_path))
    assert result.returncode == EXIT_OK
    assert result.stdout == b"3 files: 3 ok, 0 failed\n"
    shown = result.stderr.decode()
    assert "validating" in shown
    assert "3/3" in shown


def test_an_empty_reply_is_said_on_stderr(tmp_path: Path, contacts0: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b"\n")

    decoded = python_m("decode", "--type", "contacts", str(empty))
    assert (decoded.returncode, decoded.stdout) == (EXIT_OK, b"[]\n")
    assert decoded.stderr.decode() == f"fmtcodec: {empty}: empty reply (no bytes): read as an empty list\n"

    detected = python_m("detect", str(empty), str(blank))
    assert detected.returncode == EXIT_OK
    assert detected.stdout.decode() == (
        f"{empty}: fmt 0, list (empty), 0 records, utf-8 (valid UTF-8)\n"
        f"{blank}: fmt 0, list (empty), 0 records, utf-8 (valid UTF-8)\n"
    )
    assert detected.stderr.decode() == (
        f"fmtcodec: {empty}: empty reply (no bytes)\nfmtcodec: {blank}: empty reply (1 byte of whitespace)\n"
    )

    validated = python_m("validate", "--type", "contacts", str(empty), str(blank), str(contacts0))
    assert validated.returncode == EXIT_OK
    assert validated.stdout == b"3 files: 1 ok, 2 empty, 0 failed\n"


def test_reading_stdin_from_a_terminal_is_said() -> None:
    import pty

    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "fmtcodec", "decode", "--type", "ok"],
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        os.close(terminal)
        os.write(controller, b"OK\n\x04")  # a line, then Ctrl-D
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(controller)
    assert process.returncode == EXIT_OK
    assert stderr.decode() == "fmtcodec: reading the reply from stdin (end it with Ctrl-D; see --help)\n"
    assert stdout == b"{}\n"


def test_no_notice_when_stdin_is_a_pipe() -> None:
    result = python_m("decode", "--type", "ok", input=b"OK")
    assert (result.returncode, result.stdout, result.stderr) == (EXIT_OK, b"{}\n", b"")


BUILT = importlib.util.find_spec("fmtcodec._speedups") is not None
"""The compiled core was built for this Python (it is in use unless FMTCODEC_PURE is set)."""


@pytest.mark.parametrize("pure", ["", "1"])
def test_version_says_whether_the_compiled_core_is_in_use(pure: str) -> None:
    env = {key: value for key, value in os.environ.items() if key != "FMTCODEC_PURE"}
    if pure:
        env["FMTCODEC_PURE"] = pure
    result = subprocess.run([console_script(), "--version"], env=env, capture_output=True, check=True, timeout=60)
    if BUILT and not pure:
        core = "compiled core: yes"
    elif BUILT:
        core = "compiled core: no \N{EM DASH} pure Python, FMTCODEC_PURE is set"
    else:
        core = "compiled core: no \N{EM DASH} pure Python"
    assert result.stdout.decode() == f"fmtcodec {fmtcodec.__version__} ({core})\n"


@pytest.mark.parametrize("pure", ["", "1"])
def test_version_without_a_built_core_says_pure_python(monkeypatch: pytest.MonkeyPatch, pure: str) -> None:
    from fmtcodec.cli import app

    monkeypatch.setattr(app._core, "COMPILED", False)
    monkeypatch.setattr(app.importlib.util, "find_spec", lambda _name: None)
    monkeypatch.setenv("FMTCODEC_PURE", pure)
    assert app.version_line() == f"fmtcodec {fmtcodec.__version__} (compiled core: no \N{EM DASH} pure Python)"


# --------------------------------------------------------------------------------------------
# commands of optional modules (fmtcodec.cli.app.OPTIONAL_COMMANDS)


def test_an_optional_command_is_loaded_only_when_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from fmtcodec.cli import app

    (tmp_path / "fmtcodec_test_plugin.py").write_text(
        "import click\n\n@click.command()\n@click.argument('who')\ndef hello(who):\n"
        "    '''Say hello.'''\n    click.echo(f'hello {who}')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(app.OPTIONAL_COMMANDS, "hello", app.OptionalCommand("fmtcodec_test_plugin:hello", "kit", "Say hello."))
    monkeypatch.setitem(app.OPTIONAL_COMMANDS, "gone", app.OptionalCommand("fmtcodec_no_such_module:gone", "kit", "Not here."))

    listed = run("--help")
    assert "  hello     Say hello.\n" in listed.stdout
    assert "  gone      Not here.\n" in listed.stdout
    assert "fmtcodec_test_plugin" not in sys.modules  # listing does not import it

    said = run("hello", "world")
    assert (said.exit_code, said.stdout) == (EXIT_OK, "hello world\n")

    missing = run("gone", "--anything")
    assert missing.exit_code == EXIT_FAILURE
    assert missing.stderr == "fmtcodec: gone needs fmtcodec_no_such_module: pip install 'fmtcodec[kit]'\n"


def test_a_missing_rich_is_one_line(tmp_path: Path, contacts0: Path) -> None:
    fake = tmp_path / "site" / "rich"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text('raise ModuleNotFoundError("No module named \'rich\'", name="rich")\n')
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    command = [sys.executable, "-m", "fmtcodec", "decode", "--type", "contacts", "--to", "table", str(contacts0)]
    result = subprocess.run(command, env=env, capture_output=True, check=False, timeout=60)
    assert (result.returncode, result.stdout) == (EXIT_FAILURE, b"")
    assert result.stderr.decode() == "fmtcodec: this needs rich: pip install 'fmtcodec[cli]'\n"


# --------------------------------------------------------------------------------------------
# a directory where a file was expected, a folder with nothing in it (issue 15, item 10)


def test_decode_and_convert_of_a_directory_is_one_line_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    for command in (["decode", "--type", "contacts"], ["convert", "--type", "contacts", "--to-fmt", "3"]):
        result = python_m(*command, str(folder))
        assert (result.returncode, result.stdout) == (EXIT_FAILURE, b"")
        assert result.stderr.decode() == f"fmtcodec: {folder}: cannot read: Is a directory\n"


def test_detect_goes_on_past_a_directory(tmp_path: Path) -> None:
    folder = tmp_path / "adir"
    folder.mkdir()
    good = write(tmp_path / "good.json", GROUPS, 3)
    result = python_m("detect", str(folder), str(good))
    assert result.returncode == EXIT_FAILURE
    assert result.stderr.decode() == f"fmtcodec: {folder}: cannot read: Is a directory\n"
    assert result.stdout.decode() == f"{good}: fmt 3, group list, 2 records, utf-8 (valid UTF-8)\n"


def test_validate_of_a_folder_without_files_says_so_and_fails(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    (empty / "sub").mkdir(parents=True)
    result = python_m("validate", "--type", "contacts", str(empty))
    assert (result.returncode, result.stdout) == (EXIT_FAILURE, b"")
    assert result.stderr.decode() == f"fmtcodec: nothing to validate: no files in {empty}\n"


def test_validate_says_what_it_skipped_when_nothing_is_left(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "README.md").write_text("about these replies\n")
    (second / ".hidden.txt").write_bytes(b"OK")
    (second / "a.expect.json").write_bytes(b"{}")
    result = python_m("validate", "--type", "ok", str(first), str(second))
    assert (result.returncode, result.stdout) == (EXIT_FAILURE, b"")
    assert result.stderr.decode() == (
        f"fmtcodec: nothing to validate: no files in {first}, {second}"
        " (3 skipped: hidden files or directories, README files, *.expect.json manifests)\n"
    )


def test_validate_of_a_folder_with_one_reply_still_passes(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("about these replies\n")
    write(tmp_path / "one.json", GROUPS, 3)
    result = python_m("validate", "--type", "groups", str(tmp_path))
    assert (result.returncode, result.stdout, result.stderr) == (EXIT_OK, b"1 file: 1 ok, 0 failed\n", b"")
