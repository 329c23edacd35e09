"""The audit log: who did what, when (sign-ins, exports, revocations, role changes)."""
