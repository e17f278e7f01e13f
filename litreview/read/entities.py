"""content/entities.yml: the named things a review's papers evaluate on and compare against.

The comparison tables on topic pages show, per paper, the hardware, models,
systems, datasets... its abstract names, and which of them it compares
against. Those names belong to the field, not the code, so a review lists
them here, grouped under categories it chooses (shown in file order):

    categories:
      Hardware:
        - name: NVIDIA A100
          aliases: [A100]
      Systems:
        - name: vLLM
          aliases: [PagedAttention]
          paper: efficient-memory-management-for-large-language-model-serving-with  # its paper, if listed
        - TVM                      # a name on its own

An entity is a name on its own or a mapping with `name`, optional `aliases`
(other spellings) and optional `paper`, the id of the catalogue paper that
introduced it: a paper that compares against the entity then links to that
paper ("who compares against whom"). How names match is in
analyse/entities.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from litreview.errors import ErrorCollector, InputError, did_you_mean
from litreview.model import Entity
from litreview.read.frontmatter import LineDict, LineList, read_yaml_file, type_name

FILE = "entities.yml"
ENTITY_KEYS = ("name", "aliases", "paper")
EXAMPLE = "categories: then one list per category, e.g. Hardware: [{name: NVIDIA A100, aliases: [A100]}]"


def load_entities(
    content_dir: Path,
    errors: ErrorCollector,
    paper_ids: Iterable[str] = (),
    old_ids: dict[str, str] | None = None,
    unknown: list[InputError] | None = None,
    read: Callable | None = None,
) -> tuple[list[str], list[Entity]]:
    """(categories in file order, entities in file order); nothing without the file.

    paper_ids are the catalogue's ids, which a `paper:` names; old_ids maps an
    old id (a paper's alias, see read/pastids.py) to the paper's id now. A
    `paper:` the catalogue does not hold is no error (a paper may leave the
    seeds, or a fork keep the list with fewer papers): the entity is kept
    without it, and the problem, with the closest id, goes to `unknown` for
    `check` to warn about. Without `unknown` (a build, which shows no such
    warning) no closest id is looked for: that search compares the id with
    every id of the catalogue (minutes for 80 ids at 10,000 papers).
    read(parse, path, display) returns parse(path, display) (a build's steps
    pass one that reuses the parse of unchanged bytes); what it returns is
    only read here.
    """
    path = content_dir / FILE
    if not path.is_file():
        return [], []
    display = str(path)
    try:
        data = read(read_yaml_file, path, display) if read is not None else read_yaml_file(path, display)
    except InputError as exc:
        errors.add(exc)
        return [], []
    if data is None:
        return [], []
    if not isinstance(data, LineDict):
        errors.add(InputError(display, 1, f"entities.yml must be a mapping, got {type_name(data)}", EXAMPLE))
        return [], []
    for key in data:
        if key != "categories":
            hint = did_you_mean(str(key), ["categories"], listing=None) or "entities.yml has one key: categories"
            errors.add(InputError(display, data.line_of(key), f'unknown key "{key}"', hint))
    found = data.get("categories")
    if found is None:
        return [], []
    if not isinstance(found, LineDict):
        errors.add(
            InputError(display, data.line_of("categories"), f'"categories": expected a mapping, got {type_name(found)}')
        )
        return [], []
    reader = _Reader(display, set(paper_ids), old_ids or {}, diagnose=unknown is not None)
    for category, items in found.items():
        reader.category(str(category), items, found.line_of(category))
    errors.extend(reader.errors)
    if unknown is not None:
        unknown.extend(reader.unknown)
    return reader.categories, reader.entities


class _Reader:
    def __init__(self, path: str, paper_ids: set[str], old_ids: dict[str, str], diagnose: bool = True) -> None:
        self.path = path
        self.diagnose = diagnose
        self.paper_ids = paper_ids
        self.old_ids = old_ids
        self.errors: list[InputError] = []
        self.unknown: list[InputError] = []
        self.categories: list[str] = []
        self.entities: list[Entity] = []
        self.aliases: dict[str, tuple[str, int]] = {}  # alias -> (entity name, line)

    def error(self, line: int | None, message: str, hint: str = "") -> None:
        self.errors.append(InputError(self.path, line, message, hint))

    def category(self, name: str, items: object, line: int) -> None:
        if not name.strip():
            self.error(line, "a category needs a name", "write its heading, e.g. Hardware:")
            return
        if items is None:
            items = LineList()
        if not isinstance(items, LineList):
            hint = "write one entity per line below it: - name: ... (or - Name)"
            self.error(line, f'category "{name}": expected a list of entities, got {type_name(items)}', hint)
            return
        self.categories.append(name)
        for index, item in enumerate(items):
            self.entity(name, item, items.line_of(index))

    def entity(self, category: str, item: object, line: int) -> None:
        if isinstance(item, str):
            item = LineDict(name=item)
            item.line = line
        if not isinstance(item, LineDict):
            hint = "write - Name, or - {name: Name, aliases: [...], paper: ID}"
            self.error(
                line, f'category "{category}": an entity must be a name or a mapping, got {type_name(item)}', hint
            )
            return
        ok = True
        for key in item:
            if key not in ENTITY_KEYS:
                hint = did_you_mean(str(key), ENTITY_KEYS, "an entity has")
                self.error(item.line_of(key), f'unknown key "{key}"', hint)
                ok = False
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            got = "nothing" if name is None else type_name(name)
            self.error(item.line_of("name"), f'category "{category}": an entity needs a name (text), got {got}')
            return
        name = " ".join(name.split())
        aliases = [name]
        raw = item.get("aliases", [])
        alias_line = item.line_of("aliases")
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(a, str) for a in raw):
            hint = "write a list of spellings, such as [A100, A100 GPU]"
            self.error(alias_line, f'"{name}": aliases must be a list of names, got {type_name(raw)}', hint)
            ok = False
            raw = []
        for index, alias in enumerate(raw):
            where = raw.line_of(index) if isinstance(raw, LineList) else alias_line
            alias = " ".join(alias.split())
            if not alias:
                self.error(where, f'"{name}": an empty alias')
                ok = False
            elif alias not in aliases:
                aliases.append(alias)
        for alias in aliases:
            where = line if alias == name else alias_line
            if alias in self.aliases:
                other, other_line = self.aliases[alias]
                self.error(
                    where,
                    f'"{alias}" names both "{other}" (line {other_line}) and "{name}"',
                    "a spelling may name one entity only: remove it from one of them",
                )
                ok = False
            else:
                self.aliases[alias] = (name, line)
        paper = item.get("paper")
        if paper is not None:
            paper = self.paper(name, paper, item.line_of("paper"))
            ok = ok and paper is not False
        if ok:
            self.entities.append(Entity(name, category, tuple(aliases), paper or None, line))

    def paper(self, name: str, paper: object, line: int) -> str | None | bool:
        """The paper's id now; None when the catalogue does not hold it; False when it is no id."""
        if not isinstance(paper, str) or not paper.strip():
            self.error(line, f'"{name}": paper must be a paper id, got {type_name(paper)}')
            return False
        paper = paper.strip()
        if paper in self.paper_ids:
            return paper
        if paper in self.old_ids:
            return self.old_ids[paper]
        if not self.diagnose:
            return None
        close = did_you_mean(paper, self.paper_ids, listing=None) or "`python build.py parse` lists the ids"
        hint = f"{close}; until then {name} is shown without its paper"
        self.unknown.append(InputError(self.path, line, f'"{name}": no paper has the id "{paper}"', hint))
        return None
