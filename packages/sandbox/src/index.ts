// Public API of @mcapi/sandbox. Filled in by its own issue.
export {};
