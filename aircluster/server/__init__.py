"""The aircluster server: the one process that holds the master key, the key store, the catalog, review
decisions, grants and the audit log, and knows who is asking because the kernel (or MUNGE) says so."""
