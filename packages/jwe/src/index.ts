// Public API of @mcapi/jwe. Filled in by its own issue.
export {};
