"""A database outage answers 503 (never a 500 or a traceback) and service resumes by itself.

The unit tests (every engine) simulate `OperationalError` in a view, in the API and in the
session lookup of a middleware. The load test (PostgreSQL only) puts a TCP proxy between
the app and the server, sends pages and API requests from several threads, has the proxy
drop every connection and refuse new ones for two seconds — what a restart looks like to
the app — and checks every answer, then that requests succeed again without restarting
anything. The real server is never restarted: other tests share it.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection, connections
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path

from schakel.lib import middleware_db

# Every test here commits (the outage test must: its requests run on other connections). A
# file that mixed committing and rolled-back tests would run its committing ones, which empty
# the tables, before other files' tests on the same worker (see conftest.py).
pytestmark = pytest.mark.django_db(transaction=True)

# --- unit tests: the middleware with a simulated outage ---------------------------------


def _failing_view(request: HttpRequest) -> HttpResponse:
    raise OperationalError("server closed the connection unexpectedly\nThis probably means")


def _interface_error_view(request: HttpRequest) -> HttpResponse:
    raise InterfaceError("connection already closed")


def _other_error_view(request: HttpRequest) -> HttpResponse:
    raise ValueError("not a database problem")


urlpatterns = [
    path("outage/page/", _failing_view),
    path("outage/closed/", _interface_error_view),
    path("outage/other/", _other_error_view),
    path("api/v1/outage/", _failing_view),
    path("", include("config.urls")),
]

outage_urls = pytest.mark.urls(__name__)


def _assert_clean_503(response: HttpResponse) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == str(middleware_db.RETRY_AFTER)
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "server closed" not in body
    return body


@pytest.mark.django_db(transaction=True)
@outage_urls
def test_a_page_whose_view_meets_an_outage_answers_503_without_touching_the_database(
    caplog, django_assert_num_queries
):
    with caplog.at_level(logging.WARNING), django_assert_num_queries(0):
        response = Client(raise_request_exception=False).get("/outage/page/")

    body = _assert_clean_503(response)
    assert response["Content-Type"].startswith("text/html")
    assert "Schakel is briefly unavailable" in body
    warnings = [r for r in caplog.records if r.name == "schakel.lib.middleware_db"]
    assert len(warnings) == 1
    assert warnings[0].levelno == logging.WARNING
    assert warnings[0].exc_info is None
    assert "\n" not in warnings[0].getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.django_db(transaction=True)
@outage_urls
def test_an_interface_error_counts_as_an_outage_too():
    response = Client(raise_request_exception=False).get("/outage/closed/")

    _assert_clean_503(response)


@pytest.mark.django_db(transaction=True)
@outage_urls
def test_the_api_answers_503_with_a_json_detail():
    response = Client(raise_request_exception=False).get("/api/v1/outage/")

    _assert_clean_503(response)
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "The service is briefly unavailable. Please try again in a moment."
    }


@pytest.mark.django_db(transaction=True)
@outage_urls
def test_other_errors_stay_500():
    response = Client(raise_request_exception=False).get("/outage/other/")

    assert response.status_code == 500


def test_an_outage_in_the_session_lookup_of_a_middleware_answers_503(org, pmo, caplog):
    """The user is looked up in a middleware, before any view: Django turns the error into a
    500 there; the outage middleware must still answer 503 and log one line, not a traceback."""
    client = Client(raise_request_exception=False)
    client.force_login(pmo)

    with (
        caplog.at_level(logging.WARNING),
        mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")),
    ):
        page = client.get("/")
        api = client.get("/api/v1/projects/")

    _assert_clean_503(page)
    assert "Schakel is briefly unavailable" in page.content.decode()
    _assert_clean_503(api)
    assert "detail" in api.json()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert client.get("/").status_code == 200


def test_healthz_answers_503_when_the_database_is_down(transactional_db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = Client(raise_request_exception=False).get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_a_broken_connection_is_closed_so_the_next_request_reconnects():
    broken = mock.Mock(in_atomic_block=False)
    in_transaction = mock.Mock(in_atomic_block=True)
    with mock.patch.object(connections, "all", return_value=[broken, in_transaction]):
        middleware = middleware_db.DatabaseUnavailableMiddleware(lambda request: HttpResponse())
        middleware.process_exception(mock.Mock(path="/", method="GET"), OperationalError("gone"))

    broken.close_if_unusable_or_obsolete.assert_called_once_with()
    in_transaction.close_if_unusable_or_obsolete.assert_not_called()


# --- load test: a PostgreSQL "restart" behind a proxy ------------------------------------


class FlakyProxy:
    """A TCP proxy to the database server that can drop every connection and refuse new ones."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.stopped = False
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        self.refused = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                self.refused += 1
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.open.update({client, upstream})
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            self._close(source)
            self._close(target)

    def _close(self, sock: socket.socket) -> None:
        with self.lock:
            self.open.discard(sock)
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def drop(self) -> None:
        """The server goes down: open connections break, new ones are refused."""
        self.up.clear()
        with self.lock:
            sockets = list(self.open)
        for sock in sockets:
            self._close(sock)

    def restore(self) -> None:
        self.up.set()

    def stop(self) -> None:
        self.stopped = True
        self.listener.close()
        self.drop()


PATHS = ("/", "/api/v1/projects/", "/healthz")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: a restart is simulated with a TCP proxy to the server",
)
@pytest.mark.django_db(transaction=True)
def test_requests_during_a_database_restart_fail_cleanly_and_service_resumes(org, pmo):
    db_settings = connections.settings["default"]
    saved = (db_settings["HOST"], db_settings["PORT"])
    proxy = FlakyProxy(db_settings["HOST"] or "127.0.0.1", int(db_settings["PORT"] or 5432))
    db_settings["HOST"], db_settings["PORT"] = "127.0.0.1", str(proxy.port)
    phase = {"now": "before"}
    answers: list[tuple[str, str, int, str]] = []  # (phase at the end, path, status, body)
    recovered: dict[int, float] = {}
    stop = threading.Event()
    problems: list[BaseException] = []

    def load(worker: int) -> None:
        try:
            client = Client(raise_request_exception=False)
            client.force_login(pmo)
            answered: set[str] = set()
            n = 0
            while not stop.is_set():
                url = PATHS[(worker + n) % len(PATHS)]
                n += 1
                response = client.get(url)
                when = phase["now"]
                answers.append((when, url, response.status_code, response.content.decode()))
                if when == "after" and response.status_code == 200:
                    answered.add(url)
                    if answered == set(PATHS):
                        recovered[worker] = time.monotonic()
                        return
                time.sleep(0.02)
        except BaseException as error:  # reported by the test
            problems.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=load, args=(i,), daemon=True) for i in range(3)]
    try:
        for thread in workers:
            thread.start()
        time.sleep(1.0)
        phase["now"] = "down"
        proxy.drop()
        time.sleep(2.0)
        phase["now"] = "after"
        proxy.restore()
        deadline = time.monotonic() + 20
        while len(recovered) < len(workers) and time.monotonic() < deadline and not problems:
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in workers:
            thread.join(timeout=10)
        proxy.stop()
        db_settings["HOST"], db_settings["PORT"] = saved

    assert not problems, problems
    statuses = {status for _phase, _url, status, _body in answers}
    assert statuses <= {200, 503}, [(u, s) for _p, u, s, _b in answers if s not in (200, 503)]
    leaks = ("Traceback", "OperationalError", "InterfaceError")
    assert not [u for _p, u, _s, body in answers if any(leak in body for leak in leaks)]
    during = [status for when, _url, status, _body in answers if when == "down"]
    assert during and 503 in during, "the outage was not felt; the test proves nothing"
    assert any(status == 200 for when, _u, status, _b in answers if when == "before")
    assert sorted(recovered) == list(range(len(workers))), "service did not resume by itself"
    for url in PATHS:
        assert any(
            when == "after" and u == url and status == 200 for when, u, status, _b in answers
        ), f"{url} did not answer 200 after the outage"
    api_503 = [b for w, u, s, b in answers if s == 503 and u.startswith("/api/")]
    assert all(body.startswith('{"detail"') for body in api_503)
