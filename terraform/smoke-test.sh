#!/usr/bin/env bash
# Smoke test of a deployed ImgStream through its URLs, as a client sees it: the three HTTP functions' /health, then an
# upload, a fetch of its metadata and bytes, a collision check that finds it identical, and a delete (so that nothing is
# left behind but a soft-deleted row that cleanup purges). Exits non-zero at the first surprise, saying what it got.
#
#   UPLOAD_URL=… FETCH_URL=… COLLISION_CHECK_URL=… KEY=isk_… terraform/smoke-test.sh
#   terraform/smoke-test.sh        # after `terraform init`: the URLs from the outputs; KEY, or SMOKE_KEY_SECRET naming
#                                  # the Secret Manager secret that holds the smoke user's API key
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out() { (cd "$here" && terraform output -raw "$1"); }
UPLOAD_URL=${UPLOAD_URL:-$(out upload_url)}
FETCH_URL=${FETCH_URL:-$(out fetch_url)}
COLLISION_CHECK_URL=${COLLISION_CHECK_URL:-$(out collision_check_url)}
if [ -z "${KEY:-}" ]; then
  KEY=$(gcloud secrets versions access latest --secret "${SMOKE_KEY_SECRET:?KEY or SMOKE_KEY_SECRET is needed}" ${PROJECT:+--project "$PROJECT"})
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
uploaded=""
fail() {
  echo "smoke test FAILED: $*" >&2
  if [ -n "$uploaded" ]; then # leave nothing behind
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $KEY" "$UPLOAD_URL/images/$uploaded" || true
  fi
  exit 1
}
# call <expected status> <curl arguments…>: the body lands in $work/body.
call() {
  local expected=$1 status
  shift
  status=$(curl -sS -o "$work/body" -w '%{http_code}' -H "Authorization: Bearer $KEY" "$@") || fail "curl $*"
  [ "$status" = "$expected" ] || fail "$* answered $status, expected $expected: $(head -c 500 "$work/body")"
}
json() { # json <python expression on the parsed body, as b>
  python3 -c 'import json, sys; b = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/body" "$1"
}

for url in "$UPLOAD_URL" "$FETCH_URL" "$COLLISION_CHECK_URL"; do
  call 200 "$url/health"
  [ "$(json 'b["status"]')" = ok ] || fail "$url/health: $(cat "$work/body")"
  echo "ok  $url/health"
done

# A 1x1 PNG, and a name no earlier run used.
echo 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==' | base64 -d > "$work/smoke.png"
name="smoke-$(date -u +%Y%m%dT%H%M%S)-$$.png"
sha=$(python3 -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' "$work/smoke.png")

call 201 -X POST "$UPLOAD_URL/images?filename=$name" -H 'Content-Type: image/png' --data-binary "@$work/smoke.png"
id=$(json 'b["id"]')
uploaded=$id
[ "$(json 'b["sha256"]')" = "$sha" ] || fail "the upload stored other bytes: $(cat "$work/body")"
echo "ok  upload $name -> $id"

call 200 "$FETCH_URL/images/$id"
[ "$(json 'b["filename"]')" = "$name" ] || fail "fetch returned another image: $(cat "$work/body")"
call 200 "$FETCH_URL/images/$id/content"
cmp -s "$work/body" "$work/smoke.png" || fail "fetch returned other bytes than were uploaded"
echo "ok  fetch $id (metadata and bytes)"

call 200 -X POST "$COLLISION_CHECK_URL/collision-check" -H 'Content-Type: application/json' \
  -d "{\"files\":[{\"filename\":\"$name\",\"sha256\":\"$sha\"}]}"
[ "$(json 'b["results"][0]["status"]')" = identical ] || fail "collision check: $(cat "$work/body")"
echo "ok  collision check: $name identical"

call 204 -X DELETE "$UPLOAD_URL/images/$id"
uploaded=""
echo "ok  delete $id"
echo "smoke test passed"
