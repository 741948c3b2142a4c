"""Every write to a model goes through archive/actions/ (and migrations): an AST check.

A call is a write when its method is one of Django's write methods and its receiver can be told to
be a model, a queryset or a related manager:
- a chain through `.objects`, through a queryset method (`.filter(...)`, `.all()`, `.first()` ...),
  or through a related accessor name taken from the real models (`user.pseuds`, `work.creatorships`);
- a name assigned from such a chain in the same module, or annotated with a model class or QuerySet;
- `.save(...)` whatever the receiver (no other `.save` exists outside actions; `.save(commit=False)`
  only builds objects and is not a write), and `super().save_model/save_related/save_formset/
  delete_model/delete_queryset(...)`, Django admin's own writes.
So `dict.update`, `set.add`, `element.set` or a search backend's `.delete` are never flagged; a real
model write through an untyped name can be missed, which the allow-list below cannot hide.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

import fanarchive

ROOT = Path(fanarchive.__file__).parent
ALLOWED_DIRS = ({"archive", "actions"}, {"archive", "migrations"})

WRITES = {
    "save", "delete", "create", "get_or_create", "update_or_create", "bulk_create", "bulk_update",
    "update", "add", "remove", "set", "clear",
}  # fmt: skip
ADMIN_WRITES = {"save_model", "save_related", "save_formset", "delete_model", "delete_queryset"}
QUERYSET_METHODS = {
    "all", "filter", "exclude", "select_related", "prefetch_related", "order_by", "distinct",
    "annotate", "alias", "only", "defer", "using", "select_for_update", "none", "get", "first",
    "last", "latest", "earliest", "get_queryset", "reverse", "union",
}  # fmt: skip

# (file relative to src/fanarchive, start of the call) -> why it is not a model write.
ALLOWED: dict[tuple[str, str], str] = {
    # A list of parsed text blocks that shares its name with User.blocks (the Block model's
    # accessor); the domain layer never imports Django (tests/domain/test_purity.py).
    ("domain/formats/_chapters.py", "blocks.remove("): "a list of text blocks, not Block rows",
    # Django's file storage API (STORAGES: a folder or an S3 bucket) names its write `save`.
    ("archive/exports/cache.py", "storage.save("): "a download published to the exports storage",
    ("archive/imports/uploads.py", "storage.save("): "an upload kept in the uploads storage",
}


def _model_vocabulary() -> tuple[set[str], set[str]]:
    """Related accessor names (`pseuds`, `tags` ...) and model class names, from the models."""
    related: set[str] = set()
    classes: set[str] = set()
    for model in apps.get_app_config("archive").get_models():
        classes.add(model.__name__)
        for field in model._meta.get_fields(include_hidden=False):
            if isinstance(field, models.ManyToManyField):
                related.add(field.name)
            elif isinstance(field, models.ForeignObjectRel) and (field.one_to_many or field.many_to_many):
                related.add(field.get_accessor_name() or "")
    classes |= {"User", "Group", "Permission", "QuerySet", "Manager"}
    return related - {""}, classes


class _Finder(ast.NodeVisitor):
    def __init__(self, related: set[str], classes: set[str]) -> None:
        self.related, self.classes = related, classes
        self.model_names: set[str] = set()
        self.found: list[ast.Call] = []

    def model_like(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Attribute):
            if node.attr == "objects" or node.attr in self.related:
                return True
            return self.model_like(node.value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr in QUERYSET_METHODS and self.model_like(node.func.value)
        if isinstance(node, ast.Subscript):
            return self.model_like(node.value)
        if isinstance(node, ast.Name):
            return node.id in self.model_names or node.id in self.classes
        return False

    def _annotated(self, annotation: ast.expr | None) -> bool:
        return annotation is not None and any(
            isinstance(n, ast.Name) and n.id in self.classes for n in ast.walk(annotation)
        )

    def visit_arg(self, node: ast.arg) -> None:
        if self._annotated(node.annotation):
            self.model_names.add(node.arg)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name) and (
            self._annotated(node.annotation) or (node.value is not None and self.model_like(node.value))
        ):
            self.model_names.add(node.target.id)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        if self.model_like(node.value):
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        self.model_names.add(name.id)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        if self.model_like(node.iter) and isinstance(node.target, ast.Name):
            self.model_names.add(node.target.id)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and self._is_write(func, node):
            self.found.append(node)
        self.generic_visit(node)

    def _is_write(self, func: ast.Attribute, call: ast.Call) -> bool:
        receiver = func.value
        if func.attr in ADMIN_WRITES:
            return (
                isinstance(receiver, ast.Call)
                and isinstance(receiver.func, ast.Name)
                and receiver.func.id == "super"
            )
        if func.attr == "save":
            builds_only = any(
                k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in call.keywords
            )
            return not builds_only
        return func.attr in WRITES and self.model_like(receiver)


def writes_in(source: str, related: set[str], classes: set[str]) -> list[str]:
    tree = ast.parse(source)
    finder = _Finder(related, classes)
    # Names are collected in a first pass, so a use above its assignment's line still counts.
    finder.visit(tree)
    finder.found.clear()
    finder.visit(tree)
    return [f"{call.lineno}: {ast.unparse(call)}" for call in finder.found]


def _checked_files() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.rglob("*.py"))
        if not any(allowed <= set(path.relative_to(ROOT).parts) for allowed in ALLOWED_DIRS)
    ]


@pytest.fixture(scope="module")
def vocabulary() -> tuple[set[str], set[str]]:
    return _model_vocabulary()


PLANTED = """
def f(user: User, rows: dict, seen: set, tag):
    Tag.objects.create(name="x")
    Work.objects.filter(pk=1).update(title="y")
    user.pseuds.create(name="z")
    old = WorkHit.objects.filter(day=1)
    old.delete()
    tag.save()
    user.delete()
    work.tags.add(tag)
    rows.update({1: 2})
    seen.add(3)
    element.set("class", "a")
    backend.delete([1])
    form.save(commit=False)

class A(admin.ModelAdmin):
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
"""


def test_the_check_finds_planted_writes_and_ignores_containers(vocabulary: tuple[set[str], set[str]]) -> None:
    related, classes = vocabulary
    assert {"pseuds", "creatorships"} <= related and "Work" in classes
    found = [line.split(": ", 1)[1] for line in writes_in(PLANTED, related | {"tags"}, classes)]
    assert found == [
        "Tag.objects.create(name='x')",
        "Work.objects.filter(pk=1).update(title='y')",
        "user.pseuds.create(name='z')",
        "old.delete()",
        "tag.save()",
        "user.delete()",
        "work.tags.add(tag)",
        "super().delete_model(request, obj)",
    ]


def test_no_model_write_outside_actions_and_migrations(vocabulary: tuple[set[str], set[str]]) -> None:
    related, classes = vocabulary
    offenders = []
    for path in _checked_files():
        name = str(path.relative_to(ROOT))
        for write in writes_in(path.read_text(), related, classes):
            call = write.split(": ", 1)[1]
            if not any(name == f and call.startswith(start) for f, start in ALLOWED):
                offenders.append(f"{name}:{write}")
    assert offenders == [], "model writes outside archive/actions/:\n" + "\n".join(offenders)
