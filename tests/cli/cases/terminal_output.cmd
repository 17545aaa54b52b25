# On a terminal: long lines are cut to its width with a visible "…" (-w
# keeps them whole), or go through $PAGER, which chops them itself.
# (script gives proctrail a terminal; stty sets its width.)
script -qec "stty cols 60; PAGER= $PT --db $DATA/fixture.db search --pid 300" /dev/null | tr -d '\r'
script -qec "stty cols 60; $PT --no-pager --db $DATA/fixture.db -w search --pid 300" /dev/null | tr -d '\r'
script -qec "stty cols 60; PAGER='sed s/^/paged:/' $PT --db $DATA/fixture.db search --pid 300" /dev/null | tr -d '\r'
