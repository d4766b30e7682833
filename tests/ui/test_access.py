"""The merchandiser's and analyst's apps refuse anyone who has not logged in.

HTTP-level checks against the real server: pages, configuration and every
kind of API route (queue, call, run, upload, info) of the two guarded
apps, and the Python client without a login.
"""

from __future__ import annotations

import pytest
import requests

GUARDED = ["/merchant", "/analyst"]

# (method, route under an app) of the routes that reach an app's functions.
API_ROUTES = [
    ("GET", "/config"),
    ("GET", "/gradio_api/info"),
    ("GET", "/gradio_api/openapi.json"),
    ("POST", "/gradio_api/queue/join"),
    ("GET", "/gradio_api/queue/data?session_hash=abc"),
    ("POST", "/gradio_api/call/import_garments"),
    ("POST", "/gradio_api/call/v2/import_garments"),
    ("POST", "/gradio_api/run/import_garments"),
    ("POST", "/gradio_api/api/key_figures"),
    ("POST", "/gradio_api/upload"),
    ("GET", "/gradio_api/file=/etc/hostname"),
]


@pytest.mark.parametrize("app", GUARDED)
@pytest.mark.parametrize(("method", "route"), API_ROUTES)
def test_guarded_api_refuses_anonymous(live_server, app, method, route):
    response = requests.request(
        method,
        live_server.url + app + route,
        json={"data": [], "fn_index": 0},
        timeout=10,
    )
    assert response.status_code in (401, 403), (route, response.status_code)


@pytest.mark.parametrize(
    ("app", "wrong_role"), [("/merchant", "analyst"), ("/analyst", "merchant")]
)
def test_other_roles_cannot_log_in(live_server, app, wrong_role):
    user, password = live_server.login(wrong_role)
    response = requests.post(
        live_server.url + app + "/login",
        data={"username": user, "password": password},
        timeout=10,
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("app", "role"), [("/merchant", "merchant"), ("/analyst", "analyst")]
)
def test_login_opens_the_app(live_server, app, role):
    user, password = live_server.login(role)
    session = requests.Session()
    response = session.post(
        live_server.url + app + "/login",
        data={"username": user, "password": password},
        timeout=10,
    )
    assert response.status_code == 200
    assert session.get(live_server.url + app + "/config", timeout=10).status_code == 200
    # The login of one app does not open the other.
    other = "/analyst" if app == "/merchant" else "/merchant"
    assert (
        session.get(live_server.url + other + "/config", timeout=10).status_code == 401
    )


def test_shopper_app_is_open_and_exposes_no_staff_functions(live_server):
    info = requests.get(live_server.url + "/gradio_api/info", timeout=10)
    assert info.status_code == 200
    names = set(info.json()["named_endpoints"])
    assert "/try_on_photo" in names
    staff = {"/import_garments", "/remove_garment", "/key_figures", "/export_csv"}
    assert not names & staff


@pytest.mark.parametrize("app", GUARDED)
def test_python_client_without_login_is_refused(live_server, app):
    from gradio_client import Client

    url = live_server.url + app + "/"
    with pytest.raises(Exception) as caught:
        Client(url, verbose=False)
    assert str(caught.value) == (
        f"Could not load {url} as credentials were not provided. Please login."
    )


def _analyst_export_path(live_server) -> tuple[requests.Session, str, str]:
    """Log in as the analyst, export the tables; (session, server path, url)."""
    import re

    user, password = live_server.login("analyst")
    session = requests.Session()
    analyst = live_server.url + "/analyst"
    session.post(analyst + "/login", data={"username": user, "password": password})
    call = session.post(
        analyst + "/gradio_api/call/key_figures",
        json={"data": ["all time", ""]},
        timeout=60,
    )
    event = call.json()["event_id"]
    stream = session.get(
        analyst + f"/gradio_api/call/key_figures/{event}", timeout=120
    ).text
    path = re.findall(r'"path": ?"([^"]+\.csv)"', stream)[0]
    url = re.findall(r'"url": ?"([^"]+\.csv)"', stream)[0]
    return session, path, url


def test_staff_files_are_not_served_by_the_other_apps(live_server):
    session, path, url = _analyst_export_path(live_server)
    assert session.get(url, timeout=10).status_code == 200
    # Known path, but asked of the open shopper app or without the login.
    shopper = requests.get(live_server.url + "/gradio_api/file=" + path, timeout=10)
    assert shopper.status_code == 403
    assert requests.get(url, timeout=10).status_code == 401
