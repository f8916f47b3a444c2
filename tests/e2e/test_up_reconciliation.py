"""`netchaos up` accounts for every flow record as it runs: every few seconds it reads back what the
sink stored (records and dead letters) and compares it with the generator's manifest so far, so
each slot is present, dead-lettered, a planned drop or still pending; on /metrics, on the live page,
and as a verdict when it stops, with the manifest stored beside the data for `netchaos verify`. A
record lost or stored twice behind the pipeline's back fails the run."""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess

from ingest_support import Process, get, wait_until
from test_metrics import Scrape


def live(base: str) -> dict:
    status, _, body = get(base + "/api/live")
    assert status == 200, body
    return json.loads(body)


def logs_of(text: bytes) -> list[dict]:
    return [json.loads(line) for line in text.decode(errors="replace").splitlines() if line.startswith("{")]


def test_up_accounts_for_every_record_while_it_runs_and_when_it_stops(tmp_path):
    store = tmp_path / "data"
    # Drops and malformed records on purpose: planned gaps and dead letters, not losses.
    up = Process(["up", "--port", "0", "--host", "127.0.0.1", "--rate", "3000", "--seed", "31", "--store", f"file:{store}",
                  "--flush-interval", "300ms", "--batch-size", "500", "--reconcile-interval", "300ms", "--switches", "5",
                  "--log-interval", "0"], env={"LOAD_CURVE": "off", "DROP_PROB": "0.01", "MALFORMED_PROB": "0.01"})
    try:
        listening = up.wait_for("up listening", timeout=120)
        base = f"http://127.0.0.1:{listening['http.port']}"

        def accounted():
            r = live(base).get("reconciliation")
            return r if r and r["present"] >= 3000 and r["dead_lettered"] > 0 and r["planned_drops"] > 0 else None
        during = wait_until(accounted, 120, "3000 records, dead letters and planned drops accounted for")
        assert during["ok"] and not during["final"] and during["duplicates"] == 0 and during["lost"] == 0
        assert during["objects_read"] > 0 and during["pending"] >= 0
        # Every slot the manifest counts is somewhere; records written after it may already be stored.
        assert during["present"] + during["dead_lettered"] + during["planned_drops"] + during["pending"] >= during["slots"]

        scrape = Scrape(get(base + "/metrics")[2].decode())
        assert scrape.value("netchaos_up_slots", state="present") >= 3000
        assert scrape.value("netchaos_up_slots", state="planned_drop") > 0
        assert scrape.value("netchaos_up_slots", state="written") >= scrape.value("netchaos_up_slots", state="present")
        assert scrape.value("netchaos_up_reconciliation_ok") == 1 and scrape.value("netchaos_up_duplicates") == 0
        assert scrape.value("netchaos_up_reconciliation_objects_total") > 0
    finally:
        code = up.stop()
    assert code == 0, up.text.decode(errors="replace")[-3000:]

    logs = up.read()
    verdict = next(e for e in logs if e.get("msg", "").startswith("reconciliation: every slot is present"))
    final = {e["logger"]: e for e in logs if e.get("msg") == "final summary"}
    # Exact once everything is stored: nothing pending, every slot of the run in one place.
    assert int(verdict["lost"]) == 0 and int(verdict["duplicates"]) == 0
    assert int(verdict["present"]) + int(verdict["dead_lettered"]) + int(verdict["planned_drops"]) == int(verdict["slots"])
    assert int(verdict["present"]) + int(verdict["dead_lettered"]) == final["netchaos.generate"]["total"]
    assert int(verdict["planned_drops"]) > 0

    # The manifest is stored beside the data: verify checks the store again on its own.
    manifests = list((store / "manifests").glob("*.manifest.json"))
    assert len(manifests) == 1
    manifest = json.loads(manifests[0].read_text())
    assert manifest["slots"] == int(verdict["slots"]) and manifest["complete"] is True
    result = subprocess.run([*Process.command(), "verify", "--json", "--store", f"file:{store}"], capture_output=True, timeout=120,
                            env=Process.environment())
    assert result.returncode == 0, result.stdout.decode()[-2000:] + result.stderr.decode()[-2000:]
    report = json.loads(result.stdout)
    (generator,) = report["generators"]
    assert generator["generator_id"] == manifest["generator_id"] and generator["manifest"] is True
    assert generator["present"] == int(verdict["present"]) and generator["lost"] == 0 and generator["duplicated"] == 0
    # The in-process queue keeps each record's slot beside it: every dead letter names its slot,
    # the records cut short too, so nothing is accounted for by number alone.
    assert report["dead_letters_unattributed"] == {} and generator["dead_lettered"] == int(verdict["dead_lettered"]) > 0
    letters = [json.loads(line) for path in (store / "dlq").rglob("*.json.gz") for line in gzip.decompress(path.read_bytes()).splitlines()]
    assert {letter["seq"] for letter in letters} == {seq for seqs in manifest["malformed"].values() for seq in seqs}
    assert "truncated" in manifest["malformed"]


def test_up_fails_when_a_stored_object_is_lost_or_repeated(tmp_path):
    store = tmp_path / "data"
    # One pass at the start and the verdict at the end: what happens to the store in between is
    # seen only by the verdict.
    up = Process(["up", "--port", "0", "--host", "127.0.0.1", "--rate", "3000", "--seed", "32", "--store", f"file:{store}",
                  "--duration", "8s", "--flush-interval", "200ms", "--batch-size", "300", "--reconcile-interval", "1h",
                  "--switches", "5", "--log-interval", "0"], env={"LOAD_CURVE": "off"})

    def two_objects():
        found = sorted((store / "ingest").rglob("*.json.gz")) if (store / "ingest").exists() else []
        return found if len(found) >= 2 else None
    first, second = wait_until(two_objects, 120, "two stored objects")[:2]
    # Behind the pipeline's back: one object goes, another is stored twice.
    shutil.copyfile(second, second.with_name("copy-" + second.name))
    first.unlink()
    up.proc.wait(timeout=120)
    up.read()
    assert up.proc.returncode == 1, up.text.decode(errors="replace")[-3000:]
    failed = next(e for e in up.read() if e.get("msg") == "reconciliation failed")
    assert int(failed["lost"]) > 0 and int(failed["duplicates"]) > 0
    assert "lost" in failed["problems"] and "duplicates" in failed["problems"]
    assert b"not every record is accounted for" in up.text
