"""The Dask path (fmtcodec.archive_dask) in Dask's local mode, against ``fmtcodec archive`` on the
same files, row for row.  Skipped without dask (``pip install 'fmtcodec[dask]'``; .ci/run has a
step that installs it)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("dask.dataframe")
pa = pytest.importorskip("pyarrow")

import pyarrow.parquet as pq  # noqa: E402
from click.testing import CliRunner  # noqa: E402

import fmtcodec  # noqa: E402
from fmtcodec import Contact, Error  # noqa: E402
from fmtcodec.archive import ERROR_SCHEMA  # noqa: E402
from fmtcodec.archive_dask import errors_frame, partitions, records_frame, write_dataset  # noqa: E402
from fmtcodec.cli import cli  # noqa: E402
from fmtcodec.columnar import schema  # noqa: E402

EXT = {0: "txt", 1: "csv", 2: "xml", 3: "json"}


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """60 contact lists in every fmt, in three folders, with two broken replies, a server error
    and an empty body; and what ``fmtcodec archive`` makes of it.  (An empty list in fmt 0 or 1
    is an empty body too: counted as empty, as ``validate`` counts it.)"""
    root = tmp_path_factory.mktemp("dask")
    for index in range(60):
        fmt = index % 4
        contacts = [
            Contact(phone=f"7916{index:07}", name=f"Клиент {index}, {row}", group=str(5920 + fmt), birthday="01.02.1990")
            for row in range(index % 5)
        ]
        path = root / "archive" / f"m{index % 3}" / f"c{index:03}.{EXT[fmt]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(fmtcodec.encode(contacts, fmt=fmt, charset="windows-1251" if index % 2 else "utf-8"))
    (root / "archive/m0/broken.json").write_bytes(b'[{"phone": "1", "mail": "x"}]')
    (root / "archive/m1/broken.txt").write_bytes(b"phone = 1, nam = x")
    (root / "archive/m2/busy.xml").write_bytes(fmtcodec.encode(Error(error_code=9), fmt=2))
    (root / "archive/m2/empty.txt").write_bytes(b"")
    result = CliRunner().invoke(
        cli, ["archive", "--type", "contacts", "--to", str(root / "single.parquet"), str(root / "archive")]
    )
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[0] == "64 replies: 54 decoded (120 rows), 2 failed, 1 server error 9, 7 empty"
    return root


def test_partitions_follow_the_archive_order(archive):
    parts = partitions([str(archive / "archive")], 7)
    assert [len(part) for part in parts] == [7] * 9 + [1]
    assert [Path(name).name for name in parts[0][:3]] == ["broken.json", "c000.txt", "c003.json"]


def test_write_dataset_on_local_processes_equals_the_single_machine_table(archive):
    to = archive / "dataset"
    tally = write_dataset([str(archive / "archive")], "contacts", str(to), files_per_partition=16,
                          scheduler="processes")
    assert tally.summary() == "64 replies: 54 decoded (120 rows), 2 failed, 1 server error 9, 7 empty"
    assert sorted(path.name for path in (to / "records").iterdir()) == [f"part-0000{index}.parquet" for index in range(4)]
    single = pq.read_table(archive / "single.parquet")
    # the parts in name order are the archive's order: the same rows, row for row
    parts = [pq.read_table(path) for path in sorted((to / "records").iterdir())]
    assert pa.concat_tables(parts).equals(single)
    errors = pa.concat_tables([pq.read_table(path) for path in sorted((to / "errors").iterdir())])
    assert errors.schema == ERROR_SCHEMA
    assert errors.equals(pq.read_table(archive / "single.errors.parquet"))


def test_dask_dataframes_equal_the_single_machine_tables(archive):
    frame = records_frame([str(archive / "archive")], "contacts", files_per_partition=10)
    assert frame.npartitions == 7
    computed = pa.Table.from_pandas(frame.compute(scheduler="threads"), preserve_index=False)
    assert computed.cast(schema("contacts", source=True)).equals(pq.read_table(archive / "single.parquet"))
    errors = pa.Table.from_pandas(errors_frame([str(archive / "archive")], "contacts").compute(), preserve_index=False)
    assert errors.cast(ERROR_SCHEMA).equals(pq.read_table(archive / "single.errors.parquet"))


def test_a_query_in_dask(archive):
    frame = records_frame([str(archive / "archive")], "contacts", files_per_partition=10)
    counts = frame.groupby("group").size().compute().sort_index()
    assert counts.to_dict() == {"5920": 30, "5921": 30, "5922": 30, "5923": 30}
