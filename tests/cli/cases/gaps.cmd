proctrail gaps
