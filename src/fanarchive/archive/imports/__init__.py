"""Import orchestration: files -> reader in a limited worker process -> actions."""
