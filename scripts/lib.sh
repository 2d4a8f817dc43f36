# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/run.sh (sourced, never run): progress lines, the Debian
# packages the build needs, the Python that the integration tests need, and the CMake steps.
# Every function stops the script with one clear message when it cannot do its job.

# The repository's top folder, whatever the caller's working directory.
QAPPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Needed to configure and build the server. (Used by the scripts that source this file.)
# shellcheck disable=SC2034
QAPPS_BUILD_PACKAGES=(cmake g++ make pkg-config libboost1.81-dev libboost-json1.81-dev
                      libsqlite3-dev libssl-dev)
# Needed on top of those to build and run the tests (unit tests: doctest; integration tests:
# Python with boto3 and the AWS CLI, and curl for the people reading the README).
# shellcheck disable=SC2034
QAPPS_TEST_PACKAGES=(doctest-dev python3 python3-venv curl)

qapps_step() { printf '==> %s\n' "$*" >&2; }
qapps_die() { printf 'qapps-local: %s\n' "$*" >&2; exit 1; }

qapps_is_installed() {
    [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

# Installed Boost development packages of another version than 1.81 (libboost1.74-dev, the
# libboost-dev meta package, libboost-system1.74-dev, ...): libboost1.81-dev conflicts with them.
# They are named with a trailing '-' on the apt-get line, which removes them in the same
# transaction, so the install never stops on the conflict.
qapps_conflicting_boost() {
    dpkg-query -W -f='${db:Status-Abbrev} ${Package}\n' 'libboost*-dev' 2>/dev/null |
        awk '$1 ~ /^.i/ { print $2 }' |
        grep -E '^libboost' | grep -vE '1\.81([^0-9]|$)' || true
}

# qapps_install_packages PACKAGE...: installs those not installed yet, with apt-get as root, or
# through sudo when it works without a password; otherwise stops and says what to run.
qapps_install_packages() {
    local missing=() package
    for package in "$@"; do
        qapps_is_installed "$package" || missing+=("$package")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        qapps_step "packages: all installed ($*)"
        return 0
    fi

    local removals=()
    case " ${missing[*]} " in
        *" libboost1.81-dev "* | *" libboost-json1.81-dev "*)
            local conflicting
            while IFS= read -r conflicting; do
                [ -n "$conflicting" ] && removals+=("${conflicting}-")
            done < <(qapps_conflicting_boost)
            ;;
    esac

    local apt_options=(-y -q --no-install-recommends
                       -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    local as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            as_root=(sudo -n)
        else
            qapps_die "missing packages: ${missing[*]}. Install them as root (no sudo without a password here), then run this again:
  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}${removals:+ ${removals[*]}}"
        fi
    fi

    qapps_step "installing: ${missing[*]}${removals:+ (removing the conflicting ${removals[*]%-})}"
    # A failed update (one unreachable mirror) need not stop the install: it may still succeed
    # from the lists there are, and says clearly when it does not.
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q ||
        printf 'qapps-local: warning: apt-get update failed; trying the install anyway\n' >&2
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install "${apt_options[@]}" "${missing[@]}" "${removals[@]}" ||
        qapps_die "apt-get install failed (see above); the packages needed are: ${missing[*]}"
    for package in "${missing[@]}"; do
        qapps_is_installed "$package" || qapps_die "package $package is still not installed"
    done
}

# Prints the absolute path of the interpreter if "$1" runs Python 3 with boto3 and the AWS CLI
# and they know the qapps service; fails silently otherwise.
qapps_python_fits() {
    "$1" - <<'PY' 2>/dev/null
import sys
import awscli  # noqa: F401  (the AWS CLI v1, run as `python -m awscli`)
import boto3
if "qapps" not in boto3.session.Session().get_available_services():
    sys.exit(1)
print(sys.executable)
PY
}

# qapps_find_python BUILD_DIR: sets QAPPS_PYTHON to an interpreter fit for the integration tests:
# $QAPPS_PYTHON if set, else python3 on PATH (or a pyenv one), else BUILD_DIR/venv (created, and
# boto3 and the AWS CLI installed into it with pip, when it does not fit yet).
qapps_find_python() {
    local build_dir="$1" candidate found
    if [ -n "${QAPPS_PYTHON:-}" ]; then
        found="$(qapps_python_fits "$QAPPS_PYTHON")" ||
            qapps_die "QAPPS_PYTHON=$QAPPS_PYTHON is not a Python with boto3 and awscli that know the qapps service"
        QAPPS_PYTHON="$found"
        qapps_step "python for the integration tests: $QAPPS_PYTHON (from QAPPS_PYTHON)"
        return 0
    fi
    # python3 on PATH first; then pyenv's interpreters, in case PATH lacks pyenv's shims; then
    # the venv a previous run made.
    for candidate in python3 "${PYENV_ROOT:-$HOME/.pyenv}"/versions/*/bin/python3 \
                     "$build_dir/venv/bin/python"; do
        command -v "$candidate" >/dev/null 2>&1 || continue
        if found="$(qapps_python_fits "$candidate")"; then
            QAPPS_PYTHON="$found"
            qapps_step "python for the integration tests: $QAPPS_PYTHON"
            return 0
        fi
    done

    qapps_step "no python3 with boto3 and awscli that know qapps: creating $build_dir/venv"
    mkdir -p "$build_dir"
    local base_python
    base_python="$(command -v python3 || true)"
    [ -x /usr/bin/python3 ] && base_python=/usr/bin/python3
    [ -n "$base_python" ] || qapps_die "python3 is not installed"
    local need="The integration tests need a Python 3 with boto3>=1.35 and awscli>=1.34 (they
know the qapps service). Either put such a python3 first on PATH, or set QAPPS_PYTHON=/path/to/python,
or give this machine access to PyPI so that '$build_dir/venv/bin/pip install boto3 awscli' works."
    if [ ! -x "$build_dir/venv/bin/python" ]; then
        "$base_python" -m venv "$build_dir/venv" ||
            qapps_die "could not create the venv $build_dir/venv (is python3-venv installed?). $need"
    fi
    qapps_step "installing boto3 and awscli into $build_dir/venv with pip"
    "$build_dir/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --timeout 20 --retries 1 'boto3>=1.35' 'awscli>=1.34' ||
        qapps_die "pip could not install boto3 and awscli into $build_dir/venv (output above). $need"
    found="$(qapps_python_fits "$build_dir/venv/bin/python")" ||
        qapps_die "boto3/awscli in $build_dir/venv do not know the qapps service. $need"
    QAPPS_PYTHON="$found"
    qapps_step "python for the integration tests: $QAPPS_PYTHON"
}

# qapps_build BUILD_DIR CMAKE_ARGS...: configures (Release unless CMAKE_BUILD_TYPE is set) and
# builds every target with one job per core. CMake's output goes to stderr, so that a server
# started afterwards (scripts/run.sh) has stdout to itself.
qapps_build() {
    local build_dir="$1"
    shift
    qapps_step "configuring $build_dir"
    cmake -S "$QAPPS_ROOT" -B "$build_dir" -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-Release}" "$@" \
        >&2 || qapps_die "cmake could not configure $build_dir (output above)"
    qapps_step "building in $build_dir ($(nproc) jobs)"
    cmake --build "$build_dir" -j"$(nproc)" >&2 || qapps_die "the build failed (output above)"
}
