"""A channel's lists cost the same queries for 5 messages or 50, and page by cursor."""

from django.test import Client

from accord.testing.queries import link_to, query_counts


def test_channel_lists_cost_the_same_queries_for_5_messages_or_50(send, on_watch):
    # Given five messages on the DCC, and the Iranian duty officer reading
    for i in range(5):
        send("us-duty", f"Message {i}")
    client = Client()
    client.force_login(on_watch["ir-duty"])
    urls = ("/api/channels/DCC/messages", "/api/channels/", "/api/channels/DCC/topics")

    # When 45 more are sent
    def grow() -> None:
        for i in range(5, 50):
            send("us-duty", f"Message {i}")

    counts = query_counts(client, urls, grow)
    # Then each list costs what it did
    for url, (before, after) in counts.items():
        assert before == after, url


def test_a_channels_messages_are_read_a_page_at_a_time_oldest_first(send, on_watch):
    for i in range(7):
        send("us-duty", f"Message {i}")
    client = Client()
    client.force_login(on_watch["ir-duty"])
    first = client.get("/api/channels/DCC/messages", {"limit": 4})
    second = client.get(link_to(first, "next"))
    assert (first.status_code, second.status_code) == (200, 200)
    texts = [m["text"] for m in first.json() + second.json()]
    assert texts == [f"Message {i}" for i in range(7)]
