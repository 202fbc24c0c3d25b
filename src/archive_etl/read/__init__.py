"""Reading the input folder: scanning, decoding every file, and the index of what was read."""
