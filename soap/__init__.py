"""The accounting SOAP API (spyne): SOAP types <-> domain calls, nothing else."""
