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


def test_the_channel_page_costs_the_same_queries_for_5_messages_or_50(send, on_watch):
    # Given five messages on the DCC, the Iranian duty officer reading its page
    for i in range(5):
        send("us-duty", f"Message {i}")
    client = Client()
    client.force_login(on_watch["ir-duty"])

    # When 45 more are sent, counted again
    def grow() -> None:
        for i in range(5, 50):
            send("us-duty", f"Message {i}")

    counts = query_counts(client, ["/channels/DCC/"], grow)
    # Then the page costs what it did
    assert counts["/channels/DCC/"][0] == counts["/channels/DCC/"][1]


def test_the_channel_page_shows_the_newest_messages_and_older_ones_on_the_next_page(send, on_watch):
    # Given 55 messages, more than a page holds
    for i in range(55):
        send("us-duty", f"Numbered message {i:02d}.")
    client = Client()
    client.force_login(on_watch["ir-duty"])
    # When the duty officer opens the channel, then follows "Older"
    first = client.get("/channels/DCC/")
    assert first.status_code == 200
    older = first.text.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/channels/DCC/" + older)
    # Then the first page holds the newest 50, oldest first, and takes new ones live
    assert second.status_code == 200
    shown = [i for i in range(55) if f"Numbered message {i:02d}." in first.text]
    assert shown == list(range(5, 55))
    assert first.text.index("message 05.") < first.text.index("message 54.")
    assert 'data-older-page="1"' not in first.text
    # And the second holds the five the first did not, and takes nothing live
    earlier = [i for i in range(55) if f"Numbered message {i:02d}." in second.text]
    assert earlier == [0, 1, 2, 3, 4]
    assert 'data-older-page="1"' in second.text
    assert 'rel="prev"' in second.text
