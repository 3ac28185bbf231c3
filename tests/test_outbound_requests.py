"""The server fetches no URL: no code of ours imports a network client, and PDFs fetch nothing.

Server-side request forgery needs a server that fetches what a user names. Today Schakel
fetches nothing: calendar feeds are served, not read; documents are built in memory; the
PDF renderer gets a URL fetcher that refuses every URL (tested in the exports' tests).
This test keeps it so. The first feature that must fetch a URL (webhooks, remote
calendars) fails it, and must then bring a guard that refuses private, loopback and
link-local addresses, also after redirects, before it is added to ALLOWED below.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("schakel", "config")

# Modules that open network connections to addresses the code chooses.
NETWORK_CLIENTS = {
    "socket",
    "ssl",
    "http.client",
    "urllib.request",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "pycurl",
    "ftplib",
    "smtplib",  # e-mail goes through Django's mail backend, configured by the operator
    "telnetlib",
    "xmlrpc.client",
    "websocket",
    "websockets",
}
# (file, module) pairs allowed to import one of them, each with the reason.
ALLOWED: set[tuple[str, str]] = {
    # Only smtplib's exception classes, to tell a mail server that is down from an address it
    # refuses; mail is sent by Django's backend to the server the operator configured.
    ("schakel/lib/tasks.py", "smtplib"),
}


def _sources() -> list[Path]:
    files: list[Path] = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "tests" not in path.relative_to(ROOT).parts:
                files.append(path)
    return files


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "__import__"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return found


def _is_client(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in NETWORK_CLIENTS)


def test_no_code_of_ours_imports_a_network_client():
    offenders = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        relative = str(path.relative_to(ROOT))
        for module in sorted(_imports(tree)):
            if _is_client(module) and (relative, module) not in ALLOWED:
                offenders.append(f"{relative}: {module}")
    assert offenders == []


def test_the_scan_sees_every_way_of_importing():
    tree = ast.parse(
        "import socket\nfrom urllib import request\nfrom http.client import HTTPConnection\n"
        "x = __import__('requests')\nfrom . import socket as local\n"
    )
    clients = {m for m in _imports(tree) if _is_client(m)}
    assert clients == {
        "socket",
        "urllib.request",
        "http.client",
        "http.client.HTTPConnection",
        "requests",
    }
    assert len(_sources()) > 100


def test_only_the_pdf_module_calls_weasyprint():
    """WeasyPrint fetches what a document links to unless given our refusing fetcher."""
    callers = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if "weasyprint.HTML(" in text or "from weasyprint import" in text:
            callers.append(str(path.relative_to(ROOT)))
    assert callers == ["schakel/core/exports/pdf.py"]
