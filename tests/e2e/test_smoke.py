from tests.e2e.conftest import World


def test_admin_creates_an_app_and_sees_it_listed(world: World) -> None:
    created = world.create()
    assert len(created["otp"]) == 8 and created["otp"].isdigit()
    assert created["status"] == "pending_verification"
    listed = world.admin.list_apps().json()
    assert [a["id"] for a in listed] == [created["id"]]
