"""Output analysis of stored results, in the order a reader looks for it.

- `study`: read results (`read(folder)` -> `Study`: runs, outcomes, daily series, the design).
- `catalogue`: what each outcome means (`describe(name)`: label, unit, kind, support, MID).
- `comparison`: compare arms with an explicit reference arm, paired by replication.
- `steady_state`: the MSER-5 warm-up and the last-year trend of each outcome.
- `designs`: factorial effects and interactions, sensitivity indices, design spread.
- `statistics`: the statistics underneath (intervals, paired tests, corrections, MSER).
- `figures` (draw), `tables` (tabulate), `report` (`report_folder(folder, reference=...)`).

Nothing here builds a model or computes an outcome; docs/analysis.md says how to read a report.
"""
