"""The audit log: who did what, when, from where, to which object — never a secret value."""
