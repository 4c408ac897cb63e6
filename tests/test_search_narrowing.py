"""The live filter narrows as one types: only the previous query's hits are scanned, same answers."""
from __future__ import annotations

import random

from tracker.search import SearchIndex


class CountingKeys(dict):
    looked = 0

    def get(self, key, default=None):
        CountingKeys.looked += 1
        return super().get(key, default)


def test_typing_scans_only_the_previous_hits(ws):
    idx = SearchIndex(ws.load().tasks)
    idx.keys = CountingKeys(idx.keys)
    assert len(idx.match("n")) > 5
    CountingKeys.looked = 0
    hits = idx.match("nyxdh")  # 农业现代化: narrows the hits of "n"
    assert hits == ["2020-01"]
    CountingKeys.looked = 0
    assert idx.match("nyxdh 2020") == ["2020-01"]  # a word more: still inside the last hits
    assert CountingKeys.looked <= 2  # one task, two words: not the 60 tasks
    CountingKeys.looked = 0
    assert len(idx.match("sl")) > 1  # a different query: the whole plan again
    assert CountingKeys.looked == 60


def test_narrowing_gives_the_answers_of_a_fresh_scan(ws):
    """Differential: random typing, deleting and retyping against a fresh index per query."""
    tasks = ws.load().tasks
    idx = SearchIndex(tasks)
    keys = idx.keys
    rng = random.Random(11)
    alphabet = "nyxdhslj2020 市局农业水利"
    query = ""
    for _ in range(600):
        r = rng.random()
        if r < 0.6:
            query += rng.choice(alphabet)
        elif r < 0.85:
            query = query[:-rng.randint(1, 3)]
        else:
            query = rng.choice(["", "n", "s", query[::-1]])
        fresh = SearchIndex([])
        fresh.keys = keys
        assert idx.match(query) == fresh.match(query), query
        some = list(keys)[rng.randint(0, 30):]
        assert idx.match(query, some) == fresh.match(query, some), query
