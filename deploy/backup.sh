#!/usr/bin/env bash
# Back up 继续教育系统: the database (pg_dump, custom format) and the attachments under MEDIA_ROOT (tar),
# with their SHA-256 sums, into a new folder BACKUP_DIR/<UTC time>/ (or the folder given).
#   DATABASE_URL=postgres://… MEDIA_ROOT=/srv/jxjy/var/media BACKUP_DIR=/srv/jxjy-backups deploy/backup.sh
# BACKUP_KEEP_DAYS=N also removes backups older than N days from BACKUP_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?请设置 DATABASE_URL（要备份的 PostgreSQL 数据库）}"
MEDIA_ROOT=${MEDIA_ROOT:-var/media}
BACKUP_DIR=${BACKUP_DIR:-var/backups}
dest=${1:-$BACKUP_DIR/$(date -u +%Y%m%dT%H%M%SZ)}
umask 077
mkdir -p "$dest"

# The database first, then the files: every file a dumped row points to was stored before the row was
# committed, so it is in the tar too (a file added meanwhile is merely unreferenced).
pg_dump --format=custom --no-owner --no-privileges --file "$dest/db.dump" "$DATABASE_URL"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -czf "$dest/media.tar.gz" .
(cd "$dest" && sha256sum db.dump media.tar.gz > SHA256SUMS)

if [ -n "${BACKUP_KEEP_DAYS:-}" ]; then
  find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime +"$BACKUP_KEEP_DAYS" -exec rm -rf {} +
fi
echo "$dest"
