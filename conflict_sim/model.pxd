# C declarations of model.py for Cython (conflict_sim/compiled.py): the model's books of its issues read at
# their fields' offsets (layouts.py).
from conflict_sim.events cimport EventLog
from conflict_sim.layouts cimport Issue as IssueLayout, WorldState as WorldLayout, check_layouts
