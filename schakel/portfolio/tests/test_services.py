"""Rules the services enforce for pages and API alike."""

import pytest
from django.core.exceptions import ValidationError

from schakel.lib.services import StaleVersionError
from schakel.portfolio import services
from schakel.portfolio.models import Programme, Project


@pytest.mark.django_db
class TestTrash:
    def test_a_stale_copy_in_memory_does_not_overwrite_newer_edits(self, org, pmo):
        stale = Project.objects.get(pk=org.project.pk)
        services.project_update(project=org.project, version=1, by=pmo, name="Renamed")
        services.trash(obj=stale, by=pmo)
        row = Project.all_objects.get(pk=org.project.pk)
        assert row.name == "Renamed"
        assert row.is_trashed
        assert stale.is_trashed

    def test_a_programme_goes_to_the_trash_with_its_projects_and_comes_back_with_them(
        self, org, pmo
    ):
        services.trash(obj=org.programme, by=pmo)
        assert not Project.objects.filter(pk__in=[org.project.pk, org.sibling.pk]).exists()
        services.restore(obj=Programme.all_objects.get(pk=org.programme.pk), by=pmo)
        assert Project.objects.filter(pk__in=[org.project.pk, org.sibling.pk]).count() == 2

    def test_restoring_under_a_trashed_programme_is_refused(self, org, pmo):
        services.trash(obj=org.project, by=pmo)
        services.trash(obj=org.programme, by=pmo)
        project = Project.all_objects.get(pk=org.project.pk)
        with pytest.raises(ValidationError, match="Restore the programme first"):
            services.restore(obj=project, by=pmo)
        assert Project.all_objects.get(pk=org.project.pk).is_trashed


@pytest.mark.django_db
class TestProjects:
    def test_a_stale_version_is_refused_and_changes_nothing(self, org, pmo):
        services.project_update(project=org.project, version=1, by=pmo, name="First")
        with pytest.raises(StaleVersionError) as caught:
            services.project_update(project=org.project, version=1, by=pmo, name="Second")
        assert caught.value.current.name == "First"
        assert Project.objects.get(pk=org.project.pk).name == "First"

    def test_a_key_held_by_a_trashed_project_is_refused_with_a_clear_message(self, org, pmo):
        services.trash(obj=org.sibling, by=pmo)
        with pytest.raises(ValidationError) as caught:
            services.project_create(programme=org.programme, key="pol", name="Again", by=pmo)
        assert "trash" in caught.value.message_dict["key"][0]

    def test_an_archived_project_is_read_only(self, org, pmo):
        services.project_archive(project=org.project, archived=True, by=pmo)
        with pytest.raises(ValidationError, match="archived"):
            services.project_update(project=org.project, version=None, by=pmo, name="No")
        assert Project.objects.get(pk=org.project.pk).name == "Org design"

    def test_no_project_is_created_in_an_archived_programme(self, org, pmo):
        services.programme_archive(programme=org.programme, archived=True, by=pmo)
        with pytest.raises(ValidationError, match="archived"):
            services.project_create(programme=org.programme, key="NEW", name="New", by=pmo)

    def test_changing_a_programme_manager_is_validated_and_saved(self, org, pmo, manager):
        updated = services.programme_update(
            programme=org.programme, version=1, by=pmo, manager=manager
        )
        assert updated.manager == manager
        assert updated.version == 2


@pytest.mark.django_db
class TestProgrammeKeys:
    def test_a_programme_key_is_upper_cased_and_kept(self, org, pmo):
        updated = services.programme_update(programme=org.programme, version=1, by=pmo, key="vod")
        assert updated.key == "VOD"

    def test_a_programme_cannot_take_a_project_key(self, org, pmo):
        with pytest.raises(ValidationError) as caught:
            services.programme_update(programme=org.programme, version=1, by=pmo, key="ODI")
        assert "key" in caught.value.message_dict

    def test_a_project_cannot_take_a_programme_key(self, org, pmo):
        services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
        with pytest.raises(ValidationError) as caught:
            services.project_create(programme=org.programme, key="VOD", name="Clash", by=pmo)
        assert "key" in caught.value.message_dict

    def test_two_programmes_cannot_share_a_key(self, org, pmo):
        services.programme_update(programme=org.programme, version=1, by=pmo, key="VOD")
        with pytest.raises(ValidationError) as caught:
            services.programme_update(programme=org.other_programme, version=1, by=pmo, key="VOD")
        assert "key" in caught.value.message_dict

    def test_an_empty_key_is_stored_as_none(self, org, pmo):
        updated = services.programme_update(programme=org.programme, version=1, by=pmo, key="")
        assert updated.key is None
