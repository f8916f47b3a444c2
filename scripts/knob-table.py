#!/usr/bin/env python3
"""Rewrites the knob table in docs/configuration.md from Sources/Settings/ConfigKeys.swift.
Usage: python3 scripts/knob-table.py   (tests/e2e/test_docs.py checks that every knob has its row)"""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOB = re.compile(
    r'Knob\(key: "([^"]+)", environment: "([^"]+)", flag: (nil|"[^"]*"), defaultValue: "((?:[^"\\]|\\.)*)", '
    r'allowed: "((?:[^"\\]|\\.)*)"(?:, aliases: \[([^\]]*)\])?\)'
)


def rows():
    for key, env, flag, default, allowed, aliases in KNOB.findall((ROOT / "Sources/Settings/ConfigKeys.swift").read_text()):
        names = [env] + [a.strip().strip('"') for a in aliases.split(",") if a.strip()]
        flag_text = f"`{flag.strip(chr(34))}`" if flag != "nil" else ""
        yield f"| `{key}` | {', '.join(f'`{n}`' for n in names)} | {flag_text} | {default} | {allowed} |"


def main():
    page = ROOT / "docs" / "configuration.md"
    lines = page.read_text().split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| YAML key | environment |")) + 2
    end = start
    while end < len(lines) and lines[end].startswith("| `"):
        end += 1
    lines[start:end] = list(rows())
    page.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
