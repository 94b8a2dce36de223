// Public API of @mcapi/transport-mtls. Filled in by its own issue.
export {};
