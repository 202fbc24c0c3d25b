"""What archivists run on a finished package: validation, checks, publication."""
