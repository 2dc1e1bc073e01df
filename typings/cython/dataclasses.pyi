# Cython's dataclasses of compiled classes behave as the standard library's do.
from dataclasses import dataclass as dataclass
from dataclasses import field as field
