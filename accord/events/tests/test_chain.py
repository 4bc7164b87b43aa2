"""The pure hash-chain module, without a database."""

from accord.events.chain import GENESIS_HASH, event_hash, verify


def _chain(n: int) -> list[dict]:
    records, previous = [], GENESIS_HASH
    for seq in range(1, n + 1):
        record = {
            "seq": seq,
            "occurred_at": f"2026-11-25T10:00:{seq:02d}+00:00",
            "process_id": 1,
            "actor_id": None,
            "kind": "Probe",
            "subject": f"probe:{seq}",
            "scope": "shared",
            "payload": {"n": seq, "text": "نامه"},
            "prev_hash": previous,
        }
        record["hash"] = previous = event_hash(record)
        records.append(record)
    return records


def test_a_well_formed_chain_verifies():
    assert verify(_chain(10)) == (10, None)


def test_an_empty_log_verifies():
    assert verify([]) == (0, None)


def test_the_hash_changes_with_any_field():
    record = _chain(1)[0]
    for field, value in [("kind", "Other"), ("scope", "party:US"), ("payload", {}), ("seq", 9)]:
        assert event_hash({**record, field: value}) != record["hash"], field


def test_a_record_out_of_order_is_named():
    records = _chain(5)
    records[1], records[2] = records[2], records[1]
    checked, problem = verify(records)
    assert checked == 1
    assert problem is not None and problem.seq == 2


def test_a_truncated_middle_is_named():
    records = _chain(5)
    del records[2]
    assert verify(records)[1].seq == 3
