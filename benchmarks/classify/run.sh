#!/usr/bin/env bash
# Benchmarks `inmood classify` (Native AOT build): cold start on one photo, a folder of 2-megapixel JPEG
# photos with 1-3 faces, and a folder of FER2013 48x48 crops with --no-detect. Prints a markdown report.
#
# Usage: benchmarks/classify/run.sh [path/to/inmood] [--model FILE]
#   INMOOD defaults to out/inmood (dotnet publish src/InMood.Cli -c Release -r linux-x64 -o out).
#   MODEL (env or --model) is passed as --model; leave it unset to use the model shipped in the binary.
#   PHOTOS (env, default 200) is the size of the generated photo folder.
#   ARGS (env) adds classify options to every run, e.g. ARGS="--mirror false" for one pass per face (the default
#   mirrors each face, twice the emotion model's work).
# Needs: ImageMagick `convert` (to make the 2-megapixel photos); hyperfine if installed, else a date loop; perf, if
# installed, adds page-fault and CPU-time counts (the faults do not depend on what else the machine runs).
set -euo pipefail

# NOTE: some machines carry a `convert` stand-in without ImageMagick; `identify` is only in the real package.
if ! command -v identify > /dev/null; then
    echo "run.sh: ImageMagick is not installed (needed to make the 2-megapixel photos); on Debian: apt-get install imagemagick hyperfine" >&2
    exit 2
fi

root="$(cd "$(dirname "$0")/../.." && pwd)"
inmood="${1:-$root/out/inmood}"
model="${MODEL:-}"
if [[ "${2:-}" == "--model" ]]; then model="$3"; fi
photos="${PHOTOS:-200}"
fer="$(cd "$root/.." && pwd)/shared/data/fer2013/val"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
model_args=()
if [[ -n "$model" ]]; then model_args=(--model "$model"); fi
read -r -a extra_args <<< "${ARGS:-}"
model_args+=("${extra_args[@]}")

# 2-megapixel photos: the four test photos (1-3 faces each) enlarged to about 2,000,000 pixels, re-encoded
# at quality 90, copied round-robin with distinct names.
mkdir -p "$work/photos"
i=0
for source in "$root"/tests/data/photos/*.jpg; do
    convert "$source" -resize 2000000@ -quality 90 "$work/base-$i.jpg"
    i=$((i + 1))
done
for ((n = 0; n < photos; n++)); do
    cp "$work/base-$((n % i)).jpg" "$work/photos/$(printf 'photo-%05d.jpg' "$n")"
done

echo "## Machine"
echo
echo "- CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
echo "- load when started: $(uptime | sed 's/.*load average: //') (1, 5, 15 min)"
echo "- binary: $inmood ($(du -h "$inmood" | cut -f1))"
echo "- photo: $(identify -format '%wx%h' "$work/photos/photo-00000.jpg"), $photos files"
echo

echo "## Cold start: inmood classify samples/face.jpg"
echo
# NOTE: run from the repository root with a relative sample path, so the report names no machine-specific path.
inmood="$(realpath --relative-to="$root" "$inmood")"
cd "$root"
[[ "$inmood" == */* ]] || inmood="./$inmood"
cold=("$inmood" classify samples/face.jpg --format jsonl "${model_args[@]}")
if command -v hyperfine > /dev/null; then
    hyperfine --warmup 3 --runs 30 --style basic --export-markdown "$work/cold.md" "${cold[*]} > /dev/null 2>&1" > /dev/null
    cat "$work/cold.md"
else
    start=$(date +%s%N)
    for ((r = 0; r < 30; r++)); do "${cold[@]}" > /dev/null 2>&1; done
    echo "mean $(( ($(date +%s%N) - start) / 30000000 )) ms over 30 runs"
fi
echo

if command -v perf > /dev/null; then
    echo "## Counts (perf stat: page faults, CPU time of all threads)"
    echo
    perf stat -r 20 -x, -e page-faults,task-clock "${cold[@]}" 2>&1 > /dev/null \
        | awk -F, '$3 == "page-faults" {f = $1} $3 == "task-clock" {t = $1} END {printf "- cold start, mean of 20: %d page faults, %.1f ms task-clock\n", f, t}'
    perf stat -x, -e page-faults,task-clock "$inmood" classify "$work/photos" --format jsonl "${model_args[@]}" 2>&1 > /dev/null \
        | awk -F, -v n="$photos" '$3 == "page-faults" {f = $1} $3 == "task-clock" {t = $1} END {printf "- %d 2-megapixel photos, one run: %d page faults, %.2f s task-clock (%.1f ms per photo)\n", n, f, t / 1000, t / n}'
    echo
fi

throughput() {
    local name="$1"; shift
    "$inmood" classify "$@" --format jsonl "${model_args[@]}" 2> "$work/summary.txt" > /dev/null || true
    echo "- $name: $(tail -1 "$work/summary.txt" | sed 's/^inmood classify: //')"
}

echo "## Throughput (the summary line of each run, best of 3)"
echo
for run in 1 2 3; do throughput "2-megapixel photos, run $run" "$work/photos"; done
if [[ -d "$fer" ]]; then
    for run in 1 2 3; do throughput "FER2013 val crops --no-detect, run $run" "$fer" --recursive --no-detect; done
else
    echo "- FER2013 crops: skipped, no $fer"
fi
