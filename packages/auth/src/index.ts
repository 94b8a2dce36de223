// Public API of @mcapi/auth. Filled in by its own issue.
export {};
