"""How easily the labels can be read off single records, as a detection engineer would try it.

Reads flow records (JSON lines) with pandas, keeps the per-record fields only (no label fields, no
ids: `event_id`, `session_id`, `seq`, `generator_id` are left out), and measures for every anomaly
class against normal traffic:

- the best F1 of one field by one threshold (numeric fields, either direction) or one value
  (categorical fields);
- the macro F1 of a depth-4 decision tree over every field (one-hot for the categorical ones with
  few values, frequency-encoded for addresses), on a held-out quarter.

Run as a script to print the table: `python3 tests/e2e/leakage.py FILE.jsonl [OTHER.jsonl]` (with a
second file, also the rules learned on the first scored on the second).
"""
from __future__ import annotations

import json
import sys

import numpy as np
import pandas as pd

LABEL_FIELDS = {"label", "anomalies", "incident_id", "technique", "stage"}
ID_FIELDS = {"event_id", "session_id", "seq", "generator_id"}
# Broken records are broken on purpose (a missing field, a wrong type): they are data-quality chaos,
# read off their shape by any parser, not an attack to detect.
EXCLUDED_CLASSES = {"malformed"}
NUMERIC = ["src_port", "dst_port", "bytes_sent", "bytes_received", "latency_ms", "packets_sent", "packets_received",
           "duration_ms", "status_code", "bytes_per_packet_sent", "bytes_per_packet_received", "timestamp_ms_part"]
CATEGORICAL = ["protocol", "flags", "app_protocol", "app_method", "app_host", "src_ip", "dst_ip", "env", "region",
               "security_group", "vpc_id", "account_id"]


def frame(lines) -> pd.DataFrame:
    """The records of `lines` (JSON text) as one row each, flattened, malformed records left out."""
    rows = []
    for line in lines:
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("label") in EXCLUDED_CLASSES or "malformed" in (r.get("anomalies") or []):
            continue
        try:
            app = r.get("app_layer") or {}
            tags = r.get("tags") or {}
            rows.append({
                "label": r["label"],
                "src_port": r["src_port"], "dst_port": r["dst_port"],
                "bytes_sent": r["bytes_sent"], "bytes_received": r["bytes_received"],
                "latency_ms": r["latency_ms"], "packets_sent": r["packets_sent"], "packets_received": r["packets_received"],
                "duration_ms": r["end_ms"] - r["start_ms"], "status_code": app.get("status_code", 0),
                "bytes_per_packet_sent": r["bytes_sent"] / max(r["packets_sent"], 1),
                "bytes_per_packet_received": r["bytes_received"] / max(r["packets_received"], 1),
                "timestamp_ms_part": r["end_ms"] % 1000,
                "protocol": r["protocol"], "flags": ",".join(sorted(r.get("flags") or [])),
                "app_protocol": app.get("protocol", ""), "app_method": app.get("method", ""), "app_host": app.get("host", ""),
                "src_ip": r["src_ip"], "dst_ip": r["dst_ip"],
                "env": tags.get("env", ""), "region": tags.get("region", ""), "security_group": tags.get("security_group", ""),
                "vpc_id": tags.get("vpc_id", ""), "account_id": tags.get("account_id", ""),
            })
        except (KeyError, TypeError):
            continue
    return pd.DataFrame(rows)


def best_threshold_f1(values: np.ndarray, positive: np.ndarray) -> tuple[float, str]:
    """Best F1 of `value > t` or `value <= t` for predicting `positive`."""
    order = np.argsort(values, kind="stable")
    v = values[order]
    p = positive[order].astype(np.int64)
    total_pos = p.sum()
    if total_pos == 0:
        return 0.0, ""
    # Cut points: between distinct values. cum_pos[i] = positives among the i+1 smallest.
    cum_pos = np.cumsum(p)
    n = len(v)
    last_of_run = np.r_[v[1:] != v[:-1], True]
    idx = np.nonzero(last_of_run)[0]
    below_pos = cum_pos[idx]
    below_all = idx + 1
    best, rule = 0.0, ""
    # Predict positive when value <= v[idx].
    tp = below_pos
    fp = below_all - below_pos
    fn = total_pos - tp
    f1 = np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    i = int(np.argmax(f1))
    if f1[i] > best:
        best, rule = float(f1[i]), f"<= {v[idx[i]]:g}"
    # Predict positive when value > v[idx].
    tp = total_pos - below_pos
    fp = (n - below_all) - tp
    fn = below_pos
    f1 = np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    i = int(np.argmax(f1))
    if f1[i] > best:
        best, rule = float(f1[i]), f"> {v[idx[i]]:g}"
    return best, rule


def best_value_f1(values: pd.Series, positive: np.ndarray) -> tuple[float, str]:
    """Best F1 of `value == x` for predicting `positive`."""
    table = pd.crosstab(values, positive)
    if True not in table.columns:
        return 0.0, ""
    tp = table[True].to_numpy()
    fp = table[False].to_numpy() if False in table.columns else np.zeros_like(tp)
    fn = positive.sum() - tp
    f1 = np.where(tp > 0, 2 * tp / (2 * tp + fp + fn), 0.0)
    i = int(np.argmax(f1))
    return float(f1[i]), f"== {table.index[i]!r}"


def single_field_table(df: pd.DataFrame) -> dict[str, tuple[float, str, str]]:
    """For each class: its best single-field F1 against normal, the field and the rule."""
    out = {}
    for cls in sorted(set(df["label"]) - {"normal"}):
        part = df[df["label"].isin(["normal", cls])]
        positive = (part["label"] == cls).to_numpy()
        best = (0.0, "", "")
        for field in NUMERIC:
            f1, rule = best_threshold_f1(part[field].to_numpy(dtype=np.float64), positive)
            if f1 > best[0]:
                best = (f1, field, rule)
        for field in CATEGORICAL:
            f1, rule = best_value_f1(part[field], positive)
            if f1 > best[0]:
                best = (f1, field, rule)
        out[cls] = best
    return out


def _f1(predicted: np.ndarray, positive: np.ndarray) -> float:
    tp = int((predicted & positive).sum())
    fp = int((predicted & ~positive).sum())
    fn = int((~predicted & positive).sum())
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def transferred_single_field_table(train: pd.DataFrame, test: pd.DataFrame) -> dict[str, tuple[float, str, str]]:
    """For each class: the best F1, on `test`, of a single-field rule learned on `train` (the best
    threshold or value of each field there), with the field and the rule. Run on two seeds of one
    scenario, a rule that names the incident's own hosts learns nothing that carries over; a value
    that gives the class away does."""
    out = {}
    for cls in sorted(set(train["label"]) - {"normal"}):
        part = train[train["label"].isin(["normal", cls])]
        other = test[test["label"].isin(["normal", cls])]
        positive = (part["label"] == cls).to_numpy()
        target = (other["label"] == cls).to_numpy()
        best = (0.0, "", "")
        for field in NUMERIC:
            _, rule = best_threshold_f1(part[field].to_numpy(dtype=np.float64), positive)
            if not rule:
                continue
            op, threshold = rule.split(" ")
            values = other[field].to_numpy(dtype=np.float64)
            predicted = values <= float(threshold) if op == "<=" else values > float(threshold)
            f1 = _f1(predicted, target)
            if f1 > best[0]:
                best = (f1, field, rule)
        for field in CATEGORICAL:
            table = pd.crosstab(part[field], positive)
            if True not in table.columns:
                continue
            tp = table[True].to_numpy()
            fp = table[False].to_numpy() if False in table.columns else np.zeros_like(tp)
            f1s = np.where(tp > 0, 2 * tp / (2 * tp + fp + (positive.sum() - tp)), 0.0)
            value = table.index[int(np.argmax(f1s))]
            f1 = _f1((other[field] == value).to_numpy(), target)
            if f1 > best[0]:
                best = (f1, field, f"== {value!r}")
        out[cls] = best
    return out


def tree_macro_f1(df: pd.DataFrame, seed: int = 0) -> tuple[float, dict[str, float]]:
    """Macro F1 (and per class) of a depth-4 decision tree trained on three quarters, scored on the rest."""
    from sklearn.metrics import f1_score
    from sklearn.tree import DecisionTreeClassifier

    features = df[NUMERIC].astype(np.float64).copy()
    for field in CATEGORICAL:
        counts = df[field].value_counts()
        if len(counts) <= 32:
            features = features.join(pd.get_dummies(df[field], prefix=field, dtype=np.float64))
        else:
            # Addresses and names: how common the value is (a rare host stands out).
            features[field + "_frequency"] = df[field].map(counts).astype(np.float64)
    rng = np.random.default_rng(seed)
    test = rng.random(len(df)) < 0.25
    tree = DecisionTreeClassifier(max_depth=4, random_state=seed)
    tree.fit(features[~test], df["label"][~test])
    predicted = tree.predict(features[test])
    labels = sorted(set(df["label"]))
    scores = f1_score(df["label"][test], predicted, labels=labels, average=None, zero_division=0)
    per_class = dict(zip(labels, (float(s) for s in scores)))
    return float(np.mean(list(per_class.values()))), per_class


def main() -> int:
    with open(sys.argv[1]) as handle:
        df = frame(handle)
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as handle:
            other = frame(handle)
        print("rules learned on the first file, scored on the second:")
        for cls, (f1, field, rule) in transferred_single_field_table(df, other).items():
            print(f"  {cls:20s} best single field F1 {f1:.3f}: {field} {rule}")
    print(f"{len(df):,} records; classes: {df['label'].value_counts().to_dict()}")
    for cls, (f1, field, rule) in single_field_table(df).items():
        print(f"  {cls:20s} best single field F1 {f1:.3f}: {field} {rule}")
    macro, per_class = tree_macro_f1(df)
    print(f"  depth-4 tree macro F1 {macro:.3f}: " + ", ".join(f"{k} {v:.2f}" for k, v in per_class.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
