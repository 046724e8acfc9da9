from __future__ import annotations

import sys

import typer

from investdesk.cli.app import app
from investdesk.cli.common import FormatOption, OutputFormat, console, render
from investdesk.cli.context import operator_actor, unit_of_work
from investdesk.models.enums import Role
from investdesk.users import service, tokens
from investdesk.users.schemas import UserCreate, UserRead

user_app = typer.Typer(help="Users, roles and API tokens.", no_args_is_help=True)
app.add_typer(user_app, name="user")
ADMIN = operator_actor("user")  # administrative: the operator of the machine manages users


@user_app.command("add")
def user_add(email: str, role: Role = typer.Option(..., help="admin, manager, officer, nodal_officer or viewer."),
             name: str = typer.Option(""), district: list[str] = typer.Option([], "--district"),
             department: list[str] = typer.Option([], "--department"),
             password_stdin: bool = typer.Option(False, "--password-stdin",
                                                 help="Read the password from standard input.")) -> None:
    """Add a user; prints the generated one-time password unless one is read from standard input."""
    password = sys.stdin.readline().strip() if password_stdin else None
    with unit_of_work() as session:
        user, pw = service.create_user(session, actor=ADMIN, data=UserCreate(
            email=email, name=name, role=role, districts=district, departments=department, password=password))
    console.print(f"added {user.email} ({user.role.value})" + ("" if password else f"; one-time password: {pw}"))


@user_app.command("passwd")
def user_passwd(email: str) -> None:
    """Give a user a new one-time password (it expires, and signs in once); their sessions end."""
    with unit_of_work() as session:
        pw = service.set_password(session, actor=ADMIN, email=email)
    console.print(f"new one-time password for {email}: {pw}")


@user_app.command("disable")
def user_disable(email: str) -> None:
    """Disable a user: their sessions end and their API tokens are revoked."""
    with unit_of_work() as session:
        service.disable(session, actor=ADMIN, email=email)
    console.print(f"disabled {email}")


@user_app.command("list")
def user_list(fmt: OutputFormat = FormatOption) -> None:
    """List users."""
    with unit_of_work() as session:
        rows = [UserRead.model_validate(u).model_dump(mode="json") for u in service.list_users(session, actor=ADMIN)]
    render(rows, fmt, columns=["id", "email", "name", "role", "districts", "departments", "is_active"])


@user_app.command("enable")
def user_enable(email: str) -> None:
    """Let a disabled user sign in again (revoked API tokens stay revoked)."""
    with unit_of_work() as session:
        service.enable(session, actor=ADMIN, email=email)
    console.print(f"enabled {email}")


@user_app.command("token")
def user_token(email: str, name: str = typer.Option(..., "--name", help="What the token is for."),
               expires_days: int | None = typer.Option(None, "--expires-days", min=1,
                                                       help="The token ends after this many days.")) -> None:
    """Create a personal API token (send it as `Authorization: Bearer TOKEN`); shown once."""
    with unit_of_work() as session:
        user = service.get_by_email(session, email)
        _, raw = tokens.create_token(session, actor=ADMIN, user_id=user.id, name=name, expires_in_days=expires_days)
    console.print(raw)


@user_app.command("tokens")
def user_tokens(email: str | None = typer.Argument(None, help="Whose tokens; everyone's when absent."),
                fmt: OutputFormat = FormatOption) -> None:
    """List API tokens (never the tokens themselves): id, owner, name, prefix, last use, expiry, revocation."""
    with unit_of_work() as session:
        user_id = service.get_by_email(session, email).id if email else None
        found = tokens.list_tokens(session, actor=ADMIN, user_id=user_id, everyone=user_id is None)
        rows = [{"id": t.id, "user": owner, "name": t.name, "prefix": t.prefix,
                 "created_at": t.created_at.isoformat(timespec="seconds"),
                 "last_used_at": t.last_used_at.isoformat(timespec="seconds") if t.last_used_at else "",
                 "expires_at": t.expires_at.isoformat(timespec="seconds") if t.expires_at else "",
                 "revoked_at": t.revoked_at.isoformat(timespec="seconds") if t.revoked_at else "",
                 "live": tokens.is_live(t)} for t, owner in found]
    render(rows, fmt, columns=["id", "user", "name", "prefix", "created_at", "last_used_at", "expires_at",
                               "revoked_at", "live"])


@user_app.command("token-revoke")
def user_token_revoke(token_id: int = typer.Argument(..., help="The token's id (see `investdesk user tokens`).")
                      ) -> None:
    """Revoke an API token; it stops working at once."""
    with unit_of_work() as session:
        token = tokens.revoke_token(session, actor=ADMIN, token_id=token_id)
    console.print(f"revoked token {token.id} ({token.name})")
