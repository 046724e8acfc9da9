from __future__ import annotations

from investdesk.cli.app import app
from investdesk.cli.common import console
from investdesk.cli.context import operator_actor, unit_of_work
from investdesk.demo import service


@app.command()
def demo() -> None:
    """Load the demo data set (a delegation's week in Japan, its leads and MoUs). Safe to run again."""
    with unit_of_work() as session:
        report = service.load(session, actor=operator_actor("demo"))
    if report.created:
        console.print("demo data loaded: " + ", ".join(f"{n} {k}" for k, n in sorted(report.created.items())))
    else:
        console.print("demo data already loaded; nothing changed")
    for email, password in report.users:
        console.print(f"  demo user {email}  password {password}")
