"""The Mesa agents of the petition system: residents, grass-roots organs, offices, sinks, the manager.

Each module imports only what lies below the agents (rules, state, the `World` view); the model on
top wires them together. Import the classes from their modules (e.g. `agents.offices.PetitionOffice`).
"""
