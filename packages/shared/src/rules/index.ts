// Filled in by the rules module; see DESIGN.md.
export {};
