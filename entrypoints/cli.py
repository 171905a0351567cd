"""The `integrations` command: serve, api, worker, bootstrap (and the auditors' tools)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TypedDict
from uuid import UUID

from adapters.signing_keys import SigningKeyError
from composition.root import Services, build_services
from config.settings import Settings, SettingsError
from domain.actor import Actor
from domain.apps import describe
from domain.errors import ConflictError, DomainError
from domain.groups import INTEGRATIONS_PLAN, PLANS
from domain.history import event_record
from entrypoints.api_server import PRODUCT_APP, SERVERS
from entrypoints.logging_setup import configure_logging

AUDITOR = Actor.system("auditor-cli")
DEMO_GROUP = "Demo Group"
DEMO_ENTITIES = [("DEMO-UK", "Demo Trading Ltd"), ("DEMO-IE", "Demo Services Ltd")]
DEMO_ADMIN = ("admin@demo.example", "demo-password-1234")
DEMO_STAFF = ("staff@demo.example", "demo-staff-password-1234")


class CliError(Exception):
    """Bad input: printed as one line, exit status 2."""


class ReplayMismatch(Exception):
    """The rebuild differs from the live view: exit status 3."""


def _entity(value: str) -> tuple[str, str]:
    code, sep, name = value.partition("=")
    if not sep or not code.strip() or not name.strip():
        raise argparse.ArgumentTypeError(f"expected CODE=NAME, got {value!r}")
    return code.strip(), name.strip()


class GroupIds(TypedDict):
    group_id: str
    admin_id: str
    entities: dict[str, str]  # code -> id


def bootstrap_group(
    services: Services,
    group: str,
    entities: list[tuple[str, str]],
    email: str,
    password: str,
    plan: str = INTEGRATIONS_PLAN,
) -> GroupIds:
    """A group, its entities and its first practice admin; the ids, as JSON prints them."""
    created = services.commands.directory.bootstrap_group(group, entities, email, password, plan)
    return {
        "group_id": str(created.group.id),
        "admin_id": str(created.admin.id),
        "entities": {e["code"]: e["id"] for e in created.group.entities.values()},
    }


def cmd_bootstrap(args: argparse.Namespace, services: Services) -> None:
    if not args.entity:
        raise CliError("give at least one --entity CODE=NAME")
    ids = bootstrap_group(
        services, args.group, args.entity, args.admin_email, args.admin_password, args.plan
    )
    print(json.dumps(ids, indent=2))


def cmd_staff(args: argparse.Namespace, services: Services) -> None:
    created = services.commands.team.create_staff(args.email, args.name, args.password)
    services.wait_for_views(created.position, "team")  # can log in as soon as this returns
    print(json.dumps({"staff_id": str(created.staff.id), "email": created.staff.email}))


def ensure_demo(services: Services) -> None:
    """The demo group and a demo staff member of `make run`, created once; their credentials
    are printed every time."""
    email, password = DEMO_ADMIN
    if services.commands.directory.has_user(email):
        print(f"demo group exists; log in as {email} / {password}")
    else:
        bootstrap_group(services, DEMO_GROUP, DEMO_ENTITIES, email, password)
        print(f"demo group created; log in as {email} / {password}")
    staff_email, staff_password = DEMO_STAFF
    try:
        created = services.commands.team.create_staff(staff_email, "Demo Staff", staff_password)
        services.wait_for_views(created.position, "team")
    except ConflictError:
        pass  # made by an earlier run
    print(f"the vendor's team console (/team/): log in as {staff_email} / {staff_password}")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> None:
    from entrypoints.server import serve

    if args.demo:
        services = build_services(settings)
        services.start_projections()
        try:
            ensure_demo(services)
        finally:
            services.close()
        base = f"http://{args.host}:{args.port}"
        print(f"admin screens: {base}/   Developer Portal: {base}/portal/   API docs: {base}/docs")
    serve(args.host, args.port, threads=args.threads)


def cmd_api(args: argparse.Namespace) -> None:
    from entrypoints.api_server import ApiServer

    extra = args.server_args[1:] if args.server_args[:1] == ["--"] else args.server_args
    ApiServer(
        args.server,
        args.host,
        args.port,
        args.workers,
        args.threads,
        args.access_log,
        args.app,
        tuple(extra),
    ).run()


def cmd_worker(args: argparse.Namespace, services: Services) -> None:
    from entrypoints.worker import run_worker

    run_worker(services)


def cmd_history(args: argparse.Namespace, services: Services) -> None:
    found = services.commands.apps.app_history(AUDITOR, _uuid(args.app_id), None)
    for event in found.events:
        record = event_record(event)
        actor = record["actor"] or {}
        print(
            f"{record['timestamp']}  v{record['version']:<4} {record['event']:<40} "
            f"{actor.get('type', '-')}:{actor.get('name', '-')}  "
            f"{json.dumps(record['data'], sort_keys=True)}"
        )


def cmd_state(args: argparse.Namespace, services: Services) -> None:
    as_of = _moment(args.as_of)
    found = services.commands.apps.app_history(AUDITOR, _uuid(args.app_id), as_of)
    if found.state is None:
        raise CliError(f"the application did not exist at {as_of.isoformat()}")
    print(json.dumps(describe(found.state, as_of), indent=2, sort_keys=True))


def cmd_replay(args: argparse.Namespace, services: Services) -> None:
    from entrypoints.replay import replay

    names = [args.projection] if args.projection else list(services.views)
    if args.projection and args.projection not in services.views:
        raise CliError(
            f"unknown projection {args.projection!r}; one of {', '.join(services.views)}"
        )
    total = 0
    for name in names:
        differences = replay(services, name)
        for d in differences:
            print(f"{name}.{d.table}: {d.side}: {d.row}")
        print(f"{name}: {len(differences)} difference(s)")
        total += len(differences)
    if total:
        raise ReplayMismatch(f"{total} difference(s) between the live views and the rebuild")


def cmd_keys(args: argparse.Namespace, services: Services) -> None:
    """`keys rotate`: every process signs with the new key within seconds (it re-reads the
    keys); the previous key verifies until the last token it signed has expired."""
    kid = services.access_tokens.rotate()
    print(f"new signing key {kid}; the previous one verifies until its tokens expire")


def _uuid(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise CliError(f"not an application id: {value!r}") from None


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise CliError(f"--as-of must be ISO 8601, not {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="integrations", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="API + portal + OAuth + SOAP, workers in-process")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--threads", type=int, default=8)
    serve.add_argument("--demo", action="store_true", help="create the demo group if missing")
    api = sub.add_parser("api", help="API processes for production (the views from workers)")
    api.add_argument("--server", choices=SERVERS, default=SERVERS[0])
    api.add_argument("--host", default="127.0.0.1")
    api.add_argument("--port", type=int, default=8000)
    api.add_argument("--workers", type=int, default=2, help="processes")
    api.add_argument("--threads", type=int, default=4, help="threads per process")
    api.add_argument("--access-log", action="store_true", help="one line per request, stdout")
    api.add_argument("--app", default=PRODUCT_APP, help=argparse.SUPPRESS)  # the bench's app
    api.add_argument("server_args", nargs=argparse.REMAINDER, help="-- then the server's own")
    sub.add_parser("worker", help="projection runners and other workers, until SIGTERM")
    boot = sub.add_parser("bootstrap", help="a group, its entities and its practice admin")
    boot.add_argument("--group", required=True)
    boot.add_argument("--entity", action="append", type=_entity, metavar="CODE=NAME")
    boot.add_argument("--admin-email", required=True)
    boot.add_argument("--admin-password", required=True)
    boot.add_argument(
        "--plan", choices=PLANS, default=INTEGRATIONS_PLAN, help="the product plan (aiq3)"
    )
    history = sub.add_parser("history", help="every event of an app, oldest first")
    history.add_argument("app_id")
    state = sub.add_parser("state", help="an app exactly as it was at a moment")
    state.add_argument("app_id")
    state.add_argument("--as-of", required=True, help="ISO 8601 date-time (naive = UTC)")
    rebuild = sub.add_parser("replay", help="rebuild read models from event 1 and compare")
    rebuild.add_argument("projection", nargs="?", help="one of the read models (default all)")
    staff = sub.add_parser("staff", help="the vendor's team: accounts for /team/")
    staff.add_argument("action", choices=["create"])
    staff.add_argument("--email", required=True)
    staff.add_argument("--password", required=True)
    staff.add_argument("--name", required=True, help="full name")
    keys = sub.add_parser("keys", help="the keys that sign access tokens")
    keys.add_argument("action", choices=["rotate"], help="rotate: a new current signing key")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        if args.command == "api":  # each server process reads the settings itself
            cmd_api(args)
            return 0
        settings = Settings.from_env()
        if args.command == "serve":
            cmd_serve(args, settings)
            return 0
        commands: dict[str, Callable[[argparse.Namespace, Services], None]] = {
            "bootstrap": cmd_bootstrap,
            "worker": cmd_worker,
            "history": cmd_history,
            "state": cmd_state,
            "replay": cmd_replay,
            "keys": cmd_keys,
            "staff": cmd_staff,
        }
        if args.command == "worker":
            configure_logging(settings.log_level)
        services = build_services(settings)
        if args.command == "worker":
            services.start_workers()
        else:
            services.start_projections()
        try:
            commands[args.command](args, services)
        finally:
            services.close()
    except ReplayMismatch as error:
        print(f"integrations {args.command}: {error}", file=sys.stderr)
        return 3
    except (CliError, SettingsError, SigningKeyError, DomainError) as error:
        print(f"integrations {args.command}: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # one line, not a traceback, for any other failure
        print(f"integrations {args.command}: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
