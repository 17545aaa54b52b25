proctrail search --argv 'echo hi'
