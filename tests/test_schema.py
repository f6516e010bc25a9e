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


def test_parse_output_validates(rcep_chapter12):
    schema = schemas()["agreement.schema.json"]
    for path in (rcep_chapter12, REPO / "agreements" / "canada-korea-2014.tota.xml"):
        jsonschema.validate(json.loads(structure_json(parse_file(path))), schema)


def test_parse_output_of_a_whole_published_agreement_validates(rcep):
    jsonschema.validate(json.loads(structure_json(rcep)), schemas()["agreement.schema.json"])
