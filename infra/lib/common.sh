#!/usr/bin/env bash
# Shared by infra/*.sh (sourced, never run): messages, the install's fixed paths, and reading the
# environment files without executing them.
# shellcheck disable=SC2034 # the constants and variables set here are read by the scripts sourcing it

readonly ATUM_ETC_DIR=/etc/atum-desk
readonly ATUM_ENV_FILE="${ATUM_ETC_DIR}/atum-desk.env"
readonly ATUM_OWNER_ENV_FILE="${ATUM_ETC_DIR}/owner.env"
readonly ATUM_INSTALL_ROOT=/opt/atum-desk
readonly ATUM_USER=atum-desk
readonly ATUM_BACKUP_DIR=/var/backups/atum-desk

# The name of the running script, for messages.
ATUM_SCRIPT="$(basename "$0")"
readonly ATUM_SCRIPT

log() {
  printf '%s: %s\n' "${ATUM_SCRIPT}" "$*" >&2
}

die() {
  printf '%s: error: %s\n' "${ATUM_SCRIPT}" "$*" >&2
  exit 1
}

require_root() {
  if [[ "${EUID}" -ne 0 ]]; then
    die "run me as root (sudo $0 $*)"
  fi
}

# Parses one line of an environment file (KEY=value, optionally quoted) into ENV_KEY and ENV_VALUE;
# returns 1 for comments, blank lines and anything else. Environment files are read as data, never
# sourced: they hold secrets and are not shell syntax.
parse_env_line() {
  local line="$1"
  line="${line#"${line%%[![:space:]]*}"}"
  line="${line#export }"
  [[ "${line}" =~ ^([A-Za-z_][A-Za-z0-9_]*)=(.*)$ ]] || return 1
  ENV_KEY="${BASH_REMATCH[1]}"
  ENV_VALUE="${BASH_REMATCH[2]}"
  ENV_VALUE="${ENV_VALUE%"${ENV_VALUE##*[![:space:]]}"}"
  if [[ "${ENV_VALUE}" =~ ^\"(.*)\"$ || "${ENV_VALUE}" =~ ^\'(.*)\'$ ]]; then
    ENV_VALUE="${BASH_REMATCH[1]}"
  fi
}

# Prints the value of KEY in an environment file (the last one wins), or nothing.
env_value() {
  local file="$1"
  local key="$2"
  local line value=""
  [[ -r "${file}" ]] || return 0
  while IFS= read -r line || [[ -n "${line}" ]]; do
    if parse_env_line "${line}" && [[ "${ENV_KEY}" == "${key}" ]]; then
      value="${ENV_VALUE}"
    fi
  done <"${file}"
  printf '%s' "${value}"
}

# Exports every KEY=value of an environment file into this shell's environment (later files win).
export_env_file() {
  local file="$1"
  local line
  [[ -r "${file}" ]] || die "cannot read ${file}"
  while IFS= read -r line || [[ -n "${line}" ]]; do
    if parse_env_line "${line}"; then
      export "${ENV_KEY}=${ENV_VALUE}"
    fi
  done <"${file}"
}

# Splits a postgres:// URL into the URL without its password (safe to pass as an argument: anyone on the
# host can read a process's arguments) and the password, exported as PGPASSWORD for libpq's tools.
# Sets DATABASE_URL_SAFE, DATABASE_USER, DATABASE_HOST (host:port) and DATABASE_NAME.
use_database_url() {
  local url="$1"
  local pattern='^(postgres(ql)?://)([^:@/]+)(:([^@/]*))?@([^/]+)/([^?]+)(\?.*)?$'
  [[ "${url}" =~ ${pattern} ]] || die "not a postgres://user:password@host/database URL: ${url%%:*}://…"
  DATABASE_URL_SAFE="${BASH_REMATCH[1]}${BASH_REMATCH[3]}@${BASH_REMATCH[6]}/${BASH_REMATCH[7]}${BASH_REMATCH[8]}"
  DATABASE_USER="${BASH_REMATCH[3]}"
  DATABASE_HOST="${BASH_REMATCH[6]}"
  DATABASE_NAME="${BASH_REMATCH[7]}"
  # Percent-decoding: %XX becomes \xXX for printf.
  local password="${BASH_REMATCH[5]}"
  password="${password//\\/\\\\}"
  if [[ -n "${password}" ]]; then
    PGPASSWORD="$(printf '%b' "${password//%/\\x}")"
    export PGPASSWORD
  else
    unset PGPASSWORD
  fi
}
