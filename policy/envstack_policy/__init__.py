"""envstack's CrossGuard policies, one module per concern; importing them starts nothing."""
