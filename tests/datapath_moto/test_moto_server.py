"""The moto server's shortcuts answer exactly as the moto code they replace.

``moto_server.skip_repeated_work`` patches two functions in the server's
process only; these tests check, in this process and without patching
anything, that this moto still has both and that the replacement agrees with
moto's own retention check on either side of the retention period.
"""

import moto.backends
from moto.sqs.models import SQSBackend

from envstack_testkit.moto_server import message_within_retention


def test_this_moto_has_what_the_server_replaces() -> None:
    assert callable(moto.backends.list_of_moto_modules)
    assert "sqs" in tuple(moto.backends.list_of_moto_modules())
    assert callable(SQSBackend.is_message_valid_based_on_retention_period)


def test_the_retention_check_agrees_with_motos() -> None:
    backend = SQSBackend("us-east-1", "123456789012")
    backend.create_queue("retained", MessageRetentionPeriod="60")
    fresh = backend.send_message("retained", "fresh")
    expired = backend.send_message("retained", "expired")
    # moto annotates sent_timestamp as None; send_message set it to milliseconds.
    expired.sent_timestamp = int(fresh.sent_timestamp or 0) - 61_000  # type: ignore[assignment]

    for message, within in ((fresh, True), (expired, False)):
        assert backend.is_message_valid_based_on_retention_period("retained", message) is within
        assert message_within_retention(backend, "retained", message) is within
