#!/usr/bin/env bash
# Edit-to-feedback latency, side by side: watch mode (a save seen by the file watcher, then a check on a test JVM
# started ahead of time), a cold `./lab check`, and the same tests through `./mvnw -q -pl <module> test -Dtest=...`.
# Prints each run, the medians and the ratios.   Usage: scripts/measure-feedback.sh [exercise] [--runs N]
set -euo pipefail
cd "$(dirname "$0")/.."
exec ./lab latency "$@"
