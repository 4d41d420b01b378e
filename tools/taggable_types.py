"""Generate ``policy/envstack_policy/data/taggable.py``: pulumi-aws types that take a ``tags`` input.

The policy pack must not import pulumi-aws (a pack installs only its own
requirements, and importing 1,700 resource modules takes seconds), so it ships
the list as plain data, generated here from the installed pulumi-aws as
``schema.json`` is generated from the component: ``make taggable-types``
rewrites it, and a unit test fails while the file and the SDK differ.

The SDK's resource registry (read by ``tools/aws_metadata.py``) names each
type's module and class, and a type is taggable when its ``...Args`` class
(``...InitArgs`` where a nested type took that name) has a ``tags`` property.

That is read from the SDK's source with ``ast`` (``SdkSource``) rather than by
importing it: importing every resource module runs ~1,700 modules' class
bodies and decorators (10 s on a quiet machine, several times that under
coverage's tracer), while the answer needs only the few lines that declare
each ``...Args`` class. ``SdkSource`` follows what an import would do (each
package's ``from .x import *`` in order, each module's ``__all__``, a
property's Pulumi name as ``@pulumi.getter`` sets it) and parses each file only
up to the end of the class asked for. Where the source is not in the shape
it reads, it raises ``LookupError`` rather than guess.
"""

import argparse
import ast
import gc
import importlib.util
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

from tools.aws_metadata import resource_classes

OUTPUT = Path(__file__).resolve().parents[1] / "policy" / "envstack_policy" / "data" / "taggable.py"

# Lines that start a top-level statement in generated code: a decorator, a class or a function.
_STARTS = ("\n@", "\nclass ", "\ndef ")


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while ``ast`` builds a tree.

    A parse allocates hundreds of thousands of nodes, each of which counts
    towards the collector's next pass, which then walks every live object:
    that is a third of the parse's time, and none of it finds anything (a
    tree holds no cycles, and is freed by reference counting once read).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse(text: str, path: Path) -> ast.Module:
    with _no_cycle_collection():
        return ast.parse(text, filename=str(path))


def _statement_end(text: str, offset: int) -> int:
    """Where the first top-level statement that starts after ``offset`` starts (or the text's end)."""
    end = len(text)
    for start in _STARTS:
        found = text.find(start, offset, end)
        end = end if found < 0 else found + 1
    return end


def _parse_through(text: str, end: int, path: Path) -> ast.Module:
    """A file's top-level statements that start before ``end``, parsed.

    ``end`` is the start of a line that begins a top-level statement, so the
    prefix is whole statements. Were it not (the line is inside a string or
    brackets, or continues a decorator), the prefix would not parse, and the
    whole file is parsed instead: a prefix that parses is exactly the first
    statements of the file.
    """
    try:
        return _parse(text[:end], path)
    except SyntaxError:
        return _parse(text, path)


class SdkSource:
    """An installed Pulumi Python SDK's source, parsed with ``ast`` only as far as each question needs.

    What an import would bind is followed as the import would: a package's
    ``from .x import *`` lines in order, each module's ``__all__``, and in a
    module the last ``class`` statement of a name. Only the ``__all__`` of each
    module and the classes asked about are kept, not the files or their trees,
    so one instance can serve a whole test session.
    """

    def __init__(self, package: str = "pulumi_aws") -> None:
        """Find the installed package's folder without importing it."""
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise LookupError(f"{package} is not installed")
        self.package = package
        self.root = Path(spec.origin).parent
        self._exports: dict[str, dict[str, Path]] = {}

    def _path(self, module: str) -> Path:
        """The file of a module or package of the SDK (``pulumi_aws.s3`` -> ``s3/__init__.py``)."""
        parts = module.split(".")
        if parts[0] != self.package:
            raise LookupError(f"{module} is not part of {self.package}")
        folder = self.root.joinpath(*parts[1:])
        return folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")

    @staticmethod
    def _all(path: Path) -> tuple[str, ...]:
        """A module's ``__all__``: what ``from module import *`` takes from it.

        Generated modules set it before their first class or function, so
        only that header is parsed (the whole file where it is not there).
        """
        text = path.read_text(encoding="utf-8")
        for end in (_statement_end(text, 0), len(text)):
            for node in _parse_through(text, end, path).body:
                if (
                    isinstance(node, ast.Assign)
                    and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
                    and isinstance(node.value, ast.List | ast.Tuple)
                ):
                    names = [e.value for e in node.value.elts if isinstance(e, ast.Constant)]
                    if len(names) != len(node.value.elts) or not all(isinstance(n, str) for n in names):
                        raise LookupError(f"{path}: __all__ is not a list of names")
                    return tuple(str(n) for n in names)
        raise LookupError(f"{path} sets no __all__, so what it exports can't be read without importing it")

    def exports(self, module: str) -> Mapping[str, Path]:
        """The names a package's top-level statements bind, each with the file whose class statement it is.

        ``from .x import *`` binds x's ``__all__``, ``from .x import name``
        that name, and a ``class`` in the package's own ``__init__.py`` itself;
        later statements win, as they do when the package is imported. A star
        import from elsewhere can't be followed here, so it is refused.
        """
        if module not in self._exports:
            init = self._path(module)
            found: dict[str, Path] = {}
            for node in _parse(init.read_text(encoding="utf-8"), init).body:
                if isinstance(node, ast.ClassDef):
                    found[node.name] = init
                if not isinstance(node, ast.ImportFrom):
                    continue
                names = [alias.name for alias in node.names]
                if node.level != 1 or not node.module:
                    if "*" in names:
                        raise LookupError(f"{init}: a star import from outside the package")
                    continue
                source = self._path(f"{module}.{node.module}")
                if names == ["*"]:
                    found.update(dict.fromkeys(self._all(source), source))
                else:
                    found.update({alias.asname or alias.name: source for alias in node.names})
            self._exports[module] = found
        return self._exports[module]

    def _class_source(self, module: str, class_name: str) -> tuple[Path, str, int, int] | None:
        """The file ``module.<class_name>`` comes from, its text, and the span of that class statement.

        The span is that of the file's last ``class <class_name>`` line (the one
        that binds the name), or the whole file where no line reads so.
        ``None`` when the module has no such name.
        """
        path = self.exports(module).get(class_name)
        if path is None:
            return None
        text = path.read_text(encoding="utf-8")
        start = max(text.rfind(f"\nclass {class_name}{after}") for after in ("(", ":"))
        return path, text, *((start, _statement_end(text, start + 1)) if start >= 0 else (0, len(text)))

    @staticmethod
    def _property_names(path: Path, text: str, end: int, class_name: str) -> frozenset[str]:
        defined = [
            node
            for node in _parse_through(text, end, path).body
            if isinstance(node, ast.ClassDef) and node.name == class_name
        ]
        if not defined:
            raise LookupError(f"{path} exports {class_name} but does not define it as a class")
        names: set[str] = set()
        for node in defined[-1].body:
            if isinstance(node, ast.AnnAssign):
                # pulumi makes annotated fields properties when it builds the class; generated code has none.
                raise LookupError(f"{path}: {class_name} declares annotated fields")
            if isinstance(node, ast.FunctionDef) and any(map(_is_property, node.decorator_list)):
                names.update(n for d in node.decorator_list if (n := _getter_name(d, node.name)) is not None)
        return frozenset(names)

    def property_names(self, module: str, class_name: str) -> frozenset[str] | None:
        """The Pulumi names of a class's ``@pulumi.getter`` properties, like ``aws_metadata.properties``.

        ``None`` when the module has no such class.
        """
        found = self._class_source(module, class_name)
        return None if found is None else self._property_names(*found[:2], found[3], class_name)

    def has_property(self, module: str, class_name: str, name: str) -> bool:
        """Whether ``module.<class_name>`` exists and has a property of that Pulumi name.

        Pulumi writes such a property as ``def name(self)`` or
        ``@pulumi.getter(name="name")``, so a class whose text lacks the name
        has none, and is not parsed.
        """
        found = self._class_source(module, class_name)
        if found is None:
            return False
        path, text, start, end = found
        return name in text[start:end] and name in self._property_names(path, text, end, class_name)

    def args_class(self, module: str, class_name: str) -> str | None:
        """A resource's ``...Args`` class name (``...InitArgs`` where a nested type took ``...Args``)."""
        exported = self.exports(module)
        return next((n for n in (f"{class_name}InitArgs", f"{class_name}Args") if n in exported), None)


def _is_property(decorator: ast.expr) -> bool:
    """``@property`` or ``@_builtins.property`` (generated code aliases ``builtins``)."""
    return (isinstance(decorator, ast.Name) and decorator.id == "property") or (
        isinstance(decorator, ast.Attribute) and decorator.attr == "property"
    )


def _getter_name(decorator: ast.expr, function: str) -> str | None:
    """The Pulumi name ``@pulumi.getter`` or ``@pulumi.getter(name=...)`` gives a function, else ``None``."""
    call = decorator if isinstance(decorator, ast.Call) else None
    target = call.func if call is not None else decorator
    if not (
        isinstance(target, ast.Attribute)
        and target.attr == "getter"
        and isinstance(target.value, ast.Name)
        and target.value.id == "pulumi"
    ):
        return None
    for keyword in call.keywords if call is not None else ():
        if keyword.arg == "name":
            if not (isinstance(keyword.value, ast.Constant) and isinstance(keyword.value.value, str)):
                raise LookupError(f"{function}: @pulumi.getter's name is not a string literal")
            return keyword.value.value
    return function


def taggable_types(source: SdkSource | None = None) -> frozenset[str]:
    """The type tokens whose ``...Args`` class takes a ``tags`` input."""
    sdk = source or SdkSource()
    found = set()
    for token, (module, class_name) in resource_classes(sdk.package).items():
        args = sdk.args_class(module, class_name)
        if args is not None and sdk.has_property(module, args, "tags"):
            found.add(token)
    return frozenset(found)


def render(tokens: frozenset[str], pulumi_aws_version: str) -> str:
    """The exact text of ``envstack_policy/data/taggable.py``, so the drift test compares bytes."""
    lines = [
        '"""The pulumi-aws v7 resource types that take a ``tags`` input (generated; do not edit).',
        "",
        "Regenerate with ``make taggable-types`` after upgrading pulumi-aws (tools/taggable_types.py);",
        "a unit test fails while this list and the installed SDK differ.",
        f"Generated from pulumi-aws {pulumi_aws_version}.",
        '"""',
        "",
        "TAGGABLE_TYPES = frozenset(",
        "    {",
        *(f'        "{token}",' for token in sorted(tokens)),
        "    }",
        ")",
        "",
    ]
    return "\n".join(lines)


def generate() -> str:
    """The file's text for the installed pulumi-aws."""
    return render(taggable_types(), metadata.version("pulumi-aws"))


def main(argv: Sequence[str] | None = None) -> int:
    """Write the file (default: the pack's) from the installed pulumi-aws."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, nargs="?", default=OUTPUT)
    options = parser.parse_args(argv)
    options.output.write_text(generate(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
