"""The live feed brings a channel's messages and receipts to its members, and only them."""

import pytest

from accord.channels import services


@pytest.mark.usefixtures("fast_feed")
def test_the_receiver_gets_the_message_and_the_sender_gets_the_acknowledgement(
    live_cast, open_feed
):
    cast = live_cast
    with (
        open_feed(cast["ir-duty"]) as iran,
        open_feed(cast["us-duty"]) as us,
        open_feed(cast["us-head"]) as outsider_of_mcc,
    ):
        message, _ = services.message_send(
            actor=cast["us-duty"],
            channel="MCC",
            text="Vessel turning to port",
            precedence="FLASH",
            client_id="live-1",
        )
        received = iran.events_until(f"message:{message.public_id}")[-1]
        assert received.data["kind"] == "ChannelMessageSent"
        assert received.data["payload"]["text"] == "Vessel turning to port"
        services.message_acknowledge(actor=cast["ir-duty"], message_id=message.public_id)
        seen = us.events_until(f"message:{message.public_id}")
        while seen[-1].data["kind"] != "ChannelMessageAcknowledged":
            seen.append(us.next_event())
        assert seen[-1].data["payload"]["state"] == "acknowledged"
        # A later DCC event proves the outsider's stream was live past the MCC traffic.
        marker, _ = services.message_send(
            actor=cast["us-head"], channel="DCC", text="marker", precedence="ROUTINE", client_id="m"
        )
        other = outsider_of_mcc.events_until(f"message:{marker.public_id}")
    assert all("Vessel" not in str(event.data) for event in other)
    assert all(event.data["scope"] != "mechanism:MCC" for event in other)


@pytest.mark.usefixtures("fast_feed")
def test_a_client_that_reconnects_gets_what_it_missed_once(live_cast, open_feed):
    cast = live_cast
    with open_feed(cast["ir-duty"]) as first:
        opening = first.opening_id
    sent = [
        services.message_send(
            actor=cast["us-duty"],
            channel="DCC",
            text=f"missed {n}",
            precedence="ROUTINE",
            client_id=f"missed-{n}",
        )[0]
        for n in range(3)
    ]
    with open_feed(cast["ir-duty"], headers={"Last-Event-ID": opening}) as again:
        events = again.events_until(f"message:{sent[-1].public_id}")
    texts = [e.data["payload"]["text"] for e in events if e.data["kind"] == "ChannelMessageSent"]
    assert texts == ["missed 0", "missed 1", "missed 2"]
