proctrail show 4242
