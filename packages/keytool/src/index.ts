// Public API of @mcapi/keytool. Filled in by its own issue.
export {};
