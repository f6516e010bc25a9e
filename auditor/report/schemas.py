"""JSON Schemas of the engine's output, generated from the pydantic models."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.assess.model import Audit
from auditor.model import Agreement


def schemas() -> dict[str, dict]:
    agreement = Agreement.model_json_schema(mode="serialization")
    agreement["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    agreement["title"] = "Treaty Audit: parsed agreement (auditor parse --format json)"
    audit = Audit.model_json_schema(mode="serialization")
    audit["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    audit["title"] = "Treaty Audit: audit of one agreement (auditor audit --format json)"
    return {"agreement.schema.json": agreement, "audit.schema.json": audit}


def write_schemas(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        path = directory / name
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written
