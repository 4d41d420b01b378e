"""The data path at full size: 10,000 messages (1% poison) and the four faults, on moto.

Prints the load run's throughput in messages per second and the fault table
(fault, messages in, stored once, in DLQ, lost, duplicated), and exits
non-zero if any guarantee broke. ``make bench`` runs it; the test suite runs
the same scenarios smaller (tests/datapath_moto).

    python -m bench.datapath [--messages 10000] [--fault-messages 300]
"""

import argparse
import logging
import sys

from envstack_testkit.datapath import RETRY_DELAY_SECONDS, format_table, run_scenarios, standard_scenarios
from envstack_testkit.moto_server import moto_server


def _drain_bound(messages: int, min_rate: float) -> float:
    """Seconds a run may take before it counts as stuck: at least ten minutes."""
    return max(600.0, messages / min_rate)


def main(argv: list[str] | None = None) -> int:
    """Run the load and the faults; print the numbers; 1 if a guarantee broke."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000, help="messages in the load run")
    parser.add_argument("--fault-messages", type=int, default=300, help="messages in each fault run")
    parser.add_argument("--pollers", type=int, default=2, help="concurrent pollers of the load run")
    parser.add_argument(
        "--min-rate",
        type=float,
        default=5.0,
        help="messages/s below which a run counts as stuck; bounds each drain (default 5)",
    )
    args = parser.parse_args(argv)
    # Poison messages are expected; their per-record warnings would bury the table.
    logging.getLogger("envstack.processor").disabled = True

    scenarios = standard_scenarios(args.messages, args.fault_messages, load_pollers=args.pollers)
    load, faults = scenarios[0], scenarios[1:]
    with moto_server() as moto:
        print(f"failed records are received again {RETRY_DELAY_SECONDS} s after their invocation", flush=True)
        # A fixed bound would fail a slow but healthy 10,000-message run (about
        # 20 messages/s on moto here); bound the drain by a floor rate instead.
        [loaded] = run_scenarios(moto, [load], timeout_seconds=_drain_bound(load.messages, args.min_rate))
        print(
            f"load: {loaded.messages_in} messages in {loaded.seconds:.1f} s"
            f" = {loaded.throughput:.1f} messages/s ({args.pollers} pollers, batches of 10)",
            flush=True,
        )
        moto.reset()
        faulted = run_scenarios(
            moto,
            faults,
            timeout_seconds=_drain_bound(sum(f.messages for f in faults), args.min_rate),
        )
    outcomes = [loaded, *faulted]
    print(format_table(outcomes))
    broken = [(o.fault, problem) for o in outcomes for problem in o.problems]
    for fault, problem in broken:
        print(f"BROKEN [{fault}]: {problem}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
