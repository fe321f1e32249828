#!/usr/bin/env bash
# infra/restore.sh: puts a backup made by backup.sh back: checks its sums, recreates the database from
# the dump, replaces the uploads, then checks every attachment's bytes against its recorded SHA-256.
# See docs/RUNBOOK.md, "Restoring".
#
#   restore.sh BACKUP_DIR [--env-file FILE] [--owner-env-file FILE] [--admin-url URL] [--force]
#
# On an installed host (the default files) it stops atum-desk.target first, re-applies migrations and
# the application role's grants afterwards, and starts what was running. The database is dropped and
# created again through the local postgres superuser (or --admin-url, a superuser's URL); a database
# that holds tickets is replaced only with --force. The old uploads are kept beside the new ones.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
# shellcheck source=lib/common.sh source-path=SCRIPTDIR
source "${SCRIPT_DIR}/lib/common.sh"

STAGING_DIR=""

cleanup() {
  if [[ -n "${STAGING_DIR}" ]]; then
    rm -rf -- "${STAGING_DIR}"
  fi
}

usage() {
  # The comment block at the top of this file, without its '# '.
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
}

# Runs psql with the restored database's owner (as use_database_url set it up).
owner_psql() {
  psql --no-psqlrc --quiet --tuples-only --no-align --set=ON_ERROR_STOP=1 --dbname="${DATABASE_URL_SAFE}" "$@"
}

# Runs SQL on the server's maintenance database as a superuser.
admin_sql() {
  local admin_url="$1"
  local sql="$2"
  # "does not exist, skipping" and the like are not news here.
  export PGOPTIONS='-c client_min_messages=warning'
  if [[ -n "${admin_url}" ]]; then
    (use_database_url "${admin_url}" && psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --dbname="${DATABASE_URL_SAFE}" --command="${sql}")
  else
    runuser -u postgres -- psql --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --dbname=postgres --command="${sql}"
  fi
}

# Counts the tickets in the target database; 0 when it or its tables do not exist yet.
existing_tickets() {
  owner_psql --command="select count(*) from tickets" 2>/dev/null || printf '0\n'
}

# Checks each attachment's file against the SHA-256 in its row; prints the number checked.
verify_attachments() {
  local uploads="$1"
  local organization id expected actual checked=0 bad=0
  while IFS='|' read -r organization id expected; do
    [[ -n "${id}" ]] || continue
    actual="$(sha256sum -- "${uploads}/${organization}/${id}" 2>/dev/null | cut -d ' ' -f 1 || true)"
    if [[ "${actual}" != "${expected}" ]]; then
      log "attachment ${id}: expected sha256 ${expected}, found ${actual:-no file}"
      bad=$((bad + 1))
    fi
    checked=$((checked + 1))
  done < <(owner_psql --command="select organization_id, id, sha256 from attachments order by id")
  ((bad == 0)) || die "${bad} of ${checked} attachments do not match their recorded checksum"
  printf '%s\n' "${checked}"
}

main() {
  local backup="" env_file="${ATUM_ENV_FILE}" owner_env_file="" admin_url="" force=0
  while (($# > 0)); do
    case "$1" in
      --env-file) env_file="${2:?--env-file needs a file}"; shift 2 ;;
      --owner-env-file) owner_env_file="${2:?--owner-env-file needs a file}"; shift 2 ;;
      --admin-url) admin_url="${2:?--admin-url needs a URL}"; shift 2 ;;
      --force) force=1; shift ;;
      -h | --help) usage; return 0 ;;
      -*) die "unknown option $1 (see --help)" ;;
      *) [[ -z "${backup}" ]] || die "one backup folder only"; backup="$1"; shift ;;
    esac
  done
  [[ -n "${backup}" ]] || die "which backup? (restore.sh BACKUP_DIR; see --help)"
  backup="$(cd "${backup}" && pwd)"
  # The installed host's owner credentials, service stop and migrations go with its settings only.
  local installed=0
  if [[ "${env_file}" == "${ATUM_ENV_FILE}" ]]; then
    installed=1
    [[ -n "${owner_env_file}" ]] || owner_env_file="${ATUM_OWNER_ENV_FILE}"
  fi

  log "checking ${backup}"
  (cd "${backup}" && sha256sum --check --quiet --strict SHA256SUMS) || die "the backup is damaged: a checksum does not match"
  grep -q '^format: atum-desk-backup 1$' "${backup}/MANIFEST" || die "${backup} is not an ATUM DESK backup"

  local database_url data_dir
  database_url="$(env_value "${owner_env_file}" DATABASE_URL)"
  [[ -n "${database_url}" ]] || database_url="$(env_value "${env_file}" DATABASE_URL)"
  [[ -n "${database_url}" ]] || die "no DATABASE_URL in ${owner_env_file} or ${env_file}"
  data_dir="$(env_value "${env_file}" ATUM_DATA_DIR)"
  [[ -n "${data_dir}" && "${data_dir}" == /* ]] || die "ATUM_DATA_DIR in ${env_file} must be an absolute path"
  use_database_url "${database_url}"
  [[ "${DATABASE_NAME}" =~ ^[a-z_][a-z0-9_]*$ && "${DATABASE_USER}" =~ ^[a-z_][a-z0-9_]*$ ]] ||
    die "database and role names must be plain lower-case identifiers"
  if [[ -n "${admin_url}" ]]; then
    local target_host="${DATABASE_HOST}"
    [[ "$(use_database_url "${admin_url}" && printf '%s' "${DATABASE_HOST}")" == "${target_host}" ]] ||
      die "--admin-url names another server than DATABASE_URL (${target_host})"
  fi

  local tickets
  tickets="$(existing_tickets)"
  if ((tickets > 0 && force == 0)); then
    die "database ${DATABASE_NAME} holds ${tickets} tickets; add --force to replace them with the backup"
  fi

  local was_running=0
  if ((installed)) && [[ -d /run/systemd/system ]] && systemctl is-active --quiet atum-desk.target; then
    log "stopping atum-desk.target"
    systemctl stop atum-desk.target
    was_running=1
  fi

  log "recreating database ${DATABASE_NAME} (owner ${DATABASE_USER})"
  admin_sql "${admin_url}" "drop database if exists ${DATABASE_NAME} with (force)"
  admin_sql "${admin_url}" "create database ${DATABASE_NAME} owner ${DATABASE_USER} encoding 'UTF8' template template0"
  # As the owner, so everything restored belongs to it; grants are re-applied by the migration step.
  pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
    --dbname="${DATABASE_URL_SAFE}" "${backup}/database.dump"

  log "restoring the uploads into ${data_dir}/uploads"
  trap cleanup EXIT
  STAGING_DIR="$(mktemp -d "${data_dir}/.restore.XXXXXX")"
  tar --extract --file="${backup}/uploads.tar" --directory="${STAGING_DIR}" --no-same-owner
  mkdir -p -- "${STAGING_DIR}/uploads"
  chown -R --reference="${data_dir}" -- "${STAGING_DIR}/uploads"
  if [[ -e "${data_dir}/uploads" ]]; then
    local kept
    kept="${data_dir}/uploads.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv -- "${data_dir}/uploads" "${kept}"
    log "the previous uploads are kept in ${kept}"
  fi
  mv -- "${STAGING_DIR}/uploads" "${data_dir}/uploads"

  local checked
  checked="$(verify_attachments "${data_dir}/uploads")"

  if ((installed)) && [[ -x /usr/local/bin/atum-desk ]]; then
    log "applying migrations and grants"
    /usr/local/bin/atum-desk migrate
  fi
  if ((was_running)); then
    log "starting atum-desk.target"
    systemctl start atum-desk.target
  fi
  log "restored $(owner_psql --command='select count(*) from tickets') tickets, $(owner_psql --command='select count(*) from comments') comments and ${checked} attachments (every checksum matches)"
}

main "$@"
