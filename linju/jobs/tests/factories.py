"""Where the jobs tests' employers stand and the vacancies they post."""

from linju.geo.models import Town, Village
from linju.geo.tests.factories import VillageFactory
from linju.jobs.models import Employer, Vacancy
from linju.jobs.services import vacancy_post

ORDINARY = {
    "occupation_group": "6",
    "skills": [],
    "min_education": 0,
    "wage_min": 3000,
    "wage_max": 4000,
    "shifts": ["day"],
}


def industrial_park(town: Town) -> Village:
    """The industrial park, a village of its own in `town` (东溪镇 in the tests)."""
    return VillageFactory(town=town, code="500110109999", name="工业园")


def vacancy_posted(employer: Employer, title: str, *, actor=None, **changes) -> Vacancy:
    """A vacancy at `employer`: ordinary work (occupation group 6) on day shifts, no skill or schooling
    asked, 3,000 to 4,000 yuan a month, except where `changes` say otherwise."""
    return vacancy_post(actor=actor, employer_id=employer.pk, title=title, **(ORDINARY | changes))
