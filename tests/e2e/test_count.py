"""6. --count writes exactly that many records, with or without drops."""

from __future__ import annotations

import pytest

from conftest import START, generate, parse_jsonl


@pytest.mark.parametrize("drop", ["0", "0.2"])
@pytest.mark.parametrize("count", [1, 4095, 4096, 4097, 100_000])
def test_exact_count(count, drop, tmp_path):
    csv_path = tmp_path / "out.csv"
    result = generate(
        "--count", str(count), "--rate", "max", "--seed", "11", "--start-time", str(START), "--drop-prob", drop,
        "--malformed-prob", "0.01", "--output", "-", "--output", str(csv_path),
    )
    parsed = parse_jsonl(result.stdout)
    assert len(parsed.lines) == count
    csv_lines = csv_path.read_bytes().count(b"\n")
    assert csv_lines == count + 1  # the header
    summary = result.summary
    assert summary["total"] == count
    assert [o["records"] for o in summary["outputs"]] == [count, count]
    seqs = [r["seq"] for r in parsed.parseable]
    assert seqs == sorted(set(seqs))
    if drop == "0":
        if parsed.records[-1] is not None:
            assert seqs[-1] == count - 1
        assert summary["dropped"] == 0
        assert all(seq in range(count) for seq in seqs)
    elif count >= 4095:
        # About 20% of the slots were dropped, and the records still number exactly `count`.
        assert summary["dropped"] > count * 0.15
        if parsed.records[-1] is not None:
            assert seqs[-1] + 1 == count + summary["dropped"]


@pytest.mark.parametrize("count", ["1", "4097"])
def test_count_from_environment_and_paced(count):
    """NETCHAOS_COUNT works too, and the count is exact at a paced rate as well."""
    result = generate("--rate", "5000", "--seed", "3", env={"NETCHAOS_COUNT": count})
    assert len(parse_jsonl(result.stdout).lines) == int(count)
    assert result.summary["total"] == int(count)
