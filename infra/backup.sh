#!/usr/bin/env bash
# infra/backup.sh: a consistent backup of ATUM DESK into one new folder: the database (pg_dump's custom
# format), the uploads (a tar), a MANIFEST and their SHA-256 sums. See docs/RUNBOOK.md, "Backups".
#
#   backup.sh [--env-file FILE] [--owner-env-file FILE] [--out DIR] [--keep N]
#
# Why it is consistent: pg_dump reads the whole database in one repeatable-read snapshot, and the
# uploads are archived after it. An attachment's file is complete on disk before its row commits and
# never changes afterwards, so every attachment in the dump has its bytes in the archive (an upload
# committed after the snapshot may add a file no row points to, which does no harm). No service stops.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "${SCRIPT_DIR}/lib/common.sh"

PARTIAL_DIR=""

cleanup() {
  if [[ -n "${PARTIAL_DIR}" ]]; then
    rm -rf -- "${PARTIAL_DIR}"
  fi
}

usage() {
  # The comment block at the top of this file, without its '# '.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# Deletes all but the newest KEEP backups in DIR (0 keeps everything).
prune() {
  local dir="$1"
  local keep="$2"
  local old
  ((keep > 0)) || return 0
  while IFS= read -r old; do
    log "removing old backup ${old}"
    rm -rf -- "${dir:?}/${old}"
  done < <(find "${dir}" -mindepth 1 -maxdepth 1 -type d -name 'atum-desk-*' -printf '%f\n' | sort -r | tail -n +"$((keep + 1))")
}

main() {
  local env_file="${ATUM_ENV_FILE}"
  local owner_env_file=""
  local out_dir="${ATUM_BACKUP_DIR}"
  local keep=0
  while (($# > 0)); do
    case "$1" in
      --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
      --owner-env-file) owner_env_file="${2:?--owner-env-file needs a file}"; shift 2 ;;
      --out) out_dir="${2:?--out needs a folder}"; shift 2 ;;
      --keep) keep="${2:?--keep needs a number}"; shift 2 ;;
      -h | --help) usage; return 0 ;;
      *) die "unknown option $1 (see --help)" ;;
    esac
  done
  [[ "${keep}" =~ ^[0-9]+$ ]] || die "--keep: expected a number, got ${keep}"
  # The installed owner's credentials go with the installed settings only, never with another --env-file.
  if [[ -z "${owner_env_file}" && "${env_file}" == "${ATUM_ENV_FILE}" ]]; then
    owner_env_file="${ATUM_OWNER_ENV_FILE}"
  fi

  # The owner's credentials when installed (they can read every table), else the application's.
  local database_url data_dir
  database_url="$(env_value "${owner_env_file}" DATABASE_URL)"
  [[ -n "${database_url}" ]] || database_url="$(env_value "${env_file}" DATABASE_URL)"
  [[ -n "${database_url}" ]] || die "no DATABASE_URL in ${owner_env_file} or ${env_file}"
  data_dir="$(env_value "${env_file}" ATUM_DATA_DIR)"
  [[ -n "${data_dir}" && "${data_dir}" == /* ]] || die "ATUM_DATA_DIR in ${env_file} must be an absolute path"
  use_database_url "${database_url}"

  umask 077
  mkdir -p -- "${out_dir}"
  local name
  name="atum-desk-$(date -u +%Y%m%dT%H%M%SZ)"
  [[ ! -e "${out_dir}/${name}" ]] || die "${out_dir}/${name} exists already; try again in a second"
  trap cleanup EXIT
  PARTIAL_DIR="${out_dir}/.${name}.partial"
  mkdir -- "${PARTIAL_DIR}"

  log "dumping database ${DATABASE_NAME}"
  pg_dump --format=custom --compress=6 --file="${PARTIAL_DIR}/database.dump" --dbname="${DATABASE_URL_SAFE}"

  log "archiving ${data_dir}/uploads"
  if [[ -d "${data_dir}/uploads" ]]; then
    # Unfinished uploads (<uuid>.part) belong to no row.
    tar --create --file="${PARTIAL_DIR}/uploads.tar" --directory="${data_dir}" --exclude='*.part' uploads
  else
    tar --create --file="${PARTIAL_DIR}/uploads.tar" --files-from=/dev/null
  fi

  {
    printf 'format: atum-desk-backup 1\n'
    printf 'created: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    printf 'host: %s\n' "$(hostname)"
    printf 'database: %s\n' "${DATABASE_NAME}"
    printf 'pg_dump: %s\n' "$(pg_dump --version)"
    printf 'uploads: %s files\n' "$(tar --list --file="${PARTIAL_DIR}/uploads.tar" | grep -vc '/$' || true)"
  } >"${PARTIAL_DIR}/MANIFEST"
  (cd "${PARTIAL_DIR}" && sha256sum database.dump uploads.tar MANIFEST >SHA256SUMS)

  mv -- "${PARTIAL_DIR}" "${out_dir}/${name}"
  PARTIAL_DIR=""
  prune "${out_dir}" "${keep}"
  log "backup complete"
  printf '%s\n' "${out_dir}/${name}"
}

main "$@"
