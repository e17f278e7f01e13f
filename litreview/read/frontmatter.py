"""Front matter and YAML for content files, with a line number for every key.

Content is written by hand and reviewed in pull requests, so every error
must say file:line. PyYAML's SafeLoader is narrowed for that:

* every mapping is a `LineDict` that knows the file line of each key, and
  every sequence a `LineList` that knows the line of each item;
* a key given twice is an error, not a silent "last one wins";
* plain scalars follow YAML 1.2's core schema, so `no`, `on`, `2024-05-01`
  and `1:20` stay strings, and `017` is 17 (not octal);
* aliases (`*name`) and deep nesting are refused, which also rules out
  "billion laughs" blow-ups in anything that walks the data.

Parsing uses libyaml (bundled with PyYAML's wheels) when present, which is
about ten times faster than the pure-Python parser; the rules above live in
the Python constructor and resolver, so they hold with either parser.

Anything a user can type either parses or raises `InputError`.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from litreview.errors import InputError
from litreview.read.listings import decode

MAX_CONTENT_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_NUMBER_CHARS = 100
FENCE = "---"
UTF8_HINT = "content files are UTF-8 text; re-save this file as UTF-8"


class ContentYAMLError(yaml.MarkedYAMLError):
    """A rule of ours (duplicate key, alias, depth), not a YAML syntax error."""

    def __init__(self, problem: str, mark: yaml.Mark | None, hint: str = "") -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.hint = hint


class LineDict(dict):
    """A YAML mapping that remembers where it and each of its keys are."""

    line: int = 0
    lines: dict[Any, int]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    """A YAML sequence that remembers where it and each of its items are."""

    line: int = 0
    lines: list[int]

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass
class Document:
    """A Markdown file split into its front matter and body."""

    path: str
    meta: LineDict
    body: str
    body_line: int = 1  # file line where the body starts
    has_front_matter: bool = False
    start_line: int = 1  # line of the opening --- (or 1)


INT_RE = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
FLOAT_RE = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
BOOL_RE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
NULL_RE = re.compile(r"^(?:~|null|Null|NULL|)$")


# libyaml's parser is about ten times faster than the pure-Python one; the
# constructor and resolver (where our rules live) are Python either way.
try:
    from yaml.cyaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None


class ContentResolver(yaml.resolver.BaseResolver):
    """YAML 1.2 core schema: only true/false, null/~, decimal/0x/0o ints, floats."""

    yaml_implicit_resolvers: ClassVar[dict] = {}


class ContentConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor with line-aware containers, duplicate-key errors and core-schema numbers."""

    # Own copy, so changing it leaves yaml.SafeLoader as it was.
    yaml_constructors: ClassVar[dict] = dict(yaml.constructor.SafeConstructor.yaml_constructors)
    offset = 1
    text = ""
    _newlines: list[int] | None = None

    def file_line(self, mark: yaml.Mark | None) -> int:
        if mark is None or not 0 <= mark.index <= len(self.text):
            return mark_line(self.text, mark) + self.offset
        if self._newlines is None:  # where each line ends, found once per file (not once per node)
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        return bisect.bisect_left(self._newlines, mark.index) + self.offset

    def construct_line_dict(self, node: Any) -> LineDict:
        if not isinstance(node, MappingNode):
            raise ContentYAMLError(f"!!map on a {node.id}", node.start_mark, "remove the !!map tag")
        mapping = LineDict()
        mapping.line = self.file_line(node.start_mark)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise ContentYAMLError(
                    "a key must be a plain name, not a list or mapping", key_node.start_mark, "write key: value"
                ) from None
            if key in mapping:
                first = mapping.lines[key]
                raise ContentYAMLError(
                    f'duplicate key "{key}" (first given at line {first})', key_node.start_mark, "give each key once"
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.lines[key] = self.file_line(key_node.start_mark)
        return mapping

    def construct_line_list(self, node: Any) -> LineList:
        if not isinstance(node, SequenceNode):
            raise ContentYAMLError(f"!!seq on a {node.id}", node.start_mark, "remove the !!seq tag")
        items = LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = self.file_line(node.start_mark)
        items.lines = [self.file_line(child.start_mark) for child in node.value]
        return items

    def construct_core_int(self, node: ScalarNode) -> int:
        text = self.construct_scalar(node)
        if len(text) > MAX_NUMBER_CHARS:
            raise ContentYAMLError("number has too many digits", node.start_mark, "quote it to keep it as text")
        if text.startswith(("0x", "0o")):
            return int(text[2:], 16 if text[1] == "x" else 8)
        return int(text, 10)

    def construct_core_float(self, node: ScalarNode) -> float:
        text = self.construct_scalar(node).lower()
        if len(text) > MAX_NUMBER_CHARS:
            raise ContentYAMLError("number has too many digits", node.start_mark, "quote it to keep it as text")
        if text.endswith(".inf"):
            return -math.inf if text.startswith("-") else math.inf
        if text == ".nan":
            return math.nan
        return float(text)


if _Parser is not None:

    class ContentLoader(_Parser, ContentConstructor, ContentResolver):  # type: ignore[valid-type,misc]
        def __init__(self, stream: str, first_line: int = 1) -> None:
            _Parser.__init__(self, stream)
            ContentConstructor.__init__(self)
            ContentResolver.__init__(self)
            self.offset = first_line
            self.text = stream

else:  # pragma: no cover - PyYAML built without libyaml

    class ContentLoader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        ContentConstructor,
        ContentResolver,
    ):
        def __init__(self, stream: str, first_line: int = 1) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            ContentConstructor.__init__(self)
            ContentResolver.__init__(self)
            self.offset = first_line
            self.text = stream


def check_tree(root: Node) -> None:
    """Refuse aliases and deep nesting before anything walks the data.

    An alias makes one node appear twice; refusing it keeps every walk of
    the data linear in the file size ("billion laughs" cannot happen).
    """
    seen: set[int] = set()
    stack: list[tuple[Node, int, yaml.Mark]] = [(root, 1, root.start_mark)]
    while stack:
        node, depth, where = stack.pop()
        if id(node) in seen:
            raise ContentYAMLError(
                "aliases (*name) are not supported in content files", where, "write the value out in full"
            )
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise ContentYAMLError(
                f"nested more than {MAX_DEPTH} levels deep",
                node.start_mark,
                "content keys are at most a few levels deep",
            )
        if isinstance(node, MappingNode):
            for key, value in reversed(node.value):  # popped in document order
                stack.append((value, depth + 1, key.start_mark))
                stack.append((key, depth + 1, key.start_mark))
        elif isinstance(node, SequenceNode):
            stack.extend((child, depth + 1, node.start_mark) for child in reversed(node.value))


def _add_resolvers() -> None:
    first_chars = {
        "tag:yaml.org,2002:bool": (BOOL_RE, list("tTfF")),
        "tag:yaml.org,2002:null": (NULL_RE, ["~", "n", "N", ""]),
        "tag:yaml.org,2002:int": (INT_RE, list("-+0123456789")),
        "tag:yaml.org,2002:float": (FLOAT_RE, list("-+.0123456789")),
    }
    for tag, (regexp, first) in first_chars.items():
        ContentResolver.add_implicit_resolver(tag, regexp, first)
    ContentConstructor.add_constructor("tag:yaml.org,2002:map", ContentConstructor.construct_line_dict)
    ContentConstructor.add_constructor("tag:yaml.org,2002:seq", ContentConstructor.construct_line_list)
    ContentConstructor.add_constructor("tag:yaml.org,2002:int", ContentConstructor.construct_core_int)
    ContentConstructor.add_constructor("tag:yaml.org,2002:float", ContentConstructor.construct_core_float)


_add_resolvers()


def mark_line(text: str, mark: yaml.Mark | None) -> int:
    """The 0-based line of a YAML mark, counting only "\\n" as editors do: YAML also
    breaks lines at U+2028, U+2029 and U+0085, which would point past the file's end."""
    if mark is None:
        return 0
    if 0 <= mark.index <= len(text):
        return text.count("\n", 0, mark.index)
    return mark.line


def _yaml_error(exc: yaml.YAMLError, path: str, text: str, first_line: int) -> InputError:
    """Turn any PyYAML error into one file:line message."""
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, max(exc.position, 0)) + first_line
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        return InputError(path, line, f"invalid YAML: character {char} is not allowed", "remove the control character")
    if isinstance(exc, ContentYAMLError):
        line = mark_line(text, exc.problem_mark) + first_line
        return InputError(path, line, exc.problem or "invalid YAML", exc.hint)
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        # At the end of a text with no final newline PyYAML's mark is one line past it.
        line = min(mark_line(text, mark), text.count("\n")) + first_line
        problem = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem:
            problem = f"{problem} ({exc.context})"
        lines = text.split("\n")
        source = lines[line - first_line] if mark and 0 <= line - first_line < len(lines) else ""
        return InputError(path, line, f"invalid YAML: {problem}", _yaml_hint(problem, source))
    return InputError(path, first_line, f"invalid YAML: {exc}")


def _yaml_hint(problem: str, source: str) -> str:
    """A likely fix, from the error and the offending line."""
    if "\t" in source[: len(source) - len(source.lstrip())] or "'\\t'" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem or "could not find expected ':'" in problem:
        return 'quote a value that contains ": ", for example title: "A: B"'
    if "constructor for the tag" in problem:
        return "tags such as !!python/... are not allowed; write a plain value"
    return "see https://yaml.org/spec/1.2.2/ or quote the value"


def load_yaml(text: str, path: str, first_line: int = 1) -> Any:
    """Parse YAML text that starts at `first_line` of the file `path`."""
    loader = None
    try:
        loader = ContentLoader(text, first_line)
        node = loader.get_single_node()
        if node is None:
            return None
        check_tree(node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, path, text, first_line) from None
    except RecursionError:
        raise InputError(path, first_line, "invalid YAML: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise InputError(path, first_line, f"invalid YAML value: {exc}", "quote the value") from None
    finally:
        if loader is not None:
            loader.dispose()


def read_text(path: Path, display: str | None = None) -> str:
    """Read a content file as text: size limit, UTF-8 with the bad byte named."""
    display = display or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_CONTENT_BYTES:
            raise _too_big(display, size)
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(display, None, f"cannot read file: {exc.strerror}") from None
    return decode_text(data, display)


def _too_big(path: str, size: int) -> InputError:
    return InputError(
        path,
        None,
        f"file is {size:,} bytes, more than the {MAX_CONTENT_BYTES:,} byte limit",
        "content files are short texts",
    )


def decode_text(data: bytes, path: str) -> str:
    """UTF-8 text with one kind of line end; a BOM and CRLF are tolerated."""
    if len(data) > MAX_CONTENT_BYTES:
        raise _too_big(path, len(data))
    try:
        text = decode(data, path)
    except InputError as exc:
        raise dataclasses.replace(exc, hint=UTF8_HINT) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_document(text: str, path: str) -> Document:
    """Split `---` front matter from the Markdown body and parse it.

    A file that does not start with `---` has no front matter (meta is
    empty) and is all body.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        meta = LineDict()
        meta.line = 1
        body = text.lstrip("\n")
        body_line = 1 + len(text) - len(body)
        body = body.rstrip()
        return Document(path, meta, body + "\n" if body else "", body_line, False, 1)
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
    if close is None:
        raise InputError(
            path,
            1,
            "front matter opened with --- at line 1 is never closed",
            "add a line with only --- after the last key",
        )
    data = load_yaml("\n".join(lines[1:close]), path, first_line=2)
    if data is None:
        data = LineDict()
        data.line = 1
    if not isinstance(data, LineDict):
        raise InputError(
            path,
            2,
            f"front matter must be a mapping of keys to values, got {type_name(data)}",
            "write one key: value per line",
        )
    body_lines = lines[close + 1 :]
    skipped = 0
    while skipped < len(body_lines) and not body_lines[skipped].strip():
        skipped += 1
    body = "\n".join(body_lines[skipped:]).rstrip()
    return Document(path, data, body + "\n" if body else "", close + 2 + skipped, True, 1)


def read_document(path: Path, display: str | None = None) -> Document:
    display = display or str(path)
    return parse_document(read_text(path, display), display)


def read_yaml_file(path: Path, display: str | None = None) -> Any:
    """A whole-YAML content file (site.yml, tags.yml); empty means None."""
    display = display or str(path)
    return load_yaml(read_text(path, display), display)


def type_name(value: Any) -> str:
    """The name a content author knows for a YAML value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, dict):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


__all__ = [
    "MAX_CONTENT_BYTES",
    "Document",
    "LineDict",
    "LineList",
    "decode_text",
    "load_yaml",
    "parse_document",
    "read_document",
    "read_text",
    "read_yaml_file",
    "type_name",
]
