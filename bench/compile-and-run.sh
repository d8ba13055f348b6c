#!/usr/bin/env bash
# The classic compile.sh, run from src/: compile sample01.Main, then run it.
set -euo pipefail
javac -d ../classes -sourcepath ./ sample01/Main.java
cd ../classes && java sample01.Main >/dev/null
