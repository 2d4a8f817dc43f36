#!/usr/bin/env bash
# Builds qapps-local (Release, without the tests) and runs it on the demo fixtures:
#   bash scripts/run.sh                 # http://127.0.0.1:4747
#   bash scripts/run.sh --port 8080 --auth strict
# Extra arguments go to qapps-local (see --help). The build lives in $RUN_BUILD_DIR (default
# build-release/), apart from the test build: a server started here keeps running its binary
# while scripts/test.sh reconfigures and rebuilds build/, and this build needs neither doctest
# nor Python.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUN_BUILD_DIR="${RUN_BUILD_DIR:-$QAPPS_ROOT/build-release}"
mkdir -p "$RUN_BUILD_DIR"
RUN_BUILD_DIR="$(cd "$RUN_BUILD_DIR" && pwd)"

qapps_install_packages "${QAPPS_BUILD_PACKAGES[@]}"
qapps_build "$RUN_BUILD_DIR" -DBUILD_TESTING=OFF

qapps_step "starting $RUN_BUILD_DIR/server/qapps-local --fixtures $QAPPS_ROOT/fixtures $*"
exec "$RUN_BUILD_DIR/server/qapps-local" --fixtures "$QAPPS_ROOT/fixtures" "$@"
