"""``python -m envstack_provider ENGINE_ADDRESS``: serve the provider."""

from .provider import serve

serve()
