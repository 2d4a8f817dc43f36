#!/usr/bin/env bash
# THE test command (README; .ci/run runs exactly this): installs what the build and the tests
# need, builds qapps-local and its tests (Release) in $BUILD_DIR (default build/), and runs every
# test with CTest: the doctest unit tests and the Python integration tests, which start the real
# server binary. Exits non-zero on any failure.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BUILD_DIR="${BUILD_DIR:-$QAPPS_ROOT/build}"
mkdir -p "$BUILD_DIR"
BUILD_DIR="$(cd "$BUILD_DIR" && pwd)"

qapps_install_packages "${QAPPS_BUILD_PACKAGES[@]}" "${QAPPS_TEST_PACKAGES[@]}"
qapps_find_python "$BUILD_DIR"
qapps_build "$BUILD_DIR" -DBUILD_TESTING=ON -DQAPPS_PYTHON="$QAPPS_PYTHON"

# Two at a time (one per core): every integration test starts its own servers on free ports, so
# tests never share a server or a port.
qapps_step "running the tests"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j"${CTEST_PARALLEL_LEVEL:-2}"
