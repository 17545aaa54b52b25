proctrail report everything
