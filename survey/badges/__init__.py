"""Open Badges 3.0: each CPD certificate as a signed, portable verifiable credential, with revocation
published through a Bitstring Status List."""
