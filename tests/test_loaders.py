"""The per-request batch loader: a page's keys in one batch, each key loaded once."""

from domains.properties.models import Property
from domains.users.models import User
from schema.loaders import BatchLoader, PageRegistry


def make(batches, pages=None):
    def batch(keys):
        batches.append(list(keys))
        return {key: key * 10 for key in keys if key != 3}

    return BatchLoader(model=Property, pages=pages or PageRegistry(), batch=batch, default=list)


def listings(*pks):
    return [Property(pk=pk) for pk in pks]


def test_a_key_of_a_page_loads_the_whole_page_once():
    pages, batches = PageRegistry(), []
    pages.remember(listings(1, 2, 3, 4))
    loader = make(batches, pages)
    assert [loader.load(key) for key in (2, 1, 4, 3)] == [20, 10, 40, []]
    assert batches == [[1, 2, 3, 4]]


def test_without_a_page_each_key_is_its_own_batch_and_cached():
    batches = []
    loader = make(batches)
    assert loader.load(5) == 50 and loader.load(5) == 50 and loader.load(6) == 60
    assert batches == [[5], [6]]


def test_pages_of_other_models_and_later_pages_are_kept_apart():
    pages, batches = PageRegistry(), []
    pages.remember([User(pk=1), User(pk=2)])
    pages.remember(listings(1, 2))
    pages.remember(listings(7, 8))
    loader = make(batches, pages)
    loader.load(8)
    loader.load(1)
    assert batches == [[7, 8], [1, 2]]
