#!/usr/bin/env python3
"""Rewrites the knob table in docs/configuration.md from the declarations, as `netchaos knobs`
prints them. Usage: swift build --product netchaos && python3 scripts/knob-table.py
(tests/e2e/test_docs.py checks that the page holds exactly that table)."""
import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = os.environ.get("NETCHAOS_BIN", str(ROOT / ".build" / "debug" / "netchaos"))


def table_bounds(lines):
    start = next(i for i, line in enumerate(lines) if line.startswith("| YAML key | environment |"))
    end = start + 2
    while end < len(lines) and lines[end].startswith("| `"):
        end += 1
    return start, end


def main():
    page = ROOT / "docs" / "configuration.md"
    lines = page.read_text().split("\n")
    start, end = table_bounds(lines)
    table = subprocess.run([BIN, "knobs"], check=True, capture_output=True, text=True).stdout.rstrip("\n").split("\n")
    lines[start:end] = table
    page.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
