"""The live page of `netchaos up` (Sources/Observability/LivePage.swift) against a fixture server:
headless Chromium renders it with a virtual time budget, so its one-second polling runs several
times per render; the fixture changes its answer after a number of requests to test updates."""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess

import pytest

from live_page_support import (
    LIVE_PAGE_SWIFT, FixtureServer, cell_nodes, live_page_html, parse_page, render, render_page, screenshot,
)

KINDS = ["latency_spike", "connection_reset", "exfiltration", "port_scan", "malformed"]
T0 = 1764684000


def make_state() -> dict:
    series = []
    for i in range(120):
        t = T0 - 119 + i
        series.append({"t": t, "counts": {
            "latency_spike": 900 + (i * 7) % 200, "connection_reset": 400 + i, "exfiltration": 200 - i // 2,
            "port_scan": 100 if i % 30 == 0 else 0, "malformed": 20 + i % 5,
        }})
    series[-1]["counts"] = {"latency_spike": 1000, "connection_reset": 400, "exfiltration": 200, "port_scan": 0,
                            "malformed": 20}
    latest = []
    for i in range(20):
        label = KINDS[i % len(KINDS)]
        latest.append({
            "timestamp": f"2026-12-02T14:00:{59 - i:02d}.{i * 7:03d}Z", "label": label,
            "src_ip": f"45.33.32.{i + 1}", "dst_ip": f"10.20.0.{i + 4}", "dst_port": 22 + i,
            "protocol": "TCP" if i % 3 else "UDP", "bytes": 60 + 1000 * i * i,
        })
    batches = []
    for i in range(10):
        offset = 120000 - 2000 * i
        batches.append({
            "key": "ingest/topic=network-telemetry/dt=2026-12-02/hour=14/partition=" + str(i % 4)
                   + f"/network-telemetry+{i % 4}+{offset:020d}.json.gz",
            "records": 2000 - i, "bytes": 103456 + 17 * i, "time": T0 - 0.5 - i,
        })
    reports = []
    for i in range(40):
        label = "normal"
        if i == 3:
            label = "link_flap"
        elif i == 17:
            label = "congestion_spike"
        elif i == 29:
            label = "stale"
        reports.append({
            "switch_id": f"sw{i + 1}", "bandwidth_mbps": 812.5 + i, "latency_ms": 1.25 + i / 100,
            "packet_errors": 0 if label == "normal" else 7, "utilization_pct": 8.1 + i / 10,
            "oper_status": "down" if label == "link_flap" else "up", "label": label,
        })
    return {
        "time": T0 + 0.25,
        "uptime_seconds": 3725.5,
        "generator": {
            "events_total": 123456, "events_per_second": 20000.0, "target_rate": 20000,
            "by_label": {"normal": 117000, "latency_spike": 6000, "connection_reset": 2400, "exfiltration": 1200,
                         "port_scan": 100, "malformed": 120},
        },
        "anomalies_over_time": series,
        "latest_anomalies": latest,
        "sink": {
            "records_consumed": 100000, "records_valid": 99900, "records_invalid": 100, "dead_lettered": 100,
            "batches": 50, "bytes_stored": 5123456, "lag_records": 1234, "recent_batches": batches,
        },
        "switches": {"snapshot_timestamp": T0 - 10, "reports": reports},
    }


STATE_A = make_state()


def make_state_b() -> dict:
    state = copy.deepcopy(STATE_A)
    state["time"] = T0 + 5.25
    state["uptime_seconds"] = 3730.5
    state["generator"].update(events_total=987654321, events_per_second=31415.9, target_rate=None)
    state["generator"]["by_label"]["port_scan"] = 4242
    state["sink"].update(records_valid=555555, dead_lettered=77, batches=61, bytes_stored=3 * 1024 ** 3,
                         lag_records=0)
    state["sink"]["recent_batches"] = state["sink"]["recent_batches"][:3]
    state["latest_anomalies"] = state["latest_anomalies"][:5]
    state["anomalies_over_time"].append({"t": T0 + 1, "counts": {"latency_spike": 5, "connection_reset": 6,
                                                                "exfiltration": 7, "port_scan": 8, "malformed": 9}})
    state["anomalies_over_time"] = state["anomalies_over_time"][-120:]
    state["switches"]["reports"] = state["switches"]["reports"][:6]
    state["switches"]["snapshot_timestamp"] = None
    return state


STATE_B = make_state_b()


def fmt(n: float) -> str:
    return f"{round(n):,}"


@pytest.fixture(scope="module")
def page_a():
    with FixtureServer(STATE_A) as server:
        page = render_page(server.url)
        assert server.api_requests >= 2
    return page


# ---- what one state shows ---------------------------------------------------------------------

def test_status_and_update_count(page_a):
    assert page_a.text("status") == "live"
    assert int(page_a.body.get("data-updates")) >= 2  # the first fetch at load, then one per second


def test_headline_numbers(page_a):
    assert page_a.text("events-per-second") == "20,000"
    assert page_a.text("target-rate") == "20,000"
    assert page_a.text("events-total") == "123,456"
    assert page_a.text("records-stored") == "99,900"
    assert page_a.text("dead-letters") == "100"
    assert page_a.text("batches-total") == "50"
    assert page_a.text("sink-lag") == "1,234"
    assert page_a.text("bytes-stored") == "4.9 MB"
    assert page_a.attr("bytes-stored", "data-value") == "5123456"
    assert page_a.text("uptime") == "1h 02m 05s"
    assert page_a.attr("events-total", "data-value") == "123456"


def test_labels(page_a):
    rows = page_a.by_id("labels").find_all(data_label=True)
    by_label = STATE_A["generator"]["by_label"]
    assert [row.get("data-label") for row in rows] == list(by_label)
    for row in rows:
        label = row.get("data-label")
        assert row.get("data-count") == str(by_label[label])
        assert row.find(class_="label-count").text == fmt(by_label[label])
        assert row.find(class_="label-name").text == label


def test_chart_series_and_legend(page_a):
    chart = page_a.by_id("anomaly-chart")
    assert chart.tag == "svg"
    series = chart.find_all(data_kind=True)
    assert [s.get("data-kind") for s in series] == KINDS
    last = STATE_A["anomalies_over_time"][-1]["counts"]
    for s in series:
        assert s.tag == "path"
        assert s.get("data-latest") == str(last[s.get("data-kind")])
        assert s.get("d", "").count("L") == len(STATE_A["anomalies_over_time"]) - 1  # one vertex per second
    legend = page_a.by_id("anomaly-legend").find_all(data_kind=True)
    assert [item.get("data-kind") for item in legend] == KINDS
    for item in legend:
        kind = item.get("data-kind")
        assert item.get("data-latest") == str(last[kind])
        assert kind in item.text and fmt(last[kind]) in item.text


def test_batches_table(page_a):
    batches = STATE_A["sink"]["recent_batches"]
    rows = page_a.row_nodes("batches")
    assert len(rows) == len(batches)
    for row, batch in zip(rows, batches):
        key, records, size = cell_nodes(row)
        assert key.get("title") == batch["key"]
        assert key.text == batch["key"].rsplit("/", 1)[1]
        assert records.text == fmt(batch["records"])
        assert size.text == "101 KB" and size.get("data-value") == str(batch["bytes"])
    assert page_a.by_id("batches-empty").get("hidden") is not None


def test_latest_anomalies_table(page_a):
    anomalies = STATE_A["latest_anomalies"]
    rows = page_a.rows("latest-anomalies")
    assert len(rows) == len(anomalies)
    for cells, a in zip(rows, anomalies):
        assert cells[0] == a["timestamp"][11:23]
        assert cells[1:5] == [a["label"], a["src_ip"], f"{a['dst_ip']}:{a['dst_port']}", a["protocol"]]
    assert rows[0][5] == "60 B"
    assert rows[3][5] == "8.8 KB"  # 9060 bytes


def test_switches_table(page_a):
    reports = STATE_A["switches"]["reports"]
    rows = page_a.row_nodes("switches")
    assert len(rows) == len(reports)
    for row, r in zip(rows, reports):
        cells = [c.text for c in cell_nodes(row)]
        assert cells == [
            r["switch_id"], f"{r['bandwidth_mbps']:.1f} Mbps", f"{r['latency_ms']:.2f} ms", str(r["packet_errors"]),
            f"{r['utilization_pct']:.1f}%", r["oper_status"], r["label"],
        ]
        anomalous = r["label"] != "normal"
        assert (row.get("data-anomalous") == "true") == anomalous
        assert ("anomalous" in row.classes) == anomalous
    assert [row.get("data-label") for row in rows if "anomalous" in row.classes] == [
        "link_flap", "congestion_spike", "stale"]
    snapshot = page_a.by_id("switch-snapshot")
    assert snapshot.get("data-value") == str(T0 - 10)
    assert "13:59:50" in snapshot.text


# ---- updates, failures, recovery --------------------------------------------------------------

def test_updates_in_place():
    with FixtureServer(STATE_A).after(2, STATE_B) as server:
        page = render_page(server.url, budget_ms=5000)
        assert server.api_requests >= 3
        assert server.paths.count("/") == 1  # never reloaded
    assert int(page.body.get("data-updates")) >= 3
    assert page.text("status") == "live"
    assert page.text("events-per-second") == "31,416"
    assert page.text("target-rate") == "max"
    assert page.text("events-total") == "987,654,321"
    assert page.text("records-stored") == "555,555"
    assert page.text("dead-letters") == "77"
    assert page.text("batches-total") == "61"
    assert page.text("sink-lag") == "0"
    assert page.text("bytes-stored") == "3.0 GB"
    assert page.attr("bytes-stored", "data-value") == str(3 * 1024 ** 3)
    assert len(page.rows("batches")) == 3
    assert len(page.rows("latest-anomalies")) == 5
    assert len(page.rows("switches")) == 6
    assert page.text("switch-snapshot") == "no snapshot yet"
    legend = {i.get("data-kind"): i.get("data-latest") for i in page.by_id("anomaly-legend").find_all(data_kind=True)}
    assert legend == {"latency_spike": "5", "connection_reset": "6", "exfiltration": "7", "port_scan": "8",
                      "malformed": "9"}
    port_scan = page.by_id("labels").find(data_label="port_scan")
    assert port_scan.get("data-count") == "4242"


def test_failure_keeps_the_last_data():
    with FixtureServer(STATE_A).after(2, status=500) as server:
        page = render_page(server.url)
        assert server.api_requests >= 3
    status = page.text("status")
    assert status.startswith("disconnected:") and "500" in status
    assert page.attr("status", "data-state") == "error"
    assert page.body.get("data-updates") == "2"
    assert int(page.body.get("data-failures")) >= 1
    assert page.text("events-per-second") == "20,000"
    assert page.text("events-total") == "123,456"
    assert page.text("bytes-stored") == "4.9 MB"
    assert len(page.rows("switches")) == len(STATE_A["switches"]["reports"])
    assert len(page.by_id("anomaly-chart").find_all(data_kind=True)) == len(KINDS)


def test_recovers_after_failures():
    with FixtureServer(STATE_A).fail(503).after(2, status=200) as server:
        page = render_page(server.url)
    assert page.text("status") == "live"
    assert int(page.body.get("data-failures")) == 2
    assert int(page.body.get("data-updates")) >= 1
    assert page.text("events-total") == "123,456"


def test_bad_json_is_an_error():
    with FixtureServer("{not json").after(1, STATE_A) as server:  # only the first answer is broken
        page = render_page(server.url, budget_ms=2500)
        assert server.api_requests >= 2
    assert int(page.body.get("data-failures")) == 1
    assert page.text("status") == "live"
    assert page.text("events-total") == "123,456"
    with FixtureServer("{not json") as server:
        page = render_page(server.url, budget_ms=1500)
    assert page.text("status") == "disconnected: invalid JSON"
    assert page.body.get("data-updates") == "0"


def test_missing_keys_and_empty_lists():
    with FixtureServer({"generator": {"target_rate": None}, "switches": {"snapshot_timestamp": None}}) as server:
        page = render_page(server.url, budget_ms=1500)
    assert page.text("status") == "live"
    assert int(page.body.get("data-updates")) >= 1
    for element_id in ("events-per-second", "events-total", "records-stored", "dead-letters", "batches-total",
                       "bytes-stored", "sink-lag", "uptime"):
        assert page.text(element_id) == "\u2014", element_id
        assert page.attr(element_id, "data-value") is None
    assert page.text("target-rate") == "max"
    for table in ("batches", "latest-anomalies", "switches"):
        assert page.rows(table) == []
        assert page.by_id(f"{table}-empty").get("hidden") is None
    # the known kinds are listed even before any data, without a latest value
    legend = page.by_id("anomaly-legend").find_all(data_kind=True)
    assert [i.get("data-kind") for i in legend] == KINDS
    assert all(i.get("data-latest") == "" for i in legend)
    assert page.by_id("labels").find_all(data_label=True) == []


def test_unknown_kinds_get_a_series():
    state = copy.deepcopy(STATE_A)
    state["anomalies_over_time"][-1]["counts"]["dns_tunnel"] = 33
    with FixtureServer(state) as server:
        page = render_page(server.url, budget_ms=1500)
    kinds = [s.get("data-kind") for s in page.by_id("anomaly-chart").find_all(data_kind=True)]
    assert kinds == KINDS + ["dns_tunnel"]
    assert page.by_id("anomaly-legend").find(data_kind="dns_tunnel").get("data-latest") == "33"


# ---- safety -----------------------------------------------------------------------------------

XSS_SCRIPT = "<script>document.body.dataset.pwned='script'</script>"
XSS_IMG = "<img src=x onerror=\"document.body.dataset.pwned='img'\">"


def test_strings_are_text_not_markup():
    state = copy.deepcopy(STATE_A)
    state["latest_anomalies"][0].update(label=XSS_SCRIPT, src_ip=XSS_IMG, protocol="<b>TCP</b>")
    state["sink"]["recent_batches"][0]["key"] = "ingest/" + XSS_SCRIPT
    state["switches"]["reports"][0].update(switch_id=XSS_IMG, label=XSS_SCRIPT, oper_status="<i>up</i>")
    state["generator"]["by_label"][XSS_IMG] = 5
    state["anomalies_over_time"][-1]["counts"][XSS_SCRIPT] = 3
    with FixtureServer(state) as server:
        page = render_page(server.url, budget_ms=2500)
    body = page.body
    assert body.get("data-pwned") is None
    assert int(body.get("data-updates")) >= 2
    assert len(page.find_all("script")) == 1  # the page's own
    assert page.find_all("img") == [] and page.find_all("b") == [] and page.find_all("i") == []
    anomaly = page.rows("latest-anomalies")[0]
    assert anomaly[1] == XSS_SCRIPT and anomaly[2] == XSS_IMG and anomaly[4] == "<b>TCP</b>"
    batch = cell_nodes(page.row_nodes("batches")[0])[0]
    assert batch.text == XSS_SCRIPT.rsplit("/", 1)[1] and batch.get("title") == "ingest/" + XSS_SCRIPT
    switch = page.rows("switches")[0]
    assert switch[0] == XSS_IMG and switch[5] == "<i>up</i>" and switch[6] == XSS_SCRIPT
    assert page.by_id("labels").find(data_label=XSS_IMG).find(class_="label-name").text == XSS_IMG
    assert page.by_id("anomaly-chart").find(data_kind=XSS_SCRIPT) is not None
    assert page.text("status") == "live"


def test_page_source_is_self_contained():
    html = live_page_html()
    assert html.startswith("<!DOCTYPE html>")
    assert html.rstrip().endswith("</html>")
    assert not re.search(r"https?://", html)
    assert not re.search(r"<link\b", html, re.I)
    assert not re.search(r"<script[^>]*\bsrc\b", html, re.I)
    assert not re.search(r"@import|url\(|<img\b|<iframe\b", html, re.I)
    assert "innerHTML" not in html and "outerHTML" not in html and "insertAdjacentHTML" not in html
    assert "document.write" not in html and "eval(" not in html
    assert "fetch('/api/live', { cache: 'no-store'" in html
    for element_id in ("events-per-second", "target-rate", "events-total", "records-stored", "dead-letters",
                       "batches-total", "bytes-stored", "sink-lag", "uptime", "anomaly-chart", "anomaly-legend",
                       "labels", "batches", "latest-anomalies", "switches", "switch-snapshot", "status"):
        assert f'id="{element_id}"' in html, element_id


def test_swift_file_shape():
    source = LIVE_PAGE_SWIFT.read_text(encoding="utf-8")
    assert source.count('"""#') == 1 and source.count('#"""') == 1
    assert "public enum LivePage" in source
    assert "public static let html: String = #\"\"\"" in source
    assert re.search(r"^/// ", source, re.M)
    outside = source[:source.index('#"""')] + source[source.index('"""#') + 4:]
    declarations = re.findall(r"^\s*(?:public\s+)?(?:enum|struct|class|actor|protocol|extension)\b", outside, re.M)
    assert len(declarations) == 1, declarations
    html = live_page_html()
    assert "\\#" not in html  # no raw-string escape or interpolation inside the literal


def test_swift_file_typechecks():
    swiftc = shutil.which("swiftc")
    if swiftc is None and os.access("/opt/swift/usr/bin/swiftc", os.X_OK):
        swiftc = "/opt/swift/usr/bin/swiftc"
    if swiftc is None:
        pytest.skip("swiftc not installed")
    proc = subprocess.run(
        [swiftc, "-swift-version", "6", "-parse-as-library", "-typecheck", str(LIVE_PAGE_SWIFT)],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr, proc.stderr


def test_screenshot(tmp_path):
    with FixtureServer(STATE_A) as server:
        path = screenshot(server.url, tmp_path / "live.png", width=1400, height=1800)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")
    height = int.from_bytes(data[20:24], "big")
    assert (width, height) == (1400, 1800)


def test_render_dumps_the_dom():
    with FixtureServer(STATE_A) as server:
        html = render(server.url, budget_ms=200)
    page = parse_page(html)
    assert page.has("status") and page.body.get("data-updates") is not None
