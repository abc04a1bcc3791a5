"""`derek review` (the editors' desk) and `derek chart` (a chart for reports).

Flask and matplotlib are imported when these commands run: the rest of derek never needs them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.desk import LOCAL_HOSTS

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
STORE_FILE = "derek.sqlite"


def _no_store(command: str, store: Path) -> int:
    hint = f"run `derek run INPUT --store {store}` first"
    print(f"derek {command}: no store in {store} ({hint})", file=sys.stderr)
    return 2


def is_local(host: str) -> bool:
    """Whether the desk may listen there without a token."""
    return host in LOCAL_HOSTS


def address(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/" + (f"?token={token}" if token else "")


def review(args: argparse.Namespace) -> int:
    store = Path(args.store)
    if not (store / STORE_FILE).is_file():
        return _no_store("review", store)
    if not is_local(args.host) and not args.token:
        print(
            f"derek review: listening on {args.host} lets other machines in: give --token SECRET "
            "(every request must carry it), or keep the default host 127.0.0.1",
            file=sys.stderr,
        )
        return 2
    from werkzeug.serving import make_server

    from extractor.desk.app import create_app

    try:
        server = make_server(args.host, args.port, create_app(store, token=args.token), threaded=True)
    except OSError as error:
        reason = error.strerror or error
        print(f"derek review: cannot listen on {args.host}:{args.port}: {reason}", file=sys.stderr)
        return 2
    print(f"derek review: the editors' desk is at {address(args.host, server.server_port, args.token)}")
    print("  (Ctrl+C stops it)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def chart(args: argparse.Namespace) -> int:
    store, out = Path(args.store), Path(args.output)
    if not (store / STORE_FILE).is_file():
        return _no_store("chart", store)
    from extractor.desk.charts import write_store_chart
    from extractor.desk.vocab import indicators

    if args.indicator not in indicators():
        print(f"derek chart: no indicator {args.indicator!r}; choose one of {', '.join(indicators())}",
              file=sys.stderr)  # fmt: skip
        return 2
    if out.suffix.lower() not in (".png", ".svg"):
        print(f"derek chart: write to a .png or .svg file, not {out.name!r}", file=sys.stderr)
        return 2
    series = write_store_chart(store, args.indicator, out)
    conflicts = sum(point.conflict for point in series.points)
    print(f"wrote {out} ({len(series.points)} points, {conflicts} with conflicting values)")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    desk = commands.add_parser(
        "review",
        help="the editors' desk: review records in a local web app",
        epilog="examples:\n  derek review --store outputs/\n"
        '  derek review --store outputs/ --host 0.0.0.0 --token "$(openssl rand -hex 16)"',
    )
    desk.add_argument("--store", default="outputs", help="folder of the store")
    desk.add_argument("--host", default=DEFAULT_HOST, help="address to listen on (default: 127.0.0.1)")
    desk.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0: any free one)"
    )
    desk.add_argument("--token", help="access token every request must carry; required beyond 127.0.0.1")
    desk.set_defaults(run=review)
    drawing = commands.add_parser(
        "chart",
        help="an indicator by region and year, as PNG or SVG",
        epilog="examples:\n  derek chart --store outputs/ --indicator poverty.rate -o poverty.png\n"
        "  derek chart --indicator social_assistance.recipients -o recipients.svg",
    )
    drawing.add_argument("--store", default="outputs", help="folder of the store")
    drawing.add_argument("--indicator", required=True, help="e.g. social_assistance.recipients")
    drawing.add_argument("-o", "--output", required=True, help="the .png or .svg file to write")
    drawing.set_defaults(run=chart)
