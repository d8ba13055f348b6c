#!/usr/bin/env bash
# What reading a source tree costs without understanding it: every .java
# file found and read (the floor for any scanner).
# Usage: bench/read-all.sh DIR
find "$1" -name '*.java' -print0 | xargs -0 cat >/dev/null
