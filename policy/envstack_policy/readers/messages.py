"""How a violation reads: the resource, what is wrong, and how to fix it, in one shape for every policy."""


def short(type_token: str) -> str:
    """``aws:s3/bucket:Bucket`` -> ``aws:s3:Bucket``, as the Pulumi CLI prints types."""
    package, _, rest = type_token.partition(":")
    module, _, name = rest.partition(":")
    return f"{package}:{module.split('/')[0]}:{name}"


def message(name: str, type_token: str, problem: str, fix: str) -> str:
    """A violation message that names the resource, says what is wrong and how to fix it."""
    return f"{name} ({short(type_token)}): {problem} Fix: {fix}"
