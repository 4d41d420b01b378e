"""The analyzer process: the only package here that starts anything.

``main`` is the entry point the engine starts, ``server`` the gRPC servicer
that wraps pulumi-policy's, and ``convert_once`` the one-pass property
conversion it uses. The policies and readers import nothing from here.
"""
