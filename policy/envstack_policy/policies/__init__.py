"""The policies, one module per concern; each module's ``POLICIES`` is what ``pack.py`` lists.

A policy module reads resources through ``readers`` and tables from ``data``,
and says which compliance controls it covers through ``compliance``; no policy
module imports the serving machinery, and importing one starts nothing.
"""
