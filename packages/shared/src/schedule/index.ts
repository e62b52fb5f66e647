// Filled in by the schedule module; see DESIGN.md.
export {};
