"""The extraction pipeline: an ordered tuple of stages whose declarations hold together."""
from __future__ import annotations

from kg.extract import GIVEN, PIPELINE, Stage
from helpers import run


def test_every_stage_needs_only_what_is_given_or_assigned_before_it():
    available = set(GIVEN)
    for stage in PIPELINE:
        assert isinstance(stage, Stage)
        missing = set(stage.requires) - available
        assert not missing, f"{stage.name} needs {missing} before anything assigns it"
        available |= set(stage.assigns)


def test_stage_names_are_unique_and_resolution_comes_between_names_and_facts():
    names = [s.name for s in PIPELINE]
    assert len(names) == len(set(names))
    resolve = names.index("resolve")
    assert all("spans" in s.assigns for s in PIPELINE[:resolve])
    assert all("relations" in s.assigns for s in PIPELINE[resolve + 1:])


def test_facts_are_records_with_keys():
    ex = run("Bộ trưởng Bộ Y tế Nguyễn Văn An phát biểu tại Hội nghị Y tế 2023 ở Hà Nội.")
    membership = next(r for r in ex.relations if r.kind == "membership")
    assert type(membership).__name__ == "Membership"
    assert membership.args == (membership.person, membership.role, membership.org)
    assert all(isinstance(x, str) for x in membership.args)
