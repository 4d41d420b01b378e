"""``python -m envstack_testkit.broken_plugin``: what the ``pulumi-resource-envstackbroken`` wrapper runs."""

import sys

from pulumi.provider import main
from pulumi.provider.experimental.component import ComponentProvider

from .component import PACKAGE, RuleBreakers

main(ComponentProvider([RuleBreakers], PACKAGE, None, "0.0.1"), sys.argv[1:])
