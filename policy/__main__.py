"""Entry point the Pulumi engine runs (``python -m pulumi.policy <engine> <this folder>``)."""

from envstack_policy.serving.main import serve

serve()
