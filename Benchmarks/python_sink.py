#!/usr/bin/env python3
"""The peer for the sink benchmark: a Kafka-to-S3 sink built the way the Python sink it replaces
was: confluent-kafka consumer with auto-commit off, a pydantic model of the event for
validation (timestamp parsed as a datetime and written back as ISO-8601), NDJSON gzipped in
memory, one boto3 PUT per batch under a random key, and a synchronous commit after each upload.
Batches flush at --batch-size records or --flush-interval seconds. Unlike the Python sink it stops
once it has read --expect records (so it can be timed) and reads in batches of up to 1000
messages (faster than one poll per message).

Prints one JSON line: consumed, valid, invalid, objects, seconds.
"""
import argparse
import gzip
import json
import sys
import time
import uuid
from datetime import datetime
from typing import List, Optional

import boto3
from botocore.config import Config
from confluent_kafka import Consumer, KafkaError, TopicPartition
from pydantic import BaseModel, ValidationError


class AppLayer(BaseModel):
    protocol: str
    method: str
    host: str
    status_code: int


class Tags(BaseModel):
    env: str
    region: str
    security_group: str


class FlowEvent(BaseModel):
    timestamp: datetime
    event_id: str
    src_ip: str
    dst_ip: str
    src_port: int
    dst_port: int
    protocol: str
    bytes_sent: int
    bytes_received: int
    latency_ms: int
    packets_sent: int
    flags: List[str]
    app_layer: AppLayer
    tags: Tags
    label: Optional[str] = None
    anomalies: Optional[List[str]] = None
    malformed_kind: Optional[str] = None
    generator_id: Optional[str] = None
    seq: Optional[int] = None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--bucket", required=True)
    parser.add_argument("--access-key", required=True)
    parser.add_argument("--secret-key", required=True)
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--flush-interval", type=float, default=5)
    parser.add_argument("--expect", type=int, required=True)
    args = parser.parse_args()

    s3 = boto3.client("s3", endpoint_url=args.endpoint, aws_access_key_id=args.access_key,
                      aws_secret_access_key=args.secret_key, region_name="us-east-1",
                      config=Config(s3={"addressing_style": "path"}))
    try:
        s3.head_bucket(Bucket=args.bucket)
    except Exception:
        s3.create_bucket(Bucket=args.bucket)
    consumer = Consumer({"bootstrap.servers": args.brokers, "group.id": args.group, "enable.auto.commit": False,
                         "auto.offset.reset": "earliest"})
    consumer.subscribe([args.topic])

    batch: List[str] = []
    offsets = {}
    consumed = valid = invalid = objects = 0
    last_flush = time.monotonic()
    start = None

    def flush():
        nonlocal batch, last_flush, objects
        if batch:
            body = gzip.compress(("\n".join(batch) + "\n").encode())
            s3.put_object(Bucket=args.bucket, Key=f"ingest/batch_{uuid.uuid4().hex}.json.gz", Body=body,
                          ContentType="application/gzip")
            objects += 1
        if offsets:
            consumer.commit(offsets=[TopicPartition(t, p, o + 1) for (t, p), o in offsets.items()], asynchronous=False)
        batch = []
        offsets.clear()
        last_flush = time.monotonic()

    while consumed < args.expect:
        messages = consumer.consume(num_messages=1000, timeout=1.0)
        if messages and start is None:
            start = time.perf_counter()
        for message in messages:
            if message.error():
                if message.error().code() != KafkaError._PARTITION_EOF:
                    print(f"consumer error: {message.error()}", file=sys.stderr)
                continue
            consumed += 1
            offsets[(message.topic(), message.partition())] = message.offset()
            try:
                event = FlowEvent.model_validate_json(message.value())
                batch.append(event.model_dump_json())
                valid += 1
            except ValidationError:
                invalid += 1
            if len(batch) >= args.batch_size:
                flush()
        if time.monotonic() - last_flush >= args.flush_interval:
            flush()
    flush()
    elapsed = time.perf_counter() - (start or time.perf_counter())
    consumer.close()
    print(json.dumps({"consumed": consumed, "valid": valid, "invalid": invalid, "objects": objects, "seconds": elapsed}))


if __name__ == "__main__":
    main()
