"""Evaluate the small part of XPath that XLSForm constraints and relevance use.

Enough for what people write in a ``constraint`` or ``relevant`` column:
``. >= 1 and . <= 5``, ``${other} = 'ja'``, ``not(selected(., 'niets') and
count-selected(.) > 1)``, ``regex(., '^[A-Z]+$')``, ``string-length(.) < 200``.
Anything else raises ``Unsupported``; the caller then says the rule was not
checked (it never guesses).

Example:
    >>> evaluate(". >= 1 and . <= 5", ".", {".": "4"})
    True
    >>> evaluate("not(selected(., 'c') and selected(., 'd'))", ".", {".": "a c d"})
    False
"""

from __future__ import annotations

import math

import re

_TOKEN = re.compile(r"""
    \s*(?:
      (?P<num>\d+(?:\.\d+)?|\.\d+)
     |(?P<str>'[^']*'|"[^"]*")
     |(?P<ref>\$\{[^}]+\})
     |(?P<op><=|>=|!=|=|<|>|\+|-|\*|\(|\)|,)
     |(?P<word>(?:and|or|div|mod)\b(?![-:]))
     |(?P<name>[A-Za-z_][\w:-]*(?=\s*\())
     |(?P<node>[A-Za-z_][\w.-]*)
     |(?P<dot>\.)
    )""", re.VERBOSE)

# A bare name (``cf`` in a choice_filter such as ``cf = ${state}``) is a column of the
# choice being filtered; its value is looked up under "/" + name, which no question name can be.
NODE_PREFIX = "/"


class Unsupported(Exception):
    """The expression uses XPath we do not evaluate."""


def _tokens(expr: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    expr = expr.strip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise Unsupported(expr[pos:])
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
        pos = m.end()
        while pos < len(expr) and expr[pos].isspace():
            pos += 1
    return out


def _num(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    s = str(value).strip()
    if s == "":
        return float("nan")
    try:
        return float(s)
    except ValueError:
        return float("nan")


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0 and value == value
    return str(value) != ""


def truth(value) -> bool:
    """The XPath truth of a rule's result: a number is true unless 0 or NaN, a text unless empty.

    Example:
        >>> truth(float("nan")), truth(0.0), truth("0"), truth(2.5)
        (False, False, True, True)
    """
    return _bool(value)


def _compare(op: str, a, b) -> bool:
    if op in ("=", "!="):
        if isinstance(a, bool) or isinstance(b, bool):
            same = _bool(a) == _bool(b)
        elif isinstance(a, (int, float)) or isinstance(b, (int, float)):
            same = _num(a) == _num(b)
        else:
            same = str(a) == str(b)
        return same if op == "=" else not same
    x, y = _num(a), _num(b)
    return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]


class _Tokens:
    """Reads a token list left to right; ``parse`` reads one whole expression (``or_``)."""

    def __init__(self, tokens):
        self.t, self.i = tokens, 0

    def peek(self):
        return self.t[self.i] if self.i < len(self.t) else (None, None)

    def take(self, value=None):
        tok = self.peek()
        if value is not None and tok[1] != value:
            raise Unsupported(f"expected {value}")
        self.i += 1
        return tok

    def parse(self):
        v = self.or_()
        if self.i != len(self.t):
            raise Unsupported("trailing tokens")
        return v


class _Parser(_Tokens):
    def __init__(self, tokens, values: dict[str, str], current: str):
        super().__init__(tokens)
        self.values, self.current = values, current

    def or_(self):
        v = self.and_()
        while self.peek() == ("word", "or"):
            self.take()
            w = self.and_()
            v = _bool(v) or _bool(w)
        return v

    def and_(self):
        v = self.cmp()
        while self.peek() == ("word", "and"):
            self.take()
            w = self.cmp()
            v = _bool(v) and _bool(w)
        return v

    def cmp(self):
        v = self.add()
        while self.peek()[1] in ("=", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            v = _compare(op, v, self.add())
        return v

    def add(self):
        v = self.mul()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            w = self.mul()
            v = _num(v) + _num(w) if op == "+" else _num(v) - _num(w)
        return v

    def mul(self):
        v = self.unary()
        while self.peek()[1] in ("*",) or self.peek() in (("word", "div"), ("word", "mod")):
            op = self.take()[1]
            w = _num(self.unary())
            v = _times(op, _num(v), w)
        return v

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            return -_num(self.unary())
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1]
        if kind == "dot":
            return self.values.get(self.current, "")
        if kind == "ref":
            name = text[2:-1]
            if name not in self.values:
                raise Unsupported(f"unknown reference {name}")
            return self.values[name]
        if kind == "node":
            if NODE_PREFIX + text not in self.values:
                raise Unsupported(f"unknown name {text}")
            return self.values[NODE_PREFIX + text]
        if text == "(":
            v = self.or_()
            self.take(")")
            return v
        if kind == "name":
            self.take("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.or_())
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.or_())
            self.take(")")
            return _call(text, args)
        raise Unsupported(str(text))


def _call(name: str, args: list):
    if name == "not" and len(args) == 1:
        return not _bool(args[0])
    if name == "true" and not args:
        return True
    if name == "false" and not args:
        return False
    if name == "selected" and len(args) == 2:
        return str(args[1]) in str(args[0]).split()
    if name == "count-selected" and len(args) == 1:
        return float(len(str(args[0]).split()))
    if name == "string-length" and len(args) == 1:
        return float(len(str(args[0])))
    if name == "regex" and len(args) == 2:
        try:
            return re.search(str(args[1]), str(args[0])) is not None
        except re.error as exc:
            raise Unsupported(f"regex: {exc}") from None
    if name in ("number", "int") and len(args) == 1:
        n = _num(args[0])
        return float(int(n)) if name == "int" and n == n else n
    if name == "contains" and len(args) == 2:
        return str(args[1]) in str(args[0])
    if name == "starts-with" and len(args) == 2:
        return str(args[0]).startswith(str(args[1]))
    if name == "string" and len(args) == 1:
        return str(args[0])
    raise Unsupported(f"{name}()")


# ---- compiled expressions -------------------------------------------------------
#
# An expression is parsed once into a tree of small functions, which then runs
# for each row. The tree does exactly what _Parser does while it parses: every
# operand is evaluated, left to right, with the same conversions, so the value
# and any error are the same. An expression _Parser would reject part-way (an
# error found only after some values were read) is not compiled: it keeps being
# interpreted by _Parser, so even the order of errors stays the same.

_MISSING = object()  # a reference to a name that is not among the values


class _Compiler(_Tokens):
    """Like ``_Parser``, but each rule returns a function of (values, current) instead of a value."""

    def or_(self):
        f = self.and_()
        while self.peek() == ("word", "or"):
            self.take()
            f = _or(f, self.and_())
        return f

    def and_(self):
        f = self.cmp()
        while self.peek() == ("word", "and"):
            self.take()
            f = _and(f, self.cmp())
        return f

    def cmp(self):
        f = self.add()
        while self.peek()[1] in ("=", "!=", "<", "<=", ">", ">="):
            op = self.take()[1]
            f = _cmp(op, f, self.add())
        return f

    def add(self):
        f = self.mul()
        while self.peek()[1] in ("+", "-"):
            op = self.take()[1]
            f = _arith(op, f, self.mul())
        return f

    def mul(self):
        f = self.unary()
        while self.peek()[1] in ("*",) or self.peek() in (("word", "div"), ("word", "mod")):
            op = self.take()[1]
            f = _arith(op, f, self.unary())
        return f

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            inner = self.unary()
            return lambda values, current: -_num(inner(values, current))
        return self.primary()

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            number = float(text)
            return lambda values, current: number
        if kind == "str":
            string = text[1:-1]
            return lambda values, current: string
        if kind == "dot":
            return lambda values, current: values.get(current, "")
        if kind == "ref":
            return _ref(text[2:-1])
        if kind == "node":
            return _ref(NODE_PREFIX + text)
        if text == "(":
            f = self.or_()
            self.take(")")
            return f
        if kind == "name":
            self.take("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.or_())
                while self.peek()[1] == ",":
                    self.take()
                    args.append(self.or_())
            self.take(")")
            return _function(text, args)
        raise Unsupported(str(text))


def _or(f, g):
    def run(values, current):
        v, w = f(values, current), g(values, current)
        return _bool(v) or _bool(w)
    return run


def _and(f, g):
    def run(values, current):
        v, w = f(values, current), g(values, current)
        return _bool(v) and _bool(w)
    return run


def _cmp(op, f, g):
    def run(values, current):
        v = f(values, current)
        return _compare(op, v, g(values, current))
    return run


def _times(op: str, v: float, w: float) -> float:
    """``*``, ``div`` and ``mod`` as XPath 1.0 defines them: dividing by zero gives
    Infinity or NaN (not an error), and ``mod`` keeps the sign of the left number.

    Example:
        >>> _times("div", 1.0, 0.0), _times("mod", -5.0, 2.0), _times("mod", 5.0, 0.0) != _times("mod", 5.0, 0.0)
        (inf, -1.0, True)
    """
    if op == "*":
        return v * w
    if op == "div":
        if w == 0:
            return math.nan if v == 0 or math.isnan(v) else math.copysign(math.inf, v) * math.copysign(1.0, w)
        return v / w
    return math.nan if w == 0 or math.isinf(v) else math.fmod(v, w)


def _arith(op, f, g):
    if op == "+":
        def run(values, current):
            v = f(values, current)
            return _num(v) + _num(g(values, current))
    elif op == "-":
        def run(values, current):
            v = f(values, current)
            return _num(v) - _num(g(values, current))
    else:  # *, div, mod: the right operand is a number before the left one is converted
        def run(values, current):
            v = f(values, current)
            w = _num(g(values, current))
            return _times(op, _num(v), w)
    return run


def _ref(name):
    def run(values, current):
        if name not in values:
            raise Unsupported(f"unknown reference {name.removeprefix(NODE_PREFIX)}")
        return values[name]
    return run


def _function(name, args):
    if len(args) == 1:
        (a,) = args
        return lambda values, current: _call(name, [a(values, current)])
    return lambda values, current: _call(name, [a(values, current) for a in args])


class Expression:
    """An expression parsed once, to evaluate for many rows: ``expr(current, values)``.

    ``key(current, values)`` holds every value the result depends on: two rows
    with the same key get the same result (or the same ``Unsupported``).
    ``dot`` says whether it reads ``.``; ``refs`` are the names of the
    ``${name}`` it reads.

    Example:
        >>> e = compile_expression(". >= 1 and ${max} > 2")
        >>> e(".", {".": "4", "max": "3"}), e.key(".", {".": "4", "max": "3"})
        (True, ('4', '3'))
    """

    def __init__(self, expr: str):
        self.expr = expr
        self._run = self._error = None
        self.refs: tuple[str, ...] = ()
        self.nodes: tuple[str, ...] = ()
        self.dot = False
        try:
            tokens = _tokens(expr)
        except Unsupported as err:
            self._error = err  # _Parser fails here too, before reading any value
            return
        self._tokens = tokens
        self.dot = any(kind == "dot" for kind, _ in tokens)
        self.refs = tuple(dict.fromkeys(text[2:-1] for kind, text in tokens if kind == "ref"))
        self.nodes = tuple(dict.fromkeys(text for kind, text in tokens if kind == "node"))
        try:
            self._run = _Compiler(tokens).parse()
        except Unsupported:
            pass  # rejected part-way: interpreted by _Parser each time (see above)

    def key(self, current: str, values: dict) -> tuple:
        dot = (values.get(current, ""),) if self.dot else ()
        return (dot + tuple(values.get(name, _MISSING) for name in self.refs)
                + tuple(values.get(NODE_PREFIX + name, _MISSING) for name in self.nodes))

    def __call__(self, current: str, values: dict):
        if self._error is not None:
            raise Unsupported(*self._error.args)
        if self._run is None:
            return _Parser(self._tokens, values, current).parse()
        return self._run(values, current)


_COMPILED: dict[str, Expression] = {}


def compile_expression(expr: str) -> Expression:
    """``expr`` parsed once (kept for the next call with the same text)."""
    found = _COMPILED.get(expr)
    if found is None:
        if len(_COMPILED) >= 4096:
            _COMPILED.clear()
        found = _COMPILED[expr] = Expression(expr)
    return found


def evaluate(expr: str, current: str, values: dict[str, str]):
    """Evaluate ``expr`` with ``.`` = ``values[current]`` and ``${name}`` = ``values[name]``."""
    return compile_expression(expr)(current, values)


def bounds(expr: str | None) -> tuple[float | None, float | None]:
    """Lowest and highest value a simple range constraint allows (``. >= 1 and . <= 5`` -> (1, 5)).

    Example:
        >>> bounds(". >= 1 and . <= 5")
        (1.0, 5.0)
    """
    low = high = None
    if not expr:
        return low, high
    for part in re.split(r"\band\b", expr):
        m = re.fullmatch(r"\s*\.\s*(>=|>|<=|<)\s*(-?\d+(?:\.\d+)?)\s*", part)
        if not m:
            m2 = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*(>=|>|<=|<)\s*\.\s*", part)
            if not m2:
                return None, None
            flip = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
            op, num = flip[m2.group(2)], float(m2.group(1))
        else:
            op, num = m.group(1), float(m.group(2))
        if op in (">=", ">"):
            low = num if op == ">=" else None
        else:
            high = num if op == "<=" else None
    return low, high
