#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and an empty MEDIA_ROOT.
#   createdb jxjy_restored
#   DATABASE_URL=postgres://…/jxjy_restored MEDIA_ROOT=/srv/jxjy/var/media deploy/restore.sh /srv/jxjy-backups/20261129T023000Z
# It refuses to write over existing tables or files: restore into new ones, check, then switch over.
set -euo pipefail
cd "$(dirname "$0")/.."

src=${1:?用法：deploy/restore.sh 备份目录}
: "${DATABASE_URL:?请设置 DATABASE_URL（恢复到的空数据库）}"
MEDIA_ROOT=${MEDIA_ROOT:-var/media}

(cd "$src" && sha256sum --check --quiet SHA256SUMS) || { echo "备份文件校验失败：$src" >&2; exit 1; }

tables=$(psql "$DATABASE_URL" --no-psqlrc -Atc "select count(*) from pg_tables where schemaname = 'public'")
if [ "$tables" != "0" ]; then
  echo "目标数据库不是空的（已有 $tables 张表），未做任何修改。请恢复到新建的空数据库。" >&2
  exit 1
fi
mkdir -p "$MEDIA_ROOT"
if [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  echo "附件目录 $MEDIA_ROOT 不是空的，未做任何修改。" >&2
  exit 1
fi

# One transaction: a restore that fails part-way leaves the database empty, not half-filled.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname "$DATABASE_URL" "$src/db.dump"
tar -C "$MEDIA_ROOT" -xzf "$src/media.tar.gz"
echo "已从 $src 恢复数据库与附件。"
