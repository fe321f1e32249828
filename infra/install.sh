#!/usr/bin/env bash
# infra/install.sh: installs ATUM DESK on a Debian 12 host, or upgrades it in place. Run it as root from
# a checkout (or an unpacked copy) of the release to install; see docs/RUNBOOK.md.
#
#   infra/install.sh [--server-name NAME]... [--instances N] [--tls-cert FILE --tls-key FILE]
#                    [--admin-email E] [--http-port 80] [--https-port 443] [--no-start] [--no-backup]
#
# This half prepares the host: the apt packages that are missing (PostgreSQL, nginx, openssl, and
# Debian's Node.js and npm when no Node 18+ is there: they only bootstrap the project's own Node 24),
# the atum-desk system user, the folders, and a new release under /opt/atum-desk/releases built with
# the project's toolchain bootstrap. It then
# hands over to infra/installer/configure.ts (run by that Node 24) for the database, the settings, the
# units, nginx and the restart. Running it again makes a new release and switches to it; data,
# settings and secrets stay, and options left out keep the values the installed site has.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "${SCRIPT_DIR}/lib/common.sh"

SOURCE_DIR="$(cd "${SCRIPT_DIR}/.." && pwd)"
readonly SOURCE_DIR
readonly APT_PACKAGES=(postgresql nginx openssl ca-certificates)
readonly DATA_DIR=/var/lib/atum-desk

PARTIAL_RELEASE=""
RELEASE=""

cleanup() {
  if [[ -n "${PARTIAL_RELEASE}" ]]; then
    rm -rf -- "${PARTIAL_RELEASE}"
  fi
}

usage() {
  # The comment block at the top of this file, without its '# '.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

check_platform() {
  local id="" version=""
  if [[ -r /etc/os-release ]]; then
    id="$(sed -n 's/^ID=//p' /etc/os-release | tr -d '"')"
    version="$(sed -n 's/^VERSION_ID=//p' /etc/os-release | tr -d '"')"
  fi
  if [[ "${id}" != debian || "${version}" != 12 ]]; then
    log "warning: made for Debian 12; this is ${id:-unknown} ${version:-?}"
  fi
}

install_packages() {
  local missing=() package
  for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query --show --showformat='${Status}' "${package}" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("${package}")
    fi
  done
  # Any Node.js 18 or newer with npm can bootstrap the project's own Node 24; Debian's is the fallback.
  if ! command -v npm >/dev/null 2>&1 ||
    ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' 2>/dev/null; then
    missing+=(nodejs npm)
  fi
  ((${#missing[@]} == 0)) && return 0
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_user_and_folders() {
  if ! id -u "${ATUM_USER}" >/dev/null 2>&1; then
    log "creating the system user ${ATUM_USER}"
    useradd --system --user-group --home-dir "${DATA_DIR}" --no-create-home --shell /usr/sbin/nologin "${ATUM_USER}"
  fi
  install -d -m 0750 -o "${ATUM_USER}" -g "${ATUM_USER}" "${DATA_DIR}"
  install -d -m 0700 -o root -g root "${ATUM_ETC_DIR}" "${ATUM_BACKUP_DIR}"
  install -d -m 0755 -o root -g root "${ATUM_INSTALL_ROOT}" "${ATUM_INSTALL_ROOT}/releases"
}

# Copies the source files (not dependencies, builds, data or logs) into DIR. In a git checkout that is
# what git tracks or would (its .gitignore decides); otherwise everything but the usual generated folders.
copy_source() {
  local target="$1"
  if [[ -d "${SOURCE_DIR}/.git" ]] && command -v git >/dev/null 2>&1; then
    git -C "${SOURCE_DIR}" ls-files -z --cached --others --exclude-standard |
      tar --create --directory="${SOURCE_DIR}" --ignore-failed-read --null --files-from=- |
      tar --extract --directory="${target}" --no-same-owner
  else
    tar --create --directory="${SOURCE_DIR}" --exclude=./.git --exclude=./.toolchain --exclude=./data \
      --exclude=./bench/.data --exclude=node_modules --exclude=dist --exclude=test-artifacts --exclude=.turbo \
      --exclude=./webroot . |
      tar --extract --directory="${target}" --no-same-owner
  fi
}

# Copies the source into a new release folder and builds it; sets RELEASE to the folder.
stage_release() {
  local name release
  name="$(date -u +%Y%m%dT%H%M%SZ)"
  release="${ATUM_INSTALL_ROOT}/releases/${name}"
  [[ ! -e "${release}" ]] || die "${release} exists already; try again in a second"
  PARTIAL_RELEASE="${ATUM_INSTALL_ROOT}/releases/.${name}.partial"
  mkdir -p -- "${PARTIAL_RELEASE}"
  log "copying ${SOURCE_DIR} into ${release}"
  copy_source "${PARTIAL_RELEASE}"
  # The previous release's toolchain saves downloading the same Node and pnpm again.
  if [[ -d "${ATUM_INSTALL_ROOT}/current/.toolchain" ]]; then
    cp -a -- "${ATUM_INSTALL_ROOT}/current/.toolchain" "${PARTIAL_RELEASE}/.toolchain"
    rm -f -- "${PARTIAL_RELEASE}/.toolchain/node" "${PARTIAL_RELEASE}/.toolchain/installed.stamp"
  fi
  log "building (Node $(cat "${PARTIAL_RELEASE}/.node-version"), pnpm install, turbo run build)"
  (cd "${PARTIAL_RELEASE}" && CI=1 node tooling/toolchain/bootstrap.mjs build) >&2
  ln -sfn "node-$(cat "${PARTIAL_RELEASE}/.node-version")" "${PARTIAL_RELEASE}/.toolchain/node"
  chmod -R go-w -- "${PARTIAL_RELEASE}"
  mv -- "${PARTIAL_RELEASE}" "${release}"
  PARTIAL_RELEASE=""
  RELEASE="${release}"
}

main() {
  if [[ "${1:-}" == -h || "${1:-}" == --help ]]; then
    usage
    return 0
  fi
  require_root "$@"
  check_platform
  trap cleanup EXIT
  install_packages
  ensure_user_and_folders
  stage_release
  "${RELEASE}/.toolchain/node/bin/node" "${RELEASE}/infra/installer/configure.ts" --release "${RELEASE}" "$@"
}

main "$@"
