"""MS Project XML into and out of a project's plan, checked on the public sample files.

The samples carry the dates MS Project (or ProjectLibre, or MPXJ) computed: importing them
and scheduling with our engine must give the same dates — a check of the engine against
another tool's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from schakel.core.importers.mspdi import read_mspdi
from schakel.planning import services, transfer
from schakel.planning.models import Baseline, Task, TaskLink

SAMPLES = Path(__file__).resolve().parents[3] / ".." / "shared" / "samples" / "msproject"


def sample(name: str) -> bytes:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"sample {name} not found in {SAMPLES}")
    return path.read_bytes()


def _agreement(project, data: bytes) -> tuple[int, int, list[str]]:
    """How many leaf tasks got the file's start and finish from our engine."""
    stated = {t.name: (t.start, t.finish) for t in read_mspdi(data).tasks if not t.is_summary}
    ours = {
        t.name: (t.start, t.finish) for t in Task.objects.filter(project=project, summary=False)
    }
    same = [name for name, dates in stated.items() if ours.get(name) == dates]
    differ = [f"{n}: file {stated[n]} ours {ours.get(n)}" for n in stated if n not in same]
    return len(same), len(stated), differ


@pytest.mark.parametrize(
    "name",
    [
        "mpxj_task-links-project2019-mspdi.xml",
        "projectlibre_New Product.xml",
    ],
)
def test_our_engine_gives_the_dates_the_other_tool_computed(org, manager, name):
    data = sample(name)
    result = transfer.import_plan(project=org.project, data=data, by=manager)

    same, total, differ = _agreement(org.project, data)

    assert result.tasks == Task.objects.filter(project=org.project).count() > 0
    assert same == total, "\n".join(differ[:10])


def test_a_large_template_with_half_day_tasks_imports_whole(org, manager):
    """Its tasks take hours, which a day-granular plan rounds: the dates then differ from
    MS Project's (documented), but the structure comes over complete."""
    data = sample("derived/projectlibre_Microsoft Office Project 2003 deployment.mpxj.xml")
    result = transfer.import_plan(project=org.project, data=data, by=manager)

    tasks = Task.objects.filter(project=org.project)
    assert result.tasks == tasks.count() == 322
    assert result.links == 138
    assert tasks.filter(summary=True).count() == 72
    assert tasks.filter(milestone=True).count() == 23
    assert tasks.filter(level=8).count() == 12
    assert not tasks.filter(start__isnull=True).exists()


def test_a_sample_with_every_link_type_constraints_and_a_lead_imports(org, manager):
    data = sample("mpxj_sample.xml")
    result = transfer.import_plan(project=org.project, data=data, by=manager)

    assert result.tasks == 19 and result.links == 6
    types = sorted(TaskLink.objects.values_list("type", flat=True))
    assert types == ["FF", "FS", "FS", "FS", "SF", "SS"]
    assert sorted(TaskLink.objects.values_list("lag", flat=True)) == [-1, 0, 0, 0, 0, 1]
    assert Task.objects.filter(project=org.project, constraint="SNET").count() == 4
    assert Task.objects.filter(project=org.project, summary=True).count() == 3
    assert any("resources" in w for w in result.warnings)


def test_baselines_and_progress_come_along(org, manager):
    data = sample("derived/aspose_Software Development.mpxj.xml")
    result = transfer.import_plan(project=org.project, data=data, by=manager)

    assert result.baselines == 1
    baseline = Baseline.objects.get(project=org.project)
    assert baseline.tasks.count() == 86
    assert Task.objects.filter(project=org.project, percent_complete__gt=0).count() == 86
    # Percent leads became days of the predecessor's duration.
    assert TaskLink.objects.filter(lag__lt=0).count() == 3


def test_export_and_import_again_gives_the_same_plan(org, manager):
    transfer.import_plan(
        project=org.project, data=sample("projectlibre_New Product.xml"), by=manager
    )
    exported = transfer.export_plan(org.project)

    transfer.import_plan(project=org.sibling, data=exported, by=manager)

    def shape(project):
        return [
            (t.wbs, t.name, t.milestone, t.summary, t.duration, t.start, t.finish)
            for t in services.outline(project)
        ]

    def links(project):
        return sorted(
            TaskLink.objects.filter(predecessor__project=project).values_list(
                "predecessor__wbs", "successor__wbs", "type", "lag"
            )
        )

    assert shape(org.sibling) == shape(org.project)
    assert links(org.sibling) == links(org.project)


def test_a_bad_file_is_refused_and_the_plan_is_kept(org, manager):
    services.plan_of(org.project)
    services.task_create(project=org.project, by=manager, name="Keep me", duration=2)

    with pytest.raises(ValidationError) as refused:
        transfer.import_plan(project=org.project, data=b"<not xml", by=manager, replace=True)
    assert "cannot be imported" in str(refused.value)
    with pytest.raises(ValidationError):
        transfer.import_plan(project=org.project, data=sample("mpxj_sample.xml"), by=manager)
    assert list(Task.objects.values_list("name", flat=True)) == ["Keep me"]


def test_exporting_a_project_without_a_plan_writes_nothing(org):
    from schakel.planning.models import ProjectPlan

    data = transfer.export_plan(org.project)

    assert read_mspdi(data).tasks == ()
    assert not ProjectPlan.objects.exists()


@pytest.mark.parametrize(
    ("data", "english", "dutch"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "Save As › XML", "Opslaan als › XML"),
        (b"<not xml", "not a valid XML file", "geen geldig XML-bestand"),
    ],
)
def test_a_refusal_is_explained_in_the_users_language(org, manager, data, english, dutch):
    from django.utils import translation

    for language, expected in (("en", english), ("nl", dutch)):
        with translation.override(language), pytest.raises(ValidationError) as refused:
            transfer.import_plan(project=org.project, data=data, by=manager)
        assert expected in " ".join(refused.value.messages)


def _task(uid: int, name: str, extra: str) -> str:
    return f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name>{extra}</Task>"


LONG = _task(1, "Build", "<Duration>PT99999999H0M0S</Duration>")
LAGGED = _task(1, "Build", "<Duration>PT8H0M0S</Duration>") + _task(
    2,
    "Test",
    "<Duration>PT8H0M0S</Duration><PredecessorLink><PredecessorUID>1</PredecessorUID>"
    "<Type>1</Type><LinkLag>999999999</LinkLag><LagFormat>7</LagFormat></PredecessorLink>",
)


@pytest.mark.parametrize(
    ("tasks", "says"),
    [
        (LONG, "task “Build” lasts"),
        (LAGGED, "task “Test” has a lag"),
    ],
)
def test_values_no_plan_can_hold_refuse_the_file_and_keep_the_plan(org, manager, tasks, says):
    """Found by fuzzing on PostgreSQL: such values overflowed the columns (a server error)."""
    services.plan_of(org.project)
    services.task_create(project=org.project, by=manager, name="Keep me", duration=2)
    data = f'<Project xmlns="http://schemas.microsoft.com/project"><Tasks>{tasks}</Tasks></Project>'
    with pytest.raises(ValidationError) as refused:
        transfer.import_plan(project=org.project, data=data.encode(), by=manager, replace=True)
    assert says in str(refused.value)
    assert list(Task.objects.values_list("name", flat=True)) == ["Keep me"]
