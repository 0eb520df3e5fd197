"""Settings of the benchmark servers: the production settings, plus the bare comparison views
(bench/urls.py). Never used by the product."""

from backend.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
