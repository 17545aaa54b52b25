proctrail show id:7 --json
