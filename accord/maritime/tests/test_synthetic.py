"""The synthetic traffic's sentences decode, with pyais, to the values packed."""

import pytest
from pyais.messages import NMEASentenceFactory
from pyais.stream import IterMessages

from accord.maritime import synthetic
from accord.maritime.ingest import Ingest


def test_a_packed_position_report_decodes_to_the_values_given():
    line = synthetic.position_line(422123456, 26.5612, 56.2501, 12.3, 271.4, heading=270, at=1)
    decoded = NMEASentenceFactory.produce(line.encode()).decode()
    assert (decoded.msg_type, decoded.mmsi, decoded.heading) == (1, 422123456, 270)
    assert decoded.lat == pytest.approx(26.5612, abs=1e-5)
    assert decoded.lon == pytest.approx(56.2501, abs=1e-5)
    assert (decoded.speed, decoded.course) == (12.3, 271.4)


def test_packed_static_data_decodes_to_the_values_given():
    lines = synthetic.static_lines(
        470000001,
        "DUBAI STAR",
        imo=9123456,
        call_sign="A6BC",
        ship_type=80,
        length=250,
        beam=44,
        destination="FUJAIRAH",
    )
    [message] = list(IterMessages([line.encode() for line in lines]))
    decoded = message.decode()
    assert (decoded.shipname, decoded.callsign, decoded.imo, decoded.ship_type) == (
        "DUBAI STAR",
        "A6BC",
        9123456,
        80,
    )
    assert decoded.to_bow + decoded.to_stern == 250
    assert decoded.destination == "FUJAIRAH"


def test_an_hour_of_synthetic_traffic_ingests_without_a_rejection():
    ingest = Ingest()
    ingest.feed_lines(synthetic.traffic(20, 0.25, box=synthetic.STRAIT))
    ingest.finish()
    summary = ingest.summary()
    assert summary["vessels"] == 20
    assert sum(summary["rejected"].values()) == 0
    assert summary["positions_accepted"] > 20 * 60
