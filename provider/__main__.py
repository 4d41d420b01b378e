"""Plugin entry point: the Python language host runs this file in the plugin directory."""

from envstack_provider.provider import serve

serve()
