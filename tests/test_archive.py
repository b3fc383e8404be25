"""``fmtcodec archive`` and ``fmtcodec.archive``: a folder of replies into one table and an error
table, every reply accounted for.  Skipped without pyarrow (.ci/run has a step that installs it).
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import msgspec
import pytest

pa = pytest.importorskip("pyarrow")

import pyarrow.csv  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
from click.testing import CliRunner  # noqa: E402

import fmtcodec  # noqa: E402
from fmtcodec import Contact, Created, Error, Group  # noqa: E402
from fmtcodec.archive import ERROR_SCHEMA, Archiver, Settings, TableWriter, archive_files, walk  # noqa: E402
from fmtcodec.cli import cli  # noqa: E402
from fmtcodec.columnar import schema  # noqa: E402

EXT = {0: "txt", 1: "csv", 2: "xml", 3: "json"}
MEANING_9 = (
    "More than three identical requests on groups, contacts or blacklist entries within a minute, or fifteen or"
    " more concurrent requests under one login."
)


def _groups(month: int, index: int) -> list[Group]:
    return [
        Group(id=month * 1000 + index * 2, name=f"Клиенты, {month}/{index}", number=index or None),
        Group(id=month * 1000 + index * 2 + 1, name="Рассылка", cnt=index),
    ]


def _error_row(source, problem, message, **found):
    row = dict.fromkeys(ERROR_SCHEMA.names)
    row.update(source=source, problem=problem, message=message, rows=0, **found)
    return row


@pytest.fixture
def archive(tmp_path, monkeypatch):
    """An archive of group lists in every fmt and charset, plain and gzip, with a broken reply, a
    server error reply in two fmts, an empty body, a truncated gzip, and files to skip."""
    monkeypatch.chdir(tmp_path)
    files: dict[str, bytes] = {}
    for month in (1, 2):
        for index in range(8):
            fmt = index % 4
            charset = "windows-1251" if index % 3 == 0 else "utf-8"
            files[f"archive/2024-0{month}/groups-{index}.{EXT[fmt]}"] = fmtcodec.encode(
                _groups(month, index), fmt=fmt, charset=charset
            )
    files["archive/2024-01/groups-3.json.gz"] = gzip.compress(files.pop("archive/2024-01/groups-3.json"))
    files["archive/2024-02/groups-broken.txt"] = b"id = 7, name = a, number = , cnt = \nid = 7x, name = b, number = , cnt = "
    files["archive/2024-02/groups-busy.csv"] = fmtcodec.encode(Error(error_code=9), fmt=1)
    files["archive/2024-02/groups-busy.xml"] = fmtcodec.encode(Error(error_code=9, error="too many requests"), fmt=2)
    files["archive/2024-02/groups-empty.txt"] = b" \n"
    files["archive/2024-02/groups-truncated.gz"] = gzip.compress(fmtcodec.encode(_groups(9, 9), fmt=3))[:-12]
    files["archive/2024-02/.hidden.json"] = b"not read"
    files["archive/README.md"] = b"not read"
    for name, data in files.items():
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_bytes(data)
    return tmp_path


def _expected_rows() -> list[dict]:
    rows = []
    for month in (1, 2):
        for index in range(8):
            name = f"archive/2024-0{month}/groups-{index}.{EXT[index % 4]}"
            name += ".gz" if (month, index) == (1, 3) else ""
            for at, group in enumerate(_groups(month, index)):
                rows.append({**msgspec.structs.asdict(group), "source": name, "source_index": at})
    return rows


EXPECTED_ERRORS = [
    _error_row("archive/2024-02/groups-broken.txt", "decode error", "expected an integer for `id`, got '7x'",
               fmt=0, byte=41, line=2, column=6, path="$[1].id"),
    _error_row("archive/2024-02/groups-busy.csv", "server error", "", fmt=1, error_code=9, meaning=MEANING_9),
    _error_row("archive/2024-02/groups-busy.xml", "server error", "too many requests", fmt=2, error_code=9,
               meaning=MEANING_9),
    _error_row("archive/2024-02/groups-empty.txt", "empty", "empty reply (2 bytes of whitespace)"),
    _error_row("archive/2024-02/groups-truncated.gz", "unreadable",
               "cannot read: Compressed file ended before the end-of-stream marker was reached"),
]


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def _sorted_by_source(rows):
    return sorted(rows, key=lambda row: (row["source"], row.get("source_index", 0)))


def test_archive_to_parquet(archive):
    result = run("archive", "--type", "groups", "--to", "groups.parquet", "archive")
    assert result.exit_code == 1, result.output
    assert result.stdout == (
        "21 replies: 16 decoded (32 rows), 2 failed, 2 server error 9, 1 empty\n"
        "groups.parquet: 32 rows; groups.errors.parquet: 5 rows (21 = 16 decoded + 5 in the error table)\n"
    )
    table = pq.read_table("groups.parquet")
    assert table.schema == schema("groups", source=True)
    assert table.to_pylist() == _sorted_by_source(_expected_rows())  # the walk is in name order
    errors = pq.read_table("groups.errors.parquet")
    assert errors.schema == ERROR_SCHEMA
    assert errors.to_pylist() == EXPECTED_ERRORS


def test_the_walk_skips_hidden_files_and_readmes_and_sorts(archive):
    files = list(walk(["archive"]))
    assert len(files) == 21
    assert files[:3] == ["archive/2024-01/groups-0.txt", "archive/2024-01/groups-1.csv", "archive/2024-01/groups-2.xml"]
    assert not [name for name in files if "README" in name or ".hidden" in name]


def test_a_clean_archive_exits_0(archive):
    result = run("archive", "--type", "groups", "--to", "jan.parquet", "archive/2024-01")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "8 replies: 8 decoded (16 rows), 0 failed"


@pytest.mark.parametrize("format", ["arrow", "csv", "jsonl"])
def test_the_other_formats_hold_the_same_rows(archive, format):
    result = run("archive", "--type", "groups", "--to", f"groups.{format}", "archive")
    assert result.exit_code == 1, result.output
    if format == "arrow":
        with pa.ipc.open_file(f"groups.{format}") as reader:
            table = reader.read_all()
        with pa.ipc.open_file("groups.errors.arrow") as reader:
            errors = reader.read_all().to_pylist()
        assert table.schema == schema("groups", source=True)
        rows = table.to_pylist()
    elif format == "csv":
        rows = pyarrow.csv.read_csv(
            "groups.csv", convert_options=pyarrow.csv.ConvertOptions(column_types=schema("groups", source=True))
        ).to_pylist()
        errors = pyarrow.csv.read_csv(
            "groups.errors.csv", convert_options=pyarrow.csv.ConvertOptions(column_types=ERROR_SCHEMA,
                                                                            strings_can_be_null=True)
        ).to_pylist()
        for row in errors:  # CSV cannot tell an empty text from a missing one
            row["message"] = row["message"] or ""
    else:
        rows = [json.loads(line) for line in Path("groups.jsonl").read_text("utf-8").splitlines()]
        errors = [json.loads(line) for line in Path("groups.errors.jsonl").read_text("utf-8").splitlines()]
    assert rows == _sorted_by_source(_expected_rows())
    assert errors == EXPECTED_ERRORS


def test_jobs_give_the_same_tables(archive):
    assert run("archive", "--type", "groups", "--to", "one.parquet", "archive").exit_code == 1
    result = run("archive", "--type", "groups", "--to", "two.parquet", "--jobs", "2", "archive")
    assert result.exit_code == 1, result.output
    assert pq.read_table("two.parquet").equals(pq.read_table("one.parquet"))
    assert pq.read_table("two.errors.parquet").equals(pq.read_table("one.errors.parquet"))
    assert result.stdout.splitlines()[0] == "21 replies: 16 decoded (32 rows), 2 failed, 2 server error 9, 1 empty"


def test_jobs_cut_the_archive_into_runs_and_large_files_alone(archive, monkeypatch):
    from fmtcodec import archive as module

    monkeypatch.setattr(module, "TASK_FILES", 3)
    monkeypatch.setattr(module, "TASK_BYTES", 800)
    big = Path("archive/2024-01/groups-0.txt")
    big.write_bytes(fmtcodec.encode(_groups(1, 0) * 10, fmt=0))  # past TASK_BYTES
    units = list(module._units(list(walk(["archive/2024-01"]))))
    assert [(in_worker, [Path(name).name for name in names]) for in_worker, names in units] == [
        (False, ["groups-0.txt"]),
        (True, ["groups-1.csv", "groups-2.xml", "groups-3.json.gz"]),
        (True, ["groups-4.txt", "groups-5.csv", "groups-6.xml"]),
        (True, ["groups-7.json"]),
    ]


def test_usage_errors(archive):
    result = run("archive", "--type", "groups", "--to", "groups.xlsx", "archive")
    assert result.exit_code == 2
    assert ("cannot tell the format from 'groups.xlsx': name it .parquet, .arrow, .csv or .jsonl, or give --format"
            in result.stderr)
    result = run("archive", "--type", "groups", "--to", "a.csv", "--errors", "a.csv", "archive")
    assert result.exit_code == 2
    assert "--errors names the same file as --to" in result.stderr
    result = run("archive", "--type", "groups", "--to", "g.out", "--format", "csv", "--errors", "bad.csv", "archive")
    assert result.exit_code == 1
    assert Path("g.out").read_text("utf-8").startswith('"id","name","number","cnt","source","source_index"\n')
    assert Path("bad.csv").exists()


def test_single_record_kinds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("created").mkdir()
    for fmt in range(4):
        Path(f"created/{fmt}.{EXT[fmt]}").write_bytes(fmtcodec.encode(Created(id=100 + fmt, element="group"), fmt=fmt))
    Path("created/error.json").write_bytes(fmtcodec.encode(Error(error_code=1, error="bad parameter"), fmt=3))
    result = run("archive", "--type", "created", "--to", "created.parquet", "created")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "5 replies: 4 decoded (4 rows), 0 failed, 1 server error 1"
    assert pq.read_table("created.parquet").to_pylist() == [
        {"id": 100 + fmt, "element": "group" if fmt == 2 else None, "source": f"created/{fmt}.{EXT[fmt]}",
         "source_index": 0}
        for fmt in range(4)
    ]
    assert pq.read_table("created.errors.parquet").column("message").to_pylist() == ["bad parameter"]
    # --type error: error replies are the rows
    result = run("archive", "--type", "error", "--to", "errors-only.parquet", "created")
    assert result.exit_code == 1
    assert pq.read_table("errors-only.parquet").to_pylist() == [
        {"error_code": 1, "error": "bad parameter", "id": None, "source": "created/error.json", "source_index": 0}
    ]
    assert pq.read_table("errors-only.errors.parquet").column("message").to_pylist() == ["expected an error reply"] * 4


# --------------------------------------------------------------------------------------------
# the Archiver: streamed files, values the table cannot hold


def _archiver_run(paths, **settings):
    archiver = Archiver("groups", **settings)
    batches = []
    for path in paths:
        batches += list(archiver.read(path))
    batches += list(archiver.finish())
    return archiver, batches


def test_a_streamed_reply_that_breaks_keeps_the_batches_before_the_break(tmp_path):
    groups = [Group(id=index, name=f"g{index}") for index in range(250)]
    path = tmp_path / "big.txt"
    path.write_bytes(fmtcodec.encode(groups, fmt=0).replace(b"id = 230,", b"id = 2x0,"))
    archiver, batches = _archiver_run([str(path)], batch_size=100, read_size=512)
    assert [batch.num_rows for batch in batches] == [100, 100]
    assert pa.Table.from_batches(batches).column("id").to_pylist() == list(range(200))
    (error,) = archiver.take_errors()
    assert (error["problem"], error["path"], error["rows"], error["line"]) == ("decode error", "$[230].id", 200, 231)
    assert archiver.tally.check(200, 1) is None
    assert archiver.tally.summary() == "1 reply: 0 decoded (200 rows), 1 failed"


def test_a_streamed_reply_gives_the_rows_a_whole_one_gives(tmp_path):
    groups = [Group(id=index, name=f"Группа {index}", number=index % 3 or None) for index in range(1000)]
    for fmt in range(4):
        path = tmp_path / f"big.{fmt}"
        path.write_bytes(fmtcodec.encode(groups, fmt=fmt, charset="windows-1251"))
        _, streamed = _archiver_run([str(path)], batch_size=300, read_size=1000)
        _, whole = _archiver_run([str(path)], batch_size=300)
        assert pa.Table.from_batches(streamed).equals(pa.Table.from_batches(whole))
        assert pa.Table.from_batches(streamed).num_rows == 1000


def test_an_id_past_int64_makes_its_reply_an_error_row(tmp_path):
    small = tmp_path / "a.txt"
    small.write_bytes(fmtcodec.encode([Group(id=1), Group(id=1 << 64)], fmt=0))
    clean = tmp_path / "b.txt"
    clean.write_bytes(fmtcodec.encode([Group(id=2), Group(id=3)], fmt=0))
    # read to the end before the batch fills: refused when the batch is built, after both files
    archiver, batches = _archiver_run([str(small), str(clean)], batch_size=100)
    assert pa.Table.from_batches(batches).column("id").to_pylist() == [2, 3]
    (error,) = archiver.take_errors()
    assert error == _error_row(str(small), "value", "`id` = 18446744073709551616 does not fit a 64-bit integer column",
                               path="$[1].id")
    assert archiver.tally.summary() == "2 replies: 1 decoded (2 rows), 1 failed"
    assert archiver.tally.check(2, 1) is None
    # a batch fills inside the reply: the reply stops there, the others' records go on
    third = tmp_path / "c.txt"
    third.write_bytes(fmtcodec.encode([Group(id=1), Group(id=1 << 64), Group(id=5)], fmt=0))
    archiver, batches = _archiver_run([str(clean), str(third)], batch_size=4)
    assert pa.Table.from_batches(batches).column("id").to_pylist() == [2, 3]
    (error,) = archiver.take_errors()
    assert (error["source"], error["problem"], error["path"], error["rows"]) == (str(third), "value", "$[1].id", 0)
    assert archiver.tally.summary() == "2 replies: 1 decoded (2 rows), 1 failed"
    assert archiver.tally.check(2, 1) is None


def test_writers_write_row_groups_of_the_batch_size(tmp_path):
    settings = Settings("groups", batch_size=5)
    table = TableWriter(str(tmp_path / "g.parquet"), settings.archiver().schema, "parquet", row_group_size=5)
    errors = TableWriter(str(tmp_path / "e.parquet"), ERROR_SCHEMA, "parquet")
    paths = []
    for index in range(6):
        path = tmp_path / f"{index}.json"
        path.write_bytes(fmtcodec.encode(_groups(1, index), fmt=3))
        paths.append(str(path))
    tally = archive_files(paths, settings, table, errors)
    table.close()
    errors.close()
    assert tally.check(table.rows, errors.rows) is None
    metadata = pq.ParquetFile(tmp_path / "g.parquet").metadata
    assert [metadata.row_group(index).num_rows for index in range(metadata.num_row_groups)] == [5, 5, 2]


def test_duckdb_reads_the_table_back(archive):
    duckdb = pytest.importorskip("duckdb")
    assert run("archive", "--type", "groups", "--to", "groups.parquet", "archive").exit_code == 1
    assert duckdb.sql("SELECT count(*), sum(cnt), count(number) FROM 'groups.parquet'").fetchall() == [(32, 56, 14)]
    assert duckdb.sql(
        "SELECT source, line, \"column\", path FROM 'groups.errors.parquet' WHERE problem = 'decode error'"
    ).fetchall() == [("archive/2024-02/groups-broken.txt", 2, 6, "$[1].id")]
    assert [row[:2] for row in duckdb.sql("DESCRIBE SELECT * FROM 'groups.parquet'").fetchall()] == [
        ("id", "BIGINT"), ("name", "VARCHAR"), ("number", "BIGINT"), ("cnt", "BIGINT"), ("source", "VARCHAR"),
        ("source_index", "BIGINT"),
    ]


def test_contacts_of_spec_vectors(tmp_path):
    """The issue's example: the vectors as an archive.  Where a manifest leaves fmt and charset to
    detection, the refused vectors are listed at the places their manifests give, and the others'
    rows are the records their manifests list."""
    vectors = Path(__file__).resolve().parent.parent / "spec" / "vectors"
    result = run("archive", "--type", "contacts", "--to", str(tmp_path / "contacts.parquet"), str(vectors))
    assert result.exit_code == 1
    errors = {Path(row["source"]).name: row for row in pq.read_table(tmp_path / "contacts.errors.parquet").to_pylist()}
    rows: dict[str, list] = {}
    for row in pq.read_table(tmp_path / "contacts.parquet").to_pylist():
        rows.setdefault(Path(row.pop("source")).name, []).append(row)
    checked = 0
    for manifest_path in sorted(vectors.glob("*.expect.json")):
        manifest = json.loads(manifest_path.read_text("utf-8"))
        if manifest["type"] != "contacts" or manifest["charset"] is not None or not manifest.get("detect"):
            continue
        name = f"{manifest_path.name.removesuffix('.expect.json')}.{ {0: 'txt', 1: 'txt', 2: 'xml', 3: 'json'}[manifest['fmt']]}"
        if "decode_error" in manifest:
            want = manifest["decode_error"]
            got = errors[name]
            assert (got["fmt"], got["byte"], got["line"], got["column"], got["path"]) == (
                manifest["fmt"], want["pos"], want["line"], want["column"], want["path"]
            ), name
        elif "expect" in manifest:
            assert [{key: value for key, value in row.items() if key != "source_index"} for row in rows.get(name, [])] == manifest["expect"], name
        else:
            assert errors[name]["error_code"] == manifest["api_error"]["code"], name
        checked += 1
    assert checked >= 5
    replies, decoded = (int(word) for word in result.stdout.split()[0:3:2])
    assert replies == len(list(walk([str(vectors)])))
    assert replies == decoded + len(errors)


def test_contact_text_survives_every_fmt(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    contacts = [Contact(phone="79161234567", name="Иванов, Пётр", comments="VIP; «Ромашка» & Co"),
                Contact(phone="+7 (495) 123-45-67", birthday="01.01.1960")]
    Path("c").mkdir()
    for fmt in range(4):
        Path(f"c/{fmt}.{EXT[fmt]}").write_bytes(fmtcodec.encode(contacts, fmt=fmt, charset="windows-1251"))
    assert run("archive", "--type", "contacts", "--to", "c.parquet", "c").exit_code == 0
    rows = pq.read_table("c.parquet").drop_columns(["source", "source_index"]).to_pylist()
    assert rows == [msgspec.structs.asdict(contact) for contact in contacts] * 4


def test_a_damaged_gzip_and_a_name_that_is_no_utf8(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("a").mkdir()
    packed = bytearray(gzip.compress(fmtcodec.encode(_groups(1, 1) * 50, fmt=3)))
    packed[40:60] = b"\xff" * 20
    Path("a/damaged.json.gz").write_bytes(bytes(packed))
    odd = os.fsdecode(b"a/caf\xe9.json")
    Path(odd).write_bytes(fmtcodec.encode(_groups(1, 2), fmt=3))
    result = run("archive", "--type", "groups", "--to", "g.parquet", "a")
    assert result.exit_code == 1, result.output
    assert pq.read_table("g.parquet").column("source").to_pylist() == ["a/caf\\xe9.json"] * 2
    (error,) = pq.read_table("g.errors.parquet").to_pylist()
    assert (error["source"], error["problem"]) == ("a/damaged.json.gz", "unreadable")
    assert error["message"].startswith("cannot read: Error -3 while decompressing data")


def test_a_run_again_over_its_own_folder_does_not_read_its_tables(archive):
    for _ in range(2):
        result = run("archive", "--type", "groups", "--to", "archive/groups.parquet", "archive")
        assert result.stdout.splitlines()[0] == "21 replies: 16 decoded (32 rows), 2 failed, 2 server error 9, 1 empty"


def test_the_progress_bar_is_drawn_on_stderr_when_asked(archive):
    result = run("archive", "--type", "groups", "--to", "g.parquet", "--progress", "archive")
    assert "archiving" in result.stderr
    assert "21/21" in result.stderr
    assert "archiving" not in run("archive", "--type", "groups", "--to", "g.parquet", "archive").stderr


def test_archive_help_fits_80_columns_in_any_terminal():
    import subprocess
    import sys

    def at(columns: str) -> str:
        env = {**os.environ, "COLUMNS": columns}
        return subprocess.run([sys.executable, "-m", "fmtcodec", "archive", "--help"], env=env, capture_output=True,
                              check=True, timeout=60, text=True).stdout

    shown = at("80")
    assert at("200") == shown
    assert max(len(line) for line in shown.splitlines()) <= 80
    assert shown.startswith("Usage: fmtcodec archive [OPTIONS] PATHS...\n")
