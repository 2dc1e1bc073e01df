"""The pieces of the browser app (`conflict_sim.app`): district map, charts, arms side by side, export.

Each module is one Solara component or a pure function behind it, so the app file only assembles them.
"""
