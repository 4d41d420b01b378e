"""``make bench``: envstack measured side by side with its floors, as ratios."""
