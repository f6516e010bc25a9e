"""The checked-in JSON Schema is current, and real output validates against it."""

from __future__ import annotations

import json

import jsonschema

from auditor.pipeline import parse_file
from auditor.report.schemas import schemas
from auditor.report.structure import structure_json
from tests.conftest import REPO


def test_checked_in_schema_is_current():
    for name, schema in schemas().items():
        on_disk = json.loads((REPO / "schemas" / name).read_text())
        assert on_disk == schema, f"schemas/{name} is stale: run `auditor schema`"


def test_parse_output_validates(rcep):
    schema = schemas()["agreement.schema.json"]
    jsonschema.validate(json.loads(structure_json(rcep)), schema)
    sample = parse_file(REPO / "agreements" / "canada-korea-2014.tota.xml")
    jsonschema.validate(json.loads(structure_json(sample)), schema)
