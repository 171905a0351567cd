"""The thin UI's files: served by the app itself, under a strict CSP, nothing from elsewhere."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from api.ui.routes import STATIC
from tests.conftest import LiveServer

IMPORT = re.compile(r"""^import\s[^;]*?from\s+["']([^"']+)["'];""", re.MULTILINE)


def static_files() -> list[Path]:
    return sorted(p for p in STATIC.rglob("*") if p.is_file())


def ui_files() -> list[Path]:
    return [*static_files(), *sorted((STATIC.parent / "templates").glob("*.html"))]


def test_pages_are_served_with_a_strict_content_security_policy(server: LiveServer) -> None:
    for path, script in [
        ("/", "/ui/admin/main.js"),
        ("/portal/", "/ui/portal/main.js"),
        ("/portal/signup", "/ui/portal/main.js"),
    ]:
        response = requests.get(server.url + path, timeout=10)
        assert response.status_code == 200, path
        assert response.headers["Content-Type"].startswith("text/html")
        assert f'<script type="module" src="{script}">' in response.text
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"


def test_every_file_is_served_with_its_type(server: LiveServer) -> None:
    types = {".js": "text/javascript", ".css": "text/css"}
    for file in static_files():
        url = f"{server.url}/ui/{file.relative_to(STATIC).as_posix()}"
        response = requests.get(url, timeout=10)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"].startswith(types[file.suffix]), url
        assert response.content == file.read_bytes()
    assert requests.get(f"{server.url}/ui/../pyproject.toml", timeout=10).status_code == 404


def test_nothing_comes_from_another_origin_and_every_import_resolves() -> None:
    resolved = 0
    for file in ui_files():
        text = file.read_text(encoding="utf-8")
        # No CDN, no web font, no analytics: the only URLs are the app's own paths.
        assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:)?//", text), file
        assert "@import url(" not in text, file
        if file.suffix == ".js":
            for target in IMPORT.findall(text):
                assert target.startswith("./") or target.startswith("../"), (file, target)
                assert (file.parent / target).resolve().is_file(), (file, target)
                resolved += 1
    assert resolved > 30  # the pattern really finds the modules' imports
