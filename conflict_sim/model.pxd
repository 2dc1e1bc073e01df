# C declarations of model.py for Cython (conflict_sim/compiled.py): the model's books of its issues read at
# their fields' offsets (layouts.py).
from conflict_sim.events cimport EventLog
from conflict_sim.households cimport Households
from conflict_sim.layouts cimport (Issue as IssueLayout, Params as ParamsLayout, Streams as StreamsLayout,
                                   WorldState as WorldLayout, check_layouts)
from conflict_sim.streams cimport Stream
