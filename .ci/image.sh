#!/usr/bin/env bash
# Builds the emulator's container image from Containerfile without pulling
# anything: the static binary is built with this machine's Go
# (CGO_ENABLED=0) and the image takes it through the target prebuilt, so
# neither the Go image nor any base image is fetched (the runtime is
# scratch). Then the image is checked (user, port, health check, entry
# point) and the same static binary is run directly, since running a
# container may not be permitted here: it must start, answer the health
# route and pass its own -health-check.
#
# Usage: .ci/image.sh [image name]     (default localhost/magekit-emulator:ci)
set -euo pipefail
cd "$(dirname "$0")/.."
image="${1:-localhost/magekit-emulator:ci}"

if ! command -v podman >/dev/null 2>&1 && ! command -v buildah >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq podman >/dev/null
fi
builder=podman
command -v podman >/dev/null 2>&1 || builder=buildah

ctx=$(mktemp -d)
pid=
cleanup() {
	if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
	rm -rf "$ctx"
}
trap cleanup EXIT

echo "-- static binary (CGO_ENABLED=0)"
CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$ctx/magekit-emulator" ./examples/emulator
if command -v file >/dev/null 2>&1; then file "$ctx/magekit-emulator"; fi
if ldd "$ctx/magekit-emulator" >/dev/null 2>&1; then
	echo "the emulator binary is dynamically linked" >&2
	exit 1
fi
"$ctx/magekit-emulator" -version

echo "-- image $image ($builder build, target prebuilt)"
cp Containerfile "$ctx/"
if [ "$builder" = podman ]; then
	podman build --quiet --format docker --target prebuilt -f "$ctx/Containerfile" -t "$image" "$ctx"
else
	buildah bud --quiet --format docker --target prebuilt -f "$ctx/Containerfile" -t "$image" "$ctx"
fi
config=$($builder inspect --type image "$image")
for want in '"User": "65532:65532"' '"8080/tcp"' '"-health-check"' '"/magekit-emulator"' '"0.0.0.0:8080"'; do
	if ! grep -qF "$want" <<<"$config"; then
		echo "image $image: its configuration lacks $want" >&2
		exit 1
	fi
done
echo "image built: $image"

echo "-- the static binary starts and answers"
"$ctx/magekit-emulator" -addr 127.0.0.1:0 >"$ctx/out" 2>"$ctx/err" &
pid=$!
base=
for _ in $(seq 100); do
	base=$(sed -n 's/^listening on //p' "$ctx/out")
	[ -n "$base" ] && break
	if ! kill -0 "$pid" 2>/dev/null; then
		cat "$ctx/err" >&2
		exit 1
	fi
	sleep 0.1
done
if [ -z "$base" ]; then
	echo "the emulator did not print its first line within 10 s" >&2
	cat "$ctx/err" >&2
	exit 1
fi
"$ctx/magekit-emulator" -health-check "${base}rest/V1/emulator/health"
curl -sf "${base}rest/V1/emulator/health"
echo
kill -TERM "$pid"
wait "$pid"
pid=
echo "the emulator started at $base, answered its health route and stopped cleanly"
