"""envstack's CrossGuard pack, laid out by role; importing any module of it starts nothing.

``policies`` holds the policies, ``readers`` what they share, ``data`` the
generated tables and ``serving`` the analyzer process the engine starts;
``pack`` lists the policies and ``compliance`` the controls each covers.
"""
