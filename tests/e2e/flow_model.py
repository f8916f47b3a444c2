"""Pydantic v2 mirror of the original Python sink's flow event model.

Ints and strings are strict (no "123" for an int, no 123 for a string); `timestamp` is a
datetime that pydantic parses from the Unix-seconds integer, as the original sink did.
Fields added by netchaos (label, anomalies, ...) are ignored here, as the sink ignored them.
"""

from __future__ import annotations

from datetime import datetime
from typing import List

from pydantic import BaseModel, ConfigDict, Field


class AppLayer(BaseModel):
    model_config = ConfigDict(strict=True)

    protocol: str
    method: str
    host: str
    status_code: int


class Tags(BaseModel):
    model_config = ConfigDict(strict=True)

    env: str
    region: str
    security_group: str


class FlowEvent(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore")

    # Lax on purpose: the original model let pydantic turn the epoch integer into a datetime.
    timestamp: datetime = Field(strict=False)
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
