"""Questionnaire files: every problem reported at once with its location; safe YAML; the schema."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
import yaml

import surveykit as sk
from conftest import ROOT, SMALL
from surveykit.questionnaire.schema import questionnaire_json_schema

SHIPPED = sorted((ROOT / "questionnaires").glob("*.yaml"))


def test_shipped_questionnaires_load():
    assert {p.stem for p in SHIPPED} >= {"customer_value", "acsi", "servqual"}
    for path in SHIPPED:
        q = sk.load_questionnaire(path)
        assert q.items and q.constructs, path.name


def test_customer_value_covers_the_domain():
    q = sk.load_questionnaire("customer_value")
    assert set(q.roles["perceived_benefits"]) == {"product", "service", "personnel", "image"}
    assert set(q.roles["perceived_sacrifices"]) == {"monetary", "time", "energy", "physical"}
    assert all(len(q.items_of(c)) >= 3 for c in q.roles["perceived_benefits"].values())
    assert all(len(q.items_of(c)) >= 2 for c in q.roles["perceived_sacrifices"].values())
    assert any(q.item(i).reverse for c in q.roles["perceived_sacrifices"].values() for i in q.items_of(c))
    assert q.scale_of(q.roles["nps"]).max == 10 and len(q.segments) == 5
    assert all(it.text.zh and it.text.en for it in q.items)


def test_servqual_has_22_items_twice():
    q = sk.load_questionnaire("servqual")
    for role in ("service_expectations", "service_perceptions"):
        assert len(q.resolve_role(role)) == 22 and len(q.roles[role]) == 5


def test_schema_file_is_up_to_date():
    on_disk = json.loads((ROOT / "questionnaires" / "schema.json").read_text(encoding="utf-8"))
    assert on_disk == json.loads(json.dumps(questionnaire_json_schema())), \
        "run: python -m surveykit.questionnaire.schema"


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_files_pass_the_json_schema_as_an_editor_sees_them(path):
    schema = json.loads((ROOT / "questionnaires" / "schema.json").read_text(encoding="utf-8"))
    as_json = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8"))))  # numeric keys -> strings
    jsonschema.validate(as_json, schema)
    with pytest.raises(jsonschema.ValidationError, match="'bogus' was unexpected"):
        jsonschema.validate({**as_json, "bogus": 1}, schema)


def test_every_problem_is_reported_at_once_with_its_location(tmp_path):
    raw = copy.deepcopy(SMALL)
    raw["items"][3]["scale"] = "likert7"
    raw["items"][1]["revrse"] = True
    raw["items"].append({"id": "q1", "scale": "sat5", "text": "重复"})
    raw["items"][4]["reverse"] = True  # gender: single choice
    raw["constructs"]["sat"]["items"][2] = "svc_9"
    raw["roles"] = {"nps": "q1", "satisfacton": "sat"}
    raw["segments"] = ["gender", "region"]
    raw["open_text"] = [{"item": "comment", "themes": "themes/none.yaml"}]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(sk.QuestionnaireError) as exc:
        sk.load_questionnaire(path)
    err = exc.value
    assert isinstance(err, ValueError) and str(path) in str(err)
    where = dict(err.problems)
    assert where["items[3].scale"].startswith("unknown scale 'likert7'")
    assert where["constructs.sat.items[2]"] == "unknown item 'svc_9'"
    assert "unknown key" in where["items[1].revrse"]
    assert "duplicate item id 'q1'" in where["items[6].id"]
    assert "only likert and rating items can be reverse-coded" in where["items[4].reverse"]
    assert "must be on a 0-10 scale" in where["roles.nps"]
    assert where["roles.satisfacton"].startswith("unknown role")
    assert where["segments[1]"] == "unknown item 'region'"
    assert "theme file not found" in where["open_text[0].themes"]
    assert len(err.problems) >= 9


def test_malicious_yaml_tag_is_refused_and_not_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.yaml"
    path.write_text(f'schema_version: 1\nid: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    with pytest.raises(sk.QuestionnaireError, match="not allowed"):
        sk.load_questionnaire(path)
    assert not marker.exists()


def test_duplicate_key_names_the_line(tmp_path):
    path = tmp_path / "dup.yaml"
    path.write_text("schema_version: 1\nid: a\nid: b\n", encoding="utf-8")
    with pytest.raises(sk.QuestionnaireError, match=r"found the key 'id' twice \(first on line 2\).*line 3"):
        sk.load_questionnaire(path)


def test_non_utf8_file(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("title: 顾客满意度\n".encode("gbk"))
    with pytest.raises(sk.QuestionnaireError, match="not UTF-8.*save it as UTF-8"):
        sk.load_questionnaire(path)


def test_missing_file_and_unknown_bundled_name(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.yaml"):
        sk.load_questionnaire(tmp_path / "nope.yaml")
    with pytest.raises(FileNotFoundError, match="shipped: acsi, customer_value, kano, servqual"):
        sk.load_questionnaire("nope")


def test_missing_code_precedence():
    raw = copy.deepcopy(SMALL)
    raw["scales"]["sat5"]["missing_codes"] = [97]
    raw["items"][1]["missing_codes"] = {96: "拒答"}
    raw["items"][2]["missing_codes"] = []
    q = sk.load_questionnaire(raw)
    assert list(q.missing_codes_for("q1")) == [97.0]          # the scale's replaces the default
    assert list(q.missing_codes_for("q2")) == [96.0]          # the item's replaces the scale's
    assert q.missing_codes_for("q2")[96.0].zh == "拒答"
    assert q.missing_codes_for("q3") == {}                     # [] switches missing codes off
    assert list(q.missing_codes_for("gender")) == [98.0, 99.0]  # the default


def test_questionnaire_is_immutable(small_q):
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="frozen"):
        small_q.id = "other"
