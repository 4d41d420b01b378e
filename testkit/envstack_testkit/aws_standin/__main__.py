"""``python -m envstack_testkit.aws_standin``: what the ``pulumi-resource-aws`` wrapper runs."""

from .provider import serve

serve()
