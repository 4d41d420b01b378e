"""Generated tables only, each written by a make target and never edited by hand.

``make iam-action-data``, ``make policy-data``, ``make taggable-types`` and
``make framework-data`` write them from kept sources, and a drift test
fails when a module here differs from what its generator writes.
"""
