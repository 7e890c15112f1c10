"""Imported by Python at start in every process whose PYTHONPATH leads here (the bots the tests
start): no name lookups past this machine. See tests/support/offline.py."""

import os

from tests.support.offline import HUNG_LOOKUPS, REFUSED_LOG, install

install(os.environ.get(REFUSED_LOG), frozenset(os.environ.get(HUNG_LOOKUPS, "").split(",")) - {""})
