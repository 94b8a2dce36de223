// Public API of @mcapi/client. Filled in by its own issue.
export {};
