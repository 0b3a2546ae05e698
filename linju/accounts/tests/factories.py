import factory

from linju.accounts.models import User
from linju.accounts.services import api_token_create
from linju.geo.tests.factories import BureauFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    display_name = factory.Sequence(lambda n: f"工作人员{n}")
    role = User.Role.DISTRICT_STAFF
    bureau = factory.SubFactory(BureauFactory)
    password = factory.django.Password("pw-for-tests-1")

    @factory.post_generation
    def towns(self, create, extracted, **kwargs):
        if create and extracted:
            self.towns.set(extracted)


class CadreFactory(UserFactory):
    role = User.Role.TOWNSHIP_CADRE


class LeaderFactory(UserFactory):
    role = User.Role.LEADER


class AdminFactory(UserFactory):
    role = User.Role.DISTRICT_ADMIN
    is_staff = True


def bearer(user: User) -> dict[str, str]:
    """The header a tablet sends the API as `user`, with a new token's key, for the test client:
    `client.get(url, **bearer(served.cadre))`."""
    _token, key = api_token_create(user=user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}
