#!/bin/sh
# The tree shows the design: each folder of src/ includes only headers of
# its own folder or of those below it (HACKING.md), and only src/store
# includes <sqlite3.h>, only src/ui <curses.h>.
. "$(dirname "$0")/../lib.sh"

layers="lib format store model learn io review teach ui cmd"
rank() {
	i=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo 99
}
# the folder of the module a header belongs to
home() {
	f=$(cd "$top/src" && ls */"$1".c */"$1"-int.h 2>/dev/null | head -n 1)
	echo "${f%%/*}"
}

bad=0
for src in "$top"/src/*/*.c; do
	dir=$(basename "$(dirname "$src")")
	me=$(rank "$dir")
	for h in $(sed -n 's/^#include "dialab\/\([a-z_]*\)\.h"/\1/p' "$src"); do
		hd=$(home "$h")
		if [ -z "$hd" ] || [ "$(rank "$hd")" -gt "$me" ]; then
			echo "# ${src#$top/} ($dir) includes dialab/$h.h (${hd:-no module})"
			bad=$((bad + 1))
		fi
	done
done
is "$bad" 0 "every folder includes only from itself and the folders below it"

n=$(grep -l '#include <sqlite3.h>' "$top"/src/*/*.c "$top"/src/*.c | grep -vc '/src/store/')
is "$n" 0 "only src/store includes <sqlite3.h>"
n=$(grep -l '#include <n\{0,1\}curses' "$top"/src/*/*.c "$top"/src/*.c | grep -vc '/src/ui/')
is "$n" 0 "only src/ui includes curses"
n=$(grep -l '#include "store-int.h"' "$top"/src/*/*.c "$top"/src/*.c | grep -vc '/src/store/')
is "$n" 0 "only src/store includes its private store-int.h"
n=$(ls "$top"/src/*.c | grep -vc '/src/dialab\.c$')
is "$n" 0 "no module is left at the top of src/ but the main program"
done_testing
