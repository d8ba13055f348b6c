#!/usr/bin/env bash
# Removes every project's classes/ folder below DIR, so the next compile is cold.
# Usage: bench/clean-classes.sh DIR
set -euo pipefail
rm -rf "$1"/*/classes
