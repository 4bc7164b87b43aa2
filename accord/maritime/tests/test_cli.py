"""``accord ais ingest`` (files, .gz, CSV, --json, exit codes) and ``listen`` on loopback."""

import gzip
import io
import json
import socket
import threading

import pytest
from django.core.management import call_command
from pyais.encode import encode_dict

from accord.maritime import feeds
from accord.maritime.models import Vessel, VesselPosition
from accord.maritime.tests.test_ingest import SAMPLE

pytestmark = pytest.mark.django_db


def _ingest(*args):
    out = io.StringIO()
    call_command("ais", "ingest", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_ingest_json_prints_the_issue_summary_of_a_gzipped_file(islamabad, tmp_path):
    packed = tmp_path / "sample.aivdm.gz"
    packed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    summary = json.loads(_ingest(str(packed), "--json"))
    assert list(summary) == [
        "sentences",
        "messages",
        "by_type",
        "positions_accepted",
        "rejected",
        "impossible",
        "vessels",
    ]
    assert summary["messages"] == 102
    assert set(summary["rejected"]) >= {
        "checksum",
        "fragment",
        "duplicate",
        "impossible",
        "garbage",
    }
    assert Vessel.objects.count() == summary["vessels"]


def test_a_file_that_cannot_be_read_exits_1_after_ingesting_the_others(islamabad, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        _ingest(str(SAMPLE), str(tmp_path / "missing.aivdm"), "--json")
    assert stopped.value.code == 1
    assert Vessel.objects.exists()


def test_a_csv_in_the_common_layout_is_ingested(islamabad, tmp_path):
    path = tmp_path / "gulf.csv"
    path.write_text(
        "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,"
        "Length,Width,Draft,Cargo,TransceiverClass\n"
        "422000001,2027-01-15T08:00:00,26.5,56.3,12.1,91.0,90,SAHAR,IMO9123456,EPAB2,80,0,"
        "250,44,12.5,80,A\n"
        "not-a-number,2027-01-15T08:00:00,26.5,56.3,,,,,,,,,,,,,\n"
    )
    summary = json.loads(_ingest(str(path), "--json"))
    assert summary["positions_accepted"] == 1 and summary["rejected"]["garbage"] == 1
    vessel = Vessel.objects.get(mmsi=422000001)
    assert (vessel.name, vessel.imo, vessel.flag, vessel.length, vessel.beam) == (
        "SAHAR",
        9123456,
        "IR",
        250,
        44,
    )


def _sentence(mmsi):
    return encode_dict(
        {"type": 1, "mmsi": mmsi, "lat": 26.5, "lon": 56.3, "speed": 11},
        talker_id="AI",
        sentence_type="VDM",
    )[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["udp", "tcp_listen"])
def test_the_listener_takes_lines_from_a_loopback_socket(islamabad, kind):
    from accord.maritime.services import Picture, maritime_mechanism

    picture = Picture(maritime_mechanism("MCC"))
    stop, ready = threading.Event(), threading.Event()
    options = (
        {"udp": 0, "udp_host": "127.0.0.1"} if kind == "udp" else {"tcp_listen": "127.0.0.1:0"}
    )
    thread = threading.Thread(
        target=feeds.listen,
        kwargs={
            "picture": picture,
            "stop": stop,
            "ready": ready,
            "flush_every": 0.1,
            "log": lambda m: None,
            **options,
        },
    )
    # the listener flushes in its own thread: it needs the database there too
    thread.start()
    assert ready.wait(5)
    payload = (_sentence(422000077) + "\n").encode()
    if kind == "udp":
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(payload, ("127.0.0.1", ready.port))
    else:
        with socket.create_connection(("127.0.0.1", ready.port)) as sock:
            sock.sendall(payload)
    for _ in range(100):
        if picture.ingest.positions_accepted:
            break
        threading.Event().wait(0.05)
    stop.set()
    thread.join(5)
    assert picture.ingest.positions_accepted == 1
    assert VesselPosition.objects.filter(vessel__mmsi=422000077).exists()
