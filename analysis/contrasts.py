"""One specification of every group comparison the workbench reports.

A contrast is a difference of two *terms*; a term is either a group of
documents (a set of levels of the grouping variable, optionally restricted to
alleged-victim genders) or itself a difference. From one list of
:class:`Contrast` objects

* :mod:`analysis.compare` computes framing and role contrasts as differences
  of group means (:func:`evaluate` over any function that returns a group's
  mean), and
* topic prevalence contrasts as linear combinations of the cells of a
  group × victim-gender regression (:func:`cell_weights`): a group's value is
  the unweighted average of its cells, so ``"b - a"`` averages over victim
  gender and ``"male - female"`` averages over groups.

The contrasts, in this order (labels read "later − earlier" in the group
order, as in DESIGN.md):

1. ``"<b> - <a>"`` for every pair of levels, ``a`` before ``b``;
2. ``"male - female"`` over all groups (where victim gender is known);
3. ``"male - female | <g>"`` within each group;
4. ``"(male - female | <b>) - (male - female | <a>)"``: the interaction.

The group order is :func:`order_levels`: an explicit list, else the order
the corpus declares (``corpus.yaml``), else the order of first appearance.

Example
-------
>>> [c.name for c in specify(["x", "y"])]  # doctest: +NORMALIZE_WHITESPACE
['y - x', 'male - female', 'male - female | x', 'male - female | y',
 '(male - female | y) - (male - female | x)']
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Union

import numpy as np

from analysis.selection import order_levels

__all__ = ["GENDERS", "Contrast", "Diff", "Group", "cell_weights", "cells", "evaluate", "group_label",
           "order_levels", "specify"]

#: The two victim genders that victim-gender contrasts compare.
GENDERS: tuple[str, str] = ("female", "male")


@dataclass(frozen=True)
class Group:
    """Documents whose group is in ``levels`` and (if given) whose victim gender is in ``genders``."""

    levels: frozenset[str]
    genders: frozenset[str] | None = None


@dataclass(frozen=True)
class Diff:
    """``a - b``, where each side is a :class:`Group` or another :class:`Diff`."""

    a: Term
    b: Term


Term = Union[Group, Diff]  # noqa: UP007 - a runtime alias used in the dataclasses above


@dataclass(frozen=True)
class Contrast:
    """A named contrast; ``kind`` decides how its p-value is computed."""

    name: str
    kind: Literal["groups", "gender", "interaction"]
    term: Diff

    def groups(self) -> list[Group]:
        """The groups the contrast uses, left to right."""
        return list(_leaves(self.term))


def _leaves(term: Term) -> Iterable[Group]:
    if isinstance(term, Group):
        yield term
    else:
        yield from _leaves(term.a)
        yield from _leaves(term.b)


def specify(levels: Sequence[str], *, genders: bool = True) -> list[Contrast]:
    """Every contrast for these group levels (see the module docstring for the order).

    Parameters
    ----------
    levels : sequence of str
        The group levels in order. One level gives only within-group contrasts.
    genders : bool
        Include the victim-gender contrasts and the interaction.

    Examples
    --------
    >>> [c.name for c in specify(["a", "b", "c"], genders=False)]
    ['b - a', 'c - a', 'c - b']
    """
    levels = list(levels)
    every = frozenset(levels)
    male, female = frozenset({"male"}), frozenset({"female"})

    def gap(level_set: frozenset[str]) -> Diff:
        return Diff(Group(level_set, male), Group(level_set, female))

    out = [Contrast(f"{b} - {a}", "groups", Diff(Group(frozenset({b})), Group(frozenset({a}))))
           for a, b in itertools.combinations(levels, 2)]
    if not genders:
        return out
    out.append(Contrast("male - female", "gender", gap(every)))
    out += [Contrast(f"male - female | {g}", "gender", gap(frozenset({g}))) for g in levels]
    out += [Contrast(f"(male - female | {b}) - (male - female | {a})", "interaction",
                     Diff(gap(frozenset({b})), gap(frozenset({a}))))
            for a, b in itertools.combinations(levels, 2)]
    return out


def evaluate(term: Term, mean: Callable[[Group], np.ndarray]) -> np.ndarray:
    """Value of ``term`` given a function returning each group's mean (arrays broadcast).

    Examples
    --------
    >>> c = specify(["x", "y"], genders=False)[0]
    >>> float(evaluate(c.term, lambda g: np.array(2.0 if "y" in g.levels else 0.5)))
    1.5
    """
    if isinstance(term, Group):
        return mean(term)
    return evaluate(term.a, mean) - evaluate(term.b, mean)


def cells(levels: Sequence[str], genders: Sequence[str] = GENDERS) -> list[tuple[str, str]]:
    """The (level, gender) cells of a group × victim-gender design, in design order."""
    return list(itertools.product(levels, genders))


def cell_weights(contrast: Contrast, levels: Sequence[str], genders: Sequence[str] = GENDERS) -> np.ndarray:
    """Weights over :func:`cells` that give ``contrast`` from cell means.

    A group is the unweighted mean of the cells it covers (its levels × its
    genders, or × all ``genders`` when it has none).

    Examples
    --------
    >>> c = specify(["a", "b"])
    >>> cell_weights(c[0], ["a", "b"]).tolist(), cell_weights(c[1], ["a", "b"]).tolist()
    ([-0.5, -0.5, 0.5, 0.5], [-0.5, 0.5, -0.5, 0.5])
    """
    grid = cells(levels, genders)

    def mean(group: Group) -> np.ndarray:
        wanted = group.genders if group.genders is not None else frozenset(genders)
        v = np.array([1.0 if (lv in group.levels and g in wanted) else 0.0 for lv, g in grid])
        return v / v.sum() if v.sum() else v

    return evaluate(contrast.term, mean)


def group_label(group: Group, levels: Sequence[str]) -> str:
    """A readable name for a group, e.g. ``"pakistan, male"`` or ``"all, female"``."""
    lv = "all" if len(group.levels) == len(levels) and len(levels) > 1 else \
        ", ".join(v for v in levels if v in group.levels)
    return lv if group.genders is None else f"{lv}, {'/'.join(sorted(group.genders))}"
