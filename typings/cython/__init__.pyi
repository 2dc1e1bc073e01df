# What mypy needs to know of Cython's pure-Python mode as the compiled modules use it
# (conflict_sim/compiled.py): whether the module runs compiled, and a decorator that keeps its class.
compiled: bool

def cclass[T](cls: T) -> T: ...
