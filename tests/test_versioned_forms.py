"""The shared edit plumbing: a stale save shows the stored values; service errors land on fields."""

import pytest
from django.core.exceptions import ValidationError

from schakel.lib.forms import save_versioned
from schakel.portfolio import services
from schakel.portfolio.forms import ProjectForm
from schakel.portfolio.models import Project

pytestmark = pytest.mark.django_db


def edit_form(project, **changes):
    data = {
        "key": project.key,
        "name": project.name,
        "phase": project.phase,
        "state": project.state,
        "tags": "IT, Finance",
        "version": project.version,
        "theme": project.theme_id or "",
        "description": "Line one\r\nLine two",
    }
    data.update(changes)
    form = ProjectForm(data, instance=Project.objects.get(pk=project.pk))
    assert form.is_valid(), form.errors
    return form


def update_with(form, project, user):
    return lambda: services.project_update(
        project=project,
        version=form.cleaned_data["version"],
        by=user,
        tags=services.tags_from_names(form.tag_names()),
        **form.changes(),
    )


def test_a_stale_save_answers_409_with_the_fields_that_differ_and_the_stored_values(org, pmo):
    services.project_update(
        project=org.project,
        version=1,
        by=pmo,
        name="Theirs",
        description="Line one\nLine two",
        tags=services.tags_from_names(["finance", "it"]),
    )
    form = edit_form(org.project, name="Mine", version=1)
    result = save_versioned(form, update_with(form, org.project, pmo))
    assert result.saved is None
    assert result.status == 409
    # Only the name differs: line endings and the case of tags do not count as changes.
    assert result.conflict == [("Name", "Mine", "Theirs")]
    assert result.form.initial["name"] == "Theirs"
    assert Project.objects.get(pk=org.project.pk).name == "Theirs"


def test_a_current_save_returns_the_saved_object(org, pmo):
    form = edit_form(org.project, name="Renamed")
    result = save_versioned(form, update_with(form, org.project, pmo))
    assert result.saved is not None and result.saved.name == "Renamed"
    assert result.status == 200


def test_service_errors_land_on_their_field(org, pmo):
    form = edit_form(org.project)

    def refuse():
        raise ValidationError({"name": "Not this name.", "nonexistent": "Elsewhere."})

    result = save_versioned(form, refuse)
    assert result.saved is None
    assert form.errors["name"] == ["Not this name."]
    assert form.non_field_errors() == ["Elsewhere."]
