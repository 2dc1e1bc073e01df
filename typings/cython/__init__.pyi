# What mypy needs to know of Cython's pure-Python mode as the compiled modules use it
# (conflict_sim/compiled.py): whether the module runs compiled, a decorator that keeps its class, and
# the address of a value (a C pointer, used only on the compiled path).
from typing import Any

compiled: bool

def cclass[T](cls: T) -> T: ...
def address(value: Any) -> Any: ...
