"""``accord ais ingest FILE... [--json]``, ``accord ais listen --tcp HOST:PORT | --udp PORT``,
``accord ais replay FILE --speed N``, ``accord ais prune``.

``ingest`` reads NMEA files (``.gz`` too) or a CSV in the common column layout (by the
``.csv`` suffix), counts every bad line by reason, flushes batches to the database and
prints a summary (``--json``: the issue's object). Exit 0 when every file could be read,
1 when one could not (the others are still ingested), 2 for wrong arguments.

``listen`` is the production listener (``deploy/accord-ais.service``): a TCP client
(``--tcp HOST:PORT``), a TCP server (``--tcp-listen HOST:PORT``, how AIS-catcher pushes)
or a UDP socket (``--udp PORT``). Lines go through a bounded buffer; when the database
falls behind, the reader blocks (TCP: back-pressure on the sender) or drops and counts
(UDP). ``replay`` feeds a recorded file live at ``--speed`` times real time (decision 0109).
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accord.maritime import feeds, ingest
from accord.maritime.services import Picture, maritime_mechanism, track_prune

FLUSH_EVERY_LINES = 5000


def _open(path: Path) -> io.BufferedIOBase:
    if path.suffix == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


class Command(BaseCommand):
    help = "Ingest, listen to or replay AIS (NMEA 0183 AIVDM/AIVDO, or CSV)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ing = sub.add_parser("ingest", help="Ingest files (.gz too; .csv in the common layout).")
        ing.add_argument("files", nargs="+")
        ing.add_argument("--json", action="store_true", help="Print one JSON summary.")
        ing.add_argument("--channel", default=None, help="The maritime mechanism's code.")
        listen = sub.add_parser("listen", help="Listen to a receiver (the production unit).")
        group = listen.add_mutually_exclusive_group(required=True)
        group.add_argument("--tcp", metavar="HOST:PORT", help="Connect to a TCP feed.")
        group.add_argument("--tcp-listen", metavar="HOST:PORT", help="Accept TCP feeds.")
        group.add_argument("--udp", metavar="PORT", type=int, help="Receive UDP datagrams.")
        listen.add_argument("--channel", default=None)
        listen.add_argument("--buffer", type=int, default=50_000, help="Lines held at most.")
        listen.add_argument("--flush-every", type=float, default=1.0, help="Seconds.")
        replay = sub.add_parser("replay", help="Feed a recorded file live.")
        replay.add_argument("file")
        replay.add_argument("--speed", type=float, default=1.0)
        replay.add_argument("--channel", default=None)
        replay.add_argument("--loop", action="store_true")
        sub.add_parser("prune", help="Delete track points past the retention period.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "prune":
            self.stdout.write(f"{track_prune()} track points deleted.")
            return
        try:
            mechanism = maritime_mechanism(options.get("channel"))
        except Exception as error:
            raise CommandError(f"No maritime channel: {error}") from None
        picture = Picture(mechanism)
        if action == "ingest":
            self._ingest(picture, options["files"], as_json=options["json"])
        elif action == "listen":
            feeds.listen(
                picture,
                tcp=options.get("tcp"),
                tcp_listen=options.get("tcp_listen"),
                udp=options.get("udp"),
                buffer_lines=options["buffer"],
                flush_every=options["flush_every"],
                log=self.stderr.write,
            )
        elif action == "replay":
            path = Path(options["file"])
            while True:
                with _open(path) as handle:
                    feeds.replay(picture, handle, speed=options["speed"])
                if not options["loop"]:
                    break

    def _ingest(self, picture: Picture, files: list[str], *, as_json: bool) -> None:
        unreadable = []
        progress = not as_json and sys.stderr.isatty()
        for name in files:
            path = Path(name)
            try:
                size = path.stat().st_size
                handle = _open(path)
            except OSError as error:
                unreadable.append(f"{name}: {error.strerror or error}")
                continue
            try:
                with handle:
                    if path.suffix == ".csv" or path.name.endswith(".csv.gz"):
                        text = io.TextIOWrapper(handle, encoding="utf-8", errors="replace")
                        ingest.ingest_csv(text, picture.ingest)
                        picture.flush()
                    else:
                        self._lines(picture, handle, size if progress else 0, name)
            except (OSError, EOFError, gzip.BadGzipFile) as error:
                unreadable.append(f"{name}: {error}")
        picture.ingest.finish()
        picture.flush()
        summary = picture.ingest.summary()
        if as_json:
            self.stdout.write(json.dumps(summary))
        else:
            rejected = ", ".join(f"{k} {v}" for k, v in summary["rejected"].items() if v)
            self.stdout.write(
                f"{summary['sentences']} sentences, {summary['messages']} messages, "
                f"{summary['positions_accepted']} positions accepted, "
                f"{summary['vessels']} vessels; rejected: {rejected or 'none'}."
            )
        for problem in unreadable:
            self.stderr.write(f"Could not read {problem}")
        if unreadable:
            raise SystemExit(1)

    def _lines(self, picture: Picture, handle: Any, size: int, name: str) -> None:
        feed = picture.ingest.feed_line
        raw = getattr(handle, "fileobj", None) or handle
        for count, line in enumerate(_iter(handle), 1):
            feed(line)
            if count % FLUSH_EVERY_LINES == 0:
                picture.flush()
                if size:
                    done = raw.tell() if hasattr(raw, "tell") else 0
                    _bar(name, done, size)
        if size:
            _bar(name, size, size)
            sys.stderr.write("\n")


def _iter(handle: Any) -> Iterator[bytes]:
    yield from handle


def _bar(name: str, done: int, size: int) -> None:
    width = 30
    filled = int(width * min(done, size) / max(size, 1))
    sys.stderr.write(f"\r{name} [{'#' * filled}{'.' * (width - filled)}] {100 * done // size:3d}%")
    sys.stderr.flush()
    time.sleep(0)
