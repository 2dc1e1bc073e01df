# What mypy needs to know of Cython's pure-Python mode as the compiled modules use it
# (conflict_sim/compiled.py): whether the module runs compiled, a decorator that keeps its class, and,
# used only on the compiled path, the address of a value (a C pointer), the null pointer and C arrays
# of doubles declared where they are used.
from typing import Any

compiled: bool
double: Any
NULL: Any

def cclass[T](cls: T) -> T: ...
def address(value: Any) -> Any: ...
def declare(type: Any) -> Any: ...
